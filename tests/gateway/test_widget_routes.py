"""The widget's team routes over REST: publishable keys, the widget config, the embed
snippet; scopes, other organizations and bad input answered as problems."""

from __future__ import annotations

import aiohttp
import pytest

from frontends.gateway import GatewayHandle
from tests.conftest import ALL_SCOPES, CoreFixture
from tests.gateway.conftest import Api


@pytest.fixture
async def api(core: CoreFixture, gateway: GatewayHandle, http: aiohttp.ClientSession) -> Api:
    """A caller with every scope (pubkeys and widgets among them), in a fresh organization."""
    return Api(http, gateway.url + "/api/v1", await core.new_org_key(ALL_SCOPES))


async def _agent(api: Api) -> str:
    agent = (await api.post("/agents", {"name": "Ava", "language": "es-ES"})).data["id"]
    assert (await api.post(f"/agents/{agent}/publish", {"note": "v1"})).status == 201
    return agent


async def test_publishable_keys(api: Api) -> None:
    agent = await _agent(api)
    base = f"/agents/{agent}/publishable-keys"
    created = await api.post(
        base, {"name": "shop", "allowedOrigins": ["https://shop.example"], "rateLimitRpm": 60}
    )
    assert created.status == 201, created.body
    key = created.data
    assert set(key) == {
        "id",
        "agentId",
        "name",
        "allowedOrigins",
        "rateLimitRpm",
        "keyPublic",
        "createdAt",
    }
    assert key["keyPublic"].startswith("flowyte_pk_live_") and key["agentId"] == agent
    assert (await api.get(base)).data == [key]
    assert (await api.get(f"{base}/{key['id']}")).data == key

    patched = await api.patch(f"{base}/{key['id']}", {"allowedOrigins": ["http://localhost:3000"]})
    assert patched.data["allowedOrigins"] == ["http://localhost:3000"]
    assert patched.data["name"] == "shop" and patched.data["rateLimitRpm"] == 60

    rotated = await api.post(f"{base}/{key['id']}/rotate")
    assert rotated.status == 200 and rotated.data["keyPublic"] != key["keyPublic"]

    embed = await api.get(
        f"/agents/{agent}/widget/embed?publishableKeyId={key['id']}"
        "&widgetBaseUrl=https://widget.example"
    )
    assert embed.data == {
        "scriptSnippet": '<script src="https://widget.example/widget/loader.js" '
        f'data-flowyte-key="{rotated.data["keyPublic"]}" async></script>',
        "publishableKey": rotated.data["keyPublic"],
    }

    deleted = await api.delete(f"{base}/{key['id']}")
    assert deleted.data == {"id": key["id"], "deleted": True}
    assert (await api.get(f"{base}/{key['id']}")).status == 404


async def test_widget_config(api: Api) -> None:
    agent = await _agent(api)
    empty = await api.get(f"/agents/{agent}/widget")
    assert empty.data == {"theme": {}, "copy": {}, "behavior": {}}
    config = {
        "theme": {"accent": "#0a7", "position": "right"},
        "copy": {"title": "¿Dónde está mi pedido?"},
        "behavior": {"openOnLoad": False},
    }
    put = await api.put(f"/agents/{agent}/widget", config)
    assert put.status == 200 and put.data == config
    assert (await api.get(f"/agents/{agent}/widget")).data == config
    bad = await api.put(f"/agents/{agent}/widget", {"theme": "red"})
    assert bad.status == 400
    assert (await api.get(f"/agents/{agent}/widget")).data == config


async def test_refusals(api: Api, core: CoreFixture) -> None:
    agent = await _agent(api)
    base = f"/agents/{agent}/publishable-keys"
    for body, field in (
        ({"name": "x", "allowedOrigins": ["not an origin"]}, "allowedOrigins[0]"),
        ({"name": "x", "allowedOrigins": []}, "allowedOrigins"),
        ({"allowedOrigins": ["https://a.example"]}, "name"),
    ):
        refused = await api.post(base, body)
        assert refused.status == 400, (body, refused.body)
        assert refused.fields == [field], (body, refused.body)
    assert (await api.get(base)).data == []
    missing = await api.get(f"/agents/{agent}/widget/embed")
    assert missing.status == 400
    unknown = await api.get(f"/agents/{agent}/widget/embed?publishableKeyId=pkk_nope")
    assert unknown.status == 404

    key = (await api.post(base, {"name": "x", "allowedOrigins": ["https://a.example"]})).data
    # another organization sees nothing; a key without pubkeys:write cannot mint
    other = api.as_(await core.new_org_key())
    assert (await other.get(f"{base}/{key['id']}")).status == 404
    assert (await other.get(base)).status == 404
    reader = api.as_(await core.new_key(await core.org_of(api.key or ""), ["pubkeys:read"]))
    assert (await reader.get(base)).status == 200
    denied = await reader.post(base, {"name": "y", "allowedOrigins": ["https://a.example"]})
    assert denied.status == 403
