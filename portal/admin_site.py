"""The Django admin's site: every model admin it registers reads its input with the portal's bounds.

The admin writes integers, ids and days from forms and filters its lists by any lookup in the query
string (``?unit=…``, ``?id__in=…``, ``?held_on__year=…``). Left to Django, a number the column
cannot hold, a year 0 or an id beyond 64 bits reached the database and answered 500. This site
(``PortalAdminConfig.default_site``) mixes ``BoundedInput`` into each model admin it registers and
``BoundedFields`` into its inlines, Django's own (users' groups) included, so no admin can be
registered without them:

- integer fields are ``WholeNumberField`` within their column's range on every database, dates
  ``DayField`` within the years 2000–2100, choices by id ``IdChoiceField`` and
  ``IdMultipleChoiceField`` (portal/bounds.py);
- a change list's lookups are parsed the same way before the database reads them
  (``BoundedChangeList``); one that does not parse is the admin's own "invalid lookup" answer,
  a redirect to the unfiltered list;
- an object's address with an id that does not parse is an object that does not exist.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.dateparse import parse_date

from portal.bounds import (
    FIRST_DAY,
    LAST_DAY,
    DayField,
    IdChoiceField,
    IdMultipleChoiceField,
    WholeNumberField,
    check_day,
    column_range,
    limits,
    parse_id,
    parse_whole_number,
)

# The parts of a day or a time a lookup may take (``held_on__year=2026``), and what each may be.
DATE_PARTS = {
    "year": (FIRST_DAY.year, LAST_DAY.year),
    "iso_year": (FIRST_DAY.year, LAST_DAY.year),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# Lookups whose value is a comma-separated list.
LIST_LOOKUPS = {"in", "range"}


def has_integer_key(field: models.Field) -> bool:
    """Whether ``field`` (a relation) names its rows by an integer."""
    return isinstance(getattr(field, "target_field", None), models.IntegerField)


class BoundedFields:
    """Mixed into every model admin and inline: its form fields read numbers, ids and days with bounds."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.choices or db_field.is_relation:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
            minimum, maximum = limits(db_field)
            kwargs.update(form_class=WholeNumberField, min_value=minimum, max_value=maximum)
        elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
            kwargs["form_class"] = DayField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if has_integer_key(db_field):
            kwargs.setdefault("form_class", IdChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if has_integer_key(db_field):
            kwargs.setdefault("form_class", IdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BoundedInput(BoundedFields):
    """Mixed into every model admin: its fields, its change list's lookups and its objects' addresses."""

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def get_object(self, request, object_id, from_field=None):
        pk = self.model._meta.pk
        if from_field is None and isinstance(pk, models.IntegerField):
            try:
                object_id = parse_id(object_id)
            except ValidationError:
                return None
        return super().get_object(request, object_id, from_field)


class BoundedChangeList(ChangeList):
    """A change list whose lookups are parsed with the portal's bounds before its query runs."""

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for key, values in lookup_params.items():
            check_lookup(self.model, key, values)
        return lookup_params


def check_lookup(model: type[models.Model], key: str, values: list[str]) -> None:
    """IncorrectLookupParameters unless each value of lookup ``key`` is one its field can hold.

    A key that names no field (a list filter's own parameter) is left to its filter.
    """
    field, lookups = _field_of(model, key)
    if field is None or "isnull" in lookups:
        return
    texts = [text for value in values for text in (value.split(",") if lookups & LIST_LOOKUPS else [value])]
    part = next((lookup for lookup in lookups if lookup in DATE_PARTS), None)
    try:
        for text in texts:
            if part is not None:
                minimum, maximum = DATE_PARTS[part]
                parse_whole_number(text, minimum=minimum, maximum=maximum)
            elif isinstance(field, models.IntegerField):
                minimum, maximum = column_range(field)
                parse_whole_number(text, minimum=minimum, maximum=maximum)
            elif isinstance(field, models.DateField):
                day = parse_date(text.strip()[:10])
                if day is not None:
                    check_day(day)
    except (ValidationError, ValueError) as error:
        raise IncorrectLookupParameters(error) from None


def _field_of(model: type[models.Model], key: str) -> tuple[models.Field | None, set[str]]:
    """The field lookup ``key`` compares (for a relation: the key of its rows) and its lookups."""
    options = model._meta
    field = None
    parts = key.split(LOOKUP_SEP)
    for index, name in enumerate(parts):
        try:
            field = options.pk if name == "pk" else options.get_field(name)
        except FieldDoesNotExist:
            return field, set(parts[index:])
        if field.is_relation:
            if field.related_model is None:  # a generic relation: not a column to compare
                return None, set()
            options = field.related_model._meta
            field = options.pk if not hasattr(field, "target_field") else field.target_field
    return field, set()


class PortalAdminSite(admin.AdminSite):
    """The admin site every app registers with (``admin.site``): each model admin reads with bounds."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        bounded = type(
            admin_class.__name__,
            (BoundedInput, admin_class),
            {
                "__module__": admin_class.__module__,
                "inlines": [bounded_inline(inline) for inline in admin_class.inlines],
            },
        )
        super().register(model_or_iterable, bounded, **options)


def bounded_inline(inline_class: type) -> type:
    return type(inline_class.__name__, (BoundedFields, inline_class), {"__module__": inline_class.__module__})
