"""Benchmark: every list page and list endpoint of the portal at province scale, served by gunicorn and
loaded with wrk, against Django's floor (issue 14).

    PORTAL_ENV=test .venv/bin/python benchmarks/pages.py --scale 1 --database sqlite
    PORTAL_ENV=test .venv/bin/python benchmarks/pages.py --scale 1 --database postgresql --duration 5

1. It builds the synthetic province in a fresh database: an SQLite file
   ``/tmp/pages-s{scale}-seed{seed}.sqlite3``, or the PostgreSQL database ``bench_pages_s{scale}_seed{seed}``
   on 127.0.0.1:5432 (user postgres, dropped and created), with ``manage.py migrate`` and ``manage.py
   generate_data`` in subprocesses (which ends by refreshing the planner's statistics, portal/planner.py).
   With ``--reuse`` a database that a run of the same options finished building is kept as it is.
   ``--communes`` makes a small province for trials.
2. It picks the people, as ``home.py`` does: a member of the synthetic council (who reads the whole
   province, the fund's pages included), the head of the current commune team with the most dossiers
   running (or its first member), and the applicant with an account and the most dossiers; and it signs
   each in by writing a session (valid for a day) to the database. The public pages are also requested
   without a session.
3. It starts gunicorn twice on 127.0.0.1: the portal (``portal.wsgi``, the repository's gunicorn.conf.py)
   and the floor (``benchmarks/floor_wsgi.py``: one view answering "ok" through the portal's settings and
   middleware, requested without a cookie), each with ``--workers`` workers, and stops both at the end.
4. For each role and each path of ``PATHS`` that the role opens: one GET to check that it answers 200
   (otherwise the status is recorded and the path skipped) and three more, timed, so that both workers
   have served it once, then ``wrk -t1 -c1 -d{duration}s --latency --timeout 60s`` with the role's
   session cookie; a page that no request of wrk finished within the duration is shown with the median
   of those three times instead. The floor is measured first and last; a path's ratio is its requests
   per second over the mean of the two floors. A list keeps its counts, and the dashboard its figures,
   for a minute (portal/paging.py) in the servers' cache: Redis, as in production (``--cache-url``, by
   default its database 9, emptied at the start), so that both workers share them. wrk measures a page
   as the readers of that minute find it; the first GET paid for what is kept, and the table shows
   the first GET's time beside wrk's figures.
5. It prints a Markdown table, the paths whose median is over the goal of 30 ms, and a line with the
   database, the size of the data, the load average and the time.

Progress goes to stderr; the servers' logs to ``/tmp/pages-…-portal.log`` and ``…-floor.log``.
"""

import argparse
import contextlib
import dataclasses
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

POSTGRES = "postgres://postgres@127.0.0.1:5432/"
# Redis, as in production: both workers share what a page keeps (portal/paging.py). Its own database.
CACHE_URL = "redis://127.0.0.1:6379/9"
SCRATCH = Path("/tmp")  # noqa: S108 (the SQLite file and the servers' logs, named after the options)
BUILT = "built by benchmarks/pages.py"  # the PostgreSQL database's comment once its data is complete
GOAL_P50_MS = 30
SESSION_SECONDS = 24 * 60 * 60
STARTUP_SECONDS = 90
WARM_UP_REQUESTS = 3  # after the check, so that each gunicorn worker has served the page before wrk

COUNCIL, COMMUNE, APPLICANT, PUBLIC = "council", "commune head", "applicant", "public"
ROLES = (COUNCIL, COMMUNE, APPLICANT, PUBLIC)
OFFICIALS = (COUNCIL, COMMUNE)
SIGNED_IN = (COUNCIL, COMMUNE, APPLICANT)
EVERYONE = ROLES


@dataclasses.dataclass(frozen=True)
class Page:
    """A list page or endpoint: its URL name, a query string, who opens it, and whether it is a fund's."""

    name: str
    roles: tuple[str, ...]
    query: str = ""
    of_fund: bool = False

    def url(self, fund_slug: str) -> str:
        from django.urls import reverse

        return reverse(self.name, args=[fund_slug] if self.of_fund else []) + self.query


