"""Run the web server, a Celery worker and Celery beat together in the foreground.

One Ctrl-C (SIGINT) or SIGTERM stops all three: the signal is passed on to each,
and whatever has not stopped after the grace period is killed with its own
children. When one of them stops on its own, the others are stopped too and the
command exits non-zero.

Each child runs in its own process group, so a Ctrl-C in the terminal reaches
them once, through this command, and a Celery worker does not take a second
signal for a request to stop at once.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

POLL_SECONDS = 0.5
# After this long without an answer from the web server, say so once.
ANSWER_WARNING_SECONDS = 60


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    output: threading.Thread | None = field(default=None, repr=False)

    @property
    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Command(BaseCommand):
    help = (
        "Run the web server, a Celery worker and Celery beat until Ctrl-C; print the address when it answers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address the web server listens on")
        parser.add_argument("--port", type=int, default=8000, help="port the web server listens on")
        parser.add_argument(
            "--logins", type=Path, help="a file printed under the address once the site answers (demo logins)"
        )
        parser.add_argument(
            "--grace", type=float, default=20.0, help="seconds each process has to stop before it is killed"
        )

    def handle(self, *args, host: str, port: int, logins: Path | None, grace: float, **options):
        self._signals: list[int] = []
        self._write_lock = threading.Lock()
        children = self.children(host, port)
        previous_handlers = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            self.start(children)
            stopped = self.supervise(children, self.site_url(host, port), logins)
        finally:
            self.stop(children, self._signals[0] if self._signals else signal.SIGTERM, grace)
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
        if stopped is not None:
            name, code = stopped
            raise CommandError(f"{name} stopped unexpectedly (exit code {code}); the others were stopped.")
        self.log("All processes stopped. / Đã dừng tất cả tiến trình.")

    def children(self, host: str, port: int) -> list[Child]:
        python = sys.executable
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        web = ["gunicorn", "portal.wsgi:application", "--bind", bind, "--workers", "2"]
        worker = ["celery", "-A", "portal", "worker", "--loglevel=INFO", "--concurrency=2"]
        beat = ["celery", "-A", "portal", "beat", "--loglevel=INFO"]
        return [
            Child("web", [python, "-m", *web, "--graceful-timeout", "10"]),
            Child("worker", [python, "-m", *worker]),
            Child("beat", [python, "-m", *beat]),
        ]

    def _on_signal(self, signum, frame) -> None:
        self._signals.append(signum)

    def start(self, children: list[Child]) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for child in children:
            if self._signals:
                return
            try:
                child.process = subprocess.Popen(  # noqa: S603 (our own manage.py and celery, as argv)
                    child.argv,
                    cwd=settings.BASE_DIR,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    process_group=0,
                )
            except OSError as error:
                raise CommandError(f"cannot start {child.name}: {error}") from error
            child.output = threading.Thread(target=self.relay, args=(child,), daemon=True)
            child.output.start()
            self.log(f"started {child.name} (pid {child.process.pid}): {' '.join(child.argv[1:])}")

    def relay(self, child: Child) -> None:
        """Copy the child's output to ours, each line prefixed with the child's name."""
        for raw in child.process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            with self._write_lock:
                self.stdout.write(f"{child.name:<6} | {line}")
                self.stdout.flush()

    def supervise(self, children: list[Child], url: str, logins: Path | None) -> tuple[str, int] | None:
        """Wait for a stop signal; return the name and exit code of a child that stopped on its own."""
        started = time.monotonic()
        is_announced = is_warned = False
        while not self._signals:
            for child in children:
                code = child.process.poll()
                if code is not None:
                    self.log(f"{child.name} stopped unexpectedly (exit code {code}); stopping the others.")
                    return child.name, code
            if not is_announced and site_answers(url):
                self.announce(url, logins)
                is_announced = True
            elif not is_announced and not is_warned and time.monotonic() - started > ANSWER_WARNING_SECONDS:
                self.log(f"the web server does not answer at {url} yet.")
                is_warned = True
            time.sleep(POLL_SECONDS)
        self.log(f"{signal.Signals(self._signals[0]).name} received: stopping web, worker and beat.")
        return None

    def stop(self, children: list[Child], signum: int, grace: float) -> None:
        """Pass ``signum`` to every running child; kill what remains after ``grace`` or a second signal."""
        signals_before = len(self._signals)
        for child in children:
            if child.is_running:
                with contextlib.suppress(ProcessLookupError):
                    child.process.send_signal(signum)
        deadline = time.monotonic() + grace
        while any(child.is_running for child in children):
            # A further Ctrl-C while waiting means: stop now.
            if time.monotonic() > deadline or len(self._signals) > signals_before:
                for child in children:
                    if child.is_running:
                        self.log(f"killing {child.name} (pid {child.process.pid}).")
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(child.process.pid, signal.SIGKILL)
                break
            time.sleep(0.1)
        for child in children:
            if child.process is None:
                continue
            child.process.wait()
            # Anything the child left behind in its process group (a worker's pool processes) goes too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)
            if child.output is not None:
                child.output.join(timeout=2)

    def announce(self, url: str, logins: Path | None) -> None:
        lines = [
            "",
            "=" * 72,
            f"Cổng hỗ trợ khởi nghiệp đang chạy / The portal is running: {url}",
        ]
        if logins is not None and logins.is_file():
            lines += ["", logins.read_text(encoding="utf-8").rstrip()]
        lines += ["", "Ctrl-C dừng web, worker và beat / Ctrl-C stops web, worker and beat.", "=" * 72, ""]
        with self._write_lock:
            self.stdout.write("\n".join(lines))
            self.stdout.flush()

    def log(self, message: str) -> None:
        with self._write_lock:
            self.stdout.write(f"{'run_demo':<6} | {message}")
            self.stdout.flush()

    @staticmethod
    def site_url(host: str, port: int) -> str:
        # A name to print, not an address to bind.
        every_address = host in {"", "0.0.0.0"}  # noqa: S104
        shown = "127.0.0.1" if every_address else f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def site_answers(url: str) -> bool:
    """Whether the web server answers HTTP at all (an error status is an answer too)."""
    try:
        with urllib.request.urlopen(url + "healthz", timeout=2):  # noqa: S310 (our own http:// address)
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
