"""The answers the projects' endpoints share in the schema, and how they read a body."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from portal.api.serializers import DetailSerializer
from portal.models.people import today

REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or a rule refuses the change "
    "(``detail`` says why, ``rule`` which rule)."
)


def outside_scope(what: str) -> OpenApiResponse:
    return OpenApiResponse(DetailSerializer, description=f"No such {what} in the caller's scope.")


def read_only(who: str) -> OpenApiResponse:
    return OpenApiResponse(DetailSerializer, description=f"The caller sees it but {who}.")


PROJECT_OUTSIDE_SCOPE = outside_scope("project")
NOT_KEEPER = read_only(
    "does not keep the commune's projects (its team, the district's or the standing agency do)"
)


def parse(serializer: serializers.Serializer) -> dict:
    """The body's validated data (400 naming each malformed field); ``on`` left out is today."""
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if "on" in serializer.fields and data.get("on") is None:
        data["on"] = today()
    return data
