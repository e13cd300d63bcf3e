"""The embedded PostgreSQL explains its failures: the failing tool's stderr is in the error, not only in a log
nobody sees (a bare "initdb returned exit status 1" once cost a CI run its explanation)."""

from __future__ import annotations

import pytest

from core import db


def test_a_failing_initdb_raises_with_its_stderr(tmp_path):
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "left-over.txt").write_text("not a database")  # initdb refuses a non-empty directory
    with pytest.raises(db.EmbeddedServerError) as failure:
        db.embedded_url(tmp_path, "postgres")
    message = str(failure.value)
    assert "initdb" in message
    assert "exists but is not empty" in message  # initdb's own words, from its stderr
