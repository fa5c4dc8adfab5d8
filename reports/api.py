"""Review reports in the API: the list and one report, its files, asking for one, its progress.

Every view starts from ``ReviewReport.objects.visible_to(request.user)``. Asking for a report goes
through the same form and service as the page, so the API and the page accept and refuse alike.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from portal.api.base import MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.filters import ChoiceParameter, QueryParameters, id_parameter
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.api.serializers import DetailSerializer, PersonSerializer, UnitReferenceSerializer
from reports import presentation
from reports.access import may_request_reports
from reports.files import FILE_TYPES, can_download, file_response
from reports.forms import RequestReportForm
from reports.models import ReviewReport
from reports.periods import PeriodKind
from reports.services import request_report

OUTSIDE_SCOPE = OpenApiResponse(DetailSerializer, description="No such report in the caller's scope.")
NOT_READY = OpenApiResponse(
    DetailSerializer,
    description="No such report in the caller's scope, no such format, or it is not built yet.",
)


class ReportSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    is_final = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReviewReport
        fields = [
            "id",
            "unit",
            "period_kind",
            "period_first",
            "period_last",
            "period_label",
            "version",
            "status",
            "progress",
            "built_at",
            "is_final",
        ]
        read_only_fields = fields


def translated_section(section: dict) -> dict:
    """A stored section with its titles, labels, text cells and flags in the active language.

    The report is stored with untranslated messages; the page, the DOCX and the XLSX translate them
    through reports/presentation.py, and so does the API, so all four read alike.
    """
    text = presentation.translated

    def cells(values: list, formats: list[str]) -> list:
        return [
            text(value) if format == "text" and isinstance(value, str) else value
            for value, format in zip(values, formats, strict=True)
        ]

    def table(stored: dict) -> dict:
        formats = [column["format"] for column in stored["columns"]]
        total = stored.get("total")
        return {
            **stored,
            "title": text(stored["title"]),
            "columns": [{**column, "label": text(column["label"])} for column in stored["columns"]],
            "rows": [{**row, "cells": cells(row["cells"], formats)} for row in stored["rows"]],
            # The total's first cell is its label, whatever the first column holds.
            "total": None if total is None else cells(total, ["text", *formats[1:]]),
        }

    def chart(stored: dict) -> dict:
        return {
            **stored,
            "title": text(stored["title"]),
            "categories": [text(category) for category in stored["categories"]],
            "series": [{**series, "label": text(series["label"])} for series in stored["series"]],
        }

    return {
        **section,
        "title": text(section["title"]),
        "measures": [{**measure, "label": text(measure["label"])} for measure in section["measures"]],
        "tables": [table(stored) for stored in section["tables"]],
        "charts": [chart(stored) for stored in section["charts"]],
        "flags": [{**flag, "message": presentation.flag_text(flag)} for flag in section["flags"]],
    }


class TranslatedSectionsField(serializers.ListField):
    def to_representation(self, sections: list[dict]) -> list[dict]:
        return [translated_section(section) for section in sections]


class ReportDetailSerializer(ReportSerializer):
    requested_by = PersonSerializer(read_only=True, allow_null=True)
    finalised_by = PersonSerializer(read_only=True, allow_null=True)
    sections = TranslatedSectionsField(
        child=serializers.DictField(),
        read_only=True,
        help_text="The figures as built: each section's measures (with the previous period and the target), "
        "tables, charts and flags, in the shape of reports/sections.py. Titles, labels, text cells and "
        "flags are in the caller's language (Vietnamese unless Accept-Language asks for English); "
        "values are numbers, ISO dates or text as stored.",
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "requested_by",
            "requested_at",
            "number",
            "lessons_learned",
            "recommendations",
            "finalised_at",
            "finalised_by",
            "sections",
        ]
        read_only_fields = fields


class RequestSerializer(serializers.Serializer):
    """The schema of a request; the page's form checks it."""

    unit = serializers.IntegerField(help_text="Id of a unit the caller may ask reports for.")
    kind = serializers.ChoiceField(choices=PeriodKind.choices, help_text="The kind of period.")
    year = serializers.IntegerField(help_text="The year.")
    part = serializers.IntegerField(required=False, help_text="The month (monthly) or quarter (quarterly).")


class ReportParameters(QueryParameters):
    unit = id_parameter("Id of the unit.")
    kind = ChoiceParameter(choices=PeriodKind.choices, required=False, help_text="The kind of period.")
    status = ChoiceParameter(choices=ReviewReport.Status.choices, required=False, help_text="The status.")


PROGRESS = inline_serializer(
    "ReportProgress",
    {
        "status": serializers.ChoiceField(choices=ReviewReport.Status.choices),
        "progress": serializers.IntegerField(help_text="Per cent done (100 when ready)."),
    },
)


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(
        operation_id="reports_list",
        summary="Review reports of the units in the caller's scope, latest period first",
        parameters=[ReportParameters],
        responses={200: ReportSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="reports_retrieve",
        summary="One review report with its figures",
        responses={200: ReportDetailSerializer, 403: NOT_SIGNED_IN, 404: OUTSIDE_SCOPE},
    ),
)
class ReviewReportViewSet(PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]

    def get_serializer_class(self):
        return ReportSerializer if self.action == "list" else ReportDetailSerializer

    def get_queryset(self):
        reports = ReviewReport.objects.visible_to(self.request.user).select_related("unit")
        if self.action == "retrieve":
            return reports.select_related("requested_by", "finalised_by")
        return reports.defer("data")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = ReportParameters.read(self.request)
        if parameters.get("unit") is not None:
            queryset = queryset.filter(unit_id=parameters["unit"])
        if parameters.get("kind"):
            queryset = queryset.filter(period_kind=parameters["kind"])
        if parameters.get("status"):
            queryset = queryset.filter(status=parameters["status"])
        return queryset

    @extend_schema(
        operation_id="reports_request",
        summary="Ask for a new version of the report of a period that has ended; it builds in the background",
        request=RequestSerializer,
        responses={
            202: ReportSerializer,
            400: OpenApiResponse(description="The body names each field that is wrong, and why."),
            403: OpenApiResponse(DetailSerializer, description="The caller may not ask for reports."),
        },
    )
    def create(self, request):
        if not may_request_reports(request.user):
            raise PermissionDenied
        RequestSerializer(data=request.data).is_valid(raise_exception=True)  # an object of the right types
        form = RequestReportForm(request.data, user=request.user)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        report = request_report(
            unit=form.cleaned_data["unit"], period=form.cleaned_data["period"], by=request.user
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(ReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        operation_id="reports_progress",
        summary="How far the report's build has come",
        responses={200: PROGRESS, 403: NOT_SIGNED_IN, 404: OUTSIDE_SCOPE},
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        report = self.get_object()
        return Response({"status": report.status, "progress": report.progress})

    @extend_schema(
        operation_id="reports_file",
        summary="The report as DOCX (Decree 30/2020 layout) or XLSX (one sheet per table)",
        responses={
            (200, FILE_TYPES["docx"]): OpenApiTypes.BINARY,
            (200, FILE_TYPES["xlsx"]): OpenApiTypes.BINARY,
            403: NOT_SIGNED_IN,
            404: NOT_READY,
        },
        parameters=[
            OpenApiParameter(
                "file_type",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(FILE_TYPES),
                description="The format.",
            )
        ],
    )
    @action(detail=True, methods=["get"], url_path="files/<str:file_type>")
    def file(self, request, pk=None, file_type=None):
        report = self.get_object()
        if not can_download(report, file_type):
            raise NotFound(gettext("The report is not built yet."))
        return file_response(report, file_type)
