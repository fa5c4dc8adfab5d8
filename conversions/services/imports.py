"""Importing a commune's list of household businesses: upload, preview, confirm.

``start_import`` reads the file (``conversions.spreadsheets``) and checks every row
(``conversions.services.import_rows``): what confirming would do to the registry (add, update, skip) or why it
cannot (error). Nothing reaches the registry before ``confirm_import``, which writes the rows of the
stored preview in one transaction through the registry's own services
(``conversions.services.registry``), so an imported record keeps every rule a typed one keeps, and is
audited the same way. A list of more than ``PREVIEW_IN_REQUEST`` rows is previewed by a Celery task
that notes its progress in ``rows_read``; a confirmation of more than ``CONFIRM_IN_REQUEST`` rows is
written by one.
"""

import datetime
import hashlib
import uuid

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conversions.access import can_change
from conversions.models import HouseholdBusiness, HouseholdBusinessImport
from conversions.services.import_rows import ORIGINAL_NAME_LENGTH, build_preview
from conversions.services.import_texts import RowAction
from conversions.services.registry import (
    record_household_business,
    update_household_business,
)
from conversions.spreadsheets import MAX_UPLOAD_BYTES, SheetRow, SpreadsheetError, read_rows
from dossiers.services.applicants import Person
from portal.audit import audit_context
from portal.models import AdminUnit, User
from portal.refusals import Refused

# Up to this many rows the preview is made while the officer waits; a longer list by a Celery task.
PREVIEW_IN_REQUEST = 5_000
ImportStatus = HouseholdBusinessImport.Status
OnDuplicate = HouseholdBusinessImport.OnDuplicate


def check_importer(by: User, unit: AdminUnit) -> None:
    """Officers import the list of a current commune or ward they may change."""
    if unit.level != AdminUnit.Level.COMMUNE or unit.valid_until is not None:
        raise Refused(_("Choose a current commune or ward."), code="not_commune")
    if not can_change(by, unit.pk):
        raise Refused(_("You may import the list of your own commune only."), code="not_writable")


def check_file(upload) -> str:
    """The plain name of an acceptable upload, checked by its size before anything is read."""
    name = (upload.name or "").strip()
    if not name or any(char in name for char in "/\\\x00"):
        raise Refused(_("The file name must be a plain name, without folders."), code="path_in_name")
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise Refused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": MAX_UPLOAD_BYTES // 1_000_000},
            code="too_large",
        )
    if size == 0:
        raise Refused(_("The file is empty."), code="empty")
    return name[-ORIGINAL_NAME_LENGTH:]


def _read(upload) -> list[SheetRow]:
    try:
        return read_rows(upload)
    except SpreadsheetError as error:
        raise Refused(str(error), code="unreadable") from error


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def estimated_rows(upload) -> int | None:
    """The rows of an Excel workbook's first sheet, as it states them or as its XML counts them,
    without reading a cell; None for a CSV file (read quickly whole) or a file that is no workbook.

    It only chooses where the preview is made: reading an .xlsx file takes about a millisecond a row.
    """
    if not _is_zip(upload):
        return None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True)
    except Exception:
        return None  # a damaged file: read_rows says what is wrong, in the request
    try:
        sheet = workbook.worksheets[0]
        # Excel states the size of a sheet; for a program that does not, its rows are counted.
        return sheet.max_row or _count_rows(sheet._get_source())
    except Exception:
        return None
    finally:
        workbook.close()
        upload.seek(0)


def _count_rows(source) -> int:
    """The ``<row …>`` elements of a sheet's XML, read a megabyte at a time."""
    count, tail = 0, b""
    with source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            count += text.count(b"<row ")
            tail = text[-4:]  # shorter than the pattern: an element is never counted twice
    return count


