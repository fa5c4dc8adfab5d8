"""What the support teams record: activities and their photos or minutes."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import AdminUnit, Membership, Team, User
from portal.models.people import today
from portal.models.units import subtree_unit_ids
from portal.refusals import Refused
from portal.uploads import check_upload
from teamwork.models import Activity, ActivityAttachment

Kind = Activity.Kind


def _check_recorder(team: Team, by: User, held_on: datetime.date) -> None:
    if not Membership.objects.active_on(today()).filter(team=team, user=by).exists():
        raise Refused(_("Only a member of the team can record its activities."), code="not_member")
    if held_on > today():
        raise Refused(_("The activity's date cannot be in the future."), code="future")
    if not team.is_active_on(held_on):
        raise Refused(_("The team was not active on that date."), code="team_inactive")


def _check_kind_fields(
    *,
    team: Team,
    kind: str,
    channel: str,
    mass_organisation: str,
    mass_organisation_other: str,
    supported_team: Team | None,
    review_kind: str,
    lessons_learned: str,
) -> None:
    if kind == Kind.OUTREACH:
        if not channel:
            raise Refused(_("Say how the outreach reached people (the channel)."), code="no_channel")
        if channel == Activity.Channel.MASS_ORGANISATION:
            if not mass_organisation:
                raise Refused(_("Name the mass organisation."), code="no_mass_organisation")
            if mass_organisation == Activity.MassOrganisation.OTHER and not mass_organisation_other:
                raise Refused(
                    _("Write the name of the other mass organisation."), code="no_mass_organisation_name"
                )
    elif kind == Kind.SUPPORT_VISIT:
        if team.kind != Team.Kind.DISTRICT_TEAM:
            raise Refused(_("Support visits are recorded by district teams."), code="not_district")
        if supported_team is None:
            raise Refused(_("Name the commune team supported."), code="no_supported_team")
        if supported_team.kind != Team.Kind.COMMUNE_TEAM or supported_team.unit_id not in subtree_unit_ids(
            {team.unit_id}
        ):
            raise Refused(
                _("The team supported must be a commune team of the district."), code="wrong_supported_team"
            )
    elif kind == Kind.REVIEW_MEETING:
        if not review_kind:
            raise Refused(_("Say whether the review is interim or final."), code="no_review_kind")
        if not lessons_learned:
            raise Refused(_("Write the lessons learned at the review."), code="no_lessons")


@transaction.atomic
def record_activity(
    *,
    team: Team,
    by: User,
    kind: str,
    held_on: datetime.date,
    unit: AdminUnit,
    people_reached: int,
    topics: str,
    notes: str = "",
    channel: str = "",
    mass_organisation: str = "",
    mass_organisation_other: str = "",
    supported_team: Team | None = None,
    review_kind: str = "",
    lessons_learned: str = "",
    counterpart: str = "",
    attachment: UploadedFile | None = None,
) -> Activity:
    """Record what ``team`` did on ``held_on``; fields that do not belong to ``kind`` are left empty.

    Refuses (Refused, nothing written) unless ``by`` is an active member of the team, the team
    was active that day, the day is not in the future, the unit is in the team's area and the fields
    the kind needs are given. ``attachment`` (a photo or the minutes) is stored with it, or neither is.
    """
    topics, notes = topics.strip(), notes.strip()
    mass_organisation_other, lessons_learned = mass_organisation_other.strip(), lessons_learned.strip()
    counterpart = counterpart.strip()
    if kind not in Kind.values:
        raise Refused(_("Choose what kind of activity it was."), code="no_kind")
    _check_recorder(team, by, held_on)
    if unit.pk not in subtree_unit_ids({team.unit_id}):
        raise Refused(_("The place must be in the team's area."), code="unit_outside")
    if not topics:
        raise Refused(_("Write the topics of the activity."), code="no_topics")
    if people_reached < 0:
        raise Refused(_("The number of people reached cannot be negative."), code="negative")
    _check_kind_fields(
        team=team,
        kind=kind,
        channel=channel,
        mass_organisation=mass_organisation,
        mass_organisation_other=mass_organisation_other,
        supported_team=supported_team,
        review_kind=review_kind,
        lessons_learned=lessons_learned,
    )
    is_outreach = kind == Kind.OUTREACH
    through_organisation = is_outreach and channel == Activity.Channel.MASS_ORGANISATION
    is_other = through_organisation and mass_organisation == Activity.MassOrganisation.OTHER
    activity = Activity.objects.create(
        team=team,
        kind=kind,
        held_on=held_on,
        unit=unit,
        people_reached=people_reached,
        topics=topics,
        notes=notes,
        channel=channel if is_outreach else "",
        mass_organisation=mass_organisation if through_organisation else "",
        mass_organisation_other=mass_organisation_other if is_other else "",
        supported_team=supported_team if kind == Kind.SUPPORT_VISIT else None,
        review_kind=review_kind if kind == Kind.REVIEW_MEETING else "",
        lessons_learned=lessons_learned if kind == Kind.REVIEW_MEETING else "",
        counterpart=counterpart if kind == Kind.CONSULTATION else "",
        recorded_by=by,
    )
    if attachment is not None:
        attach_to_activity(activity=activity, upload=attachment, by=by)
    return activity


@transaction.atomic
def attach_to_activity(*, activity: Activity, upload: UploadedFile, by: User) -> ActivityAttachment:
    """Check the file by content, size and name, and store it as a photo or the minutes of ``activity``."""
    if not Membership.objects.active_on(today()).filter(team_id=activity.team_id, user=by).exists():
        raise Refused(_("Only a member of the team can add files to its activities."), code="not_member")
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise Refused(error.messages[0], code=error.code or "invalid_file") from error
    return ActivityAttachment.objects.create(
        activity=activity,
        file=upload,
        original_name=checked.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
