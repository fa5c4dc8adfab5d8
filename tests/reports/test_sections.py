"""The portal's review-report sections on hand-built data whose answers are worked out by hand.

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
"""

import datetime
import json
import zoneinfo
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

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
from dossiers.report_sections import DossierSection
from portal.models import AdminUnit, Target, Team, User
from reports.building import compose
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import SectionShapeError, check_shape
from teamwork.measures import OUTREACH_EVENTS, PEOPLE_REACHED
from teamwork.models import Activity
from teamwork.report_sections import TeamWorkSection
from tests.factories import AdminUnitFactory, TeamFactory, UserFactory

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
    return Land(province, district_1, district_2, commune_a, commune_b, commune_c, new_commune, cat)


def table(content, key) -> dict:
    return next(table for table in content["tables"] if table["key"] == key)


def rows(table) -> list:
    return [row["cells"] for row in table["rows"]]


# Nothing happened then: the previous period the sections' own tests pass (compose's tests check it).
LONG_AGO = (D(2000, 1, 1), D(2000, 3, 31))


def build(section, unit, first, last) -> dict:
    """The section's content over ``first``..``last``, each measure without its previous value."""
    content = section.build(unit, (first, last), LONG_AGO)
    for measure in content["measures"]:
        del measure["previous"]
    return content


def values(content) -> dict:
    return {measure["key"]: measure["value"] for measure in content["measures"]}


# 1. The dossiers section on a quarter.


def test_dossier_measures_in_a_quarter(land):
    content = build(DossierSection(), land.province, *Q2_2025)
    # Received in Q2: #1 #2 #3 #4 (30/06 23:30 local) and #7; not #5 (01/07 00:10 local) nor #6 (March).
    # Decided in Q2: #1 #2 #3 #6 #7. On time: #1 (20/04 ≤ 24/04), #6 (02/04 ≤ 03/04), #7 (19/05 23:30 ≤
    # 19/05). Late: #2 (30/04 local, though 29/04 in UTC) and #3 (20/05: within the apology's 23/05 but
    # after the 16/05 it is judged against). 3 of 5 = 60.0 %.
    # Supplement rounds requested in Q2: #3 ×2 and #7; not #6's (March) nor #4's (01/07).
    # Documents asked for the five received: mandatory 2+2+2+1+2 = 9 (the optional certificate is not),
    # less reused 2 (#1, #7; #6 was received in March), plus missing in their rounds 2+1 (#3), 1 (#4, asked
    # on 01/07), 1 (#7) = 5: 12 / 5 = 2.4.
    # Inquiries replied in Q2: #1's (on time, at 23:30 on its date), #7's two (one two days late): 2 of 3.
    # Ratings of the results returned in Q2: #1 5, #2 2, #3 1, #6 2, #7 4: 14 / 5 = 2.8.
    # Target: 365 dossiers in 2025 × 91/365 days = 91.0.
    assert content["measures"] == [
        {"key": "received", "label": "Dossiers received", "value": 5, "target": 91.0, "format": "count"},
        {"key": "decided", "label": "Dossiers decided", "value": 5, "target": None, "format": "count"},
        {"key": "on_time", "label": "Decided on time", "value": 3, "target": None, "format": "count"},
        {"key": "late", "label": "Decided late", "value": 2, "target": None, "format": "count"},
        {
            "key": "on_time_percent",
            "label": "Share decided on time",
            "value": 60.0,
            "target": None,
            "format": "percent",
        },
        {"key": "supplements", "label": "Supplement requests", "value": 3, "target": None, "format": "count"},
        {
            "key": "documents_asked",
            "label": "Documents asked per dossier",
            "value": 2.4,
            "target": None,
            "format": "decimal",
        },
        {
            "key": "inquiries_answered",
            "label": "Inquiries answered",
            "value": 3,
            "target": None,
            "format": "count",
        },
        {
            "key": "inquiries_on_time_percent",
            "label": "Inquiries answered on time",
            "value": 66.7,
            "target": None,
            "format": "percent",
        },
        {
            "key": "mean_rating",
            "label": "Mean applicant rating",
            "value": 2.8,
            "target": None,
            "format": "rating",
        },
        {"key": "ratings", "label": "Ratings given", "value": 5, "target": None, "format": "count"},
    ]


