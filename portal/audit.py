"""The one audit mechanism: who changed what, before and after, when and from where.

A model joins with the ``@audited`` decorator. Every save and delete of its rows
then writes an ``AuditRecord`` in the same transaction. The actor, the address
and the channel come from ``audit_context``, which the middleware opens for each
request and commands and tasks open themselves.
"""

import contextlib
import contextvars
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    address: str = ""
    channel: str = "system"


_current = contextvars.ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen dataclass)
_registry: dict[type[models.Model], "_Tracking"] = {}


@dataclass(frozen=True)
class _Tracking:
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
        _registry[model] = _Tracking(exclude=frozenset(exclude or ()), parent=parent)
        return model

    return register


def is_audited(model: type[models.Model]) -> bool:
    return model in _registry


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


def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(previous) if previous else None


def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance, action="create", before={}, after=after)
        return
    changed = {name for name in after if before.get(name) != after[name]}
    if changed:
        _write(
            instance,
            action="update",
            before={name: before.get(name) for name in changed},
            after={name: after[name] for name in changed},
        )


def _record_delete(sender, instance, **kwargs):
    _write(instance, action="delete", before=snapshot(instance), after={})


def _write(instance: models.Model, *, action: str, before: dict, after: dict) -> None:
    from django.contrib.contenttypes.models import ContentType

    from portal.models import AuditRecord

    context = _current.get()
    tracking = _registry[type(instance)]
    parent_type, parent_id = None, None
    if tracking.parent:
        parent_field = instance._meta.get_field(tracking.parent)
        parent_type = ContentType.objects.get_for_model(parent_field.related_model)
        parent_id = getattr(instance, parent_field.attname)
    AuditRecord.objects.create(
        actor_id=context.actor_id,
        address=context.address or None,
        channel=context.channel,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        parent_content_type=parent_type,
        parent_object_id=str(parent_id) if parent_id is not None else "",
        before=before,
        after=after,
    )


def connect_signals() -> None:
    for model in _registry:
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}-delete")
