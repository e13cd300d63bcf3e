"""Ordersight entry point: database bootstrap, sign-in gate, role-aware navigation.

Every run ends in st.navigation: before sign-in its only page is the sign-in form; after, the pages the
user's permissions open. A page left out cannot be reached, not even by its URL, and each page checks its
permission again (components.session.require)."""

import streamlit as st

from components.navigation import pages_for
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
    sign_in = st.Page(login.sign_in_page, title="Sign in", icon=":material/login:", url_path="sign-in")
    st.navigation([sign_in], position="hidden").run()
else:
    login.sidebar(user)
    sections = {
        section: [st.Page(spec.path, title=spec.title, icon=spec.icon) for spec in specs]
        for section, specs in pages_for(user.permissions).items()
    }
    st.navigation(sections or [st.Page(_no_pages, title="Ordersight", url_path="home")]).run()
