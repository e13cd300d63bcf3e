"""A tenant's slowly changing rows: the distributor, its people, catalog and settings; then, through
demo.customers and demo.ops, its customers, timeline and staff activity."""

from __future__ import annotations

import json
from datetime import datetime
from random import Random

from demo import ops
from demo.clock import Clock, ts_dt
from demo.customers import customer_rows, timeline
from demo.model import Ids, Product, Tenant, User, new_uuid
from demo.phrases import PHRASES
from demo.trades import TRADES

# email local part -> role; spare support agents (support3@...) are added for busy tenants
ROLES = (("admin", "admin"), ("manager", "manager"), ("support", "support"), ("support2", "support"),
         ("finance", "finance"))
OPERATOR_EMAIL = "operator@ordersight.demo"
PII_RULES = (
    ("Phone numbers", "phone", r"\+?\d[\d\s().-]{7,}\d", "[PHONE]"),
    ("Email addresses", "email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "[EMAIL]"),
    ("Payment cards", "card", r"\b(?:\d[ -]?){13,19}\b", "[CARD]"),
    ("Bank accounts (IBAN)", "iban", r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b",
     "[IBAN]"),
)
ROOT_CATEGORY = {"es": "Catálogo general", "pt": "Catálogo geral", "en": "All products"}
RETENTION = (("messages", 730, "anonymize"), ("ai_training_data", 540, "anonymize"),
             ("security_audit_log", 365, "delete"), ("data_access_audit", 1095, "delete"),
             ("user_sessions", 90, "delete"))
DAY = 86400


def identity(index: int) -> tuple[str, str, str]:
    """Returns (name, slug, email domain) of the tenant at global position `index`."""
    trade, round_ = TRADES[index % len(TRADES)], index // len(TRADES)
    if round_ == 0:
        return trade.name, trade.slug, f"{trade.slug}.demo"
    return f"{trade.name} {round_ + 1}", f"{trade.slug}-{round_ + 1}", f"{trade.slug}-{round_ + 1}.demo"


def build_tenant(index: int, seed: int, n_orders: int, days: int, end: datetime, ids: Ids,
                 password_hash: str) -> tuple[Tenant, dict[str, list]]:
    """Returns the tenant and a batch with its static rows (plus its staff's sign-ins and page views)."""
    rng = Random(f"ordersight-demo:{seed}:{index}")
    trade = TRADES[index % len(TRADES)]
    name, slug, domain = identity(index)
    t = Tenant(index=index, trade=trade, name=name, slug=slug, domain=domain, id=new_uuid(rng), rng=rng,
               clock=Clock(trade.timezone, end, days))
    created = ts_dt(t.clock.start - 400 * DAY)
    b: dict[str, list] = {"webhook_deliveries": []}
    # the budget is set once the spend is known (ops.budget)
    b["distributors"] = [(t.id, name, slug, trade.key, trade.timezone, trade.currency, trade.language,
                          trade.tone, None, [50, 80, 100], False, "active", created)]
    _users(t, b, ids, n_orders / days, password_hash, created)
    _catalog(t, b, ids)
    _settings(t, b, ids)
    joins = timeline(t, n_orders)
    customer_rows(t, b, ids, joins)
    last_sign_in = ops.staff_activity(t, ids, b)
    b["user_profiles"] = [(u.id, t.id, u.email, u.name, u.role, True, created, last_sign_in.get(u.id))
                          for users in t.users.values() for u in users]
    return t, b


def _users(t: Tenant, b: dict, ids: Ids, orders_per_day: float, password_hash: str,
           created: datetime) -> None:
    spare = min(5, int(orders_per_day // 80))  # one more agent per 80 orders a day
    keys = [*ROLES, *((f"support{n}", "support") for n in range(3, 3 + spare))]
    if t.index == 0:
        keys.append(("operator", "operator"))
    for i, (local, role) in enumerate(keys):
        email = OPERATOR_EMAIL if role == "operator" else f"{local}@{t.domain}"
        name = "Olivia Park" if role == "operator" else t.trade.staff[i % len(t.trade.staff)]
        t.users.setdefault(role, []).append(User(new_uuid(t.rng), email, role, name))
    b["auth.users"] = [(u.id, u.email, password_hash, created, created)
                       for users in t.users.values() for u in users]
    admin, end = t.user("admin").id, t.clock.end
    invited = ((f"new.agent@{t.domain}", "support", "pending", end - 2 * DAY),
               (f"controller@{t.domain}", "finance", "expired", end - 40 * DAY),
               (f"ops.lead@{t.domain}", "manager", "revoked", end - 20 * DAY))
    b["user_invitations"] = [(ids("user_invitations"), t.id, email, role, admin,
                              f"{t.rng.getrandbits(256):064x}", status, ts_dt(at + 7 * DAY), ts_dt(at))
                             for email, role, status, at in invited]


def _catalog(t: Tenant, b: dict, ids: Ids) -> None:
    rng, lang, d = t.rng, t.trade.language, t.id
    plural = PHRASES[lang]["plural"]
    root = ids("product_categories")
    categories = [(root, d, None, ROOT_CATEGORY[lang])]
    products, variants, created = [], [], ts_dt(t.clock.start - 380 * DAY)
    for category_name, lines in t.trade.catalog.items():
        category = ids("product_categories")
        categories.append((category, d, root, category_name))
        for line in lines:
            sku, name, unit, price, aliases = (part.strip() for part in line.split("|"))
            alias_list = [alias.strip() for alias in aliases.split(";")]
            p = Product(ids("products"), sku, name, unit, plural[unit], round(float(price) * 100),
                        (name, *alias_list), active=rng.random() > 0.03)  # a few are discontinued
            t.products.append(p)
            products.append((p.id, d, category, sku, name, alias_list, unit, p.price, p.active, created))
    for p in t.products[::8]:
        for suffix, name, factor in (("-H", f"{p.name} (½ {p.unit})", 0.52),
                                     ("-X2", f"{p.name} (2 {p.unit_plural})", 1.95)):
            variants.append((ids("product_variants"), d, p.id, p.sku + suffix, name, p.unit,
                             round(p.price * factor), True))
    by_sku = {p.sku: p for p in t.products}
    bundles, items = [], []
    for sku, name, contents in t.trade.bundles:
        bundle = ids("product_bundles")
        price = round(sum(by_sku[s].price * q for s, q in contents) * 0.93)  # a bundle is a little cheaper
        bundles.append((bundle, d, sku, name, price, True))
        items += [(ids("product_bundle_items"), d, bundle, by_sku[s].id, q) for s, q in contents]
    b.update(product_categories=categories, products=products, product_variants=variants,
             product_bundles=bundles, product_bundle_items=items)


def _settings(t: Tenant, b: dict, ids: Ids) -> None:
    """PII rules, retention, key metadata, webhooks, integrations and rate limits."""
    d, clock, rng, slug, domain = t.id, t.clock, t.rng, t.slug, t.domain
    since = ts_dt(clock.start - 300 * DAY)
    b["pii_detection_rules"] = []
    for name, kind, pattern, replacement in PII_RULES:
        t.rules[kind] = ids("pii_detection_rules")
        b["pii_detection_rules"].append((t.rules[kind], d, name, kind, pattern, replacement, True, since))
    b["data_retention_policies"] = [(ids("data_retention_policies"), d, resource, days, action, True)
                                    for resource, days, action in RETENTION]
    rotated = ts_dt(clock.end - 95 * DAY)
    keys = ((f"{slug}-messages-2023", "rotated", since, rotated),
            (f"{slug}-messages", "active", rotated, None), (f"{slug}-pii-vault", "active", since, None))
    b["encryption_keys"] = [(ids("encryption_keys"), d, alias, "AES-256-GCM",
                             f"arn:aws:kms:us-east-1:000000000000:key/{new_uuid(rng)}", status, at, rot)
                            for alias, status, at, rot in keys]
    t.erp_endpoint, t.crm_endpoint = ids("webhook_endpoints"), ids("webhook_endpoints")
    b["webhook_endpoints"] = [
        (t.erp_endpoint, d, f"https://erp.{domain}/hooks/ordersight", f"{t.trade.erp} order sync",
         ["order.created", "order.updated"], f"vault://webhooks/{slug}/erp", True, since),
        (t.crm_endpoint, d, f"https://crm.{domain}/webhooks/customers", "CRM customer sync",
         ["customer.created", "customer.updated"], f"vault://webhooks/{slug}/crm", True, since),
        (ids("webhook_endpoints"), d, "https://hooks.zapier.com/hooks/catch/000000/demo/", "Old Zapier test",
         ["message.received"], None, False, since)]
    t.whatsapp_integration, erp, mail = (ids("external_integrations") for _ in range(3))
    t.whatsapp_since = clock.start + int((clock.end - clock.start) * 0.35)
    whatsapp = {"phone_number_id": str(rng.randrange(10**14, 10**15)), "waba_id": str(rng.randrange(10**14))}
    b["external_integrations"] = [
        (t.whatsapp_integration, d, "whatsapp_cloud", "WhatsApp Business", "active", json.dumps(whatsapp),
         ts_dt(t.whatsapp_since)),
        (erp, d, "erp", t.trade.erp, "active", json.dumps({"sync": ["orders", "customers"]}), since),
        (mail, d, "email", "Orders inbox", "paused", json.dumps({"address": f"orders@{domain}"}), since)]
    limits = ((t.whatsapp_integration, "whatsapp.send", 80), (None, "ai.requests", 300),
              (erp, "erp.sync", 30), (None, "webhooks.deliver", 120))
    b["api_rate_limits"] = [(ids("api_rate_limits"), d, integration, scope, limit, ts_dt(clock.end - 20),
                             rng.randrange(limit // 4)) for integration, scope, limit in limits]
