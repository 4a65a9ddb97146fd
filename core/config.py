"""The core's settings, read once from flags and FLOWYTE_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.domain.call_inputs import DEFAULT_MIN_CONFIDENCE
from flowyte.argtypes import seconds_setting
from flowyte.deadlines import Deadlines

WATCH_HEARTBEAT_VARIABLE = "FLOWYTE_WATCH_HEARTBEAT_S"


@dataclass(frozen=True)
class Settings:
    # Where SQLite and demo.json live.
    data_dir: Path = Path("data")
    # SQLAlchemy async URL; default a SQLite file in data_dir.
    database_url: str = ""
    # FLOWYTE_MASTER_KEY: "kid:base64key,kid:base64key"; the first seals, all open.
    master_keys: str = ""
    # Hosts an integration's apiBaseUrl may point at (exact host names or IPs).
    allowed_api_hosts: tuple[str, ...] = ()
    # Demo mode: loopback apiBaseUrls allowed, a master key generated when none is given.
    demo: bool = False
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    # How long the store client waits (FLOWYTE_STORE_TIMEOUT_SECONDS); the frontends derive
    # their deadlines from the same values, so they always outlast it.
    deadlines: Deadlines = field(default_factory=Deadlines)
    # On a call: a recognised final result below this confidence makes the agent ask the
    # caller to say it again (FLOWYTE_SPEECH_MIN_CONFIDENCE, 0 to 1; 0 acts on everything).
    speech_min_confidence: float = DEFAULT_MIN_CONFIDENCE
    # On a call: once a store lookup has taken this long the agent says "one moment"
    # (FLOWYTE_SLOW_LOOKUP_ACK_MS); at once when the store's lookups typically take longer.
    slow_lookup_ack_ms: int = 1000
    # Seconds of silence on a watch (a session's events, the inbox's handoffs) before the
    # core sends a heartbeat (FLOWYTE_WATCH_HEARTBEAT_S): frontends forward it, so sockets
    # and proxies between the browser and the core see traffic and keep the stream open.
    watch_heartbeat_s: float = 15.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'flowyte.db'}"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "data_dir": Path(env.get("FLOWYTE_DATA_DIR", "data")),
            "database_url": env.get("FLOWYTE_DATABASE_URL", ""),
            "master_keys": env.get("FLOWYTE_MASTER_KEY", ""),
            "allowed_api_hosts": tuple(
                h.strip() for h in env.get("FLOWYTE_ALLOWED_API_HOSTS", "").split(",") if h.strip()
            ),
            "grpc_host": env.get("FLOWYTE_GRPC_HOST", "127.0.0.1"),
            "grpc_port": int(env.get("FLOWYTE_GRPC_PORT", "50051")),
            "deadlines": Deadlines.from_env(env),
            "speech_min_confidence": float(
                env.get("FLOWYTE_SPEECH_MIN_CONFIDENCE", DEFAULT_MIN_CONFIDENCE)
            ),
            "slow_lookup_ack_ms": int(env.get("FLOWYTE_SLOW_LOOKUP_ACK_MS", "1000")),
            "watch_heartbeat_s": seconds_setting(WATCH_HEARTBEAT_VARIABLE, 15.0, env),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
