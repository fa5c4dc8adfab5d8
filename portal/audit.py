"""The one audit mechanism: who changed what, before and after, when and from where.

A model joins with the ``@audited`` decorator. Every save and delete of its rows
then writes an ``AuditRecord`` in the same transaction (portal/models/audit.py
listens to the saves and deletes). The actor, the address and the channel come
from ``audit_context``, which the middleware opens for each request, the API
base class for each token caller, and commands and tasks open themselves.
"""

import contextlib
import contextvars
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    address: str = ""
    channel: str = "system"


_current = contextvars.ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen dataclass)
_registry: dict[type[models.Model], "Tracking"] = {}


@dataclass(frozen=True)
class Tracking:
    """How a model is audited: fields left out, and the foreign key whose history shows the change."""

    exclude: frozenset[str]
    parent: str | None


@contextlib.contextmanager
def audit_context(*, actor=None, address: str = "", channel: str = "system"):
    """Attribute every audited change made inside the block to ``actor`` from ``address``."""
    token = _current.set(AuditContext(actor_id=getattr(actor, "pk", None), address=address, channel=channel))
    try:
        yield
    finally:
        _current.reset(token)


def audited(*, exclude: list[str] | None = None, parent: str | None = None):
    """Mark a model as audited; ``parent`` names a foreign key whose history also shows the change."""

    def register(model: type[models.Model]) -> type[models.Model]:
        _registry[model] = Tracking(exclude=frozenset(exclude or ()), parent=parent)
        return model

    return register


def current_context() -> AuditContext:
    return _current.get()


def tracking_of(model: type[models.Model]) -> Tracking | None:
    """How ``model`` is audited; None when it is not."""
    return _registry.get(model)


def snapshot(instance: models.Model) -> dict:
    """The instance's field values as JSON-ready data; a foreign key as its id and its label."""
    tracking = _registry[type(instance)]
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in tracking.exclude:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name or ""  # the stored name; the file itself is not part of the record
        if field.is_relation and value is not None:
            value = {"id": value, "label": str(getattr(instance, field.name))[:200]}
        values[field.name] = value
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))
