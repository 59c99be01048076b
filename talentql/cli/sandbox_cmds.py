"""``talentql sandbox build|info|export|serve``: the embedded engine's pool and server."""

from __future__ import annotations

import argparse

from talentql.cli.options import natural_int, port, positive_int

HELP = "the embedded sandbox: build, info, export, serve"


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a probability from 0 to 1")
    return value


def _pool_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=positive_int, metavar="N",
                        help="talents in the pool (default: $TALENTQL_SANDBOX_SIZE or 20,000)")
    parser.add_argument("--seed", type=natural_int, metavar="S",
                        help="generator seed (default: $TALENTQL_SANDBOX_SEED or 7)")


def register(subparsers) -> None:
    parser = subparsers.add_parser("sandbox", help=HELP, description=HELP)
    commands = parser.add_subparsers(dest="sandbox_command", metavar="COMMAND")
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])

    build = commands.add_parser("build", help="build the pool into the cache",
                                description="Generate and index a pool into the cache directory "
                                "($TALENTQL_CACHE_DIR, else the user cache dir).")
    _pool_flags(build)
    build.add_argument("--force", action="store_true", help="rebuild even if already built")
    build.set_defaults(handler=_build)

    info = commands.add_parser("info", help="where the pool is, and whether it is built")
    _pool_flags(info)
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=_info)

    export = commands.add_parser(
        "export", help="write the pool as JSONL",
        description="Write every talent as one JSON line: the API's response format plus a "
        "`sandbox` object with the facts the matcher uses (docs/sandbox.md).")
    _pool_flags(export)
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    export.set_defaults(handler=_export)

    serve = commands.add_parser(
        "serve", help="serve the search API over HTTP",
        description="Serve POST /api/v1/search/talents on loopback. Prints one line when ready: "
        "'serving the sandbox API at http://HOST:PORT/api (...)'.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port, default=8765,
                       help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--key", action="append", default=[], metavar="K",
                       help="accept key K, with a connected network (repeatable; default: the "
                       "key 'sandbox')")
    serve.add_argument("--key-without-network", action="append", default=[], metavar="K",
                       help="accept key K, without a connected network (repeatable)")
    serve.add_argument("--rate-limit-per-minute", type=positive_int, metavar="N")
    serve.add_argument("--rate-limit-per-day", type=positive_int, metavar="N")
    serve.add_argument("--fail-rate-504", type=_probability, default=0.0, metavar="P",
                       help="probability of a 504 answer (0-1)")
    serve.add_argument("--fail-rate-500", type=_probability, default=0.0, metavar="P",
                       help="probability of a 500 answer (0-1)")
    serve.add_argument("--latency-ms", type=natural_int, default=0, metavar="N",
                       help="added latency per request")
    serve.add_argument("--engine-model", choices=("gate", "strict"), default="gate",
                       help="how filters combine (default gate; a sandbox-only switch)")
    _pool_flags(serve)
    serve.set_defaults(handler=_serve)


def _build(args) -> int:
    from talentql.sandbox import pool_settings, store

    size, seed = pool_settings(args.size, args.seed)
    if args.force or not store.info(size, seed).built:
        path = store.build(size, seed)
    else:
        path = store.pool_path(size, seed)
        from talentql.cli.output import info

        info(f"already built: {path}")
    print(path)
    return 0


def _info(args) -> int:
    import json

    from talentql.sandbox import label, pool_settings, store

    size, seed = pool_settings(args.size, args.seed)
    pool = store.info(size, seed)
    data = {
        "pool": label(size, seed), "path": str(pool.path), "size": size, "seed": seed,
        "generatorVersion": pool.generator_version, "built": pool.built,
        "fileBytes": pool.file_bytes, "builtAt": pool.built_at,
        "buildSeconds": pool.build_seconds,
    }
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"pool:              {data['pool']}")
    print(f"path:              {pool.path}")
    print(f"generator version: {pool.generator_version}")
    print(f"built:             {'yes' if pool.built else 'no (talentql sandbox build)'}")
    if pool.file_bytes is not None:
        print(f"file size:         {pool.file_bytes / 1e6:,.1f} MB")
    if pool.built_at:
        seconds = f" in {pool.build_seconds:.1f}s" if pool.build_seconds else ""
        print(f"built at:          {pool.built_at}{seconds}")
    return 0


def _export(args) -> int:
    import os
    import sys

    from talentql.errors import ConfigError
    from talentql.sandbox import pool_settings, store

    size, seed = pool_settings(args.size, args.seed)
    conn = store.connect(store.ensure(size, seed))
    try:
        if not args.output or args.output == "-":
            out = sys.stdout.buffer
            for line in store.iter_export_lines(conn):
                out.write(line)
            out.flush()
            return 0
        tmp = f"{args.output}.tmp-{os.getpid()}"
        try:
            with open(tmp, "wb") as out:
                for line in store.iter_export_lines(conn):
                    out.write(line)
            os.replace(tmp, args.output)
        except OSError as error:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise ConfigError(f"cannot write {args.output}: {error.strerror or error}") from None
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    finally:
        conn.close()
    from talentql.cli.output import info

    info(f"wrote {size:,} talents to {args.output}")
    return 0


def _serve(args) -> int:
    from talentql.errors import UsageError
    from talentql.sandbox import pool_settings
    from talentql.sandbox.engine import Engine
    from talentql.sandbox.server import ServerOptions, bind, serve

    if args.fail_rate_504 + args.fail_rate_500 > 1:
        raise UsageError("--fail-rate-504 and --fail-rate-500 add up to more than 1")
    size, seed = pool_settings(args.size, args.seed)
    options = ServerOptions(
        keys=args.key, keys_without_network=args.key_without_network,
        rate_limit_per_minute=args.rate_limit_per_minute,
        rate_limit_per_day=args.rate_limit_per_day,
        fail_rate_504=args.fail_rate_504, fail_rate_500=args.fail_rate_500,
        latency_ms=args.latency_ms,
    )
    engine = Engine.open(size, seed, engine_model=args.engine_model,
                         api_keys=options.api_keys())
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: "
                         f"{error.strerror or error}") from None
    try:
        serve(engine, options, sock)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        engine.close()
    return 0
