"""A small OpenAI-compatible server on 127.0.0.1 for the AI tests, driven by a script per request.

    fake_openai.script(Script(text="Hola"), error(429), Script(delay_s=2))
    ... each POST /v1/chat/completions consumes the next Script (the default Script once empty) ...
    fake_openai.requests  # every JSON body received, in order

Non-streaming answers are a chat.completion; streaming answers are SSE chunks (`data: {...}`), a
usage chunk when the request asked for stream_options.include_usage (and the script has usage), then
`data: [DONE]`. Tests use it through the `fake_openai` fixture:
`from tests.fake_openai import fake_openai_fixture  # noqa: F401`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Script:
    """One scripted answer. `text` is the message content (JSON text for structured output);
    `usage` is (prompt_tokens, completion_tokens), None to send no usage at all."""

    text: str = "Hola! Tu pedido está confirmado."
    status: int = 200
    delay_s: float = 0.0
    finish_reason: str = "stop"
    refusal: str | None = None
    usage: tuple[int, int] | None = (21, 9)
    stream_error: str | None = None  # streaming only: an error event after the text, then the stream ends
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # take the request, then go away without answering and stay away (an outage mid-call)


def json_reply(obj: object, **kw) -> Script:
    """A Script whose content is `obj` as JSON text (a structured-output answer)."""
    return Script(text=json.dumps(obj), **kw)


def error(status: int, **kw) -> Script:
    """A Script answering with an OpenAI-style error body; 429 tells the client to retry at once."""
    headers = {"Retry-After": "0", "retry-after-ms": "1"} if status == 429 else {}
    return Script(status=status, headers=headers, **kw)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - silence the per-request log lines
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        fake = self.server.fake
        script = fake._record(body, {k.lower(): v for k, v in self.headers.items()})
        if script.drop:
            fake.stop()  # the listener is closed before this connection is: a retry finds no server
            self.close_connection = True
            return
        if script.delay_s and fake._stopping.wait(script.delay_s):
            return
        if script.status != 200:
            # a real 401 echoes part of the key: what ai_errors must never keep
            message = {429: "Rate limit reached", 401: "Incorrect API key provided: sk-test-1234567890abcdef."
                       }.get(script.status, "Server error")
            payload = {"error": {"message": message, "type": "fake_error", "code": str(script.status)}}
            self._send_json(script.status, payload, script.headers)
        elif body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._send_stream(body, script, include_usage)
        else:
            self._send_json(200, _completion(body, script), script.headers)

    def _send_json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_stream(self, body: dict, script: Script, include_usage: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": body.get("model", "")}
        deltas: list[dict] = [{"role": "assistant", "content": ""}]
        deltas += [{"content": piece} for piece in re.findall(r"\S+\s*", script.text)]
        if script.refusal:
            deltas.append({"refusal": script.refusal})
        events = [{**base, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
        if script.stream_error:
            events.append({"error": {"message": script.stream_error, "type": "server_error"}})
        events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": script.finish_reason}]})
        if include_usage and script.usage is not None:
            events.append({**base, "choices": [], "usage": _usage(script.usage)})
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def _usage(usage: tuple[int, int]) -> dict:
    return {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}


def _completion(body: dict, script: Script) -> dict:
    content = None if script.refusal else script.text
    message = {"role": "assistant", "content": content, "refusal": script.refusal}
    choice = {"index": 0, "message": message, "finish_reason": script.finish_reason, "logprobs": None}
    out = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [choice],
    }
    if script.usage is not None:
        out["usage"] = _usage(script.usage)
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping on a delay must not block shutdown
    fake: FakeOpenAI

    def handle_error(self, request, client_address):
        pass  # the client hanging up on a delayed answer (timeout tests) is expected


class FakeOpenAI:
    """The running server: `base_url`, `script(...)`, `requests` (JSON bodies) and
    `request_headers` (names lower-cased), one entry per request received."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.request_headers: list[dict[str, str]] = []
        self._queue: deque[Script] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        # a short poll keeps shutdown (once per test) fast
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def script(self, *scripts: Script) -> None:
        """Queues answers for the next requests, in order."""
        with self._lock:
            self._queue.extend(scripts)

    def _record(self, body: dict, headers: dict[str, str]) -> Script:
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(headers)
            return self._queue.popleft() if self._queue else Script()


@pytest.fixture(name="fake_openai")
def fake_openai_fixture():
    """A FakeOpenAI running for one test. Import `fake_openai_fixture` into a test module and take
    `fake_openai` as the argument (the different names keep ruff's F811 quiet)."""
    server = FakeOpenAI().start()
    yield server
    server.stop()