def start_import(*, by: User, unit: AdminUnit, upload, on_duplicate: str) -> HouseholdBusinessImport:
    """Keep the file and preview it: in this request up to ``PREVIEW_IN_REQUEST`` rows, else by a task.

    A file that is too large, not a spreadsheet or without the template's headings is refused and
    nothing is kept (a workbook stating more rows than ``PREVIEW_IN_REQUEST`` is read by the task
    instead, which marks the import failed, saying why); nothing is written to the registry either way.
    """
    check_importer(by, unit)
    if on_duplicate not in OnDuplicate.values:
        raise Refused(
            _("Choose whether to skip or update the rows already in the registry."), code="on_duplicate"
        )
    name = check_file(upload)
    estimate = estimated_rows(upload)
    rows = _read(upload) if estimate is None or estimate <= PREVIEW_IN_REQUEST + 1 else None
    record = HouseholdBusinessImport(
        unit=unit,
        original_name=name,
        sha256=_sha256(upload),
        on_duplicate=on_duplicate,
        uploaded_by=by,
        rows_total=len(rows) if rows is not None else max((estimate or 1) - 1, 0),
    )
    if rows is not None and len(rows) <= PREVIEW_IN_REQUEST:
        # Read and checked outside a transaction: the database is not held while the rows are checked.
        record.preview = build_preview(unit=unit, by=by, on_duplicate=on_duplicate, rows=rows)
        record.status = ImportStatus.PREVIEWED
        record.rows_read = len(rows)
    extension = ".xlsx" if _is_zip(upload) else ".csv"
    with transaction.atomic():
        record.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        record.save()
        if record.status == ImportStatus.READING:
            preview_import.delay_on_commit(record.pk)
    return record


def _is_zip(upload) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


def preview_stored_import(*, import_id: int) -> bool:
    """Preview an import kept while ``reading``; a second delivery finds it previewed and does nothing."""
    upload = (
        HouseholdBusinessImport.objects.select_related("unit", "uploaded_by").filter(pk=import_id).first()
    )
    if upload is None or upload.status != ImportStatus.READING:
        return False
    reading = HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.READING)
    try:
        with upload.file.open("rb") as stored:
            rows = read_rows(stored)
    except SpreadsheetError as error:
        return bool(reading.update(status=ImportStatus.FAILED, error=str(error)))
    reading.update(rows_total=len(rows))
    preview = build_preview(
        unit=upload.unit,
        by=upload.uploaded_by,
        on_duplicate=upload.on_duplicate,
        rows=rows,
        progress=lambda done: reading.update(rows_read=done),
    )
    return bool(
        reading.update(
            status=ImportStatus.PREVIEWED, preview=preview, rows_total=len(rows), rows_read=len(rows)
        )
    )


@shared_task(
    name="conversions.tasks.preview_import",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
)
def preview_import(import_id: int) -> bool:
    """Preview a long list in the background; a second delivery finds it previewed and does nothing."""
    return preview_stored_import(import_id=import_id)


# --- Confirming -------------------------------------------------------------------------------------------

# Up to this many rows to add or update are written while the officer waits (each goes through the
# registry's services and is audited: some milliseconds a row); more by a Celery task.
CONFIRM_IN_REQUEST = 300


def is_writing(upload: HouseholdBusinessImport) -> bool:
    """Confirmed by an officer, its rows not yet written: a task is writing them."""
    return upload.status == ImportStatus.PREVIEWED and upload.confirmed_by_id is not None


def _refuse_confirming(import_id: int) -> Refused:
    upload = HouseholdBusinessImport.objects.filter(pk=import_id).only("status", "confirmed_by").first()
    if upload is not None and (upload.status == ImportStatus.CONFIRMED or is_writing(upload)):
        return Refused(_("This import has already been confirmed."), code="confirmed", conflict=True)
    if upload is not None and upload.status == ImportStatus.READING:
        return Refused(
            _("The file is still being read: confirm once the preview is ready."),
            code="reading",
            conflict=True,
        )
    return Refused(_("This file could not be read: nothing can be confirmed."), code="failed", conflict=True)


def confirm_import(*, upload: HouseholdBusinessImport, by: User) -> HouseholdBusinessImport:
    """Write the rows of the preview (adds and updates) in one transaction, once.

    The import is claimed by a conditional update, so a second click or a retry is refused (409). Each
    row goes through the registry's services, which check its rules again and audit the change; if the
    registry changed since the preview so that a row is refused now, nothing is written. More than
    ``CONFIRM_IN_REQUEST`` rows to write are written by a task: the import is then returned claimed
    (``is_writing``) and its status turns to confirmed when they are written.
    """
    if not can_change(by, upload.unit_id):
        raise Refused(_("You may import the list of your own commune only."), code="not_writable")
    counts = upload.preview.get("counts", {})
    if counts.get(RowAction.ADD, 0) + counts.get(RowAction.UPDATE, 0) <= CONFIRM_IN_REQUEST:
        return _write(import_id=upload.pk, by=by, queued=False)
    with transaction.atomic():
        claimed = HouseholdBusinessImport.objects.filter(
            pk=upload.pk, status=ImportStatus.PREVIEWED, confirmed_by__isnull=True
        ).update(confirmed_by=by, error="")
        if not claimed:
            raise _refuse_confirming(upload.pk)
        write_import.delay_on_commit(upload.pk)
    return HouseholdBusinessImport.objects.select_related("unit").get(pk=upload.pk)


