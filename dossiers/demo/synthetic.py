"""Synthetic dossiers for the province of ``demo.synthetic``: tens of thousands, every status.

At scale 1 the province has 100 current communes and about 200 dossiers each, some 20,000 in all,
filed over the two years up to the day before ``as_of`` (today unless given), with their timelines
(about six events each), supplement rounds, apologies, ratings and inquiries. They are planned in
``dossiers.demo.synthetic_plan`` (their words are in ``dossiers.demo.synthetic_texts``); this module
writes the plan, and ``write(province)`` is the one-stop shop's part of ``demo.synthetic``.

The same seed and ``as_of`` always give the same dossiers. Rows are written with ``bulk_create`` in
batches: no ``save()`` (the derived search columns are set here), no audit records, no notifications,
no files (the dossiers carry no documents).
"""

import contextlib
from collections import Counter

from demo.synthetic import UNUSABLE_PASSWORD, SyntheticProvince
from dossiers.demo.synthetic_plan import PlannedApplicant, Planner, plan_dossiers
from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import Applicant, Dossier, DossierEvent, Inquiry, SupplementRequest
from portal.models import Target, User
from portal.text import fold

BATCH_SIZE = 500
# Dossiers per current commune unless generate_data says otherwise: some 20,000 at scale 1.
DOSSIERS_PER_COMMUNE = 200


@contextlib.contextmanager
def _given_times(*fields):
    """Let bulk_create write the times given rather than now, for fields stamped when a row is added."""
    for model_field in fields:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in fields:
            model_field.auto_now_add = True


def _user_id(actor) -> int:
    return actor.account.pk if isinstance(actor, PlannedApplicant) else actor.row.pk


def write_dossiers(planner: Planner, unusable_password: str) -> Counter:
    counts = Counter()
    accounts = []
    for applicant in planner.all_applicants:
        if applicant.username:
            applicant.account = User(
                username=applicant.username, full_name=applicant.full_name, password=unusable_password
            )
            accounts.append(applicant.account)
    User.objects.bulk_create(accounts, batch_size=BATCH_SIZE)
    applicants = []
    for applicant in planner.all_applicants:
        applicant.row = Applicant(
            kind=applicant.kind,
            full_name=applicant.full_name,
            enterprise_name=applicant.enterprise_name,
            national_id=applicant.national_id,
            phone=applicant.phone,
            address=applicant.address,
            unit_id=applicant.unit.row.pk,
            user_id=applicant.account.pk if applicant.account else None,
            consent_at=applicant.consent_at,
            search_name=fold(f"{applicant.full_name} {applicant.enterprise_name}"),
        )
        applicants.append(applicant.row)
    Applicant.objects.bulk_create(applicants, batch_size=BATCH_SIZE)

    rows = []
    for dossier in planner.dossiers:
        applicant = dossier.applicant
        dossier.row = Dossier(
            code=dossier.code,
            procedure_id=dossier.procedure.pk,
            procedure_version_id=dossier.version.row.pk,
            applicant_id=applicant.row.pk,
            filed_by_id=_user_id(dossier.filed_by),
            channel=dossier.channel,
            unit_id=dossier.unit.row.pk,
            handling_team_id=dossier.team.row.pk if dossier.team else None,
            status=dossier.status,
            summary=dossier.summary,
            search_text=fold(f"{dossier.code} {applicant.full_name} {applicant.enterprise_name}")[:500],
            **dossier.values,
        )
        rows.append(dossier.row)
        counts[f"dossiers {dossier.status}"] += 1
    Dossier.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    events, supplements, inquiries = [], [], []
    for dossier in planner.dossiers:
        for action, from_status, to_status, at, actor, note in dossier.events:
            events.append(
                DossierEvent(
                    dossier_id=dossier.row.pk,
                    at=at,
                    actor_id=_user_id(actor),
                    from_status=from_status,
                    to_status=to_status,
                    action=action,
                    note=note,
                )
            )
        for number, requested_at, by, note, supplied_at, _requirement in dossier.supplements:
            supplements.append(
                SupplementRequest(
                    dossier_id=dossier.row.pk,
                    round=number,
                    requested_at=requested_at,
                    requested_by_id=_user_id(by),
                    note=note,
                    supplied_at=supplied_at,
                )
            )
        for inquiry in dossier.inquiries:
            inquiries.append(
                Inquiry(
                    dossier_id=dossier.row.pk,
                    raised_by_id=_user_id(inquiry["raised_by"]),
                    raised_at=inquiry["raised_at"],
                    question=inquiry["question"],
                    reply_due=inquiry["reply_due"],
                    team_id=inquiry["team"].row.pk,
                    escalated_at=inquiry["escalated_at"],
                    reply=inquiry["reply"],
                    replied_at=inquiry["replied_at"],
                    replied_by_id=_user_id(inquiry["replied_by"]) if inquiry["replied_by"] else None,
                )
            )
    stamped = (
        DossierEvent._meta.get_field("at"),
        SupplementRequest._meta.get_field("requested_at"),
        Inquiry._meta.get_field("raised_at"),
    )
    with _given_times(*stamped):
        DossierEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        SupplementRequest.objects.bulk_create(supplements, batch_size=BATCH_SIZE)
        Inquiry.objects.bulk_create(inquiries, batch_size=BATCH_SIZE)
    missing = SupplementRequest.missing.through
    requirements = [
        missing(supplementrequest_id=row.pk, requirement_id=planned[5])
        for row, planned in zip(
            supplements,
            (planned for dossier in planner.dossiers for planned in dossier.supplements),
            strict=True,
        )
    ]
    missing.objects.bulk_create(requirements, batch_size=BATCH_SIZE)

    counts.update(
        {
            "applicants": len(applicants),
            "applicant accounts": len(accounts),
            "dossiers": len(rows),
            "dossier events": len(events),
            "supplement requests": len(supplements),
            "inquiries": len(inquiries),
        }
    )
    return counts


def write(province: SyntheticProvince) -> Counter:
    """The one-stop shop's part of the synthetic province: its applicants and dossiers."""
    planner = plan_dossiers(
        province.plan,
        count=province.options.get("dossiers_per_commune", DOSSIERS_PER_COMMUNE) * province.current_communes,
        seed=province.seed,
        as_of=province.as_of,
        taken_usernames=province.taken_usernames(),
    )
    counts = write_dossiers(planner, UNUSABLE_PASSWORD)
    counts["targets of dossiers"] = _write_targets(province)
    return counts


def _write_targets(province: SyntheticProvince) -> int:
    """The province's yearly target of dossiers received: some 80 for each current commune."""
    years = (province.as_of.year - 1, province.as_of.year)
    value = 80 * province.current_communes
    Target.objects.bulk_create(
        Target(unit=province.province, year=year, measure=DOSSIERS_RECEIVED, value=value) for year in years
    )
    return len(years)
