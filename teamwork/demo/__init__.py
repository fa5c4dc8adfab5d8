"""The demo's activity history and targets: deliberately uneven, so the evenness measures show something.

``build_demo_activities()`` runs after ``demo.build_demo()`` has created the teams. Each
team draws from a random generator seeded with its unit's code, so a second run (on the same
day) changes nothing: an activity is looked up by team, kind, date and topics and created only
when it is missing, and a target is written only when its value differs.

- Current ward and commune teams (since 1 July 2025) follow one of four habits: active every
  month with varied channels and mass organisations; active every month but always through
  meetings; irregular; or silent after their first months (a few never record anything).
- District teams made support visits to the former commune teams under them in the first half
  of 2025, before the districts ended on 30 June 2025; the former commune teams held outreach.
- Interim and final reviews with their lessons learned, and consultations, for some teams.
- Targets per unit (the province and each ward, and the districts for 2025) for 2025 and 2026.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from demo.ground import PROVINCE_CODE
from demo.writer import Writer
from portal.models import AdminUnit, Membership, Target, Team
from portal.models.people import today
from portal.models.units import REFORM_DATE
from portal.units_loader import FORMER_UNTIL
from teamwork import measures
from teamwork.models import Activity

SEED = "vinh-long-activities"
FORMER_START = datetime.date(2025, 1, 1)  # the former teams' history the demo shows
ALWAYS_ACTIVE = ("28870",)  # the demo commune officer's ward: Xã Chợ Lách

Kind = Activity.Kind
Channel = Activity.Channel
Organisation = Activity.MassOrganisation

OUTREACH_TOPICS = (
    "Giới thiệu chương trình hỗ trợ khởi nghiệp cho hộ làm kẹo dừa",
    "Hướng dẫn đăng ký sản phẩm OCOP cho cơ sở bánh tráng, bánh phồng",
    "Chuyển đổi hộ kinh doanh lên doanh nghiệp: lợi ích và thủ tục",
    "Vay vốn Quỹ đầu tư khởi nghiệp tỉnh: điều kiện và hồ sơ",
    "Thương mại điện tử cho sản phẩm dừa, bưởi da xanh",
    "Hỗ trợ thanh niên khởi nghiệp với cây giống, hoa kiểng Chợ Lách",
    "Phụ nữ khởi nghiệp: mô hình chăn nuôi dê, nuôi ong lấy mật",
    "Miễn lệ phí môn bài và hỗ trợ thuế cho doanh nghiệp chuyển đổi từ hộ kinh doanh",
    "Du lịch cộng đồng, homestay miệt vườn",
    "Đăng ký nhãn hiệu, mã số vùng trồng cho trái cây xuất khẩu",
)
TRAINING_TOPICS = (
    "Tập huấn lập kế hoạch kinh doanh cho hộ sản xuất thạch dừa",
    "Tập huấn kế toán, hóa đơn điện tử cho hộ kinh doanh",
    "Tập huấn livestream bán hàng trên mạng xã hội",
    "Tập huấn xây dựng hồ sơ sản phẩm OCOP 3 sao",
)
CONSULTATIONS = (
    ("Tư vấn hoàn thiện hồ sơ vay vốn Quỹ khởi nghiệp", "Quỹ Đầu tư khởi nghiệp tỉnh"),
    ("Tư vấn bao bì, nhãn mác cho kẹo dừa", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"),
    ("Tư vấn chuyển đổi hộ kinh doanh thành công ty TNHH", "Hiệp hội Doanh nghiệp tỉnh"),
    ("Tư vấn tiêu chuẩn VietGAP cho vườn bưởi", "Trường Đại học Cửu Long"),
)
LESSONS = (
    "Tuyên truyền qua loa truyền thanh ấp hiệu quả hơn họp dân; "
    "cần phối hợp Hội LHPN để đến với hộ làm kẹo dừa.",
    "Hồ sơ vay vốn thường thiếu phương án kinh doanh; cần tổ chức tư vấn trực tiếp trước khi nộp.",
    "Tổ chưa nắm quy định mới về miễn lệ phí môn bài; đề nghị huyện/tỉnh tập huấn lại.",
    "Hoạt động không đều giữa các ấp; phân công thành viên phụ trách từng ấp, báo cáo hằng tháng.",
)
OTHER_ORGANISATIONS = ("Hội Người cao tuổi xã", "Hội Chữ thập đỏ xã", "Hợp tác xã dừa")
MEETING_PLACES = ("tại hội trường UBND", "tại nhà văn hóa ấp", "tại chợ")

# People reached by channel: (fewest, most).
REACH = {
    Channel.MEETING: (20, 80),
    Channel.LOUDSPEAKER: (150, 600),
    Channel.RADIO_TV: (500, 2000),
    Channel.SOCIAL_MEDIA: (200, 1500),
    Channel.LEAFLET: (50, 300),
    Channel.MARKET_STALL: (40, 150),
    Channel.MASS_ORGANISATION: (30, 120),
}


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _days_in(month: datetime.date, rng: random.Random, count: int, *, first, last) -> list[datetime.date]:
    """Up to ``count`` different working days of ``month`` within [first, last], in order."""
    next_month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    days = [
        month + datetime.timedelta(days=offset)
        for offset in range((next_month - month).days)
        if first <= month + datetime.timedelta(days=offset) <= last
        and (month + datetime.timedelta(days=offset)).weekday() < 5
    ]
    return sorted(rng.sample(days, min(count, len(days))))


def _day_in(month: datetime.date, rng: random.Random, *, first, last) -> datetime.date | None:
    """A working day of ``month`` within [first, last], or None when the month has none."""
    days = _days_in(month, rng, 1, first=first, last=last)
    return days[0] if days else None


class _Recorder:
    """Creates the activities a run plans; those of an earlier run are found by their natural key."""

    def __init__(self) -> None:
        self.existing = set(Activity.objects.values_list("team_id", "kind", "held_on", "topics"))
        self.planned: set[tuple] = set()
        self.rows: Counter = Counter()

    def add(
        self, *, team: Team, by_id: int, kind: str, held_on: datetime.date, topics: str, **values
    ) -> None:
        key = (team.pk, kind, held_on, topics)
        if key in self.planned:
            # Two plans with one natural key: the second would be lost without a word.
            raise ValueError(f"The demo planned the activity {key} twice.")
        self.planned.add(key)
        if key in self.existing:
            self.rows["Activity", "unchanged"] += 1
            return
        Activity.objects.create(
            team=team,
            kind=kind,
            held_on=held_on,
            unit_id=team.unit_id,
            topics=topics,
            recorded_by_id=by_id,
            **values,
        )
        self.rows["Activity", "created"] += 1


def _outreach(rng: random.Random, channels: tuple[str, ...]) -> dict:
    channel = rng.choice(channels)
    values = {"channel": channel, "people_reached": rng.randint(*REACH[channel])}
    if channel == Channel.MASS_ORGANISATION:
        organisation = rng.choice(Organisation.values)
        values["mass_organisation"] = organisation
        if organisation == Organisation.OTHER:
            values["mass_organisation_other"] = rng.choice(OTHER_ORGANISATIONS)
    return values


def _habit(unit_code: str, rng: random.Random) -> str:
    if unit_code in ALWAYS_ACTIVE:
        return "varied"
    return rng.choices(["varied", "monotonous", "irregular", "silent"], weights=[3, 2, 3, 2])[0]


def _team_history(
    recorder: _Recorder, team: Team, by_id: int, first: datetime.date, last: datetime.date
) -> None:
    rng = random.Random(f"{SEED}-{team.unit.code}")
    habit = _habit(team.unit.code, rng)
    channels = tuple(Channel.values) if habit == "varied" else (Channel.MEETING,)
    silent_after = first + datetime.timedelta(days=rng.choice([0, 45, 75]))
    for month in _months(first, last):
        if habit == "silent" and month > silent_after:
            break
        if habit == "irregular" and rng.random() < 0.55:
            continue
        events = rng.randint(1, 3) if habit == "varied" else 1
        for day in _days_in(month, rng, events, first=first, last=last):
            place = rng.choice(MEETING_PLACES)
            recorder.add(
                team=team,
                by_id=by_id,
                kind=Kind.OUTREACH,
                held_on=day,
                topics=f"{rng.choice(OUTREACH_TOPICS)} ({place})",
                **_outreach(rng, channels),
            )
        if habit == "varied" and rng.random() < 0.3:
            day = _day_in(month, rng, first=first, last=last)
            if day:
                recorder.add(
                    team=team,
                    by_id=by_id,
                    kind=Kind.TRAINING,
                    held_on=day,
                    topics=rng.choice(TRAINING_TOPICS),
                    people_reached=rng.randint(15, 45),
                )
        if habit in ("varied", "irregular") and rng.random() < 0.15:
            day = _day_in(month, rng, first=first, last=last)
            if day:
                topics, counterpart = rng.choice(CONSULTATIONS)
                recorder.add(
                    team=team,
                    by_id=by_id,
                    kind=Kind.CONSULTATION,
                    held_on=day,
                    topics=topics,
                    counterpart=counterpart,
                    people_reached=rng.randint(1, 10),
                )
        # Interim reviews in June and final reviews in December, by the teams that keep up.
        if month.month in (6, 12) and habit == "varied":
            day = _day_in(month, rng, first=first, last=last)
            if day:
                is_final = month.month == 12
                recorder.add(
                    team=team,
                    by_id=by_id,
                    kind=Kind.REVIEW_MEETING,
                    held_on=day,
                    topics=f"{'Tổng kết' if is_final else 'Sơ kết 6 tháng'} "
                    f"hoạt động hỗ trợ khởi nghiệp năm {month.year}",
                    review_kind=Activity.ReviewKind.FINAL if is_final else Activity.ReviewKind.INTERIM,
                    lessons_learned=rng.choice(LESSONS),
                    people_reached=rng.randint(8, 20),
                )


def _member_id(team: Team) -> int | None:
    if team.head_id:
        return team.head_id
    return Membership.objects.filter(team=team).order_by("pk").values_list("user_id", flat=True).first()


def _support_visits(recorder: _Recorder, district_teams: list[Team], former_teams: list[Team]) -> None:
    """A few visits, most districts none: support from districts to communes was rare."""
    for team in district_teams:
        by_id = _member_id(team)
        communes = [commune for commune in former_teams if commune.unit.parent_id == team.unit_id]
        if by_id is None or not communes:
            continue
        rng = random.Random(f"{SEED}-visits-{team.unit.code}")
        for commune in communes:
            for month_number in sorted(rng.sample(range(1, 7), rng.randint(1, 2))):
                month = datetime.date(2025, month_number, 1)
                day = _day_in(month, rng, first=FORMER_START, last=FORMER_UNTIL)
                recorder.add(
                    team=team,
                    by_id=by_id,
                    kind=Kind.SUPPORT_VISIT,
                    held_on=day,
                    topics=f"Hỗ trợ {commune.name}: rà soát hồ sơ vay vốn, "
                    "hướng dẫn chuyển đổi hộ kinh doanh",
                    supported_team=commune,
                    people_reached=rng.randint(4, 12),
                )


def _targets(province: AdminUnit, wards: list[AdminUnit], districts: list[AdminUnit]) -> Counter:
    rows: Counter = Counter()
    existing = {(t.unit_id, t.year, t.measure): t for t in Target.objects.all()}
    wanted: dict[tuple[int, int, str], int] = {}
    for year in (2025, 2026):
        wanted[province.pk, year, measures.OUTREACH_EVENTS] = 12 * len(wards)
        wanted[province.pk, year, measures.PEOPLE_REACHED] = 1500 * len(wards)
        wanted[province.pk, year, measures.REVIEWS_HELD] = 2 * len(wards)
        for ward in wards:
            rng = random.Random(f"{SEED}-targets-{ward.code}-{year}")
            wanted[ward.pk, year, measures.OUTREACH_EVENTS] = rng.choice([10, 12, 12, 15])
            wanted[ward.pk, year, measures.PEOPLE_REACHED] = rng.choice([800, 1000, 1500, 2000])
            wanted[ward.pk, year, measures.REVIEWS_HELD] = 2
    for district in districts:
        wanted[district.pk, 2025, measures.SUPPORT_VISITS] = 2 * district.children.count()
    for (unit_id, year, measure), value in wanted.items():
        target = existing.get((unit_id, year, measure))
        if target is None:
            Target.objects.create(unit_id=unit_id, year=year, measure=measure, value=value)
            rows["Target", "created"] += 1
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])
            rows["Target", "updated"] += 1
        else:
            rows["Target", "unchanged"] += 1
    return rows


@dataclass
class ActivityReport:
    rows: Counter  # (model, "created" | "updated" | "unchanged")

    def summary(self) -> list[str]:
        return [
            f"{label:<13}{self.rows[(model, 'created')]} created, "
            f"{self.rows[(model, 'unchanged')]} unchanged."
            for model, label in (("Activity", "Activities:"), ("Target", "Targets:"))
        ]


def build(writer: Writer) -> ActivityReport:
    """The teams' part of the demo (``writer`` is not needed: the teams' members record)."""
    return ActivityReport(build_demo_activities())


@transaction.atomic
def build_demo_activities() -> Counter:
    """Create what is missing of the demo's activities and targets; returns (model, outcome) counts."""
    province = AdminUnit.objects.get(code=PROVINCE_CODE, valid_until__isnull=True)
    last = today()
    recorder = _Recorder()
    ward_teams = list(
        Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, unit__parent=province, active_until__isnull=True)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    former_teams = list(
        Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=FORMER_UNTIL)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    district_teams = list(
        Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM, active_until=FORMER_UNTIL)
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    for team in ward_teams:
        by_id = _member_id(team)
        if by_id is not None:
            _team_history(recorder, team, by_id, REFORM_DATE, last)
    for team in former_teams:
        by_id = _member_id(team)
        if by_id is not None:
            _team_history(recorder, team, by_id, FORMER_START, min(FORMER_UNTIL, last))
    _support_visits(recorder, district_teams, former_teams)
    rows = recorder.rows
    rows.update(
        _targets(
            province,
            [team.unit for team in ward_teams],
            [team.unit for team in district_teams],
        )
    )
    return rows
