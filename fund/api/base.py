"""What the fund's endpoints share: the answers in the schema, how a body is read, who reads a ledger,
and ``once``, which every money request goes through.

A money request (a contribution received, a repayment and its reversal, a decision's approval) carries
an ``Idempotency-Key`` header. ``once`` hands the key, the validated body and the path's ids to
``fund.idempotency.run_once``: the first request does the work, a repeat with the same key and body gets
the first answer (status and body) with ``Idempotent-Replayed: true`` and nothing is posted twice. A
missing or malformed key is a 400, a key sent again with another body a 400, a repeat while the first
is still being processed a 409.
"""

from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response

from fund.access import funds_run_by, reads_every_ledger
from fund.idempotency import Answer, run_once
from portal.api.errors import error_body
from portal.api.serializers import DetailSerializer
from portal.refusals import Refused

REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="A new key for each money request (8 to 100 letters, digits, dots, colons, dashes or "
    "underscores); sent again with the same body it gets the first answer, nothing posted twice.",
)
REFUSED = OpenApiResponse(
    description="The body is malformed (the body names each field) or a rule refuses the change "
    "(``detail`` says why, ``rule`` which rule); for money, a missing key or a key used for another body."
)
NOT_THE_FUNDS_OFFICER = OpenApiResponse(
    DetailSerializer, description="The caller sees it but is not an officer of the fund that runs it."
)
NOT_A_LEDGER_READER = OpenApiResponse(
    DetailSerializer,
    description="Only the fund's officers, the council and the standing agency read the ledger.",
)


def outside_scope(what: str) -> OpenApiResponse:
    return OpenApiResponse(DetailSerializer, description=f"No such {what} in the caller's scope.")


def parse(serializer: serializers.Serializer) -> dict:
    """The body's validated data (400 naming each malformed field)."""
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def ledger_context(user) -> dict:
    """What the serializers read to show cash and contacts: the funds the caller runs, and whether the
    caller reads every fund's ledger."""
    return {"runs_funds": set(funds_run_by(user)), "reads_every_ledger": reads_every_ledger(user)}


def _plain(value):
    """A value of a validated body as the key's fingerprint reads it: a row by its id."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    return getattr(value, "pk", value)


def once(request, *, action: str, data: dict, ids: dict, work: Callable[[], Response]) -> Response:
    """``work()`` once for the request's ``Idempotency-Key``: its answer, or the first answer on a repeat.

    A rule's refusal inside ``work`` is an answer too (kept with the key, in the API's error shape):
    the same request sent again is refused the same way without trying again.
    """

    def attempt() -> Answer:
        try:
            response = work()
        except Refused as refusal:
            extra = {"rule": refusal.code} if refusal.code else {}
            if refusal.conflict:
                return Answer(409, error_body(str(refusal), "conflict", **extra))
            return Answer(400, error_body(str(refusal), "invalid", **extra))
        return Answer(response.status_code, response.data)

    answer = run_once(
        user=request.user,
        key=request.headers.get("Idempotency-Key"),
        action=action,
        payload={**_plain(data), **ids},
        work=attempt,
    )
    headers = {REPLAYED_HEADER: "true"} if answer.repeated else {}
    return Response(answer.body, status=answer.status, headers=headers)
