"""Showing a report's stored content in templates, through ``reports/presentation.py``.

A table's rows and a chart's bars are written here, not in the template language: a province's
dashboard holds thousands of cells, and a template node per cell cost more than composing the figures.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
    dashboard = reverse("reports:dashboard")
    rows = []
    for row in presentation.table_rows(table):
        first, *rest = row["cells"]
        if linked and row["unit_id"] in readable:
            first = format_html(
                '<a href="{}?unit={}&amp;{}">{}</a>', dashboard, row["unit_id"], drill_query, first
            )
        cells = format_html_join("", '<td class="text-end">{}</td>', ((cell,) for cell in rest))
        rows.append((first, cells))
    return format_html_join("\n", '<tr><th scope="row" class="fw-normal">{}</th>{}</tr>', rows)


BAR = (
    '<div class="d-flex align-items-center"><svg class="flex-grow-1" height="8" viewBox="0 0 100 8" '
    'preserveAspectRatio="none" role="img" aria-label="{}: {}"><rect x="0" y="0" width="{}" height="8" '
    'fill="{}"></rect></svg><span class="ms-2 report-chart-value">{}</span></div>'
)


@register.simple_tag
def chart_body(chart: dict) -> str:
    """A stored chart's categories that have a value, one row of bars each (widths 0–100)."""
    rows = presentation.chart_rows(chart)
    if not rows:
        return format_html('<p class="small text-muted">{}</p>', gettext("Nothing in this period."))
    return format_html_join(
        "\n",
        '<div class="row g-1 align-items-center small mb-1"><div class="col-5 col-md-3 text-truncate" '
        'title="{}">{}</div><div class="col-7 col-md-9">{}</div></div>',
        (
            (
                row["category"],
                presentation.translated(row["category"]),
                format_html_join(
                    "",
                    BAR,
                    (
                        (bar["label"], bar["value"], str(bar["width"]), bar["colour"], bar["value"])
                        for bar in row["bars"]
                    ),
                ),
            )
            for row in rows
        ),
    )
