"""app.py in AppTest: the sign-in gate, lockout across sessions, role-aware navigation, idle expiry, sign-out,
SSO mapping and the operator's distributor switch."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from components.navigation import PAGES, pages_for
from tests import audit_seed
from tests import factories as f
from tests.apptest import ROOT, page, texts

PASSWORD = f.PASSWORD
PERIOD = {"audit_period": "custom", "audit_from": "2026-03-10", "audit_to": "2026-03-12"}
# role -> permissions, as migration 0001 seeds role_permissions
ROLE_PERMISSIONS = {
    "admin": {"view_orders", "view_conversations", "review_ai", "use_assistant", "view_ai_costs",
              "view_budget", "manage_budget", "view_audit", "export_data"},
    "manager": {"view_orders", "view_conversations", "review_ai", "view_ai_costs", "export_data"},
    "support": {"view_conversations", "review_ai", "use_assistant"},
    "finance": {"view_ai_costs", "view_budget", "manage_budget", "export_data"},
    "operator": {"view_orders", "view_conversations", "review_ai", "use_assistant", "view_ai_costs",
                 "view_budget", "manage_budget", "view_audit", "export_data", "switch_tenant"},
}
ROLE_PAGES = {
    "admin": {"Orders", "Conversations", "Assistant", "AI costs", "Budget alerts", "Audit log"},
    "manager": {"Orders", "Conversations", "AI costs"},
    "support": {"Conversations", "Assistant"},
    "finance": {"AI costs", "Budget alerts"},
    "operator": {"Orders", "Conversations", "Assistant", "AI costs", "Budget alerts", "Audit log"},
}


@pytest.fixture(autouse=True)
def _navigation_only(monkeypatch):
    """Runs every AppTest run through app.py, as a live server does.

    Live, the first st.navigation call makes Streamlit ignore the pages/ directory for good. AppTest forgets
    that before each run, so a rerun on a page would go straight to pages/<name>.py and skip app.py (its
    gate, sidebar and idle check). test_a_page_reached_without_app_py_still_refuses_visitors covers that
    path."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def fresh(clean_db):
    with clean_db.begin() as conn:
        conn.exec_driver_sql("TRUNCATE auth_login_attempts")
    return clean_db


def app(**user_info) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if user_info:
        at.user = user_info
    return at.run()


def sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_email").input(email)
    at.text_input(key="signin_password").input(password)
    return at.button(key="signin_submit").click().run()


def reachable(at: AppTest, path: str) -> bool:
    """Whether st.navigation registered the page (switch_page refuses a page it did not)."""
    try:
        at.switch_page(path)
    except ValueError:
        return False
    return True


def events(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("select event from security_audit_log order by id")).scalars())


def one_user(engine, role="admin", **kwargs):
    with engine.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
        f.user(conn, d, role, email=f"{role}@acme.test", **kwargs)
    return str(d)


def test_a_visitor_sees_only_the_sign_in_form(fresh):
    one_user(fresh)
    at = app()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.button and not at.metric
    assert not any(reachable(at, spec.path) for spec in PAGES)


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.title)
def test_a_page_reached_without_app_py_still_refuses_visitors(fresh, spec):
    # a live server's very first request may reach pages/<name>.py before app.py ever ran st.navigation
    one_user(fresh)
    at = page(spec.path, None)
    assert [w.value for w in at.warning] == ["Please sign in."]
    assert not at.metric and not at.dataframe


