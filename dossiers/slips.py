"""The slips a dossier gets, in the usual Vietnamese administrative layout.

Four slips follow the national one-stop-shop forms: the receipt with the date the
result is due ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), the request for a
supplement, the refusal and the apology with a new date. ``build_slip`` gathers
one slip's content into a ``Slip``; the printable page (templates/portal/slips/)
and ``slip_docx`` both lay that same content out, so the paper and the file
always say the same thing.

A slip is an official paper handed to the applicant, so it is always written in
Vietnamese, whatever language the person printing it reads the portal in. Its
wording still goes through gettext like every other string.

Each slip is dated by the moment it records (the receipt by the reception, the
apology by its issue…), so printing it again gives the same paper.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dossiers.models import Dossier, DossierDocument, DossierEvent, SupplementRequest
from portal.docx_layout import (
    borderless,
    cell_lines,
    document_bytes,
    new_document,
    paragraph,
    run,
    set_widths,
)

# The date line's locality, named as the slips' tests know it.
from portal.docx_layout import locality as _place
from portal.personal_data import PersonalDetails, personal_details

RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY = "receipt", "supplement", "refusal", "apology"
SLIP_KINDS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY)
REFUSAL_STATUSES = frozenset({Dossier.Status.NOT_RECEIVED, Dossier.Status.STOPPED})


class SlipNotAvailable(Exception):
    """The dossier has not reached the point where this slip is issued."""


def slip_title(kind: str) -> str:
    """The slip's name as the national forms spell it, in the active language."""
    titles = {
        RECEIPT: _("Receipt of the dossier and appointment for the result"),
        SUPPLEMENT: _("Request to supplement and complete the dossier"),
        REFUSAL: _("Refusal to receive and process the dossier"),
        APOLOGY: _("Apology and new appointment for the result"),
    }
    return titles[kind]


def available_slips(dossier: Dossier, *, has_supplement_requests: bool) -> list[str]:
    """The kinds of slip the dossier has been issued so far, in the order of the dossier's life."""
    kinds = []
    if dossier.received_at is not None:
        kinds.append(RECEIPT)
    if has_supplement_requests:
        kinds.append(SUPPLEMENT)
    if dossier.status in REFUSAL_STATUSES and dossier.closing_reason:
        kinds.append(REFUSAL)
    if dossier.apology_issued_at is not None:
        kinds.append(APOLOGY)
    return kinds


@dataclass(frozen=True)
class Line:
    """A line of the slip's body: ``label: text``, a paragraph when it has no label, and a numbered list."""

    label: str = ""
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    title: str
    note: str
    name: str


@dataclass(frozen=True)
class Slip:
    kind: str
    title: str
    # The issuing body, top left: the unit above, then the team that issues the slip.
    issuer_above: str
    issuer: str
    # The national motto, top right.
    nation: str
    motto: str
    place_and_date: str
    code: str
    addressee: str
    body: tuple[Line, ...]
    closing: str
    signatures: tuple[Signature, ...]

    @property
    def file_name(self) -> str:
        return f"{self.code}-{self.kind}.docx"


