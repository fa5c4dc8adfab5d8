"""Loan applications in the API: the list, one application with its appraisal, and the appraisal's
steps: appraisers assigned, their declarations and scores, the site visit, the recommendation, a
refusal and the proposed loan (a decision a second officer checks), the rules checked item by item with
their articles, and the reply deadline of each stage.

Officials read the applications of their scope's communes, a borrower their own; only the fund's
officers write (an appraiser declares and scores for themself).
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from dossiers.models import Dossier
from fund import deadlines
from fund.access import get_application_for_user
from fund.api import serializers
from fund.api.base import NOT_THE_FUNDS_OFFICER, REFUSED, outside_scope, parse
from fund.api.filters import LoanApplicationFilter
from fund.models import Appraiser, Fund, LoanApplication, Score, SiteVisit
from fund.services import applications as services
from fund.services import decisions, rules
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from portal.models import Membership, User
from portal.models.people import today

APPLICATION_OUTSIDE_SCOPE = outside_scope("application")
APPRAISER_OUTSIDE_SCOPE = outside_scope("application or appraiser")


def _write(operation: str, summary: str, body, answer=serializers.LoanApplicationDetailSerializer, **options):
    """The schema of a write on an application: its body, its answer and the refusals it may meet."""
    return extend_schema(
        operation_id=f"loan_applications_{operation}",
        summary=summary,
        request=body,
        responses={
            (201 if options.get("created") else 200): answer,
            400: REFUSED,
            403: NOT_THE_FUNDS_OFFICER,
            404: options.get("not_found", APPLICATION_OUTSIDE_SCOPE),
            409: CONFLICT,
        },
    )


def _read(operation: str, summary: str, answer):
    return extend_schema(
        operation_id=f"loan_applications_{operation}",
        summary=summary,
        responses={200: answer, 403: NOT_SIGNED_IN, 404: APPLICATION_OUTSIDE_SCOPE},
    )


@extend_schema(tags=["fund"])
@extend_schema_view(
    list=extend_schema(
        operation_id="loan_applications_list",
        summary="Loan applications in the caller's scope (a borrower's own), latest filed first",
        responses={
            200: serializers.LoanApplicationSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=_read(
        "retrieve",
        "One application with its appraisers, their scores, the site visits and the recommendation",
        serializers.LoanApplicationDetailSerializer,
    ),
    create=extend_schema(
        operation_id="loan_applications_create",
        summary="Open the application of a fund-loan dossier, judged by the regulation in force the day "
        "the dossier was filed",
        request=serializers.OpenApplicationSerializer,
        responses={
            201: serializers.LoanApplicationDetailSerializer,
            400: REFUSED,
            403: NOT_SIGNED_IN,
            409: CONFLICT,
        },
    ),
)
class LoanApplicationViewSet(mixins.CreateModelMixin, PortalViewSet):
    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = LoanApplicationFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.LoanApplicationSerializer
        return serializers.LoanApplicationDetailSerializer

    def get_queryset(self):
        applications = LoanApplication.objects.visible_to(self.request.user).select_related(
            "dossier__applicant", "unit"
        )
        if self.action == "list":
            return applications
        return applications.select_related("loan").prefetch_related(
            Prefetch(
                "appraisers",
                queryset=Appraiser.objects.select_related("user").prefetch_related(
                    Prefetch("scores", queryset=Score.objects.select_related("criterion"))
                ),
            ),
            Prefetch("site_visits", queryset=SiteVisit.objects.select_related("by")),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        application = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(application).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        user = request.user
        body = serializers.OpenApplicationSerializer(
            data=request.data,
            dossiers=Dossier.objects.visible_to(user).select_related("procedure", "applicant"),
            funds=Fund.objects.visible_to(user),
            projects=serializers.Project.objects.visible_to(user),
        )
        application = services.open_application(by=user, **parse(body))
        return self.detail_response(application.pk, status_code=status.HTTP_201_CREATED)

    def application(self, pk: int) -> LoanApplication:
        return get_application_for_user(self.request.user, pk, for_write=True)

    def appraiser(self, pk: int, appraiser_id: int) -> Appraiser:
        return get_object_or_404(self.application(pk).appraisers.all(), pk=appraiser_id)

    # --- Appraisal ---

    @_write(
        "appraisers_create",
        "Assign an officer of the fund's team to appraise the application",
        serializers.AssignAppraiserSerializer,
        serializers.AppraiserSerializer,
        created=True,
    )
    @action(detail=True, methods=["post"], url_path="appraisers", url_name="appraisers")
    def assign(self, request, pk: int):
        application = self.application(pk)
        officers = User.objects.filter(
            pk__in=Membership.objects.active_on(today())
            .filter(team_id=application.fund.team_id)
            .values("user_id")
        )
        data = parse(serializers.AssignAppraiserSerializer(data=request.data, officers=officers))
        appraiser = services.assign_appraiser(application=application, by=request.user, **data)
        return Response(serializers.AppraiserSerializer(appraiser).data, status=status.HTTP_201_CREATED)

    @_write(
        "declare",
        "The appraiser declares a conflict of interest, or none, before scoring",
        serializers.DeclareSerializer,
        serializers.AppraiserSerializer,
        not_found=APPRAISER_OUTSIDE_SCOPE,
    )
    @action(
        detail=True, methods=["post"], url_path="appraisers/<int:appraiser_id>/declare", url_name="declare"
    )
    def declare(self, request, pk: int, appraiser_id: int):
        appraiser = self.appraiser(pk, appraiser_id)
        data = parse(serializers.DeclareSerializer(data=request.data))
        appraiser = services.declare(appraiser=appraiser, by=request.user, **data)
        return Response(serializers.AppraiserSerializer(appraiser).data)

    @_write(
        "scores",
        "The appraiser scores every criterion of the rubric, 0 to 10, once",
        serializers.ScoresSerializer,
        serializers.AppraiserSerializer,
        not_found=APPRAISER_OUTSIDE_SCOPE,
    )
    @action(detail=True, methods=["post"], url_path="appraisers/<int:appraiser_id>/scores", url_name="scores")
    def scores(self, request, pk: int, appraiser_id: int):
        appraiser = self.appraiser(pk, appraiser_id)
        criteria = appraiser.application.regulation.criteria.all()
        data = parse(serializers.ScoresSerializer(data=request.data, criteria=criteria))
        scores = {row["criterion"].pk: (row["score"], row["note"]) for row in data["scores"]}
        services.score(appraiser=appraiser, by=request.user, scores=scores)
        appraiser = Appraiser.objects.select_related("user").get(pk=appraiser.pk)
        return Response(serializers.AppraiserSerializer(appraiser).data)

    @_write(
        "site_visits_create",
        "Record the site visit and what it found",
        serializers.SiteVisitBodySerializer,
        serializers.SiteVisitSerializer,
        created=True,
    )
    @action(detail=True, methods=["post"], url_path="site-visits", url_name="site-visits")
    def site_visit(self, request, pk: int):
        application = self.application(pk)
        data = parse(serializers.SiteVisitBodySerializer(data=request.data))
        visit = services.record_site_visit(application=application, by=request.user, **data)
        return Response(serializers.SiteVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @_write(
        "recommend",
        "The appraisal's conclusion: lend an amount the rules allow, or do not",
        serializers.RecommendSerializer,
    )
    @action(detail=True, methods=["post"], url_path="recommend", url_name="recommend")
    def recommend(self, request, pk: int):
        application = self.application(pk)
        services.recommend(
            application=application,
            by=request.user,
            **parse(serializers.RecommendSerializer(data=request.data)),
        )
        return self.detail_response(pk)

    @_write("refuse", "The fund refuses the application, saying why", serializers.RefuseApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="refuse", url_name="refuse")
    def refuse(self, request, pk: int):
        application = self.application(pk)
        services.refuse_application(
            application=application,
            by=request.user,
            **parse(serializers.RefuseApplicationSerializer(data=request.data)),
        )
        return self.detail_response(pk)

    @_write(
        "propose",
        "Propose the loan (amount, term, tranches): a decision another officer checks",
        serializers.ProposeLoanSerializer,
        serializers.DecisionSerializer,
        created=True,
    )
    @action(detail=True, methods=["post"], url_path="propose", url_name="propose")
    def propose(self, request, pk: int):
        application = self.application(pk)
        data = parse(serializers.ProposeLoanSerializer(data=request.data))
        tranches = [(row["amount"], row["milestone"]) for row in data.pop("tranches")]
        decision = decisions.propose_loan(application=application, by=request.user, tranches=tranches, **data)
        return Response(serializers.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    # --- What the regulation says ---

    @_read(
        "rules",
        "The regulation's rules checked on the application, item by item, with their articles",
        serializers.RuleCheckSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="rules",
        url_name="rules",
        pagination_class=None,
        filter_backends=[],
    )
    def rules(self, request, pk: int):
        application = get_application_for_user(request.user, pk)
        checks = rules.check_application(application)
        return Response(serializers.RuleCheckSerializer(checks, many=True).data)

    @_read(
        "stages",
        "The reply deadline of each stage (appraisal, decision, first release), in working days",
        serializers.StageSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="stages",
        url_name="stages",
        pagination_class=None,
        filter_backends=[],
    )
    def stages(self, request, pk: int):
        application = get_application_for_user(request.user, pk)
        loan = getattr(application, "loan", None)
        return Response(serializers.StageSerializer(deadlines.stages(application, loan), many=True).data)
