"""One pass of the connector: plan, open (or resume) a run, read and send, commit, remember.

- The server says what it applied: each entity is read from that watermark, or in full when
  it has none, when its periodic full read is due, or when asked (`full=True`). The next
  watermarks are taken before reading anything, as a direct sync does.
- Rows are read entity by entity and sent in batches of `batch_rows`, named by a hash of their
  content. Resuming a run reads Sage 100 again and skips the batches the server already has
  with the same name; a batch whose rows changed meanwhile is sent again and replaces the old.
- The state file records the open run as soon as it is opened, and is cleared and advanced
  only after the server confirmed the commit: a crash or a network cut loses nothing, and the
  next pass resumes the run (or, if the server no longer has it, starts a new one).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from seatbridge.connector import errors
from seatbridge.connector.http import ConnectorApi
from seatbridge.connector.sending import (
    DEFAULT_BATCH_ROWS,
    BatchSender,
    EntityReport,
    Progress,
    SageSource,
)
from seatbridge.connector.state import LocalState, OpenRun, load_state, save_state
from seatbridge.i18n import Text, _, from_json
from seatbridge.ingest.codec import SAGE_ENTITIES
from seatbridge.ingest.wire import (
    ENTITY_NAMES,
    PROTOCOL,
    CommitView,
    EntityName,
    EntityPlan,
    EntityTotals,
    RunCommit,
    RunOpen,
    RunView,
    StateView,
    WireWatermark,
)
from seatbridge.ops.events import logged

# The run cannot go on: forget it, the next pass starts a new one.
DEAD_RUN: Final = frozenset({"ingest.run_closed", "ingest.run_not_found", "ingest.apply_failed"})


@dataclass
class PushReport:
    run_id: int
    resumed: bool
    seconds: float
    entities: dict[EntityName, EntityReport] = field(default_factory=dict)
    outcome: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        """The safety brake stopped the collaborators (the rest was applied)."""
        return bool(self.outcome.get("collaborators", {}).get("status") == "blocked")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "applied",
            "run_id": self.run_id,
            "resumed": self.resumed,
            "blocked": self.blocked,
            "seconds": self.seconds,
            "entities": {name: asdict(report) for name, report in self.entities.items()},
            "outcome": self.outcome,
        }


class Pusher:
    def __init__(
        self,
        reader: SageSource,
        api: ConnectorApi,
        state_path: Path,
        *,
        server: str,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        progress: Progress | None = None,
        warn: Callable[[Text], None] | None = None,
    ) -> None:
        self.reader = reader
        self.api = api
        self.state_path = state_path
        self.server = server.rstrip("/")
        self.batch_rows = max(1, batch_rows)
        self.progress: Progress = progress or (lambda _what, _done, _total: None)
        self.warn = warn or (lambda _message: None)

    def push(self, *, full: bool = False, confirm: bool = False) -> PushReport:
        """One pass; the run it applied (logged: start and end lines with the run and counts)."""
        with logged("push", server=self.server, full=full) as done:
            report = self._push(full=full, confirm=confirm)
            done.update(run_id=report.run_id, resumed=report.resumed, blocked=report.blocked)
        return report

    def _push(self, *, full: bool, confirm: bool) -> PushReport:
        """One pass; the run it applied (a resumed one, or a new one)."""
        started = time.perf_counter()
        server_state = self.api.state()
        if server_state.protocol != PROTOCOL:
            raise errors.UnexpectedAnswer(
                what="state", detail=f"protocol {server_state.protocol}, expected {PROTOCOL}"
            )
        state = self._local(server_state)
        report = None
        if state.open_run is not None:
            report = self._resume(state, state.open_run, server_state)
            if report is None:  # the run it settled may have moved the server's state
                server_state = self.api.state()
        if report is None:
            report = self._fresh(state, server_state, full=full, confirm=confirm)
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _local(self, server_state: StateView) -> LocalState:
        state = load_state(self.state_path)
        if state is not None and (
            state.server != self.server or state.environment_id != server_state.environment_id
        ):
            self.warn(
                _(
                    "{path} appartient à un autre serveur ou environnement : il n'est pas utilisé.",
                    path=str(self.state_path),
                )
            )
            state = None
        return state or LocalState(server=self.server, environment_id=server_state.environment_id)

    def _resume(
        self, state: LocalState, open_run: OpenRun, server_state: StateView
    ) -> PushReport | None:
        view = self.api.get_run(open_run.run_id)
        if view is None or str(view.connector_run_id) != open_run.connector_run_id:
            self.warn(
                _(
                    "L'envoi n° {run} a disparu du serveur : un nouvel envoi commence.",
                    run=open_run.run_id,
                )
            )
        elif view.status == "failed":
            self.warn(
                _(
                    "L'envoi n° {run} n'a pas été appliqué ({error}) : un nouvel envoi commence.",
                    run=open_run.run_id,
                    error=from_json(view.error),
                )
            )
        elif view.status == "applied":  # committed, but the answer was lost
            self._remember(state, view.id, server_state)
            return None
        elif view.status == "applying":  # killed while the server applied it: wait for it
            return self._recommit(state, view, open_run.batch_rows)
        else:
            return self._complete(state, view, open_run.batch_rows, resumed=True)
        state.open_run = None
        save_state(self.state_path, state)
        return None

    def _fresh(
        self, state: LocalState, server_state: StateView, *, full: bool, confirm: bool
    ) -> PushReport:
        plans = {}
        for name in ENTITY_NAMES:
            applied = server_state.entities[name]
            saved = state.watermarks.get(name)
            if applied.watermark is not None and saved not in (
                None,
                applied.watermark.model_dump(mode="json"),
            ):
                self.warn(
                    _(
                        "{entity} : le repère du serveur diffère de {path} ; la lecture part de "
                        "celui du serveur.",
                        entity=name,
                        path=str(self.state_path),
                    )
                )
            whole = full or applied.watermark is None or applied.full_due
            plans[name] = EntityPlan(
                full=whole,
                since=None if whole else applied.watermark,
                next=WireWatermark.of(self.reader.watermark(SAGE_ENTITIES[name])),
            )
        request = RunOpen(connector_run_id=uuid.uuid4(), confirm=confirm, entities=plans)
        view = self.api.open_run(request)
        state.open_run = OpenRun(view.id, str(request.connector_run_id), self.batch_rows)
        save_state(self.state_path, state)
        return self._complete(state, view, self.batch_rows, resumed=False)

    def _complete(
        self, state: LocalState, view: RunView, batch_rows: int, *, resumed: bool
    ) -> PushReport:
        reports: dict[EntityName, EntityReport] = {}

        def send_and_commit() -> CommitView:
            for name in ENTITY_NAMES:
                reports[name] = self.sender(batch_rows).send_records(view, name)
            for name in view.keys_required:  # a resumed run that was waiting for key scans
                self.sender(batch_rows).send_keys(view, name, reports[name])
            return self._commit(view, reports, batch_rows)

        return self._finish(state, view, reports, send_and_commit, resumed)

    def _finish(
        self,
        state: LocalState,
        view: RunView,
        reports: dict[EntityName, EntityReport],
        work: Callable[[], CommitView],
        resumed: bool,
    ) -> PushReport:
        try:
            applied = work()
        except errors.ServerRefused as refusal:
            if refusal.problem in DEAD_RUN:
                state.open_run = None
                save_state(self.state_path, state)
            raise
        if applied.state is None:
            raise errors.UnexpectedAnswer(what="commit", detail="no state in the answer")
        self._remember(state, view.id, applied.state)
        return PushReport(view.id, resumed, 0.0, reports, applied.run.outcome)

    def _recommit(self, state: LocalState, view: RunView, batch_rows: int) -> PushReport:
        """Commit again a run the server was applying: it holds exactly the announced batches."""
        reports = {}
        for name in ENTITY_NAMES:
            received = view.received.get(name, {})
            keys = received.get("keys")
            reports[name] = EntityReport(
                full=view.entities[name].full,
                batches=len(received.get("records", {})),
                keys=len(keys) if keys else None,
                count=self.reader.count(SAGE_ENTITIES[name]),
            )
        return self._finish(
            state, view, reports, lambda: self._commit(view, reports, batch_rows), True
        )

    def _commit(
        self, view: RunView, reports: dict[EntityName, EntityReport], batch_rows: int
    ) -> CommitView:
        for _attempt in range(len(ENTITY_NAMES) + 1):
            totals = {
                name: EntityTotals(records=report.batches, keys=report.keys, count=report.count)
                for name, report in reports.items()
            }
            answer = self.api.commit(view.id, RunCommit(entities=totals))
            if answer.status == "applied":
                return answer
            for name in answer.run.keys_required:
                if reports[name].keys is not None:
                    raise errors.RunRejected(
                        run=view.id, detail=f"the server asked twice for the keys of {name}"
                    )
                self.sender(batch_rows).send_keys(answer.run, name, reports[name])
        raise errors.RunRejected(run=view.id, detail="the server kept asking for key scans")

    def sender(self, batch_rows: int) -> BatchSender:
        return BatchSender(self.reader, self.api, batch_rows=batch_rows, progress=self.progress)

    def _remember(self, state: LocalState, run_id: int, server_state: StateView) -> None:
        state.open_run = None
        state.last_run_id = run_id
        state.committed_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        state.watermarks = {
            name: entity.watermark.model_dump(mode="json") if entity.watermark else None
            for name, entity in server_state.entities.items()
        }
        save_state(self.state_path, state)