def test_dossier_tables_by_unit_and_by_procedure_in_a_quarter(land):
    content = build(DossierSection(), land.province, *Q2_2025)
    by_unit = table(content, "by_unit")
    assert [column["key"] for column in by_unit["columns"]] == [
        "name",
        "received",
        "decided",
        "on_time",
        "late",
        "on_time_percent",
        "supplements",
        "documents_asked",
        "inquiries_answered",
        "inquiries_on_time_percent",
        "mean_rating",
    ]
    assert [row["unit_id"] for row in by_unit["rows"]] == [land.district.pk, land.other_district.pk]
    # Huyện Chợ Lách (Sơn Định, Hòa Nghĩa): received #1 #2 #3 #4; decided #1 #2 #3 #6, on time #1 #6;
    # rounds #3 ×2; documents (2+2+2+1) − 1 + (2+1+1) = 10 / 4 = 2.5; inquiry #1 on time;
    # ratings 5+2+1+2 = 10 / 4 = 2.5.
    # Huyện Mỏ Cày Nam (Cẩm Sơn): #7 received and decided on time; one round; 2 − 1 + 1 = 2 / 1;
    # two inquiries, one late; rating 4.
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 4, 4, 2, 2, 50.0, 2, 2.5, 1, 100.0, 2.5],
        ["Huyện Mỏ Cày Nam", 1, 1, 1, 0, 100.0, 1, 2.0, 2, 50.0, 4.0],
    ]
    assert by_unit["total"] == ["Total", 5, 5, 3, 2, 60.0, 3, 2.4, 3, 66.7, 2.8]

    # By procedure, in code-point order ("C" before "Đ"). Conversion: #4 received, nothing decided,
    # 1 mandatory + 1 asked again on 01/07 = 2.0. Startup: #1 #2 #3 #7 received; #1 #2 #3 #6 #7 decided,
    # #1 #6 #7 on time; 8 − 2 + (2+1+1) = 10 / 4 = 2.5; inquiries 2 of 3; ratings 14 / 5.
    by_procedure = table(content, "by_procedure")
    assert [row["unit_id"] for row in by_procedure["rows"]] == [None, None]
    assert rows(by_procedure) == [
        [CONVERSION, 1, 0, 0, 0, None, 0, 2.0, 0, None, None],
        [STARTUP, 4, 5, 3, 2, 60.0, 3, 2.5, 3, 66.7, 2.8],
    ]
    assert by_procedure["total"] == by_unit["total"]
    chart = content["charts"][0]
    assert (chart["key"], chart["categories"]) == ("on_time_by_unit", ["Huyện Chợ Lách", "Huyện Mỏ Cày Nam"])
    assert [series["values"] for series in chart["series"]] == [[2, 1], [2, 0]]


def test_dossier_flags_name_the_row_they_concern(land):
    flags = build(DossierSection(), land.province, *Q2_2025)["flags"]
    # Huyện Chợ Lách: 2 of 4 late (50 % on time, under 90 %) and a mean rating of 2.5 (under 3).
    # Huyện Mỏ Cày Nam: 100 % on time and a rating of 4, but one of its two inquiries answered late.
    assert flags == [
        {
            "where": "Huyện Chợ Lách",
            "message": "%(late)s of %(decided)s dossiers decided late.",
            "params": {"late": 2, "decided": 4},
        },
        {
            "where": "Huyện Chợ Lách",
            "message": "Applicants rated the service %(rating)s out of 5 on average.",
            "params": {"rating": 2.5},
        },
        {
            "where": "Huyện Mỏ Cày Nam",
            "message": "%(late)s of %(answered)s inquiries answered after their reply date.",
            "params": {"late": 1, "answered": 2},
        },
    ]


# 2. Across the 1 July 2025 reform.


