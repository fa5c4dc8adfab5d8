"""The import contract of ``make lint`` holds, and fails when someone breaks it.

``lint-imports`` checks the contracts in pyproject.toml. It is run here on a copy of the packages:
untouched, every contract is kept; with the ground importing an app, or two modules of a package
importing each other, the contract that forbids it is broken. A contract that stopped checking
anything (a renamed package, a mistyped module) would let these pass.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIGURATION = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["name"] for contract in CONFIGURATION["contracts"]}


def copy_python_files(source: Path, target: Path) -> None:
    """The package's modules, without caches, migrations or anything but Python files."""
    for path in source.rglob("*.py"):
        relative = path.relative_to(source)
        if {"__pycache__", "migrations"} & set(relative.parts):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


@pytest.fixture
def copy(tmp_path) -> Path:
    """The contract's packages and pyproject.toml, copied to a folder of the test's own."""
    for package in CONFIGURATION["root_packages"]:
        copy_python_files(ROOT / package, tmp_path / package)
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` as ``make lint`` runs it, on the packages in ``folder``."""
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=folder,
        env=os.environ | {"PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def append(path: Path, line: str) -> None:
    with path.open("a") as module:
        module.write(f"\n{line}\n")


def broken_contracts(result: subprocess.CompletedProcess) -> set[str]:
    """The names of the contracts the report marks broken; every contract must be marked."""
    outcomes = {}
    for line in result.stdout.splitlines():
        # "<name> KEPT", "<name> BROKEN", or either followed by "(7 ignored imports)".
        if found := re.fullmatch(r"(.+) (KEPT|BROKEN)( \(.*\))?", line):
            outcomes[found[1]] = found[2]
    assert set(outcomes) == CONTRACTS, result.stdout + result.stderr
    return {name for name, outcome in outcomes.items() if outcome == "BROKEN"}


def test_the_untouched_packages_keep_every_contract(copy):
    result = lint_imports(copy)

    assert broken_contracts(result) == set()
    assert result.returncode == 0


def test_the_ground_importing_an_app_breaks_its_contract(copy):
    append(copy / "portal" / "scope.py", "import dossiers.models  # noqa")

    result = lint_imports(copy)

    # Reports import portal.scope, so their contract breaks too, through it.
    assert "The ground (portal) imports no app" in broken_contracts(result)
    assert "portal.scope -> dossiers.models" in result.stdout
    assert result.returncode == 1


def test_an_import_cycle_inside_a_package_breaks_the_acyclic_contract(copy):
    append(copy / "portal" / "periods.py", "import portal.text  # noqa")
    append(copy / "portal" / "text.py", "import portal.periods  # noqa")

    result = lint_imports(copy)

    assert broken_contracts(result) == {"No import cycles inside any package"}
    assert "No cycles are allowed in portal." in result.stdout
    assert result.returncode == 1


def test_runtime_code_importing_the_demo_breaks_its_contract(copy):
    append(copy / "dossiers" / "services" / "__init__.py", "import demo.names  # noqa")

    result = lint_imports(copy)

    assert broken_contracts(result) == {"Demo code is imported by demo code only"}
    assert result.returncode == 1
