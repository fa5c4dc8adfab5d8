"""PortalModel's ``get_FOO_display`` gives what Django's gives, for every choice of every model's field, in
both languages, and every model of the portal's apps is built on it."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from portal.models import User
from portal.models.base import PortalModel

# Django's user model is the portal's through AbstractUser; it has no field with choices.
OWN_BASE = {User}


def portal_models() -> list[type[models.Model]]:
    """The models of the apps at the repository's top (not Django's nor the libraries')."""
    own = {config.label for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}
    return [model for model in apps.get_models() if model._meta.app_label in own]


def fields_with_choices():
    for model in portal_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_model_of_the_portals_apps_is_a_portal_model():
    others = [model for model in portal_models() if not issubclass(model, PortalModel)]
    assert set(others) == OWN_BASE
    assert not any(field.choices for model in OWN_BASE for field in model._meta.concrete_fields)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_label_is_djangos(language):
    checked = 0
    with translation.override(language):
        for model, field in fields_with_choices():
            row = model()
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice"]:
                setattr(row, field.attname, value)
                display = getattr(row, f"get_{field.name}_display")()
                assert display == models.Model._get_FIELD_display(row, field), (model, field.name, value)
                checked += 1
    assert checked > 300  # every model's choices, not a handful


def test_a_label_is_translated_when_read():
    field = next(
        field
        for model, field in fields_with_choices()
        if model.__name__ == "Project" and field.name == "kind"
    )
    row = field.model(kind=field.flatchoices[0][0])
    with translation.override("vi"):
        vietnamese = row.get_kind_display()
    with translation.override("en"):
        english = row.get_kind_display()
    assert vietnamese != english
