"""Loans in the API: the list (by status, arrears bucket, debt group, fund, PAR30), one loan with its
tranches and freezes, its schedule (the current version with what is paid of each instalment, or an
older version), its repayments, the tranches released, a tranche's evidence and its review, and the
changes the fund proposes (extend, freeze, recall, write off: each a decision another officer checks).

Officials read the loans of their scope's communes, a borrower their own. The fund's officers record
repayments and reverse them (money requests: ``Idempotency-Key``), propose releases and changes and
review evidence; the borrower, or the fund for them, submits a tranche's evidence.
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from fund.access import get_loan_for_user, runs
from fund.api import serializers
from fund.api.base import IDEMPOTENCY_KEY, NOT_THE_FUNDS_OFFICER, REFUSED, once, outside_scope, parse
from fund.api.filters import LoanFilter
from fund.api.serializers import ChangeKind
from fund.models import Decision, Freeze, Loan, Repayment, Tranche
from fund.services import decisions, evidence
from fund.services.loans import record_repayment, replay, reverse_repayment
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.models.people import today

LOAN_OUTSIDE_SCOPE = outside_scope("loan")
TRANCHE_OUTSIDE_SCOPE = outside_scope("loan or tranche")
REPAYMENT_OUTSIDE_SCOPE = outside_scope("loan or repayment")
VERSION = OpenApiParameter(
    "version", int, OpenApiParameter.QUERY, description="An older version's number; the current if left out."
)


def _write(operation: str, summary: str, body, answer, *, created=False, money=False, not_found=None):
    """The schema of a write on a loan: its body, its answer and the refusals it may meet."""
    return extend_schema(
        operation_id=f"loans_{operation}",
        summary=summary,
        parameters=[IDEMPOTENCY_KEY] if money else None,
        request=body,
        responses={
            (201 if created else 200): answer,
            400: REFUSED,
            403: NOT_THE_FUNDS_OFFICER,
            404: not_found or LOAN_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )


def _read(operation: str, summary: str, answer, **options):
    return extend_schema(
        operation_id=f"loans_{operation}",
        summary=summary,
        responses={200: answer, 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN, 404: LOAN_OUTSIDE_SCOPE},
        **options,
    )


def schedule_answer(loan: Loan, version_number: int | None) -> dict:
    """A schedule version of the loan; what is paid of each instalment, for the current version."""
    versions = loan.schedules.order_by("-number")
    latest = versions.first()
    if latest is None:
        raise NotFound(_("The loan has no schedule yet: nothing has been released."))
    version = latest if version_number is None else get_object_or_404(versions, number=version_number)
    current = version.pk == latest.pk
    paid = replay(loan, on=today()).paid if current else {}
    return {
        "version": version.number,
        "versions": latest.number,
        "reason": version.reason,
        "effective_from": version.effective_from,
        "current": current,
        "instalments": version.instalments.order_by("number"),
        "paid": [
            {"number": number, "principal_paid": principal, "interest_paid": interest}
            for number, (principal, interest) in sorted(paid.items())
        ],
    }


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="loans_list",
        summary="Loans in the caller's scope (a borrower's own), latest contract first",
        responses={200: serializers.LoanSerializer(many=True), 400: MALFORMED_PARAMETER, 403: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        operation_id="loans_retrieve",
        summary="One loan: its state on the business date, its tranches and its freezes",
        responses={200: serializers.LoanDetailSerializer, 403: NOT_SIGNED_IN, 404: LOAN_OUTSIDE_SCOPE},
    ),
)
class LoanViewSet(PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = LoanFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.LoanSerializer
        return serializers.LoanDetailSerializer

    def get_queryset(self):
        loans = Loan.objects.visible_to(self.request.user).select_related("borrower", "unit")
        if self.action == "list":
            return loans
        return loans.prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("number")),
            Prefetch("freezes", queryset=Freeze.objects.order_by("start")),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def loan(self, pk: int) -> Loan:
        return get_loan_for_user(self.request.user, pk, for_write=True)

    def tranche(self, pk: int, number: int, *, by_borrower: bool = False) -> Tranche:
        loan = get_loan_for_user(self.request.user, pk, for_write=not by_borrower)
        if by_borrower and not (
            runs(self.request.user, loan.fund) or loan.borrower.user_id == self.request.user.pk
        ):
            raise PermissionDenied
        return get_object_or_404(loan.tranches.select_related("loan__fund", "loan__borrower"), number=number)

    # --- The schedule ---

    @_read(
        "schedule",
        "The loan's schedule: the current version with what is paid of each instalment, or an older one",
        serializers.ScheduleSerializer,
        parameters=[VERSION],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="schedule",
        url_name="schedule",
        pagination_class=None,
        filter_backends=[],
    )
    def schedule(self, request, pk: int):
        loan = get_loan_for_user(request.user, pk)
        version = parse(serializers.ScheduleParameters(data=request.query_params)).get("version")
        return Response(serializers.ScheduleSerializer(schedule_answer(loan, version)).data)

    # --- Repayments ---

    @_read(
        "repayments_list",
        "The loan's repayments, latest first, reversals marked",
        serializers.RepaymentSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="repayments", url_name="repayments", filter_backends=[])
    def repayments(self, request, pk: int):
        loan = get_loan_for_user(request.user, pk)
        page = self.paginate_queryset(
            loan.repayments.select_related("recorded_by").order_by("-paid_on", "-pk")
        )
        return self.get_paginated_response(serializers.RepaymentSerializer(page, many=True).data)

    @_write(
        "repayments_create",
        "Record a repayment (today or backdated), allocated in the loan's order (a money request)",
        serializers.RepaymentBodySerializer,
        serializers.RepaymentSerializer,
        created=True,
        money=True,
    )
    @repayments.mapping.post
    def record_repayment(self, request, pk: int):
        loan = self.loan(pk)
        data = parse(serializers.RepaymentBodySerializer(data=request.data))

        def record() -> Response:
            repayment = record_repayment(loan=loan, by=request.user, **data)
            return Response(serializers.RepaymentSerializer(repayment).data, status=status.HTTP_201_CREATED)

        return once(request, action="fund.repayment", data=data, ids={"loan": pk}, work=record)

    @_write(
        "repayments_reverse",
        "Reverse a repayment recorded by mistake: a new posting, the allocation replayed (a money request)",
        serializers.ReverseSerializer,
        serializers.RepaymentSerializer,
        money=True,
        not_found=REPAYMENT_OUTSIDE_SCOPE,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="repayments/<int:repayment_id>/reverse",
        url_name="reverse-repayment",
    )
    def reverse_repayment(self, request, pk: int, repayment_id: int):
        loan = self.loan(pk)
        repayment = get_object_or_404(loan.repayments.all(), pk=repayment_id)
        data = parse(serializers.ReverseSerializer(data=request.data))

        def reverse() -> Response:
            reversed_ = reverse_repayment(repayment=repayment, by=request.user, **data)
            reversed_ = Repayment.objects.select_related("recorded_by").get(pk=reversed_.pk)
            return Response(serializers.RepaymentSerializer(reversed_).data)

        ids = {"loan": pk, "repayment": repayment_id}
        return once(request, action="fund.repayment_reversal", data=data, ids=ids, work=reverse)

    # --- Tranches ---

    @_read(
        "disbursements_list",
        "The tranches released, in order",
        serializers.TrancheSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="disbursements",
        url_name="disbursements",
        pagination_class=None,
        filter_backends=[],
    )
    def disbursements(self, request, pk: int):
        loan = get_loan_for_user(request.user, pk)
        released = loan.tranches.filter(released_on__isnull=False).order_by("number")
        return Response(serializers.TrancheSerializer(released, many=True).data)

    @_write(
        "disbursements_propose",
        "Propose the release of a tranche whose evidence is accepted: a decision another officer checks",
        serializers.ProposeReleaseSerializer,
        serializers.DecisionSerializer,
        created=True,
        not_found=TRANCHE_OUTSIDE_SCOPE,
    )
    @disbursements.mapping.post
    def propose_release(self, request, pk: int):
        loan = self.loan(pk)
        data = parse(serializers.ProposeReleaseSerializer(data=request.data))
        tranche = get_object_or_404(loan.tranches.all(), number=data["tranche"])
        decision = decisions.propose_release(tranche=tranche, by=request.user, reason=data["reason"])
        return Response(serializers.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @_write(
        "tranches_evidence",
        "Submit a tranche's evidence (the borrower, or the fund on their behalf)",
        serializers.EvidenceSerializer,
        serializers.TrancheSerializer,
        not_found=TRANCHE_OUTSIDE_SCOPE,
    )
    @action(
        detail=True, methods=["post"], url_path="tranches/<int:number>/evidence", url_name="tranche-evidence"
    )
    def submit_evidence(self, request, pk: int, number: int):
        tranche = self.tranche(pk, number, by_borrower=True)
        data = parse(serializers.EvidenceSerializer(data=request.data))
        tranche = evidence.submit_evidence(tranche=tranche, by=request.user, **data)
        return Response(serializers.TrancheSerializer(tranche).data)

    @_write(
        "tranches_review",
        "Accept a tranche's evidence, or reject it saying what is wrong",
        serializers.ReviewEvidenceSerializer,
        serializers.TrancheSerializer,
        not_found=TRANCHE_OUTSIDE_SCOPE,
    )
    @action(detail=True, methods=["post"], url_path="tranches/<int:number>/review", url_name="tranche-review")
    def review_evidence(self, request, pk: int, number: int):
        tranche = self.tranche(pk, number)
        data = parse(serializers.ReviewEvidenceSerializer(data=request.data))
        tranche = evidence.review_evidence(tranche=tranche, by=request.user, **data)
        return Response(serializers.TrancheSerializer(tranche).data)

    # --- Changes ---

    @_read(
        "changes_list",
        "The loan's decisions (its approval, releases and changes), latest first",
        serializers.DecisionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="changes", url_name="changes", filter_backends=[])
    def changes(self, request, pk: int):
        loan = get_loan_for_user(request.user, pk)
        found = Decision.objects.filter(Q(loan=loan) | Q(application_id=loan.application_id)).select_related(
            "prepared_by", "checked_by"
        )
        page = self.paginate_queryset(found.order_by("-prepared_at", "-pk"))
        return self.get_paginated_response(serializers.DecisionSerializer(page, many=True).data)

    @_write(
        "changes_propose",
        "Propose extending, freezing, recalling or writing off the loan: a decision another officer checks",
        serializers.ProposeChangeSerializer,
        serializers.DecisionSerializer,
        created=True,
    )
    @changes.mapping.post
    def propose_change(self, request, pk: int):
        loan = self.loan(pk)
        data = parse(serializers.ProposeChangeSerializer(data=request.data))
        common = {"loan": loan, "by": request.user, "reason": data["reason"]}
        if data["kind"] == ChangeKind.EXTEND:
            decision = decisions.propose_extension(extra_periods=data["extra_periods"], **common)
        elif data["kind"] == ChangeKind.FREEZE:
            decision = decisions.propose_freeze(start=data["start"], months=data["months"], **common)
        elif data["kind"] == ChangeKind.RECALL:
            decision = decisions.propose_recall(**common)
        else:
            decision = decisions.propose_write_off(**common)
        return Response(serializers.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
