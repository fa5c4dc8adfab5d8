"""Dossiers (hồ sơ): every request of an applicant to the programme, and their applicants."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from dossiers.models.procedures import Procedure, ProcedureVersion, Requirement
from portal.audit import audited
from portal.local_time import LocalDate
from portal.models.base import PortalModel
from portal.models.people import Team
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.text import fold
from portal.working_days import Calendar, add_working_days

# No 0/O or 1/I: the code is read out over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_dossier_code() -> str:
    """A code like ``HS-4K7M-9QX2``: 40 random bits, so codes cannot be guessed in sequence."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"HS-{body[:4]}-{body[4:]}"


class ApplicantQuerySet(models.QuerySet):
    def own_id(self, user) -> Subquery:
        """The id of ``user``'s own record (NULL when they have none) as a scalar subquery, for
        ``applicant_id=``: the database then reads the rows of that one applicant through the column's
        index. ``applicant_id__in`` a subquery, OR-ed with another condition, made PostgreSQL read every
        row (an applicant's dossiers at scale 10: 181 ms, and 0.5 ms with this)."""
        return Subquery(self.filter(user=user).order_by().values("pk")[:1])


@audited(exclude=["search_name"])
class Applicant(PortalModel):
    """A person or an enterprise that asks the programme for something."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ENTERPRISE = "enterprise", _("enterprise")

    kind = models.CharField(_("applicant is"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    full_name = models.CharField(_("full name"), max_length=150)
    enterprise_name = models.CharField(_("enterprise or household business name"), max_length=200, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    national_id = models.CharField(_("CCCD number"), max_length=12, blank=True)
    phone = models.CharField(_("phone number"), max_length=15)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="applicants"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicant",
    )
    consent_at = models.DateTimeField(_("consented to the processing of personal data at"))
    search_name = models.CharField(max_length=400, editable=False, db_index=True)

    objects = ApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.enterprise_name or self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.full_name} {self.enterprise_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def phone_last_four(self) -> str:
        digits = "".join(char for char in self.phone if char.isdigit())
        return digits[-4:]


class Deadline(models.TextChoices):
    """Where a dossier whose clock runs stands against its due date (or an inquiry against its reply date)."""

    OVERDUE = "overdue", _("Overdue")
    DUE_TODAY = "due_today", _("Due today")
    DUE_SOON = "due_soon", _("Due soon")


def deadline_conditions(on: datetime.date, *, calendar: Calendar | None = None) -> dict[str, Q]:
    """The one definition of a dossier's deadline on ``on``, a condition per ``Deadline``.

    Only a dossier whose clock runs has one (not a draft, nor one paused for a supplement, nor one
    closed). Due soon is due within ``DUE_SOON_WORKING_DAYS`` working days after ``on``, counted on
    ``calendar`` when one is already read.
    """
    soon = add_working_days(on, settings.DUE_SOON_WORKING_DAYS, calendar=calendar)
    running = Q(status__in=Dossier.CLOCK_RUNNING_STATUSES)
    return {
        Deadline.OVERDUE: running & Q(due_date__lt=on),
        Deadline.DUE_TODAY: running & Q(due_date=on),
        Deadline.DUE_SOON: running & Q(due_date__gt=on, due_date__lte=soon),
    }


# A decision counts as on time when made on or before its due date (local time), the date before
# an apology moved it, if any: an apology says sorry for being late, it does not make it on time.
DECIDED_ON_TIME: "LessThanOrEqual[bool]" = LessThanOrEqual(
    LocalDate("decided_at"), Coalesce(F("original_due_date"), F("due_date"))
)


def lists_drafts(user) -> bool:
    """Whether ``user``'s lists of dossiers show drafts: an applicant's do; an official's leave them out."""
    return not scope_for(user).readable_unit_ids


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DossierQuerySet":
        """Officials see the filed dossiers of the units in their scope; applicants their own.

        A draft is private until it is filed: only its applicant and whoever filed it (the officer
        at the desk) see it, so to every other official it does not exist.
        """

        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_for(user)
        # The applicant's own record by subquery, not a join: the filter stays on the dossier table.
        return self.filter(
            Q(unit_id__in=scope.readable_unit_ids, submitted_at__isnull=False)
            | Q(applicant_id=Applicant.objects.own_id(user))
            | Q(filed_by=user)
        )

    def submitted(self) -> "DossierQuerySet":
        return self.filter(submitted_at__isnull=False)

    def drafts(self) -> "DossierQuerySet":
        return self.filter(submitted_at__isnull=True)

    def running(self) -> "DossierQuerySet":
        """Dossiers whose clock runs: received or in progress (not paused for a supplement)."""
        return self.filter(status__in=Dossier.CLOCK_RUNNING_STATUSES)

    def listed_for(self, user) -> "DossierQuerySet":
        """What a list shows ``user`` of these: an official's lists leave drafts out, the ones they
        filed at the desk too, so a queue counts filed work only; an applicant's own lists show them."""
        return self if lists_drafts(user) else self.submitted()

    def with_deadline(self, on: datetime.date, *, calendar: Calendar | None = None) -> "DossierQuerySet":
        """Each dossier with ``deadline``: its ``Deadline`` on ``on``, or "" when it has none."""
        conditions = deadline_conditions(on, calendar=calendar)
        flags = [When(condition, then=Value(flag)) for flag, condition in conditions.items()]
        return self.annotate(deadline=Case(*flags, default=Value(""), output_field=models.CharField()))

    def at_deadline(
        self, flag: str, on: datetime.date, *, calendar: Calendar | None = None
    ) -> "DossierQuerySet":
        """The dossiers whose ``Deadline`` on ``on`` is ``flag``."""
        return self.filter(deadline_conditions(on, calendar=calendar)[flag])


