"""The projects' stock (portal/figures.py), which their report section and the support-spread page read
on a period's last day.

Per unit of the project and day, of the projects registered by then:

- ``projects.stage``, by stage (the subject: its place in ``Stage``): the projects at the stage of the
  last step taken by then;
- ``projects.unsupported``: the open ones (not stopped then) without support in the six months up to
  the day (``Project.objects.unsupported_on``, the list's rule too);
- ``projects.without_plan``: the open poverty-escape projects whose plan was not approved by then.

A project service that changes any of these (a new project, a step or its correction, a support, a
plan's approval) calls ``keep_current`` in its transaction.
"""

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Subquery

from portal import figures
from projects.models import Kind, PovertyPlan, Project, ProjectStep, Stage

STAGE, UNSUPPORTED, WITHOUT_PLAN = "projects.stage", "projects.unsupported", "projects.without_plan"
STAGES = list(Stage.values)


def stage_at(last: datetime.date) -> Subquery:
    """A project's stage on ``last``: that of its last step taken by then."""
    return Subquery(
        ProjectStep.objects.filter(project=OuterRef("pk"), taken_on__lte=last)
        .order_by("-taken_on", "-recorded_at", "-pk")
        .values("stage")[:1]
    )


class Portfolio:
    key = "projects.portfolio"
    measures = (STAGE, UNSUPPORTED, WITHOUT_PLAN)

    def since(self) -> datetime.date | None:
        return Project.objects.aggregate(first=Min("registered_on"))["first"]

    def count_on(self, unit_ids, days: list[datetime.date]):
        """One statement per day, whatever the number of projects."""
        projects = Project.objects.all() if unit_ids is None else Project.objects.filter(unit_id__in=unit_ids)
        for day in days:
            rows = (
                projects.filter(registered_on__lte=day)
                .annotate(
                    stage_then=stage_at(day),
                    unsupported=Exists(Project.objects.unsupported_on(day).filter(pk=OuterRef("pk"))),
                    planned=Exists(
                        PovertyPlan.objects.approved().filter(project=OuterRef("pk"), approved_on__lte=day)
                    ),
                )
                .values("unit_id", "kind", "stage_then", "unsupported", "planned")
                .annotate(projects=Count("pk"))
                .order_by()
            )
            for row in rows:
                unit_id, stage, count = row["unit_id"], row["stage_then"], row["projects"]
                if stage is None:
                    continue  # no step by then
                yield STAGE, unit_id, day, STAGES.index(stage), count
                if stage == Stage.STOPPED:
                    continue
                if row["unsupported"]:
                    yield UNSUPPORTED, unit_id, day, 0, count
                if row["kind"] == Kind.POVERTY_ESCAPE and not row["planned"]:
                    yield WITHOUT_PLAN, unit_id, day, 0, count


PORTFOLIO = Portfolio()
STOCKS = [PORTFOLIO]


def keep_current(project: Project, since: datetime.date) -> None:
    """Count the stock of the project's unit again on the days it is stored for from ``since``: the day
    of the change (a registration, a step, a support or an approval), which no earlier day's figure
    depends on."""
    figures.refresh_stock(PORTFOLIO, project.unit_id, since)
