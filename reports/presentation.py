"""A report's stored content shown in the reader's language: labels, values and flags.

The HTML pages, the DOCX and the XLSX all go through these functions, so the three read alike.
"""

import datetime
import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format, get_format, number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

NO_VALUE = "—"


@functools.cache
def _separators(language: str) -> tuple[str, str, object]:
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        get_format("NUMBER_GROUPING", language, use_l10n=True),
    )


@receiver(setting_changed)
def _formats_changed(**kwargs) -> None:
    _separators.cache_clear()


def number(value: int | float, decimal_pos: int) -> str:
    """``value`` grouped in thousands, with ``decimal_pos`` decimals (cut, not rounded), in the active
    language: what ``number_format(value, decimal_pos, use_l10n=True, force_grouping=True)`` gives,
    without its look-ups of the language's formats for every number (a province's dashboard writes
    thousands)."""
    decimal_sep, thousand_sep, grouping = _separators(get_language())
    text = str(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or "e" in text
        or "n" in text
        or not isinstance(grouping, int)
        or grouping < 1
    ):
        return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _point, fraction = text.partition(".")
    groups = [whole[max(end - grouping, 0) : end] for end in range(len(whole), 0, -grouping)]
    fraction = fraction[:decimal_pos].ljust(decimal_pos, "0")
    return sign + thousand_sep.join(reversed(groups)) + (decimal_sep + fraction if fraction else "")


def translated(label: str) -> str:
    """A stored label in the active language, capitalised (names of units and teams come back unchanged)."""
    return capfirst(gettext(label)) if label else ""


def display(value, format: str) -> str:
    """A stored value as text in the active language: ``1.234``, ``87,5 %``, ``4,2/5``, ``25/12/2026``."""
    if value is None or value == "":
        return NO_VALUE
    if format == "count":
        return number(value, 0)
    if format == "date":
        return date_format(datetime.date.fromisoformat(value), "d/m/Y")
    if format == "text":
        return translated(str(value))
    shown = number(value, 1)
    if format == "percent":
        return f"{shown} %"
    if format == "rating":
        return f"{shown}/5"
    if format == "days":
        return gettext("%(days)s days") % {"days": shown}
    return shown


def flag_text(flag: dict) -> str:
    """A stored flag's message in the active language, its numbers written the local way."""
    params = {
        name: display(value, "decimal" if isinstance(value, float) else "count")
        if isinstance(value, int | float) and not isinstance(value, bool)
        else translated(str(value))
        for name, value in flag["params"].items()
    }
    message = translated(flag["message"])
    return message % params if params else message


def change(value, previous) -> float | None:
    """The change against the previous period, in the measure's own unit (None when either is missing)."""
    if value is None or previous is None:
        return None
    return round(value - previous, 1)


def change_text(measure: dict) -> str:
    """A stored measure's change against the previous period, signed: ``+234``, ``−2,5 %``."""
    difference = change(measure["value"], measure.get("previous"))
    if difference is None:
        return NO_VALUE
    shown = display(abs(difference), measure["format"])
    return f"+{shown}" if difference > 0 else f"−{shown}" if difference < 0 else shown


CHART_COLOURS = ("#0d6efd", "#dc3545", "#198754", "#6f42c1", "#fd7e14")


def with_values_only(chart: dict) -> dict:
    """The chart without the categories where every series is zero or missing (the tables list them)."""
    kept = [
        index
        for index in range(len(chart["categories"]))
        if any(series["values"][index] for series in chart["series"])
    ]
    return {
        **chart,
        "categories": [chart["categories"][index] for index in kept],
        "series": [
            {**series, "values": [series["values"][index] for index in kept]} for series in chart["series"]
        ],
    }


def chart_rows(chart: dict) -> list[dict]:
    """A stored chart's categories that have a value, each with its bars' values and widths (0–100)."""
    chart = with_values_only(chart)
    largest = (
        max((value for series in chart["series"] for value in series["values"] if value), default=0) or 1
    )
    return [
        {
            "category": category,
            "bars": [
                {
                    "label": translated(series["label"]),
                    "value": display(value, "count" if isinstance(value, int) else "decimal"),
                    "width": round(100 * (value or 0) / largest, 1),
                    "colour": CHART_COLOURS[position % len(CHART_COLOURS)],
                }
                for position, (series, value) in enumerate(
                    zip(chart["series"], [series["values"][index] for series in chart["series"]], strict=True)
                )
            ],
        }
        for index, category in enumerate(chart["categories"])
    ]


def chart_legend(chart: dict) -> list[dict]:
    return [
        {"label": translated(series["label"]), "colour": CHART_COLOURS[position % len(CHART_COLOURS)]}
        for position, series in enumerate(chart["series"])
    ]


def table_rows(table: dict) -> list[dict]:
    """A stored table's rows with every cell written in its column's format."""
    formats = [column["format"] for column in table["columns"]]
    return [
        {
            "unit_id": row.get("unit_id"),
            "cells": [display(cell, fmt) for cell, fmt in zip(row["cells"], formats, strict=True)],
        }
        for row in table["rows"]
    ]


def table_total(table: dict) -> list[str] | None:
    if table.get("total") is None:
        return None
    formats = ["text"] + [column["format"] for column in table["columns"][1:]]
    return [display(cell, fmt) for cell, fmt in zip(table["total"], formats, strict=True)]
