from portal.models import AdminUnit, Team
from portal.models.units import subtree_unit_ids
from portal.scope import scope_for
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory


def ids(*objects):
    return {obj.pk for obj in objects}


def test_commune_officer_sees_only_their_commune(cast):
    assert set(AdminUnit.objects.visible_to(cast.commune_officer)) == {cast.units.commune}
    assert set(Team.objects.visible_to(cast.commune_officer)) == {cast.teams.commune}


def test_district_officer_sees_their_district_and_its_communes(cast):
    assert set(AdminUnit.objects.visible_to(cast.district_officer)) == {
        cast.units.district,
        cast.units.commune,
    }
    assert set(Team.objects.visible_to(cast.district_officer)) == {cast.teams.district, cast.teams.commune}


def test_council_standing_agency_and_fund_see_the_province(cast):
    everything = set(AdminUnit.objects.all())
    for user in (cast.council_member, cast.standing_officer, cast.fund_officer):
        assert set(AdminUnit.objects.visible_to(user)) == everything
        assert Team.objects.visible_to(user).count() == 7


def test_applicant_and_anonymous_see_nothing(cast, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not AdminUnit.objects.visible_to(cast.applicant).exists()
    assert not Team.objects.visible_to(AnonymousUser()).exists()


def test_merged_commune_inherits_the_history_of_its_predecessors(cast):
    new_commune = AdminUnitFactory(code="99301", name="Xã Mới", parent=cast.units.province)
    cast.units.commune.successors.add(new_commune)
    assert subtree_unit_ids({new_commune.pk}) == ids(new_commune, cast.units.commune)


def test_ended_team_gives_read_but_not_write(cast):
    import datetime

    team = cast.teams.district
    team.active_until = datetime.date(2025, 6, 30)
    team.save(update_fields=["active_until"])
    scope = scope_for(cast.district_officer)
    assert scope.readable_unit_ids == ids(cast.units.district, cast.units.commune)
    assert scope.writable_unit_ids == frozenset()


def test_ended_membership_gives_nothing(cast):
    import datetime

    membership = cast.teams.commune.memberships.get(user=cast.commune_officer)
    membership.left_on = datetime.date(2024, 1, 1)
    membership.save(update_fields=["left_on"])
    assert scope_for(cast.commune_officer).readable_unit_ids == frozenset()


def test_the_council_and_its_boards_read_the_province_and_write_nowhere(cast):
    board = TeamFactory(
        name="Ban Tài chính của Hội đồng",
        kind=Team.Kind.COUNCIL_BOARD,
        unit=cast.units.province,
        parent=cast.teams.council,
    )
    board_member = MembershipFactory(team=board).user
    everything = frozenset(AdminUnit.objects.values_list("pk", flat=True))
    for user in (cast.council_member, board_member):
        scope = scope_for(user)
        assert (scope.readable_unit_ids, scope.writable_unit_ids) == (everything, frozenset())
        assert (scope.active_team_kinds, scope.manages_teams, scope.is_province_wide) == (
            frozenset(),
            False,
            True,
        )


def test_the_standing_agency_runs_the_programme_and_manages_the_teams(cast):
    scope = scope_for(cast.standing_officer)
    everything = frozenset(AdminUnit.objects.values_list("pk", flat=True))
    assert scope.writable_unit_ids == everything
    assert (scope.active_team_kinds, scope.manages_teams) == (frozenset({Team.Kind.STANDING_AGENCY}), True)


def test_a_council_member_who_also_works_in_a_commune_team_writes_there_only(cast):
    MembershipFactory(team=cast.teams.commune, user=cast.council_member)
    scope = scope_for(cast.council_member)
    assert scope.readable_unit_ids == frozenset(AdminUnit.objects.values_list("pk", flat=True))
    assert scope.writable_unit_ids == ids(cast.units.commune)
    assert (scope.active_team_kinds, scope.manages_teams) == (frozenset({Team.Kind.COMMUNE_TEAM}), False)
