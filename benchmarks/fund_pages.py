"""Benchmark: the fund's pages, API lists and report section at province scale, through the test client;
then disbursements per second through the two-person decision (issue 13).

    export PORTAL_ENV=test DATABASE_URL=sqlite:////tmp/bench_fund.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --scale 1 --seed 7
    .venv/bin/python benchmarks/fund_pages.py

(the same with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fund``, after ``createdb``.)

It signs in an officer of the synthetic fund's team and a member of the synthetic council, and times each
page: the median of ``--runs`` requests after a first one (templates, translations and URL patterns
loaded), with its queries and the milliseconds of SQL in the median request. A route that does not exist
(yet) or that the person may not open is listed with its status instead. The loan page is that of the
loan with the most repayments. The fund's public disclosure is requested anonymously. Then it times the
fund's report section for the province (untranslated, as compose builds it): the last full quarter before
today beside the one before it, and a year.

Last, unless ``--disbursements 0``: ``N`` release decisions, prepared by one officer (not timed), are
approved by a second one through ``fund.services.decisions.approve``, one after another and then from
``--threads`` threads at once (the fund's row lock serialises them). Each release is a new accepted
tranche of an active synthetic loan (whose amount grows by it), so the run WRITES to the database: use
a benchmark database. Threads are run on PostgreSQL only (SQLite has one writer).
"""

import argparse
import datetime
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count, F, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from fund.models import Decision, Entry, Fund, Loan, LoanApplication, Repayment, Tranche, Transaction  # noqa: E402
from fund.report_sections import SECTIONS  # noqa: E402
from fund.services import decisions  # noqa: E402
from portal.models import AdminUnit, Membership, Team, User  # noqa: E402
from portal.models.people import today  # noqa: E402
from reports.periods import PeriodKind, ReviewPeriod  # noqa: E402

RELEASE_AMOUNT = 10_000_000


def the_fund() -> Fund:
    """The synthetic province's fund: the one with the most loans."""
    return Fund.objects.annotate(count=Count("loans")).order_by("-count", "pk").first()


def officers(fund: Fund) -> list[User]:
    members = Membership.objects.filter(team=fund.team, left_on__isnull=True).select_related("user")
    return [member.user for member in members.order_by("pk")]


def people(fund: Fund) -> dict[str, User]:
    council = Membership.objects.filter(
        team__kind=Team.Kind.COUNCIL, team__active_until__isnull=True, left_on__isnull=True
    ).order_by("pk")
    return {"fund officer": officers(fund)[0], "council": council.first().user}


def timed(client: Client, url: str) -> tuple[float, int, float, int]:
    connection.queries_log.clear()  # it keeps 9,000: a page over that would leave the next ones uncounted
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return elapsed, len(queries.captured_queries), sql, response.status_code


