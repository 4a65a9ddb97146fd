"""Migrations that move data, run against a database left at the revision before them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from core.store.db import MIGRATIONS


def _upgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_plain_text_webhook_headers_are_blanked_when_the_vault_takes_over(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0003")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        for skill_id, definition in (
            ("skl_hook", '{"skill_type": "http_webhook", "execution_config": '
             '{"url": "https://x.example", "headers": {"Authorization": "Bearer old-secret"}}}'),
            ("skl_other", '{"skill_type": "builtin", "execution_config": {"action": "repeat"}}'),
        ):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO skills (id, org_id, agent_id, name, definition, created_ms, "
                    "updated_ms) VALUES (:id, 'org_1', 'agt_1', :id, :definition, 0, 0)"
                ),
                {"id": skill_id, "definition": definition},
            )
    engine.dispose()
    _upgrade(url, "head")
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT id, definition FROM skills")).all())
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(skills)"))]
    engine.dispose()
    assert "old-secret" not in stored["skl_hook"] and '"Authorization": ""' in stored["skl_hook"]
    assert "repeat" in stored["skl_other"]
    assert "sealed_headers" in columns


def test_connected_stores_keep_working_on_flowytes_api_version(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.execute(
            text(
                "INSERT INTO integrations (id, org_id, kind, shop, status, auth_method, "
                "token_last4, api_base_url, sealed_credentials, created_ms, updated_ms) VALUES "
                "('int_1', 'org_1', 'shopify', 'a.myshopify.com', 'connected', 'access_token', "
                "'abcd', '', 'sealed', 0, 0)"
            )
        )
    engine.dispose()
    _upgrade(url, "head")
    engine = create_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(
            text("SELECT api_version, answered_api_version, status_reason FROM integrations")
        ).all()
    engine.dispose()
    # "": the core's default version, nothing answered yet, and nothing wrong known.
    assert [tuple(row) for row in versions] == [("", "", "")]


def test_counts_from_before_the_ledger_still_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0006")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO organizations VALUES ('org_1', 'o', 0)"))
        for agent, order, failures, at in (
            ("agt_a", "agt_a/1001", 2, 1000),
            ("agt_b", "agt_b/1001", 1, 3000),
            ("agt_a", "agt_a/1002", 1, 2000),
        ):
            connection.execute(
                text("INSERT INTO verification_attempts VALUES ('org_1', :a, :o, :f, :t)"),
                {"a": agent, "o": order, "f": failures, "t": at},
            )
    engine.dispose()
    _upgrade(url, "head")
    engine = create_engine(url)
    with engine.connect() as connection:
        counted = connection.execute(
            text(
                "SELECT order_key, count(*), max(failed_ms) FROM verification_failures "
                "WHERE org_id = 'org_1' AND store_key = 'shopify' GROUP BY order_key "
                "ORDER BY order_key"
            )
        ).all()
        tables = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    engine.dispose()
    assert [tuple(row) for row in counted] == [("1001", 3, 3000), ("1002", 1, 2000)]
    assert "verification_attempts" not in tables and "verification_orders" in tables


def test_claims_a_crash_left_stuck_are_gone_after_the_upgrade(tmp_path: Path) -> None:
    """Before 0008 an unfinished claim blocked its key for a day; its table is recreated
    with leases and the calling key in it, empty."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0007")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO idempotency_records (org_id, key, method, request_hash, created_ms)"
                " VALUES ('org_1', 'stuck', '/flowyte.v1.AgentService/CreateAgent', 'h', 0)"
            )
        )
    engine.dispose()
    _upgrade(url, "head")
    engine = create_engine(url)
    with engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM idempotency_records")).scalar()
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(turn_keys)"))]
    engine.dispose()
    assert left == 0
    assert {"api_key_id", "lease_expires_ms"} <= set(columns)


def test_calls_from_before_numbers_list_with_no_called_number(tmp_path: Path) -> None:
    """Sessions opened before 0010 have no called number ("", shown as null); numbers are
    one per e164 across organizations from the start."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0009")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.execute(
            text(
                "INSERT INTO sessions (id, org_id, agent_id, agent_version, draft_mode, channel,"
                " status, state, caller_number, handoff_id, last_seq, turns, created_ms)"
                " VALUES ('ses_1', 'org_1', 'agt_1', 1, 0, 'voice', 'ended', '{}',"
                " '+15035550101', '', 0, 0, 0)"
            )
        )
    engine.dispose()
    _upgrade(url, "head")
    engine = create_engine(url)
    with engine.begin() as connection:
        called = connection.execute(text("SELECT called_number FROM sessions")).scalar()
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        insert = text(
            "INSERT INTO phone_numbers (id, org_id, e164, created_ms)"
            " VALUES (:id, :org, '+15550100100', 0)"
        )
        connection.execute(insert, {"id": "num_1", "org": "org_1"})
        with pytest.raises(IntegrityError):
            connection.execute(insert, {"id": "num_2", "org": "org_2"})
    engine.dispose()
    assert called == ""
