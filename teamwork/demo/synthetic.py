"""Synthetic team work: a province-sized, deliberately uneven history of activities, and targets.

Each district and commune team of the synthetic province gets a habit (steady, irregular,
silent after a while, or silent), and activities month by month over the two years before
``as_of`` within the team's active period. District teams visit the commune teams under
them. Rows are written with ``bulk_create`` (so ``search_text`` is set here, and no audit
records are written: no person changed them). The same seed gives the same history.
"""

import datetime
import random
from collections import Counter

from dateutil.relativedelta import relativedelta

from demo.synthetic import SyntheticProvince
from portal.models import AdminUnit, Membership, Target, Team
from portal.text import fold
from teamwork import measures
from teamwork.models import Activity

BATCH_SIZE = 1000
MONTHS = 24
# Activities a month by habit; "silent_after" stops after its first months.
HABITS = {"steady": (2, 5), "irregular": (0, 2), "silent_after": (1, 3), "silent": (0, 0)}
HABIT_WEIGHTS = {"steady": 5, "irregular": 3, "silent_after": 2, "silent": 1}
TOPICS = (
    "Giới thiệu chương trình khởi nghiệp và Quỹ đầu tư khởi nghiệp tỉnh",
    "Hướng dẫn hộ kinh doanh chuyển đổi lên doanh nghiệp",
    "Sản phẩm OCOP từ dừa: kẹo dừa, thạch dừa, mỹ phẩm dừa",
    "Thủ tục đăng ký doanh nghiệp trực tuyến",
    "Vay vốn khởi nghiệp thoát nghèo",
    "Kỹ năng bán hàng trên sàn thương mại điện tử",
    "Chính sách hỗ trợ doanh nghiệp nhỏ và vừa",
    "Nuôi tôm, nghêu theo chuỗi liên kết",
)
KINDS = (
    (Activity.Kind.OUTREACH, 10),
    (Activity.Kind.TRAINING, 3),
    (Activity.Kind.CONSULTATION, 2),
    (Activity.Kind.REVIEW_MEETING, 1),
)


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month += relativedelta(months=1)


def write_activities(*, province: AdminUnit, seed: int, as_of: datetime.date) -> Counter:
    """Write the synthetic teams' activities and their units' targets; return the rows written by kind."""
    rng = random.Random(f"{seed}-activities")
    teams = list(
        Team.objects.filter(
            kind__in=[Team.Kind.DISTRICT_TEAM, Team.Kind.COMMUNE_TEAM], unit__code__startswith="S"
        )
        .select_related("unit")
        .order_by("pk")
    )
    # Each team's first member records its activities.
    recorder: dict[int, int] = {}
    for team_id, user_id in (
        Membership.objects.filter(team__in=teams).order_by("team_id", "pk").values_list("team_id", "user_id")
    ):
        recorder.setdefault(team_id, user_id)
    commune_teams_under: dict[int, list[Team]] = {}
    for team in teams:
        if team.kind == Team.Kind.COMMUNE_TEAM and team.unit.parent_id:
            commune_teams_under.setdefault(team.unit.parent_id, []).append(team)
    start = as_of - relativedelta(months=MONTHS)
    rows: list[Activity] = []
    for team in teams:
        if team.pk not in recorder:
            continue
        habit = _weighted(rng, HABIT_WEIGHTS.items())
        low, high = HABITS[habit]
        first = max(start, team.active_from or start)
        last = min(as_of, team.active_until or as_of)
        for index, month in enumerate(_months(first, last)):
            if habit == "silent_after" and index >= 4:
                break
            for _ in range(rng.randint(low, high)):
                day = min(month + datetime.timedelta(days=rng.randrange(28)), last)
                if day < first:
                    continue
                rows.append(_activity(rng, team, day, recorder[team.pk], commune_teams_under))
    for batch_start in range(0, len(rows), BATCH_SIZE):
        Activity.objects.bulk_create(rows[batch_start : batch_start + BATCH_SIZE])
    counts = Counter({"activities": len(rows)})
    counts["targets"] = _write_targets(province, as_of)
    return counts


def _activity(rng: random.Random, team: Team, day: datetime.date, recorder_id: int, under) -> Activity:
    topics = rng.choice(TOPICS)
    values = {"kind": _weighted(rng, KINDS), "people_reached": rng.randint(15, 120)}
    visits = under.get(team.unit_id, [])
    if team.kind == Team.Kind.DISTRICT_TEAM and visits and rng.random() < 0.5:
        values = {
            "kind": Activity.Kind.SUPPORT_VISIT,
            "people_reached": 0,
            "supported_team": rng.choice(visits),
        }
    elif values["kind"] == Activity.Kind.OUTREACH:
        values["channel"] = rng.choice(Activity.Channel.values)
        if values["channel"] == Activity.Channel.MASS_ORGANISATION:
            values["mass_organisation"] = rng.choice(Activity.MassOrganisation.values[:-1])
    elif values["kind"] == Activity.Kind.REVIEW_MEETING:
        values["review_kind"] = rng.choice(Activity.ReviewKind.values)
        values["lessons_learned"] = "Cần tuyên truyền đều đặn hơn và phối hợp chặt với các đoàn thể."
    return Activity(
        team=team,
        held_on=day,
        unit_id=team.unit_id,
        topics=topics,
        recorded_by_id=recorder_id,
        search_text=fold(topics),
        **values,
    )


def _write_targets(province: AdminUnit, as_of: datetime.date) -> int:
    communes = list(
        AdminUnit.objects.filter(parent=province, valid_until__isnull=True).values_list("pk", flat=True)
    )
    targets = []
    for year in (as_of.year - 1, as_of.year):
        targets += [
            Target(
                unit_id=province.pk,
                year=year,
                measure=measures.OUTREACH_EVENTS,
                value=24 * len(communes),
            ),
            Target(
                unit_id=province.pk,
                year=year,
                measure=measures.PEOPLE_REACHED,
                value=1200 * len(communes),
            ),
            Target(unit_id=province.pk, year=year, measure=measures.REVIEWS_HELD, value=2 * len(communes)),
        ]
        targets += [
            Target(unit_id=unit_id, year=year, measure=measures.OUTREACH_EVENTS, value=24)
            for unit_id in communes
        ]
    Target.objects.bulk_create(targets, batch_size=BATCH_SIZE)
    return len(targets)


def write(province: SyntheticProvince) -> Counter:
    """The teams' part of the synthetic province: their activities and their units' targets."""
    return write_activities(province=province.province, seed=province.seed, as_of=province.as_of)
