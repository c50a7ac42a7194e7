"""The lean connector install (`connector` extra) holds every package its code can import.

import-linter (pyproject.toml) forbids the server's stacks; this test checks the other side: each
third-party package reachable from `seatbridge.cli.connector`, lazy imports included, is declared
in the `connector` extra. `make check-install` then runs that install for real.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
# Distribution name -> the import name, where they differ.
IMPORT_NAMES = {"email-validator": "email_validator"}


def test_every_package_the_connector_imports_is_in_its_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = set()
    for requirement in project["optional-dependencies"]["connector"]:
        name = requirement.split(">")[0].split("=")[0].split("[")[0].strip().lower()
        declared.add(IMPORT_NAMES.get(name, name.replace("-", "_")))
    graph = grimp.build_graph("seatbridge", include_external_packages=True)
    reached = graph.find_upstream_modules("seatbridge.cli.connector")
    external = {m.split(".")[0] for m in reached if not m.startswith("seatbridge")}
    missing = external - declared - set(sys.stdlib_module_names)
    assert not missing, f"add to the connector extra (and `make lock`): {sorted(missing)}"
