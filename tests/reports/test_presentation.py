"""A report's numbers are written as Django's ``number_format`` writes them, in both languages, by the
presentation's own quicker path (reports/presentation.py: number)."""

import random

import pytest
from django.utils import translation
from django.utils.formats import number_format

from reports import presentation
from reports.templatetags import report_tags

AWKWARD = [0, -0.0, 7, 999, 1000, -1000, 123456789, 10**15, 0.5, 87.5, 87.45, -2.5, 1 / 3, 99.99, 1e-05, 1e20]


def _numbers() -> list:
    draw = random.Random(14)
    return [
        *AWKWARD,
        *(draw.randint(-(10**9), 10**9) for _ in range(300)),
        *(round(draw.uniform(-(10**6), 10**6), draw.randint(0, 3)) for _ in range(300)),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("decimal_pos", [0, 1])
def test_a_number_reads_as_django_writes_it(language, decimal_pos):
    with translation.override(language):
        for value in _numbers():
            expected = number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)
            assert presentation.number(value, decimal_pos) == expected, value


def test_the_language_s_separators_are_used():
    with translation.override("vi"):
        assert presentation.display(1234567, "count") == "1.234.567"
        assert presentation.display(87.5, "percent") == "87,5 %"


def test_a_table_and_a_chart_escape_what_they_show():
    table = {
        "key": "by_unit",
        "columns": [
            {"key": "unit", "label": "Unit", "format": "text"},
            {"key": "n", "label": "N", "format": "count"},
        ],
        "rows": [{"unit_id": 7, "cells": ['<b>"Xã" & co</b>', 1234]}],
    }
    with translation.override("vi"):
        body = report_tags.table_body(table, "period=q&x=<y>", {7})
        chart = report_tags.chart_body(
            {"key": "c", "title": "t", "categories": ["<i>"], "series": [{"label": "<s>", "values": [3]}]}
        )
    assert body == (
        '<tr><th scope="row" class="fw-normal"><a href="/dashboard/?unit=7&amp;period=q&amp;x=&lt;y&gt;">'
        '&lt;b&gt;&quot;Xã&quot; &amp; co&lt;/b&gt;</a></th><td class="text-end">1.234</td></tr>'
    )
    assert "<i>" not in chart and "<s>" not in chart
    assert 'title="&lt;i&gt;">&lt;i&gt;</div>' in chart and 'aria-label="&lt;s&gt;: 3"' in chart
