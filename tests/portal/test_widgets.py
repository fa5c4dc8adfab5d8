"""QuickSelect writes what Django's Select writes, without a template per option."""

import pytest
from django import forms
from django.utils.html import escape

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