def _date(day: datetime.date) -> str:
    return _("on %(day)s/%(month)s/%(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def _moment(at: datetime.datetime) -> str:
    at = timezone.localtime(at)
    return _("%(hour)s:%(minute)s on %(day)s/%(month)s/%(year)s") % {
        "hour": f"{at.hour:02d}",
        "minute": f"{at.minute:02d}",
        "day": f"{at.day:02d}",
        "month": f"{at.month:02d}",
        "year": at.year,
    }


def _place_and_date(place: str, day: datetime.date) -> str:
    return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def _applicant_name(dossier: Dossier) -> str:
    applicant = dossier.applicant
    if applicant.enterprise_name:
        return f"{applicant.full_name} ({applicant.enterprise_name})"
    return applicant.full_name


def _last_event(dossier: Dossier, *actions: str) -> DossierEvent | None:
    return dossier.events.filter(action__in=actions).select_related("actor").order_by("at", "pk").last()


def _person(user) -> str:
    return user.get_full_name() if user is not None else ""


def build_slip(
    dossier: Dossier,
    kind: str,
    *,
    lookup_url: str = "",
    reveals_personal_data: bool = False,
    supplement_round: int | None = None,
) -> Slip:
    """The content of one slip of ``dossier``, in Vietnamese; ``SlipNotAvailable`` if it was not issued.

    ``dossier`` should come with its applicant, procedure, procedure version, unit and
    handling team (and its unit) loaded. The applicant's address and phone number show whole
    only when ``reveals_personal_data``; otherwise masked (portal/personal_data.py).
    """
    if kind not in SLIP_KINDS:
        raise SlipNotAvailable(kind)
    with translation.override("vi"):
        builder = {RECEIPT: _receipt, SUPPLEMENT: _supplement, REFUSAL: _refusal, APOLOGY: _apology}[kind]
        issuer_unit = dossier.handling_team.unit if dossier.handling_team else dossier.unit
        context = _Context(
            dossier=dossier,
            issuer=dossier.handling_team.name if dossier.handling_team else dossier.unit.name,
            issuer_above=issuer_unit.name if dossier.handling_team else "",
            place=_place(issuer_unit),
            lookup_url=lookup_url,
            personal=personal_details(dossier.applicant, whole=reveals_personal_data),
            supplement_round=supplement_round,
        )
        return builder(context)


@dataclass(frozen=True)
class _Context:
    dossier: Dossier
    issuer: str
    issuer_above: str
    place: str
    lookup_url: str
    personal: PersonalDetails
    supplement_round: int | None

    def slip(self, *, kind, day, body, signatures, addressee="", closing="") -> Slip:
        return Slip(
            kind=kind,
            title=slip_title(kind).upper(),
            issuer_above=self.issuer_above.upper(),
            issuer=self.issuer.upper(),
            nation=_("Socialist Republic of Vietnam").upper(),
            motto=_("Independence - Freedom - Happiness"),
            place_and_date=_place_and_date(self.place, day),
            code=self.dossier.code,
            addressee=addressee,
            body=tuple(body),
            closing=closing,
            signatures=tuple(signatures),
        )

    @property
    def signature_note(self) -> str:
        return _("(Signature and full name)")


def _receipt(context: _Context) -> Slip:
    dossier = context.dossier
    if dossier.received_at is None:
        raise SlipNotAvailable(RECEIPT)
    received = _last_event(dossier, "receive")
    documents = [
        str(use.requirement.document_kind)
        for use in dossier.documents.exclude(review=DossierDocument.Review.REJECTED)
        .select_related("requirement__document_kind")
        .order_by("requirement__position", "requirement__pk", "pk")
    ]
    version = dossier.procedure_version
    appointment = dossier.original_due_date or dossier.due_date
    body = [
        Line(_("Dossier code"), dossier.code),
        Line(_("Received the dossier of"), _applicant_name(dossier)),
        Line(_("Address"), context.personal.address),
        Line(_("Phone number"), context.personal.phone),
        Line(_("Request"), dossier.procedure.name),
        Line(_("Documents received"), items=tuple(documents)),
        Line(
            _("Time allowed by the rules"),
            _("%(days)s working days") % {"days": version.statutory_working_days},
        ),
        Line(_("Received at"), _moment(dossier.received_at)),
        # The appointment made at the desk; an apology slip carries any later date.
        Line(_("Result due"), _date(appointment) if appointment else ""),
        Line(_("Channel"), dossier.get_channel_display()),
        Line(
            _("How to look up"),
            _(
                "Look up the dossier's status at %(url)s with the dossier code and the last four "
                "digits of the applicant's phone number."
            )
            % {"url": context.lookup_url},
        ),
    ]
    return context.slip(
        kind=RECEIPT,
        day=timezone.localdate(dossier.received_at),
        body=body,
        signatures=[
            Signature(_("Applicant").upper(), context.signature_note, dossier.applicant.full_name),
            Signature(
                _("Receiving officer").upper(),
                context.signature_note,
                _person(received.actor) if received else "",
            ),
        ],
    )


def _supplement(context: _Context) -> Slip:
    dossier = context.dossier
    rounds = SupplementRequest.objects.filter(dossier=dossier).select_related("requested_by")
    if context.supplement_round is not None:
        rounds = rounds.filter(round=context.supplement_round)
    supplement = rounds.order_by("round").last()
    if supplement is None:
        raise SlipNotAvailable(SUPPLEMENT)
    missing = [
        str(requirement.document_kind) for requirement in supplement.missing.select_related("document_kind")
    ]
    officer = _person(supplement.requested_by)
    body = [
        Line(_("Dossier code"), dossier.code),
        Line(_("Dossier of"), _applicant_name(dossier)),
        Line(_("Request"), dossier.procedure.name),
        Line(
            _("Supplement round"),
            _("%(round)s, requested %(date)s")
            % {"round": supplement.round, "date": _date(timezone.localdate(supplement.requested_at))},
        ),
        Line(_("The dossier must be completed with"), items=tuple(missing)),
        Line(_("What exactly is missing"), supplement.note),
        Line(text=_("The time limit for processing the dossier pauses until the documents are given.")),
        Line(
            text=_(
                "While completing the dossier, if anything is unclear, contact %(officer)s, %(issuer)s, "
                "for guidance."
            )
            % {"officer": officer, "issuer": context.issuer}
        ),
    ]
    return context.slip(
        kind=SUPPLEMENT,
        day=timezone.localdate(supplement.requested_at),
        body=body,
        closing=_("Thank you."),
        signatures=[Signature(_("Guiding officer").upper(), context.signature_note, officer)],
    )


def _refusal(context: _Context) -> Slip:
    dossier = context.dossier
    if dossier.status not in REFUSAL_STATUSES or not dossier.closing_reason:
        raise SlipNotAvailable(REFUSAL)
    at_the_desk = dossier.status == Dossier.Status.NOT_RECEIVED
    decided = _last_event(dossier, "refuse" if at_the_desk else "stop")
    body = [
        Line(_("Dossier code"), dossier.code),
        Line(_("Dossier of"), _applicant_name(dossier)),
        Line(_("Request"), dossier.procedure.name),
        Line(
            text=_(
                "Having examined it, %(issuer)s does not receive and process this dossier, "
                "for the following reason:"
            )
            % {"issuer": context.issuer}
        ),
        Line(text=dossier.closing_reason),
        Line(text=_("This is to inform you.")),
    ]
    officer_title = _("Receiving officer") if at_the_desk else _("Handling officer")
    return context.slip(
        kind=REFUSAL,
        day=timezone.localdate(decided.at if decided else timezone.now()),
        body=body,
        signatures=[
            Signature(
                officer_title.upper(), context.signature_note, _person(decided.actor) if decided else ""
            )
        ],
    )


def _apology(context: _Context) -> Slip:
    dossier = context.dossier
    if dossier.apology_issued_at is None:
        raise SlipNotAvailable(APOLOGY)
    name = _applicant_name(dossier)
    received_on = timezone.localdate(dossier.received_at) if dossier.received_at else None
    body = [
        Line(_("Dossier code"), dossier.code),
        Line(_("Request"), dossier.procedure.name),
    ]
    if received_on:
        body.insert(
            0,
            Line(
                text=_("%(date)s, %(issuer)s received the dossier of %(name)s.")
                % {"date": capfirst(_date(received_on)), "issuer": context.issuer, "name": name}
            ),
        )
    body += [
        Line(
            text=_("The result was due %(date)s. %(issuer)s has not yet been able to return it.")
            % {"date": _date(dossier.original_due_date), "issuer": context.issuer}
        ),
        Line(_("Reason"), dossier.apology_reason),
        Line(
            text=_(
                "This delay has caused you inconvenience, cost and effort. %(issuer)s apologises and "
                "sets a new date for returning the result: %(date)s."
            )
            % {"issuer": context.issuer, "date": _date(dossier.due_date)}
        ),
    ]
    head = dossier.handling_team.head if dossier.handling_team else None
    return context.slip(
        kind=APOLOGY,
        day=timezone.localdate(dossier.apology_issued_at),
        addressee=_("To: %(name)s") % {"name": name},
        body=body,
        closing=_("Thank you."),
        signatures=[Signature(_("Head of the issuing body").upper(), context.signature_note, _person(head))],
    )


def slip_docx(slip: Slip) -> bytes:
    """The slip as a Word document laid out like the printed page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = new_document()
    document.core_properties.title = slip.title
    document.core_properties.subject = slip.code
    document.core_properties.author = slip.issuer

    center, right, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    borderless(header)
    set_widths(header, [Mm(75), Mm(90)])
    left, right_cell = header.rows[0].cells
    cell_lines(
        left, [(slip.issuer_above, False, False), (slip.issuer, True, False), ("———", False, False)], center
    )
    cell_lines(
        right_cell, [(slip.nation, True, False), (slip.motto, True, False), ("———————", False, False)], center
    )

    paragraph(document, slip.place_and_date, alignment=right, italic=True, space_before=Pt(6))
    paragraph(document, slip.title, alignment=center, bold=True, space_before=Pt(12), space_after=Pt(12))
    if slip.addressee:
        paragraph(document, slip.addressee, alignment=center)
    for line in slip.body:
        if line.label:
            labelled = paragraph(document, "", alignment=justify)
            run(labelled, f"{line.label}: ", bold=True)
            run(labelled, line.text)
        elif line.text:
            paragraph(document, line.text, alignment=justify)
        for number, item in enumerate(line.items, start=1):
            numbered = paragraph(document, f"{number}. {item}", alignment=justify)
            numbered.paragraph_format.left_indent = Mm(8)
    if slip.closing:
        paragraph(document, slip.closing, alignment=justify, italic=True)

    columns = max(2, len(slip.signatures))
    signatures = document.add_table(rows=1, cols=columns)
    borderless(signatures)
    # One signature sits on the right, as on the printed forms.
    cells = signatures.rows[0].cells[columns - len(slip.signatures) :]
    for cell, signature in zip(cells, slip.signatures, strict=True):
        cell_lines(
            cell,
            [
                (signature.title, True, False),
                (signature.note, False, True),
                ("", False, False),
                ("", False, False),
                ("", False, False),
                (signature.name, True, False),
            ],
            center,
        )

    return document_bytes(document)
