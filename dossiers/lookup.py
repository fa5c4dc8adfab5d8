"""The public lookup of a dossier (tra cứu hồ sơ): its code and the last four digits of the applicant's phone.

The answer says the status, the procedure and the due date, nothing about the person. A
wrong code and a wrong second factor get the same answer, and failed tries are counted per
client address and per code by the throttle that counts failed sign-ins (``portal/throttle.py``),
so neither a code nor the four digits of a known code can be found by trying.
"""

import datetime
import hmac
import re
from dataclasses import dataclass

from django.conf import settings

from dossiers.models import Dossier
from portal.throttle import Throttle

# Failed tries allowed within the window; settings may override them.
LIMIT_PER_ADDRESS = 10
LIMIT_PER_CODE = 5
WINDOW = datetime.timedelta(minutes=15)

# Compared with what was typed when the code matches no dossier, so that both answers take the same path.
_NO_DIGITS = "\x00" * 4

_NOT_IN_CODE = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the code and the second factor may read about a dossier."""

    code: str
    status: str
    status_label: str
    procedure_name: str
    due_date: datetime.date | None

    @property
    def is_waiting_for_supplement(self) -> bool:
        return self.status == Dossier.Status.SUPPLEMENT_REQUESTED


@dataclass(frozen=True)
class LookupAnswer:
    found: PublicStatus | None = None
    is_throttled: bool = False


def normalize_code(text: str) -> str:
    """``hs 4k7m 9qx2``, ``HS4K7M9QX2`` and ``4K7M-9QX2`` all read as ``HS-4K7M-9QX2``."""
    compact = _NOT_IN_CODE.sub("", (text or "").upper())
    if len(compact) == 8:
        compact = f"HS{compact}"
    if len(compact) == 10 and compact.startswith("HS"):
        return f"HS-{compact[2:6]}-{compact[6:]}"
    return compact


def _limits() -> dict[str, int]:
    return {
        "address": getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_ADDRESS", LIMIT_PER_ADDRESS),
        "code": getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_CODE", LIMIT_PER_CODE),
    }


def _window() -> datetime.timedelta:
    return getattr(settings, "DOSSIER_LOOKUP_WINDOW", WINDOW)


THROTTLE = Throttle(name="dossier-lookup-failures", limits=_limits, window=_window)


def window_minutes() -> int:
    return int(_window().total_seconds()) // 60


def is_lookup_blocked(*, code: str, address: str) -> bool:
    """True when the address or the (normalised) code has failed too often within the window.

    The code's counter exists whether or not a dossier has that code, so being blocked says nothing either.
    """
    return THROTTLE.blocked_until(address=address, code=code) is not None


def record_lookup_failure(*, code: str, address: str) -> None:
    THROTTLE.record_failure(address=address, code=code)


def look_up_dossier(*, code: str, phone_last_four: str, address: str) -> LookupAnswer:
    """The public status of the filed dossier ``code`` whose applicant's phone ends in ``phone_last_four``."""
    code = normalize_code(code)
    if is_lookup_blocked(code=code, address=address):
        return LookupAnswer(is_throttled=True)
    dossier = (
        Dossier.objects.submitted()
        .select_related("procedure", "applicant")
        .only("code", "status", "due_date", "procedure__name", "applicant__phone")
        .filter(code=code)
        .first()
    )
    expected = dossier.applicant.phone_last_four if dossier is not None else _NO_DIGITS
    digits_match = hmac.compare_digest(expected.encode(), (phone_last_four or "").encode())
    if dossier is None or not digits_match:
        record_lookup_failure(code=code, address=address)
        return LookupAnswer()
    return LookupAnswer(
        found=PublicStatus(
            code=dossier.code,
            status=dossier.status,
            status_label=dossier.get_status_display(),
            procedure_name=dossier.procedure.name,
            due_date=dossier.due_date,
        )
    )
