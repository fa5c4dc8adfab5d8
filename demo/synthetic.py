"""Synthetic data the size of a province, for load tests and query counts at scale.

``generate(scale=1, seed=...)`` builds a synthetic province (every code starts
with ``S``; GSO codes are all digits, so they never collide) with its former
provinces, districts and communes as history, the council with its boards, the
standing agency and the fund, a district team for every former district and a
commune team for every current commune and for a quarter of the former ones,
and the people in them. At scale 1 that is about the size of a real province:
100 current communes, about 300 former communes in 17 districts, about 190
teams of 3 to 8 people and about 1,000 people. Scale N multiplies the
communes, districts, teams and people (one province, N times as large).

The same seed always gives the same units, teams, people and memberships. The
people's, places' and teams' names and the positions come from ``demo.names``.

Rows are written with ``bulk_create`` in batches. That skips ``save()``, so the
derived ``search_name`` and ``sort_name`` are set here with ``portal.text``,
and it skips the audit signals, so no audit record is written. That is
acceptable for synthetic data, which no person changed.

Each app adds its own rows in its ``demo/synthetic.py`` (``write(province)``),
after every app's reference data is loaded: the one-stop shop about 200 dossiers
for each current commune (``dossiers_per_commune``), some 20,000 at scale 1; the
teams their uneven history of activities.
"""

import datetime
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.names import (
    BOARD_POSITIONS,
    COMMUNE_TEAM_POSITIONS,
    COMMUNE_TEAM_PREFIX,
    COUNCIL_POSITIONS,
    DISTRICT_TEAM_POSITIONS,
    DISTRICT_TEAM_PREFIX,
    FUND_POSITIONS,
    STANDING_AGENCY_POSITIONS,
    login_name,
    place_name,
    positions,
    team_name,
    vietnamese_name,
)
from portal.catalogue import load_reference_data
from portal.models import AdminUnit, Membership, Team, User
from portal.models.units import REFORM_DATE
from portal.plugins import app_modules
from portal.text import fold, sort_key

BATCH_SIZE = 500
FORMER_UNTIL = REFORM_DATE - datetime.timedelta(days=1)
PROGRAMME_START = datetime.date(2016, 7, 1)
COMMUNE_TEAMS_START = datetime.date(2017, 3, 1)
# Unusable (starts with "!"), fixed so that the data is the same for a seed.
UNUSABLE_PASSWORD = "!synthetic"

# Every synthetic code starts with this letter.
CODE_PREFIX = "S"
PROVINCE_CODE = "SP0"
USERNAME_PREFIX = "sx"


# The plan: plain data, made from the seed alone.


@dataclass
class PlannedUnit:
    code: str
    name: str
    level: str
    kind: str
    parent: "PlannedUnit | None" = None
    current: bool = True
    successors: list["PlannedUnit"] = field(default_factory=list)
    row: AdminUnit | None = None


@dataclass
class PlannedMember:
    full_name: str
    position: str
    joined_on: datetime.date
    left_on: datetime.date | None = None
    row: User | None = None


@dataclass
class PlannedTeam:
    name: str
    kind: str
    unit: PlannedUnit
    active_from: datetime.date | None
    active_until: datetime.date | None = None
    parent: "PlannedTeam | None" = None
    members: list[PlannedMember] = field(default_factory=list)
    has_head: bool = True
    row: Team | None = None


@dataclass
class Plan:
    units: list[PlannedUnit] = field(default_factory=list)
    teams: list[PlannedTeam] = field(default_factory=list)


