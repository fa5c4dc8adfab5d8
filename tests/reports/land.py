"""Hand-built data for the review-report sections' tests, whose answers are worked out by hand.

Tỉnh Thử Nghiệm (always)
├── Huyện Chợ Lách (until 30/06/2025)        team TD (district, until 30/06/2025)
│   ├── Xã Sơn Định (until 30/06/2025)       team TA (commune, until 30/06/2025)
│   └── Xã Hòa Nghĩa (until 30/06/2025)      team TB (commune, until 30/06/2025)
├── Huyện Mỏ Cày Nam (until 30/06/2025)
│   └── Xã Cẩm Sơn (until 30/06/2025)        team TC (commune, until 30/06/2025, never active)
└── Xã Chợ Lách (from 01/07/2025, formed from Sơn Định and Hòa Nghĩa)   team TN (from 01/07/2025)

Two procedures: "Đăng ký hỗ trợ dự án khởi nghiệp" (startup; two mandatory documents, the plan
and the CCCD copy, and one optional certificate) and "Chuyển đổi hộ kinh doanh lên doanh nghiệp"
(conversion; one mandatory request form).

Dossiers (local time, Asia/Ho_Chi_Minh; "due" is the due date, "orig." the one before an apology):

| # | unit         | procedure  | received          | due    | orig.  | decided           | returned, rating |
|---|--------------|------------|-------------------|--------|--------|-------------------|------------------|
| 1 | Sơn Định     | startup    | 10/04/2025 09:00  | 24/04  |        | 20/04 09:00       | 21/04, 5         |
| 2 | Sơn Định     | startup    | 15/04/2025 09:00  | 29/04  |        | 30/04 02:00 (*)   | 06/05, 2         |
| 3 | Hòa Nghĩa    | startup    | 02/05/2025 09:00  | 23/05  | 16/05  | 20/05 09:00       | 21/05, 1         |
| 4 | Hòa Nghĩa    | conversion | 30/06/2025 23:30  | 14/07  |        | 15/07/2025 09:00  |                  |
| 5 | Sơn Định     | conversion | 01/07/2025 00:10  |        |        |                   |                  |
| 6 | Sơn Định     | startup    | 20/03/2025 09:00  | 03/04  |        | 02/04 09:00       | 03/04, 2         |
| 7 | Cẩm Sơn      | startup    | 05/05/2025 09:00  | 19/05  |        | 19/05 23:30       | 20/05, 4         |
| 8 | Xã Chợ Lách  | conversion | 10/07/2025 09:00  | 24/07  |        | 22/07/2025 09:00  |                  |

(*) 29/04 19:00 in UTC: late only when the decision's date is read in local time.

Reused documents: the CCCD copy of #1, #6 and #7. Supplement rounds (requested on; missing):
#3 round 1 on 08/05/2025 (plan, CCCD), #3 round 2 on 12/05/2025 (plan), #6 on 25/03/2025 (plan),
#4 on 01/07/2025 (request form), #7 on 10/05/2025 (plan).
Inquiries (reply date; replied): #1 (15/04; 15/04 23:30), #7 (10/05; 12/05), #7 (15/05; 14/05),
#3 (20/06; not replied), #6 (28/03; 27/03).

``from tests.reports.land import *`` brings in the ``land`` fixture.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest
from django.utils import timezone

from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import (
    Applicant,
    Document,
    DocumentKind,
    Dossier,
    DossierDocument,
    Inquiry,
    Procedure,
    ProcedureVersion,
    Requirement,
    SupplementRequest,
)
from portal import figures
from portal.models import AdminUnit, Target, Team, User
from teamwork.measures import OUTREACH_EVENTS, PEOPLE_REACHED
from teamwork.models import Activity
from tests.factories import AdminUnitFactory, TeamFactory, UserFactory

__all__ = ["land"]


D = datetime.date
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
END, START = D(2025, 6, 30), D(2025, 7, 1)  # the last day before the reform and the first after it
Q2_2025 = (D(2025, 4, 1), D(2025, 6, 30))  # 91 days
ACROSS_THE_REFORM = (D(2025, 6, 1), D(2025, 7, 31))
Q3_2025 = (D(2025, 7, 1), D(2025, 9, 30))

STARTUP = "Đăng ký hỗ trợ dự án khởi nghiệp"
CONVERSION = "Chuyển đổi hộ kinh doanh lên doanh nghiệp"


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


# The catalogue and the rows, created straight with the ORM.


@dataclass
class Catalogue:
    startup: ProcedureVersion
    plan: Requirement
    id_copy: Requirement
    conversion: ProcedureVersion
    request_form: Requirement
    clerk: User
    applicant: Applicant


def requirement(version, code, name, position, mandatory=True) -> Requirement:
    kind = DocumentKind.objects.create(code=code, name=name)
    return Requirement.objects.create(
        version=version, document_kind=kind, position=position, is_mandatory=mandatory
    )


def version_of(code, name, team_kind) -> ProcedureVersion:
    procedure = Procedure.objects.create(
        code=code, name=name, audience=Procedure.Audience.STARTUP, handling_team_kind=team_kind
    )
    return ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=D(2024, 1, 1), statutory_working_days=10
    )


def make_catalogue(unit) -> Catalogue:
    startup = version_of("ho-tro-khoi-nghiep", STARTUP, Team.Kind.COMMUNE_TEAM)
    conversion = version_of("chuyen-doi-ho-kinh-doanh", CONVERSION, Team.Kind.COMMUNE_TEAM)
    plan = requirement(startup, "phuong-an-kinh-doanh", "Phương án kinh doanh", 1)
    id_copy = requirement(startup, "ban-sao-cccd", "Bản sao căn cước công dân", 2)
    requirement(startup, "giay-chung-nhan", "Giấy chứng nhận (nếu có)", 3, mandatory=False)
    request_form = requirement(conversion, "giay-de-nghi", "Giấy đề nghị chuyển đổi", 1)
    applicant = Applicant.objects.create(
        unit=unit,
        full_name="Bùi Văn Nộp",
        phone="0912345678",
        address="Ấp Sơn Quy",
        consent_at=timezone.now(),
    )
    return Catalogue(startup, plan, id_copy, conversion, request_form, UserFactory(), applicant)


def dossier(
    cat, unit, version, received, *, due=None, original_due=None, decided=None, returned=None, rating=None
):
    status = Dossier.Status.RECEIVED
    if decided:
        status = Dossier.Status.RESULT_RETURNED if returned else Dossier.Status.DONE
    return Dossier.objects.create(
        procedure=version.procedure,
        procedure_version=version,
        applicant=cat.applicant,
        filed_by=cat.clerk,
        unit=unit,
        status=status,
        submitted_at=received,
        received_at=received,
        due_date=due,
        original_due_date=original_due,
        apology_issued_at=received if original_due else None,
        apology_reason="Chờ ý kiến của sở." if original_due else "",
        decided_at=decided,
        result="Đồng ý." if decided else "",
        result_returned_at=returned,
        rating=rating,
    )


def reused(cat, on: Dossier, requirement: Requirement) -> None:
    document = Document.objects.create(
        applicant=cat.applicant,
        kind=requirement.document_kind,
        file="documents/2025/01/cccd",
        original_name="cccd.pdf",
        content_type="application/pdf",
        size=1000,
        uploaded_by=cat.clerk,
    )
    DossierDocument.objects.create(dossier=on, requirement=requirement, document=document, is_reused=True)


def supplement(cat, on: Dossier, round: int, requested: datetime.datetime, missing: list) -> None:
    request = SupplementRequest.objects.create(
        dossier=on,
        round=round,
        requested_by=cat.clerk,
        note="Thiếu giấy tờ.",
        supplied_at=requested + datetime.timedelta(days=2),
    )
    request.missing.set(missing)
    SupplementRequest.objects.filter(pk=request.pk).update(requested_at=requested)  # auto_now_add


def inquiry(
    cat, on: Dossier, team: Team, reply_due: datetime.date, replied: datetime.datetime | None
) -> None:
    Inquiry.objects.create(
        dossier=on,
        raised_by=cat.clerk,
        question="Khi nào có kết quả?",
        reply_due=reply_due,
        team=team,
        reply="Đã trả lời." if replied else "",
        replied_at=replied,
        replied_by=cat.clerk if replied else None,
    )


def activity(team, kind, day, unit, people=0, **extra) -> Activity:
    return Activity.objects.create(
        team=team, kind=kind, held_on=day, unit=unit, people_reached=people, topics="Khởi nghiệp", **extra
    )


@dataclass
class Land:
    province: AdminUnit
    district: AdminUnit
    other_district: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    commune_c: AdminUnit
    new_commune: AdminUnit
    catalogue: Catalogue


@pytest.fixture
def land(db) -> Land:
    province = AdminUnitFactory(
        code="98", name="Tỉnh Thử Nghiệm", level=AdminUnit.Level.PROVINCE, kind="Tỉnh"
    )

    def district(code, name):
        return AdminUnitFactory(
            code=code,
            name=name,
            level=AdminUnit.Level.DISTRICT,
            kind="Huyện",
            parent=province,
            valid_until=END,
        )

    district_1, district_2 = district("981", "Huyện Chợ Lách"), district("982", "Huyện Mỏ Cày Nam")
    commune_a = AdminUnitFactory(code="98101", name="Xã Sơn Định", parent=district_1, valid_until=END)
    commune_b = AdminUnitFactory(code="98102", name="Xã Hòa Nghĩa", parent=district_1, valid_until=END)
    commune_c = AdminUnitFactory(code="98201", name="Xã Cẩm Sơn", parent=district_2, valid_until=END)
    new_commune = AdminUnitFactory(code="98103", name="Xã Chợ Lách", parent=province, valid_from=START)
    commune_a.successors.add(new_commune)
    commune_b.successors.add(new_commune)

    district_team = TeamFactory(
        name="Tổ huyện Chợ Lách", kind=Team.Kind.DISTRICT_TEAM, unit=district_1, active_until=END
    )
    team_a = TeamFactory(name="Tổ xã Sơn Định", unit=commune_a, active_until=END)
    team_b = TeamFactory(name="Tổ xã Hòa Nghĩa", unit=commune_b, active_until=END)
    team_c = TeamFactory(name="Tổ xã Cẩm Sơn", unit=commune_c, active_until=END)
    new_team = TeamFactory(name="Tổ xã Chợ Lách", unit=new_commune, active_from=START)
    TeamFactory(name="Hội đồng", kind=Team.Kind.COUNCIL, unit=province)  # not a support team

    by = {"recorded_by": UserFactory()}
    outreach, visit, review = (
        Activity.Kind.OUTREACH,
        Activity.Kind.SUPPORT_VISIT,
        Activity.Kind.REVIEW_MEETING,
    )
    mass = Activity.Channel.MASS_ORGANISATION
    activity(team_a, outreach, D(2025, 4, 10), commune_a, 50, channel=Activity.Channel.MEETING, **by)
    activity(
        team_a, outreach, D(2025, 5, 20), commune_a, 30, channel=mass, mass_organisation="womens_union", **by
    )
    activity(
        team_a, outreach, D(2025, 6, 15), commune_a, 20, channel=mass, mass_organisation="youth_union", **by
    )
    activity(district_team, visit, D(2025, 5, 5), commune_a, supported_team=team_a, **by)
    activity(district_team, visit, D(2025, 6, 10), commune_a, supported_team=team_a, **by)
    activity(district_team, review, D(2025, 6, 25), district_1, 10, review_kind="interim", **by)
    activity(team_b, Activity.Kind.TRAINING, D(2025, 1, 15), commune_b, 15, **by)
    activity(new_team, outreach, D(2025, 7, 20), new_commune, 40, channel=Activity.Channel.LOUDSPEAKER, **by)
    activity(new_team, review, D(2025, 7, 30), new_commune, 5, review_kind="final", **by)
    for unit, measure, value in [
        (province, PEOPLE_REACHED, 730),
        (province, OUTREACH_EVENTS, 73),
        (province, DOSSIERS_RECEIVED, 365),
        (commune_a, PEOPLE_REACHED, 365),
        (commune_a, OUTREACH_EVENTS, 25),
    ]:
        Target.objects.create(unit=unit, year=2025, measure=measure, value=value)

    cat = make_catalogue(commune_a)
    startup, conversion = cat.startup, cat.conversion
    d1 = dossier(
        cat, commune_a, startup, at(2025, 4, 10), due=D(2025, 4, 24), decided=at(2025, 4, 20),
        returned=at(2025, 4, 21), rating=5,
    )  # fmt: skip
    dossier(
        cat, commune_a, startup, at(2025, 4, 15), due=D(2025, 4, 29), decided=at(2025, 4, 30, 2),
        returned=at(2025, 5, 6), rating=2,
    )  # fmt: skip
    d3 = dossier(
        cat, commune_b, startup, at(2025, 5, 2), due=D(2025, 5, 23), original_due=D(2025, 5, 16),
        decided=at(2025, 5, 20), returned=at(2025, 5, 21), rating=1,
    )  # fmt: skip
    d4 = dossier(
        cat, commune_b, conversion, at(2025, 6, 30, 23, 30), due=D(2025, 7, 14), decided=at(2025, 7, 15)
    )
    dossier(cat, commune_a, conversion, at(2025, 7, 1, 0, 10))
    d6 = dossier(
        cat, commune_a, startup, at(2025, 3, 20), due=D(2025, 4, 3), decided=at(2025, 4, 2),
        returned=at(2025, 4, 3), rating=2,
    )  # fmt: skip
    d7 = dossier(
        cat, commune_c, startup, at(2025, 5, 5), due=D(2025, 5, 19), decided=at(2025, 5, 19, 23, 30),
        returned=at(2025, 5, 20), rating=4,
    )  # fmt: skip
    dossier(cat, new_commune, conversion, at(2025, 7, 10), due=D(2025, 7, 24), decided=at(2025, 7, 22))
    for on in (d1, d6, d7):
        reused(cat, on, cat.id_copy)
    supplement(cat, d3, 1, at(2025, 5, 8), [cat.plan, cat.id_copy])
    supplement(cat, d3, 2, at(2025, 5, 12), [cat.plan])
    supplement(cat, d6, 1, at(2025, 3, 25), [cat.plan])
    supplement(cat, d4, 1, at(2025, 7, 1), [cat.request_form])
    supplement(cat, d7, 1, at(2025, 5, 10), [cat.plan])
    inquiry(cat, d1, team_a, D(2025, 4, 15), at(2025, 4, 15, 23, 30))
    inquiry(cat, d7, team_c, D(2025, 5, 10), at(2025, 5, 12))
    inquiry(cat, d7, team_c, D(2025, 5, 15), at(2025, 5, 14))
    inquiry(cat, d3, team_b, D(2025, 6, 20), None)
    inquiry(cat, d6, team_a, D(2025, 3, 28), at(2025, 3, 27))
    figures.rebuild()  # the rows above were written straight to the tables
    return Land(province, district_1, district_2, commune_a, commune_b, commune_c, new_commune, cat)


def table(content, key) -> dict:
    return next(table for table in content["tables"] if table["key"] == key)


def rows(table) -> list:
    return [row["cells"] for row in table["rows"]]


# Nothing happened then: the previous period the sections' own tests pass (compose's tests check it).
LONG_AGO = (D(2000, 1, 1), D(2000, 3, 31))


def build(section, unit, first, last) -> dict:
    """The section's content over ``first``..``last``, each measure without its previous value. The land's
    rows are written directly, not through the services, so the stored daily figures are counted again
    first, as after any such load."""
    figures.rebuild()
    content = section.build(unit, (first, last), LONG_AGO)
    for measure in content["measures"]:
        del measure["previous"]
    return content


def values(content) -> dict:
    return {measure["key"]: measure["value"] for measure in content["measures"]}
