"""The units' targets in the API: read-only, in the caller's scope; admins set them in the Django admin."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from portal.api.base import MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalGenericViewSet
from portal.api.fields import WholeNumberField
from portal.api.filters import ChoiceParameter, QueryParameters, id_parameter
from portal.api.serializers import UnitReferenceSerializer
from portal.bounds import FIRST_DAY, LAST_DAY
from portal.models import Target
from portal.target_measures import measure_choices


class TargetParameters(QueryParameters):
    unit = id_parameter("Id of the unit.")
    year = WholeNumberField(
        min_value=FIRST_DAY.year, max_value=LAST_DAY.year, required=False, help_text="The year."
    )
    measure = ChoiceParameter(choices=measure_choices(), required=False, help_text="The measure.")


class TargetSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)

    class Meta:
        model = Target
        fields = ["id", "unit", "year", "measure", "value"]
        read_only_fields = fields


@extend_schema(tags=["activities"])
@extend_schema_view(
    list=extend_schema(
        operation_id="targets_list",
        summary="Annual targets of the units in the caller's scope",
        parameters=[TargetParameters],
        responses={200: TargetSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
)
class TargetViewSet(mixins.ListModelMixin, PortalGenericViewSet):
    serializer_class = TargetSerializer

    def get_queryset(self):
        return Target.objects.visible_to(self.request.user).select_related("unit")

    def filter_queryset(self, queryset):
        parameters = TargetParameters.read(self.request)
        for name in ("unit", "year"):
            if parameters.get(name) is not None:
                queryset = queryset.filter(**{f"{name}_id" if name == "unit" else name: parameters[name]})
        if parameters.get("measure"):
            queryset = queryset.filter(measure=parameters["measure"])
        return queryset