def plan_units(rng: random.Random, *, communes: int) -> list[PlannedUnit]:
    """A current province with ``communes`` communes; as history, two former provinces with
    districts of about 18 communes each, three former communes for every current one."""
    province = PlannedUnit(PROVINCE_CODE, "Tỉnh Mô Phỏng", AdminUnit.Level.PROVINCE, "Tỉnh")
    formers = [
        PlannedUnit(
            f"{CODE_PREFIX}P{n}", f"Tỉnh Mô Phỏng {side}", AdminUnit.Level.PROVINCE, "Tỉnh", current=False
        )
        for n, side in ((1, "Bắc"), (2, "Nam"))
    ]
    for former in formers:
        former.successors.append(province)
    units = [province, *formers]
    current = []
    for number in range(1, communes + 1):
        kind = "Phường" if rng.random() < 0.15 else "Xã"
        current.append(
            PlannedUnit(
                f"{CODE_PREFIX}W{number:06d}",
                f"{kind} {place_name(rng)}",
                AdminUnit.Level.COMMUNE,
                kind,
                province,
            )
        )
    units.extend(current)

    district_count = max(1, math.ceil(communes / 6))
    districts = []
    for number in range(1, district_count + 1):
        kind = "Thành phố" if number == 1 else ("Thị xã" if number % 9 == 0 else "Huyện")
        districts.append(
            PlannedUnit(
                f"{CODE_PREFIX}D{number:05d}",
                f"{kind} {place_name(rng)}",
                AdminUnit.Level.DISTRICT,
                kind,
                formers[(number - 1) % len(formers)],
                current=False,
            )
        )
    units.extend(districts)

    number = 0
    for index, successor in enumerate(current):
        district = districts[index * district_count // communes]
        for part in range(rng.choice((2, 3, 3, 3, 4))):
            number += 1
            if district.kind == "Thành phố":
                kind = "Phường"
            elif part == 0 and index % 6 == 0:
                kind = "Thị trấn"
            else:
                kind = "Xã"
            old = PlannedUnit(
                f"{CODE_PREFIX}C{number:06d}",
                f"{kind} {place_name(rng)}",
                AdminUnit.Level.COMMUNE,
                kind,
                district,
                current=False,
                successors=[successor],
            )
            # Now and then a former commune was divided with the next current commune.
            if index + 1 < communes and rng.random() < 0.05:
                old.successors.append(current[index + 1])
            units.append(old)
    return units


def _members(
    rng: random.Random, template: tuple[str, ...], count: int, *, unit_kind: str, joined: datetime.date
) -> list[PlannedMember]:
    """``count`` people, the head first; the head joins on ``joined``, the others now and then later."""
    members = []
    for index, position in enumerate(positions(template, count, unit_kind=unit_kind)):
        delay = 0 if index == 0 else rng.choice((0, 0, 0, 14, 45, 120))
        members.append(PlannedMember(vietnamese_name(rng), position, joined + datetime.timedelta(days=delay)))
    # In teams that worked before the reform, now and then someone other than the head left.
    if joined < REFORM_DATE and len(members) > 2 and rng.random() < 0.2:
        leaver = members[-1]
        latest = (FORMER_UNTIL - leaver.joined_on).days
        leaver.left_on = leaver.joined_on + datetime.timedelta(days=rng.randint(min(200, latest), latest))
    return members


def plan_provincial_teams(rng: random.Random, province: PlannedUnit) -> list[PlannedTeam]:
    """The council with its boards, the standing agency and the fund."""
    start = REFORM_DATE
    council = PlannedTeam(
        "Hội đồng Tư vấn khởi nghiệp và phát triển doanh nghiệp tỉnh Mô Phỏng",
        Team.Kind.COUNCIL,
        province,
        start,
    )
    council.members = _members(rng, COUNCIL_POSITIONS, len(COUNCIL_POSITIONS), unit_kind="Tỉnh", joined=start)
    teams = [council]
    for name in ("Ban Truyền thông và Đào tạo", "Ban Hỗ trợ khởi nghiệp", "Ban Quỹ và Nguồn lực"):
        board = PlannedTeam(name, Team.Kind.COUNCIL_BOARD, province, start, parent=council)
        board.members = _members(rng, BOARD_POSITIONS, rng.randint(3, 5), unit_kind="Tỉnh", joined=start)
        teams.append(board)
    agency = PlannedTeam(
        "Sở Tài chính – Cơ quan thường trực", Team.Kind.STANDING_AGENCY, province, start, parent=council
    )
    agency.members = _members(rng, STANDING_AGENCY_POSITIONS, 5, unit_kind="Tỉnh", joined=start)
    fund = PlannedTeam("Quỹ Đầu tư khởi nghiệp tỉnh", Team.Kind.FUND, province, start)
    fund.members = _members(rng, FUND_POSITIONS, 5, unit_kind="Tỉnh", joined=start)
    return [*teams, agency, fund]


def plan_district_teams(rng: random.Random, districts: list[PlannedUnit]) -> list[PlannedTeam]:
    """A team for every former district, from the programme's start until the districts ended."""
    teams = []
    for district in districts:
        team = PlannedTeam(
            team_name(DISTRICT_TEAM_PREFIX, district),
            Team.Kind.DISTRICT_TEAM,
            district,
            PROGRAMME_START,
            FORMER_UNTIL,
        )
        team.members = _members(
            rng, DISTRICT_TEAM_POSITIONS, rng.randint(4, 8), unit_kind=district.kind, joined=PROGRAMME_START
        )
        teams.append(team)
    return teams


def plan_commune_teams(
    rng: random.Random, communes: list[PlannedUnit], *, start: datetime.date, until: datetime.date | None
) -> list[PlannedTeam]:
    """A team for each commune; a few without a head, and now and then one nobody has joined yet."""
    teams = []
    for commune in communes:
        team = PlannedTeam(
            team_name(COMMUNE_TEAM_PREFIX, commune), Team.Kind.COMMUNE_TEAM, commune, start, until
        )
        roll = rng.random()
        if roll < 0.02:
            team.has_head = False
        else:
            team.members = _members(
                rng, COMMUNE_TEAM_POSITIONS, rng.randint(3, 8), unit_kind=commune.kind, joined=start
            )
            team.has_head = roll >= 0.06
        teams.append(team)
    return teams


def plan(*, scale: int, seed: int, communes_per_scale: int = 100) -> Plan:
    """Everything ``generate`` writes, as plain data; the same for the same arguments."""
    rng = random.Random(seed)
    units = plan_units(rng, communes=scale * communes_per_scale)
    province = units[0]
    districts = [unit for unit in units if unit.level == AdminUnit.Level.DISTRICT]
    current_communes = [unit for unit in units if unit.level == AdminUnit.Level.COMMUNE and unit.current]
    former_communes = [unit for unit in units if unit.level == AdminUnit.Level.COMMUNE and not unit.current]
    with_former_team = [unit for unit in former_communes if rng.random() < 0.25]
    teams = [
        *plan_provincial_teams(rng, province),
        *plan_district_teams(rng, districts),
        *plan_commune_teams(rng, current_communes, start=REFORM_DATE, until=None),
        *plan_commune_teams(rng, with_former_team, start=COMMUNE_TEAMS_START, until=FORMER_UNTIL),
    ]
    return Plan(units=units, teams=teams)


# Writing the plan.


def write_units(units: list[PlannedUnit]) -> int:
    """Units level by level (parents first), then their successor links."""
    for level in (AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE):
        batch = []
        for unit in units:
            if unit.level != level:
                continue
            unit.row = AdminUnit(
                code=unit.code,
                name=unit.name,
                level=unit.level,
                kind=unit.kind,
                parent_id=unit.parent.row.pk if unit.parent else None,
                valid_from=REFORM_DATE if unit.current else None,
                valid_until=None if unit.current else FORMER_UNTIL,
                search_name=fold(unit.name),
                sort_name=sort_key(unit.name),
            )
            batch.append(unit.row)
        AdminUnit.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    link = AdminUnit.successors.through
    links = [
        link(from_adminunit_id=unit.row.pk, to_adminunit_id=successor.row.pk)
        for unit in units
        for successor in unit.successors
    ]
    link.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(links)


def write_people(teams: list[PlannedTeam]) -> None:
    """One account per member, none of them able to log in."""
    taken = {
        username.removeprefix(USERNAME_PREFIX)
        for username in User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
            "username", flat=True
        )
    }
    rows = []
    for team in teams:
        for member in team.members:
            member.row = User(
                username=USERNAME_PREFIX + login_name(member.full_name, taken),
                full_name=member.full_name,
                password=UNUSABLE_PASSWORD,
            )
            rows.append(member.row)
    User.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def write_teams(teams: list[PlannedTeam]) -> None:
    """Teams with their heads, parents before the teams under them."""
    for has_parent in (False, True):
        batch = []
        for team in teams:
            if (team.parent is not None) != has_parent:
                continue
            head = team.members[0].row if team.has_head and team.members else None
            team.row = Team(
                name=team.name,
                kind=team.kind,
                unit_id=team.unit.row.pk,
                parent_id=team.parent.row.pk if team.parent else None,
                active_from=team.active_from,
                active_until=team.active_until,
                head_id=head.pk if head else None,
                search_name=fold(team.name),
                sort_name=sort_key(team.name),
            )
            batch.append(team.row)
        Team.objects.bulk_create(batch, batch_size=BATCH_SIZE)


