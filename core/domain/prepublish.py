"""The prepublish report: what an agent will and won't do, in a merchant's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .store_errors import StoreOutcome

_POLICY_WORDS = {
    "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE": "Order details are disclosed only as allowed per field",
    "POLICY_TYPE_ALLOWED_FIELDS": "Only listed result fields ever reach a reply",
    "POLICY_TYPE_WRITE_GATE": "Skills that change something need the customer's confirmation",
    "POLICY_TYPE_RATE_LIMIT": "Skill calls are rate limited",
    "POLICY_TYPE_BUSINESS_HOURS": "Behaviour changes outside business hours",
    "POLICY_TYPE_CONTENT_POLICY": "A content policy applies",
}
_METHOD_WORDS = {
    "VERIFICATION_METHOD_ORDER_MATCH": "the order number plus the order's email, phone or "
    "shipping postcode",
    "VERIFICATION_METHOD_CALLER_ID": "the calling number matching the order's phone (calls only)",
}


@dataclass(frozen=True)
class StoreCheck:
    """What the connected store said when asked just now: its name, or what went wrong; the
    Admin API version asked for, and the one the store answered in."""

    shop_name: str | None = None
    problem: StoreOutcome | None = None
    api_version: str | None = None
    answered_api_version: str | None = None
    # The access scopes the app holds (None: the store did not say).
    access_scopes: frozenset[str] | None = None


def uses_store(snapshot: dict[str, Any]) -> bool:
    """Whether the agent has an enabled skill that looks orders up in the Shopify store."""
    return any(
        skill.get("is_enabled", True)
        and skill.get("skill_type") == "native_graphql"
        and (skill.get("execution_config") or {}).get("integration") == "integrations/shopify"
        for skill in snapshot.get("skills", [])
    )


def _store_words(check: StoreCheck, report: Report) -> None:
    if check.problem is None:
        name = check.shop_name or "the store"
        version = check.answered_api_version or check.api_version
        in_version = f", in Shopify's Admin API {version}" if version else ""
        report.will.append(
            f"Look orders up live in {name} (the store answered just now{in_version})"
        )
        asked, answered = check.api_version, check.answered_api_version
        if asked and answered and answered != asked:
            report.warnings.append(
                f"The store answered in Admin API version {answered}, not the {asked} this "
                f"integration asks for: Shopify serves a version it no longer supports with "
                f"the oldest one it does, which Flowyte was not tested against. Connect the "
                f"store again with a supported version, or none for Flowyte's own."
            )
        if check.access_scopes is not None and "read_all_orders" not in check.access_scopes:
            report.warnings.append(
                "The app was not granted read_all_orders, so Shopify shows it only the last "
                "60 days of orders: a customer asking about an older order will hear that it "
                "can't be found. Grant the app read_all_orders (reinstall it with that scope)."
            )
        return
    report.warnings.append(
        f"The store could not be asked about an order just now. {check.problem.merchant_message}"
    )


@dataclass
class Report:
    will: list[str] = field(default_factory=list)
    wont: list[str] = field(default_factory=list)
    data_flows: list[str] = field(default_factory=list)
    guardrails: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(
    snapshot: dict[str, Any],
    connected_integrations: set[str],
    draft_is_published: bool,
    store: StoreCheck | None = None,
) -> Report:
    """`snapshot` is the draft in AgentSnapshot form (contract field names); `store`, what
    the connected store said when asked just now (None: it was not asked)."""
    report = Report()
    agent = snapshot.get("agent", {})
    skills = snapshot.get("skills", [])
    policies = [p for p in snapshot.get("guardrails", []) if p.get("is_enabled", True)]
    methods = snapshot.get("caller_verification", [])

    if agent.get("greeting"):
        report.will.append(f"Open with: \u201c{agent['greeting']}\u201d")
    else:
        report.warnings.append("No greeting is set: the agent opens with a generic one.")
    brain = (agent.get("brain") or {}).get("kind", "BRAIN_KIND_BUILTIN")
    report.will.append(
        "Reply with an LLM, falling back to the built-in brain when it fails"
        if brain == "BRAIN_KIND_LLM"
        else "Reply with the built-in brain (no outside model)"
    )
    for skill in skills:
        _describe_skill(skill, report, connected_integrations)
    if store is not None:
        _store_words(store, report)
    if not any(s.get("is_enabled", True) for s in skills):
        report.warnings.append("No enabled skills: the agent can only talk, not look anything up.")

    for policy in policies:
        words = _POLICY_WORDS.get(policy.get("policy_type", ""), policy.get("policy_type", ""))
        report.guardrails.append(f"{words}: {_config_words(policy.get('config', {}))}")
        if policy.get("policy_type") == "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE":
            verified = sorted(
                name
                for name, level in policy.get("config", {}).get("fields", {}).items()
                if level == "verified"
            )
            if verified:
                report.wont.append(
                    "Say any of these before the customer is verified: " + ", ".join(verified)
                )
    for method in methods:
        words = _METHOD_WORDS.get(method.get("method", ""), method.get("method", ""))
        report.guardrails.append(
            f"Customers are verified by {words}; {method.get('max_attempts', 3)} failed tries "
            f"lock the order and offer a person; a verification lasts "
            f"{method.get('token_ttl_seconds', 900) // 60} minutes"
        )
    needs_identity = [s["display_name"] for s in skills if s.get("requires_verified_identity")]
    if needs_identity and not methods:
        report.warnings.append(
            f"{', '.join(needs_identity)} require a verified customer, but no caller "
            "verification method is configured: they will never run."
        )
    if not draft_is_published:
        report.warnings.append("The draft has changes that are not published yet.")
    return report


def _describe_skill(skill: dict[str, Any], report: Report, connected: set[str]) -> None:
    name = skill.get("display_name", "")
    if not skill.get("is_enabled", True):
        report.wont.append(f"Use {name} (disabled)")
        return
    params = ", ".join(sorted((skill.get("parameters_schema") or {}).get("properties", {})))
    config = skill.get("execution_config") or {}
    kind = skill.get("skill_type", "")
    report.will.append(f"Use {name}: {skill.get('description') or 'no description'}")
    if kind == "native_graphql":
        integration = str(config.get("integration", ""))
        report.data_flows.append(f"{name} sends {params or 'nothing'} to {integration}")
        if integration.removeprefix("integrations/") not in connected:
            report.warnings.append(f"{name} needs {integration}, which is not connected.")
        if not skill.get("requires_verified_identity"):
            report.warnings.append(
                f"{name} does not require a verified customer: anyone who knows an order "
                "number could hear about it."
            )
    elif kind == "http_webhook":
        report.data_flows.append(
            f"{name} sends {params or 'nothing'} to {config.get('url')} ({config.get('method')})"
        )
    elif kind == "transfer":
        report.data_flows.append(
            f"{name} transfers the conversation to {config.get('destination')}"
        )
    elif kind == "builtin":
        report.data_flows.append(f"{name} stays inside Flowyte ({config.get('action')})")


def _config_words(config: dict[str, Any]) -> str:
    if not config:
        return "default settings"
    parts = []
    for key, value in sorted(config.items()):
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "none"
        parts.append(f"{key}: {value}")
    return "; ".join(parts)
