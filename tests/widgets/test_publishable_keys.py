"""Publishable keys over gRPC: the team's side (create, list, get, update, rotate with a
grace window, delete), scopes, and other organizations' keys looking missing."""

from __future__ import annotations

from datetime import timedelta

import grpc
from google.protobuf import field_mask_pb2

from core.domain.widgets import ROTATION_GRACE_MS
from flowyte.clock import FixedClock
from flowyte.v1 import widget_service_pb2 as pb
from tests.conftest import CoreFixture
from tests.core.helpers import auth, error_fields, error_reason, expect_error

from .conftest import ORIGIN, Shop, new_shop, public


async def _bootstrap(shop: Shop, key: str, origin: str = ORIGIN) -> pb.GetWidgetBootstrapResponse:
    return await shop.stub.GetWidgetBootstrap(
        pb.GetWidgetBootstrapRequest(), metadata=public(key, origin)
    )


async def test_create_list_get_update_delete(shop: Shop) -> None:
    made = await shop.new_key(["https://Shop.Example:443/", "http://localhost:8080"])
    assert made.id.startswith("pkk_") and made.agent_id == shop.agent_id
    assert made.name == f"{shop.parent}/publishableKeys/{made.id}"
    assert made.key_public.startswith("flowyte_pk_live_")
    # origins are kept the way a browser sends them: lower-case host, default port dropped
    assert list(made.allowed_origins) == ["https://shop.example", "http://localhost:8080"]
    assert made.rate_limit_rpm == 30

    listed = await shop.stub.ListPublishableKeys(
        pb.ListPublishableKeysRequest(parent=shop.parent), metadata=shop.auth()
    )
    assert [k.key_public for k in listed.publishable_keys] == [made.key_public]
    got = await shop.stub.GetPublishableKey(
        pb.GetPublishableKeyRequest(name=made.name), metadata=shop.auth()
    )
    assert got.publishable_key == made

    updated = await shop.stub.UpdatePublishableKey(
        pb.UpdatePublishableKeyRequest(
            publishable_key=pb.PublishableKey(
                name=made.name, allowed_origins=["https://other.example"], rate_limit_rpm=5
            ),
            update_mask=field_mask_pb2.FieldMask(paths=["allowed_origins", "rate_limit_rpm"]),
        ),
        metadata=shop.auth(),
    )
    assert list(updated.publishable_key.allowed_origins) == ["https://other.example"]
    assert updated.publishable_key.rate_limit_rpm == 5
    assert updated.publishable_key.display_name == "storefront"
    # the old origin is refused from the next call on
    error = await expect_error(_bootstrap(shop, made.key_public), grpc.StatusCode.PERMISSION_DENIED)
    assert error_reason(error) == "ORIGIN_NOT_ALLOWED"
    assert (await _bootstrap(shop, made.key_public, "https://other.example")).agent_meta

    await shop.stub.DeletePublishableKey(
        pb.DeletePublishableKeyRequest(name=made.name), metadata=shop.auth()
    )
    await expect_error(
        shop.stub.GetPublishableKey(
            pb.GetPublishableKeyRequest(name=made.name), metadata=shop.auth()
        ),
        grpc.StatusCode.NOT_FOUND,
    )
    # deleted: refused at once
    await expect_error(
        _bootstrap(shop, made.key_public, "https://other.example"), grpc.StatusCode.UNAUTHENTICATED
    )


async def test_rotation_keeps_the_old_value_for_the_grace_window(
    shop: Shop, clock: FixedClock
) -> None:
    made = await shop.new_key()
    rotated = (
        await shop.stub.RotatePublishableKey(
            pb.RotatePublishableKeyRequest(name=made.name), metadata=shop.auth()
        )
    ).publishable_key
    assert rotated.id == made.id and rotated.key_public != made.key_public
    assert (await _bootstrap(shop, made.key_public)).agent_meta["agentId"] == shop.agent_id
    assert (await _bootstrap(shop, rotated.key_public)).agent_meta
    clock.advance(timedelta(milliseconds=ROTATION_GRACE_MS + 1))
    await expect_error(_bootstrap(shop, made.key_public), grpc.StatusCode.UNAUTHENTICATED)
    assert (await _bootstrap(shop, rotated.key_public)).agent_meta


