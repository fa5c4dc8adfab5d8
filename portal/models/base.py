"""The base of the portal's models: a choice's label read from a table kept per field.

Django's ``get_FOO_display`` builds a dictionary of every choice of the field at each call, and hashing
each lazily translated label translates it: 25 µs a call for a project's kind, 60 µs for its sector
(21 choices). A list of 50 rows calls it a hundred times or more. ``PortalModel`` keeps each field's
table of labels, built once, and translates only the label it gives.

Abstract bases are flattened out of migrations: a model's migration state is the same on either base.
"""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _labels(field: models.Field) -> dict:
    """The field's choices by value, their labels untranslated (as ``Model._get_FIELD_display`` reads
    them: a value listed twice has its last label)."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class PortalModel(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
