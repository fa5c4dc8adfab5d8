"""How the demo writes: rows by natural key, through ``save()``, each one created, updated or unchanged.

The ground's part (``demo.ground``) and every app's part (``<app>/demo/``, ``build(writer)``) write
through one ``Writer``, so running the demo again changes nothing and says so.
"""

import datetime
from collections import Counter
from typing import Protocol

from django.db import models

from portal.models import AdminUnit, Membership, Team, User

EMAIL_DOMAIN = "khoinghiep.vinhlong.example"


class DemoPart(Protocol):
    """What an app's part of the demo did: ``<app>/demo`` has ``build(writer) -> DemoPart``."""

    def summary(self) -> list[str]:
        """Lines for the person who loaded the demo: what was created and what was already there."""


class Writer:
    """Creates or updates rows by natural key, through save(), and remembers what it did to each row.

    The rows that already exist are read once, up front, rather than one query per row.
    """

    _PRECEDENCE = {"unchanged": 0, "updated": 1, "created": 2}

    def __init__(self) -> None:
        self.outcomes: dict[tuple[str, int], str] = {}
        self.users = {user.username: user for user in User.objects.all()}
        self.teams = {(team.name, team.kind, team.unit_id): team for team in Team.objects.all()}
        self.memberships = {
            (membership.team_id, membership.user_id, membership.joined_on): membership
            for membership in Membership.objects.all()
        }

    @property
    def rows(self) -> Counter:
        """(model, outcome) -> number of rows; a row created and then completed counts as created."""
        return Counter((model, outcome) for (model, _pk), outcome in self.outcomes.items())

    def _record(self, instance: models.Model, outcome: str) -> None:
        key = (type(instance).__name__, instance.pk)
        previous = self.outcomes.get(key, "unchanged")
        self.outcomes[key] = max(previous, outcome, key=self._PRECEDENCE.__getitem__)

    def _create(self, instance: models.Model) -> None:
        instance.save()
        self._record(instance, "created")

    def change(self, instance: models.Model, values: dict) -> None:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=[name.removesuffix("_id") for name in changed])
        self._record(instance, "updated" if changed else "unchanged")

    def user(
        self, username: str, full_name: str, *, password: str | None = None, is_superuser: bool = False
    ) -> User:
        """A person; only demo logins get a password, the others cannot log in."""
        values = {"full_name": full_name, "is_staff": is_superuser, "is_superuser": is_superuser}
        if password is not None:
            values["email"] = f"{username}@{EMAIL_DOMAIN}"
        user = self.users.get(username)
        if user is not None:
            self.change(user, values)
            return user
        user = User(username=username, **values)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        self._create(user)
        self.users[username] = user
        return user

    def team(self, name: str, kind: str, unit: AdminUnit, **values) -> Team:
        team = self.teams.get((name, kind, unit.pk))
        if team is not None:
            self.change(team, values)
            return team
        team = Team(name=name, kind=kind, unit=unit, **values)
        self._create(team)
        self.teams[(name, kind, unit.pk)] = team
        return team

    def member(
        self, team: Team, user: User, position: str, joined_on: datetime.date, left_on=None
    ) -> Membership:
        values = {"position": position, "left_on": left_on}
        membership = self.memberships.get((team.pk, user.pk, joined_on))
        if membership is not None:
            self.change(membership, values)
            return membership
        membership = Membership(team=team, user=user, joined_on=joined_on, **values)
        self._create(membership)
        self.memberships[(team.pk, user.pk, joined_on)] = membership
        return membership

    def head(self, team: Team, user: User | None) -> None:
        self.change(team, {"head_id": user.pk if user else None})
