"""What the support teams do: activities, with their photos or minutes."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.people import Team
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.text import fold


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActivityQuerySet":
        """Activities held in the units of the user's scope, or by a team the user belongs to."""

        scope = scope_for(user)
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | Q(team_id__in=scope.team_ids))

    def between(self, first, last) -> "ActivityQuerySet":
        return self.filter(held_on__range=(first, last))


@audited(exclude=["search_text"])
class Activity(PortalModel):
    class Kind(models.TextChoices):
        OUTREACH = "outreach", _("outreach event")
        TRAINING = "training", _("training")
        SUPPORT_VISIT = "support_visit", _("support visit to a commune team")
        REVIEW_MEETING = "review_meeting", _("review meeting")
        CONSULTATION = "consultation", _("consultation with experts or support organisations")

    class Channel(models.TextChoices):
        MEETING = "meeting", _("meeting")
        LOUDSPEAKER = "loudspeaker", _("loudspeaker")
        RADIO_TV = "radio_tv", _("radio or TV")
        SOCIAL_MEDIA = "social_media", _("social media")
        LEAFLET = "leaflet", _("leaflet")
        MARKET_STALL = "market_stall", _("market stall")
        MASS_ORGANISATION = "mass_organisation", _("through a mass organisation")

    class MassOrganisation(models.TextChoices):
        WOMENS_UNION = "womens_union", _("Women's Union")
        YOUTH_UNION = "youth_union", _("Youth Union")
        FARMERS_ASSOCIATION = "farmers_association", _("Farmers' Association")
        VETERANS_ASSOCIATION = "veterans_association", _("Veterans' Association")
        OTHER = "other", _("other")

    class ReviewKind(models.TextChoices):
        INTERIM = "interim", _("interim review (sơ kết)")
        FINAL = "final", _("final review (tổng kết)")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("where"), on_delete=models.PROTECT, related_name="activities"
    )
    people_reached = models.PositiveIntegerField(
        _("people reached"), default=0, validators=[MinValueValidator(0)]
    )
    topics = models.CharField(_("topics"), max_length=300)
    # The page's form, the API and the admin all take at most this much (the page used to take any).
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    channel = models.CharField(_("outreach channel"), max_length=20, choices=Channel.choices, blank=True)
    mass_organisation = models.CharField(
        _("mass organisation"), max_length=24, choices=MassOrganisation.choices, blank=True
    )
    mass_organisation_other = models.CharField(_("other mass organisation"), max_length=150, blank=True)
    supported_team = models.ForeignKey(
        Team,
        verbose_name=_("commune team supported"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_visits_received",
    )
    review_kind = models.CharField(_("review"), max_length=10, choices=ReviewKind.choices, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True, max_length=5000)
    counterpart = models.CharField(_("expert or organisation consulted"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "held_on"], name="activity_team_day"),
            models.Index(fields=["unit", "held_on"], name="activity_unit_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="support_visit") | Q(supported_team__isnull=False),
                name="support_visit_names_the_team_supported",
            ),
            models.CheckConstraint(
                condition=~Q(kind="review_meeting") | ~Q(review_kind=""), name="review_meeting_has_its_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="outreach") | ~Q(channel=""), name="outreach_has_a_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}: {self.topics[:60]}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.topics} {self.notes} {self.counterpart}")[:500]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


@audited(parent="activity")
class ActivityAttachment(PortalModel):
    """Photos or minutes of an activity, checked like dossier documents."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.original_name
