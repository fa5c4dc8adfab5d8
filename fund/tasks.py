"""The fund's Celery tasks: thin, each calls one job.

The morning reminders and the nightly ledger check are run by beat from ``fund/jobs.py`` (the worker's
autodiscovery finds both modules); they are named here so that a task of the app is found in one place.
"""

from fund.jobs import check_ledgers_tonight, remind_borrowers_this_morning

__all__ = ["check_ledgers_tonight", "remind_borrowers_this_morning"]
