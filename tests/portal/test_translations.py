"""Every user-facing string has a Vietnamese translation, and the compiled catalogue is current."""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SOURCES = (
    "portal",
    "dossiers",
    "teamwork",
    "policies",
    "projects",
    "fund",
    "conversions",
    "reports",
    "demo",
    "templates",
)


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, is_fuzzy) for every active entry of a .po file (plural forms by their first)."""
    entries, current, field, fuzzy = {}, {}, None, False

    def flush():
        nonlocal current, fuzzy
        if current.get("msgid"):
            entries[current["msgid"]] = (current.get("msgstr", current.get("msgstr[0]", "")), fuzzy)
        current, fuzzy = {}, False

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            flush()
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    return entries


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    untranslated = [msgid for msgid, (msgstr, fuzzy) in read_po(CATALOGUE).items() if not msgstr or fuzzy]
    assert untranslated == []


NEEDS_GETTEXT = "needs GNU gettext (CI installs it: apt-get install gettext)"


@pytest.mark.skipif(not shutil.which("xgettext"), reason=NEEDS_GETTEXT)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    for name in SOURCES:
        shutil.copytree(
            settings.BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tmp_path / "locale"])
    call_command("makemessages", locale=["vi"], no_location=True, verbosity=0)
    extracted = read_po(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    catalogue = read_po(CATALOGUE)
    missing = sorted(msgid for msgid in extracted if not catalogue.get(msgid, ("", False))[0])
    assert missing == [], "run `make messages` and translate these"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason=NEEDS_GETTEXT)
def test_compiled_catalogue_matches_the_source(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(CATALOGUE)], check=True)
    with fresh.open("rb") as new, CATALOGUE.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog
