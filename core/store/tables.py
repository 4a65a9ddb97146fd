"""The core's tables. Times are integer milliseconds since the epoch (UTC), identical on
SQLite and PostgreSQL; documents whose shape the contract owns (agent settings, skill
definitions, guardrails, version snapshots) are JSON in the contract's own field names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_ms: Mapped[int] = mapped_column(BigInteger)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    prefix: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    revoked_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (Index("ix_api_keys_org", "org_id", "id"),)


class AgentRow(Base):
    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(200))
    # The draft's settings (contract field names), without name/id/times.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    guardrails: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    caller_verification: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    published_version: Mapped[int] = mapped_column(Integer, default=0)
    # The draft's widget config ({theme, copy, behavior}); published with the version.
    widget: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_agents_org", "org_id", "id"),)


class AgentVersionRow(Base):
    __tablename__ = "agent_versions"
    agent_id: Mapped[str] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    rolled_back_from: Mapped[int] = mapped_column(Integer, default=0)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class SkillRow(Base):
    __tablename__ = "skills"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(40))
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    # The skill's definition (contract field names), without name/id/agent/times; a
    # webhook's header values show as "********" here.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Vault-sealed JSON of a webhook's header values; the only copy, never returned.
    sealed_headers: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (UniqueConstraint("agent_id", "name", name="uq_skills_agent_name"),)


class IntegrationRow(Base):
    __tablename__ = "integrations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    shop: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(30))
    # Why the status is not "connected": the StoreOutcome's reason ("" while connected).
    status_reason: Mapped[str] = mapped_column(String(60), default="")
    auth_method: Mapped[str] = mapped_column(String(30))
    token_last4: Mapped[str] = mapped_column(String(4))
    api_base_url: Mapped[str] = mapped_column(String(500))
    # Shopify: the Admin API version chosen at connect ("": the core's default), and the one
    # the store last answered in ("": not yet answered).
    api_version: Mapped[str] = mapped_column(String(20), default="")
    answered_api_version: Mapped[str] = mapped_column(String(20), default="")
    # Vault-sealed JSON of the credentials; the only copy, never returned.
    sealed_credentials: Mapped[str] = mapped_column(Text)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (UniqueConstraint("org_id", "kind", name="uq_integrations_org_kind"),)


class IdempotencyRecord(Base):
    """A unary request's idempotency key: claimed before the handler runs, holding the
    sealed response once it succeeded (streamed turns use TurnKeyRow)."""

    __tablename__ = "idempotency_records"
    org_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # The API key that sent the request: a response replays only to the key it was made
    # for (it may carry a new key's secret), and each key's idempotency keys are its own.
    api_key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    method: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    # Vault-sealed response bytes (a response may carry a new key's secret); null while the
    # first request is still running.
    sealed_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    # While unfinished, the claim is a lease renewed by its request until then (store/claims.py).
    lease_expires_ms: Mapped[int] = mapped_column(BigInteger)


class SessionRow(Base):
    """A conversation. Its dialogue state lives here, not in a process, so any replica can
    serve its next turn."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    # The published version served, pinned at creation; 0 in draft mode.
    agent_version: Mapped[int] = mapped_column(Integer)
    draft_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # active | handed_off | ended
    # The brain's dialogue state after the last turn (it owns the shape).
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    caller_number: Mapped[str] = mapped_column(String(40), default="")
    handoff_id: Mapped[str] = mapped_column(String(40), default="")
    # The seq of the last audit event; bumped atomically by each append (UPDATE … RETURNING).
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Completed customer turns: a turn commits only if no other turn committed since it read
    # the state (optimistic concurrency across replicas).
    turns: Mapped[int] = mapped_column(Integer, default=0)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    ended_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # A stateless completion that handed off: its conversation's digest, so the same
    # conversation sent again finds this session rather than opening another.
    conversation_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A call's called number (E.164) as it opened: what `to` of the agent's calls shows.
    called_number: Mapped[str] = mapped_column(String(40), default="")
    __table_args__ = (
        Index("ix_sessions_org", "org_id", "id"),
        # An agent's calls, newest first (GET /agents/{id}/calls).
        Index("ix_sessions_agent_channel", "agent_id", "channel", "id"),
        Index("uq_sessions_org_conversation_key", "org_id", "conversation_key", unique=True),
    )


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(BigInteger)
    ts_ms: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(20))
    event_type: Mapped[str] = mapped_column(String(30))
    # Redacted before it is written when the agent's content policy says redactPii.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    trace_id: Mapped[str] = mapped_column(String(40))
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_audit_events_session_seq"),)


