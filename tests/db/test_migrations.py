"""The migrations build exactly the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

import seatbridge.models  # noqa: F401
from seatbridge.db import metadata
from seatbridge.db.migrate import alembic_config, current_revision


class TestMigrations:
    def test_upgrade_from_empty_reaches_head(self, engine: Engine) -> None:
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        assert current_revision(engine) == head
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())

    def test_no_drift_between_models_and_migrations(self, engine: Engine) -> None:
        with engine.connect() as connection, warnings.catch_warnings():
            # Alembic cannot compare expression indexes (SQLite cannot even reflect them):
            # they are checked by name below.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            warnings.filterwarnings("ignore", ".*expression-based index")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []

    def test_expression_indexes_exist(self, engine: Engine) -> None:
        expected = {
            index.name
            for table in metadata.tables.values()
            for index in table.indexes
            if any(not hasattr(part, "name") for part in index.expressions)
        }
        assert "ix_user_account_scim_user_name" in expected
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if engine.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes"
        )
        with engine.connect() as connection:
            present = set(connection.execute(text(query)).scalars())
        assert expected <= present

    def test_history_is_linear(self, engine: Engine) -> None:
        script = ScriptDirectory.from_config(alembic_config(engine))
        assert len(script.get_heads()) == 1
        assert len(script.get_bases()) == 1


def test_the_cheap_head_check_agrees_with_alembic(engine: Engine) -> None:
    from seatbridge.db.migrate import code_heads, is_up_to_date

    assert code_heads() == set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    assert is_up_to_date(engine)  # the fixture's store is migrated
    with engine.begin() as connection:
        rows = [r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))]
        connection.execute(
            text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": rows[0]}
        )
        connection.execute(text("INSERT INTO alembic_version VALUES ('older')"))
    try:
        assert not is_up_to_date(engine)
    finally:  # the PostgreSQL store is shared by the next tests
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM alembic_version"))
            for row in rows:
                connection.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": row})
    assert is_up_to_date(engine)
