"""The one interface through which an app contributes its section to a review report.

An app lists its sections in ``SECTIONS`` in its ``report_sections`` module; ``reports`` finds them
there and never imports the app's models. A section is any object with:

- ``key``: a stable identifier (``"dossiers"``), unique across apps;
- ``title``: its heading, an untranslated message (marked with ``gettext_noop``);
- ``order``: where it stands in a report (smaller first);
- ``more`` (optional): ``(route name, label)`` of the app's page with more on the section, the label an
  untranslated message; the live dashboard links it under the section's heading;
- ``build(unit, period, previous)``: its content for the unit's subtree over ``period`` (a pair of
  days, both included), each measure also carrying its value over the ``previous`` period, as
  plain JSON data in the shape below. One call gets both periods, so a section can count them in
  the same statements. The number of queries must not depend on the number of rows.

The content is stored as the report's snapshot, so it holds data, never objects. Every label and
message is an untranslated message, translated when the report is read (a report built in the
night reads in the reader's language); names of units and teams pass through unchanged.

```
{
  "measures": [{"key", "label", "value", "previous", "target", "format"}],  # previous, target may be None
  "tables": [{"key", "title", "columns": [{"key", "label", "format"}],
              "rows": [{"unit_id": int | None, "cells": [...]}], "total": [...] | None}],
  "charts": [{"key", "title", "categories": [str], "series": [{"label", "values": [number]}]}],
  "flags": [{"where": str, "message": str, "params": {name: value}}],
}
```

Formats: ``count`` (whole number), ``percent`` (0–100, one decimal), ``decimal`` (one decimal),
``days`` (one decimal), ``rating`` (out of 5, one decimal), ``date`` (ISO date), ``text``.
"""

import datetime
from typing import Protocol

from portal.plugins import app_modules

FORMATS = frozenset({"count", "percent", "decimal", "days", "rating", "date", "text"})
SECTION_PARTS = ("measures", "tables", "charts", "flags")


class Section(Protocol):
    key: str
    title: str
    order: int

    def build(
        self, unit, period: tuple[datetime.date, datetime.date], previous: tuple[datetime.date, datetime.date]
    ) -> dict: ...


class SectionShapeError(ValueError):
    """A section returned content that does not follow the interface."""


def installed_sections() -> list[Section]:
    """Every installed app's sections, in report order."""
    found: dict[str, Section] = {}
    for module in app_modules("report_sections"):
        for section in module.SECTIONS:
            if section.key in found:
                raise SectionShapeError(f"Two sections are called {section.key!r}.")
            found[section.key] = section
    return sorted(found.values(), key=lambda section: (section.order, section.key))


def check_shape(key: str, content: dict) -> dict:
    """``content`` when it follows the interface; otherwise SectionShapeError naming what is wrong."""

    def fail(problem: str):
        raise SectionShapeError(f"Section {key!r}: {problem}")

    if set(content) != set(SECTION_PARTS):
        fail(f"the parts are {sorted(content)}, expected {list(SECTION_PARTS)}")
    for measure in content["measures"]:
        if {"key", "label", "value", "previous", "target", "format"} - set(measure):
            fail(f"measure {measure.get('key')!r} lacks a key, label, value, previous, target or format")
        if measure["format"] not in FORMATS:
            fail(f"measure {measure['key']!r} has the unknown format {measure['format']!r}")
    for table in content["tables"]:
        widths = {len(table["columns"])}
        widths |= {len(row["cells"]) for row in table["rows"]}
        if table.get("total") is not None:
            widths.add(len(table["total"]))
        if len(widths) != 1:
            fail(f"table {table['key']!r} has rows of different widths")
        if any(column["format"] not in FORMATS for column in table["columns"]):
            fail(f"table {table['key']!r} has a column of unknown format")
    for chart in content["charts"]:
        if any(len(series["values"]) != len(chart["categories"]) for series in chart["series"]):
            fail(f"chart {chart['key']!r} has series and categories of different lengths")
    for flag in content["flags"]:
        if {"where", "message", "params"} - set(flag):
            fail("a flag lacks where, message or params")
    return content