def test_a_period_across_the_reform_drills_down_to_the_old_district_and_the_new_commune(land):
    content = build(DossierSection(), land.province, *ACROSS_THE_REFORM)
    by_unit = table(content, "by_unit")
    assert [row["unit_id"] for row in by_unit["rows"]] == [
        land.district.pk,
        land.other_district.pk,
        land.new_commune.pk,
    ]
    # Received 01/06–31/07: #4 (Hòa Nghĩa, 30/06), #5 (Sơn Định, 01/07: an old commune, still rolls up to
    # its old district) and #8 (Xã Chợ Lách). Decided: #4 on 15/07, a day after its 14/07 (late), and #8
    # on 22/07 ≤ 24/07. #4's round was requested on 01/07. Documents: #4 1 + 1 asked again, #5 1, #8 1:
    # 3 / 2 = 1.5 and 1 / 1; in all 4 / 3 = 1.3.
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 2, 1, 0, 1, 0.0, 1, 1.5, 0, None, None],
        ["Huyện Mỏ Cày Nam", 0, 0, 0, 0, None, 0, None, 0, None, None],
        ["Xã Chợ Lách", 1, 1, 1, 0, 100.0, 0, 1.0, 0, None, None],
    ]
    assert by_unit["total"] == ["Total", 3, 2, 1, 1, 50.0, 1, 1.3, 0, None, None]


def test_dossiers_of_old_communes_after_the_reform_roll_up_to_their_successor(land):
    # Q3 2025: the only row is Xã Chợ Lách (the districts and old communes ended on 30/06). Received:
    # #5 (01/07 00:10 on Xã Sơn Định) and #8; decided: #4 (Xã Hòa Nghĩa, received 30/06 and decided
    # 15/07, a day late) and #8 (on time); #4's round on 01/07; documents 1 + 1 for #5 and #8.
    content = build(DossierSection(), land.province, *Q3_2025)
    by_unit = table(content, "by_unit")
    assert [row["unit_id"] for row in by_unit["rows"]] == [land.new_commune.pk]
    assert by_unit["total"] == ["Total", 2, 2, 1, 1, 50.0, 1, 1.0, 0, None, None]
    # Sơn Định and Hòa Nghĩa became Xã Chợ Lách: their dossiers belong to its row, as their
    # activities and teams do in the team-work section. Today the row holds only #8.
    assert rows(by_unit) == [["Xã Chợ Lách", 2, 2, 1, 1, 50.0, 1, 1.0, 0, None, None]]
    assert [flag["where"] for flag in content["flags"]] == ["Xã Chợ Lách"]


@dataclass
class Merged:
    new_province: AdminUnit
    old_districts: list[AdminUnit]
    new_communes: list[AdminUnit]


@pytest.fixture
def merged(db) -> Merged:
    """Tỉnh Vĩnh Long (from 01/07/2025) replaced Tỉnh Bến Tre and the old Tỉnh Vĩnh Long (until 30/06/2025).

    Bến Tre ── Huyện Chợ Lách ── Xã Sơn Định        →  Vĩnh Long (new) ── Xã Chợ Lách
    Vĩnh Long (old) ── Huyện Long Hồ ── Xã Long Phước  →                 └─ Phường Long Châu
    """
    province, district = AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT
    ben_tre = AdminUnitFactory(code="83", name="Tỉnh Bến Tre", level=province, kind="Tỉnh", valid_until=END)
    old_vinh_long = AdminUnitFactory(
        code="86", name="Tỉnh Vĩnh Long", level=province, kind="Tỉnh", valid_until=END
    )
    new_vinh_long = AdminUnitFactory(
        code="86", name="Tỉnh Vĩnh Long", level=province, kind="Tỉnh", valid_from=START
    )
    ben_tre.successors.add(new_vinh_long)
    old_vinh_long.successors.add(new_vinh_long)
    cho_lach = AdminUnitFactory(
        code="831", name="Huyện Chợ Lách", level=district, kind="Huyện", parent=ben_tre, valid_until=END
    )
    long_ho = AdminUnitFactory(
        code="861", name="Huyện Long Hồ", level=district, kind="Huyện", parent=old_vinh_long, valid_until=END
    )
    son_dinh = AdminUnitFactory(code="83101", name="Xã Sơn Định", parent=cho_lach, valid_until=END)
    long_phuoc = AdminUnitFactory(code="86101", name="Xã Long Phước", parent=long_ho, valid_until=END)
    new_cho_lach = AdminUnitFactory(code="86201", name="Xã Chợ Lách", parent=new_vinh_long, valid_from=START)
    long_chau = AdminUnitFactory(
        code="86202", name="Phường Long Châu", kind="Phường", parent=new_vinh_long, valid_from=START
    )
    son_dinh.successors.add(new_cho_lach)
    long_phuoc.successors.add(long_chau)
    cat = make_catalogue(son_dinh)
    dossier(cat, son_dinh, cat.startup, at(2024, 5, 10))
    dossier(cat, son_dinh, cat.startup, at(2024, 9, 10))
    dossier(cat, long_phuoc, cat.conversion, at(2024, 12, 31, 23, 30))
    dossier(cat, new_cho_lach, cat.startup, at(2026, 3, 10))
    dossier(cat, long_chau, cat.conversion, at(2026, 2, 1))
    dossier(cat, long_chau, cat.conversion, at(2027, 1, 1, 0, 10))  # not in 2026
    return Merged(new_vinh_long, [cho_lach, long_ho], [long_chau, new_cho_lach])


