"""Every way the store can fail us, each with its own outcome, customer sentence and
integration status; client-credentials refresh; the circuit breaker; no credential leaks."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import traceback

import pytest
from sqlalchemy import update

import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
from core.domain.store_errors import (
    CUSTOMER_DATA_DENIED,
    SHOP_INACTIVE,
    StoreAccessDenied,
    StoreCredentialRejected,
    StoreMisconfigured,
    StoreNotConnected,
    StoreOutcome,
    StoreTemporarilyUnavailable,
    StoreUnavailable,
    merchant_words,
)
from core.engine.packs import available, pack
from core.engine.wording import wording_for
from core.shopify.lookup import OrderLookup
from core.store.tables import IntegrationRow
from tests.core.helpers import auth

from .conftest import CLIENT_ID, CLIENT_SECRET, FAST, SHOP, connect, control, set_faults

API_STATUS = {
    "connected": pb.INTEGRATION_STATUS_CONNECTED,
    "needs_credential": pb.INTEGRATION_STATUS_NEEDS_CREDENTIAL,
    "unavailable": pb.INTEGRATION_STATUS_UNAVAILABLE,
    "misconfigured": pb.INTEGRATION_STATUS_MISCONFIGURED,
}


def assert_speakable(outcome: StoreOutcome) -> None:
    for language in available():
        sentence = pack(language).lines[outcome.customer_line]
        assert 20 < len(sentence) < 200
        for internal in ("HTTP", "401", "402", "403", "404", "423", "token", "API", "GraphQL"):
            assert internal not in sentence


@pytest.mark.parametrize(
    ("faults", "outcome", "status"),
    [
        ({"paymentRequired": True}, StoreUnavailable, "unavailable"),
        ({"locked": True}, StoreUnavailable, "unavailable"),
        ({"forbidden": True}, StoreMisconfigured, "misconfigured"),
        ({"notFound": True}, StoreMisconfigured, "misconfigured"),
        ({"failRate": 1.0}, StoreTemporarilyUnavailable, "unavailable"),
        ({"failRate": 1.0, "failStatus": 500}, StoreTemporarilyUnavailable, "unavailable"),
        ({"dropRate": 1.0}, StoreTemporarilyUnavailable, "unavailable"),
        ({"latencyMs": 800}, StoreTemporarilyUnavailable, "unavailable"),
    ],
    ids=["402", "423", "403", "404", "5xx", "500", "dropped", "timeout"],
)
async def test_store_states_give_their_outcome_and_status(
    core, demo_store, faults, outcome, status
):
    store = await demo_store()
    options = dataclasses.replace(FAST, total_timeout=0.2, max_transient_retries=1)
    shop = await connect(core, store, options=options)
    await set_faults(store, **faults)
    with pytest.raises(outcome) as raised:
        await shop.lookup.by_name(shop.org_id, "1001")
    assert type(raised.value) is outcome
    assert_speakable(raised.value)
    assert raised.value.integration_status == status
    assert await shop.status() == status
    assert await shop.api_status() == API_STATUS[status]
    # The store recovers: the next lookup succeeds and the integration is connected again.
    await control(store, "DELETE", "faults")
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    assert order.name == "#1001"
    assert await shop.status() == "connected"


@pytest.mark.parametrize(
    ("faults", "outcome", "reason", "status"),
    [
        (
            {"scopes": ["read_fulfillments"]},
            StoreAccessDenied,
            "STORE_ACCESS_DENIED",
            "misconfigured",
        ),
        ({"customerDataDenied": True}, StoreAccessDenied, CUSTOMER_DATA_DENIED, "misconfigured"),
        ({"shopInactive": True}, StoreUnavailable, SHOP_INACTIVE, "unavailable"),
    ],
    ids=["no read_orders", "no customer data", "shop inactive"],
)
async def test_graphql_refusals_answered_200_are_the_merchants_to_fix(
    core, demo_store, faults, outcome, reason, status
):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, **faults)
    for ask in (
        lambda: shop.lookup.by_name(shop.org_id, "1001"),
        lambda: shop.lookup.check(shop.org_id),
    ):
        # Never an empty answer ("no such order"): the store could not say.
        with pytest.raises(outcome) as raised:
            await ask()
        assert type(raised.value) is outcome and raised.value.reason == reason
        assert_speakable(raised.value)
    assert shop.client.requests_sent == 2  # not retried: asking again would not change it
    integration = await shop.integration()
    assert integration.status == API_STATUS[status]
    assert integration.status_reason == reason
    assert integration.status_message == merchant_words(reason)
    # Fixed by the merchant: the next lookup works and the integration says so.
    await control(store, "DELETE", "faults")
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    assert order.name == "#1001"
    integration = await shop.integration()
    assert integration.status == pb.INTEGRATION_STATUS_CONNECTED
    assert (integration.status_reason, integration.status_message) == ("", "")


async def test_transient_failures_are_retried(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, failNext=1, dropNext=1)
    [order] = await shop.lookup.by_name(shop.org_id, "1002")
    assert order.name == "#1002" and shop.client.requests_sent == 3
    assert await shop.status() == "connected"


async def test_a_rejected_access_token_needs_a_credential_without_a_refresh(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, token="shpat_not_a_token_of_this_store")
    with pytest.raises(StoreCredentialRejected) as raised:
        await shop.lookup.by_name(shop.org_id, "1001")
    assert_speakable(raised.value)
    assert shop.client.requests_sent == 1 and shop.client.tokens.exchanges == 0
    assert await shop.status() == "needs_credential"
    assert await shop.api_status() == pb.INTEGRATION_STATUS_NEEDS_CREDENTIAL


async def test_client_credentials_exchange_then_refresh_once_on_401(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    assert order.name == "#1001" and shop.client.tokens.exchanges == 1
    await shop.lookup.by_name(shop.org_id, "1002")
    assert shop.client.tokens.exchanges == 1  # the exchanged token is reused
    await control(store, "POST", "tokens/expire", {})
    [order] = await shop.lookup.by_name(shop.org_id, "1003")
    assert order.name == "#1003" and shop.client.tokens.exchanges == 2
    assert await shop.status() == "connected"


async def test_concurrent_401s_share_one_refresh(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    await shop.lookup.by_name(shop.org_id, "1001")
    await control(store, "POST", "tokens/expire", {})
    await set_faults(store, latencyMs=50)
    names = ["1001", "1002", "1003", "1004"]
    results = await asyncio.gather(*(shop.lookup.by_name(shop.org_id, n) for n in names))
    assert [r[0].name for r in results] == ["#1001", "#1002", "#1003", "#1004"]
    assert shop.client.tokens.exchanges == 2


async def test_a_token_still_refused_after_the_refresh_needs_a_credential(core, demo_store):
    store = await demo_store(token_ttl=0)  # every issued token is dead on arrival
    shop = await connect(core, store, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with pytest.raises(StoreCredentialRejected):
        await shop.lookup.by_name(shop.org_id, "1001")
    assert shop.client.tokens.exchanges == 2  # the first token, and exactly one refresh
    assert shop.client.requests_sent == 4  # two exchanges, two queries
    assert await shop.status() == "needs_credential"


async def test_a_lookup_ends_at_its_deadline_even_inside_a_token_exchange(core, demo_store):
    """The frontends' deadlines are derived from the lookup's (flowyte.deadlines): nothing
    the lookup waits on, a slow token exchange included, may outlast it."""
    store = await demo_store(latency_ms=1500)
    bounded = dataclasses.replace(FAST, deadline=0.3)  # each attempt alone may take 5 s
    shop = await connect(
        core, store, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, options=bounded
    )
    with pytest.raises(StoreTemporarilyUnavailable):
        await shop.lookup.by_name(shop.org_id, "1001")
    assert shop.client.tokens.exchanges == 0  # given up in the middle of the exchange


async def test_refused_client_credentials_need_a_credential(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, client_id=CLIENT_ID, client_secret="shpss_wrong_secret")
    with pytest.raises(StoreCredentialRejected):
        await shop.lookup.by_name(shop.org_id, "1001")
    assert shop.client.tokens.exchanges == 0 and shop.client.requests_sent == 1
    assert await shop.status() == "needs_credential"


async def test_the_circuit_opens_after_repeated_failures_and_closes_after_a_trial(core, demo_store):
    store = await demo_store()
    options = dataclasses.replace(FAST, breaker_threshold=2, breaker_cooldown=0.3)
    shop = await connect(core, store, options=options)
    await set_faults(store, failRate=1.0)
    for _ in range(2):
        with pytest.raises(StoreTemporarilyUnavailable):
            await shop.lookup.by_name(shop.org_id, "1001")
    sent = shop.client.requests_sent
    with pytest.raises(StoreTemporarilyUnavailable) as raised:
        await shop.lookup.by_name(shop.org_id, "1001")
    assert raised.value.reason == "STORE_CIRCUIT_OPEN"
    assert shop.client.requests_sent == sent  # answered without calling the store
    await control(store, "DELETE", "faults")
    await asyncio.sleep(0.35)
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    assert order.name == "#1001" and await shop.status() == "connected"


async def test_no_integration_is_its_own_outcome(core):
    org_id = await core.new_org()
    lookup = OrderLookup(core.handle.runtime, options=FAST)
    with pytest.raises(StoreNotConnected) as raised:
        await lookup.by_name(org_id, "1001")
    assert raised.value.integration_status is None
    assert_speakable(raised.value)


async def test_another_orgs_store_is_never_used(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    other = await core.new_org()
    with pytest.raises(StoreNotConnected):
        await shop.lookup.by_name(other, "1001")


CANARY_TOKEN = "shpat_CANARY_lookup_5f4e3d2c1b0a"
CANARY_SECRET = "shpss_CANARY_lookup_9a8b7c6d5e4f"


async def test_credentials_never_reach_logs_exceptions_or_reprs(core, demo_store, caplog):
    caplog.set_level(logging.DEBUG)
    store = await demo_store()
    texts: list[str] = []
    by_token = await connect(core, store, token=CANARY_TOKEN)
    by_client = await connect(core, store, client_id=CLIENT_ID, client_secret=CANARY_SECRET)
    for shop in (by_token, by_client):
        with pytest.raises(StoreCredentialRejected) as raised:
            await shop.lookup.by_name(shop.org_id, "1001")
        error = raised.value
        texts += [
            str(error),
            repr(error),
            wording_for("en").line(error.customer_line),
            error.message,
        ]
        texts.append("".join(traceback.format_exception(error)))
        texts += [repr(shop.lookup), repr(shop.client), repr(shop.client.tokens)]
    # A working client-credentials integration holds a real exchanged token: not shown either.
    good = await connect(core, store, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    await good.lookup.by_name(good.org_id, "1001")
    [held] = good.client.tokens._held.values()
    texts += [repr(good.lookup), repr(good.client), repr(good.client.tokens), repr(held)]
    everything = "\n".join([*texts, caplog.text])
    for secret in (CANARY_TOKEN, CANARY_SECRET, CLIENT_SECRET, store.access_token, held.token):
        assert secret not in everything


async def test_a_reconnect_during_a_failing_lookup_keeps_the_new_status(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, token="shpat_stale_token_about_to_be_replaced")
    await set_faults(store, latencyMs=200)
    failing = asyncio.create_task(shop.lookup.by_name(shop.org_id, "1001"))
    await asyncio.sleep(0.05)
    async with core.channel() as channel:
        await pb_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                api_base_url=store.url,
                credentials=pb.IntegrationCredentials(shop=SHOP, access_token=store.access_token),
            ),
            metadata=auth(shop.key),
        )
    with pytest.raises(StoreCredentialRejected):
        await failing
    # The verdict was on the old credentials: the reconnected integration is not marked.
    assert await shop.status() == "connected"
    assert await shop.lookup.by_name(shop.org_id, "1001")


async def test_credentials_that_do_not_open_need_a_reconnect(core, demo_store):
    store = await demo_store()
    first = await connect(core, store)
    second = await connect(core, store)
    # Another row's ciphertext: bound to that row, so it must not open here.
    moved = (await second.row()).sealed_credentials
    async with core.handle.runtime.sessions() as session:
        await session.execute(
            update(IntegrationRow)
            .where(IntegrationRow.org_id == first.org_id)
            .values(sealed_credentials=moved)
        )
        await session.commit()
    with pytest.raises(StoreCredentialRejected) as raised:
        await first.lookup.by_name(first.org_id, "1001")
    assert raised.value.reason == "STORE_CREDENTIAL_UNREADABLE"
    assert first.client.requests_sent == 0
    assert await first.status() == "needs_credential"
