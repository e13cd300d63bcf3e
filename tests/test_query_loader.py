"""Named SQL files: parsing, and every query of every area loads."""

from pathlib import Path

import pytest

from queries.loader import load_queries, parse_queries, to_frame


def test_parse_named_blocks():
    source = "-- name: a\n-- first\nselect 1;\n\n-- name: b\n-- second\nselect :x\n"
    assert parse_queries(source) == {"a": "-- first\nselect 1", "b": "-- second\nselect :x"}


def test_fragments_are_pasted_without_their_comment():
    source = ("-- fragment: active\n-- only live rows\nstatus = 'active' and d = :d\n\n"
              "-- name: a\n-- first\nselect 1 from t where /*:active*/")
    assert parse_queries(source) == {"a": "-- first\nselect 1 from t where status = 'active' and d = :d"}


@pytest.mark.parametrize("source, error", [
    ("-- name: a\nselect /*:nope*/", "unknown fragment nope"),
    ("-- name: a\nselect 1\n-- name: a\nselect 2", "defined twice"),
    ("-- name: a\n\n-- name: b\nselect 2", "empty"),
])
def test_parse_rejects_duplicates_and_empty_queries(source, error):
    with pytest.raises(ValueError, match=error):
        parse_queries(source)


@pytest.mark.parametrize("area", sorted(p.stem for p in (Path(__file__).parent.parent / "queries").glob("*.sql")))
def test_every_area_loads_and_every_query_has_a_comment(area):
    source = (Path(__file__).parent.parent / "queries" / f"{area}.sql").read_text()
    parsed = parse_queries(source)
    assert parsed and set(load_queries(area)) == set(parsed)
    assert all(sql.startswith("--") for sql in parsed.values()), "each query opens with its one-line comment"


def test_to_frame_keeps_the_columns_of_an_empty_result(engine):
    with engine.connect() as conn:
        empty = to_frame(conn.exec_driver_sql("select 1 as a, 'x' as b where false"))
        rows = to_frame(conn.exec_driver_sql("select g as a, g * 2 as b from generate_series(1, 3) g"))
    assert list(empty.columns) == ["a", "b"] and empty.empty
    assert rows.values.tolist() == [[1, 2], [2, 4], [3, 6]]
