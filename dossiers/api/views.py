"""The one-stop shop in the API: procedures, dossiers and their transitions, documents and inquiries.

Every view starts from ``visible_to(request.user)``: a dossier outside the caller's
scope is 404, one the caller sees but may not act on is 403. A dossier's status
changes only through its transition endpoints, each calling one service; no
endpoint updates a dossier directly.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from dossiers.api import serializers
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
from dossiers.services.dossiers import DossierRefused
from portal.access import can_reply, get_dossier_for_user, is_applicant_of
from portal.api.filters import DossierParameters, InquiryParameters
from portal.api.serializers import DetailSerializer
from portal.api.views import MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet, acting_as
from portal.middleware import client_address
from portal.models import User
from portal.models.people import today
from portal.scope import scope_for
from portal.text import fold

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


def refused(refusal: DossierRefused) -> Response:
    return Response({"detail": str(refusal)}, status=status.HTTP_400_BAD_REQUEST)


def applicants_for_filing(user) -> QuerySet[Applicant]:
    """Whom ``user`` may file a dossier for: themselves, and as an officer the applicants of their units."""
    if not getattr(user, "is_authenticated", False):
        return Applicant.objects.none()
    return Applicant.objects.filter(Q(user=user) | Q(unit_id__in=scope_for(user).writable_unit_ids))


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


@dataclass(frozen=True)
class Transition:
    """One transition endpoint: who may call it, what its body holds and the service it calls."""

    name: str
    summary: str
    by_processor: bool  # else by the applicant (or the officer who filed for them)
    perform: Callable[[Dossier, User, dict], object]
    body: type[Serializer] | None = None

    @property
    def url_path(self) -> str:
        return self.name.replace("_", "-")


TRANSITIONS = [
    Transition(
        name="submit",
        summary="File a draft dossier",
        by_processor=False,
        perform=lambda dossier, by, body: services.submit_dossier(dossier=dossier, by=by),
    ),
    Transition(
        name="receive",
        summary="Receive a filed dossier at the desk: the clock starts",
        by_processor=True,
        perform=lambda dossier, by, body: services.receive_dossier(dossier=dossier, by=by),
    ),
    Transition(
        name="refuse",
        summary="Refuse a filed dossier at the desk, saying why",
        by_processor=True,
        perform=lambda dossier, by, body: services.refuse_dossier(
            dossier=dossier, by=by, reason=body["reason"]
        ),
        body=serializers.ReasonSerializer,
    ),
    Transition(
        name="start",
        summary="Start processing a received dossier",
        by_processor=True,
        perform=lambda dossier, by, body: services.start_processing(dossier=dossier, by=by),
    ),
    Transition(
        name="request_supplement",
        summary="Ask the applicant for missing documents: the clock pauses",
        by_processor=True,
        perform=lambda dossier, by, body: services.request_supplement(
            dossier=dossier, by=by, missing=body["missing"], note=body["note"]
        ),
        body=serializers.RequestSupplementSerializer,
    ),
    Transition(
        name="supply_supplement",
        summary="Tell the handling team the requested documents are there: the clock resumes",
        by_processor=False,
        perform=lambda dossier, by, body: services.supply_supplement(dossier=dossier, by=by),
    ),
    Transition(
        name="request_payment",
        summary="Ask the applicant to pay",
        by_processor=True,
        perform=lambda dossier, by, body: services.request_payment(dossier=dossier, by=by, note=body["note"]),
        body=serializers.NoteSerializer,
    ),
    Transition(
        name="confirm_payment",
        summary="Confirm the payment: processing resumes",
        by_processor=True,
        perform=lambda dossier, by, body: services.confirm_payment(dossier=dossier, by=by),
    ),
    Transition(
        name="withdraw",
        summary="Withdraw the dossier, saying why",
        by_processor=False,
        perform=lambda dossier, by, body: services.withdraw_dossier(
            dossier=dossier, by=by, reason=body["reason"]
        ),
        body=serializers.ReasonSerializer,
    ),
    Transition(
        name="stop",
        summary="Stop processing, saying why",
        by_processor=True,
        perform=lambda dossier, by, body: services.stop_dossier(
            dossier=dossier, by=by, reason=body["reason"]
        ),
        body=serializers.ReasonSerializer,
    ),
    Transition(
        name="complete",
        summary="Record the decision",
        by_processor=True,
        perform=lambda dossier, by, body: services.complete_dossier(
            dossier=dossier, by=by, result=body["result"]
        ),
        body=serializers.ResultSerializer,
    ),
    Transition(
        name="return_result",
        summary="Return the result to the applicant",
        by_processor=True,
        perform=lambda dossier, by, body: services.return_result(dossier=dossier, by=by),
    ),
    Transition(
        name="apologise",
        summary="Apologise for a dossier that will be late, with a new due date (once)",
        by_processor=True,
        perform=lambda dossier, by, body: services.issue_apology(
            dossier=dossier, by=by, new_due_date=body["new_due_date"], reason=body["reason"]
        ),
        body=serializers.ApologySerializer,
    ),
    Transition(
        name="rate",
        summary="Rate the service once the result is returned (the applicant, once)",
        by_processor=False,
        perform=lambda dossier, by, body: services.rate_service(
            dossier=dossier, by=by, rating=body["rating"], comment=body["comment"]
        ),
        body=serializers.RatingSerializer,
    ),
]


def transition_endpoint(transition: Transition):
    """``POST /dossiers/{id}/<transition>/``: authorise, parse the body, call the service, answer."""

    def endpoint(self, request, pk: int):
        dossier = get_dossier_for_user(
            request.user,
            pk,
            for_processing=transition.by_processor,
            for_applicant=not transition.by_processor,
        )
        body = {}
        if transition.body is not None:
            parsed = transition.body(data=request.data, context={"dossier": dossier})
            parsed.is_valid(raise_exception=True)
            body = parsed.validated_data
        try:
            with acting_as(request):
                transition.perform(dossier, request.user, body)
        except DossierRefused as refusal:
            return refused(refusal)
        return self.detail_response(dossier.pk)

    endpoint.__name__ = transition.name
    endpoint.__doc__ = transition.summary
    endpoint = action(
        detail=True, methods=["post"], url_path=transition.url_path, url_name=transition.url_path
    )(endpoint)
    return extend_schema(
        operation_id=f"dossiers_{transition.name}",
        summary=transition.summary,
        request=transition.body,
        responses={
            200: serializers.DossierDetailSerializer,
            400: REFUSED,
            403: NOT_PROCESSOR if transition.by_processor else NOT_APPLICANT,
            404: DOSSIER_OUTSIDE_SCOPE,
        },
    )(endpoint)


@extend_schema(tags=["dossiers"])
@extend_schema_view(
    list=extend_schema(
        operation_id="dossiers_list",
        summary="Dossiers in the caller's scope (an applicant's own), latest filed first, drafts last",
        parameters=[DossierParameters],
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
        responses={201: serializers.DossierDetailSerializer, 400: REFUSED, 403: NOT_SIGNED_IN},
    ),
)
class DossierViewSet(mixins.CreateModelMixin, PortalViewSet):
    # No update or delete: the status changes only through the transition endpoints.

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_serializer_class(self):
        return serializers.DossierSerializer if self.action == "list" else serializers.DossierDetailSerializer

    def get_queryset(self):
        dossiers = (
            Dossier.objects.visible_to(self.request.user)
            .select_related(
                "applicant", "procedure", "procedure_version", "unit", "handling_team", "filed_by"
            )
            .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
        )
        if self.action == "list":
            return dossiers
        return dossiers.prefetch_related(
            Prefetch(
                "procedure_version__requirements",
                queryset=Requirement.objects.select_related("document_kind"),
            ),
            Prefetch("supplement_requests", queryset=SupplementRequest.objects.prefetch_related("missing")),
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = DossierParameters.read(self.request)
        needle = fold(parameters.get("q") or "")
        if needle:
            queryset = queryset.filter(search_text__contains=needle)
        if parameters.get("status"):
            queryset = queryset.filter(status=parameters["status"])
        for name in ("procedure", "unit", "handling_team"):
            if parameters.get(name) is not None:
                queryset = queryset.filter(**{f"{name}_id": parameters[name]})
        if parameters.get("due_before") is not None:
            queryset = queryset.filter(due_date__lt=parameters["due_before"])
        overdue = Q(status__in=Dossier.CLOCK_RUNNING_STATUSES, due_date__lt=today())
        if parameters["overdue"] is True:
            queryset = queryset.filter(overdue)
        elif parameters["overdue"] is False:
            queryset = queryset.exclude(overdue)
        return queryset

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
        try:
            with acting_as(request):
                dossier = services.start_dossier(
                    procedure=body.validated_data["procedure"],
                    applicant=applicant,
                    filed_by=request.user,
                    unit=applicant.unit,
                    channel=body.validated_data["channel"],
                    summary=body.validated_data["summary"],
                )
        except DossierRefused as refusal:
            return refused(refusal)
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
    # The documents of one dossier are few: one list, no pages.
    @action(detail=True, methods=["get"], url_path="documents", url_name="documents", pagination_class=None)
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
        },
    )
    @documents.mapping.post
    def upload_document(self, request, pk: int):
        dossier = get_dossier_for_user(request.user, pk, for_applicant=True)
        body = serializers.UploadSerializer(data=request.data, context={"dossier": dossier})
        body.is_valid(raise_exception=True)
        try:
            with acting_as(request):
                use = document_services.attach_document(
                    dossier=dossier,
                    requirement=body.validated_data["requirement"],
                    upload=body.validated_data["file"],
                    by=request.user,
                )
        except DossierRefused as refusal:
            return refused(refusal)
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
        try:
            with acting_as(request):
                use = document_services.review_document(
                    use=use,
                    by=request.user,
                    accepted=body.validated_data["decision"] == "accept",
                    reason=body.validated_data["reason"],
                )
        except DossierRefused as refusal:
            return refused(refusal)
        use = DossierDocument.objects.select_related(
            "requirement__document_kind", "document", "reviewed_by"
        ).get(pk=use.pk)
        return Response(serializers.DossierDocumentSerializer(use).data)


for _transition in TRANSITIONS:
    setattr(DossierViewSet, _transition.name, transition_endpoint(_transition))


# --- Inquiries ---------------------------------------------------------------------------------------------

INQUIRY_OUTSIDE_SCOPE = OpenApiResponse(
    DetailSerializer, description="No such inquiry in the caller's scope."
)


@extend_schema(tags=["inquiries"])
@extend_schema_view(
    list=extend_schema(
        operation_id="inquiries_list",
        summary="Obstacles raised on the dossiers in the caller's scope, latest first",
        parameters=[InquiryParameters],
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
        responses={201: serializers.InquirySerializer, 400: REFUSED, 403: NOT_APPLICANT},
    ),
)
class InquiryViewSet(mixins.CreateModelMixin, PortalViewSet):
    serializer_class = serializers.InquirySerializer

    def get_queryset(self):
        return (
            Inquiry.objects.visible_to(self.request.user)
            .select_related("dossier", "raised_by", "team", "replied_by")
            .order_by("-raised_at", "-pk")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        parameters = InquiryParameters.read(self.request)
        if parameters.get("dossier") is not None:
            queryset = queryset.filter(dossier_id=parameters["dossier"])
        if parameters.get("team") is not None:
            queryset = queryset.filter(team_id=parameters["team"])
        if parameters["answered"] is not None:
            queryset = queryset.filter(replied_at__isnull=not parameters["answered"])
        overdue = Q(replied_at__isnull=True, reply_due__lt=today())
        if parameters["overdue"] is True:
            queryset = queryset.filter(overdue)
        elif parameters["overdue"] is False:
            queryset = queryset.exclude(overdue)
        return queryset

    def create(self, request):
        body = serializers.RaiseInquirySerializer(
            data=request.data,
            dossiers=Dossier.objects.visible_to(request.user).select_related("applicant", "handling_team"),
        )
        body.is_valid(raise_exception=True)
        dossier = body.validated_data["dossier"]
        if not is_applicant_of(request.user, dossier):
            raise PermissionDenied
        try:
            with acting_as(request):
                inquiry = inquiry_services.raise_inquiry(
                    dossier=dossier, by=request.user, question=body.validated_data["question"]
                )
        except DossierRefused as refusal:
            return refused(refusal)
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
        },
    )
    @action(detail=True, methods=["post"], url_path="reply", url_name="reply")
    def reply(self, request, pk: int):
        inquiry = get_object_or_404(self.get_queryset().select_related("dossier__handling_team"), pk=pk)
        if not can_reply(request.user, inquiry):
            raise PermissionDenied
        body = serializers.ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with acting_as(request):
                inquiry_services.reply_to_inquiry(
                    inquiry=inquiry, by=request.user, reply=body.validated_data["reply"]
                )
        except DossierRefused as refusal:
            return refused(refusal)
        return Response(self.get_serializer(self.get_queryset().get(pk=inquiry.pk)).data)


# --- Public lookup -----------------------------------------------------------------------------------------


class LookupView(APIView):
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
            return Response(
                {
                    "detail": _("Too many failed tries. Please wait %(minutes)s minutes and try again.")
                    % {"minutes": lookup_window_minutes()}
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(lookup_window_minutes() * 60)},
            )
        if answer.found is None:
            return Response(
                {
                    "detail": _(
                        "No dossier matches this code and these four digits. Check both and try again."
                    )
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(serializers.PublicStatusSerializer(answer.found).data)
