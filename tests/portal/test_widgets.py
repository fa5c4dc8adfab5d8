"""QuickSelect writes what Django's Select writes, without a template per option."""

import datetime

import pytest
from django import forms
from django.utils import translation
from django.utils.html import escape

from portal.bounds import IdChoiceField
from portal.models import AdminUnit
from portal.paging import FRESH_FOR
from portal.widgets import QuickSelect

CHOICES = [
    ("", "— tất cả —"),
    (1, 'Xã <b>"Mỹ" & Tho\'</b>'),
    ("Nhóm <cũ>", [(2, "Phường 1"), (3, "Phường 2")]),
    (4, "Xã Long Hồ"),
]
ATTRS = {"class": "form-select", "aria-invalid": "true", "required": True, "hidden": False, "data-x": None}


@pytest.mark.parametrize("value", [None, "", 1, "3", [4], "999"])
def test_quick_select_writes_what_djangos_select_writes(value):
    expected = forms.Select(choices=CHOICES).render("unit", value, attrs=ATTRS)
    assert QuickSelect(choices=CHOICES).render("unit", value, attrs=ATTRS) == expected


class DisablingSelect(QuickSelect):
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"] == 2:
            option["attrs"]["disabled"] = True
        return option


def test_an_option_a_subclass_disables_is_written_disabled():
    assert '<option value="2" disabled>Phường 1</option>' in DisablingSelect(choices=CHOICES).render(
        "unit", 1
    )


def test_the_queue_writes_its_choices_of_unit_and_team_with_the_chosen_ones_selected(cast, login):
    commune, team = cast.units.commune, cast.teams.commune
    page = login(cast.council_member).get(f"/dossiers/?unit={commune.pk}&handling_team={team.pk}")
    html = page.content.decode()
    assert f'<option value="{commune.pk}" selected>{escape(commune.name)}</option>' in html
    assert f'<option value="{team.pk}" selected>{escape(team.name)}</option>' in html
    assert f'<option value="{cast.units.other_commune.pk}">' in html


class NamedChoiceField(IdChoiceField):
    def label_from_instance(self, unit) -> str:
        return f'{unit.name} <"{unit.code}">'


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "chosen", ["chosen"], "999"])
def test_kept_choices_write_what_djangos_select_writes(cast, value):
    units = AdminUnit.objects.order_by("code")
    chosen = str(cast.units.commune.pk)
    value = [chosen] if value == ["chosen"] else chosen if value == "chosen" else value
    field = NamedChoiceField(queryset=units, empty_label="— tất cả —")
    expected = forms.Select(choices=field.choices).render("unit", value, attrs=ATTRS)
    assert field.widget.render("unit", value, attrs=ATTRS) == expected  # made and kept
    assert field.widget.render("unit", value, attrs=ATTRS) == expected  # read from the cache


@pytest.mark.django_db
def test_kept_choices_are_read_once_a_minute_per_language(cast, clock, django_assert_num_queries):
    field = NamedChoiceField(queryset=AdminUnit.objects.order_by("code"))
    field.widget.render("unit", None)
    with django_assert_num_queries(0):
        field.widget.render("unit", None)
    with translation.override("en"), django_assert_num_queries(1):
        field.widget.render("unit", None)
    AdminUnit.objects.filter(pk=cast.units.commune.pk).update(name="Xã Đổi Tên")
    assert "Xã Đổi Tên" not in field.widget.render("unit", None)  # up to a minute old
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    assert "Xã Đổi Tên" in field.widget.render("unit", None)


@pytest.mark.django_db
def test_labels_that_depend_on_more_than_the_row_are_not_kept(cast, django_assert_num_queries):
    field = NamedChoiceField(queryset=AdminUnit.objects.order_by("code"))
    field.keeps_labels = False
    field.widget.render("unit", None)
    with django_assert_num_queries(1):
        field.widget.render("unit", None)
