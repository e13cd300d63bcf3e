"""pages/audit_log.py in AppTest on the dataset of tests/audit_seed.py (local 10–12 March 2026, New York)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests import audit_seed
from tests import factories as f
from tests.apptest import page, texts
from tests.audit_seed import access, security, utc

PERIOD = {"audit_period": "custom", "audit_from": "2026-03-10", "audit_to": "2026-03-12"}


@pytest.fixture
def data(clean_db):
    with clean_db.begin() as conn:
        return audit_seed.seed(conn)


def signed_in(engine, distributor_id, role, **kwargs):
    with engine.begin() as conn:
        return f.signed_in(conn, distributor_id, role, **kwargs)


def table(at):
    """The timeline page's rows (plain st.dataframe tables carry no key)."""
    return next(df.value for df in at.dataframe if "user_label" in df.value.columns)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def audit_rows(engine, distributor_id, action):
    with engine.connect() as conn:
        return conn.execute(text(
            "select user_id::text, resource, record_count, details from data_access_audit "
            "where distributor_id = :d and action = :a and created_at > app_now() - interval '1 hour' "
            "order by id"),
            {"d": distributor_id, "a": action}).all()


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_shows_the_known_numbers_and_records_the_view(data, clean_db, role):
    user = signed_in(clean_db, data.a, role)
    at = page("pages/audit_log.py", user, query_params=PERIOD)
    assert not at.exception, at.exception
    assert metrics(at) == {"Events": "9", "Users": "2", "Exports": "2", "Failed sign-ins": "2"}
    rows = table(at)
    assert len(rows) == 9
    assert list(rows["action"])[:3] == ["logout", "view", "export"]
    assert "Ana Admin (ana@acme.test)" in set(rows["user_label"])
    # a rerun of the same view is not a new view
    at.run()
    [view] = audit_rows(clean_db, data.a, "view")
    assert (view.user_id, view.resource, view.record_count) == (user.id, "audit_log", 9)
    assert view.details == {"filters": {"start": "2026-03-10", "end": "2026-03-12"}}
    assert audit_rows(clean_db, data.b, "view") == []


@pytest.mark.parametrize(("params", "events"), [
    ({"audit_q": "O'Brien"}, "1"),
    ({"audit_action": "export"}, "2"),
    ({"audit_user": "Max Manager (max@acme.test)"}, "4"),
    ({"audit_resource": "orders", "audit_action": "export"}, "1"),
])
def test_filters_from_the_url(data, clean_db, params, events):
    at = page("pages/audit_log.py", signed_in(clean_db, data.a, "admin"), query_params=PERIOD | params)
    assert not at.exception, at.exception
    assert metrics(at)["Events"] == events
    assert len(table(at)) == int(events)


HOSTILE = ["'; drop table x; --", "%_%", "\\", "🍺🍺 \"quoted\" 'single'", "x" * 500]


@pytest.mark.parametrize("search", HOSTILE)
def test_hostile_search_text_gives_a_result_never_an_exception(data, clean_db, search):
    user = signed_in(clean_db, data.a, "admin")
    at = page("pages/audit_log.py", user, query_params=PERIOD | {"audit_q": search})
    assert not at.exception, at.exception
    assert not at.error
    assert metrics(at)["Events"] == "0"
    assert "No audit events match" in texts(at)


def test_export_is_audited_with_the_row_count(data, clean_db, downloads):
    user = signed_in(clean_db, data.a, "admin")
    at = page("pages/audit_log.py", user, query_params=PERIOD | {"audit_action": "view"})
    assert audit_rows(clean_db, data.a, "export") == []  # shown, not downloaded
    assert downloads["audit_table__csv"]().count(b"\n") == 4  # header and 3 rows
    assert not at.exception, at.exception
    [export] = audit_rows(clean_db, data.a, "export")
    assert (export.user_id, export.resource, export.record_count) == (user.id, "audit_log", 3)
    assert export.details["filters"]["actions"] == ["view"]
    # the full export (every matching event, not one page) is audited too
    at.toggle(key="audit_export").set_value(True).run()
    downloads["audit_export_all__csv"]()
    assert [r.record_count for r in audit_rows(clean_db, data.a, "export")] == [3, 3]
    assert audit_rows(clean_db, data.b, "export") == []


