"""Loads named SQL from queries/<area>.sql: each query starts with `-- name: <fn>` and a one-line comment."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import TextClause, text

_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


def parse_queries(source: str) -> dict[str, str]:
    """Returns {name: sql} for every `-- name:` block of an .sql file's text."""
    parts = _NAME.split(source)
    queries: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name in queries:
            raise ValueError(f"query {name} is defined twice")
        sql = body.strip().rstrip(";")
        if not sql:
            raise ValueError(f"query {name} is empty")
        queries[name] = sql
    return queries


@cache
def load_queries(area: str) -> dict[str, TextClause]:
    """Returns {name: text()} for queries/<area>.sql, parsed once per process."""
    source = (Path(__file__).parent / f"{area}.sql").read_text()
    return {name: text(sql) for name, sql in parse_queries(source).items()}
