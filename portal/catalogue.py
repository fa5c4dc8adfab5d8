"""The reference data every environment loads, production included, and the official calendar.

Each app keeps its part in its own ``catalogue`` module with ``load(report)``: the ground the official
calendar (below), the one-stop shop its document kinds and procedures, the policy library its
documents and entitlements. ``load_reference_data()`` runs them in the order of INSTALLED_APPS, so a
part may build on the parts of the apps it depends on. Every part only creates what is missing and
never changes a row that exists, so an admin's edits survive a second run.

The calendar is owned a year at a time: a year's days are written only when that year has no day at
all, so an admin who removes a provisional holiday, or moves it by a day, does not get it back on the
next deploy.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from portal.models import CalendarDay
from portal.plugins import app_modules


@dataclass
class CatalogueReport:
    """Rows by model name: how many were created and how many were already there (left as they are)."""

    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)


@transaction.atomic
def load_reference_data() -> CatalogueReport:
    """Every installed app's reference data, in the order of INSTALLED_APPS."""
    report = CatalogueReport()
    for module in app_modules("catalogue"):
        module.load(report)
    return report


# The official calendar.


@dataclass(frozen=True)
class Day:
    date: datetime.date
    name: str
    kind: str = CalendarDay.Kind.DAY_OFF


def _off(year: int, month: int, day: int, name: str) -> Day:
    return Day(datetime.date(year, month, day), name)


def _work(year: int, month: int, day: int, name: str) -> Day:
    return Day(datetime.date(year, month, day), name, CalendarDay.Kind.WORKING_DAY)