def write_confirmed_import(*, import_id: int) -> bool:
    """Write an import an officer confirmed, as theirs; a second delivery finds it written and does nothing.

    If the registry changed since the preview so that a row is refused, nothing is written and the
    import is left to be confirmed again, saying why in ``error``.
    """
    upload = HouseholdBusinessImport.objects.select_related("confirmed_by").filter(pk=import_id).first()
    if upload is None or not is_writing(upload):
        return False
    try:
        with audit_context(actor=upload.confirmed_by, channel="task"):
            _write(import_id=import_id, by=upload.confirmed_by, queued=True)
    except Refused as refusal:
        HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.PREVIEWED).update(
            confirmed_by=None, error=str(refusal)
        )
        return False
    return True


@shared_task(
    name="conversions.tasks.write_import",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
)
def write_import(import_id: int) -> bool:
    """Write a long confirmed list in the background; a second delivery finds it written."""
    return write_confirmed_import(import_id=import_id)


@transaction.atomic
def _write(*, import_id: int, by: User, queued: bool) -> HouseholdBusinessImport:
    """Claim the import (previewed, unclaimed or claimed by ``by`` for a task) and write its rows."""
    claim = HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.PREVIEWED)
    claim = claim.filter(confirmed_by=by) if queued else claim.filter(confirmed_by__isnull=True)
    if not claim.update(status=ImportStatus.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now()):
        raise _refuse_confirming(import_id)
    upload = HouseholdBusinessImport.objects.select_related("unit").get(pk=import_id)
    rows = upload.preview.get("rows", [])
    writes = [row for row in rows if row["action"] in (RowAction.ADD, RowAction.UPDATE)]
    unit_ids = {row["write"]["unit"] for row in writes if "unit" in row["write"]} | {
        row["write"]["changes"]["unit"] for row in writes if "unit" in row["write"].get("changes", {})
    }
    units = AdminUnit.objects.in_bulk(unit_ids)
    businesses = HouseholdBusiness.objects.select_related("unit").in_bulk(
        [row["write"]["business"] for row in writes if "business" in row["write"]]
    )
    added = updated = 0
    for row in writes:
        try:
            if row["action"] == RowAction.ADD:
                _add(row["write"], units, by)
                added += 1
            else:
                _update(row["write"], units, businesses, by)
                updated += 1
        except (Refused, KeyError) as refusal:
            raise Refused(
                _("Row %(row)s: %(reason)s The registry changed after the preview: upload the file again.")
                % {"row": row["row"], "reason": refusal},
                code="changed",
                conflict=True,
            ) from refusal
    upload.rows_added, upload.rows_updated, upload.rows_skipped = added, updated, len(rows) - added - updated
    upload.save(update_fields=["rows_added", "rows_updated", "rows_skipped"])
    return upload


def _add(write: dict, units: dict[int, AdminUnit], by: User) -> None:
    fields = {key: value for key, value in write.items() if key not in ("owner", "unit", "registered_on")}
    record_household_business(
        by=by,
        owner=Person(**write["owner"]),
        unit=units[write["unit"]],
        registered_on=datetime.date.fromisoformat(write["registered_on"]),
        **fields,
    )


def _update(
    write: dict, units: dict[int, AdminUnit], businesses: dict[int, HouseholdBusiness], by: User
) -> None:
    changes = dict(write["changes"])
    if "unit" in changes:
        changes["unit"] = units[changes["unit"]]
    if "registered_on" in changes:
        changes["registered_on"] = datetime.date.fromisoformat(changes["registered_on"])
    update_household_business(business=businesses[write["business"]], by=by, **changes)