def write_memberships(teams: list[PlannedTeam]) -> int:
    rows = [
        Membership(
            team_id=team.row.pk,
            user_id=member.row.pk,
            position=member.position,
            joined_on=member.joined_on,
            left_on=member.left_on,
        )
        for team in teams
        for member in team.members
    ]
    Membership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


class AlreadyGenerated(Exception):
    """The database already holds synthetic data."""


@dataclass(frozen=True)
class SyntheticProvince:
    """What the ground wrote, for each app's part (``<app>/demo/synthetic.py``, ``write(province)``)."""

    plan: Plan
    province: AdminUnit
    seed: int
    as_of: datetime.date
    # Options of the apps' parts, e.g. "dossiers_per_commune".
    options: dict[str, int] = field(default_factory=dict)

    @property
    def current_communes(self) -> int:
        return sum(1 for unit in self.plan.units if unit.level == AdminUnit.Level.COMMUNE and unit.current)

    def taken_usernames(self) -> set[str]:
        """The synthetic account names already in the database, without their prefix."""
        return {
            username.removeprefix(USERNAME_PREFIX)
            for username in User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
                "username", flat=True
            )
        }


@transaction.atomic
def generate(
    *,
    scale: int,
    seed: int,
    communes_per_scale: int = 100,
    as_of: datetime.date | None = None,
    options: dict[str, int] | None = None,
    timings: dict | None = None,
) -> Counter:
    """Write the synthetic province of ``plan(scale, seed)``, then each app's part; rows by kind.

    Each installed app with a ``demo.synthetic`` module adds its rows (dossiers, team activity…)
    through its ``write(province)``, in the order of INSTALLED_APPS, after the reference data they
    rest on. Their history ends the day before ``as_of`` (today by default). ``timings``, when
    given, receives the seconds each step took.
    """
    if AdminUnit.objects.filter(code=PROVINCE_CODE).exists():
        raise AlreadyGenerated(PROVINCE_CODE)
    timings = {} if timings is None else timings
    started = time.monotonic()

    def lap(step: str) -> None:
        nonlocal started
        now = time.monotonic()
        timings[step] = now - started
        started = now

    the_plan = plan(scale=scale, seed=seed, communes_per_scale=communes_per_scale)
    lap("plan")
    links = write_units(the_plan.units)
    lap("units")
    write_people(the_plan.teams)
    lap("people")
    write_teams(the_plan.teams)
    lap("teams")
    memberships = write_memberships(the_plan.teams)
    lap("memberships")
    load_reference_data()  # the procedures and the holidays the apps' parts need
    province = SyntheticProvince(
        plan=the_plan,
        province=AdminUnit.objects.get(code=PROVINCE_CODE),
        seed=seed,
        as_of=as_of or timezone.localdate(),
        options=options or {},
    )

    counts = Counter()
    for unit in the_plan.units:
        counts[f"{'current' if unit.current else 'former'} {unit.level}"] += 1
    counts["successor links"] = links
    for team in the_plan.teams:
        counts[f"{team.kind}"] += 1
    counts["people"] = sum(len(team.members) for team in the_plan.teams)
    counts["memberships"] = memberships
    for module in app_modules("demo.synthetic"):
        counts.update(module.write(province))
        lap(module.__name__.partition(".")[0])
    return counts
