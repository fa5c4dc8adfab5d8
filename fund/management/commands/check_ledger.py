"""manage.py check_ledger [--fund SLUG]: prove every fund's ledger (fund/ledger_check.py); exit code 1
when something differs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fund.ledger_check import differences
from fund.models import Fund
from portal.management import bilingual


class Command(BaseCommand):
    help = (
        "Check the funds' ledgers: each transaction sums to zero, each balance is the sum of its entries, "
        "each loan's receivable is its principal outstanding, cash is never below zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fund", default=None, help="The fund's short name (every fund when left out).")

    def handle(self, *args, fund: str | None, **options):
        chosen = None
        if fund is not None:
            chosen = Fund.objects.filter(slug=fund).first()
            if chosen is None:
                raise CommandError(bilingual(lambda: _("No fund is called %(slug)s.") % {"slug": fund}))
        found = differences(chosen)
        if not found:
            self.stdout.write(self.style.SUCCESS(bilingual(lambda: _("The ledger balances."))))
            return
        for difference in found:
            self.stdout.write(str(difference))
        self.stderr.write(
            bilingual(lambda: _("%(count)s differences in the ledger.") % {"count": len(found)})
        )
        raise SystemExit(1)