# Every list page and list endpoint, by app, with the roles that open it. An applicant opens the lists
# of their own (dossiers, inquiries, projects, plans, loans) and the public ones; the commune's head
# the pages of the team's work; the council everything it reads (it reads the fund's ledger too).
PATHS = {
    "portal": [
        Page("home", EVERYONE),
        Page("unit_list", OFFICIALS),
        Page("team_list", OFFICIALS),
        Page("notification_list", SIGNED_IN),
        Page("api:unit-list", OFFICIALS),
        Page("api:team-list", OFFICIALS),
        Page("api:target-list", OFFICIALS),
    ],
    "dossiers": [
        Page("dossier_list", SIGNED_IN),
        Page("dossier_list", SIGNED_IN, query="?q=nguyen"),
        Page("inquiry_list", SIGNED_IN),
        Page("my_dossiers", (APPLICANT,)),
        Page("dossier_lookup", EVERYONE),
        Page("api:procedure-list", SIGNED_IN),
        Page("api:dossier-list", SIGNED_IN),
        Page("api:inquiry-list", SIGNED_IN),
    ],
    "policies": [
        Page("policy_list", EVERYONE),
        Page("api:policy-list", SIGNED_IN),
        Page("api:entitlement-list", SIGNED_IN),
    ],
    "teamwork": [
        Page("teamwork_overview", OFFICIALS),
        Page("activity_list", OFFICIALS),
        Page("api:activity-list", OFFICIALS),
    ],
    "conversions": [
        Page("household_business_list", OFFICIALS),
        Page("household_business_import_list", OFFICIALS),
        Page("conversion_list", OFFICIALS),
        Page("conversion_visit_list", OFFICIALS),
        Page("api:household-business-list", OFFICIALS),
        Page("api:household-business-import-list", OFFICIALS),
        Page("api:conversion-list", OFFICIALS),
    ],
    "projects": [
        Page("project_list", SIGNED_IN),
        Page("household_list", OFFICIALS),
        Page("poverty_plan_list", SIGNED_IN),
        Page("mentor_list", OFFICIALS),
        Page("mentor_session_list", OFFICIALS),
        Page("model_list", OFFICIALS),
        Page("support_spread", OFFICIALS),
        Page("public_models", EVERYONE),
        Page("api:project-list", SIGNED_IN),
        Page("api:poverty-plan-list", SIGNED_IN),
        Page("api:mentor-list", OFFICIALS),
        Page("api:mentor-session-list", OFFICIALS),
        Page("api:success-model-list", OFFICIALS),
    ],
    "fund": [
        Page("fund_list", OFFICIALS),
        Page("contribution_list", OFFICIALS, of_fund=True),
        Page("application_list", SIGNED_IN),
        Page("loan_list", SIGNED_IN),
        Page("decision_list", OFFICIALS),
        Page("portfolio", OFFICIALS),
        Page("ledger_transactions", (COUNCIL,), of_fund=True),
        Page("ledger_balances", (COUNCIL,), of_fund=True),
        Page("public_fund_list", EVERYONE),
        Page("api:fund-list", SIGNED_IN),
        Page("api:fund-regulation-list", OFFICIALS),
        Page("api:fund-contribution-list", OFFICIALS),
        Page("api:loan-application-list", SIGNED_IN),
        Page("api:loan-list", SIGNED_IN),
        Page("api:fund-decision-list", OFFICIALS),
        Page("api:fund-ledger-transaction-list", (COUNCIL,)),
    ],
    "reports": [
        Page("reports:dashboard", OFFICIALS),
        Page("reports:list", OFFICIALS),
        Page("api:report-list", OFFICIALS),
    ],
}


@dataclasses.dataclass
class Result:
    role: str
    path: str
    status: str
    requests_per_second: float | None = None
    p50: float | None = None
    p90: float | None = None
    p99: float | None = None
    first: float | None = None  # ms of the first GET, which made what the page keeps


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list, **options) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, **options)  # noqa: S603


