"""Settings: environment variables first, then .streamlit/secrets.toml, then defaults. One typed object."""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


class Settings(BaseModel):
    """Everything configurable; see .streamlit/secrets.toml.example for the documentation of each key."""

    database_url: str | None = None
    data_dir: Path = ROOT / ".ordersight"
    database_name: str = "ordersight"
    pool_size: int = 10
    pool_max_overflow: int = 10
    statement_timeout_ms: int = 15_000
    cache_ttl_s: int = 60
    session_idle_hours: float = 8.0
    session_absolute_hours: float = 12.0
    client_ip_header: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    ai_timeout_s: float = 30.0
    ai_max_retries: int = 2
    # model -> (USD per million input tokens, USD per million output tokens), for self-hosted models
    ai_price_overrides: dict[str, tuple[Decimal, Decimal]] = Field(default_factory=dict)
    ai_match_threshold: float = 0.75


_ENV = {
    "database_url": "DATABASE_URL",
    "data_dir": "ORDERSIGHT_DATA_DIR",
    "database_name": "ORDERSIGHT_DATABASE_NAME",
    "pool_size": "ORDERSIGHT_POOL_SIZE",
    "pool_max_overflow": "ORDERSIGHT_POOL_MAX_OVERFLOW",
    "statement_timeout_ms": "ORDERSIGHT_STATEMENT_TIMEOUT_MS",
    "cache_ttl_s": "ORDERSIGHT_CACHE_TTL_S",
    "session_idle_hours": "ORDERSIGHT_SESSION_IDLE_HOURS",
    "session_absolute_hours": "ORDERSIGHT_SESSION_ABSOLUTE_HOURS",
    "client_ip_header": "ORDERSIGHT_CLIENT_IP_HEADER",
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "openai_model": "OPENAI_MODEL",
    "ai_timeout_s": "ORDERSIGHT_AI_TIMEOUT_S",
    "ai_max_retries": "ORDERSIGHT_AI_MAX_RETRIES",
    "ai_match_threshold": "ORDERSIGHT_AI_MATCH_THRESHOLD",
}


def _secrets() -> dict:
    if not SECRETS_FILE.exists():
        return {}
    with SECRETS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    # secrets.toml may nest ours under [ordersight]; top-level keys are accepted too
    return {**data, **data.get("ordersight", {})}


def _price_overrides(raw: dict) -> dict[str, tuple[Decimal, Decimal]]:
    return {model: (Decimal(str(p["input"])), Decimal(str(p["output"]))) for model, p in raw.items()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Returns the settings, read once per process (tests call get_settings.cache_clear())."""
    secrets = _secrets()
    values: dict = {}
    for field, env in _ENV.items():
        if os.environ.get(env):
            values[field] = os.environ[env]
        elif field in secrets:
            values[field] = secrets[field]
        elif env.lower() in secrets:
            values[field] = secrets[env.lower()]
    if "ai_price_overrides" in secrets:
        values["ai_price_overrides"] = _price_overrides(secrets["ai_price_overrides"])
    return Settings(**values)