def test_the_new_province_drills_down_to_the_old_districts_before_the_reform_and_its_communes_after(merged):
    year_2024 = table(build(DossierSection(), merged.new_province, D(2024, 1, 1), D(2024, 12, 31)), "by_unit")
    assert [row["unit_id"] for row in year_2024["rows"]] == [unit.pk for unit in merged.old_districts]
    assert [row[:2] for row in rows(year_2024)] == [["Huyện Chợ Lách", 2], ["Huyện Long Hồ", 1]]
    assert year_2024["total"][:2] == ["Total", 3]

    year_2026 = table(build(DossierSection(), merged.new_province, D(2026, 1, 1), D(2026, 12, 31)), "by_unit")
    assert [row["unit_id"] for row in year_2026["rows"]] == [unit.pk for unit in merged.new_communes]
    assert [row[:2] for row in rows(year_2026)] == [["Phường Long Châu", 1], ["Xã Chợ Lách", 1]]
    assert year_2026["total"][:2] == ["Total", 2]


def test_the_previous_values_are_the_previous_period_built_alone(land):
    for section in (DossierSection(), TeamWorkSection()):
        both = section.build(land.province, Q2_2025, (D(2025, 1, 1), D(2025, 3, 31)))
        alone = build(section, land.province, D(2025, 1, 1), D(2025, 3, 31))
        assert [m["previous"] for m in both["measures"]] == [m["value"] for m in alone["measures"]]
        assert any(m["previous"] for m in both["measures"])


# 3. The team-work section.


def test_teamwork_measures_with_pro_rated_targets(land):
    content = build(TeamWorkSection(), land.province, *Q2_2025)
    # Held in the province in Q2: TA's three outreach events (50 + 30 + 20 people), TD's two visits and
    # its interim review (10 people); TB's training was in January. Targets × 91/365: 73 → 18.2,
    # 730 → 182.0; no target for visits or reviews. Teams active in Q2: TD, TA, TB, TC (TN starts 01/07,
    # the council is not a support team); silent: TB and TC; flagged: TA (under target), TB, TC.
    assert [(m["key"], m["label"], m["value"], m["target"], m["format"]) for m in content["measures"]] == [
        ("activities", "Activities recorded", 6, None, "count"),
        ("outreach_events", "outreach events", 3, 18.2, "count"),
        ("people_reached", "people reached", 110, 182.0, "count"),
        ("support_visits", "support visits to communes", 2, None, "count"),
        ("reviews_held", "reviews held", 1, None, "count"),
        ("teams", "Support teams", 4, None, "count"),
        ("silent_teams", "Teams without activity", 2, None, "count"),
        ("flagged_teams", "Teams flagged", 3, None, "count"),
    ]