# --- The database --------------------------------------------------------------------------------


def database_name(args) -> str:
    communes = f"-c{args.communes}" if args.communes else ""
    return f"pages-s{args.scale}{communes}-seed{args.seed}"


def database_url(args) -> str:
    if args.database == "sqlite":
        return f"sqlite:///{SCRATCH / database_name(args)}.sqlite3"
    return POSTGRES + "bench_" + database_name(args).replace("-", "_")


def postgres_admin(statement: str, database: str = "postgres") -> list[tuple]:
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=database)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def is_built(url: str) -> bool:
    if url.startswith("sqlite:"):
        return Path(url.removeprefix("sqlite:///")).exists()
    name = url.rsplit("/", 1)[1]
    found = postgres_admin(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'"
    )
    return bool(found) and found[0][0] == BUILT


def manage(url: str, *arguments) -> None:
    environment = {**os.environ, "DATABASE_URL": url}
    run([sys.executable, ROOT / "manage.py", *arguments], cwd=ROOT, env=environment, stdout=sys.stderr)


def generate(url: str, args) -> None:
    communes = ["--communes", args.communes] if args.communes else []
    manage(url, "migrate", "--verbosity", 0)
    manage(url, "generate_data", "--scale", args.scale, "--seed", args.seed, *communes, "--verbosity", 0)


def build(url: str, args) -> None:
    """A fresh database with the synthetic province; a database is only ever reused once complete."""
    started = time.monotonic()
    if url.startswith("sqlite:"):
        final = Path(url.removeprefix("sqlite:///"))
        building = final.with_suffix(".building")
        building.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        generate(f"sqlite:///{building}", args)
        building.replace(final)
    else:
        name = url.rsplit("/", 1)[1]
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        postgres_admin(f'CREATE DATABASE "{name}"')
        generate(url, args)
        postgres_admin(f"COMMENT ON DATABASE \"{name}\" IS '{BUILT}'")
    say(f"built {url} in {time.monotonic() - started:.0f} s")


# --- The people and their sessions ---------------------------------------------------------------


def cast() -> dict[str, object]:
    """The council member, the busiest current commune team's head and the busiest applicant."""
    from django.db.models import Count

    from dossiers.models import Applicant, Dossier
    from portal.models import Membership, Team

    current = Team.objects.filter(active_until__isnull=True)
    council = Membership.objects.filter(
        team__in=current.filter(kind=Team.Kind.COUNCIL), left_on__isnull=True
    ).order_by("pk")
    busiest_team = (
        Dossier.objects.filter(
            status__in=Dossier.CLOCK_RUNNING_STATUSES,
            handling_team__in=current.filter(kind=Team.Kind.COMMUNE_TEAM),
        )
        .values("handling_team")
        .annotate(count=Count("pk"))
        .order_by("-count", "handling_team")
        .first()["handling_team"]
    )
    team = Team.objects.get(pk=busiest_team)
    head = team.head or Membership.objects.filter(team=team, left_on__isnull=True).order_by("pk").first().user
    busiest_applicant = (
        Dossier.objects.filter(applicant__user__isnull=False)
        .values("applicant")
        .annotate(count=Count("pk"))
        .order_by("-count", "applicant")
        .first()["applicant"]
    )
    return {
        COUNCIL: council.first().user,
        COMMUNE: head,
        APPLICANT: Applicant.objects.get(pk=busiest_applicant).user,
    }


def session_cookie(user) -> str:
    """A session of ``user`` in the database, as signing in writes it, valid for a day of benchmarks."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from portal.sessions import RENEWED_AT

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[RENEWED_AT] = int(time.time())
    session.set_expiry(SESSION_SECONDS)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def fund_slug() -> str:
    """The synthetic province's fund: the one with the most loans."""
    from django.db.models import Count

    from fund.models import Fund

    return Fund.objects.annotate(count=Count("loans")).order_by("-count", "pk").first().slug


