"""The pool on disk: one SQLite file per (generator version, size, seed) in the cache directory.

Layout: ``talent`` (rank-ordered rows: coordinates and the compressed export record), ``ft`` (a
contentless FTS5 index with detail=none, one row per talent, every token tagged with its field:
words, one token per whole item for exact matches, bundle tokens, numbers and year buckets, grid
cells for radius queries) and ``vocab``
(the distinct items of multi-item fields, to match multi-word values per item). Built into a
temporary file and renamed, so an interrupted build never leaves a broken pool.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from talentql import engine as api
from talentql import fields
from talentql.errors import ConfigError
from talentql.sandbox import CACHE_ENV, geo, label
from talentql.sandbox.generate import (
    CHUNK, GENERATOR_VERSION, chunk_count, generate, generate_chunk, universe_for,
)
from talentql.sandbox.profile import (
    MULTI_ITEM_COLUMNS, TEXT_COLUMNS, _text_items, bundles, graduation_years,
)
from talentql.sandbox.text import exact_token, words

TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_$'"
SIZE_LABELS = tuple(api.bucket_label(b) for b in api.SIZE_BUCKETS)
NETWORK_TOKENS = {"1st degree": "n1", "invited": "n2"}
BUNDLE_TOKENS = {
    **{name: f"$b{i}" for i, name in enumerate(fields.COMPANY_BUNDLES)},
    **{name: f"$s{i}" for i, name in enumerate(fields.SCHOOL_BUNDLES)},
}
BATCH = 2000


def cache_dir() -> Path:
    """TALENTQL_CACHE_DIR, else the user cache dir (platformdirs), plus ``sandbox/``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        base = Path(override).expanduser()
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("talentql"))
    return base / "sandbox"


STORE_FORMAT = 2  # bump when the file's layout changes (the generator's output did not)


def pool_path(size: int, seed: int) -> Path:
    return cache_dir() / f"pool-g{GENERATOR_VERSION}-f{STORE_FORMAT}-n{size}-s{seed}.sqlite"


@dataclass(frozen=True)
class PoolInfo:
    path: Path
    size: int
    seed: int
    generator_version: int
    built: bool
    file_bytes: int | None
    built_at: str | None
    build_seconds: float | None


def info(size: int, seed: int) -> PoolInfo:
    path = pool_path(size, seed)
    meta = _read_meta(path)
    ok = (meta is not None and meta.get("generator_version") == str(GENERATOR_VERSION)
          and meta.get("format") == str(STORE_FORMAT))
    return PoolInfo(
        path, size, seed, GENERATOR_VERSION, ok,
        path.stat().st_size if path.exists() else None,
        meta.get("built_at") if meta else None,
        float(meta["build_seconds"]) if meta and meta.get("build_seconds") else None,
    )


