"""Ordersight's script (app.py serves it): database bootstrap, sign-in gate, role-aware navigation.

Every run resolves its user from the session cookie and ends in st.navigation. Before sign-in every page's
URL shows the sign-in form, which comes back to that very URL (deep links survive sign-in). After, the pages
the user's permissions open are in the sidebar; the others stay reachable by URL only to say "not allowed"
(and log it): each page checks its permission itself (components.session.require)."""

from functools import partial

import streamlit as st

from components.navigation import PAGES, pages_for
from components.states import error_boundary
from core.bootstrap import prepare
from core.db import SchemaOutdated
from sections import login

st.set_page_config(page_title="Ordersight", page_icon=":material/insights:", layout="wide")


@st.cache_resource(show_spinner="Starting the database…")
def _database():
    return prepare()


def _no_pages() -> None:
    st.title("Ordersight")
    st.info("Your role does not open any page yet. Ask an administrator of your distributor.")


def _schema_outdated() -> None:
    st.title("Ordersight")
    st.error(outdated, icon=":material/database:")


user = outdated = None
with error_boundary("the database"):
    try:
        _database()
    except SchemaOutdated as exc:  # not an outage: retrying cannot help, the database needs migrating
        outdated = str(exc)
    else:
        user = login.signed_in_user()

if outdated:
    st.navigation([st.Page(_schema_outdated, title="Ordersight", url_path="schema")], position="hidden").run()
elif user is None:
    sign_in = [st.Page(login.sign_in_page, title="Sign in", icon=":material/login:", url_path="sign-in")]
    sign_in += [st.Page(partial(login.sign_in_page, f"/{spec.url_path}"), title="Sign in", url_path=spec.url_path)
                for spec in PAGES]
    st.navigation(sign_in, position="hidden").run()
else:
    login.sidebar(user)
    allowed = pages_for(user.permissions)
    sections = {
        section: [st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path) for spec in specs]
        for section, specs in allowed.items()
    }
    # a page the role may not open answers its URL with "not allowed" (and an audit row), not "not found"
    hidden = [st.Page(spec.path, title=spec.title, url_path=spec.url_path, visibility="hidden")
              for spec in PAGES if spec.permission not in user.permissions]
    if not sections:
        sections = {"": [st.Page(_no_pages, title="Ordersight", url_path="home")]}
    sections.setdefault("", [])
    sections[""] += hidden
    st.navigation(sections).run()
