"""Inquiries (vướng mắc): obstacles an applicant raises on a dossier, with a reply deadline."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from dossiers.models.dossiers import Deadline, Dossier
from portal.audit import audited
from portal.local_time import LocalDate
from portal.models.base import PortalModel
from portal.models.people import Team

# A reply counts as on time when given on or before its reply date (local time).
REPLIED_ON_TIME: "LessThanOrEqual[bool]" = LessThanOrEqual(LocalDate("replied_at"), F("reply_due"))


# How the replies went, as aggregates over any inquiries (an unanswered one is in none of them).
REPLY_MEASURES = {
    "answered": Count("pk", filter=Q(replied_at__isnull=False)),
    "on_time": Count("pk", filter=Q(replied_at__isnull=False) & Q(REPLIED_ON_TIME)),
    "mean_reply_time": Avg(F("replied_at") - F("raised_at"), output_field=models.DurationField()),
}


def reply_conditions(on: datetime.date) -> dict[str, Q]:
    """The one definition of an inquiry's deadline on ``on``: unanswered past its reply date, or due then."""
    unanswered = Q(replied_at__isnull=True)
    return {
        Deadline.OVERDUE: unanswered & Q(reply_due__lt=on),
        Deadline.DUE_TODAY: unanswered & Q(reply_due=on),
    }


class InquiryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InquiryQuerySet":
        """The inquiries on the dossiers ``user`` sees.

        Asked as a correlated EXISTS, so the database starts from the inquiries wanted (the few
        unanswered ones, say) and looks each one's dossier up, rather than walking every dossier the
        user sees first: on SQLite, at the size of a province, 2 ms instead of 100.
        """
        return self.filter(Exists(Dossier.objects.visible_to(user).filter(pk=OuterRef("dossier_id"))))

    def unanswered(self) -> "InquiryQuerySet":
        return self.filter(replied_at__isnull=True)

    def with_deadline(self, on: datetime.date) -> "InquiryQuerySet":
        """Each inquiry with ``deadline``: its ``Deadline`` on ``on``, or "" when it has none."""
        flags = [When(condition, then=Value(flag)) for flag, condition in reply_conditions(on).items()]
        return self.annotate(deadline=Case(*flags, default=Value(""), output_field=models.CharField()))

    def at_deadline(self, flag: str, on: datetime.date) -> "InquiryQuerySet":
        """The inquiries whose ``Deadline`` on ``on`` is ``flag``."""
        return self.filter(reply_conditions(on)[flag])

    def reply_measures(self) -> dict:
        """How the replies went: how many were answered, how many by their due date, the mean reply time."""
        return self.aggregate(**REPLY_MEASURES)


@audited(parent="dossier")
class Inquiry(PortalModel):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="inquiries"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    question = models.TextField(_("the obstacle"))
    reply_due = models.DateField(_("reply due"))
    team = models.ForeignKey(
        Team, verbose_name=_("answering team"), on_delete=models.PROTECT, related_name="inquiries"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            # The list's order: a reader's 50 latest are read along it, not sorted from the whole scope.
            models.Index(fields=["-raised_at", "-id"], name="inquiry_latest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | ~Q(reply=""), name="inquiry_reply_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.question[:40]}"
