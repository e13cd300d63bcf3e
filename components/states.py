"""Empty and error states: what a page shows instead of a chart when there is nothing, or something failed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import sqlalchemy.exc
import streamlit as st

# st.stop(), st.rerun() and st.switch_page() work by raising these. They derive from BaseException, so
# `except Exception` already lets them through; the boundary still re-raises them by name to say so.
from streamlit.runtime.scriptrunner import RerunException, StopException

log = logging.getLogger("ordersight")

UNREACHABLE_MESSAGE = "The database is unreachable right now. Nothing was lost: try again in a moment."
TIMEOUT_MESSAGE = "Loading {what} took too long and was stopped. Try a shorter period or fewer filters."
FAILED_MESSAGE = "Something went wrong while loading {what}. The error was logged; try again in a moment."


def empty_state(title: str, hint: str) -> None:
    """A friendly "nothing here" box: the title in bold, then a hint on what to do (e.g. widen the period)."""
    st.info(f"**{title}**\n\n{hint}", icon=":material/inbox:")


def failure_message(exc: BaseException, what: str) -> str:
    """What the user is told about `exc`, raised while loading `what`."""
    cause = exc.orig if isinstance(exc, sqlalchemy.exc.DBAPIError) else exc
    # statement_timeout: the database is there but the query was too heavy
    if isinstance(cause, psycopg.errors.QueryCanceled):
        return TIMEOUT_MESSAGE.format(what=what)
    unreachable = (
        isinstance(exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.TimeoutError)
        or isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError)
        or (isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated)
    )
    # Other database errors (a bad statement, a constraint) are bugs, not an outage: no "try again later"
    return UNREACHABLE_MESSAGE if unreachable else FAILED_MESSAGE.format(what=what)


@contextmanager
def error_boundary(what: str, *, key: str | None = None) -> Iterator[None]:
    """Runs the block; if it raises, shows a friendly st.error (never a traceback) and logs the exception to
    the "ordersight" logger, then the page goes on after the block. Database outages also get a "Retry"
    button. `what` names the section ("orders", "the revenue chart"); `key` makes the button unique when
    two boundaries share `what`."""
    try:
        yield
    except (StopException, RerunException):
        raise
    except Exception as exc:
        message = failure_message(exc, what)
        log.error("Failed to load %s", what, exc_info=exc)
        st.error(message, icon=":material/error:")
        if message == UNREACHABLE_MESSAGE:
            # Clicking reruns the script, which retries the block; failures are never cached by st.cache_data
            st.button("Retry", key=f"retry:{key or what}", icon=":material/refresh:")


def script_error(exc: Exception) -> bool:
    """st.App's on_script_error: an exception no boundary caught (a widget callback's, typically) is logged and
    shown like the boundaries show theirs, never as a traceback. Returns True: Streamlit shows nothing more."""
    log.error("Uncaught error in a script run", exc_info=exc)
    st.error(failure_message(exc, "this action"), icon=":material/error:")
    return True
