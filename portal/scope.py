"""Scope: what a person may see and change.

A person's scope is the subtree of the units of the teams they belong to,
together with the units those units replaced (a commune formed in 2025 sees
the history of the communes merged into it). Council members, standing agency
officers and fund officers work across the province of their team.

The council and its boards oversee (``Team.OVERSEEING_KINDS``): their members
read everything in the province, and through those teams write nowhere, act as
no kind of team and manage no team. They process no dossier and see personal
data masked (dossiers/access.py). The standing agency runs the programme: it
writes across the province and manages the teams.

Membership of a team that has ended (the district teams ended with the
districts on 30 June 2025) still lets its members read their unit's history,
but no longer change it.

``User.scope`` (portal/models/people.py) computes it once per user object, so
once per request; every ``visible_to(user)`` reads it through ``scope_for``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    readable_unit_ids: frozenset[int]
    # Where the person may change things: the units of their active teams that act (not oversee).
    writable_unit_ids: frozenset[int]
    team_ids: frozenset[int]
    # The kinds of the active teams the person acts through; overseeing kinds are never among them.
    active_team_kinds: frozenset[str]
    # Through an active team working across the province (council, board, standing agency, fund).
    is_province_wide: bool = False
    # Through an active standing agency team: manages the teams in its writable units.
    manages_teams: bool = False
    # Through an active council or board team: decides what the council decides (a success model).
    oversees: bool = False


EMPTY_SCOPE = Scope(frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user) -> Scope:
    """The user's scope; nobody signed in (or a user without teams) has the empty scope."""
    if not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    return getattr(user, "scope", EMPTY_SCOPE)
