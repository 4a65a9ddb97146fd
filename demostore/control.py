"""The control API: live changes to a running demo store, for tests and demos.

No Shopify token; answered only to loopback peers (403 otherwise), whatever address the
store listens on. Bodies and answers are JSON. `{order}` is an order number (`1001`), a
numeric id, or a URL-encoded gid or name (`%231001`); `{fulfillment}` is a fulfillment's
gid, numeric id, name (`#1001-F1`) or suffix (`F1`). Times are ISO-8601 (default: now).

    GET    /_demo/state                    shop, orders, faults, buckets, credentials
    POST   /_demo/reset                    data, faults and buckets back to the start
    GET    /_demo/faults                   the fault settings (see faults.py)
    PATCH  /_demo/faults                   change some: {"locked": true, "failNext": 2}
    DELETE /_demo/faults                   all faults off
    POST   /_demo/bucket/reset             refill every bucket; optionally reconfigure:
                                           {"capacity", "restoreRate", "maxQueryCost"}
    POST   /_demo/tokens/expire            expire issued OAuth tokens now ({"token"}: one)
    POST   /_demo/orders                   add an order (a Shopify Order object)
    GET    /_demo/orders/{order}           one order as stored
    POST   /_demo/orders/{order}/events    a carrier event on a fulfillment:
                                           {"status", "fulfillment"?, "happenedAt"?,
                                            "message"?, "city"?, "province"?, "country"?,
                                            "estimatedDeliveryAt"?}; displayStatus and
                                           inTransitAt/deliveredAt follow
    POST   /_demo/orders/{order}/fulfillments/{fulfillment}/events   the same
    POST   /_demo/orders/{order}/deliver   a DELIVERED event: {"fulfillment"?, "happenedAt"?,
                                           "message"?, "city"?, "province"?, "country"?}
    POST   /_demo/orders/{order}/cancel    {"reason"?: CUSTOMER, "refund"?: false,
                                            "cancelledAt"?}
    POST   /_demo/orders/{order}/fulfillments   a new shipment: {"trackingInfo": [{"company",
                                           "number", "url"}], "status"?: SUCCESS,
                                           "displayStatus"?: CONFIRMED, "createdAt"?,
                                           "estimatedDeliveryAt"?, "events"?: [...],
                                           "orderDisplayFulfillmentStatus"?: FULFILLED}
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from demostore.faults import FaultsError
from demostore.state import DemoStore
from demostore.store_file import DemoStoreDataError, Json, NotFoundError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _reply(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False))


def _problem(status: int, message: str) -> web.Response:
    return _reply({"error": message}, status)


def _is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


async def _body(request: web.Request) -> Json:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise DemoStoreDataError("the body is not JSON") from None
    if not isinstance(body, dict):
        raise DemoStoreDataError("the body must be a JSON object")
    return body


def _optional_str(body: Json, key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise DemoStoreDataError(f"{key} must be a string")
    return value


def add_control_routes(app: web.Application, store_key: web.AppKey[DemoStore]) -> None:
    def store_of(request: web.Request) -> DemoStore:
        return request.app[store_key]

    def route(handler: Callable[[web.Request, DemoStore], Awaitable[Any]]) -> Handler:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            if not _is_loopback(request.remote):
                return _problem(403, "the control API answers only on loopback")
            try:
                result = await handler(request, store_of(request))
            except NotFoundError as exc:
                return _problem(404, str(exc))
            except (DemoStoreDataError, FaultsError, ValueError) as exc:
                return _problem(400, str(exc))
            return result if isinstance(result, web.StreamResponse) else _reply(result)

        return wrapped

    async def state(request: web.Request, store: DemoStore) -> Any:
        return store.describe()

    async def reset(request: web.Request, store: DemoStore) -> Any:
        store.reset()
        return {"reset": True}

    async def get_faults(request: web.Request, store: DemoStore) -> Any:
        return store.faults.to_dict()

    async def set_faults(request: web.Request, store: DemoStore) -> Any:
        store.faults.update(await _body(request))
        return store.faults.to_dict()

    async def clear_faults(request: web.Request, store: DemoStore) -> Any:
        store.faults.reset()
        return store.faults.to_dict()

    async def reset_bucket(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        for key in ("capacity", "restoreRate", "maxQueryCost"):
            value = body.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise DemoStoreDataError(f"{key} must be a number")
        max_cost = body.get("maxQueryCost")
        store.buckets.configure(
            capacity=body.get("capacity"),
            restore_rate=body.get("restoreRate"),
            max_query_cost=None if max_cost is None else int(max_cost),
        )
        store.buckets.reset()
        return {
            "maximumAvailable": store.buckets.capacity,
            "restoreRate": store.buckets.restore_rate,
            "singleQueryMaxCost": store.buckets.single_query_limit,
        }

    async def expire_tokens(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        return {"expired": store.credentials.expire_issued(_optional_str(body, "token"))}

    async def add_order(request: web.Request, store: DemoStore) -> Any:
        return _reply(store.data.add_order(await _body(request)), 201)

    async def get_order(request: web.Request, store: DemoStore) -> Any:
        return store.data.find_order(request.match_info["order"])

    async def add_event(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        fulfillment = request.match_info.get("fulfillment") or _optional_str(body, "fulfillment")
        status = _optional_str(body, "status")
        if not status:
            raise DemoStoreDataError("status is required, e.g. IN_TRANSIT or DELIVERED")
        event = {
            key: _optional_str(body, key)
            for key in ("status", "happenedAt", "message", "city", "province", "country", "zip")
        }
        order_ref = request.match_info["order"]
        store.data.add_event(
            order_ref,
            fulfillment,
            event,
            estimated_delivery_at=_optional_str(body, "estimatedDeliveryAt"),
        )
        return store.data.find_order(order_ref)

    async def deliver(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        order_ref = request.match_info["order"]
        store.data.mark_delivered(
            order_ref,
            _optional_str(body, "fulfillment"),
            happened_at=_optional_str(body, "happenedAt"),
            message=_optional_str(body, "message") or "Delivered",
            city=_optional_str(body, "city"),
            province=_optional_str(body, "province"),
            country=_optional_str(body, "country"),
        )
        return store.data.find_order(order_ref)

    async def cancel(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        refund = body.get("refund", False)
        if not isinstance(refund, bool):
            raise DemoStoreDataError("refund must be true or false")
        return store.data.cancel_order(
            request.match_info["order"],
            reason=_optional_str(body, "reason") or "CUSTOMER",
            refund=refund,
            cancelled_at=_optional_str(body, "cancelledAt"),
        )

    async def add_fulfillment(request: web.Request, store: DemoStore) -> Any:
        body = await _body(request)
        tracking = body.get("trackingInfo", [])
        events = body.get("events", [])
        if not isinstance(tracking, list) or not all(isinstance(t, dict) for t in tracking):
            raise DemoStoreDataError("trackingInfo must be a list of {company, number, url}")
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise DemoStoreDataError("events must be a list of fulfillment events")
        order_ref = request.match_info["order"]
        store.data.add_fulfillment(
            order_ref,
            tracking_info=tracking,
            status=_optional_str(body, "status") or "SUCCESS",
            display_status=body.get("displayStatus", "CONFIRMED"),
            created_at=_optional_str(body, "createdAt"),
            estimated_delivery_at=_optional_str(body, "estimatedDeliveryAt"),
            events=events,
            order_display_fulfillment_status=body.get("orderDisplayFulfillmentStatus", "FULFILLED"),
        )
        return _reply(store.data.find_order(order_ref), 201)

    r = app.router
    r.add_get("/_demo/state", route(state))
    r.add_post("/_demo/reset", route(reset))
    r.add_get("/_demo/faults", route(get_faults))
    r.add_patch("/_demo/faults", route(set_faults))
    r.add_put("/_demo/faults", route(set_faults))
    r.add_post("/_demo/faults", route(set_faults))
    r.add_delete("/_demo/faults", route(clear_faults))
    r.add_post("/_demo/bucket/reset", route(reset_bucket))
    r.add_post("/_demo/tokens/expire", route(expire_tokens))
    r.add_post("/_demo/orders", route(add_order))
    r.add_get("/_demo/orders/{order}", route(get_order))
    r.add_post("/_demo/orders/{order}/events", route(add_event))
    r.add_post("/_demo/orders/{order}/fulfillments/{fulfillment}/events", route(add_event))
    r.add_post("/_demo/orders/{order}/deliver", route(deliver))
    r.add_post("/_demo/orders/{order}/cancel", route(cancel))
    r.add_post("/_demo/orders/{order}/fulfillments", route(add_fulfillment))
