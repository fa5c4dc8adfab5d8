"""Projects in the API: the list, a project with its founders and steps, its writes step by step.

A project moves only through ``steps/`` (the next stage forward, or stopped with its reason) and
``correct/`` (the last step undone, saying why); no endpoint sets a stage directly.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from dossiers.models import Dossier
from dossiers.services.applicants import Person
from portal.api.base import CONFLICT, MALFORMED_PARAMETER, NOT_SIGNED_IN, PortalViewSet
from portal.api.parsers import BoundedFormParser, BoundedJSONParser
from projects import serializers
from projects.access import get_project_for_user, sees_personal_data
from projects.api.base import NOT_KEEPER, PROJECT_OUTSIDE_SCOPE, REFUSED, parse
from projects.filters import ProjectFilter
from projects.models import (
    Founder,
    Milestone,
    MilestoneUpdate,
    PlanInput,
    Project,
    ProjectDossier,
    ProjectStep,
)
from projects.services import projects as services
from projects.services.support import MilestoneFinding, record_support, record_visit


def _write(operation: str, summary: str, body, answer=serializers.ProjectDetailSerializer, *, created=False):
    """The schema of a write of the project: its body, its answer and the refusals it may meet."""
    return extend_schema(
        operation_id=f"projects_{operation}",
        summary=summary,
        request=body,
        responses={
            (201 if created else 200): answer,
            400: REFUSED,
            403: NOT_KEEPER,
            404: PROJECT_OUTSIDE_SCOPE,
            409: CONFLICT,
        },
    )


def _read(operation: str, summary: str, answer):
    return extend_schema(
        operation_id=f"projects_{operation}",
        summary=summary,
        responses={200: answer, 403: NOT_SIGNED_IN, 404: PROJECT_OUTSIDE_SCOPE},
    )


@extend_schema(tags=["projects"])
@extend_schema_view(
    list=extend_schema(
        operation_id="projects_list",
        summary="Projects in the caller's scope (a founder's own, a mentor's assigned), latest first",
        responses={
            200: serializers.ProjectSerializer(many=True),
            400: MALFORMED_PARAMETER,
            403: NOT_SIGNED_IN,
        },
    ),
    retrieve=extend_schema(
        operation_id="projects_retrieve",
        summary="One project: its founders, dated steps, dossiers, plan and model",
        responses={200: serializers.ProjectDetailSerializer, 403: NOT_SIGNED_IN, 404: PROJECT_OUTSIDE_SCOPE},
    ),
    create=extend_schema(
        operation_id="projects_create",
        summary="Register a project of a commune at its idea or plan stage; founders are found by CCCD",
        request=serializers.RegisterProjectSerializer,
        responses={201: serializers.ProjectDetailSerializer, 400: REFUSED, 403: NOT_SIGNED_IN},
    ),
    partial_update=extend_schema(
        operation_id="projects_partial_update",
        summary="Change some of the project's name, sector, summary and figures (not its stage)",
        request=serializers.UpdateProjectSerializer,
        responses={
            200: serializers.ProjectDetailSerializer,
            400: REFUSED,
            403: NOT_KEEPER,
            404: PROJECT_OUTSIDE_SCOPE,
        },
    ),
)
class ProjectViewSet(mixins.CreateModelMixin, PortalViewSet):
    # No update or delete: a project's stage moves only through its steps.

    parser_classes = [BoundedJSONParser, BoundedFormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ProjectSerializer
        return serializers.ProjectDetailSerializer

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user).select_related("unit")
        if self.action == "list":
            return projects
        return projects.select_related("registered_by", "plan", "success_model").prefetch_related(
            Prefetch("founders", queryset=Founder.objects.select_related("person")),
            Prefetch("steps", queryset=ProjectStep.objects.select_related("by")),
            Prefetch("dossier_links", queryset=ProjectDossier.objects.select_related("dossier__procedure")),
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self):
        return super().get_serializer_context() | {"unmasked": getattr(self, "unmasked", False)}

    def detail_response(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        project = get_object_or_404(self.get_queryset(), pk=pk)
        self.unmasked = sees_personal_data(self.request.user, project)
        return Response(self.get_serializer(project).data, status=status_code)

    def retrieve(self, request, pk: int):
        return self.detail_response(pk)

    def create(self, request):
        data = parse(serializers.RegisterProjectSerializer(data=request.data, user=request.user))
        founders = [Person(**founder) for founder in data.pop("founders")]
        project = services.register_project(by=request.user, founders=founders, **data)
        return self.detail_response(project.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int):
        project = get_project_for_user(request.user, pk, for_write=True)
        changes = parse(serializers.UpdateProjectSerializer(data=request.data, partial=True))
        services.update_project(project=project, by=request.user, **changes)
        return self.detail_response(project.pk)

    def project(self, pk: int) -> Project:
        return get_project_for_user(self.request.user, pk, for_write=True)

    # --- Steps ---

    @_read(
        "steps_list",
        "The project's dated steps, corrections included",
        serializers.ProjectStepSerializer(many=True),
    )
    # A project has a handful of steps: one list, no pages, none of the list's filters.
    @action(
        detail=True,
        methods=["get"],
        url_path="steps",
        url_name="steps",
        pagination_class=None,
        filter_backends=[],
    )
    def steps(self, request, pk: int):
        project = get_project_for_user(request.user, pk)
        steps = project.steps.select_related("by")
        return Response(serializers.ProjectStepSerializer(steps, many=True).data)

    @_write(
        "steps_create",
        "Move the project to its next stage forward, or stop it saying why",
        serializers.MoveStageSerializer,
    )
    @steps.mapping.post
    def move_stage(self, request, pk: int):
        project = self.project(pk)
        services.move_stage(
            project=project, by=request.user, **parse(serializers.MoveStageSerializer(data=request.data))
        )
        return self.detail_response(pk)

    @_write("correct", "Undo the project's last step, saying why", serializers.CorrectStepSerializer)
    @action(detail=True, methods=["post"], url_path="correct", url_name="correct")
    def correct(self, request, pk: int):
        project = self.project(pk)
        services.correct_step(
            project=project, by=request.user, **parse(serializers.CorrectStepSerializer(data=request.data))
        )
        return self.detail_response(pk)

    @_write(
        "dossiers_link",
        "Link a founder's startup-support, fund-loan or poverty-escape dossier",
        serializers.LinkProjectDossierSerializer,
    )
    @action(detail=True, methods=["post"], url_path="dossiers", url_name="dossiers")
    def link_dossier(self, request, pk: int):
        project = self.project(pk)
        data = parse(
            serializers.LinkProjectDossierSerializer(
                data=request.data,
                dossiers=Dossier.objects.visible_to(request.user).select_related("procedure"),
            )
        )
        services.link_dossier(project=project, by=request.user, **data)
        return self.detail_response(pk)

    # --- Support and visits ---

    @_read(
        "supports_list", "The support the project got, latest first", serializers.SupportSerializer(many=True)
    )
    @action(detail=True, methods=["get"], url_path="supports", url_name="supports", filter_backends=[])
    def supports(self, request, pk: int):
        project = get_project_for_user(request.user, pk)
        supports = project.supports.select_related("team", "mentor", "by").order_by("-given_on", "-pk")
        page = self.paginate_queryset(supports)
        return self.get_paginated_response(serializers.SupportSerializer(page, many=True).data)

    @_write(
        "supports_create",
        "Record a support given to the project by a team, a mentor or an organisation",
        serializers.RecordSupportSerializer,
        serializers.SupportSerializer,
        created=True,
    )
    @supports.mapping.post
    def record_support(self, request, pk: int):
        project = self.project(pk)
        data = parse(serializers.RecordSupportSerializer(data=request.data, user=request.user))
        support = record_support(project=project, by=request.user, **data)
        support = project.supports.select_related("team", "mentor", "by").get(pk=support.pk)
        return Response(serializers.SupportSerializer(support).data, status=status.HTTP_201_CREATED)

    @_read(
        "visits_list",
        "The visits and calls to the project, with what each found of the plan's milestones",
        serializers.ProjectVisitSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="visits", url_name="visits", filter_backends=[])
    def visits(self, request, pk: int):
        project = get_project_for_user(request.user, pk)
        page = self.paginate_queryset(self.visits_of(project).order_by("-visited_on", "-pk"))
        return self.get_paginated_response(serializers.ProjectVisitSerializer(page, many=True).data)

    @_write(
        "visits_create",
        "Record a visit or call: what it found of the plan's milestones, the inputs handed over",
        serializers.RecordVisitSerializer,
        serializers.ProjectVisitSerializer,
        created=True,
    )
    @visits.mapping.post
    def record_visit(self, request, pk: int):
        project = self.project(pk)
        body = serializers.RecordVisitSerializer(
            data=request.data,
            milestones=Milestone.objects.filter(plan__project=project),
            inputs=PlanInput.objects.filter(plan__project=project),
        )
        data = parse(body)
        findings = [MilestoneFinding(**finding) for finding in data.pop("findings")]
        visit = record_visit(project=project, by=request.user, findings=findings, **data)
        visit = self.visits_of(project).get(pk=visit.pk)
        return Response(serializers.ProjectVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def visits_of(project: Project):
        return project.visits.select_related("by").prefetch_related(
            Prefetch("milestone_updates", queryset=MilestoneUpdate.objects.select_related("milestone"))
        )
