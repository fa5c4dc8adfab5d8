"""What the fund's demo created on one run, wherever it ran: in its own part or in the dossiers' hook.

The dossiers demo decides its fund-loan dossiers before the fund's part runs (``fund.demo.decisions``),
and that writes the funds and their story first; so the fund's part cannot tell what it created from
the tables alone. Each piece of the fund's demo runs inside ``counting(writer)``, which adds the rows it
wrote to the tally of that run's writer; ``created(writer)`` is the tally of the run.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from demo.writer import Writer
from dossiers.models import Applicant, Document, Dossier
from fund.models import Fund, Loan, LoanApplication, Transaction

# The tables the fund's demo writes to and reports: its own, and the fund-loan dossiers its story files.
COUNTED = (Fund, LoanApplication, Loan, Transaction, Dossier, Applicant, Document)

_tallies: WeakKeyDictionary[Writer, Counter] = WeakKeyDictionary()


def _sizes() -> Counter:
    return Counter({model.__name__: model.objects.count() for model in COUNTED})


@contextmanager
def counting(writer: Writer) -> Iterator[None]:
    """Add the rows written inside the block to the tally of ``writer``'s run."""
    before = _sizes()
    yield
    _tallies.setdefault(writer, Counter()).update(_sizes() - before)


def created(writer: Writer) -> Counter:
    """Rows the fund's demo created on the run of ``writer``, by model name."""
    return Counter(_tallies.get(writer, Counter()))
