"""Showing a report's stored content in templates, through ``reports/presentation.py``.

A table's rows and a chart's bars are written here, not in the template language: a province's
dashboard holds thousands of cells, and a template node per cell cost more than composing the figures.
They are plain strings, each value escaped once with the standard library's ``html.escape`` (what
Django's ``escape`` calls), not ``format_html``, whose checks for lazy text and safe strings cost more
than the escaping on ten thousand cells.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reports import presentation

register = template.Library()


@register.filter
def translated(label: str) -> str:
    return presentation.translated(label)


@register.filter
def shown(value, format: str) -> str:
    return presentation.display(value, format)


@register.filter
def flag_text(flag: dict) -> str:
    return presentation.flag_text(flag)


@register.filter
def change(measure: dict) -> str:
    return presentation.change_text(measure)


@register.filter
def chart_legend(chart: dict) -> list[dict]:
    return presentation.chart_legend(chart)


@register.filter
def table_total(table: dict) -> list[str] | None:
    return presentation.table_total(table)


@register.simple_tag
def table_body(table: dict, drill_query: str = "", readable_unit_ids=None) -> str:
    """A stored table's rows, each cell in its column's format; in the table by unit, a unit the
    reader may open links to its dashboard over the period of ``drill_query``."""
    linked = bool(drill_query) and table["key"] == "by_unit"
    readable = readable_unit_ids or ()
    link = f"{escape(reverse('reports:dashboard'))}?unit={{}}&amp;{escape(drill_query)}"
    rows = []
    for row in presentation.table_rows(table):
        first, *rest = (escape(cell) for cell in row["cells"])
        if linked and row["unit_id"] in readable:
            first = f'<a href="{link.format(row["unit_id"])}">{first}</a>'
        cells = "".join(f'<td class="text-end">{cell}</td>' for cell in rest)
        rows.append(f'<tr><th scope="row" class="fw-normal">{first}</th>{cells}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)


def _bar(bar: dict) -> str:
    label, value = escape(bar["label"]), escape(bar["value"])
    return (
        '<div class="d-flex align-items-center"><svg class="flex-grow-1" height="8" viewBox="0 0 100 8" '
        f'preserveAspectRatio="none" role="img" aria-label="{label}: {value}"><rect x="0" y="0" '
        f'width="{bar["width"]}" height="8" fill="{escape(bar["colour"])}"></rect></svg>'
        f'<span class="ms-2 report-chart-value">{value}</span></div>'
    )


@register.simple_tag
def chart_body(chart: dict) -> str:
    """A stored chart's categories that have a value, one row of bars each (widths 0–100)."""
    rows = presentation.chart_rows(chart)
    if not rows:
        return format_html('<p class="small text-muted">{}</p>', gettext("Nothing in this period."))
    return mark_safe(  # noqa: S308 (every value below is escaped)
        "\n".join(
            '<div class="row g-1 align-items-center small mb-1"><div class="col-5 col-md-3 text-truncate" '
            f'title="{escape(row["category"])}">{escape(presentation.translated(row["category"]))}</div>'
            f'<div class="col-7 col-md-9">{"".join(_bar(bar) for bar in row["bars"])}</div></div>'
            for row in rows
        )
    )