def table_sizes() -> str:
    from conversions.models import HouseholdBusiness
    from dossiers.models import Dossier
    from fund.models import Loan
    from projects.models import Project
    from teamwork.models import Activity

    models = {
        "dossiers": Dossier,
        "loans": Loan,
        "household businesses": HouseholdBusiness,
        "projects": Project,
        "activities": Activity,
    }
    return ", ".join(f"{model.objects.count():,} {name}" for name, model in models.items())


# --- The servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the sign-in page, to a profile to fill in) is the answer itself


OPENER = urllib.request.build_opener(NoRedirects)


def status_of(url: str, cookie: str | None = None) -> int | str:
    """The answer's status; a page that takes longer than gunicorn lets a worker run gets none (the worker
    is killed), which is recorded and the page skipped rather than stopping the run."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (ours)
    try:
        with OPENER.open(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (http.client.HTTPException, urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return f"no answer ({type(error).__name__}: the worker timed out?)"


def time_alone(url: str, cookie: str | None) -> float:
    """Milliseconds of one GET of ``url``, with nothing else running."""
    started = time.perf_counter()
    status_of(url, cookie)
    return (time.perf_counter() - started) * 1000


def wait_until_up(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        with contextlib.suppress(OSError):
            if status_of(base) == 200:
                return
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {process.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not answer 200 on {base} within {STARTUP_SECONDS} s; see {log}")
        time.sleep(0.5)


def empty_cache(url: str) -> None:
    """The benchmark's own Redis database emptied: keys name a unit or a query, not the database."""
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as error:
        message = f"the cache {url} cannot be emptied ({error}); start Redis or pass --cache-url ''"
        raise SystemExit(message) from error


@contextlib.contextmanager
def gunicorn(application: str, url: str, workers: int, log: Path):
    """gunicorn serving ``application`` on 127.0.0.1 until the block ends (also on Ctrl-C)."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    command = [Path(sys.executable).parent / "gunicorn", application]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    # gunicorn 27's control socket is one path per user by default: the two servers would share it.
    command += ["--no-control-socket"]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            wait_until_up(process, base, log)
            say(f"{application} answers on {base}")
            yield base.rstrip("/")
        finally:
            with contextlib.suppress(ProcessLookupError):  # it may have stopped by itself
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


# --- wrk -----------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text: str, percent: int) -> float:
    found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def load(url: str, cookie: str | None, duration: int) -> str:
    """wrk's report of ``duration`` seconds of requests to ``url``, one at a time."""
    command = [shutil.which("wrk"), "-t1", "-c1", f"-d{duration}s", "--latency", "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return run([*command, url], capture_output=True, text=True, timeout=duration + 120).stdout


def measure(role: str, base: str, path: str, cookie: str | None, duration: int) -> Result:
    url = base + path
    started = time.perf_counter()
    status = status_of(url, cookie)
    first = (time.perf_counter() - started) * 1000
    if status != 200:
        say(f"{role} {path}: {status}, skipped")
        return Result(role, path, str(status))
    alone = statistics.median(time_alone(url, cookie) for _ in range(WARM_UP_REQUESTS))
    report = load(url, cookie, duration)
    if int(re.search(r"^\s*(\d+) requests in", report, re.MULTILINE).group(1)) == 0:
        say(f"{role} {path}: no answer within {duration} s; alone {alone:.0f} ms")
        return Result(role, path, f"200, but none within {duration} s (alone: {alone:.0f} ms)", first=first)
    troubles = re.findall(r"^\s*(Non-2xx or 3xx responses: \d+|Socket errors: .*)$", report, re.MULTILINE)
    rate = float(re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE).group(1))
    p50, p90, p99 = (milliseconds(report, percent) for percent in (50, 90, 99))
    say(f"{role} {path}: {rate:.1f} req/s, p50 {p50:.1f} ms {'; '.join(troubles)}")
    status = "200" + (f" ({'; '.join(troubles)})" if troubles else "")
    return Result(role, path, status, rate, p50, p90, p99, first)