def test_teamwork_flags_are_stored_as_messages_with_plain_params(land):
    flags = build(TeamWorkSection(), land.province, *Q2_2025)["flags"]
    # TC never recorded anything; TB's last activity was on 15/01, 166 days before 30/06; TA's three
    # outreach events are under half of 25 × 91/365 = 6.23… (6.2); its 100 people are not under half of 91.
    assert flags == [
        {"where": "Tổ xã Cẩm Sơn", "message": "No activity in this period.", "params": {}},
        {"where": "Tổ xã Cẩm Sơn", "message": "No activity recorded yet.", "params": {}},
        {"where": "Tổ xã Hòa Nghĩa", "message": "No activity in this period.", "params": {}},
        {
            "where": "Tổ xã Hòa Nghĩa",
            "message": "No activity for %(days)s days (last on %(day)s).",
            "params": {"days": 166, "day": "15/01/2025"},
        },
        {
            "where": "Tổ xã Sơn Định",
            "message": "%(measure)s: %(achieved)s, under half of the target for the period (%(target)s).",
            "params": {"measure": "outreach events", "achieved": 3, "target": 6.2},
        },
    ]


def test_teamwork_tables(land):
    content = build(TeamWorkSection(), land.province, *Q2_2025)
    teams = table(content, "teams")
    assert [row["unit_id"] for row in teams["rows"]] == [
        land.district.pk,
        land.commune_c.pk,
        land.commune_b.pk,
        land.commune_a.pk,
    ]
    # Activities, outreach events, people, visits, reviews the team recorded; last activity; flags.
    assert rows(teams) == [
        ["Tổ huyện Chợ Lách", 3, 0, 10, 2, 1, "2025-06-25", 0],
        ["Tổ xã Cẩm Sơn", 0, 0, 0, 0, 0, None, 2],
        ["Tổ xã Hòa Nghĩa", 0, 0, 0, 0, 0, "2025-01-15", 2],
        ["Tổ xã Sơn Định", 3, 3, 100, 0, 0, "2025-06-15", 1],
    ]
    assert teams["total"] is None
    by_unit = table(content, "by_unit")
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 6, 3, 110, 2, 1, 3, 1],
        ["Huyện Mỏ Cày Nam", 0, 0, 0, 0, 0, 1, 1],
    ]
    assert by_unit["total"] == ["Total", 6, 3, 110, 2, 1, 4, 2]
    assert rows(table(content, "support_visits")) == [
        ["Xã Cẩm Sơn", 0, None],
        ["Xã Hòa Nghĩa", 0, None],
        ["Xã Sơn Định", 2, "2025-06-10"],
    ]


# 4. Composing a report.


Q2_REVIEW = ReviewPeriod(PeriodKind.QUARTERLY, *Q2_2025)


def test_compose_puts_the_previous_periods_values_beside_each_measure(land):
    report = compose(land.province, Q2_REVIEW)
    assert report["period"] == {"kind": "quarterly", "first": "2025-04-01", "last": "2025-06-30"}
    assert report["previous"] == {"kind": "quarterly", "first": "2025-01-01", "last": "2025-03-31"}
    sections = {section["key"]: section for section in report["sections"]}
    assert list(sections) == ["dossiers", "teamwork"]
    # Q1 2025: #6 received (20/03), nothing decided; #6's round (25/03); documents 2 − 1 reused + 1 = 2.0;
    # #6's inquiry answered on 27/03 ≤ 28/03; no result returned.
    assert {m["key"]: (m["value"], m["previous"]) for m in sections["dossiers"]["measures"]} == {
        "received": (5, 1),
        "decided": (5, 0),
        "on_time": (3, 0),
        "late": (2, 0),
        "on_time_percent": (60.0, None),
        "supplements": (3, 1),
        "documents_asked": (2.4, 2.0),
        "inquiries_answered": (3, 1),
        "inquiries_on_time_percent": (66.7, 100.0),
        "mean_rating": (2.8, None),
        "ratings": (5, 0),
    }
    # Q1 2025: only TB's training (15 people). TD, TA and TC are silent; every team is flagged (TB: 75 days
    # since 15/01 by 31/03).
    assert {m["key"]: (m["value"], m["previous"]) for m in sections["teamwork"]["measures"]} == {
        "activities": (6, 1),
        "outreach_events": (3, 0),
        "people_reached": (110, 15),
        "support_visits": (2, 0),
        "reviews_held": (1, 0),
        "teams": (4, 4),
        "silent_teams": (2, 3),
        "flagged_teams": (3, 4),
    }


