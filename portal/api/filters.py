"""Query parameters of the list endpoints: a malformed value is a 400 that says what is wrong."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fields import DayField, IdField
from portal.bounds import INVALID_NUMBER as INVALID_NUMBER  # the bodies' id fields say it too
from portal.models import AdminUnit, Team
from portal.models.units import unit_code_validator

# DRF's own messages for these cases are not in its Vietnamese catalogue; these are in ours.
INVALID_BOOLEAN = _("Use true or false.")
TOO_LONG = _("Use at most {max_length} characters.")


class ChoiceParameter(serializers.ChoiceField):
    """A choice whose error names the values that are accepted."""

    default_error_messages = {"invalid_choice": _("“{input}” is not one of: {choices}.")}

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail("invalid_choice", input=data, choices=", ".join(self.choice_strings_to_values))


def text_parameter(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
    )


def id_parameter(help_text: str) -> IdField:
    return IdField(required=False, help_text=help_text)


def date_parameter(help_text: str) -> DayField:
    # DRF's message for a malformed date is in its Vietnamese catalogue and names the format.
    return DayField(required=False, help_text=help_text)


class QueryParameters(serializers.Serializer):
    @classmethod
    def read(cls, request) -> dict:
        """The validated parameters of ``request``; raises ValidationError (400) naming each malformed one."""
        parameters = cls(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        return parameters.validated_data


class UnitParameters(QueryParameters):
    q = text_parameter(
        "Part of the name, ignoring case and diacritics (“ben tre” finds “Bến Tre”), or the exact code."
    )
    level = ChoiceParameter(
        choices=AdminUnit.Level.choices, required=False, help_text="The level of the unit."
    )
    parent = id_parameter("Id of the parent unit.")
    code = serializers.CharField(
        required=False, allow_blank=True, help_text="Exact GSO code.", validators=[unit_code_validator]
    )
    valid_on = date_parameter("Units that existed on this day (YYYY-MM-DD).")
    current = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only units that still exist; false: only abolished or merged units.",
        error_messages={"invalid": INVALID_BOOLEAN},
    )


class TeamParameters(QueryParameters):
    q = text_parameter("Part of the team name, ignoring case and diacritics.")
    kind = ChoiceParameter(choices=Team.Kind.choices, required=False, help_text="The kind of team.")
    unit = id_parameter("Id of the team's administrative unit.")
    active_on = date_parameter("Teams that were active on this day (YYYY-MM-DD).")
