"""Which pages exist and which permission opens each; app.py builds st.navigation from this."""

from __future__ import annotations

from dataclasses import dataclass

from services import auth_model as p


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    permission: str
    section: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/orders.py", "Orders", ":material/shopping_cart:", p.VIEW_ORDERS, "Business"),
    PageSpec("pages/conversations.py", "Conversations", ":material/forum:", p.VIEW_CONVERSATIONS, "Support"),
    PageSpec("pages/assistant.py", "Assistant", ":material/smart_toy:", p.USE_ASSISTANT, "Support"),
    PageSpec("pages/ai_costs.py", "AI costs", ":material/payments:", p.VIEW_AI_COSTS, "Finance"),
    PageSpec("pages/budget.py", "Budget alerts", ":material/notifications:", p.VIEW_BUDGET, "Finance"),
    PageSpec("pages/audit_log.py", "Audit log", ":material/policy:", p.VIEW_AUDIT, "Admin"),
)


def pages_for(permissions: frozenset[str]) -> dict[str, list[PageSpec]]:
    """Returns the pages a user may open, grouped by section in display order."""
    sections: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        if spec.permission in permissions:
            sections.setdefault(spec.section, []).append(spec)
    return sections
