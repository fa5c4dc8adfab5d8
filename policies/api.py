"""The policy library, the entitlements and the eligibility check for API clients.

Like the rest of the API these need a session or a token (the public has the web pages); the data
itself is public, so every signed-in caller sees all of it.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from dossiers.models import Procedure
from policies import eligibility
from policies.models import Entitlement, PolicyDocument
from portal.api.base import MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalAPIView, PortalViewSet
from portal.api.fields import DayField
from portal.api.filters import ChoiceParameter, QueryParameters, date_parameter, text_parameter
from portal.models.people import today

NOT_FOUND = OpenApiResponse(description="No such row.")


class PolicyDocumentSerializer(serializers.ModelSerializer):
    procedures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    is_in_force_today = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = PolicyDocument
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "issuer",
            "signed_on",
            "effective_from",
            "expires_on",
            "is_in_force_today",
            "summary",
            "tags",
            "procedures",
            "replaced_by",
            "file",
        ]
        read_only_fields = fields

    def get_is_in_force_today(self, document: PolicyDocument) -> bool:
        return document.is_in_force_on(today())

    def get_file(self, document: PolicyDocument) -> str | None:
        """The download address of the document's file, or null."""
        if not document.file:
            return None
        return reverse("policy_file", args=[document.pk])


class ConditionSerializer(serializers.Serializer):
    fact = serializers.CharField()
    op = serializers.CharField()
    value = serializers.JSONField()
    text = serializers.CharField(help_text="The condition in plain words.")


class EntitlementSerializer(serializers.ModelSerializer):
    conditions = serializers.SerializerMethodField()
    procedure = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The procedure to apply by, if any."
    )

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "code",
            "name",
            "description",
            "audience",
            "effective_from",
            "effective_until",
            "conditions",
            "governing_document",
            "procedure",
        ]
        read_only_fields = fields

    @extend_schema_field(ConditionSerializer(many=True))
    def get_conditions(self, entitlement: Entitlement) -> list[dict]:
        return [
            {
                "fact": condition.fact.name,
                "op": condition.op,
                "value": condition.value,
                "text": condition.describe(),
            }
            for condition in eligibility.validate_conditions(entitlement.conditions)
        ]


class PolicyParameters(QueryParameters):
    q = text_parameter("Number, title, issuer, summary or tags, ignoring case and diacritics.")
    kind = ChoiceParameter(
        choices=PolicyDocument.Kind.choices, required=False, help_text="The kind of document."
    )
    tag = text_parameter("Part of a tag.")
    in_force_on = date_parameter("Documents in force on this day (YYYY-MM-DD).")


class EntitlementParameters(QueryParameters):
    audience = ChoiceParameter(
        choices=Procedure.Audience.choices, required=False, help_text="Who the support is for."
    )
    in_force_on = date_parameter("Supports in force on this day (YYYY-MM-DD).")


@extend_schema(tags=["policies"])
@extend_schema_view(
    list=extend_schema(
        operation_id="policies_list",
        summary="Policy documents, newest first",
        parameters=[PolicyParameters],
        responses={200: PolicyDocumentSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="policies_retrieve",
        summary="One policy document",
        responses={200: PolicyDocumentSerializer, 403: NOT_SIGNED_IN, 404: NOT_FOUND},
    ),
)
class PolicyDocumentViewSet(PortalViewSet):
    serializer_class = PolicyDocumentSerializer

    def get_queryset(self):
        return PolicyDocument.objects.visible_to(self.request.user).prefetch_related("procedures")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = PolicyParameters.read(self.request)
        if parameters.get("q"):
            queryset = queryset.search(parameters["q"])
        if parameters.get("kind"):
            queryset = queryset.filter(kind=parameters["kind"])
        if parameters.get("tag"):
            queryset = queryset.filter(tags__icontains=parameters["tag"].strip())
        if parameters.get("in_force_on") is not None:
            queryset = queryset.in_force_on(parameters["in_force_on"])
        return queryset


@extend_schema(tags=["policies"])
@extend_schema_view(
    list=extend_schema(
        operation_id="entitlements_list",
        summary="Supports the programme offers, with their conditions in plain words",
        parameters=[EntitlementParameters],
        responses={200: EntitlementSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="entitlements_retrieve",
        summary="One support",
        responses={200: EntitlementSerializer, 403: NOT_SIGNED_IN, 404: NOT_FOUND},
    ),
)
class EntitlementViewSet(PortalViewSet):
    serializer_class = EntitlementSerializer

    def get_queryset(self):
        return Entitlement.objects.select_related("procedure")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = EntitlementParameters.read(self.request)
        if parameters.get("audience"):
            queryset = queryset.filter(audience=parameters["audience"])
        if parameters.get("in_force_on") is not None:
            queryset = queryset.in_force_on(parameters["in_force_on"])
        return queryset


class EligibilityRequestSerializer(serializers.Serializer):
    audience = ChoiceParameter(choices=Procedure.Audience.choices, help_text="Who is asking.")
    on = DayField(required=False, help_text="The day to check (YYYY-MM-DD); today if left out.")
    facts = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Facts by name: " + ", ".join(eligibility.FACTS) + ". A fact left out is not given.",
    )

    def validate_facts(self, facts: dict) -> dict:
        try:
            return eligibility.validate_facts(facts)
        except eligibility.RuleError as error:
            raise serializers.ValidationError(str(error)) from error


class ReasonSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_met = serializers.BooleanField()
    is_given = serializers.BooleanField()


class ResultSerializer(serializers.Serializer):
    entitlement = EntitlementSerializer()
    applies = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class EligibilityCheckView(PortalAPIView):
    @extend_schema(
        operation_id="eligibility_check",
        tags=["policies"],
        summary="Which supports apply to these facts on a day, and why",
        request=EligibilityRequestSerializer,
        responses={
            200: ResultSerializer(many=True),
            400: OpenApiResponse(
                description="A field or fact is missing, unknown or malformed; the body names it."
            ),
            403: NOT_SIGNED_IN,
        },
    )
    def post(self, request):
        body = EligibilityRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        results = eligibility.check(
            body.validated_data["facts"],
            body.validated_data.get("on") or today(),
            audience=body.validated_data["audience"],
        )
        return Response(ResultSerializer(results, many=True).data)
