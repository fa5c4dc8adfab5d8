"""The API fuzzing gate: schemathesis against a live portal with the demo data, as every role.

    .venv/bin/python fuzz/api.py                      # make fuzz: SQLite under var/fuzz/
    .venv/bin/python fuzz/api.py --database-url postgres://postgres@127.0.0.1:5432/portal_fuzz

It builds a demo of its own (a fresh SQLite file under ``var/fuzz/``, or the PostgreSQL database
named by ``--database-url``, which it creates and drops and which must not exist yet), starts the
portal with gunicorn on 127.0.0.1, signs in through ``POST /api/v1/auth/token/`` as a council
member, a standing-agency officer, a commune head, a fund officer and an applicant, fetches the
OpenAPI schema, and runs schemathesis over the whole API once per role and once anonymously. Every
response is checked: no server error, a status code, content type and body the schema declares.

The run is bounded (``--max-examples`` cases per operation and phase, a fixed ``--seed``) so that
it repeats exactly and stays within CI's budget. The exit status is 1 when any run found a failure;
schemathesis prints each one with a ``curl`` line that reproduces it, and writes a JUnit report per
role under ``var/fuzz/reports/``.

A run whose report holds errors but no failed check is one schemathesis could not finish: its own
generator broke (Hypothesis's "Inconsistent results" inside its coverage phase, seen now and then on the
nested bodies of ``POST /api/v1/projects/`` and ``/poverty-plans/``, with every answer checked passing).
Such a run is made once more for the operations that broke it alone (its report is ``<role>-again.xml``); a
failure is never run again.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR_DIR = ROOT / "var" / "fuzz"

# The demo logins of each role (demo/ground.py: LOGINS); "anonymous" signs in as nobody.
ROLES = {
    "council": "hoidong",
    "standing_agency": "thuongtruc",
    "commune_head": "xa",
    "fund": "quy",
    "applicant": "nguoinop",
    "mentor": "covan",  # a mentor's own account: no team, the projects assigned to it
    "anonymous": None,
}
# Left out of the signed-in runs: it revokes the token the rest of the run signs in with.
SIGN_OUT = "/api/v1/auth/sign-out/"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
# Examples from the schema, boundary values of every parameter and body field, then random data.
# The stateful phase is left out: the API does not describe links between its operations.
PHASES = "examples,coverage,fuzzing"


def log(message: str) -> None:
    print(f"[fuzz] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def database(database_url: str | None):
    """The DATABASE_URL of a fresh database for this run, removed afterwards."""
    if database_url is None:
        yield f"sqlite:///{VAR_DIR / 'fuzz.sqlite3'}"
        return
    name = urlsplit(database_url).path.lstrip("/")
    admin = with_database(database_url, "postgres")
    psql = ["psql", "-v", "ON_ERROR_STOP=1", "-qAtc"]
    subprocess.run([*psql, f'CREATE DATABASE "{name}"', admin], check=True)
    try:
        yield database_url
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin], check=False)


def portal_environment(database_url: str) -> dict[str, str]:
    """The demo's settings on embedded defaults, with this run's folder and database."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    environment.update(
        PORTAL_ENV="demo",
        DEBUG="false",
        PORTAL_VAR_DIR=str(VAR_DIR),
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    return environment


