"""Demo companies for the commerce tests: made once per worker, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from seatbridge.sage100.demo import make_demo_company
from tests.commerce.sage import SageFile

# Two companies with different seeds: "A" and "B" of one account, or one each for two accounts.
SMALL: dict[str, Any] = {"collaborators": 12, "customers": 40, "documents": 300}


@pytest.fixture(scope="session")
def company_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("commerce-sage")
    templates = {}
    for name, seed in (("A", 3), ("B", 4)):
        path = folder / f"{name}.db"
        make_demo_company(str(path), company=f"CO{name}", seed=seed, **SMALL)
        templates[name] = path
    return templates


@pytest.fixture
def sage_files(company_templates: dict[str, Path], tmp_path: Path) -> dict[str, SageFile]:
    """Private copies of companies A and B, free to edit."""
    files = {}
    for name, template in company_templates.items():
        path = tmp_path / f"sage-{name}.db"
        shutil.copyfile(template, path)
        files[name] = SageFile(path)
    return files
