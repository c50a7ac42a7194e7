"""Run Alembic from code: `seatbridge db upgrade`, the demo and the tests all come through here."""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


@functools.cache
def code_heads() -> frozenset[str]:
    """The revisions no other migration builds on, read from the files' `revision` and
    `down_revision` assignments: what Alembic's script directory says, without loading Alembic
    (0.3-0.4 s of CPU) on every command that opens the store (issue 18; a test compares both)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value_node = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value_node = node.targets[0], node.value
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            if target.id == "revision":
                revisions.add(ast.literal_eval(value_node))
            elif target.id == "down_revision":
                value = ast.literal_eval(value_node)
                parents.update([value] if isinstance(value, str) else value or ())
    return frozenset(revisions - parents)


def is_up_to_date(engine: Engine) -> bool:
    """Whether the store is at the latest revision of every migration branch."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        stored = {
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        }
    return stored == code_heads()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None