def test_wrong_password_fails_with_a_message(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test", "wrong")
    assert [e.value for e in at.error] == ["Wrong email or password."]
    assert "user" not in at.session_state
    # the password does not linger in session state; the email stays for the next try
    assert at.session_state["signin_password"] == ""
    assert at.text_input(key="signin_email").value == "admin@acme.test"


def test_sixth_attempt_is_locked_and_the_lock_survives_a_new_session(fresh):
    one_user(fresh)
    at = app()
    for _ in range(5):
        sign_in(at, "admin@acme.test", "wrong")
    sign_in(at, "admin@acme.test")
    assert "locked" in at.error[0].value and "user" not in at.session_state
    again = sign_in(app(), "Admin@Acme.test")
    assert "locked" in again.error[0].value and "user" not in again.session_state
    assert events(fresh) == ["login_failed"] * 5 + ["lockout", "lockout"]


def test_inactive_user_cannot_sign_in(fresh):
    one_user(fresh, active=False)
    at = sign_in(app(), "admin@acme.test")
    assert "deactivated" in at.error[0].value and "user" not in at.session_state


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_sees_exactly_its_pages(fresh, role):
    one_user(fresh, role)
    with fresh.connect() as conn:
        granted = set(conn.execute(text("select permission from role_permissions where role = :r"),
                                   {"r": role}).scalars())
    assert granted == ROLE_PERMISSIONS[role]
    at = sign_in(app(), f"{role}@acme.test")
    assert not at.exception, at.exception
    user = at.session_state["user"]
    assert (user.role, user.permissions) == (role, granted)
    shown = {spec.title for specs in pages_for(user.permissions).values() for spec in specs}
    assert shown == ROLE_PAGES[role]
    assert {spec.title for spec in PAGES if reachable(at, spec.path)} == ROLE_PAGES[role]
    # the default page (the first one allowed) ran for this role
    first = next(spec for spec in PAGES if spec.title in ROLE_PAGES[role])
    assert at.title[0].value == first.title


def test_idle_session_expires(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test")
    assert "user" in at.session_state
    with fresh.begin() as conn:
        conn.execute(text("update user_sessions set last_seen_at = now() - interval '8 hours 5 minutes'"))
    at.run()
    assert "user" not in at.session_state
    assert "Your session expired" in texts(at)
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "expired"
    assert events(fresh) == ["login_success", "session_expired"]


def test_sign_out(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test")
    at.sidebar.button(key="sign_out").click().run()
    assert "user" not in at.session_state and "You are signed out." in texts(at)
    assert not any(reachable(at, spec.path) for spec in PAGES)
    assert events(fresh) == ["login_success", "logout"]


def test_sso_identity_maps_to_an_active_user(fresh):
    one_user(fresh, "finance")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": True, "email": "Finance@acme.test"}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["user"].role == "finance"
    assert events(fresh) == ["sso_login"]


def test_sso_identity_without_a_user_is_refused_once(fresh):
    one_user(fresh)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": True, "email": "stranger@elsewhere.test"}
    at.run().run()
    assert "user" not in at.session_state
    assert "not linked to an active Ordersight user" in texts(at)
    assert "stranger@elsewhere.test" in texts(at)
    # refused once per identity: no stream of attempts on every rerun
    assert events(fresh) == []
    assert [b.label for b in at.button] == ["Sign in", "Use another account"]


def test_operator_switches_distributor_and_sees_its_numbers(fresh):
    with fresh.begin() as conn:
        seed = audit_seed.seed(conn)
        f.user(conn, seed.b, "operator", email="op@platform.test")
    at = sign_in(app(), "op@platform.test")
    at.query_params.update(PERIOD)
    at.switch_page("pages/audit_log.py").run()
    # Bolt Foods (home): 2 exports and 2 failed sign-ins on 10–11 March
    assert {m.label: m.value for m in at.metric} == {"Events": "4", "Users": "1", "Exports": "2",
                                                     "Failed sign-ins": "2"}
    at.sidebar.selectbox(key="operator_distributor").select(seed.a).run()
    user = at.session_state["user"]
    assert (user.distributor_id, user.distributor_name, user.home_distributor_id) == (seed.a, "Acme Drinks",
                                                                                     seed.b)
    at.query_params.update(PERIOD)
    at.switch_page("pages/audit_log.py").run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric} == {"Events": "9", "Users": "2", "Exports": "2",
                                                     "Failed sign-ins": "2"}
    with fresh.connect() as conn:
        switches = conn.execute(text("select distributor_id::text, details from security_audit_log "
                                     "where event = 'tenant_switch' order by distributor_id")).all()
    assert sorted(r.distributor_id for r in switches) == sorted([seed.a, seed.b])
    assert all(r.details == {"from": seed.b, "to": seed.a} for r in switches)
    # each view is recorded in the distributor whose data was shown, under the operator's id: Bolt's March,
    # then Acme's last 30 days right after the switch (filters reset: only today's tenant_switch), then March
    with fresh.connect() as conn:
        views = conn.execute(text("select distributor_id::text, user_id::text, record_count "
                                  "from data_access_audit where action = 'view' and resource = 'audit_log' "
                                  "and created_at > now() - interval '1 hour' order by id")).all()
    assert [tuple(v) for v in views] == [(seed.b, user.id, 4), (seed.a, user.id, 1), (seed.a, user.id, 9)]


def test_non_operators_have_no_switcher(fresh):
    one_user(fresh, "admin")
    at = sign_in(app(), "admin@acme.test")
    assert not at.sidebar.selectbox
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
