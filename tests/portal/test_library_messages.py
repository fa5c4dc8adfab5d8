"""The libraries' messages the portal translates itself (portal/library_messages.py) are still the
libraries' messages, read in Vietnamese, and the portal's catalogue wins over the libraries' own."""

import gettext
from pathlib import Path

import django
import pytest
import rest_framework
from django.utils import translation

from portal.library_messages import MESSAGES, PLURAL_MESSAGES
from tests.portal.test_translations import CATALOGUE, read_po

DJANGO = Path(django.__file__).parent
DJANGO_CATALOGUES = (
    DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    DJANGO / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
)
DRF_CATALOGUE = Path(rest_framework.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def library_messages() -> set[str]:
    """Every msgid of Django's core and auth catalogues and of DRF's."""
    messages = {msgid for path in DJANGO_CATALOGUES for msgid in read_po(path)}
    with DRF_CATALOGUE.open("rb") as catalogue:
        messages |= {
            key for key in gettext.GNUTranslations(catalogue)._catalog if isinstance(key, str) and key
        }
    return messages


def test_every_named_message_is_still_a_message_of_the_libraries():
    """A library that rewords a message would leave our translation of the old wording unused."""
    assert sorted(set(MESSAGES) - library_messages()) == []


@pytest.mark.parametrize("message", MESSAGES)
def test_every_named_message_reads_in_the_portals_vietnamese(message):
    ours = read_po(CATALOGUE)[message][0]
    with translation.override("vi"):
        assert translation.gettext(message) == ours != message


@pytest.mark.parametrize("message", PLURAL_MESSAGES, ids=range(len(PLURAL_MESSAGES)))
def test_every_named_plural_message_reads_in_vietnamese(message):
    def read(message) -> str:
        try:
            return message % {"limit_value": 10, "show_value": 12}
        except TypeError:  # a message of a bare number
            return message % 10

    with translation.override("en"):
        english = read(message)
    with translation.override("vi"):
        assert read(message) != english


def test_the_portals_catalogue_wins_over_the_libraries():
    """LOCALE_PATHS comes first: where Django's and DRF's Vietnamese differ from ours, ours is read."""
    with translation.override("vi"):
        # Django's own Vietnamese says "a whole-ish number" ("một số tổng thể").
        assert translation.gettext("Enter a whole number.") == "Hãy nhập một số nguyên."
        # DRF's own: "Dùng một trong những định dạng sau để thay thế".
        assert translation.gettext("Date has wrong format. Use one of these formats instead: {format}.") == (
            "Ngày sai định dạng. Hãy dùng định dạng: {format}."
        )
