"""The runtime's one outbound HTTP session: made on first use, closed with the runtime."""

from __future__ import annotations

from core.runtime import Runtime
from tests.conftest import core_settings


async def test_http_session_is_lazy_shared_and_closed(tmp_path, master_key):
    settings = core_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'f.db'}", master_key)
    runtime = await Runtime.open(settings)
    try:
        assert runtime._http is None  # admin commands never open one
        session = runtime.http_session()
        assert runtime.http_session() is session
    finally:
        await runtime.close()
    assert session.closed and runtime._http is None