def test_compose_gives_json_following_the_interface_with_untranslated_labels(land):
    with translation.override("vi"):
        assert gettext("outreach events") != "outreach events"  # the catalogue does translate it
        report = compose(land.province, Q2_REVIEW)
    assert json.loads(json.dumps(report)) == report
    for section in report["sections"]:
        parts = {part: section[part] for part in ("measures", "tables", "charts", "flags")}
        assert check_shape(section["key"], parts) is parts
    sections = {section["key"]: section for section in report["sections"]}
    assert [section["title"] for section in report["sections"]] == [
        "One-stop-shop dossiers",
        "The support teams' work",
    ]
    assert [m["label"] for m in sections["teamwork"]["measures"]][1:5] == [
        "outreach events",
        "people reached",
        "support visits to communes",
        "reviews held",
    ]
    assert [column["label"] for column in table(sections["teamwork"], "teams")["columns"]][:2] == [
        "Team",
        "Activities",
    ]
    assert sections["teamwork"]["flags"][0]["message"] == "No activity in this period."
    assert sections["teamwork"]["flags"][-1]["params"]["measure"] == "outreach events"
    assert table(sections["dossiers"], "by_unit")["columns"][1]["label"] == "Dossiers received"


GOOD = {"measures": [], "tables": [], "charts": [], "flags": []}
COLUMN = {"key": "name", "label": "Unit", "format": "text"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"measures": [], "tables": [], "charts": []}, "the parts are"),
        ({**GOOD, "measures": [{"key": "received", "label": "Received", "value": 1}]}, "lacks"),
        (
            {
                **GOOD,
                "measures": [
                    {"key": "n", "label": "N", "value": 1, "previous": 0, "target": None, "format": "money"}
                ],
            },
            "unknown format 'money'",
        ),
        (
            {
                **GOOD,
                "tables": [
                    {"key": "by_unit", "title": "By unit", "columns": [COLUMN], "rows": [{"cells": ["A", 1]}]}
                ],
            },
            "rows of different widths",
        ),
        (
            {
                **GOOD,
                "charts": [{"key": "c", "categories": ["A", "B"], "series": [{"label": "x", "values": [1]}]}],
            },
            "different lengths",
        ),
        ({**GOOD, "flags": [{"where": "Xã Sơn Định", "message": "Late."}]}, "lacks where, message or params"),
    ],
)
def test_check_shape_rejects_a_malformed_section(content, problem):
    with pytest.raises(SectionShapeError, match=problem):
        check_shape("broken", content)


# 5. Queries.

N = 3


def add_rows(land: Land, count: int) -> None:
    """``count`` more communes of Huyện Chợ Lách, each with a team, an activity and two busy dossiers."""
    cat, day = land.catalogue, datetime.timedelta(days=1)
    recorder = UserFactory()
    for _ in range(count):
        commune = AdminUnitFactory(parent=land.district, valid_until=END)
        team = TeamFactory(unit=commune, active_until=END)
        activity(
            team, Activity.Kind.OUTREACH, D(2025, 5, 3), commune, 7, channel="meeting", recorded_by=recorder
        )
        for received in (at(2025, 2, 3), at(2025, 5, 3)):  # one in each period of the report
            on = dossier(
                cat, commune, cat.startup, received, due=received.date() + 14 * day,
                decided=received + 10 * day, returned=received + 11 * day, rating=4,
            )  # fmt: skip
            reused(cat, on, cat.id_copy)
            supplement(cat, on, 1, received + day, [cat.plan])
            inquiry(cat, on, team, received.date() + 5 * day, received + 2 * day)


# Dossiers 10 for both periods at once (units of the period, the subtree's successor links, the
# procedures' names, the mandatory documents per version, five grouped counts, the unit's targets)
# and team work 6 for both periods too (see unit_evenness_over).
COMPOSE_QUERIES = 10 + 6


@pytest.mark.parametrize("count", [N, 10 * N])
def test_compose_costs_the_same_queries_whatever_the_rows(land, count):
    add_rows(land, count)
    with CaptureQueriesContext(connection) as queries:
        report = compose(land.province, Q2_REVIEW)
    assert len(queries) == COMPOSE_QUERIES
    received = report["sections"][0]["measures"][0]
    assert (received["value"], received["previous"]) == (5 + count, 1 + count)
