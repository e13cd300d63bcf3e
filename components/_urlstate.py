"""Keeps a component's widgets and its URL query params in step, so a shared URL reproduces the view.

The URL is the source of truth: widgets are created with the URL's values as defaults. Streamlit keeps a
keyed widget's value across reruns and ignores later default changes, so when the URL changes from the
outside (a link, the browser's back button, a page switch that cleared the params) the widgets get a new
key "generation" and start again from the URL. Only plain strings and ints go to session state: it must
stay picklable (runner.enforceSerializableSessionState).
"""

from __future__ import annotations

import streamlit as st


class UrlState:
    """The query params of one component; `params` maps a value name to its query param name."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = params
        # Named after the params, which are unique in a URL: two components may share a key
        # (a filter and a paginator both keyed "orders") but never a param
        self._memo_key = "_urlstate:" + ",".join(sorted(params.values()))

    def values(self) -> dict[str, str | None]:
        """The current URL value of each param (None when absent)."""
        return {name: st.query_params.get(param) for name, param in self.params.items()}

    def generation(self) -> int:
        """Suffix for this component's widget keys; it changes when the URL changed outside the component."""
        current = self.values()
        memo = st.session_state.get(self._memo_key)
        if memo is None:
            memo = {"generation": 0, "seen": current}
        elif memo["seen"] != current:
            memo = {"generation": memo["generation"] + 1, "seen": current}
        st.session_state[self._memo_key] = memo
        return memo["generation"]

    def write(self, **values: str | None) -> None:
        """Puts the widgets' values in the URL (None removes the param), writing only what changed."""
        for name, value in values.items():
            param = self.params[name]
            if value is None:
                if param in st.query_params:
                    del st.query_params[param]
            elif st.query_params.get(param) != value:
                st.query_params[param] = value
        memo = st.session_state[self._memo_key]
        st.session_state[self._memo_key] = {"generation": memo["generation"], "seen": self.values()}
