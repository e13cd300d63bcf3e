"""Load test: N concurrent signed-in sessions (mixed roles) using the app for a while, then page completions,
p50 / p95 page time, errors and connection-pool timeouts.

Sessions speak Streamlit's own websocket protocol (BackMsg / ForwardMsg protobufs on /_stcore/stream), as
the browser does: sign in through the form, open the pages the role's navigation offers, sometimes change
the period filter, with a short think time between actions. A page time is from the request to the
server's "script finished" (the last run, after any st.rerun), elements included; the browser's own
drawing is left out, because each real user brings their own CPU for that. On a 2-core machine 30
Chromium pages would measure the browsers, not the server.

    python -m bench.load                      # demo data in its own database + its own server
    python -m bench.load --url http://127.0.0.1:8501 --sessions 30 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import defaultdict
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.load_stats import Result, Sampler, report
from tests.browser.server import start_app, stop_app

ROOT = Path(__file__).resolve().parent.parent
LOAD_DB = "ordersight_load"
PASSWORD = "demo1234"
FINISHED = ForwardMsg.ScriptFinishedStatus
PERIODS = ["Last 7 days", "Last 30 days", "Last 90 days", "This month"]


class Session:
    """One browser tab's worth of protocol: the widgets and pages the last run showed, and its errors."""

    def __init__(self, url: str, email: str, role: str):
        self.ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.origin = url
        self.email, self.role = email, role
        self.pages: dict[str, str] = {}  # page name -> page_script_hash
        self.widgets: dict[tuple[str, str], str] = {}  # (element type, label) -> widget id
        self.errors: list[str] = []
        self.page = ""
        self._finished: asyncio.Queue[int] = asyncio.Queue()

    async def open(self) -> None:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin, max_size=None,
                                open_timeout=30, ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self._reader.cancel()
        await self.ws.close()

    async def _read(self) -> None:
        async for raw in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.widgets, self.errors = {}, []
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)
            elif kind == "script_finished":
                self._finished.put_nowait(msg.script_finished)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            self.errors.append(f"error: {element.alert.body[:160]}")
        elif kind in ("text_input", "button", "selectbox"):
            widget = getattr(element, kind)
            self.widgets[(kind, widget.label)] = widget.id

    async def run(self, page: str = "", widget_states: list[tuple[str, str, object]] = (),
                  timeout_s: float = 60) -> float:
        """Asks for a run (of `page`, with widget values (id, proto field, value)) and returns the seconds
        until the last run it caused finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_script_hash = self.pages.get(page, "")
        for widget_id, value_field, value in widget_states:
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            setattr(widget, value_field, value)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            status = await asyncio.wait_for(self._finished.get(), timeout_s)
            if status != FINISHED.FINISHED_EARLY_FOR_RERUN:  # st.rerun: the next run is the one that counts
                return time.perf_counter() - started

    async def sign_in(self) -> float:
        await self.run()
        ids = {label: wid for (_, label), wid in self.widgets.items()}
        seconds = await self.run(widget_states=[
            (ids["Email"], "string_value", self.email), (ids["Password"], "string_value", PASSWORD),
            (ids["Sign in"], "trigger_value", True)])
        if not self.pages or ("button", "Sign out") not in self.widgets:
            raise RuntimeError(f"sign-in of {self.email} failed: {self.errors}")
        return seconds


async def user_loop(session: Session, deadline: float, think_s: float, results: list[Result],
                    rng: random.Random) -> None:
    """Signs in, then until the deadline: a page from the navigation, or (one time in three) another period
    on the current page; each followed by a think time around `think_s`."""
    await session.open()
    try:
        results.append(Result(session.role, "sign-in", await session.sign_in(), list(session.errors)))
        names = list(session.pages)
        session.page = names[0]  # st.navigation opens the first page after sign-in
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
            period = session.widgets.get(("selectbox", "Period"))
            if period and rng.random() < 1 / 3:
                label = f"{session.page} (period)"
                seconds = await session.run(session.page, [(period, "string_value", rng.choice(PERIODS))])
            else:
                session.page = label = rng.choice(names)
                seconds = await session.run(session.page)
            results.append(Result(session.role, label, seconds, list(session.errors)))
    finally:
        await session.close()


async def drive(urls: list[str], logins: list[tuple[str, str]], sessions: int, seconds: float, think_s: float,
                seed: int) -> tuple[list[Result], list[str]]:
    """Runs the sessions (signing in staggered over the first seconds, as people arrive; session i on server
    i mod len(urls), as a sticky load balancer would spread them) and returns every action's result and the
    sessions that failed."""
    rng = random.Random(seed)
    results: list[Result] = []
    deadline = time.monotonic() + seconds

    async def one(i: int) -> None:
        await asyncio.sleep(i * min(0.2, seconds / 10 / sessions))
        email, role = logins[i % len(logins)]
        session = Session(urls[i % len(urls)], email, role)
        await user_loop(session, deadline, think_s, results, random.Random(rng.random()))

    outcomes = await asyncio.gather(*(one(i) for i in range(sessions)), return_exceptions=True)
    failures = [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, BaseException)]
    return results, failures


def prepare_database(reuse: bool) -> tuple[dict[str, str], str]:
    """Loads the demo dataset (default size) into its own database on the embedded server and returns the
    environment the app server needs, and the database URL. --reuse keeps an existing load."""
    from sqlalchemy import create_engine, text

    from core import db, demo
    from core.config import get_settings

    data_dir = Path(get_settings().data_dir)
    url = db.embedded_url(data_dir, LOAD_DB)
    engine = create_engine(url)
    db.migrate(engine)
    with engine.connect() as conn:
        loaded = conn.execute(text("select exists (select 1 from distributors)")).scalar_one()
    if loaded and not reuse:
        with engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE distributors, auth.users CASCADE")
    if not loaded or not reuse:
        demo.generate_and_load(engine, progress=print)
    engine.dispose()
    return {"ORDERSIGHT_DATA_DIR": str(data_dir), "ORDERSIGHT_DATABASE_NAME": LOAD_DB}, url


def demo_users() -> list[tuple[str, str]]:
    """(email, role) of every demo login, interleaved so consecutive sessions get different roles."""
    import demo

    logins = [(email, role) for email, role, _ in demo.demo_logins()]
    by_role: dict[str, list] = defaultdict(list)
    for login in logins:
        by_role[login[1]].append(login)
    rounds = max(len(v) for v in by_role.values())
    return [v[i] for i in range(rounds) for v in by_role.values() if i < len(v)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an app already running (default: start one on the load database)")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=5.0, help="mean think time between actions (s)")
    parser.add_argument("--port", type=int, default=8599, help="first port of the servers started")
    parser.add_argument("--servers", type=int, default=1, help="app processes to start (sessions spread)")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for the servers started, e.g. runner.fastReruns=false")
    parser.add_argument("--reuse", action="store_true", help="keep the load database if already filled")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log", type=Path, default=ROOT / "bench" / "data" / "load-server.log")
    args = parser.parse_args()

    servers, samplers = [], []
    if args.url:
        urls, logs = [args.url.rstrip("/")], [args.log]
    else:
        env, db_url = prepare_database(args.reuse)
        ports = [args.port + i for i in range(args.servers)]
        logs = [args.log.with_name(f"{args.log.stem}-{port}{args.log.suffix}") for port in ports]
        options = tuple(arg for o in args.option for arg in (f"--{o.split('=', 1)[0]}", o.split("=", 1)[1]))
        servers = [start_app(env, log, options, port) for port, log in zip(ports, logs, strict=True)]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        samplers = [Sampler(server.process.pid, db_url) for server in servers]
    try:
        starts = [log.stat().st_size if log.exists() else 0 for log in logs]
        for sampler in samplers:
            sampler.start()
        cpu_before = time.process_time()
        results, failures = asyncio.run(drive(urls, demo_users(), args.sessions, args.seconds, args.think,
                                              args.seed))
        driver_cpu = (time.process_time() - cpu_before) / args.seconds * 100
        log_text = "".join(log.read_text(errors="replace")[start:] for log, start in zip(logs, starts, strict=True)
                           if log.exists())
        print(report(results, failures, log_text, args.seconds, args.sessions))
        print(f"- this load driver's own CPU: {driver_cpu:.0f}% of one core (same machine as the server)")
        for port, sampler in zip(urls, samplers, strict=True):
            sampler.stopping.set()
            sampler.join()
            print(f"{port}:\n{sampler.summary()}")
    finally:
        for server in servers:
            stop_app(server)


if __name__ == "__main__":
    main()
