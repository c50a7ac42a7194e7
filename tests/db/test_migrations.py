"""The migrations build exactly the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

import seatbridge.models  # noqa: F401
from seatbridge.db import metadata
from seatbridge.db.migrate import alembic_config, current_revision


class TestMigrations:
    def test_upgrade_from_empty_reaches_head(self, engine: Engine) -> None:
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        assert current_revision(engine) == head
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())

    def test_no_drift_between_models_and_migrations(self, engine: Engine) -> None:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []

    def test_history_is_linear(self, engine: Engine) -> None:
        script = ScriptDirectory.from_config(alembic_config(engine))
        assert len(script.get_heads()) == 1
        assert len(script.get_bases()) == 1
