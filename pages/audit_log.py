"""Audit log (admins): data access and security events on one timeline, with KPIs, activity per day, the
unusual activity worth a look, and CSV exports that are audited themselves."""


import pandas as pd
import streamlit as st

from components.charts import bar_chart
from components.data import fetch, log_export, log_view
from components.filters import date_range_filter, multiselect_filter, text_search
from components.kpis import Kpi, kpi_row
from components.session import require
from components.states import empty_state, error_boundary
from components.tables import data_table, paginator
from components.text import escape_markdown
from queries import audit
from queries.audit import BURST_FAILURES, BURST_WINDOW_MIN, EXPORT_MULTIPLE, EXPORT_ROWS_LIMIT, AuditFilters
from sections.platform_log import platform_log
from services.auth_model import EXPORT_DATA, SWITCH_TENANT, VIEW_AUDIT

RESOURCE = "audit_log"
PAGE_SIZE = 50

user = require(VIEW_AUDIT)
st.title("Audit log")
st.caption(f"Who looked at, exported or changed the data of {user.distributor_name}, and every sign-in. "
           f"Times in {user.timezone}.")
filters = total = None


def unusual_activity(exports: pd.DataFrame, bursts: pd.DataFrame) -> None:
    """A warning listing unusual exports and bursts of failed sign-ins, or a caption saying there are none."""
    lines = []
    for r in exports.itertuples():
        usual = "no exports before" if pd.isna(r.usual_rows) else f"usually {r.usual_rows:,.0f}"
        lines.append(f"- {r.day:%d %b}: **{escape_markdown(r.user_label)}** exported **{r.exported_rows:,} rows** "
                     f"({usual})")
    for r in bursts.itertuples():
        lines.append(f"- {r.started_at:%d %b %H:%M}–{r.ended_at:%H:%M}: **{r.failures} failed sign-ins** "
                     f"for {r.emails} email(s)")
    if lines:
        st.warning("**Unusual activity**\n\n" + "\n".join(lines), icon=":material/warning:")
    else:
        st.caption(f"No unusual activity: no one exported over {EXPORT_ROWS_LIMIT:,} rows or "
                   f"{EXPORT_MULTIPLE}× their usual in a day, and no {BURST_FAILURES} failed sign-ins within "
                   f"{BURST_WINDOW_MIN} minutes.")


with error_boundary("the audit log"):
    cols = st.columns([2, 2, 2, 2, 3])
    with cols[0]:
        period = date_range_filter("audit", user.timezone)
    if period is None:
        st.stop()
    options = fetch(audit.audit_filter_options, user, start=period.start, end=period.end, tz=user.timezone)

    def pick(column, label: str, kind: str) -> tuple[str, ...]:
        """A multiselect over the labels of `kind` seen in the period; returns the chosen values."""
        rows = options[options["kind"] == kind]
        with column:
            chosen = multiselect_filter(label, rows["label"].tolist(), f"audit_{kind}")
        return tuple(rows.loc[rows["label"].isin(chosen), "value"])

    users = pick(cols[1], "User", "user")
    actions = pick(cols[2], "Action / event", "action")
    resources = pick(cols[3], "Resource", "resource")
    with cols[4]:
        search = text_search("Search details", "audit_q")
    filters = AuditFilters(period.start, period.end, user.timezone, users, actions, resources, search)

    kpis = fetch(audit.audit_kpis, user, filters=filters)
    cur, prev = kpis["current"], kpis["previous"]
    total = cur["events"]
    log_view(user, RESOURCE, total, filters.describe())
    kpi_row([
        Kpi("Events", cur["events"], "int", prev["events"]),
        Kpi("Users", cur["users"], "int", prev["users"], help="Distinct users behind these events"),
        Kpi("Exports", cur["exports"], "int", prev["exports"],
            help=f"{cur['exported_rows']:,} rows exported in this period"),
        Kpi("Failed sign-ins", cur["failed_sign_ins"], "int", prev["failed_sign_ins"], inverse=True),
    ])
    before = period.previous()
    st.caption(f"Compared with {before.start:%d %b} – {before.end:%d %b %Y}.")

with error_boundary("the unusual activity"):
    if filters is not None:
        span = {"start": filters.start, "end": filters.end, "tz": filters.tz}
        unusual_activity(fetch(audit.audit_export_anomalies, user, **span),
                         fetch(audit.audit_failed_sign_in_bursts, user, **span))

if user.can(SWITCH_TENANT) and filters is not None:
    with st.expander("Platform: failed sign-ins for unknown emails"), error_boundary("the platform log"):
        platform_log(user, period)

if not total:
    if total == 0:
        empty_state("No audit events match", "Widen the period or clear some filters.")
    st.stop()

with error_boundary("the activity chart"):
    daily = fetch(audit.audit_daily, user, filters=filters)
    st.plotly_chart(bar_chart(daily, x="day", y="events", color="action", title="Activity per day",
                              labels={"day": "Day", "events": "Events", "action": "Action / event"}))

with error_boundary("the audit events"):
    limit, offset = paginator(total, PAGE_SIZE, "audit_table", reset_on=filters)
    rows = fetch(audit.audit_events, user, filters=filters, limit=limit, offset=offset)
    data_table(
        rows.drop(columns=["user_id"]), "audit_table", export_name="audit_log_page",
        on_export=lambda n: log_export(user, RESOURCE, n, filters.describe()),
        column_config={"at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm:ss"),
                       "kind": "Kind", "user_label": "User", "action": "Action / event",
                       "resource": "Resource", "record_count": st.column_config.NumberColumn("Records"),
                       "details": "Details"},
    )

if user.can(EXPORT_DATA):
    with st.expander("Export every event matching the filters"), error_boundary("the export"):
        if st.toggle("Load the export", key="audit_export"):
            everything = fetch(audit.audit_events, user, filters=filters, limit=None, offset=0)
            data_table(everything, "audit_export_all", export_name="audit_log",
                       on_export=lambda n: log_export(user, RESOURCE, n, filters.describe()))
