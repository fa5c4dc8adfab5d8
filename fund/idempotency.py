"""Every money request carries a key; the first request with a key does the work, a repeat gets the
first answer and nothing is posted twice.

The key is claimed in its own committed transaction before the work starts, so a concurrent repeat
sees it and is told the first is still being processed (409). The work runs in another transaction,
which keeps the answer with the key before it commits (a posting is never left without its answer);
when a rule refuses, the refusal is the answer; when anything else goes wrong, nothing was posted and
the key is released for a retry. A worker killed mid-posting leaves no half transaction (the database
rolls it back) and a key that another request may claim again once it is older than ``STALE_AFTER``.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fund.models import IdempotencyKey
from portal.models import User
from portal.refusals import Refused

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
STALE_AFTER = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict
    repeated: bool = False


def check_key(key) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise Refused(
            _(
                "Every money request needs an idempotency key: 8 to 100 letters, digits, dots, colons, "
                "dashes or underscores, new for each request."
            ),
            code="idempotency_key",
        )
    return key


def fingerprint(action: str, payload: dict) -> str:
    text = json.dumps([action, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _claim(user: User, key: str, action: str, digest: str) -> IdempotencyKey | Answer:
    """The key's record, new and ours to work on, or the answer a repeat gets."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, action=action, fingerprint=digest)
    except IntegrityError:
        pass
    with transaction.atomic():
        found = IdempotencyKey.objects.select_for_update().get(user=user, key=key)
        if found.action != action or found.fingerprint != digest:
            raise Refused(
                _("This idempotency key was already used for another request: send a new key."),
                code="idempotency_key_reused",
            )
        if found.state == IdempotencyKey.State.DONE:
            return Answer(found.status_code, found.answer, repeated=True)
        if found.created_at > timezone.now() - STALE_AFTER:
            raise Refused(
                _(
                    "The first request with this idempotency key is still being processed: "
                    "wait for its answer."
                ),
                code="idempotency_key_in_progress",
                conflict=True,
            )
        found.created_at = timezone.now()
        found.save(update_fields=["created_at"])
        return found


def run_once(*, user: User, key, action: str, payload: dict, work: Callable[[], Answer]) -> Answer:
    """``work()`` once for ``key``: it runs its own transaction and returns the answer to keep."""
    claimed = _claim(user, check_key(key), action, fingerprint(action, payload))
    if isinstance(claimed, Answer):
        return claimed
    try:
        # The work and the answer kept with the key commit together: a worker killed between the two
        # would otherwise leave a posting whose key another request could claim again.
        with transaction.atomic():
            return _keep(claimed, work())
    except Refused as refusal:
        return _keep(
            claimed, Answer(409 if refusal.conflict else 400, {"detail": str(refusal), "code": refusal.code})
        )
    except BaseException:
        IdempotencyKey.objects.filter(pk=claimed.pk).delete()
        raise


def _keep(claimed: IdempotencyKey, answer: Answer) -> Answer:
    IdempotencyKey.objects.filter(pk=claimed.pk).update(
        state=IdempotencyKey.State.DONE, status_code=answer.status, answer=answer.body
    )
    return answer
