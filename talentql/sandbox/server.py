"""The sandbox over HTTP: ``talentql sandbox serve`` (Starlette on uvicorn).

``POST /api/v1/search/talents`` with ``x-api-key``, answering exactly as ``Engine.handle`` does,
plus what only a server has: per-key rate limits (429 ``rate_limit_exceeded`` with details and
``Retry-After``) and fault injection (504 / 500 answers at given rates, added latency), so clients
can be tested against faults over a real socket.

When it is ready it prints one line on stdout (tools parse it; keep it stable):

    serving the sandbox API at http://127.0.0.1:8765/api (key: sandbox)
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from talentql import engine as api

URL_LINE_PREFIX = "serving the sandbox API at "
DEFAULT_KEY = "sandbox"
DEFAULT_PORT = 8765
WINDOWS = (("minute", 60), ("day", 86_400))


@dataclass
class ServerOptions:
    keys: list[str] = field(default_factory=list)  # keys with a connected network
    keys_without_network: list[str] = field(default_factory=list)
    rate_limit_per_minute: int | None = None
    rate_limit_per_day: int | None = None
    fail_rate_504: float = 0.0
    fail_rate_500: float = 0.0
    latency_ms: int = 0
    fault_seed: int | None = None  # makes injected faults reproducible

    def api_keys(self) -> dict[str, bool]:
        keys = {k: False for k in self.keys_without_network}
        keys.update({k: True for k in self.keys})
        if not keys:
            keys[DEFAULT_KEY] = True
        return keys

    def describe_keys(self) -> str:
        if not self.keys and not self.keys_without_network:
            return f"key: {DEFAULT_KEY}"
        parts = [f"{len(self.keys)} key{'s' * (len(self.keys) != 1)} with network"]
        if self.keys_without_network:
            parts.append(f"{len(self.keys_without_network)} without")
        return ", ".join(parts)


class RateLimiter:
    """Fixed windows per key: a minute and a day. Thread-safe; keeps one counter per key and
    window (the current slot's), so a long-running server does not grow."""

    def __init__(self, per_minute: int | None, per_day: int | None, clock=time.time) -> None:
        self.limits = {"minute": per_minute, "day": per_day}
        self.counts: dict[tuple[str, str], tuple[int, int]] = {}  # (key, window) → (slot, n)
        self.clock = clock
        self.lock = threading.Lock()

    def check(self, key: str) -> tuple[str, int, int, int] | None:
        """Count one request; None if allowed, else (window, limit, count, retry_after_s)."""
        now = self.clock()
        active = [(w, s, int(now // s)) for w, s in WINDOWS if self.limits[w] is not None]
        with self.lock:
            for window, seconds, slot in active:
                held_slot, count = self.counts.get((key, window), (slot, 0))
                count = count if held_slot == slot else 0
                if count >= self.limits[window]:
                    return (window, self.limits[window], count,
                            max(1, math.ceil((slot + 1) * seconds - now)))
            for window, _seconds, slot in active:
                held_slot, count = self.counts.get((key, window), (slot, 0))
                self.counts[(key, window)] = (slot, (count if held_slot == slot else 0) + 1)
            return None


def _error(status: int, code: str, message: str, details: dict | None = None) -> dict:
    return {"success": False, "error": {"code": code, "message": message,
                                        "debugTrackingCode": f"sbx-{uuid.uuid4().hex[:12]}",
                                        "details": details or {}}}


def create_app(engine, options: ServerOptions):
    """The ASGI app serving ``engine`` (a talentql.sandbox.engine.Engine)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    limiter = RateLimiter(options.rate_limit_per_minute, options.rate_limit_per_day)
    faults = random.Random(options.fault_seed)
    keys = options.api_keys()
    engine.api_keys = keys

    async def search(request: Request) -> JSONResponse:
        if options.latency_ms:
            await asyncio.sleep(options.latency_ms / 1000)
        key = request.headers.get(api.API_KEY_HEADER)
        if key and key in keys:
            refused = limiter.check(key)
            if refused:
                window, limit, count, retry = refused
                return JSONResponse(
                    _error(429, "rate_limit_exceeded", f"rate limit exceeded: {limit} requests "
                           f"per {window}", {"window": window, "limit": limit, "count": count,
                                             "retryAfterSeconds": retry}),
                    status_code=429, headers={"Retry-After": str(retry)})
            roll = faults.random()
            if roll < options.fail_rate_504:
                return JSONResponse(_error(504, "search_timeout", "the search engine timed out "
                                           "(injected fault)"), status_code=504)
            if roll < options.fail_rate_504 + options.fail_rate_500:
                return JSONResponse(_error(500, "internal_error", "internal error (injected "
                                           "fault)"), status_code=500)
        try:
            body = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError):
            return JSONResponse(_error(400, "validation_error", "the request body is not valid "
                                       "JSON", {"field": "body"}), status_code=400)
        status, headers, envelope = await run_in_threadpool(engine.handle, body, key)
        return JSONResponse(envelope, status_code=status, headers=headers)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"success": True, "data": {"pool": {"size": engine.size,
                                                                  "seed": engine.seed}}})

    async def not_found(request: Request, exc) -> JSONResponse:
        return JSONResponse(_error(404, "not_found", f"no such endpoint: {request.method} "
                                   f"{request.url.path}"), status_code=404)

    async def bad_method(request: Request, exc) -> JSONResponse:
        return JSONResponse(_error(405, "method_not_allowed", f"{request.method} is not allowed "
                                   f"on {request.url.path}"), status_code=405)

    return Starlette(
        routes=[
            Route("/api" + api.SEARCH_PATH, search, methods=["POST"]),
            Route("/api/v1/health", health, methods=["GET"]),
        ],
        exception_handlers={404: not_found, 405: bad_method},
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 → a free port), so the printed URL is the real one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: a response's headers and body go out at once instead of
    # the body waiting ~40 ms on Nagle's algorithm and the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api"


def serve(engine, options: ServerOptions, sock: socket.socket, *, out=None) -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM stop it cleanly)."""
    import uvicorn

    app = create_app(engine, options)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    out = out or sys.stdout
    print(f"{URL_LINE_PREFIX}{url_of(sock)} ({options.describe_keys()})", file=out, flush=True)
    server.run(sockets=[sock])
