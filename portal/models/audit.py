"""Audit records: written once, never edited or deleted by the application.

The receivers at the end write one for every save and delete of a model marked ``@audited``
(portal/audit.py), in the same transaction. They listen to every model and pass over those
that are not audited.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.audit import current_context, snapshot, tracking_of
from portal.models.base import PortalModel


class AuditRecordIsPermanent(Exception):
    """Raised on any attempt to change or remove an audit record."""


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRecordIsPermanent("Audit records cannot be changed.")

    def delete(self):
        raise AuditRecordIsPermanent("Audit records cannot be deleted.")

    def history_of(self, instance: models.Model) -> "AuditRecordQuerySet":
        """Records of ``instance`` and of the rows that name it as their audit parent, newest first."""
        content_type = ContentType.objects.get_for_model(instance)
        return self.filter(
            Q(content_type=content_type, object_id=str(instance.pk))
            | Q(parent_content_type=content_type, parent_object_id=str(instance.pk))
        ).order_by("-at", "-pk")


class AuditRecord(PortalModel):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    parent_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent_object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
            models.Index(fields=["parent_content_type", "parent_object_id"], name="audit_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditRecordIsPermanent("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordIsPermanent("Audit records cannot be deleted.")

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) as people read them, for every field the record touches.

        The row's own id and fields that were empty before and after are left out.
        """
        model = self.content_type.model_class()
        rows = []
        for name in sorted(set(self.before) | set(self.after)):
            before, after = self.before.get(name), self.after.get(name)
            if name == "id" or (before in (None, "") and after in (None, "")):
                continue
            field = _field_or_none(model, name)
            label = str(field.verbose_name) if field else name
            rows.append((label, _shown(field, before), _shown(field, after)))
        return rows


def _field_or_none(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model
        return None


def _shown(field, value) -> str:
    """A recorded value as the pages show it: names for linked rows and choices, dd/mm/yyyy for dates."""
    if value in (None, ""):
        return "–"
    if isinstance(value, dict) and "label" in value:
        return value["label"]
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


# Recording.


@receiver(pre_save, dispatch_uid="audit-before")
def _remember_before(sender, instance, raw=False, **kwargs):
    if tracking_of(sender) is None:
        return
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(previous) if previous else None


@receiver(post_save, dispatch_uid="audit-save")
def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw or tracking_of(sender) is None:
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


@receiver(post_delete, dispatch_uid="audit-delete")
def _record_delete(sender, instance, **kwargs):
    if tracking_of(sender) is not None:
        _write(instance, action="delete", before=snapshot(instance), after={})


def _write(instance: models.Model, *, action: str, before: dict, after: dict) -> None:
    context = current_context()
    tracking = tracking_of(type(instance))
    parent_type, parent_id = None, None
    if tracking is not None and tracking.parent:
        parent_field = instance._meta.get_field(tracking.parent)
        parent_model = parent_field.related_model
        if not isinstance(parent_field, models.ForeignKey) or not isinstance(parent_model, type):
            raise TypeError(f"The audit parent of {type(instance).__name__} must be a foreign key.")
        parent_type = ContentType.objects.get_for_model(parent_model)
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
