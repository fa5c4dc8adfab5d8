"""A small hand-built province for the projects' report section, the escape shares and the spread page,
through the services (the cast's fixture ``projects`` underneath), and the reform of 1 July 2025.

Xã Sơn Định (Huyện Chợ Lách; from 1 July 2025 in Xã Chợ Lách):

- S1, startup, registered 10/03/2024: started 15/02/2026; supports 15/11/2025 (6 h), 10/01/2026
  (8 h), 20/02/2026 (2 h), 05/03/2026 (50 million đồng);
- P1, poverty escape (goats), registered 20/02/2025: approved 01/03/2025, started 10/03/2025; support
  05/08/2025 (2 h); escaped at the 2025 review (15/12/2025), fell back at the 2026 one (10/11/2026);
- P2, poverty escape (mushrooms), registered 10/04/2025: approved 20/04/2025; its milestone due
  30/09/2025 not done;
- P3, poverty escape (a grocery stall), registered 10/01/2026 on Xã Chợ Lách: its plan still a draft.

Xã Cẩm Sơn (Huyện Mỏ Cày Nam; from 1 July 2025 in Xã Mỏ Cày):

- O1, household business, registered 02/05/2024: operating 01/01/2025; support 15/01/2026 (4 h); the
  model "Vườn ươm Cẩm Sơn" proposed 10/10/2025, confirmed 20/01/2026;
- N1, innovative, registered 05/02/2026 on Xã Mỏ Cày: 3 workers, 2 jobs (1 woman, 2 young); started
  20/03/2026; support 10/03/2026 (3 h); replicates O1's model from 25/02/2026;

and a poor household of Xã Cẩm Sơn on the 2025 list without a plan.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dossiers.services.applicants import Person
from portal import figures
from portal.models import User
from projects.models import PovertyPlan, Project, SuccessModel
from projects.services import plans, showcase
from projects.services.plans import Funding, Input, PlannedMilestone
from projects.services.projects import move_stage, register_project
from projects.services.support import record_support
from tests.conversions.survival_cases import reform
from tests.projects.fixtures import Projects

D = datetime.date
CENTRE = "Trung tâm Khuyến nông tỉnh"


@dataclass
class World:
    projects: Projects
    s1: Project
    o1: Project
    n1: Project
    p1: PovertyPlan
    p2: PovertyPlan
    p3: PovertyPlan
    model: SuccessModel
    new_communes: list

    @property
    def cast(self):
        return self.projects.cast


def listed(projects: Projects, unit, code: str, name: str, cccd: str):
    return plans.list_household(
        by=projects.cast.standing_officer,
        unit=unit,
        year=2025,
        household_code=code,
        head=Person(full_name=name, national_id=cccd),
        address="Ấp 1",
        category="poor",
        is_urban=False,
        income_per_person=1_100_000,
        deprivations=3,
        members=3,
    )


def small_plan(projects: Projects, household, *, livelihood: str, on, milestones) -> PovertyPlan:
    return plans.open_plan(
        by=User.objects.get(pk=projects.cast.standing_officer.pk),
        household=household,
        name=f"Kế hoạch {household.household_code}",
        sector="A",
        on=on,
        livelihood=livelihood,
        description="Sinh kế của hộ.",
        budget_total=6_000_000,
        expected_monthly_income=1_500_000,
        starts_on=on,
        ends_on=D(2026, 12, 31),
        fundings=[Funding("programme", 6_000_000)],
        inputs=[Input("Giống", 6_000_000, "Hội Nông dân xã")],
        milestones=[PlannedMilestone(title, due, "Tổ hỗ trợ xã") for title, due in milestones],
    )


def support(projects: Projects, project, kind: str, on, *, hours=None, value=None):
    return record_support(
        project=project,
        by=User.objects.get(pk=projects.cast.standing_officer.pk),
        kind=kind,
        given_on=on,
        organisation=CENTRE,
        hours=None if hours is None else Decimal(hours),
        value=value,
    )


def build_world(projects: Projects) -> World:
    cast = projects.cast
    units, agency = cast.units, cast.standing_officer
    s1, o1, p1 = projects.startup, projects.other_startup, projects.plan
    # Before the reform, on the old communes.
    projects.approved_plan(on=D(2025, 3, 1))
    move_stage(project=p1.project, to="started", by=agency, on=D(2025, 3, 10))
    second = listed(projects, units.commune, "SD-2025-021", "Trần Văn Nấm", "083180004322")
    p2 = small_plan(
        projects,
        second,
        livelihood="mushrooms",
        on=D(2025, 4, 10),
        milestones=[("Nhận giống nấm", D(2025, 9, 30)), ("Thu hoạch lứa đầu", D(2026, 6, 30))],
    )
    plans.approve_plan(plan=p2, by=agency, on=D(2025, 4, 20))
    third = listed(projects, units.commune, "SD-2025-022", "Lý Thị Tạp Hóa", "083180004323")
    listed(projects, units.other_commune, "CS-2025-005", "Hồ Văn Chưa", "083180004324")
    for stage, on in (("plan", D(2024, 6, 1)), ("started", D(2024, 9, 1)), ("operating", D(2025, 1, 1))):
        move_stage(project=o1, to=stage, by=agency, on=on)
    new_communes = reform(cast)
    # The scope is computed once per user object: read it again with the new communes.
    agency = User.objects.get(pk=agency.pk)
    council = User.objects.get(pk=cast.council_member.pk)
    xa_mo_cay = new_communes[1]
    # From the reform on.
    support(projects, p1.project, "training", D(2025, 8, 5), hours="2")
    model = showcase.propose_model(
        project=o1,
        by=agency,
        on=D(2025, 10, 10),
        title="Vườn ươm Cẩm Sơn",
        yearly_revenue=900_000_000,
        jobs=7,
        years_operating=2,
        evidence="Bán 40.000 cây giống mỗi năm.",
    )
    support(projects, s1, "training", D(2025, 11, 15), hours="6")
    plans.record_review(plan=p1, by=agency, year=2025, result="escaped", on=D(2025, 12, 15))
    p3 = small_plan(
        projects, third, livelihood="shop", on=D(2026, 1, 10), milestones=[("Mở quầy", D(2026, 3, 1))]
    )
    support(projects, s1, "training", D(2026, 1, 10), hours="8")
    support(projects, o1, "training", D(2026, 1, 15), hours="4")
    model = showcase.decide_model(model=model, by=council, confirm=True, on=D(2026, 1, 20))
    n1 = register_project(
        by=agency,
        founders=[Person(full_name="Ngô Thị Homestay", national_id="083190004325")],
        address="Ấp Phước Hậu",
        on=D(2026, 2, 5),
        name="Homestay vườn dừa",
        kind="innovative",
        sector="I",
        unit=xa_mo_cay,
        workers=3,
        jobs_created=2,
        jobs_women=1,
        jobs_young=2,
    )
    move_stage(project=s1, to="started", by=agency, on=D(2026, 2, 15))
    support(projects, s1, "advice", D(2026, 2, 20), hours="2")
    showcase.record_replication(project=n1, model=model, by=agency, on=D(2026, 2, 25))
    support(projects, s1, "capital", D(2026, 3, 5), value=50_000_000)
    support(projects, n1, "mentoring", D(2026, 3, 10), hours="3")
    move_stage(project=n1, to="plan", by=agency, on=D(2026, 3, 15))
    move_stage(project=n1, to="started", by=agency, on=D(2026, 3, 20))
    plans.record_review(plan=p1, by=agency, year=2026, result="fell_back", on=D(2026, 11, 10))
    figures.rebuild()  # as the nightly job would: the stock stored on the month ends up to today
    return World(projects, s1, o1, n1, p1, p2, p3, model, new_communes)