class TurnKeyRow(Base):
    """A turn's idempotency key: claimed before the turn runs, pointing at the turn's
    events once it committed (in the turn's own transaction), so a retry replays them."""

    __tablename__ = "turn_keys"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    # The API key that sent the turn: each key's idempotency keys are its own.
    api_key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    # The turn's events are first_seq..last_seq (those of its trace: conversations/
    # turn_keys.py). first_seq is set when the customer's words commit, before the reply;
    # last_seq when the reply commits, null while the turn has not finished.
    first_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    # While unfinished, the claim is a lease renewed by its turn until then (store/claims.py).
    lease_expires_ms: Mapped[int] = mapped_column(BigInteger)


class VerificationOrderRow(Base):
    """An order someone tried to verify for, per organization and store: the row a check
    locks (PostgreSQL) or writes first (SQLite) so that concurrent checks of one order are
    counted one after the other."""

    __tablename__ = "verification_orders"
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    store_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    checked_ms: Mapped[int] = mapped_column(BigInteger)


class VerificationFailureRow(Base):
    """One distinct wrong detail checked for an order (its keyed hash, never the detail),
    shared by every agent and replica: the order locks when enough are in the window."""

    __tablename__ = "verification_failures"
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    store_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    factor_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_ms: Mapped[int] = mapped_column(BigInteger)


class HandoffRow(Base):
    __tablename__ = "handoffs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    agent_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # open | claimed | closed
    order_summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    verified_identity: Mapped[dict[str, Any]] = mapped_column(JSON)
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    created_ms: Mapped[int] = mapped_column(BigInteger)
    claimed_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    closed_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (Index("ix_handoffs_org_status", "org_id", "status", "id"),)


class PublishableKeyRow(Base):
    """A publishable key. The key is public by design (it sits in the storefront's HTML and
    is returned by Get/List), so it is stored as is; it is looked up on every public call,
    so a deletion or an expired grace window takes effect on the next call."""

    __tablename__ = "publishable_keys"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    allowed_origins: Mapped[list[str]] = mapped_column(JSON)
    rate_limit_rpm: Mapped[int] = mapped_column(Integer)
    key_public: Mapped[str] = mapped_column(String(80), unique=True)
    # The value a rotation replaced, accepted until previous_until_ms (the grace window).
    previous_key: Mapped[str | None] = mapped_column(String(80), nullable=True, unique=True)
    previous_until_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_publishable_keys_agent", "org_id", "agent_id", "id"),)


class WidgetVisitorRow(Base):
    """A visitor token (its hash): it names one widget session and nothing else."""

    __tablename__ = "widget_visitors"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    agent_id: Mapped[str] = mapped_column(String(40))
    created_ms: Mapped[int] = mapped_column(BigInteger)


class PhoneNumberRow(Base):
    """A phone number imported from the organization's SIP trunk. `e164` is unique across
    every organization, not only within one: an incoming call is routed by the number it
    dialled, so that number must name exactly one organization (and agent)."""

    __tablename__ = "phone_numbers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    e164: Mapped[str] = mapped_column(String(16), unique=True)
    # The agent its calls reach; null when unassigned. Deleting the agent unassigns it
    # (the number stays imported, ready for another agent).
    agent_id: Mapped[str | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), nullable=True
    )
    created_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_phone_numbers_org", "org_id", "id"),)
