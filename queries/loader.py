"""Loads named SQL from queries/<area>.sql: each query starts with `-- name: <fn>` and a one-line comment.

A `-- fragment: <name>` block holds SQL text several queries of the same file share (e.g. the WHERE clause
of a page's filters); a query includes it with the marker `/*:<name>*/`. Fragments are text from the file
itself, pasted at load time: values are still bound parameters."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import CursorResult, TextClause, text

_BLOCK = re.compile(r"^--\s*(name|fragment):\s*(\w+)\s*$", re.MULTILINE)
_MARKER = re.compile(r"/\*:(\w+)\*/")


def _comment_free(sql: str) -> str:
    """A fragment's own leading comment lines stay out of the query it is pasted into."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()


def parse_queries(source: str) -> dict[str, str]:
    """Returns {name: sql} for every `-- name:` block of an .sql file's text, fragments pasted in."""
    parts = _BLOCK.split(source)
    queries: dict[str, str] = {}
    fragments: dict[str, str] = {}
    for kind, name, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        target = queries if kind == "name" else fragments
        if name in target:
            raise ValueError(f"{kind} {name} is defined twice")
        sql = body.strip().rstrip(";")
        if not sql:
            raise ValueError(f"{kind} {name} is empty")
        target[name] = sql if kind == "name" else _comment_free(sql)

    def paste(match: re.Match) -> str:
        if match.group(1) not in fragments:
            raise ValueError(f"unknown fragment {match.group(1)}")
        return fragments[match.group(1)]

    return {name: _MARKER.sub(paste, sql) for name, sql in queries.items()}


def to_frame(result: CursorResult) -> pd.DataFrame:
    """Returns the result's rows as a DataFrame that keeps its columns even when there are no rows."""
    # plain tuples: pandas builds a frame from SQLAlchemy Row objects about 25x slower
    return pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))


@cache
def load_queries(area: str) -> dict[str, TextClause]:
    """Returns {name: text()} for queries/<area>.sql, parsed once per process."""
    source = (Path(__file__).parent / f"{area}.sql").read_text()
    return {name: text(sql) for name, sql in parse_queries(source).items()}
