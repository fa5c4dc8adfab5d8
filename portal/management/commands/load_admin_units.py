"""manage.py load_admin_units 86 | "vinh long" | --list"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import units_loader
from portal.audit import audit_context
from portal.management import bilingual
from portal.models import AdminUnit


def unknown_province_message(error: units_loader.UnknownProvince) -> str:
    def render() -> str:
        message = _("Unknown province “%(query)s”.") % {"query": error.query}
        if not error.suggestions:
            return " ".join(
                [
                    message,
                    _("Run “manage.py load_admin_units --list” to see the 34 provinces and their codes."),
                ]
            )
        matches = []
        for province, former in error.suggestions:
            if former is None:
                matches.append(str(province))
            else:
                matches.append(
                    _("%(province)s, which former %(former)s is now part of")
                    % {"province": province, "former": former}
                )
        return " ".join([message, _("Close matches: %(matches)s.") % {"matches": "; ".join(matches)}])

    return bilingual(render)


class Command(BaseCommand):
    help = (
        "Load current provinces with their wards, the former provinces merged into them with their "
        "districts and communes, and the successor links, from the vietnamadminunits package."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "provinces",
            nargs="*",
            metavar="PROVINCE",
            help='GSO code or name of a current province, e.g. 86 or "vinh long".',
        )
        parser.add_argument(
            "--list", action="store_true", help="List the 34 current provinces with their codes."
        )

    def handle(self, *args, provinces: list[str], **options):
        if options["list"]:
            self.list_provinces()
            return
        if not provinces:
            raise CommandError(
                bilingual(lambda: _("Name at least one province by its GSO code or name, or use --list."))
            )
        chosen = []
        for query in provinces:
            try:
                province = units_loader.find_province(query)
            except units_loader.UnknownProvince as error:
                raise CommandError(unknown_province_message(error)) from None
            if province not in chosen:
                chosen.append(province)

        started = time.monotonic()
        datasets = [units_loader.read_province(province) for province in chosen]
        with audit_context(channel="command"), transaction.atomic():
            reports = [units_loader.load_province(data) for data in datasets]
        elapsed = time.monotonic() - started

        total = units_loader.LoadReport()
        for data, report in zip(datasets, reports, strict=True):
            total.add(report)
            self.describe(data, report, verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {elapsed:.1f} s: {total.created} units created, {total.updated} updated, "
                f"{total.unchanged} unchanged; {total.links_added} successor links added, "
                f"{total.links_removed} removed."
            )
        )

    def describe(
        self, data: units_loader.ProvinceUnits, report: units_loader.LoadReport, *, verbosity: int
    ) -> None:
        level = AdminUnit.Level
        current, former = units_loader.CURRENT, units_loader.FORMER
        formers = ", ".join(str(province) for province in data.former_provinces)
        self.stdout.write(
            f"{data.province}: {data.count(current, level.COMMUNE)} current communes and wards; "
            f"history of {formers}: {data.count(former, level.DISTRICT)} districts, "
            f"{data.count(former, level.COMMUNE)} communes; {len(data.successors)} successor links."
        )
        self.stdout.write(
            f"  units: {report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
            f"links: {report.links_added} added, {report.links_removed} removed."
        )
        if data.warnings:
            self.stdout.write(
                f"  {len(data.warnings)} entries of the package's mapping were not used"
                + (":" if verbosity >= 2 else " (run with -v 2 to see them).")
            )
            if verbosity >= 2:
                for warning in data.warnings:
                    self.stdout.write(f"    {warning}")

    def list_provinces(self) -> None:
        for province in units_loader.current_provinces():
            formers = units_loader.former_provinces_of(province)
            merged = ""
            if len(formers) > 1 or formers[0].key != province.key:
                merged = " ← " + ", ".join(former.name for former in formers)
            self.stdout.write(f"{province.code}  {province.name}{merged}")
