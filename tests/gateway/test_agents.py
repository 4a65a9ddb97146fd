"""Agents over REST: CRUD, PATCH masks, publish, versions, rollback, diff, report."""

from __future__ import annotations

from tests.gateway.conftest import Api

AGENT_KEYS = {
    "id", "name", "persona", "greeting", "language", "voice", "handoffConfig", "businessHours",
    "afterHours", "callControl", "brain", "publishedVersion", "createdAt", "updatedAt",
}  # fmt: skip


async def test_create_get_list_patch_delete(api: Api) -> None:
    created = await api.post(
        "/agents",
        {
            "name": "Ava",
            "greeting": "Hi, I'm Ava.",
            "handoffConfig": {
                "warm": True,
                "transferDestination": "4155550100",
                "transferRules": [
                    {"label": "damage", "when": "damaged", "destination": "sip:a@b.c"}
                ],
            },
            "callControl": {"maxDurationSeconds": 600, "onNoResponseAction": "hang_up"},
            "brain": {"kind": "builtin"},
        },
    )
    assert created.status == 201
    agent = created.data
    assert set(agent) == AGENT_KEYS
    assert agent["id"].startswith("agt_") and agent["name"] == "Ava"
    assert agent["handoffConfig"]["transferDestination"] == "+14155550100"  # the core's E.164
    assert agent["handoffConfig"]["transferRules"][0]["label"] == "damage"
    assert agent["brain"]["kind"] == "builtin"
    assert agent["publishedVersion"] == 0

    assert (await api.get(f"/agents/{agent['id']}")).data == agent
    assert agent["id"] in [a["id"] for a in (await api.get("/agents")).data]

    patched = await api.patch(f"/agents/{agent['id']}", {"name": "Ava 2", "persona": "kind"})
    assert patched.data["name"] == "Ava 2" and patched.data["persona"] == "kind"
    assert patched.data["greeting"] == "Hi, I'm Ava."  # not in the body: not in the mask
    assert patched.data["handoffConfig"] == agent["handoffConfig"]
    cleared = await api.patch(f"/agents/{agent['id']}", {"callControl": None})
    assert cleared.data["callControl"] is None

    deleted = await api.delete(f"/agents/{agent['id']}")
    assert deleted.data == {"id": agent["id"], "deleted": True}
    gone = await api.get(f"/agents/{agent['id']}")
    assert gone.status == 404 and gone.code == "not_found"


async def test_bad_agent_input(api: Api) -> None:
    missing = await api.post("/agents", {"greeting": "hi"})
    assert missing.status == 400 and missing.fields == ["name"]
    wrong = await api.post(
        "/agents", {"name": "x", "voice": {"speakingRate": "fast"}, "colour": "red"}
    )
    assert wrong.status == 400 and wrong.fields == ["colour", "voice.speakingRate"]
    created = (await api.post("/agents", {"name": "x"})).data
    empty = await api.patch(f"/agents/{created['id']}", {})
    assert empty.status == 400 and empty.fields == ["body"]
    output_only = await api.patch(f"/agents/{created['id']}", {"id": "agt_other"})
    assert output_only.status == 400 and output_only.fields == ["id"]
    bad_rule = await api.patch(
        f"/agents/{created['id']}",
        {"handoffConfig": {"transferRules": [{"label": "a", "when": "b", "destination": "nope"}]}},
    )
    assert bad_rule.status == 400
    assert bad_rule.fields == ["handoffConfig.transferRules[0].destination"]
    bad_zone = await api.patch(
        f"/agents/{created['id']}", {"businessHours": {"timeZone": "Mars/Olympus_Mons"}}
    )
    assert bad_zone.status == 400 and bad_zone.fields == ["businessHours.timeZone"]


async def test_publish_versions_rollback_diff(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava", "greeting": "one"})).data
    path = f"/agents/{agent['id']}"
    v1 = await api.post(f"{path}/publish", {"note": "first"})
    assert v1.status == 201
    assert v1.data["version"] == 1 and v1.data["note"] == "first"
    assert v1.data["rolledBackFrom"] is None
    assert v1.data["snapshot"]["agent"]["greeting"] == "one"
    assert set(v1.data) == {"version", "note", "createdAt", "snapshot", "rolledBackFrom"}

    await api.patch(path, {"greeting": "two"})
    v2 = await api.post(f"{path}/publish")  # no body: the note is optional
    assert v2.data["version"] == 2
    assert (await api.get(path)).data["publishedVersion"] == 2

    versions = await api.get(f"{path}/versions")
    assert [v["version"] for v in versions.data] == [2, 1]

    diff = await api.get(f"{path}/versions/2/diff")
    changes = {c["field"]: c for c in diff.data}
    assert changes["agent.greeting"] == {
        "field": "agent.greeting", "before": "one", "after": "two", "kind": "changed",
    }  # fmt: skip

    rolled = await api.post(f"{path}/rollback", {"versionId": 1})
    assert rolled.data["version"] == 3 and rolled.data["rolledBackFrom"] == 1
    assert (await api.get(path)).data["greeting"] == "one"
    against = await api.get(f"{path}/versions/3/diff?against=1")
    assert against.data == []

    bad = await api.post(f"{path}/rollback", {"versionId": "1"})
    assert bad.status == 400 and bad.fields == ["versionId"]
    missing = await api.post(f"{path}/rollback", {"versionId": 99})
    assert missing.status == 404
    bad_path = await api.get(f"{path}/versions/abc/diff")
    assert bad_path.status == 400 and bad_path.fields == ["versionId"]


async def test_prepublish_report_says_what_the_agent_will_and_wont_disclose(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    path = f"/agents/{agent['id']}"
    bare = (await api.get(f"{path}/prepublish-report")).data
    assert set(bare) == {"will", "wont", "dataFlows", "guardrails", "warnings"}
    assert any("No enabled skills" in w for w in bare["warnings"])
    assert any("not published" in w for w in bare["warnings"])

    connect = {"credentials": {"shop": "demo.myshopify.com", "access_token": "shpat_0123456789"}}
    assert (await api.post("/integrations/shopify/connect", connect)).status in (200, 201)
    assert (await api.post(f"{path}/integrations/shopify/provision", {})).status in (200, 201)
    await api.post(f"{path}/publish", {})
    report = (await api.get(f"{path}/prepublish-report")).data
    assert any(f.startswith("lookup_order sends email, order_number") for f in report["dataFlows"])
    assert any("tracking_number" in w for w in report["wont"])
    assert any("order number plus" in g for g in report["guardrails"])
    assert not any("not published" in w for w in report["warnings"])
    assert "shpat_0123456789" not in str(report)


async def test_paging_with_limit_and_cursor(api: Api) -> None:
    ids = [(await api.post("/agents", {"name": f"a{i}"})).data["id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await api.get(f"/agents{query}")
        assert len(page.data) <= 2
        seen += [a["id"] for a in page.data]
        pages += 1
        cursor = page.body["nextCursor"]
        if cursor is None:
            break
    assert seen == ids and pages == 3
    for bad in ("0", "-1", "x", "201"):
        reply = await api.get(f"/agents?limit={bad}")
        assert reply.status == 400 and reply.fields == ["limit"], bad
    garbage = await api.get("/agents?cursor=not-a-cursor")
    assert garbage.status == 400 and garbage.fields == ["cursor"]