def _read_meta(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def ensure(size: int, seed: int, *, quiet: bool = False) -> Path:
    """The pool's path, building it first if it is missing or from another generator version."""
    if info(size, seed).built:
        return pool_path(size, seed)
    return build(size, seed, quiet=quiet)


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to a built pool, shareable between threads (callers lock)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB
    conn.execute("PRAGMA mmap_size = 1073741824")
    return conn


# --- Building --------------------------------------------------------------------------------------


def build(size: int, seed: int, *, quiet: bool = False) -> Path:
    """Generate and index the pool into the cache (atomically). Returns its path."""
    path = pool_path(size, seed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create the sandbox cache directory {path.parent}: {error}") from None
    _remove_orphans(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    progress = _Progress(size, seed, quiet=quiet)
    started = time.perf_counter()
    try:
        _write(tmp, size, seed, progress)
        conn = sqlite3.connect(tmp)
        seconds = time.perf_counter() - started
        conn.execute("INSERT INTO meta VALUES ('build_seconds', ?)", (f"{seconds:.2f}",))
        conn.commit()
        conn.close()
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
        progress.abort()
        raise
    progress.done(path, time.perf_counter() - started)
    _remove_stale(size, seed)
    return path


def _remove_orphans(path: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    for tmp in path.parent.glob(f"{path.name}.tmp-*"):
        pid = tmp.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                tmp.unlink()
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale(size: int, seed: int) -> None:
    """Pools of other generator versions for this (size, seed) are dead weight."""
    current = pool_path(size, seed)
    for old in current.parent.glob(f"pool-g*-n{size}-s{seed}.sqlite"):
        if old != current:
            try:
                old.unlink()
            except OSError:
                pass


def _write(tmp: Path, size: int, seed: int, progress: "_Progress") -> None:
    if tmp.exists():
        tmp.unlink()
    conn = sqlite3.connect(tmp)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                   "temp_store = MEMORY", "cache_size = -262144", "page_size = 8192"):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript(
        f"""
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE talent(id INTEGER PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL,
                            doc BLOB NOT NULL);
        CREATE TABLE vocab(col TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (col, item))
            WITHOUT ROWID;
        CREATE VIRTUAL TABLE ft USING fts5(doc, content='', detail='none',
            tokenize="{TOKENIZER}");
        INSERT INTO ft(ft, rank) VALUES ('pgsz', 8000);
        INSERT INTO ft(ft, rank) VALUES ('automerge', 0);
        INSERT INTO ft(ft, rank) VALUES ('crisismerge', 64);
        """
    )
    vocab: set[tuple[str, str]] = set()
    max_years = 0
    talents_sql = "INSERT INTO talent VALUES (?, ?, ?, ?)"
    ft_sql = "INSERT INTO ft(rowid, doc) VALUES (?, ?)"
    zdict = _zdict(size, seed)
    done = 0
    for rows_t, rows_f, chunk_vocab, chunk_max in _chunks(size, seed, zdict):
        conn.executemany(talents_sql, rows_t)
        conn.executemany(ft_sql, rows_f)
        vocab |= chunk_vocab
        max_years = max(max_years, chunk_max)
        done += len(rows_t)
        progress.update(done)
    progress.update(size, finishing=True)
    conn.executemany("INSERT INTO vocab VALUES (?, ?)", sorted(vocab))
    conn.execute("INSERT INTO ft(ft) VALUES ('optimize')")
    meta = {
        "generator_version": GENERATOR_VERSION, "size": size, "seed": seed,
        "max_years": max_years, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "format": STORE_FORMAT,
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
    conn.execute("INSERT INTO meta VALUES ('zdict', ?)", (zdict,))
    conn.commit()
    conn.close()


ZDICT_BYTES = 8192
# Smaller pools build in-process: worker start-up would cost more. Forked workers inherit the
# universe the parent already built, so they start cheaply; spawned ones rebuild it.
PARALLEL_FROM = 4_000 if sys.platform == "linux" else 40_000


def _zdict(size: int, seed: int) -> bytes:
    """A zlib preset dictionary from the pool's first talents: halves the stored size."""
    first = itertools.islice(generate(size, seed), 200)
    return b"".join(_json(t) for t in first)[-ZDICT_BYTES:]


def _json(talent: dict) -> bytes:
    return json.dumps(talent, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _chunk_rows(size: int, seed: int, chunk: int, zdict: bytes):
    """Rows of one chunk, ready to insert (runs in a worker process for big pools)."""
    universe = universe_for(size, seed)
    start = chunk * CHUNK + 1
    rows_t, rows_f, vocab, max_years = [], [], set(), 0
    for rowid, talent in enumerate(generate_chunk(universe, size, seed, chunk), start=start):
        s = talent["sandbox"]
        packer = zlib.compressobj(6, zdict=zdict)
        doc = packer.compress(_json(talent)) + packer.flush()
        rows_t.append((rowid, s["latitude"], s["longitude"], doc))
        rows_f.append((rowid, index_row(talent, vocab)))
        max_years = max(max_years, s["yearsOfExperience"], s["yearsInJob"])
    return rows_t, rows_f, vocab, max_years


def _chunk_job(job):
    return _chunk_rows(*job)


def _chunks(size: int, seed: int, zdict: bytes):
    jobs = [(size, seed, k, zdict) for k in range(chunk_count(size))]
    import threading

    workers = min(os.cpu_count() or 1, 4)
    # Forking a process that runs other threads (a REPL building on first use) is unsafe.
    if size < PARALLEL_FROM or workers < 2 or threading.active_count() > 1:
        yield from map(_chunk_job, jobs)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    # Workers ignore Ctrl-C: the parent gets it, stops them, and reports it once (no tracebacks).
    with context.Pool(workers, initializer=_ignore_sigint) as pool:
        yield from pool.imap(_chunk_job, jobs, chunksize=1)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@lru_cache(maxsize=1 << 17)
def _item_tokens(col: str, item: str) -> str:
    """The index tokens of one item of a field: its words and its whole-value token."""
    return " ".join(f"{col}${t}" for t in (*words(item), exact_token(item)))


def _year_tokens(col: str, years: int) -> list[str]:
    """The number, and every bucket holding it (buckets share edges): one token per bucket
    makes the common bucket filters a single lookup."""
    return [f"{col}${years}", *(f"{col}b${i}" for i, (low, high) in enumerate(api.YEAR_BUCKETS)
                                if low <= years <= high)]


def index_row(talent: dict, vocab: set | None = None) -> str:
    """The index text of one talent: every token tagged with its field (``skill$python``).

    One FTS5 column with ``detail=none``: a tagged token's doclist holds exactly the talents
    whose field has it, so a search is a plain boolean merge of doclists.
    """
    items = _text_items(talent)  # not the memoized one: a build sees each record once
    held = bundles(talent)
    out = ["all$t"]
    for col in TEXT_COLUMNS:
        values = items[col]
        out.extend(_item_tokens(col, v) for v in values)
        out.extend(f"{col}${BUNDLE_TOKENS[b]}" for b in held.get(col, ()))
        if vocab is not None and col in MULTI_ITEM_COLUMNS:
            vocab.update((col, v) for v in values)
    s = talent["sandbox"]
    out.extend(_year_tokens("yoe", s["yearsOfExperience"]))
    out.extend(_year_tokens("tenure", s["yearsInJob"]))
    if s.get("companyEmployees"):
        out.append(f"size${SIZE_LABELS.index(s['companySize'])}")
    out.extend(f"grad${y}" for y in graduation_years(talent))
    if s.get("network") in NETWORK_TOKENS:
        out.append(f"network${NETWORK_TOKENS[s['network']]}")
    if s.get("freelance"):
        out.append("seniority$freelance")
    out.extend(f"geo${c}" for c in geo.cell_tokens(s["latitude"], s["longitude"]))
    return " ".join(out)


def zdict_of(conn: sqlite3.Connection) -> bytes:
    return conn.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()[0]


def unpack(doc: bytes, zdict: bytes) -> bytes:
    """A stored record's JSON bytes."""
    return zlib.decompressobj(zdict=zdict).decompress(doc)


def iter_talents(conn: sqlite3.Connection) -> Iterator[dict]:
    """Every talent of a pool, in rank order, as export records."""
    for line in iter_export_lines(conn):
        yield json.loads(line)


def iter_export_lines(conn: sqlite3.Connection) -> Iterator[bytes]:
    """The export's JSONL lines, byte-stable (the stored JSON as generated)."""
    zdict = zdict_of(conn)
    for (doc,) in conn.execute("SELECT doc FROM talent ORDER BY id"):
        yield unpack(doc, zdict) + b"\n"


class _Progress:
    """A progress bar on a terminal's stderr; one plain line otherwise."""

    def __init__(self, size: int, seed: int, *, quiet: bool) -> None:
        self.size = size
        self.quiet = quiet
        self.tty = not quiet and sys.stderr.isatty()
        self.last = 0.0
        self.start = time.perf_counter()
        if not quiet:
            message = f"building the {label(size, seed)} pool…"
            print(message if not self.tty else message, file=sys.stderr, flush=True)

    def update(self, done: int, *, finishing: bool = False) -> None:
        if not self.tty:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and not finishing:
            return
        self.last = now
        width = 30
        filled = int(width * done / max(1, self.size))
        tail = " indexing…" if finishing else ""
        sys.stderr.write(
            f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.size:,} "
            f"{now - self.start:5.1f}s{tail}"
        )
        sys.stderr.flush()

    def abort(self) -> None:
        if self.tty:
            sys.stderr.write("\n")

    def done(self, path: Path, seconds: float) -> None:
        if self.quiet:
            return
        if self.tty:
            sys.stderr.write("\n")
        print(f"built in {seconds:.1f}s: {path}", file=sys.stderr, flush=True)
