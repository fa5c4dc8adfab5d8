"""A stored report's content as the sections produce it, for tests of what shows it."""

import datetime

from reports.models import ReviewReport


def sample_snapshot(unit) -> dict:
    return {
        "schema": 1,
        "unit": {"id": unit.pk, "name": unit.name, "level": unit.level},
        "period": {"kind": "quarterly", "first": "2026-07-01", "last": "2026-09-30"},
        "previous": {"kind": "quarterly", "first": "2026-04-01", "last": "2026-06-30"},
        "sections": [
            {
                "key": "dossiers",
                "title": "One-stop-shop dossiers",
                "measures": [
                    {
                        "key": "received",
                        "label": "Dossiers received",
                        "value": 1234,
                        "previous": 1000,
                        "target": 1500,
                        "format": "count",
                    },
                    {
                        "key": "on_time_percent",
                        "label": "Decided on time",
                        "value": 87.5,
                        "previous": 90.0,
                        "target": None,
                        "format": "percent",
                    },
                    {
                        "key": "mean_rating",
                        "label": "Mean applicant rating",
                        "value": 4.2,
                        "previous": None,
                        "target": None,
                        "format": "rating",
                    },
                ],
                "tables": [
                    {
                        "key": "by_unit",
                        "title": "By unit",
                        "columns": [
                            {"key": "unit", "label": "Unit", "format": "text"},
                            {"key": "received", "label": "Received", "format": "count"},
                            {"key": "on_time_percent", "label": "On time", "format": "percent"},
                        ],
                        "rows": [
                            {"unit_id": None, "cells": ["Phường Phú Khương", 1200, 88.0]},
                            {"unit_id": None, "cells": ["Xã Đồng Khởi", 34, 70.6]},
                        ],
                        "total": ["Total", 1234, 87.5],
                    }
                ],
                "charts": [
                    {
                        "key": "on_time_by_unit",
                        "title": "Dossiers decided on time and late, by unit",
                        "categories": ["Phường Phú Khương", "Xã Đồng Khởi"],
                        "series": [
                            {"label": "On time", "values": [880, 24]},
                            {"label": "Late", "values": [120, 10]},
                        ],
                    }
                ],
                "flags": [
                    {
                        "where": "Xã Đồng Khởi",
                        "message": "%(late)s of %(decided)s dossiers decided late.",
                        "params": {"late": 10, "decided": 34},
                    }
                ],
            }
        ],
    }


def sample_report(unit, **fields) -> ReviewReport:
    """A ready quarterly report of ``unit`` for Q3 2026 holding ``sample_snapshot(unit)``."""
    return ReviewReport.objects.create(
        unit=unit,
        period_kind="quarterly",
        period_first=datetime.date(2026, 7, 1),
        period_last=datetime.date(2026, 9, 30),
        status=ReviewReport.Status.READY,
        data=sample_snapshot(unit),
        **fields,
    )
