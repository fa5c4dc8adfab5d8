"""Projects, a poor household's plan and a mentor, built through the services on the named cast.

``from tests.projects.fixtures import *`` brings in the ``projects`` fixture: the programme's
reference data (the four procedures, the poverty standards of 2016–2021 and 2022–2025), and in the
cast's commune (Xã Sơn Định):

- ``startup``: "Trà mãng cầu Sơn Định", Bùi Văn Nộp's (the cast's applicant) startup, registered
  10/03/2024 at the plan stage, 6 workers, 4 jobs created;
- ``household``: Lê Thị Nghèo's household on the commune's 2025 list (poor: 1.2 million đồng a
  person, 4 services lacked under Decree 07/2021);
- ``plan``: her goat-raising plan, complete but not approved (``approved_plan()`` approves it);
- ``mentor``: Phan Văn Cố Vấn, the cast's mentor account, in the pool (assigned to nothing);

and in the other commune (Xã Cẩm Sơn) ``other_startup``, Đỗ Thị Nộp Khác's seedling nursery.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings

from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier, Procedure
from dossiers.services.applicants import Person
from dossiers.services.documents import attach_document
from dossiers.services.dossiers import start_dossier, submit_dossier
from portal.catalogue import load_reference_data
from projects.models import HouseholdListing, Mentor, PovertyPlan, Project
from projects.services import mentors, plans
from projects.services.plans import Funding, Input, PlannedMilestone
from projects.services.projects import link_dossier, register_project
from tests.conftest import Cast
from tests.dossiers.fixtures import Dossiers, dossiers_for, media_root, pdf_upload

__all__ = ["Projects", "in_english", "media_root", "projects"]

HEAD_CCCD = "083180004321"


@dataclass
class Projects:
    cast: Cast
    shop: Dossiers
    startup: Project
    other_startup: Project
    household: HouseholdListing
    plan: PovertyPlan
    mentor: Mentor

    @property
    def officer(self):
        return self.cast.commune_officer

    def approved_plan(self, on: datetime.date = datetime.date(2025, 3, 1)) -> PovertyPlan:
        return plans.approve_plan(plan=self.plan, by=self.officer, on=on)

    def assign(self, project: Project | None = None, on: datetime.date = datetime.date(2025, 1, 6)):
        return mentors.assign_mentor(
            mentor=self.mentor, project=project or self.startup, by=self.cast.standing_officer, on=on
        )

    def enrolment_dossier(self, plan: PovertyPlan | None = None) -> Dossier:
        """The household's poverty-escape enrolment, filed at the desk and linked to its project."""
        plan = plan or self.plan
        dossier = start_dossier(
            procedure=Procedure.objects.get(code=POVERTY_ESCAPE),
            applicant=plan.household.head,
            filed_by=self.officer,
            unit=plan.project.unit,
            channel=Dossier.Channel.IN_PERSON,
            summary="Đăng ký khởi nghiệp thoát nghèo: nuôi dê",
        )
        given = set(dossier.documents.values_list("requirement_id", flat=True))
        for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
            attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(), by=self.officer)
        submit_dossier(dossier=dossier, by=self.officer)
        link_dossier(project=plan.project, dossier=dossier, by=self.officer)
        return Dossier.objects.get(pk=dossier.pk)


GOAT_PLAN = {
    "livelihood": "goats",
    "description": "Nuôi 2 dê cái sinh sản, bán dê con sau 8 tháng; trồng cỏ quanh vườn.",
    "budget_total": 12_000_000,
    "expected_monthly_income": 1_800_000,
    "starts_on": datetime.date(2025, 3, 1),
    "ends_on": datetime.date(2026, 12, 31),
}
GOAT_ROWS = {
    "fundings": [Funding("programme", 8_000_000), Funding("own", 4_000_000)],
    "inputs": [Input("2 dê cái giống Bách Thảo", 8_000_000, "Hội Nông dân xã")],
    "milestones": [
        PlannedMilestone("Làm chuồng, trồng cỏ", datetime.date(2025, 4, 15), "Tổ hỗ trợ xã"),
        PlannedMilestone("Nhận dê giống", datetime.date(2025, 5, 1), "Hội Nông dân xã"),
        PlannedMilestone("Lứa dê con đầu tiên", datetime.date(2026, 1, 31), "Cán bộ thú y xã"),
    ],
}


def build_projects(cast: Cast) -> Projects:
    shop = dossiers_for(cast)
    load_reference_data()
    startup = register_project(
        by=cast.commune_officer,
        founders=[Person(full_name="Bùi Văn Nộp", national_id=shop.applicant.national_id)],
        address="Ấp Sơn Quy, xã Sơn Định",
        on=datetime.date(2024, 3, 10),
        name="Trà mãng cầu Sơn Định",
        kind="startup",
        sector="C",
        unit=cast.units.commune,
        stage="plan",
        capital_needed=300_000_000,
        own_capital=120_000_000,
        workers=6,
        jobs_planned=8,
        jobs_created=4,
        jobs_women=3,
        jobs_young=2,
    )
    other = register_project(
        by=cast.other_commune_officer,
        founders=[Person(full_name="Đỗ Thị Nộp Khác", national_id=shop.other_applicant.national_id)],
        address="Ấp Cẩm Hòa, xã Cẩm Sơn",
        on=datetime.date(2024, 5, 2),
        name="Vườn ươm cây giống Cẩm Sơn",
        kind="household_business",
        sector="A",
        unit=cast.units.other_commune,
    )
    household = plans.list_household(
        by=cast.commune_officer,
        unit=cast.units.commune,
        year=2025,
        household_code="SD-2025-017",
        head=Person(full_name="Lê Thị Nghèo", national_id=HEAD_CCCD, phone="0911222333"),
        address="Ấp Sơn Lợi, xã Sơn Định",
        category="poor",
        is_urban=False,
        income_per_person=1_200_000,
        deprivations=4,
        members=4,
    )
    plan = plans.open_plan(
        by=cast.commune_officer,
        household=household,
        name="Nuôi dê sinh sản – hộ Lê Thị Nghèo",
        sector="A",
        on=datetime.date(2025, 2, 20),
        **GOAT_PLAN,
        **GOAT_ROWS,
    )
    mentor = mentors.save_mentor(
        by=cast.standing_officer,
        mentor=Mentor(
            full_name="Phan Văn Cố Vấn",
            fields="Chế biến nông sản, tiếp thị",
            organisation="Trường Đại học Cần Thơ",
            user=cast.mentor,
            public_consent=True,
        ),
        units=[cast.units.commune],
    )
    return Projects(
        cast=cast,
        shop=shop,
        startup=startup,
        other_startup=other,
        household=household,
        plan=plan,
        mentor=mentor,
    )


def projects_for(cast: Cast) -> Projects:
    """The cast's ``Projects``, built on first use (for the role table's lambdas)."""
    if getattr(cast, "_projects", None) is None:
        cast._projects = build_projects(cast)
    return cast._projects


@pytest.fixture
def projects(cast, media_root) -> Projects:
    return projects_for(cast)


def in_english(client):
    """The client with English chosen (the pages take the language from its cookie, not the header)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
