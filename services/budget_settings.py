"""Changing the AI budget: settings validation, settings changes and alert acknowledgements.

Both writes need the manage_budget permission, checked here on the server whatever the page shows, and
write their audit row in the caller's transaction (a tenant_scope connection)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection

from queries import budget as q
from queries.budget import BudgetSettings
from services import audit
from services.auth_model import MANAGE_BUDGET, User
from services.budget import BudgetState, evaluate_month

# A monthly AI budget above this is a typo (an extra zero or two), not a plan.
MAX_BUDGET_USD = Decimal(1_000_000)
MIN_THRESHOLD, MAX_THRESHOLD = 1, 1000
SETTINGS_RESOURCE = "ai_budget_settings"
ALERTS_RESOURCE = "ai_budget_alerts"


class SettingsInvalid(ValueError):
    """Budget settings that cannot be stored; `errors` are messages for the user."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _check_permission(user: User) -> None:
    if not user.can(MANAGE_BUDGET):
        raise PermissionError(f"{user.email} ({user.role}) may not change the AI budget")


def _parse_budget(text: str) -> tuple[Decimal | None, list[str]]:
    cleaned = text.strip().replace("$", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return None, []
    try:
        usd = Decimal(cleaned)
    except InvalidOperation:
        return None, [f"The monthly budget “{text.strip()}” is not an amount in USD (e.g. 250 or 1,500.00)."]
    if not usd.is_finite():
        return None, ["The monthly budget must be an amount in USD."]
    return usd * 100, []


def _parse_thresholds(text: str) -> tuple[tuple[int, ...], list[str]]:
    items = [item for item in re.split(r"[,;\s]+", text.strip()) if item]
    values, errors = [], []
    for item in items:
        digits = item.removesuffix("%")
        if not re.fullmatch(r"\d+", digits):
            errors.append(f"The threshold “{item}” is not a whole percentage (e.g. 50, 80, 100).")
        else:
            values.append(int(digits))
    return tuple(values), errors


def validate(settings: BudgetSettings) -> list[str]:
    """Returns what is wrong with `settings` as messages for the user (empty when they can be stored)."""
    errors = []
    budget = settings.budget_cents
    if budget is not None:
        if budget < 0:
            errors.append("The monthly budget cannot be negative.")
        elif budget == 0:
            errors.append("A monthly budget of $0 would alert on any call: leave it empty for no budget.")
        elif budget > MAX_BUDGET_USD * 100:
            errors.append(f"A monthly budget above ${MAX_BUDGET_USD:,} looks like a typo: check the amount.")
        elif budget != budget.quantize(Decimal(1)):
            errors.append("The monthly budget can have at most two decimals (whole cents).")
    outside = [t for t in settings.thresholds if not MIN_THRESHOLD <= t <= MAX_THRESHOLD]
    if outside:
        errors.append(f"Thresholds must be between {MIN_THRESHOLD}% and {MAX_THRESHOLD}% of the budget: "
                      f"{', '.join(f'{t}%' for t in outside)} is not.")
    duplicated = sorted({t for t in settings.thresholds if settings.thresholds.count(t) > 1})
    if duplicated:
        listed = ", ".join(f"{t}%" for t in duplicated)
        errors.append(f"Each threshold can appear once: {listed} is repeated.")
    if settings.hard_limit and budget is None:
        errors.append("The hard limit needs a monthly budget to stop at.")
    return errors


def parse_settings(budget_text: str, thresholds_text: str, hard_limit: bool) -> tuple[BudgetSettings | None,
                                                                                      list[str]]:
    """Parses the settings form (budget in USD, blank = none; thresholds like "50, 80, 100").
    Returns (settings, []) when valid, else (None, messages for the user)."""
    budget, budget_errors = _parse_budget(budget_text)
    thresholds, threshold_errors = _parse_thresholds(thresholds_text)
    if budget_errors or threshold_errors:
        return None, budget_errors + threshold_errors
    settings = BudgetSettings(budget, thresholds, hard_limit)
    errors = validate(settings)
    if errors:
        return None, errors
    return BudgetSettings(budget, tuple(sorted(thresholds)), hard_limit), []


def _as_details(settings: BudgetSettings) -> dict:
    return {"budget_cents": None if settings.budget_cents is None else str(settings.budget_cents),
            "thresholds": list(settings.thresholds), "hard_limit": settings.hard_limit}


def update_settings(conn: Connection, user: User, settings: BudgetSettings,
                    now: datetime | None = None) -> BudgetState | None:
    """Stores the user's distributor's budget settings, audits old and new values ('settings_change'), and
    re-evaluates the month at `now` so a raised budget re-arms thresholds at once. Returns the new month
    state, or None when nothing changed. Raises PermissionError without manage_budget, SettingsInvalid
    when invalid."""
    _check_permission(user)
    errors = validate(settings)
    if errors:
        raise SettingsInvalid(errors)
    settings = replace(settings, thresholds=tuple(sorted(settings.thresholds)))
    old = q.settings_for_update(conn, user.distributor_id)
    if replace(old, thresholds=tuple(sorted(old.thresholds))) == settings:
        return None
    q.update_settings(conn, user.distributor_id, settings)
    audit.record_access(conn, distributor_id=user.distributor_id, user_id=user.id, action="settings_change",
                        resource=SETTINGS_RESOURCE, record_count=1,
                        details={"old": _as_details(old), "new": _as_details(settings)})
    return evaluate_month(conn, user.distributor_id, now)


def acknowledge_alert(conn: Connection, user: User, alert_id: int) -> bool:
    """Acknowledges one alert in the user's name and audits it ('acknowledge'). Returns False when the
    alert does not exist or was already acknowledged. Raises PermissionError without manage_budget."""
    _check_permission(user)
    alert = q.acknowledge_alert(conn, user.distributor_id, alert_id, user.id)
    if alert is None:
        return False
    audit.record_access(conn, distributor_id=user.distributor_id, user_id=user.id, action="acknowledge",
                        resource=ALERTS_RESOURCE, record_count=1, details=alert)
    return True
