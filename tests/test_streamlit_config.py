"""The security settings of .streamlit/config.toml that no page can override."""

from __future__ import annotations

import tomllib

from tests.apptest import ROOT


def test_client_settings_close_the_toolbar_export_and_hide_error_details():
    client = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]
    # the tables' own "Download as CSV" bypassed the permission check and the audit (issue 12, finding 1)
    assert client["disableDataExport"] is True
    # "full" showed SQL and server file paths to the user (issue 12, finding 4)
    assert client["showErrorDetails"] == "none"