def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def server(environment: dict[str, str], port: int):
    """gunicorn serving the portal on 127.0.0.1:port until the block ends."""
    log_file = (VAR_DIR / "server.log").open("w")
    process = subprocess.Popen(
        [BIN / "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "healthz", timeout=10):  # noqa: S310 (our own address)
                    break
            except OSError:  # refused while it starts, or slow to answer its first request
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the portal did not start; see {VAR_DIR / 'server.log'}") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log_file.close()


def post_json(url: str, body: dict, headers: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310 (our own http:// address)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.load(answer)


def sign_in(base: str, username: str, password: str) -> str:
    return post_json(base + "api/v1/auth/token/", {"username": username, "password": password})["token"]


def fetch_schema(base: str, token: str) -> Path:
    request = urllib.request.Request(  # noqa: S310 (our own http:// address)
        base + "api/schema/?format=json", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        schema = json.load(answer)
    path = VAR_DIR / "schema.json"
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=1))
    return path


def fuzz(schema: Path, base: str, role: str, token: str | None, arguments) -> bool:
    """Whether schemathesis found no failure as ``role``; the operations of a run broken by the tool alone
    are run again."""
    if run_schemathesis(schema, base, role, token, arguments):
        return True
    failed, broken = report_outcomes(role)
    if failed or not broken:
        return False
    log(f"{role}: errors of schemathesis itself and no failure, in {', '.join(broken)}: these once more")
    return run_schemathesis(schema, base, role, token, arguments, only=broken)


def report_outcomes(role: str) -> tuple[list[str], list[str]]:
    """The operations with a failed check and those with an error of the tool itself, in the role's JUnit
    report (none without a report)."""
    try:
        suites = ElementTree.parse(VAR_DIR / "reports" / f"{role}.xml").getroot()  # noqa: S314
    except (OSError, ElementTree.ParseError):
        return [], []
    outcomes: dict[str, list[str]] = {"failure": [], "error": []}
    for case in suites.iter("testcase"):
        for kind, names in outcomes.items():
            if case.find(kind) is not None:
                names.append(case.get("name", ""))
    return outcomes["failure"], outcomes["error"]


def run_schemathesis(
    schema: Path, base: str, role: str, token: str | None, arguments, only: list[str] | None = None
) -> bool:
    """One schemathesis run, over ``only`` these operations (their names, "POST /api/v1/…") when given;
    True when it found nothing."""
    report = VAR_DIR / "reports" / (f"{role}-again.xml" if only else f"{role}.xml")
    command = [
        BIN / "schemathesis",
        "run",
        str(schema),
        "--url",
        base.rstrip("/"),
        "--checks",
        ",".join(CHECKS),
        "--phases",
        PHASES,
        "--max-examples",
        str(arguments.max_examples),
        "--seed",
        str(arguments.seed),
        "--workers",
        str(arguments.workers),
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
        "--header",
        "Accept-Language: vi",
    ]
    if token is not None:
        command += ["--header", f"Authorization: Token {token}", "--exclude-path", SIGN_OUT]
    if arguments.include_path_regex:
        command += ["--include-path-regex", arguments.include_path_regex]
    for name in only or ():
        command += ["--include-name", name]
    log(f"{role}: schemathesis over {'the whole API' if not only else ', '.join(only)}")
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, check=False)
    outcome = "no failure" if result.returncode == 0 else "FAILURES"
    log(f"{role}: {outcome} in {time.monotonic() - started:.0f} s")
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to create, fuzz and drop (default: SQLite)"
    )
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", 15)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 2026)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated, of: " + ", ".join(ROLES))
    parser.add_argument("--include-path-regex", help="fuzz only the operations whose path matches")
    arguments = parser.parse_args()
    roles = arguments.roles.split(",")
    if unknown := set(roles) - set(ROLES):
        parser.error(f"unknown roles: {', '.join(sorted(unknown))}")

    shutil.rmtree(VAR_DIR, ignore_errors=True)
    (VAR_DIR / "reports").mkdir(parents=True)
    (VAR_DIR / "static").mkdir()  # whitenoise's folder; the API serves no static file
    started = time.monotonic()
    with database(arguments.database_url) as database_url:
        environment = portal_environment(database_url)
        log("building the demo")
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_demo")
        password = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from demo.ground import PASSWORD; print(PASSWORD)",
            ],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        with server(environment, free_port()) as base:
            tokens = {role: sign_in(base, username, password) for role, username in ROLES.items() if username}
            schema = fetch_schema(base, tokens["council"])
            failed = [role for role in roles if not fuzz(schema, base, role, tokens.get(role), arguments)]
    log(f"done in {time.monotonic() - started:.0f} s")
    if failed:
        log(f"failures as: {', '.join(failed)} (reports in {VAR_DIR / 'reports'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
