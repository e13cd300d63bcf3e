"""Running `streamlit run app.py` as a subprocess for the browser tests and bench/load.py: a free port,
the health wait Streamlit's own e2e suite uses, and a clean stop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AppServer:
    url: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 90) -> None:
    """Polls /_stcore/health until it answers "ok" (as Streamlit's e2e suite does)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer /_stcore/health in {timeout_s}s:\n{log.read_text()[-3000:]}")


def start_app(env: dict[str, str], log: Path, extra_args: tuple[str, ...] = (), port: int | None = None) -> AppServer:
    """Starts `streamlit run app.py` on `port` (default: a free one) with `env` on top of this process's
    environment and `extra_args` (Streamlit options), its output in `log`; returns once it is healthy."""
    port = port or free_port()
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    if "DATABASE_URL" not in env:
        full_env.pop("DATABASE_URL", None)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *extra_args],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
        )
    server = AppServer(f"http://127.0.0.1:{port}", log, process)
    try:
        wait_for_health(server.url, process, log)
    except BaseException:
        stop_app(server)
        raise
    return server


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
