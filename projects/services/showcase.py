"""Success models: proposed by the standing agency, confirmed by the council, replicated by others."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User
from portal.money import check_amount
from portal.refusals import Refused
from portal.uploads import JPEG, PNG, check_upload
from projects.access import confirms_models, runs_programme
from projects.models import ModelPhoto, Project, Stage, SuccessModel
from projects.services.checks import check_day, check_writer

# A model is a project that has proved itself: operating or growing.
PROVEN_STAGES = frozenset({Stage.OPERATING, Stage.GROWING})
PHOTO_TYPES = frozenset({JPEG.content_type, PNG.content_type})
MAX_PHOTOS = 6


@transaction.atomic
def propose_model(
    *,
    project: Project,
    by: User,
    on: datetime.date,
    title: str,
    yearly_revenue: int,
    jobs: int,
    years_operating: int,
    evidence: str,
    public_consent: bool = False,
) -> SuccessModel:
    if not runs_programme(by):
        raise Refused(_("The standing agency proposes success models."), code="not_programme")
    check_day(on)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage not in PROVEN_STAGES:
        raise Refused(
            _("Only an operating or growing project can be a model."), code="not_proven", conflict=True
        )
    if SuccessModel.objects.filter(project=project).exists():
        raise Refused(_("This project is already proposed as a model."), code="proposed", conflict=True)
    check_amount(yearly_revenue, _("Yearly revenue"))
    if not evidence.strip():
        raise Refused(
            _("Give the evidence: what the project achieved and what others can learn."), code="evidence"
        )
    return SuccessModel.objects.create(
        project=project,
        title=title,
        yearly_revenue=yearly_revenue,
        jobs=jobs,
        years_operating=years_operating,
        evidence=evidence.strip(),
        public_consent=public_consent,
        consent_recorded_on=on if public_consent else None,
        proposed_by=by,
        proposed_on=on,
    )


@transaction.atomic
def decide_model(
    *, model: SuccessModel, by: User, confirm: bool, on: datetime.date, note: str = ""
) -> SuccessModel:
    """The council confirms a proposed model, or does not, saying why."""
    if not confirms_models(by):
        raise Refused(_("The council confirms success models."), code="not_council")
    model = SuccessModel.objects.select_for_update().get(pk=model.pk)
    if model.status != SuccessModel.Status.PROPOSED:
        raise Refused(_("This model has already been decided."), code="decided", conflict=True)
    check_day(on, after=model.proposed_on)
    if not confirm and not note.strip():
        raise Refused(_("Say why the model is not confirmed."), code="note")
    model.status = SuccessModel.Status.CONFIRMED if confirm else SuccessModel.Status.DECLINED
    model.decided_by, model.decided_on, model.decision_note = by, on, note.strip()
    model.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    return model


@transaction.atomic
def record_replication(*, project: Project, model: SuccessModel, by: User, on: datetime.date) -> Project:
    """The project copies a confirmed model."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_writer(by, project.unit_id)
    check_day(on)
    if not model.is_confirmed:
        raise Refused(_("Only a model the council confirmed can be replicated."), code="not_confirmed")
    if model.project_id == project.pk:
        raise Refused(_("A model does not replicate itself."), code="itself")
    if project.registered_on < model.project.registered_on:
        raise Refused(_("A replication is a later project than its model."), code="earlier")
    if project.replicates_id is not None:
        raise Refused(_("This project already replicates a model."), code="replicates", conflict=True)
    project.replicates, project.replicates_since = model, on
    project.save(update_fields=["replicates", "replicates_since"])
    return project


@transaction.atomic
def add_photo(*, model: SuccessModel, by: User, upload, caption: str = "") -> ModelPhoto:
    if not runs_programme(by):
        raise Refused(_("The standing agency adds the model's photos."), code="not_programme")
    if model.photos.count() >= MAX_PHOTOS:
        raise Refused(_("A model has at most %(count)s photos.") % {"count": MAX_PHOTOS}, code="photos")
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise Refused(error.messages[0], code="photo") from error
    if checked.content_type not in PHOTO_TYPES:
        raise Refused(_("Upload a JPEG or PNG photo."), code="photo_type")
    return ModelPhoto.objects.create(
        model=model, file=upload, original_name=upload.name[:200], caption=caption
    )