@audited(exclude=["search_text"])
class Dossier(PortalModel):
    class Status(models.TextChoices):
        # The national public-service portal's statuses, in its order (1–10).
        NEW = "new", _("new")
        RECEIVED = "received", _("received")
        NOT_RECEIVED = "not_received", _("not received (refused at the desk)")
        IN_PROGRESS = "in_progress", _("in progress")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
        PAYMENT_REQUESTED = "payment_requested", _("payment requested")
        WITHDRAWN = "withdrawn", _("withdrawn")
        STOPPED = "stopped", _("stopped")
        DONE = "done", _("done")
        RESULT_RETURNED = "result_returned", _("result returned")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        IN_PERSON = "in_person", _("in person")
        POST = "post", _("by post")

    OPEN_STATUSES = frozenset(
        {
            Status.NEW,
            Status.RECEIVED,
            Status.IN_PROGRESS,
            Status.SUPPLEMENT_REQUESTED,
            Status.PAYMENT_REQUESTED,
        }
    )
    CLOCK_RUNNING_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.PAYMENT_REQUESTED})

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_dossier_code, editable=False)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="dossiers"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="filed_dossiers",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossiers"
    )
    handling_team = models.ForeignKey(
        Team,
        verbose_name=_("handling team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.NEW)
    summary = models.TextField(_("what the applicant asks for"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paused_on = models.DateField(_("clock paused on"), null=True, blank=True)
    apology_issued_at = models.DateTimeField(_("apology issued at"), null=True, blank=True)
    apology_reason = models.TextField(_("apology reason"), blank=True)
    original_due_date = models.DateField(_("due date before the apology"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)
    result_returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the service"), blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="dossier_unit_status"),
            # The deadlines, and the queue's tab counts, which read only these columns: the index alone
            # answers them, without a read of each row in scope.
            models.Index(
                fields=["status", "due_date", "unit", "submitted_at", "applicant", "filed_by"],
                name="dossier_status_due_scope",
            ),
            # The queue lists the newest filings first.
            models.Index(fields=["-submitted_at", "-id"], name="dossier_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="dossier_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.applicant.full_name} {self.applicant.enterprise_name}")[
            :500
        ]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def status_number(self) -> int:
        """The status's number on the national public-service portal (1–10)."""
        return list(self.Status.values).index(self.status) + 1


@audited(parent="dossier")
class DossierEvent(PortalModel):
    """One step of a dossier's life, shown to the applicant as its timeline."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=24, choices=Dossier.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Dossier.Status.choices, blank=True)
    action = models.CharField(_("action"), max_length=40)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.action}"


@audited(parent="dossier")
class SupplementRequest(PortalModel):
    """A round of asking the applicant for what is missing; the dossier's clock waits meanwhile."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="supplement_requests"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    missing = models.ManyToManyField(Requirement, verbose_name=_("missing documents"), related_name="+")
    note = models.TextField(_("what exactly is missing"))
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier", "round"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "round"], name="one_supplement_round_number"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(supplied_at__isnull=True), name="one_open_supplement_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.round}"