def median_run(runs: list[tuple]) -> tuple[float, int | str, float]:
    """The median time, the queries (the same in every run, or a range) and the SQL of the median run."""
    ordered = sorted(runs)
    counts = sorted({run[1] for run in runs})
    queries = counts[0] if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return statistics.median(run[0] for run in runs), queries, ordered[len(ordered) // 2][2]


def pages(fund: Fund) -> dict[str, str]:
    loan = Loan.objects.filter(fund=fund).annotate(paid=Count("repayments")).order_by("-paid", "pk").first()
    return {
        "loans": reverse("loan_list"),
        "loans, 31–90 days overdue": reverse("loan_list") + "?bucket=31-90",
        f"loan page ({loan.paid} repayments)": reverse("loan_detail", args=[loan.pk]),
        "decisions": reverse("decision_list"),
        "portfolio": reverse("portfolio"),
        "loan applications": reverse("application_list"),
        "fund page": reverse("fund_detail", args=[fund.slug]),
        "ledger": reverse("ledger_transactions", args=[fund.slug]),
        "balances": reverse("ledger_balances", args=[fund.slug]),
        "API: loans": "/api/v1/loans/",
        "API: fund ledger": "/api/v1/fund-ledger/",
    }


def time_pages(client: Client, who: str, urls: dict[str, str], runs: int) -> None:
    for name, url in urls.items():
        first = timed(client, url)
        if first[3] != 200:
            print(f"| {who} | {name} | — | — | status {first[3]} |")
            continue
        elapsed, queries, sql = median_run([timed(client, url)[:3] for _ in range(runs)])
        print(f"| {who} | {name} | {elapsed:.0f} | {queries} | {sql:.0f} ms |")


def time_section(unit, label: str, period, previous, runs: int) -> None:
    [section] = SECTIONS
    times, counts, sql = [], set(), []
    with translation.override(None):  # as compose builds it
        section.build(unit, period, previous)
        for _ in range(runs):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                section.build(unit, period, previous)
                times.append((time.perf_counter() - started) * 1000)
            counts.add(len(queries.captured_queries))
            sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    print(
        f"| fund | {label} | {statistics.median(times):.0f} | {', '.join(map(str, sorted(counts)))} "
        f"| {statistics.median(sql):.0f} ms |"
    )


# --- Disbursements per second --------------------------------------------------------------------


def prepared_releases(fund: Fund, maker: User, count: int) -> list[Decision]:
    """``count`` release decisions waiting for a check: a new accepted tranche on each of ``count``
    active loans (one a loan, so that the threads contend only on the fund's lock), written directly."""
    loans = (
        Loan.objects.filter(fund=fund, status=Loan.Status.ACTIVE)
        .exclude(tranches__released_on__isnull=True)  # a tranche waits there (a run that stopped)
        .annotate(last_tranche=Max("tranches__number"))
        .order_by("-contract_on", "pk")[:count]
    )
    found = []
    for loan in loans:
        # As if the contract were amended: the loan's amount grows by the new tranche (a check constraint
        # keeps what is released within it).
        Loan.objects.filter(pk=loan.pk).update(amount=F("amount") + RELEASE_AMOUNT)
        tranche = Tranche.objects.create(
            loan=loan,
            number=loan.last_tranche + 1,
            amount=RELEASE_AMOUNT,
            milestone="Đợt bổ sung (đo hiệu năng)",
            evidence="Biên bản nghiệm thu (đo hiệu năng)",
            evidence_state=Tranche.Evidence.ACCEPTED,
        )
        found.append(decisions.propose_release(tranche=tranche, by=maker, reason="Giải ngân đợt bổ sung."))
    if len(found) < count:
        sys.exit(f"Only {len(found)} active loans to release to; {count} asked.")
    return found


def approve_all(pending: list[Decision], checker: User, times: list[float]) -> None:
    for decision in pending:
        started = time.perf_counter()
        decisions.approve(decision=decision, by=checker, note="Đồng ý.")
        times.append((time.perf_counter() - started) * 1000)


def approve_in_thread(pending: list[Decision], checker: User, times: list[float]) -> None:
    try:
        approve_all(pending, checker, times)
    finally:
        connections.close_all()  # this thread's connection


def time_disbursements(fund: Fund, count: int, threads: int) -> None:
    maker, checker = officers(fund)[:2]
    print(f"\n| disbursements ({connection.vendor}) | approvals | wall s | per second | median ms each |")
    print("|---|---|---|---|---|")
    runs = [("one after another", 1)]
    if connection.vendor == "postgresql":
        runs.append((f"{threads} threads at once", threads))
    for label, workers in runs:
        pending = prepared_releases(fund, maker, count)
        times: list[float] = []
        shares = [pending[index::workers] for index in range(workers)]
        started = time.perf_counter()
        if workers == 1:
            approve_all(pending, checker, times)
        else:
            running = [
                threading.Thread(target=approve_in_thread, args=(share, checker, times)) for share in shares
            ]
            for thread in running:
                thread.start()
            for thread in running:
                thread.join()
        wall = time.perf_counter() - started
        approved = Decision.objects.filter(pk__in=[d.pk for d in pending], status=Decision.Status.APPROVED)
        done = approved.count()
        print(
            f"| {label} | {done} of {count} | {wall:.2f} | {done / wall:.1f} "
            f"| {statistics.median(times):.0f} |"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="requests per page after the first (10)")
    parser.add_argument("--disbursements", type=int, default=100, help="releases approved per run (100)")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent run (4)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    fund = the_fund()
    sizes = {
        "loans": Loan.objects.count(),
        "applications": LoanApplication.objects.count(),
        "repayments": Repayment.objects.count(),
        "ledger transactions": Transaction.objects.count(),
        "entries": Entry.objects.count(),
        "decisions": Decision.objects.count(),
    }
    print(f"# {connection.vendor}: " + ", ".join(f"{count:,} {name}" for name, count in sizes.items()) + "\n")
    print("| who | page | median ms | queries | of which SQL |")
    print("|---|---|---|---|---|")
    for who, user in people(fund).items():
        client = Client()
        client.force_login(user)
        time_pages(client, who, pages(fund), args.runs)
    public = {"public disclosure": reverse("fund_disclosure", args=[fund.slug])}
    time_pages(Client(), "anonymous", public, args.runs)

    province = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, valid_until__isnull=True).first()
    quarter = ReviewPeriod.last_ended(PeriodKind.QUARTERLY, today())
    before = quarter.previous()
    print("\n| section for the province | period | median ms | queries | of which SQL |")
    print("|---|---|---|---|---|")
    time_section(
        province,
        f"{quarter.first:%d/%m/%Y}–{quarter.last:%d/%m/%Y}",
        (quarter.first, quarter.last),
        (before.first, before.last),
        args.runs,
    )
    year = quarter.last.year - 1
    time_section(
        province,
        str(year),
        (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)),
        args.runs,
    )
    if args.disbursements:
        time_disbursements(fund, args.disbursements, args.threads)


if __name__ == "__main__":
    main()
