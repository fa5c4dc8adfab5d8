"""The one-stop shop in the API: procedures, dossiers and their transitions, documents and inquiries.

Every view starts from ``visible_to(request.user)``: a dossier outside the caller's
scope is 404, one the caller sees but may not act on is 403. A dossier's status
changes only through its transition endpoints, each calling one service; no
endpoint updates a dossier directly.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dossiers.access import applicants_for_filing, can_reply, get_dossier_for_user, is_applicant_of
from dossiers.api import serializers
from dossiers.api.serializers import STEP_BODIES
from dossiers.filters import DossierFilter, InquiryFilter, ordering
from dossiers.lookup import look_up_dossier
from dossiers.lookup import window_minutes as lookup_window_minutes
from dossiers.models import (
    Applicant,
    Dossier,
    DossierDocument,
    DossierEvent,
    Inquiry,
    Procedure,
    Requirement,
    SupplementRequest,
)
from dossiers.services import documents as document_services
from dossiers.services import dossiers as services
from dossiers.services import inquiries as inquiry_services
from dossiers.transitions import PROCESSOR, STEPS, Step
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalAPIView, PortalViewSet
from portal.api.errors import error_response
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.api.serializers import DetailSerializer
from portal.middleware import client_address
from portal.models.people import today

DOSSIER_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such dossier in the caller's scope."
)
NOT_PROCESSOR = OpenApiResponse(
    DetailSerializer, description="The caller sees the dossier but is not among those who process it."
)
NOT_APPLICANT = OpenApiResponse(
    DetailSerializer,
    description="The caller sees the dossier but is neither its applicant nor the officer who filed it.",
)
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or the dossier's rules refuse the change "
    "(``detail`` says why)."
)


# --- Procedures --------------------------------------------------------------------------------------------


@extend_schema(tags=["procedures"])
@extend_schema_view(
    list=extend_schema(
        operation_id="procedures_list",
        summary="Procedures open for filing, with the required documents of the version in force today",
        responses={200: serializers.ProcedureSerializer(many=True), 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="procedures_retrieve",
        summary="One procedure open for filing",
        responses={
            200: serializers.ProcedureSerializer,
            403: NOT_SIGNED_IN,
            404: OpenApiResponse(DetailSerializer, description="No such procedure open for filing."),
        },
    ),
)
class ProcedureViewSet(PortalViewSet):
    """The catalogue is the same for everyone signed in; admins change it in the Django admin."""

    serializer_class = serializers.ProcedureSerializer

    def get_queryset(self):
        return Procedure.objects.open_with_version_on(today()).order_by("name", "pk")


# --- Dossiers ----------------------------------------------------------------------------------------------


def step_endpoint(step: Step):
    """``POST /dossiers/{id}/<step>/``: authorise, parse the body, take the step, answer with the dossier."""
    body_class = STEP_BODIES[step.inputs]
    by_processor = step.by == PROCESSOR

    def endpoint(self, request, pk: int):
        dossier = get_dossier_for_user(
            request.user, pk, for_processing=by_processor, for_applicant=not by_processor
        )
        body = {}
        if body_class is not None:
            parsed = body_class(data=request.data, context={"dossier": dossier})
            parsed.is_valid(raise_exception=True)
            body = parsed.validated_data
        services.perform(step, dossier=dossier, by=request.user, data=body)
        return self.detail_response(dossier.pk)

    endpoint.__name__ = step.name
    endpoint.__doc__ = step.summary
    endpoint = action(detail=True, methods=["post"], url_path=step.url_path, url_name=step.url_path)(endpoint)
    return extend_schema(
        operation_id=f"dossiers_{step.name}",
        summary=step.summary,
        request=body_class,
        responses={
            200: serializers.DossierDetailSerializer,
            400: REFUSED,
            403: NOT_PROCESSOR if by_processor else NOT_APPLICANT,
            404: DOSSIER_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )(endpoint)


@extend_schema(tags=["dossiers"])
@extend_schema_view(
    list=extend_schema(
        operation_id="dossiers_list",
        summary="Dossiers in the caller's scope (an applicant's own), latest filed first, drafts last",
        responses={
            200: serializers.DossierSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="dossiers_retrieve",
        summary="One dossier with its requirements, checklist, supplement rounds and timeline",
        responses={200: serializers.DossierDetailSerializer, 403: NOT_SIGNED_IN, 404: DOSSIER_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="dossiers_create",
        summary="Start a draft dossier: the caller's own, or an officer's on behalf of an applicant in scope",
        request=serializers.StartDossierSerializer,
        responses={
            201: serializers.DossierDetailSerializer,
            400: REFUSED,
            403: NOT_SIGNED_IN,
            409: CONFLICT,
        },
    ),
)
class DossierViewSet(mixins.CreateModelMixin, PortalViewSet):
    # No update or delete: the status changes only through the step endpoints.

    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DossierFilter

    def get_serializer_class(self):
        return serializers.DossierSerializer if self.action == "list" else serializers.DossierDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no database to read the calendar from
            return Dossier.objects.none()
        user = self.request.user
        dossiers = (
            Dossier.objects.visible_to(user)
            .with_deadline(today())
            .select_related(
                "applicant", "procedure", "procedure_version", "unit", "handling_team", "filed_by"
            )
            .order_by(*ordering("newest", user))
        )
        if self.action == "list":
            return dossiers.listed_for(user)
        return dossiers.prefetch_related(
            Prefetch(
                "procedure_version__requirements",
                queryset=Requirement.objects.select_related("document_kind"),
            ),
            Prefetch("supplement_requests", queryset=SupplementRequest.objects.prefetch_related("missing")),
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
        )

    def filter_queryset(self, queryset):
        # The filters narrow the list; a dossier's own URL finds it whatever the query string says.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        dossier = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(dossier).data, status=status_code)

    def create(self, request):
        own_applicant = Applicant.objects.filter(user=request.user).select_related("unit").first()
        body = serializers.StartDossierSerializer(
            data=request.data,
            applicants=applicants_for_filing(request.user).select_related("unit"),
            own_applicant=own_applicant,
        )
        body.is_valid(raise_exception=True)
        applicant = body.validated_data["applicant"]
        dossier = services.start_dossier(
            procedure=body.validated_data["procedure"],
            applicant=applicant,
            filed_by=request.user,
            unit=applicant.unit,
            channel=body.validated_data["channel"],
            summary=body.validated_data["summary"],
        )
        return self.detail_response(dossier.pk, status_code=status.HTTP_201_CREATED)

    # --- Documents ---

    @extend_schema(
        operation_id="dossiers_documents_list",
        summary="The documents given for the dossier, with their reviews (rejected ones too)",
        responses={
            200: serializers.DossierDocumentSerializer(many=True),
            403: NOT_SIGNED_IN,
            404: DOSSIER_OUTSIDE_SCOPE,
        },
    )
    # The documents of one dossier are few: one list, no pages, and none of the dossier list's filters.
    @action(
        detail=True,
        methods=["get"],
        url_path="documents",
        url_name="documents",
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk: int):
        dossier = get_dossier_for_user(request.user, pk)
        uses = dossier.documents.select_related(
            "requirement__document_kind", "document", "reviewed_by"
        ).order_by("requirement__position", "requirement_id", "pk")
        return Response(serializers.DossierDocumentSerializer(uses, many=True).data)

    @extend_schema(
        operation_id="dossiers_documents_upload",
        summary="Give a document for a requirement (a draft, or when a supplement is requested)",
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={
            201: serializers.DossierDocumentSerializer,
            400: REFUSED,
            403: NOT_APPLICANT,
            404: DOSSIER_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @documents.mapping.post
    def upload_document(self, request, pk: int):
        dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
        body = serializers.UploadSerializer(data=request.data, context={"dossier": dossier})
        body.is_valid(raise_exception=True)
        use = document_services.attach_document(
            dossier=dossier,
            requirement=body.validated_data["requirement"],
            upload=body.validated_data["file"],
            by=request.user,
        )
        return Response(serializers.DossierDocumentSerializer(use).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="dossiers_documents_review",
        summary="Accept a document, or reject it saying why",
        request=serializers.ReviewSerializer,
        responses={
            200: serializers.DossierDocumentSerializer,
            400: REFUSED,
            403: NOT_PROCESSOR,
            404: OpenApiResponse(
                DetailSerializer, description="No such dossier in scope, or no such document of it."
            ),
            409: CONFLICT,
        },
    )
    @action(
        detail=True, methods=["post"], url_path="documents/<int:use_id>/review", url_name="review-document"
    )
    def review_document(self, request, pk: int, use_id: int):
        dossier = get_dossier_for_user(request.user, pk, for_processing=True)
        use = get_object_or_404(dossier.documents, pk=use_id)
        body = serializers.ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        use = document_services.review_document(
            use=use,
            by=request.user,
            accepted=body.validated_data["decision"] == "accept",
            reason=body.validated_data["reason"],
        )
        use = DossierDocument.objects.select_related(
            "requirement__document_kind", "document", "reviewed_by"
        ).get(pk=use.pk)
        return Response(serializers.DossierDocumentSerializer(use).data)


for _step in STEPS.values():
    setattr(DossierViewSet, _step.name, step_endpoint(_step))


# --- Inquiries ---------------------------------------------------------------------------------------------

INQUIRY_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such inquiry in the caller's scope."
)


@extend_schema(tags=["inquiries"])
@extend_schema_view(
    list=extend_schema(
        operation_id="inquiries_list",
        summary="Obstacles raised on the dossiers in the caller's scope, latest first",
        responses={
            200: serializers.InquirySerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="inquiries_retrieve",
        summary="One obstacle and its reply",
        responses={200: serializers.InquirySerializer, 403: NOT_SIGNED_IN, 404: INQUIRY_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="inquiries_create",
        summary="Raise an obstacle on a dossier (its applicant, or the officer who filed it)",
        request=serializers.RaiseInquirySerializer,
        responses={201: serializers.InquirySerializer, 400: REFUSED, 403: NOT_APPLICANT, 409: CONFLICT},
    ),
)
class InquiryViewSet(mixins.CreateModelMixin, PortalViewSet):
    serializer_class = serializers.InquirySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InquiryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: nothing to read
            return Inquiry.objects.none()
        return (
            Inquiry.objects.visible_to(self.request.user)
            .with_deadline(today())
            .select_related("dossier", "raised_by", "team", "replied_by")
            .order_by("-raised_at", "-pk")
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def create(self, request):
        body = serializers.RaiseInquirySerializer(
            data=request.data,
            dossiers=Dossier.objects.visible_to(request.user).select_related("applicant", "handling_team"),
        )
        body.is_valid(raise_exception=True)
        dossier = body.validated_data["dossier"]
        if not is_applicant_of(request.user, dossier):
            raise PermissionDenied
        inquiry = inquiry_services.raise_inquiry(
            dossier=dossier, by=request.user, question=body.validated_data["question"]
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=inquiry.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="inquiries_reply",
        summary="Reply to an obstacle (those who process the dossier, or the team it was escalated to)",
        request=serializers.ReplySerializer,
        responses={
            200: serializers.InquirySerializer,
            400: REFUSED,
            403: OpenApiResponse(
                DetailSerializer, description="The caller sees the inquiry but may not answer it."
            ),
            404: INQUIRY_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path="reply", url_name="reply")
    def reply(self, request, pk: int):
        inquiry = get_object_or_404(self.get_queryset().select_related("dossier__handling_team"), pk=pk)
        if not can_reply(request.user, inquiry):
            raise PermissionDenied
        body = serializers.ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inquiry_services.reply_to_inquiry(
            inquiry=inquiry, by=request.user, reply=body.validated_data["reply"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=inquiry.pk)).data)


# --- Public lookup -----------------------------------------------------------------------------------------


class LookupView(PortalAPIView):
    """Anyone may look a filed dossier up by its code and the last four digits of the applicant's phone.

    It shares portal.lookup with the web lookup: the same answers, the same counters of failed tries.
    """

    # Public: no session, so no CSRF check; a signed-in caller is answered like anyone else.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="lookup",
        tags=["lookup"],
        summary="Look a dossier up by its code and the last four digits of the applicant's phone",
        auth=[],
        request=serializers.LookupSerializer,
        responses={
            200: serializers.PublicStatusSerializer,
            400: OpenApiResponse(description="A field is missing or malformed; the body names each one."),
            404: OpenApiResponse(
                DetailSerializer,
                description="No filed dossier has this code with these four digits; a wrong code and wrong "
                "digits get the same answer.",
            ),
            429: OpenApiResponse(
                DetailSerializer, description="Too many failed tries for the address or the code."
            ),
        },
    )
    def post(self, request):
        body = serializers.LookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = look_up_dossier(
            code=body.validated_data["code"],
            phone_last_four=body.validated_data["phone_last_four"],
            address=client_address(request),
        )
        if answer.is_throttled:
            return error_response(
                _("Too many failed tries. Please wait %(minutes)s minutes and try again.")
                % {"minutes": lookup_window_minutes()},
                status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(lookup_window_minutes() * 60)},
            )
        if answer.found is None:
            return error_response(
                _("No dossier matches this code and these four digits. Check both and try again."),
                status.HTTP_404_NOT_FOUND,
            )
        return Response(serializers.PublicStatusSerializer(answer.found).data)
