"""The turn's plain view of a session keeps every column of the sessions table."""

from __future__ import annotations

from core.conversations.session_view import SessionView
from core.store.tables import SessionRow


def _row() -> SessionRow:
    return SessionRow(
        id="ses_1",
        org_id="org_1",
        agent_id="agt_1",
        agent_version=3,
        draft_mode=False,
        channel="voice",
        status="handed_off",
        state={"v": 1, "verified": {"#1001": {"at": 1.5}}},
        caller_number="+15551234567",
        handoff_id="hof_1",
        last_seq=7,
        turns=2,
        created_ms=1_700_000_000_000,
        ended_ms=None,
        conversation_key="abc",
        called_number="+15550100100",
    )


def test_the_view_has_the_tables_columns_in_order() -> None:
    columns = [column.key for column in SessionRow.__table__.columns]
    assert list(SessionView.__dataclass_fields__) == columns


def test_a_cached_view_comes_back_whole_and_unshared() -> None:
    view = SessionView.of(_row())
    frozen = view.frozen()
    hash(frozen)  # a cache value: immutable all the way down
    first, second = SessionView.thawed(frozen), SessionView.thawed(frozen)
    assert first == view
    first.state["verified"]["#1002"] = {"at": 2.0}  # one turn's changes stay its own
    assert second.state == {"v": 1, "verified": {"#1001": {"at": 1.5}}}
