"""The in-memory picture of one demo tenant that the generators share, and the id counters."""

from __future__ import annotations

import uuid
from array import array
from dataclasses import dataclass, field
from random import Random

from demo.clock import Clock
from demo.trades import Trade

# event kinds on a tenant's timeline
AI_ORDER, MANUAL_ORDER, INTEGRATION_ORDER, CHAT = 0, 1, 2, 3


def new_uuid(rng: Random) -> str:
    """Returns a version-4 UUID drawn from rng (never uuid4(): the demo must be reproducible)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Ids:
    """Next bigint id per table, starting after the ids already in the database so loads can coexist."""

    def __init__(self, last: dict[str, int]):
        self.last = dict(last)

    def __call__(self, table: str) -> int:
        value = self.last[table] + 1
        self.last[table] = value
        return value


@dataclass
class User:
    id: str
    email: str
    role: str
    name: str


@dataclass
class Product:
    id: int
    sku: str
    name: str
    unit: str
    unit_plural: str
    price: int
    # the name first, then the aliases: what customers type
    wordings: tuple[str, ...]
    active: bool = True


@dataclass
class Customer:
    id: int
    name: str
    lang: str
    channel: str
    email: str | None
    basket: list[Product]
    # how much this customer buys per line, relative to a small shop
    size: float


@dataclass
class Tenant:
    index: int
    trade: Trade
    name: str
    slug: str
    domain: str
    id: str
    rng: Random
    clock: Clock
    users: dict[str, list[User]] = field(default_factory=dict)
    products: list[Product] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    # (time, kind, customer) sorted by time
    events: list[tuple[int, int, Customer]] = field(default_factory=list)
    rules: dict[str, int] = field(default_factory=dict)
    whatsapp_integration: int = 0
    whatsapp_since: int = 0
    erp_endpoint: int = 0
    crm_endpoint: int = 0
    # AI responses created from here on still wait for review
    pending_from: int = 0
    reply_v2_from: int = 0
    # priced AI calls, for the budget alerts: time and cost in millionths of a cent
    spend_ts: array = field(default_factory=lambda: array("q"))
    spend_micro: array = field(default_factory=lambda: array("q"))

    @property
    def agents(self) -> list[User]:
        return self.users["support"]

    def user(self, role: str) -> User:
        return self.users[role][0]
