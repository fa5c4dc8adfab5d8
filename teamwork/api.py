"""The teams' activities in the API.

Every view starts from ``visible_to(request.user)``. An activity is recorded through
``portal.services.activities.record_activity`` for one of the caller's own active teams; the
unit and the commune team supported are checked against the caller's scope, and ids outside
it get the same answer as ids that do not exist.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from dossiers.api.serializers import TeamReferenceSerializer
from portal.api.base import MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.fields import DayField, IdRelatedField, WholeNumberField
from portal.api.filters import (
    INVALID_NUMBER,
    TOO_LONG,
    ChoiceParameter,
)
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.api.serializers import (
    DetailSerializer,
    OptionalChoiceField,
    PersonSerializer,
    UnitReferenceSerializer,
    choice_field,
)
from portal.models import AdminUnit, Team
from portal.scope import scope_for
from teamwork.access import recording_teams
from teamwork.filters import ActivityFilter
from teamwork.models import Activity, ActivityAttachment
from teamwork.services import record_activity

ACTIVITY_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such activity in the caller's scope."
)
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or the activity's rules refuse it "
    "(``detail`` says why)."
)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    team = TeamReferenceSerializer(read_only=True)
    unit = UnitReferenceSerializer(read_only=True)
    kind = choice_field(Activity.Kind)
    channel = OptionalChoiceField(Activity.Channel, help_text="Outreach: the channel; null for other kinds.")

    class Meta:
        model = Activity
        fields = ["id", "team", "kind", "held_on", "unit", "people_reached", "topics", "channel"]
        read_only_fields = fields


class ActivityDetailSerializer(ActivitySerializer):
    mass_organisation = OptionalChoiceField(Activity.MassOrganisation)
    review_kind = OptionalChoiceField(Activity.ReviewKind, help_text="Review meeting: interim or final.")
    supported_team = TeamReferenceSerializer(read_only=True, allow_null=True)
    recorded_by = PersonSerializer(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [
            *ActivitySerializer.Meta.fields,
            "notes",
            "mass_organisation",
            "mass_organisation_other",
            "supported_team",
            "review_kind",
            "lessons_learned",
            "counterpart",
            "recorded_by",
            "recorded_at",
            "attachments",
        ]
        read_only_fields = fields


def _text(help_text: str, name: str, *, required: bool = False) -> serializers.CharField:
    """Free text of at most what the model's field ``name`` holds, the page's limit too (teamwork/forms.py).

    An empty one is left to the service, whose refusal says what is expected.
    """
    return serializers.CharField(
        required=required,
        allow_blank=True,
        default="" if not required else serializers.empty,
        max_length=Activity._meta.get_field(name).max_length,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


def _choice(choices, help_text: str) -> ChoiceParameter:
    """A choice that may be left out, empty or null, all meaning none (``validate`` makes null "")."""
    return ChoiceParameter(
        choices=choices, required=False, allow_blank=True, allow_null=True, default="", help_text=help_text
    )


def _scoped_id(help_text: str, message, *, required: bool = True) -> IdRelatedField:
    return IdRelatedField(
        queryset=Team.objects.none(),
        required=required,
        allow_null=not required,
        default=None if not required else serializers.empty,
        help_text=help_text,
        error_messages={"does_not_exist": message, "incorrect_type": INVALID_NUMBER},
    )


# The choices that only some kinds of activity make.
OPTIONAL_CHOICES = ("channel", "mass_organisation", "review_kind")


class RecordActivitySerializer(serializers.Serializer):
    team = _scoped_id(
        "Id of one of the caller's active teams.", _("You are not an active member of a team with this id.")
    )
    kind = ChoiceParameter(choices=Activity.Kind.choices, help_text="What kind of activity it was.")
    held_on = DayField(help_text="The day it was held (YYYY-MM-DD).")
    unit = _scoped_id(
        "Id of the unit where it was held, in the team's area.", _("There is no unit with this id.")
    )
    people_reached = WholeNumberField.of(
        Activity._meta.get_field("people_reached"), help_text="How many people it reached."
    )
    topics = _text("The topics.", "topics", required=True)
    notes = _text("Notes.", "notes")
    channel = _choice(Activity.Channel.choices, "Outreach: the channel.")
    mass_organisation = _choice(
        Activity.MassOrganisation.choices, "Outreach through a mass organisation: which."
    )
    mass_organisation_other = _text(
        "The mass organisation's name when it is “other”.", "mass_organisation_other"
    )
    supported_team = _scoped_id(
        "Support visit: id of the commune team supported.",
        _("There is no team with this id."),
        required=False,
    )
    review_kind = _choice(Activity.ReviewKind.choices, "Review meeting: interim or final.")
    lessons_learned = _text("Review meeting: the lessons learned.", "lessons_learned")
    counterpart = _text("Consultation: the expert or organisation consulted.", "counterpart")

    def __init__(self, *args, user=None, **kwargs):
        """``user`` is the caller, whose teams and scope the ids are checked against (None: the schema)."""
        super().__init__(*args, **kwargs)
        if user is None:
            return
        scope = scope_for(user)
        self.fields["team"].queryset = recording_teams(user)
        self.fields["unit"].queryset = AdminUnit.objects.filter(pk__in=scope.writable_unit_ids)
        self.fields["supported_team"].queryset = Team.objects.filter(unit_id__in=scope.writable_unit_ids)

    def validate(self, data: dict) -> dict:
        # The service takes "" for a choice not made.
        return data | {name: data[name] or "" for name in OPTIONAL_CHOICES}


@extend_schema(tags=["activities"])
@extend_schema_view(
    list=extend_schema(
        operation_id="activities_list",
        summary="Activities in the caller's scope or of the caller's teams, latest first",
        responses={200: ActivitySerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="activities_retrieve",
        summary="One activity with its attachments",
        responses={200: ActivityDetailSerializer, 403: NOT_SIGNED_IN, 404: ACTIVITY_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="activities_create",
        summary="Record an activity of one of the caller's active teams",
        request=RecordActivitySerializer,
        responses={201: ActivityDetailSerializer, 400: REFUSED, 403: NOT_SIGNED_IN},
    ),
)
class ActivityViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActivityFilter

    def get_serializer_class(self):
        return ActivitySerializer if self.action == "list" else ActivityDetailSerializer

    def get_queryset(self):
        activities = Activity.objects.visible_to(self.request.user).select_related("team", "unit")
        if self.action == "list":
            return activities
        return activities.select_related("supported_team", "recorded_by").prefetch_related("attachments")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def create(self, request):
        body = RecordActivitySerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        activity = record_activity(by=request.user, **body.validated_data)
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(ActivityDetailSerializer(activity).data, status=status.HTTP_201_CREATED)
