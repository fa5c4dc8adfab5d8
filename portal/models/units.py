"""Administrative units (đơn vị hành chính) with their validity and successors."""

import datetime

from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from portal.models.base import PortalModel
from portal.periods import in_force_on, overlapping
from portal.scope import scope_for
from portal.text import SORT_KEY_LENGTH, fold, sort_key

# Districts were abolished and provinces merged on this day (Resolution 202/2025/QH15).
REFORM_DATE = datetime.date(2025, 7, 1)


# GSO codes are digits; synthetic data uses capital letters too ("S…").
unit_code_validator = RegexValidator(
    r"^[0-9A-Z]{1,10}$",
    message=_("A unit code holds only digits (the GSO code) or capital letters, at most 10 of them."),
    code="invalid_unit_code",
)


class AdminUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AdminUnitQuerySet":
        return self.filter(pk__in=scope_for(user).readable_unit_ids)

    def valid_on(self, day: datetime.date) -> "AdminUnitQuerySet":
        """Units that existed on ``day``."""
        return self.filter(in_force_on(day, start="valid_from", end="valid_until"))

    def valid_during(self, start: datetime.date, end: datetime.date) -> "AdminUnitQuerySet":
        """Units that existed on at least one day of the period ``start``..``end``."""
        return self.filter(overlapping(start, end, start="valid_from", end="valid_until"))

    def current(self) -> "AdminUnitQuerySet":
        return self.filter(valid_until__isnull=True)

    def communes_written_by(self, user) -> "AdminUnitQuerySet":
        """The communes and wards where ``user`` may change things, their former ones included, with
        their parents, in Vietnamese order (the commune choice of a team's forms)."""
        return (
            self.filter(pk__in=scope_for(user).writable_unit_ids, level=AdminUnit.Level.COMMUNE)
            .select_related("parent")
            .in_vietnamese_order()
        )

    def search(self, text: str) -> "AdminUnitQuerySet":
        """Units whose name or code contains ``text``, ignoring case and diacritics."""
        needle = fold(text)
        if not needle:
            return self
        return self.filter(Q(search_name__contains=needle) | Q(code=text.strip()))

    def in_vietnamese_order(self) -> "AdminUnitQuerySet":
        return self.order_by("sort_name", "code")

    def highest_first(self) -> "AdminUnitQuerySet":
        """Provinces, then districts, then communes; current units before ended ones; then by name."""
        rank = models.Case(
            models.When(level=AdminUnit.Level.PROVINCE, then=models.Value(0)),
            models.When(level=AdminUnit.Level.DISTRICT, then=models.Value(1)),
            default=models.Value(2),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, models.F("valid_until").desc(nulls_first=True), "sort_name", "code")


class AdminUnit(PortalModel):
    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune or ward")

    code = models.CharField(_("GSO code"), max_length=10, db_index=True, validators=[unit_code_validator])
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(
        _("type"), max_length=40, help_text=_("For example: Tỉnh, Huyện, Thành phố, Xã, Phường.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("successor units"), symmetrical=False, blank=True, related_name="predecessors"
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    sort_name = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["sort_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_until"], name="unit_code_unique_per_era"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_until__isnull=True), name="unit_code_unique_among_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived columns for diacritic-insensitive search and Vietnamese ordering.
        self.search_name = fold(self.name)
        self.sort_name = sort_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "sort_name"}
        super().save(*args, **kwargs)

    def holder_on(self, day: datetime.date) -> "AdminUnit":
        """The unit that holds this one's territory on ``day``: itself while it exists, else its one
        successor (followed through later reforms). A unit split among several successors is never
        guessed: it stays itself, and the person who knows chooses."""
        unit = self
        while unit.valid_until is not None and unit.valid_until < day:
            successors = list(unit.successors.all()[:2])
            if len(successors) != 1:
                break
            unit = successors[0]
        return unit

    def province_id(self) -> int:
        """The id of the province this unit lies in (itself for a province)."""
        unit = self
        while unit.level != AdminUnit.Level.PROVINCE and unit.parent_id is not None:
            unit = AdminUnit.objects.only("parent_id", "level").get(pk=unit.parent_id)
        return unit.pk


# The subtree of units: below them, and the units they replaced, transitively.


def subtree_sql(root_ids: set[int]) -> tuple[str, list[int]]:
    """A statement selecting the ids of the roots, their descendants and the units they replaced,
    transitively (a recursive CTE), with its parameters; it also serves as a subquery."""
    unit_table = AdminUnit._meta.db_table
    link_table = AdminUnit.successors.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(root_ids))
    # Table names from the models, ids as parameters: nothing of the caller's reaches the text.
    sql = f"""
        WITH RECURSIVE edges(upper_id, lower_id) AS (
            SELECT parent_id, id FROM {unit_table} WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT to_adminunit_id, from_adminunit_id FROM {link_table}
        ),
        reached(id) AS (
            SELECT id FROM {unit_table} WHERE id IN ({placeholders})
            UNION
            SELECT edges.lower_id FROM edges JOIN reached ON edges.upper_id = reached.id
        )
        SELECT id FROM reached
    """  # noqa: S608
    return sql, list(root_ids)


def in_subtree(root_ids: set[int]) -> RawSQL:
    """The subtree of ``root_ids`` as a subquery, for ``unit_id__in=``: no list of ids to send."""
    return RawSQL(*subtree_sql(root_ids))  # noqa: S611 (the statement above)


def subtree_unit_ids(root_ids: set[int]) -> frozenset[int]:
    """The roots, their descendants and the units they replaced, transitively, in one query."""
    if not root_ids:
        return frozenset()
    sql, params = subtree_sql(root_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return frozenset(row[0] for row in cursor.fetchall())