async def test_a_second_rotation_ends_the_first_grace_window(shop: Shop) -> None:
    made = await shop.new_key()
    request = pb.RotatePublishableKeyRequest(name=made.name)
    await shop.stub.RotatePublishableKey(request, metadata=shop.auth())
    await shop.stub.RotatePublishableKey(request, metadata=shop.auth())
    await expect_error(_bootstrap(shop, made.key_public), grpc.StatusCode.UNAUTHENTICATED)


async def test_scopes_are_checked(widget_core: CoreFixture, shop: Shop) -> None:
    org = await widget_core.org_of(shop.key)
    reader = await widget_core.new_key(org, ["pubkeys:read"])
    made = await shop.new_key()
    request = pb.CreatePublishableKeyRequest(
        parent=shop.parent,
        publishable_key=pb.PublishableKey(display_name="x", allowed_origins=[ORIGIN]),
    )
    await expect_error(
        shop.stub.CreatePublishableKey(request, metadata=auth(reader)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    await expect_error(
        shop.stub.RotatePublishableKey(
            pb.RotatePublishableKeyRequest(name=made.name), metadata=auth(reader)
        ),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    listed = await shop.stub.ListPublishableKeys(
        pb.ListPublishableKeysRequest(parent=shop.parent), metadata=auth(reader)
    )
    assert len(listed.publishable_keys) == 1
    # a secret key never passes for a publishable one
    await expect_error(
        shop.stub.GetWidgetBootstrap(pb.GetWidgetBootstrapRequest(), metadata=auth(shop.key)),
        grpc.StatusCode.UNAUTHENTICATED,
    )


async def test_other_organizations_keys_look_missing(
    widget_core: CoreFixture, shop: Shop, channel: grpc.aio.Channel
) -> None:
    made = await shop.new_key()
    other = await new_shop(widget_core, channel)
    for call in (
        other.stub.GetPublishableKey(
            pb.GetPublishableKeyRequest(name=made.name), metadata=other.auth()
        ),
        other.stub.RotatePublishableKey(
            pb.RotatePublishableKeyRequest(name=made.name), metadata=other.auth()
        ),
        other.stub.DeletePublishableKey(
            pb.DeletePublishableKeyRequest(name=made.name), metadata=other.auth()
        ),
        other.stub.ListPublishableKeys(
            pb.ListPublishableKeysRequest(parent=shop.parent), metadata=other.auth()
        ),
        # the right key id under another agent is missing too
        shop.stub.GetPublishableKey(
            pb.GetPublishableKeyRequest(name=f"{other.parent}/publishableKeys/{made.id}"),
            metadata=shop.auth(),
        ),
    ):
        await expect_error(call, grpc.StatusCode.NOT_FOUND)
    # and it still works for its owner
    assert (await _bootstrap(shop, made.key_public)).agent_meta


async def test_bad_input_changes_nothing(shop: Shop) -> None:
    for origins, field in (
        ([], "allowed_origins"),
        (["shop.example"], "allowed_origins[0]"),
        (["https://shop.example/path"], "allowed_origins[0]"),
        (["ftp://shop.example"], "allowed_origins[0]"),
    ):
        error = await expect_error(
            shop.stub.CreatePublishableKey(
                pb.CreatePublishableKeyRequest(
                    parent=shop.parent,
                    publishable_key=pb.PublishableKey(display_name="x", allowed_origins=origins),
                ),
                metadata=shop.auth(),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == [field], origins
    await expect_error(
        shop.stub.CreatePublishableKey(
            pb.CreatePublishableKeyRequest(
                parent=shop.parent,
                publishable_key=pb.PublishableKey(
                    display_name="x", allowed_origins=[ORIGIN], rate_limit_rpm=-1
                ),
            ),
            metadata=shop.auth(),
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    listed = await shop.stub.ListPublishableKeys(
        pb.ListPublishableKeysRequest(parent=shop.parent), metadata=shop.auth()
    )
    assert list(listed.publishable_keys) == []
    await expect_error(
        shop.stub.GetPublishableKey(
            pb.GetPublishableKeyRequest(name="agents/x/keys/y"), metadata=shop.auth()
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
