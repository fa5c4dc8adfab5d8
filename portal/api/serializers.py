"""Representations of the API. They parse and present; the rules live in portal.services and portal.access."""

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import IdRelatedField
from portal.api.filters import TOO_LONG
from portal.models import AdminUnit, Membership, Team, User
from portal.text import sort_key


def row_writer(parent: serializers.Serializer, kind: type[serializers.Serializer], **context):
    """A ``kind`` serializer with ``context``, made once for every row that ``parent`` writes: building a
    serializer a row cost a list more than writing its rows (``to_representation`` writes one)."""
    writers = parent.__dict__.setdefault("_row_writers", {})
    key = (kind, tuple(sorted(context.items())))
    if key not in writers:
        writers[key] = kind(context=context)
    return writers[key]


def choice_field(choices: type[TextChoices], **kwargs) -> serializers.ChoiceField:
    """A read-only choice among ``choices``.

    Its enum's name in the schema comes from ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``, so a
    choice set keeps one name whatever the fields using it are called.
    """
    return serializers.ChoiceField(choices=choices.choices, read_only=True, **kwargs)


class OptionalChoiceField(serializers.ChoiceField):
    """A read-only choice that may be unset: an empty value is null, never a "" outside the enum.

    The schema says so with the enum or ``NullEnum``, one of which a value matches, never both.
    """

    def __init__(self, choices: type[TextChoices], **kwargs):
        super().__init__(choices=choices.choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "level", "kind", "parent", "valid_from", "valid_until", "successors"]
        read_only_fields = fields


class UnitReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "name"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A person by id and name only: phone numbers and e-mail addresses are personal data."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    """A current member of a team: ``id`` is the person's, ``membership_id`` ends the membership."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    membership_id = serializers.IntegerField(source="pk", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "membership_id", "full_name", "position", "joined_on"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    unit = UnitReferenceSerializer(read_only=True)
    head = PersonSerializer(read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "unit", "parent", "active_from", "active_until", "head", "members"]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, team: Team) -> list[dict]:
        # ``current_memberships`` is prefetched by the view, so this costs no query per team.
        members = sorted(
            team.current_memberships, key=lambda member: (sort_key(member.user.get_full_name()), member.pk)
        )
        return [row_writer(self, MemberSerializer).to_representation(member) for member in members]


class MembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "team", "user", "position", "joined_on", "left_on"]
        read_only_fields = fields


class AddMemberSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, error_messages={"max_length": TOO_LONG})
    position = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", error_messages={"max_length": TOO_LONG}
    )

    def validate_username(self, username: str) -> User:
        username = username.strip()
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise serializers.ValidationError(
                gettext("No active user has the username “%(username)s”.") % {"username": username}
            ) from None


class SetHeadSerializer(serializers.Serializer):
    user = IdRelatedField(
        queryset=User.objects.none(),
        help_text="Id of a current member of the team.",
        error_messages={
            # Anyone who is not a current member gets the same answer, so ids of other people reveal nothing.
            "does_not_exist": _("The head must be a current member of the team."),
            "incorrect_type": _("Enter a whole number."),
        },
    )

    def __init__(self, *args, members=None, **kwargs):
        """``members`` are the team's current members, the only people who may become its head."""
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["user"].queryset = members


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