# --- The report ----------------------------------------------------------------------------------


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_table(results: list[Result], floor_rate: float) -> None:
    print("| role | path | status | req/s | p50 ms | p90 ms | p99 ms | ÷ floor | first GET ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        ratio = None if result.requests_per_second is None else result.requests_per_second / floor_rate
        cells = [
            result.role,
            f"`{result.path}`",
            result.status,
            number(result.requests_per_second),
            number(result.p50),
            number(result.p90),
            number(result.p99),
            number(ratio, 3),
            number(result.first, 0),
        ]
        print("| " + " | ".join(cells) + " |")


def print_misses(results: list[Result]) -> None:
    missed = [r for r in results if r.p50 is not None and r.p50 > GOAL_P50_MS and r.role != "floor"]
    unmeasured = [r for r in results if r.requests_per_second is None]
    print(
        f"\nOver the goal (p50 > {GOAL_P50_MS} ms): "
        + (", ".join(f"{r.role} `{r.path}` ({r.p50:.0f} ms)" for r in missed) or "none")
        + "."
    )
    if unmeasured:
        print("Not measured: " + ", ".join(f"{r.role} `{r.path}` ({r.status})" for r in unmeasured) + ".")


def selected_paths(only: str | None, slug: str) -> list[tuple[str, str]]:
    """(role, path) in the order of ROLES, then of PATHS."""
    chosen = []
    for role in ROLES:
        for paths in PATHS.values():
            for entry in paths:
                url = entry.url(slug)
                if role in entry.roles and (only is None or only in url):
                    chosen.append((role, url))
    return chosen


def benchmark(args, url: str, logs: Path) -> None:
    import django

    django.setup()
    from django.utils import timezone

    cookies = {role: session_cookie(user) for role, user in cast().items()} | {PUBLIC: None}
    pairs = selected_paths(args.only, fund_slug())
    load_before = os.getloadavg()
    with (
        gunicorn("benchmarks.floor_wsgi:application", url, args.workers, Path(f"{logs}-floor.log")) as floor,
        gunicorn("portal.wsgi:application", url, args.workers, Path(f"{logs}-portal.log")) as portal,
    ):
        first_floor = measure("floor", floor, "/", None, args.duration)
        if first_floor.requests_per_second is None:
            raise SystemExit(f"the floor answered {first_floor.status}; see {logs}-floor.log")
        results = [measure(role, portal, path, cookies[role], args.duration) for role, path in pairs]
        last_floor = measure("floor", floor, "/", None, args.duration)
    floors = [each.requests_per_second for each in (first_floor, last_floor) if each.requests_per_second]
    print_table([first_floor, *results, last_floor], statistics.mean(floors))
    print_misses(results)
    load_after = os.getloadavg()
    communes = f" ({args.communes} communes)" if args.communes else ""
    print(
        f"\n{args.database}, scale {args.scale}{communes}, seed {args.seed}: {table_sizes()}; "
        f"{args.workers} gunicorn workers, wrk -t1 -c1 -d{args.duration}s; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{timezone.localtime():%Y-%m-%d %H:%M %z}."
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1, help="generate_data's scale (1)")
    parser.add_argument("--seed", type=int, default=7, help="generate_data's seed (7)")
    parser.add_argument(
        "--communes", type=int, help="current communes per unit of scale (generate_data's 100)"
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per path (8)")
    parser.add_argument("--reuse", action="store_true", help="keep a database built by an earlier run")
    parser.add_argument("--only", help="run only the paths containing this")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server (2)")
    parser.add_argument(
        "--cache-url",
        default=CACHE_URL,
        help=f"the servers' shared cache, emptied first ({CACHE_URL}); '' for each worker's own memory",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed")
    url = database_url(args)
    if args.reuse and is_built(url):
        say(f"reusing {url}")
    else:
        build(url, args)
    os.environ["DATABASE_URL"] = url
    if args.cache_url:
        empty_cache(args.cache_url)
    os.environ["CACHE_URL"] = args.cache_url
    benchmark(args, url, SCRATCH / database_name(args))


if __name__ == "__main__":
    main()
