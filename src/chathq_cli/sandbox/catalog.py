"""The portal's fixed catalogue: packages, pay-as-you-go prices, integration types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlanSpec:
    id: str
    name: str
    price_cents: int
    message_limit: int
    bot_limit: int
    features: tuple[str, ...]


PLANS: dict[str, PlanSpec] = {
    "connect": PlanSpec(
        "connect",
        "Connect",
        2900,
        1_000,
        1,
        ("Shared inbox", "Live chat widget", "1 chatbot", "E-mail support"),
    ),
    "interact": PlanSpec(
        "interact",
        "Interact",
        9900,
        10_000,
        5,
        (
            "Everything in Connect",
            "5 chatbots",
            "WhatsApp and SMS channels",
            "Integrations",
            "Reports",
        ),
    ),
    "transact": PlanSpec(
        "transact",
        "Transact",
        29900,
        50_000,
        20,
        (
            "Everything in Interact",
            "20 chatbots",
            "AI voice calls",
            "Payments in chat",
            "Priority support",
            "SSO",
        ),
    ),
}


@dataclass(frozen=True)
class UnitPrice:
    unit: str
    cents: int
    per: str
    description: str


UNIT_PRICES: dict[str, UnitPrice] = {
    "sms": UnitPrice("sms", 1, "message", "SMS, per message"),
    "calls": UnitPrice("calls", 6, "minute", "AI calls, per started minute"),
    "chat": UnitPrice("chat", 1, "turn", "Agent chat turns, per turn"),
    "numbers": UnitPrice("numbers", 200, "month", "Phone numbers, per number per month"),
}


def _field(
    name: str, label: str, type: str, required: bool = False, choices: list[str] | None = None
) -> dict[str, Any]:
    return {"name": name, "label": label, "type": type, "required": required, "choices": choices}


INTEGRATION_TYPES: dict[str, dict[str, Any]] = {
    "slack": {
        "name": "Slack",
        "description": "Post new conversations and mentions to a Slack channel.",
        "settings_schema": [
            _field("workspace", "Workspace", "string", True),
            _field("channel", "Channel", "string", True),
            _field("bot_token", "Bot token", "secret", True),
            _field("notify_on", "Notify on", "enum", False, ["all", "mentions", "none"]),
        ],
    },
    "zendesk": {
        "name": "Zendesk",
        "description": "Turn conversations into Zendesk tickets.",
        "settings_schema": [
            _field("subdomain", "Subdomain", "string", True),
            _field("email", "Agent e-mail", "email", True),
            _field("api_token", "API token", "secret", True),
        ],
    },
    "salesforce": {
        "name": "Salesforce",
        "description": "Sync contacts and leads with Salesforce.",
        "settings_schema": [
            _field("instance_url", "Instance URL", "url", True),
            _field("client_id", "Client ID", "string", True),
            _field("client_secret", "Client secret", "secret", True),
            _field("sandbox", "Salesforce sandbox org", "bool"),
        ],
    },
    "whatsapp": {
        "name": "WhatsApp Business",
        "description": "Answer WhatsApp messages from the shared inbox.",
        "settings_schema": [
            _field("phone_number_id", "Phone number ID", "string", True),
            _field("access_token", "Access token", "secret", True),
            _field("business_account_id", "Business account ID", "string"),
        ],
    },
    "webhook": {
        "name": "Webhook",
        "description": "POST events to your own HTTPS endpoint.",
        "settings_schema": [
            _field("url", "Endpoint URL", "url", True),
            _field("signing_secret", "Signing secret", "secret"),
            _field("events", "Events", "enum", False, ["all", "messages", "tickets"]),
        ],
    },
    "shopify": {
        "name": "Shopify",
        "description": "Show orders and customers next to conversations.",
        "settings_schema": [
            _field("shop_domain", "Shop domain", "string", True),
            _field("access_token", "Admin API access token", "secret", True),
            _field("sync_orders", "Sync orders", "bool"),
        ],
    },
}


def cents_to_str(cents: int) -> str:
    """Integer cents as an exact decimal string: 1234 -> "12.34", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def money(cents: int) -> dict[str, str]:
    return {"amount": cents_to_str(cents), "currency": "usd"}