# Labour Code 2019, Art. 112: New Year 1 day, Tết 5 days, Hùng Kings 1 day (10/3 lunar), 30/4 and 1/5,
# 2/9 with one adjacent day; a holiday on a weekly day off is made up on the next working day. Each year
# the Prime Minister fixes the civil service's Tết days and any swaps (a weekday off, a Saturday worked).
# Only the days that differ from the Monday–Friday week or that are holidays themselves are listed; the
# weekends around a break are ordinary weekends. The 24/11 "Ngày Văn hóa Việt Nam" day off announced in
# 2026 awaits an amendment of Art. 112 and is not here; admins add it once it is law.
CALENDAR = (
    # 2024
    _off(2024, 1, 1, "Tết Dương lịch"),
    # Tết Giáp Thìn: 08/02 (29 tháng Chạp) to 14/02 (mùng 5), mùng 1 on Saturday 10/02.
    _off(2024, 2, 8, "Tết Nguyên đán Giáp Thìn (29 tháng Chạp)"),
    _off(2024, 2, 9, "Tết Nguyên đán Giáp Thìn (30 tháng Chạp)"),
    _off(2024, 2, 10, "Tết Nguyên đán Giáp Thìn (mùng 1)"),
    _off(2024, 2, 11, "Tết Nguyên đán Giáp Thìn (mùng 2)"),
    _off(2024, 2, 12, "Tết Nguyên đán Giáp Thìn (mùng 3)"),
    _off(2024, 2, 13, "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)"),
    _off(2024, 2, 14, "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)"),
    _off(2024, 4, 18, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    # Công văn 2450/VPCP-KGVX: Monday 29/04 off, worked on Saturday 04/05.
    _off(2024, 4, 29, "Nghỉ hoán đổi dịp 30/4 (làm bù thứ Bảy 04/5/2024)"),
    _off(2024, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2024, 5, 1, "Ngày Quốc tế Lao động"),
    _work(2024, 5, 4, "Làm bù cho ngày nghỉ 29/4/2024"),
    _off(2024, 9, 2, "Quốc khánh"),
    _off(2024, 9, 3, "Quốc khánh (ngày liền kề)"),
    # 2025
    _off(2025, 1, 1, "Tết Dương lịch"),
    # Tết Ất Tỵ: 25/01 to 02/02, nine days with the two weekends; mùng 1 on Wednesday 29/01.
    _off(2025, 1, 27, "Tết Nguyên đán Ất Tỵ (28 tháng Chạp)"),
    _off(2025, 1, 28, "Tết Nguyên đán Ất Tỵ (29 tháng Chạp)"),
    _off(2025, 1, 29, "Tết Nguyên đán Ất Tỵ (mùng 1)"),
    _off(2025, 1, 30, "Tết Nguyên đán Ất Tỵ (mùng 2)"),
    _off(2025, 1, 31, "Tết Nguyên đán Ất Tỵ (mùng 3)"),
    _off(2025, 4, 7, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    _work(2025, 4, 26, "Làm bù cho ngày nghỉ 02/5/2025"),
    _off(2025, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2025, 5, 1, "Ngày Quốc tế Lao động"),
    _off(2025, 5, 2, "Nghỉ hoán đổi dịp 30/4 (làm bù thứ Bảy 26/4/2025)"),
    _off(2025, 9, 1, "Quốc khánh (ngày liền kề)"),
    _off(2025, 9, 2, "Quốc khánh"),
    # 2026
    _off(2026, 1, 1, "Tết Dương lịch"),
    # Công văn 12729/VPCP-KGVX (25/12/2025): Friday 02/01 off, worked on Saturday 10/01.
    _off(2026, 1, 2, "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)"),
    _work(2026, 1, 10, "Làm bù cho ngày nghỉ 02/01/2026"),
    # The Prime Minister's decision of October 2025: 14/02 (27 tháng Chạp) to 22/02 (mùng 6), nine days;
    # the five Tết days are Monday 16/02 (29 tháng Chạp) to Friday 20/02 (mùng 4), mùng 1 on 17/02.
    _off(2026, 2, 16, "Tết Nguyên đán Bính Ngọ (29 tháng Chạp)"),
    _off(2026, 2, 17, "Tết Nguyên đán Bính Ngọ (mùng 1)"),
    _off(2026, 2, 18, "Tết Nguyên đán Bính Ngọ (mùng 2)"),
    _off(2026, 2, 19, "Tết Nguyên đán Bính Ngọ (mùng 3)"),
    _off(2026, 2, 20, "Tết Nguyên đán Bính Ngọ (mùng 4)"),
    _off(2026, 4, 26, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    _off(2026, 4, 27, "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)"),
    _off(2026, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    _off(2026, 5, 1, "Ngày Quốc tế Lao động"),
    # The same decision: 29/08 to 02/09, with 01/09 as the adjacent day and Monday 31/08 swapped
    # for Saturday 22/08.
    _work(2026, 8, 22, "Làm bù cho ngày nghỉ 31/8/2026"),
    _off(2026, 8, 31, "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/8/2026)"),
    _off(2026, 9, 1, "Quốc khánh (ngày liền kề)"),
    _off(2026, 9, 2, "Quốc khánh"),
    # 2027: provisional. No decision on Tết or swaps yet; Tết is estimated like 2024's (mùng 1 on
    # Saturday 06/02/2027): 04/02 to 10/02. The other dates follow the Labour Code; check them
    # against the Prime Minister's decision when it comes and correct them in the admin.
    _off(2027, 1, 1, "Tết Dương lịch"),
    _off(2027, 2, 4, "Tết Nguyên đán Đinh Mùi (28 tháng Chạp, dự kiến)"),
    _off(2027, 2, 5, "Tết Nguyên đán Đinh Mùi (29 tháng Chạp, dự kiến)"),
    _off(2027, 2, 6, "Tết Nguyên đán Đinh Mùi (mùng 1, dự kiến)"),
    _off(2027, 2, 7, "Tết Nguyên đán Đinh Mùi (mùng 2, dự kiến)"),
    _off(2027, 2, 8, "Tết Nguyên đán Đinh Mùi (mùng 3, dự kiến)"),
    _off(2027, 2, 9, "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy, dự kiến)"),
    _off(2027, 2, 10, "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật, dự kiến)"),
    _off(2027, 4, 16, "Giỗ Tổ Hùng Vương (10/3 âm lịch, dự kiến)"),
    _off(2027, 4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước (dự kiến)"),
    _off(2027, 5, 1, "Ngày Quốc tế Lao động (dự kiến)"),
    _off(2027, 5, 3, "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 01/5, dự kiến)"),
    _off(2027, 9, 2, "Quốc khánh (dự kiến)"),
    _off(2027, 9, 3, "Quốc khánh (ngày liền kề, dự kiến)"),
)


def load(report: CatalogueReport) -> None:
    """The days of each year that has none yet: once a year has days, the admins own that year."""
    years_with_days = {day.year for day in CalendarDay.objects.values_list("date", flat=True)}
    missing = [day for day in CALENDAR if day.date.year not in years_with_days]
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day.date, kind=day.kind, name=day.name) for day in missing
    )
    report.created["CalendarDay"] += len(missing)
    report.existing["CalendarDay"] += CalendarDay.objects.count() - len(missing)
