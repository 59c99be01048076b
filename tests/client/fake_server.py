"""The fake engine (client_fakes.FakeEngine) as an HTTP server on a loopback port.

Same shape of command line as ``talentql sandbox serve`` so the fixtures treat both alike:

    python fake_server.py --port 0 --key K --size 500 --latency-ms 0 --rate-504 0.3
        --rate-429 0.3 --status 402

prints ``serving on http://127.0.0.1:PORT/api`` once listening. ``--status N`` answers every
request with that error (for statuses the sandbox cannot produce, e.g. 402).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import uvicorn
from client_fakes import FakeEngine, _error, make_pool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ERRORS = {
    402: ("insufficient_credits", "Your workspace has no credits left",
          {"creditsRemaining": 0}),
    401: ("invalid_api_key", "API key invalid", {}),
    500: ("internal_error", "Unexpected error", {}),
    400: ("validation_error", "Invalid request body",
          {"filterIndex": 0, "field": "value", "reason": "Required"}),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", action="append", default=[])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--rate-504", type=float, default=0)
    parser.add_argument("--rate-429", type=float, default=0)
    parser.add_argument("--status", type=int)
    args = parser.parse_args()
    fake = FakeEngine(make_pool(args.size))
    rng = random.Random(11)

    async def search(request: Request) -> JSONResponse:
        if args.latency_ms:
            await asyncio.sleep(args.latency_ms / 1000)
        if args.status:
            code, message, details = ERRORS[args.status]
            return JSONResponse(_error(code, message, details), status_code=args.status)
        if args.key:
            key = request.headers.get("x-api-key")
            if not key:
                return JSONResponse(_error("missing_api_key", "API key missing"), 401)
            if key not in args.key:
                return JSONResponse(_error("invalid_api_key", "API key invalid"), 401)
        if rng.random() < args.rate_429:
            return JSONResponse(
                _error("rate_limit_exceeded", "Too many requests",
                       {"window": "minute", "limit": 60, "count": 61}),
                429, headers={"Retry-After": "0"})
        if rng.random() < args.rate_504:
            return JSONResponse(_error("search_timeout", "search engine timeout"), 504)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse(_error("validation_error", "body is not JSON"), 400)
        status, answer = fake.search(body)
        return JSONResponse(answer, status_code=status)

    app = Starlette(routes=[Route("/api/v1/search/talents", search, methods=["POST"])])
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms delayed-ACK stalls
    sock.bind(("127.0.0.1", args.port))
    port = sock.getsockname()[1]
    print(f"serving on http://127.0.0.1:{port}/api", flush=True)
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
