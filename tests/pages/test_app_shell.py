"""main.py in AppTest: the sign-in gate and its messages, role-aware navigation (forbidden pages refused and
audited), sessions ending between reruns, SSO mapping and the operator's distributor switch.

AppTest cannot send cookies, so a session opened by services.auth.sign_in reaches the run the way an SSO session
does (its token in session state); the cookie itself is covered by tests/test_web.py and the browser tests."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from components.navigation import PAGES, pages_for
from sections.login import TOKEN_KEY
from services import auth
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
    """Runs every AppTest run through main.py, as a live server does.

    Live, the first st.navigation call makes Streamlit ignore the pages/ directory for good. AppTest forgets
    that before each run, so a rerun on a page would go straight to pages/<name>.py and skip main.py (its
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


def app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    at.session_state[TOKEN_KEY] = auth.sign_in(email, password).token
    return at.run()


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
    form = at.get("html")[0].proto.body
    assert '<form method="post" action="/auth/sign-in"' in form and 'name="password"' in form
    assert 'name="next" value="/"' in form
    assert not at.text_input and not at.sidebar.button and not at.metric
    assert not any(reachable(at, spec.path) for spec in PAGES)


@pytest.mark.parametrize("code, message", [("invalid", "Wrong email or password."),
                                           ("locked", "from this device"),
                                           ("wait", "wait half a minute"),
                                           ("inactive", "This account is deactivated."),
                                           ("signed_out", "You are signed out.")])
def test_the_form_says_why_it_came_back(fresh, code, message):
    at = app(signin=code)
    assert message in texts(at)


def test_a_deep_link_comes_back_after_sign_in(fresh):
    at = app(conversation="123", conv_period="7d", signin="invalid")
    form = at.get("html")[0].proto.body
    # the notice code is dropped, the rest of the query kept (and escaped for the attribute)
    assert 'name="next" value="/?conversation=123&amp;conv_period=7d"' in form


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.title)
def test_a_page_reached_without_app_py_still_refuses_visitors(fresh, spec):
    # a live server's very first request may reach pages/<name>.py before main.py ever ran st.navigation
    one_user(fresh)
    at = page(spec.path, None)
    assert [w.value for w in at.warning] == ["Please sign in."]
    assert not at.metric and not at.dataframe


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
    # the default page (the first one allowed) ran for this role
    first = next(spec for spec in PAGES if spec.title in ROLE_PAGES[role])
    assert at.title[0].value == first.title
    # the others are reachable by URL only to say no, and each attempt is audited
    for spec in PAGES:
        if spec.title not in ROLE_PAGES[role]:
            at.switch_page(spec.path).run()
            assert [e.value for e in at.error] == ["You are not allowed to see this page."]
            assert not at.metric and not at.dataframe
    refused = len(PAGES) - len(ROLE_PAGES[role])
    assert events(fresh).count("permission_denied") == refused


def test_idle_session_expires(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test")
    assert "user" in at.session_state
    with fresh.begin() as conn:
        conn.execute(text("update user_sessions set last_seen_at = now() - interval '8 hours 5 minutes'"))
    at.run()
    assert "user" not in at.session_state
    assert "Your session expired" in texts(at)
    assert "/auth/sign-in" in at.get("html")[0].proto.body
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "expired"
    assert events(fresh) == ["login_success", "session_expired"]


def test_deactivation_ends_the_session_on_the_next_rerun(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test")
    assert at.title[0].value == "Orders"
    with fresh.begin() as conn:
        conn.execute(text("update user_profiles set is_active = false"))
    at.run()
    assert "user" not in at.session_state and not at.metric
    assert "Your account was deactivated." in texts(at)
    assert events(fresh) == ["login_success", "session_revoked"]


def test_sign_out_of_a_session_without_our_cookie(fresh):
    one_user(fresh)
    at = sign_in(app(), "admin@acme.test")
    at.sidebar.button(key="sign_out").click().run()
    assert "user" not in at.session_state
    assert not any(reachable(at, spec.path) for spec in PAGES)
    assert events(fresh) == ["login_success", "logout"]


def test_sso_identity_maps_to_an_active_user(fresh):
    one_user(fresh, "finance")
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": True, "email": "Finance@acme.test"}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["user"].role == "finance"
    assert events(fresh) == ["sso_login"]


def test_sso_identity_without_a_user_is_refused_once(fresh):
    one_user(fresh)
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": True, "email": "stranger@elsewhere.test"}
    at.run().run()
    assert "user" not in at.session_state
    assert "not linked to an active Ordersight user" in texts(at)
    assert "stranger@elsewhere.test" in texts(at)
    # refused once per identity: no stream of attempts on every rerun
    assert events(fresh) == []
    assert [b.label for b in at.button] == ["Use another account"]


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
                                  "and created_at > app_now() - interval '1 hour' order by id")).all()
    assert [tuple(v) for v in views] == [(seed.b, user.id, 4), (seed.a, user.id, 1), (seed.a, user.id, 9)]


def test_non_operators_have_no_switcher(fresh):
    one_user(fresh, "admin")
    at = sign_in(app(), "admin@acme.test")
    assert not at.sidebar.selectbox
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
