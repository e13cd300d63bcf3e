"""components.states: the empty state and the error boundary (friendly messages, no tracebacks)."""

from __future__ import annotations

import logging

import psycopg
import pytest
import sqlalchemy.exc
from sqlalchemy import text

from components.states import FAILED_MESSAGE, TIMEOUT_MESSAGE, UNREACHABLE_MESSAGE, failure_message


def wrapped(error_class, orig: Exception) -> sqlalchemy.exc.DBAPIError:
    """The exception SQLAlchemy raises around a driver error."""
    return error_class("select 1", {}, orig)


SA = sqlalchemy.exc
TIMEOUT = TIMEOUT_MESSAGE.format(what="orders")
FAILED = FAILED_MESSAGE.format(what="orders")


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (wrapped(SA.OperationalError, psycopg.OperationalError("connection refused")), UNREACHABLE_MESSAGE),
        (psycopg.OperationalError("server closed the connection unexpectedly"), UNREACHABLE_MESSAGE),
        (wrapped(SA.InterfaceError, psycopg.InterfaceError("the connection is closed")), UNREACHABLE_MESSAGE),
        (SA.TimeoutError("QueuePool limit reached"), UNREACHABLE_MESSAGE),
        (wrapped(SA.OperationalError, psycopg.errors.QueryCanceled("statement timeout")), TIMEOUT),
        (wrapped(SA.ProgrammingError, psycopg.errors.UndefinedColumn("column x does not exist")), FAILED),
        (ValueError("bad"), FAILED),
    ],
)
def test_failure_message(exc, message):
    assert failure_message(exc, "orders") == message


def test_failure_messages_for_real_database_errors(engine):
    with pytest.raises(SA.OperationalError) as slow, engine.begin() as conn:
        conn.execute(text("set local statement_timeout = '50ms'"))
        conn.execute(text("select pg_sleep(2)"))
    assert failure_message(slow.value, "orders") == TIMEOUT
    # a bad statement is a bug, not an outage
    with pytest.raises(SA.ProgrammingError) as bad, engine.connect() as conn:
        conn.execute(text("select no_such_column from pg_class"))
    assert failure_message(bad.value, "orders") == FAILED


def unreachable_app():
    import streamlit as st
    from sqlalchemy import create_engine, text

    from components.states import error_boundary

    # nothing listens on port 1: a real connection failure, raised by the real driver
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/x", connect_args={"connect_timeout": 3})
    with error_boundary("orders"):
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        st.write("never shown")
    st.write("after the boundary")


def test_unreachable_database_shows_a_friendly_message_and_retry(run_app, caplog):
    caplog.set_level(logging.ERROR, logger="ordersight")
    at = run_app(unreachable_app)
    assert len(at.exception) == 0
    assert [e.value for e in at.error] == [UNREACHABLE_MESSAGE]
    assert [b.label for b in at.button] == ["Retry"]
    assert [m.value for m in at.markdown] == ["after the boundary"]
    records = [r for r in caplog.records if r.name == "ordersight"]
    assert len(records) == 1
    assert records[0].getMessage() == "Failed to load orders"
    assert isinstance(records[0].exc_info[1], sqlalchemy.exc.OperationalError)
    # Retry reruns the block, which fails again the same friendly way
    at.button[0].click().run()
    assert [e.value for e in at.error] == [UNREACHABLE_MESSAGE]
    assert len(at.exception) == 0


def failing_app():
    import streamlit as st

    from components.states import error_boundary

    with error_boundary("the revenue chart"):
        st.write("before the failure")
        raise KeyError("secret internal detail")
    st.write("after the boundary")


def test_any_other_error_shows_a_generic_message_without_details(run_app, caplog):
    caplog.set_level(logging.ERROR, logger="ordersight")
    at = run_app(failing_app)
    assert len(at.exception) == 0
    assert [e.value for e in at.error] == [
        "Something went wrong while loading the revenue chart. The error was logged; try again in a moment."
    ]
    assert len(at.button) == 0
    assert [m.value for m in at.markdown] == ["before the failure", "after the boundary"]
    assert all("secret internal detail" not in e.value for e in at.error)
    records = [r for r in caplog.records if r.name == "ordersight"]
    assert [type(r.exc_info[1]) for r in records] == [KeyError]


def control_flow_app():
    import streamlit as st

    from components.states import error_boundary

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    with error_boundary("orders"):
        if st.session_state["runs"] == 1:
            st.rerun()
        st.write(f"run {st.session_state['runs']}")
    with error_boundary("customers"):
        st.stop()
    st.write("never shown")


def test_stop_and_rerun_pass_through_the_boundary(run_app):
    at = run_app(control_flow_app)
    assert len(at.exception) == 0
    assert len(at.error) == 0
    # st.rerun() restarted the script once; st.stop() ended it before the last line
    assert at.session_state["runs"] == 2
    assert [m.value for m in at.markdown] == ["run 2"]


def test_empty_state(run_app):
    def app():
        from components.states import empty_state

        empty_state("No orders yet", "Widen the period or clear the status filter.")

    at = run_app(app)
    assert len(at.info) == 1
    assert at.info[0].value == "**No orders yet**\n\nWiden the period or clear the status filter."
    assert at.info[0].icon == ":material/inbox:"


def test_an_uncaught_error_is_shown_politely(run_app, caplog):
    # st.App(on_script_error=script_error) in app.py: what a widget callback's exception shows (issue 12,
    # finding 4: the page showed SQL and server paths)
    def app():
        from components.states import script_error

        assert script_error(RuntimeError('column "x" at /srv/ordersight/core/db.py line 3')) is True

    with caplog.at_level(logging.ERROR, logger="ordersight"):
        at = run_app(app)
    assert not at.exception
    assert [e.value for e in at.error] == [FAILED_MESSAGE.format(what="this action")]
    assert "/srv/ordersight" in caplog.text  # logged for us, not shown to them
