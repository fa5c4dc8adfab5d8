"""People and the teams they work in."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.units import AdminUnit, subtree_unit_ids
from portal.periods import covers, in_force_on
from portal.scope import Scope, scope_for
from portal.text import SORT_KEY_LENGTH, fold, sort_key


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    @cached_property
    def scope(self) -> Scope:
        """What this person may see and change (portal/scope.py), computed once per user object."""
        return _scope_of(self)


def today() -> datetime.date:
    return timezone.localdate()


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TeamQuerySet":
        scope = scope_for(user)
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | Q(pk__in=scope.team_ids))

    def active_on(self, day: datetime.date) -> "TeamQuerySet":
        return self.filter(in_force_on(day, start="active_from", end="active_until"))

    def search(self, text: str) -> "TeamQuerySet":
        needle = fold(text)
        return self.filter(search_name__contains=needle) if needle else self

    def in_vietnamese_order(self) -> "TeamQuerySet":
        return self.order_by("sort_name", "pk")


@audited(exclude=["search_name", "sort_name"])
class Team(PortalModel):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("advisory council")
        COUNCIL_BOARD = "council_board", _("council board")
        STANDING_AGENCY = "standing_agency", _("standing agency")
        FUND = "fund", _("startup investment fund")
        DISTRICT_TEAM = "district_team", _("district investment promotion and startup team")
        COMMUNE_TEAM = "commune_team", _("commune investment and startup support team")

    # Kinds whose members work across the whole province of their unit.
    PROVINCE_WIDE_KINDS = frozenset({Kind.COUNCIL, Kind.COUNCIL_BOARD, Kind.STANDING_AGENCY, Kind.FUND})
    # Kinds whose members oversee: they read everything in their scope, with personal data masked,
    # and through these teams change nothing (no dossier step, no filing, no team, no activity).
    OVERSEEING_KINDS = frozenset({Kind.COUNCIL, Kind.COUNCIL_BOARD})
    # Kinds whose active members manage the teams in their scope; the standing agency runs the
    # programme day to day (the council oversees it and manages nothing).
    MANAGING_KINDS = frozenset({Kind.STANDING_AGENCY})
    # The district and commune teams that support people on the ground (their evenness is measured).
    SUPPORT_KINDS = (Kind.DISTRICT_TEAM, Kind.COMMUNE_TEAM)

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_teams",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    head = models.ForeignKey(
        User,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_teams",
    )
    members: "models.ManyToManyField[User, Membership]" = models.ManyToManyField(
        User, through="Membership", related_name="teams", verbose_name=_("members")
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sort_name = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_from__lte=models.F("active_until")),
                name="team_activity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        self.sort_name = sort_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "sort_name"}
        super().save(*args, **kwargs)

    def is_active_on(self, day: datetime.date) -> bool:
        return covers(day, self.active_from, self.active_until)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(today())


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "MembershipQuerySet":
        return self.filter(in_force_on(day, start="joined_on", end="left_on"))


@audited(parent="team")
class Membership(PortalModel):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"

    @property
    def is_active(self) -> bool:
        day = today()
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or day <= self.left_on
        )


def _scope_of(user: User) -> Scope:
    """The units and teams ``user`` works with today, from their current memberships (one query, and
    one more per province-wide team to find its province), and the subtrees of those units (one each).

    A team of an overseeing kind (the council and its boards) adds to what its members read, never
    to where they write or to the kinds they act as."""
    day = today()
    memberships = list(
        Membership.objects.active_on(day)
        .filter(user=user)
        .values_list("team_id", "team__kind", "team__unit_id", "team__active_from", "team__active_until")
    )
    read_roots, write_roots, acting_kinds, overseen_kinds = set(), set(), set(), set()
    for _team_id, kind, unit_id, active_from, active_until in memberships:
        if kind in Team.PROVINCE_WIDE_KINDS:
            unit_id = AdminUnit.objects.only("parent_id", "level").get(pk=unit_id).province_id()
        read_roots.add(unit_id)
        if not covers(day, active_from, active_until):
            continue
        if kind in Team.OVERSEEING_KINDS:
            overseen_kinds.add(kind)
        else:
            acting_kinds.add(kind)
            write_roots.add(unit_id)
    readable = subtree_unit_ids(read_roots)
    writable = readable if write_roots == read_roots else subtree_unit_ids(write_roots)
    return Scope(
        readable_unit_ids=readable,
        writable_unit_ids=writable,
        team_ids=frozenset(team_id for team_id, *_ in memberships),
        active_team_kinds=frozenset(acting_kinds),
        is_province_wide=bool((acting_kinds | overseen_kinds) & Team.PROVINCE_WIDE_KINDS),
        manages_teams=bool(acting_kinds & Team.MANAGING_KINDS),
        oversees=bool(overseen_kinds),
    )
