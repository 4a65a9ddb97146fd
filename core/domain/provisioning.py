"""What provisioning the Shopify lookup puts on an agent's draft: the skill and the
secure defaults (verified identity, order_match with 3 attempts, every order detail
behind verification)."""

from __future__ import annotations

import copy
from typing import Any

ORDER_FIELDS = (
    "status",
    "financial_status",
    "fulfillment_status",
    "cancelled",
    "shipments",
    "carrier",
    "tracking_number",
    "tracking_url",
    "estimated_delivery",
    "delivered_at",
    "latest_event",
    "line_items",
    "status_page_url",
)


# What lookup_order asks of the customer: its parameters as JSON Schema.
LOOKUP_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order_number": {"type": "string", "description": "The order number, e.g. #1001"},
        "email": {"type": "string", "description": "The email address on the order"},
        "phone": {"type": "string", "description": "The phone number on the order"},
        "postal_code": {"type": "string", "description": "The shipping postcode"},
    },
    "required": ["order_number"],
}


def lookup_order_skill(description: str) -> dict[str, Any]:
    return {
        "display_name": "lookup_order",
        "description": description,
        "skill_type": "native_graphql",
        "parameters_schema": copy.deepcopy(LOOKUP_PARAMETERS),
        "required_params": ["order_number"],
        "execution_config": {"integration": "integrations/shopify", "action": "lookup_order"},
        "allowed_fields": ["found", *ORDER_FIELDS],
        "is_write": False,
        "requires_verified_identity": True,
        "is_enabled": True,
        "expected_latency_ms": 800,
    }


def disclosure_policy() -> dict[str, Any]:
    fields = {"found": "anyone", **dict.fromkeys(ORDER_FIELDS, "verified")}
    return {
        "policy_type": "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE",
        "applies_to_skill_type": "native_graphql",
        "config": {"fields": fields},
        "is_enabled": True,
    }


def order_match_method(skill_id: str) -> dict[str, Any]:
    return {
        "method": "VERIFICATION_METHOD_ORDER_MATCH",
        "verifier_skill_id": skill_id,
        "required_fields": ["order_number"],
        "token_ttl_seconds": 900,
        "max_attempts": 3,
    }