def test_pages_in_sql(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
        uid = f.user(conn, d, "manager")
        for minute in range(55):
            access(conn, d, uid, utc(f"2026-03-10 10:{minute:02d}"), "view", "orders", minute, {})
    user = signed_in(clean_db, d, "admin")
    period = {"audit_period": "custom", "audit_from": "2026-03-10", "audit_to": "2026-03-10"}
    first = page("pages/audit_log.py", user, query_params=period)
    assert metrics(first)["Events"] == "55"
    assert list(table(first)["record_count"])[:2] == [54, 53]
    second = page("pages/audit_log.py", user, query_params=period | {"audit_table_page": "2"})
    assert list(table(second)["record_count"]) == [4, 3, 2, 1, 0]


def test_unusual_activity_is_highlighted(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
        uid = f.user(conn, d, "manager", email="max@acme.test", full_name="Max Manager")
        access(conn, d, uid, utc("2026-03-10 10:00"), "export", "customers", 1200, {})
        for minute in range(5):
            security(conn, d, uid, utc(f"2026-03-10 11:0{minute}"), "login_failed",
                     {"email": "max@acme.test"})
    period = {"audit_period": "custom", "audit_from": "2026-03-10", "audit_to": "2026-03-10"}
    at = page("pages/audit_log.py", signed_in(clean_db, d, "admin"), query_params=period)
    warning = "\n".join(w.value for w in at.warning)
    assert "Unusual activity" in warning
    # the name is Markdown-escaped: shown as typed, never as a link or formatting
    assert "**Max Manager \\(max@acme\\.test\\)** exported **1,200 rows** (no exports before)" in warning
    assert "11:00–11:04: **5 failed sign-ins** for 1 email(s)" in warning


def test_no_events_shows_an_empty_state(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
    at = page("pages/audit_log.py", signed_in(clean_db, d, "admin"), query_params=PERIOD)
    assert not at.exception, at.exception
    assert metrics(at)["Events"] == "0"
    assert "No audit events match" in texts(at) and "No unusual activity" in texts(at)


@pytest.mark.parametrize("role", ["support", "manager", "finance"])
def test_other_roles_are_not_allowed(data, clean_db, role):
    user = signed_in(clean_db, data.a, role)
    at = page("pages/audit_log.py", user, query_params=PERIOD)
    assert [e.value for e in at.error] == ["You are not allowed to see this page."]
    assert not at.metric and not at.dataframe
    with clean_db.connect() as conn:
        denied = conn.execute(text("select user_id::text, details from security_audit_log "
                                   "where event = 'permission_denied'")).all()
    assert [(r.user_id, r.details) for r in denied] == [(user.id, {"permission": "view_audit"})]


def test_operators_read_the_platform_log_of_sign_ins_for_unknown_emails_and_admins_do_not(data, clean_db):
    with clean_db.begin() as conn:
        conn.execute(text(
            "insert into platform_security_log (event, email, email_hash, client, details, created_at) values "
            "('login_failed', 'nobody@acme.test', 'h1', '203.0.113.9', '{\"reason\": \"unknown_email\"}', :t1), "
            "('lockout', null, 'h2', '', '{\"scope\": \"device\"}', :t2), "
            "('login_failed', 'old@acme.test', 'h3', '', '{}', :t3)"),
            {"t1": utc("2026-03-11 13:00"), "t2": utc("2026-03-12 14:30"), "t3": utc("2026-03-01 10:00")})
    at = page("pages/audit_log.py", signed_in(clean_db, data.a, "operator"), query_params=PERIOD)
    assert not at.exception, at.exception
    assert any("unknown emails" in e.label for e in at.expander)
    rows = next(df.value for df in at.dataframe if "client" in df.value.columns)
    # newest first, in the distributor's time (New York), the period's rows only
    assert [(str(r.at), r.event, r.email, r.client) for r in rows.itertuples()] == [
        ("2026-03-12 10:30:00", "Locked out", "(not an email address)", ""),
        ("2026-03-11 09:00:00", "Failed sign-in", "nobody@acme.test", "203.0.113.9")]
    admin = page("pages/audit_log.py", signed_in(clean_db, data.a, "admin"), query_params=PERIOD)
    assert not admin.exception, admin.exception
    assert not any("unknown emails" in e.label for e in admin.expander)
    assert not any("client" in df.value.columns for df in admin.dataframe)
