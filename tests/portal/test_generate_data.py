"""generate_data: a synthetic province, deterministic for a seed, never in production."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from portal import synthetic
from portal.models import AdminUnit, AuditRecord, Membership, Team, User
from portal.scope import scope_for
from portal.text import fold, sort_key

FORMER_UNTIL = datetime.date(2025, 6, 30)
REFORM_DATE = datetime.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_data", *arguments, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything generated, by natural values rather than primary keys."""
    units = {unit.pk: unit.code for unit in AdminUnit.objects.all()}
    users = {user.pk: user.username for user in User.objects.all()}
    teams = {team.pk: team.name for team in Team.objects.all()}
    return (
        sorted(
            (
                unit.code,
                unit.name,
                unit.kind,
                unit.level,
                units.get(unit.parent_id),
                unit.valid_from,
                unit.valid_until,
            )
            for unit in AdminUnit.objects.all()
        ),
        sorted(
            (units[link.from_adminunit_id], units[link.to_adminunit_id])
            for link in AdminUnit.successors.through.objects.all()
        ),
        sorted(User.objects.values_list("username", "full_name")),
        sorted(
            (
                team.name,
                team.kind,
                units[team.unit_id],
                users.get(team.head_id),
                team.active_from,
                team.active_until,
            )
            for team in Team.objects.all()
        ),
        sorted(
            (teams[m.team_id], users[m.user_id], m.position, m.joined_on, m.left_on)
            for m in Membership.objects.all()
        ),
    )


def test_a_small_province_with_history_teams_and_people():
    output = generate("--scale", "1", "--communes", "12", "--seed", "7")

    assert list(
        AdminUnit.objects.filter(level="province").order_by("code").values_list("code", "valid_until")
    ) == [
        ("SP0", None),
        ("SP1", FORMER_UNTIL),
        ("SP2", FORMER_UNTIL),
    ]
    current = AdminUnit.objects.filter(level="commune", valid_until=None)
    assert current.count() == 12
    assert AdminUnit.objects.filter(level="district").count() == 2  # one for every 6 current communes
    former = AdminUnit.objects.filter(level="commune", valid_until=FORMER_UNTIL)
    assert 24 <= former.count() <= 48  # two to four former communes for each current one
    assert not former.filter(successors=None).exists()
    assert not current.filter(predecessors=None).exists()
    assert not AdminUnit.objects.exclude(code__startswith="S").exists()
    # bulk_create skipped save(): the derived columns were set by hand, and must agree with save().
    for unit in AdminUnit.objects.all():
        assert (unit.search_name, unit.sort_name) == (fold(unit.name), sort_key(unit.name))
    for team in Team.objects.all():
        assert (team.search_name, team.sort_name) == (fold(team.name), sort_key(team.name))

    assert Team.objects.filter(kind=Team.Kind.COUNCIL).count() == 1
    assert Team.objects.filter(kind=Team.Kind.COUNCIL_BOARD, parent__kind=Team.Kind.COUNCIL).count() == 3
    assert Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM, active_until=FORMER_UNTIL).count() == 2
    current_teams = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None)
    assert set(current_teams.values_list("unit__code", flat=True)) == set(
        current.values_list("code", flat=True)
    )
    for team in current_teams:
        assert team.memberships.count() in {0, 3, 4, 5, 6, 7, 8}
        assert team.head_id is None or team.memberships.filter(user_id=team.head_id, left_on=None).exists()
    # One person per membership, none able to log in.
    assert User.objects.count() == Membership.objects.count()
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert not User.objects.exclude(username__startswith="sx").exists()
    # No membership ends after its team or in the future of the data.
    assert not Membership.objects.filter(left_on__gt=FORMER_UNTIL).exists()
    # bulk_create writes no audit records.
    assert not AuditRecord.objects.exists()
    assert "Synthetic data, scale 1, seed 7: done in" in output
    assert re.search(r"^  current commune +12$", output, re.MULTILINE)


def test_scope_works_on_synthetic_data():
    generate("--communes", "6", "--seed", "3")
    council = Team.objects.get(kind=Team.Kind.COUNCIL)
    assert scope_for(council.head).readable_unit_ids == frozenset(
        AdminUnit.objects.values_list("pk", flat=True)
    )
    team = Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None).exclude(head=None).first()
    ward = team.unit
    assert scope_for(team.head).readable_unit_ids == {
        ward.pk,
        *ward.predecessors.values_list("pk", flat=True),
    }


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    with transaction.atomic():
        generate("--communes", "8", "--seed", "11")
        first = snapshot()
        transaction.set_rollback(True)
    assert not AdminUnit.objects.exists()
    with transaction.atomic():
        generate("--communes", "8", "--seed", "11")
        assert snapshot() == first
        transaction.set_rollback(True)
    generate("--communes", "8", "--seed", "12")
    other = snapshot()
    assert other[0] != first[0]  # other place names
    assert other[2] != first[2]  # other people


def test_scale_multiplies_communes_teams_and_people():
    generate("--scale", "3", "--communes", "4", "--seed", "5")
    assert AdminUnit.objects.filter(level="commune", valid_until=None).count() == 12
    assert Team.objects.filter(kind=Team.Kind.COMMUNE_TEAM, active_until=None).count() == 12
    assert AdminUnit.objects.filter(level="district").count() == 2


def test_the_plan_at_scale_one_is_the_size_of_a_province():
    plan = synthetic.plan(scale=1, seed=2016)
    communes = [unit for unit in plan.units if unit.level == "commune" and unit.current]
    commune_teams = [
        team for team in plan.teams if team.kind == Team.Kind.COMMUNE_TEAM and team.active_until is None
    ]
    assert len(communes) == len(commune_teams) == 100
    sizes = [len(team.members) for team in commune_teams if team.members]
    assert min(sizes) == 3
    assert max(sizes) == 8
    assert 500 <= sum(len(team.members) for team in plan.teams) <= 1500
    assert len(synthetic.plan(scale=10, seed=2016).units) > 9 * len(plan.units)


def test_refused_a_second_time():
    generate("--communes", "3")
    with pytest.raises(CommandError, match=r"already holds synthetic data \(province SP0\)"):
        generate("--communes", "3")


def test_refused_in_production_and_nothing_written(settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(
        CommandError, match="Synthetic data belongs only in a demo or test database; this one is production"
    ):
        generate("--communes", "3")
    assert not AdminUnit.objects.exists()
    assert not User.objects.exists()


def test_vietnamese_names_look_vietnamese():
    import random

    rng = random.Random(1)
    names = [synthetic.vietnamese_name(rng) for _ in range(200)]
    families = [name.split()[0] for name in names]
    assert families.count("Nguyễn") > families.count("Trần") > 0
    assert all(3 <= len(name.split()) <= 4 for name in names)
    taken: set[str] = set()
    assert synthetic.login_name("Nguyễn Văn An", taken) == "annv"
    assert synthetic.login_name("Nguyễn Văn An", taken) == "annv2"
    assert synthetic.login_name("Đặng Thị Ánh Tuyết", taken) == "tuyetdta"
