"""The signed-in user as every page sees it, and the permissions roles map to."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Permissions as stored in role_permissions (see migration 0001).
VIEW_ORDERS = "view_orders"
VIEW_CONVERSATIONS = "view_conversations"
REVIEW_AI = "review_ai"
USE_ASSISTANT = "use_assistant"
VIEW_AI_COSTS = "view_ai_costs"
VIEW_BUDGET = "view_budget"
MANAGE_BUDGET = "manage_budget"
VIEW_AUDIT = "view_audit"
EXPORT_DATA = "export_data"
SWITCH_TENANT = "switch_tenant"


@dataclass(frozen=True)
class User:
    """A signed-in user acting for one distributor (an operator may switch distributor_id)."""

    id: str
    email: str
    full_name: str
    role: str
    distributor_id: str
    distributor_name: str
    timezone: str
    currency: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    home_distributor_id: str = ""
    session_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def acting_for(self, distributor_id: str, name: str, timezone: str, currency: str) -> User:
        """Returns this user scoped to another distributor (operators only; the caller checks)."""
        return replace(self, distributor_id=distributor_id, distributor_name=name, timezone=timezone,
                       currency=currency)
