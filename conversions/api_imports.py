"""The import of a commune's list of household businesses in the API: upload, preview, confirm.

Every view starts from ``HouseholdBusinessImport.objects.visible_to``: an import outside the caller's
scope is 404, confirming one the caller sees but may not change 403. Uploading calls
``conversions.services.imports.start_import`` (201 with the preview, or 202 while a long list is read
in the background) and confirming ``confirm_import`` (409 the second time); their refusals answer
``{detail, code}`` in the caller's language through the one exception handler.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from conversions.access import get_import_for_user
from conversions.forms.imports import importable_units
from conversions.models import HouseholdBusinessImport
from conversions.services.import_texts import Level, RowAction
from conversions.services.imports import confirm_import, is_writing, start_import
from portal.api.base import CONFLICT, NOT_SIGNED_IN, PortalViewSet
from portal.api.fields import IdRelatedField
from portal.api.filters import INVALID_NUMBER, ChoiceParameter
from portal.api.serializers import DetailSerializer, PersonSerializer, UnitReferenceSerializer, choice_field
from portal.models import AdminUnit

IMPORT_OUTSIDE_SCOPE = OpenApiResponse(DetailSerializer, description="No such import in the caller's scope.")
NOT_WRITABLE = OpenApiResponse(
    DetailSerializer, description="The caller sees the import but may not change its commune's registry."
)
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field), or the file is refused: too large, "
    "empty, not a spreadsheet, without the template's headings (``detail`` says why; nothing is kept)."
)


class ProblemSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, help_text="An error keeps the row out.")
    column = serializers.CharField(help_text="The column's key; empty for the row as a whole.")
    heading = serializers.CharField(help_text="The column's heading in the template (Vietnamese).")
    message = serializers.CharField(help_text="What is wrong, in the uploader's language.")


class ChangeSerializer(serializers.Serializer):
    column = serializers.CharField()
    heading = serializers.CharField()
    before = serializers.CharField(help_text="The registry's value, as shown.")
    after = serializers.CharField(help_text="The file's value, as shown.")


class PreviewRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the file, as Excel numbers it.")
    action = serializers.ChoiceField(choices=RowAction.choices, help_text="What confirming does with it.")
    name = serializers.CharField()
    registration_number = serializers.CharField()
    commune = serializers.CharField(help_text="The commune the row is recorded in, or the name it gives.")
    problems = ProblemSerializer(many=True)
    changes = ChangeSerializer(many=True, help_text="A row already in the registry: what differs.")


class CountsSerializer(serializers.Serializer):
    add = serializers.IntegerField()
    update = serializers.IntegerField()
    skip = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)
    status = choice_field(HouseholdBusinessImport.Status)
    on_duplicate = choice_field(HouseholdBusinessImport.OnDuplicate)
    uploaded_by = PersonSerializer(read_only=True)
    confirmed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = HouseholdBusinessImport
        fields = [
            "id",
            "unit",
            "original_name",
            "status",
            "on_duplicate",
            "rows_total",
            "rows_read",
            "rows_added",
            "rows_updated",
            "rows_skipped",
            "uploaded_by",
            "uploaded_at",
            "confirmed_by",
            "confirmed_at",
        ]
        read_only_fields = fields


class ImportDetailSerializer(ImportSerializer):
    writing = serializers.SerializerMethodField(
        help_text="Confirmed, its rows being written by a task: the status turns to confirmed when done."
    )
    counts = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta(ImportSerializer.Meta):
        fields = [*ImportSerializer.Meta.fields, "writing", "error", "counts", "rows"]
        read_only_fields = fields

    def get_writing(self, upload: HouseholdBusinessImport) -> bool:
        return is_writing(upload)

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_counts(self, upload: HouseholdBusinessImport):
        return upload.preview.get("counts")

    @extend_schema_field(PreviewRowSerializer(many=True))
    def get_rows(self, upload: HouseholdBusinessImport) -> list[dict]:
        # What the service keeps to write a row is its own business, not the preview's.
        return [
            {key: value for key, value in row.items() if key != "write"}
            for row in upload.preview.get("rows", [])
        ]


class UploadImportSerializer(serializers.Serializer):
    unit = IdRelatedField(
        queryset=AdminUnit.objects.none(),
        help_text="Id of a current commune or ward whose registry the caller keeps.",
        error_messages={
            "does_not_exist": _("You may import the list of your own commune only."),
            "incorrect_type": INVALID_NUMBER,
        },
    )
    # Size, emptiness and content are the service's to check, with its own messages.
    file = serializers.FileField(
        allow_empty_file=True, use_url=False, help_text="The list: an Excel workbook (.xlsx) or a CSV file."
    )
    on_duplicate = ChoiceParameter(
        choices=HouseholdBusinessImport.OnDuplicate.choices,
        required=False,
        default=HouseholdBusinessImport.OnDuplicate.SKIP,
        help_text="Rows already in the registry: skip them (default) or update the registry from the file.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["unit"].queryset = importable_units(user)


@extend_schema(tags=["household business imports"])
@extend_schema_view(
    list=extend_schema(
        operation_id="household_business_imports_list",
        summary="Imports of household businesses in the caller's scope, latest first",
        responses={200: ImportSerializer(many=True), 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="household_business_imports_retrieve",
        summary="One import with its preview: every row's action and problems",
        responses={200: ImportDetailSerializer, 403: NOT_SIGNED_IN, 404: IMPORT_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="household_business_imports_create",
        summary="Upload a commune's list and preview it; nothing is written to the registry",
        request={"multipart/form-data": UploadImportSerializer},
        responses={
            201: OpenApiResponse(ImportDetailSerializer, description="Previewed."),
            202: OpenApiResponse(
                ImportDetailSerializer,
                description="A long list: status ``reading`` while it is previewed in the background.",
            ),
            400: REFUSED,
            403: NOT_SIGNED_IN,
        },
    ),
)
class HouseholdBusinessImportViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [MultiPartParser]

    def get_serializer_class(self):
        return ImportSerializer if self.action == "list" else ImportDetailSerializer

    def get_queryset(self):
        imports = HouseholdBusinessImport.objects.visible_to(self.request.user).select_related(
            "unit", "uploaded_by", "confirmed_by"
        )
        return imports.defer("preview") if self.action == "list" else imports

    def create(self, request):
        body = UploadImportSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = start_import(
            by=request.user, unit=data["unit"], upload=data["file"], on_duplicate=data["on_duplicate"]
        )
        reading = upload.status == HouseholdBusinessImport.Status.READING
        return Response(
            ImportDetailSerializer(self.get_queryset().get(pk=upload.pk)).data,
            status=status.HTTP_202_ACCEPTED if reading else status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="household_business_imports_confirm",
        summary="Write the previewed rows to the registry, once",
        request=None,
        responses={
            200: OpenApiResponse(ImportDetailSerializer, description="Written."),
            202: OpenApiResponse(
                ImportDetailSerializer, description="A long list: ``writing`` while a task writes its rows."
            ),
            400: OpenApiResponse(DetailSerializer, description="A rule refuses it (``detail`` says why)."),
            403: NOT_WRITABLE,
            404: IMPORT_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="confirm", url_name="confirm")
    def confirm(self, request, pk: int):
        upload = confirm_import(upload=get_import_for_user(request.user, pk, for_write=True), by=request.user)
        upload = self.get_queryset().get(pk=upload.pk)
        return Response(
            ImportDetailSerializer(upload).data,
            status=status.HTTP_202_ACCEPTED if is_writing(upload) else status.HTTP_200_OK,
        )
