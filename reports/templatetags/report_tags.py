"""Showing a report's stored content in templates, through ``reports/presentation.py``."""

from django import template

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
def chart_rows(chart: dict) -> list[dict]:
    return presentation.chart_rows(chart)


@register.filter
def chart_legend(chart: dict) -> list[dict]:
    return presentation.chart_legend(chart)


@register.filter
def table_rows(table: dict) -> list[dict]:
    return presentation.table_rows(table)


@register.filter
def table_total(table: dict) -> list[str] | None:
    return presentation.table_total(table)
