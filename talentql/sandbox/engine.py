"""The search engine over a pool: validation, matching in SQLite, ranking, paging, transactions.

Transport-agnostic: ``Engine.handle(body, api_key)`` returns ``(status, headers, envelope)`` exactly
as the service would answer, and both the in-process backend and the HTTP server call it.

How a search runs: every filter becomes an FTS5 expression over the pool's index (exact for text,
numbers, bundles and closed values; a superset — grid cells — for radius filters). One MATCH gives
the candidates in rank order; radius filters are then checked with the exact great-circle
distance, and optional filters are counted for ranking. Results are cached per search, so paging
costs a slice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import struct
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from talentql import engine as api
from talentql import fields
from talentql.sandbox import geo, store
from talentql.sandbox.match import (
    BUNDLES_BY_TYPE, NETWORK_VALUES, groups_of, optional_matched, parse_range, search_admits,
)
from talentql.sandbox.profile import (
    BAG_COLUMNS, HISTORY_SYNONYMS, MULTI_ITEM_COLUMNS, columns_for,
)
from talentql.sandbox.text import exact_token, norm, words

MODEL_SWITCH = "sandboxEngineModel"  # sandbox-only request key: "gate" (default) or "strict"
NOTHING = '"none$none"'  # a token no talent has
EVERYTHING = '"all$t"'  # a token every talent has
SIZE_LABELS = store.SIZE_LABELS
YEAR_TYPES = {"YEARS_OF_EXPERIENCE": "yoe", "DURATION_IN_JOB": "tenure"}
DEGREES = frozenset(fields.DEGREE_ALIASES.values())
HISTORIES = frozenset({*api.HISTORY_VALUES.values(), *HISTORY_SYNONYMS})
GRAD_RANGE = (1950, 2030)  # the years a pool can hold; wider ranges are clipped
CACHED_SEARCHES = 64


class EngineError(Exception):
    """An error answer: HTTP status, API code, message, details."""

    def __init__(self, status: int, code: str, message: str, details: Mapping | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = dict(details or {})
        self.headers = dict(headers or {})

    def envelope(self) -> dict:
        return {"success": False, "error": {
            "code": self.code, "message": self.message,
            "debugTrackingCode": f"sbx-{uuid.uuid4().hex[:12]}", "details": self.details,
        }}


def _invalid(index: int | None, field: str, message: str, **extra) -> EngineError:
    details = {"field": field, **extra}
    if index is not None:
        details = {"filterIndex": index, **details}
    return EngineError(400, "validation_error", message, details)


class Transactions:
    """Search transaction ids that carry their own talents: ``stx_`` + the page's rowids and a
    keyed checksum, base64url. Nothing to store, so ids survive restarts (saved sessions) and
    work across server workers; an id this pool did not issue fails the checksum (→ 400).
    """

    def __init__(self, pool_identity: str) -> None:
        self.key = hashlib.blake2b(pool_identity.encode(), digest_size=16).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hashlib.blake2b(payload, key=self.key, digest_size=8).digest()

    def issue(self, rowids: Sequence[int]) -> str:
        payload = os.urandom(4) + struct.pack(f">{len(rowids)}I", *rowids)
        raw = payload + self._mac(payload)
        return "stx_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def read(self, tx_id: str) -> tuple[int, ...] | None:
        """The rowids of a transaction this pool issued, else None."""
        if not tx_id.startswith("stx_") or len(tx_id) > 200:
            return None
        text = tx_id[4:]
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (ValueError, TypeError):
            return None
        payload, mac = raw[:-8], raw[-8:]
        if len(payload) < 4 or (len(payload) - 4) % 4 or not hmac.compare_digest(mac, self._mac(payload)):
            return None
        return struct.unpack(f">{(len(payload) - 4) // 4}I", payload[4:])


@dataclass(frozen=True)
class Ranked:
    """A search's talents in rank order: all of them, or (``complete`` false) a prefix long
    enough for any page a client can ask for and for the capped estimation count."""

    ids: tuple[int, ...]  # rowids in rank order
    complete: bool = True

    @property
    def total(self) -> int:
        return len(self.ids)


def prefix_limit() -> int:
    """Talents worth ranking when the order is the stored one: past the estimation cap, and past
    every talent 100 transactions can exclude plus a page, nothing can be seen."""
    return max(api.ESTIMATION_CAP, (api.MAX_TRANSACTION_IDS + 1) * api.PAGE_SIZE) + 1


class Engine:
    """One pool, its transactions and its search cache. Thread-safe (one lock).

    >>> engine = Engine.open(5000, 7)  # doctest: +SKIP
    >>> status, headers, envelope = engine.handle({"filters": [...]}, None)  # doctest: +SKIP
    """

    def __init__(self, path, *, engine_model: str = "gate",
                 api_keys: Mapping[str, bool] | None = None) -> None:
        if engine_model not in api.ENGINE_MODELS:
            raise ValueError(f"engine_model must be one of {api.ENGINE_MODELS}")
        self.conn = store.connect(path)
        meta = dict(self.conn.execute("SELECT key, value FROM meta WHERE key != 'zdict'"))
        self.size, self.seed = int(meta["size"]), int(meta["seed"])
        self.max_years = int(meta.get("max_years", api.YEARS_MAX))
        self.zdict = store.zdict_of(self.conn)
        self.engine_model = engine_model
        self.api_keys = None if api_keys is None else dict(api_keys)
        self.lock = threading.RLock()
        self.transactions = Transactions(f"{self.size}:{self.seed}:{meta.get('built_at')}")
        self.cache: OrderedDict[tuple, Ranked] = OrderedDict()
        self._vocab: dict[str, dict[str, set[str]]] = {}
        # Radius filters need the gazetteer (about a second to load): load it in the background
        # now rather than during someone's first radius search.
        threading.Thread(target=geo.gazetteer, name="gazetteer", daemon=True).start()

    @classmethod
    def open(cls, size: int | None = None, seed: int | None = None, *, quiet: bool = False,
             **options) -> "Engine":
        """The engine of a pool (built into the cache first if needed)."""
        from talentql.sandbox import pool_settings

        size, seed = pool_settings(size, seed)
        return cls(store.ensure(size, seed, quiet=quiet), **options)

    def close(self) -> None:
        self.conn.close()

    # --- The API ---------------------------------------------------------------------------------

    def handle(self, body: Any, api_key: str | None = None) -> tuple[int, dict, dict]:
        """Answer one POST /v1/search/talents: ``(status, headers, envelope)``."""
        try:
            connected = self._authenticate(api_key)
            data = self.search(body, network_connected=connected)
        except EngineError as error:
            return error.status, error.headers, error.envelope()
        return 200, {}, {"success": True, "data": data}

    def _authenticate(self, api_key: str | None) -> bool:
        if self.api_keys is None:
            return True
        if not api_key:
            raise EngineError(401, "missing_api_key", f"missing API key: send the "
                              f"{api.API_KEY_HEADER} header")
        if api_key not in self.api_keys:
            raise EngineError(401, "invalid_api_key", "invalid API key")
        return self.api_keys[api_key]

    def search(self, body: Any, *, network_connected: bool = True) -> dict:
        """The ``data`` object of a success answer; raises EngineError."""
        filters, tx_ids, model = self.validate(body)
        if not network_connected and any(
            f["filterType"] == "LINKEDIN_RELATIONS_DEGREE" for f in filters
        ):
            raise EngineError(400, "missing_connected_linkedin_account",
                              "LINKEDIN_RELATIONS_DEGREE filters need a LinkedIn account "
                              "connected to this key's user",
                              {"filterType": "LINKEDIN_RELATIONS_DEGREE"})
        with self.lock:
            seen: set[int] = set()
            unknown = []
            for tx in tx_ids:
                rowids = self.transactions.read(tx)
                if rowids is None:
                    unknown.append(tx)
                else:
                    seen.update(rowids)
            if unknown:
                raise _invalid(None, "relatedSearchTransactionIds",
                               f"unknown search transaction id(s): {', '.join(unknown[:5])}",
                               unknownIds=unknown[:20])
            ranked = self.ranked(filters, model)
            page: list[int] = []
            remaining = False
            for rowid in ranked.ids:
                if rowid in seen:
                    continue
                if len(page) == api.PAGE_SIZE:
                    remaining = True
                    break
                page.append(rowid)
            tx_id = self.transactions.issue(page)
            talents = self.fetch(page)
        completeness = ({"status": "complete"} if remaining
                        else {"status": "partial", "reason": "pool_exhausted"})
        return {
            "talents": talents,
            "searchTransactionId": tx_id,
            "estimationCount": min(ranked.total, api.ESTIMATION_CAP),
            "resultCompleteness": completeness,
        }

    def fetch(self, rowids: Sequence[int], *, with_sandbox: bool = False) -> list[dict]:
        """Talents by rowid, in the given order, in the API's format."""
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        docs = dict(self.conn.execute(f"SELECT id, doc FROM talent WHERE id IN ({marks})", rowids))
        out = []
        for rowid in rowids:
            talent = json.loads(store.unpack(docs[rowid], self.zdict))
            if not with_sandbox:
                talent.pop("sandbox", None)
            out.append(talent)
        return out

    # --- Validation ------------------------------------------------------------------------------

    def validate(self, body: Any) -> tuple[list[dict], list[str], str]:
        if not isinstance(body, dict):
            raise _invalid(None, "body", "the request body must be a JSON object")
        raw = body.get("filters")
        # An empty list is every talent: the compiler sends one for a term bucketing widened to
        # everything (e.g. NOT yoe:4-6); whether the service accepts it is not documented.
        if not isinstance(raw, list):
            raise _invalid(None, "filters", "filters must be a list of filter objects")
        filters = [self._filter(i, f) for i, f in enumerate(raw)]
        tx_ids = body.get("relatedSearchTransactionIds", []) or []
        if not isinstance(tx_ids, list) or not all(isinstance(t, str) for t in tx_ids):
            raise _invalid(None, "relatedSearchTransactionIds", "relatedSearchTransactionIds "
                           "must be a list of searchTransactionId strings")
        if len(tx_ids) > api.MAX_TRANSACTION_IDS:
            raise EngineError(400, "too_many_transactions",
                              f"too many search transaction ids: {len(tx_ids)} "
                              f"(at most {api.MAX_TRANSACTION_IDS})",
                              {"field": "relatedSearchTransactionIds", "count": len(tx_ids),
                               "limit": api.MAX_TRANSACTION_IDS})
        model = body.get(MODEL_SWITCH, self.engine_model)
        if model not in api.ENGINE_MODELS:
            raise _invalid(None, MODEL_SWITCH, f"{MODEL_SWITCH} must be one of "
                           f"{', '.join(api.ENGINE_MODELS)}")
        return filters, list(dict.fromkeys(tx_ids)), model

    def _filter(self, i: int, f: Any) -> dict:
        if not isinstance(f, dict):
            raise _invalid(i, "filter", f"filter {i} must be an object")
        filter_type = f.get("filterType")
        if filter_type not in fields.FIELDS_BY_FILTER_TYPE:
            raise _invalid(i, "filterType", f"filter {i}: unknown filterType {filter_type!r}",
                           allowed=sorted(fields.FIELDS_BY_FILTER_TYPE))
        value = f.get("value")
        if not isinstance(value, str) or not value.strip():
            raise _invalid(i, "value", f"filter {i} ({filter_type}): a non-empty string value "
                           "is required")
        out = {"filterType": filter_type, "value": value.strip()}
        for key, default in (("isRequired", True), ("isExcluded", False), ("isExactMatch", False)):
            flag = f.get(key, default)
            if not isinstance(flag, bool):
                raise _invalid(i, key, f"filter {i} ({filter_type}): {key} must be true or false")
            out[key] = flag
        field = fields.FIELDS_BY_FILTER_TYPE[filter_type]
        radius = f.get("radius")
        if radius is not None:
            if not field.radius:
                raise _invalid(i, "radius", f"filter {i}: radius is only allowed on LOCATION, "
                               f"not {filter_type}")
            if isinstance(radius, bool) or not isinstance(radius, (int, float)) or not (
                api.RADIUS_MIN_KM <= radius <= api.RADIUS_MAX_KM
            ):
                raise _invalid(i, "radius", f"filter {i}: radius must be a number of km from "
                               f"{api.RADIUS_MIN_KM} to {api.RADIUS_MAX_KM}")
            if out["isExactMatch"]:
                raise _invalid(i, "isExactMatch", f"filter {i}: isExactMatch must be false "
                               "when radius is set")
            out["radius"] = radius
        history = f.get("history")
        if history is not None:
            if not field.history:
                raise _invalid(i, "history", f"filter {i}: history is only allowed on JOB_TITLE "
                               f"and COMPANY_NAME, not {filter_type}")
            if history not in HISTORIES:
                raise _invalid(i, "history", f"filter {i}: history must be one of "
                               f"{', '.join(sorted(api.HISTORY_VALUES.values()))}")
        if field.history:
            out["history"] = HISTORY_SYNONYMS.get(history or "CURRENT", history or "CURRENT")
        self._check_value(i, filter_type, out)
        return out

    def _check_value(self, i: int, filter_type: str, f: dict) -> None:
        value = f["value"]
        key = norm(value)
        if filter_type in YEAR_TYPES:
            bounds = parse_range(value)
            if bounds is None or "-" not in value and not value.endswith("+") or not (
                api.YEARS_MIN <= bounds[0] <= (bounds[1] if bounds[1] is not None else bounds[0])
                <= api.YEARS_MAX
            ):
                buckets = ", ".join(api.bucket_label(b) for b in api.YEAR_BUCKETS)
                raise _invalid(i, "value", f"filter {i} ({filter_type}): {value!r} is not a "
                               f"range of years (a bucket — {buckets} — or \"min-max\" / \"N+\")")
        elif filter_type == "COMPANY_SIZE":
            if value not in SIZE_LABELS:
                raise _invalid(i, "value", f"filter {i} (COMPANY_SIZE): {value!r} is not a size "
                               f"bucket; use one of {', '.join(SIZE_LABELS)}",
                               allowed=list(SIZE_LABELS))
        elif filter_type == "GRADUATION_YEAR":
            bounds = parse_range(value)
            if bounds is None or not (api.GRADYEAR_MIN <= bounds[0] <= api.GRADYEAR_MAX):
                raise _invalid(i, "value", f"filter {i} (GRADUATION_YEAR): {value!r} is not a "
                               "year (or \"from-to\")")
        elif filter_type == "SENIORITY":
            if key != "freelance":
                raise _invalid(i, "value", f"filter {i} (SENIORITY): only \"Freelance\" is "
                               f"supported, not {value!r}")
        elif filter_type == "EDUCATION_DEGREE":
            if key not in DEGREES:
                raise _invalid(i, "value", f"filter {i} (EDUCATION_DEGREE): use one of "
                               f"{', '.join(sorted(DEGREES))}, not {value!r}")
        elif filter_type == "LINKEDIN_RELATIONS_DEGREE":
            if key not in NETWORK_VALUES:
                raise _invalid(i, "value", f"filter {i} (LINKEDIN_RELATIONS_DEGREE): use "
                               f"\"1st degree\" or \"invited\", not {value!r}")
            if f["isExactMatch"]:
                raise _invalid(i, "isExactMatch", f"filter {i}: isExactMatch must be false for "
                               "LINKEDIN_RELATIONS_DEGREE")
        if f["isExactMatch"] and key in BUNDLES_BY_TYPE.get(filter_type, ()):
            raise _invalid(i, "isExactMatch", f"filter {i}: {value!r} is a bundle; bundles are "
                           "sent with isExactMatch false")

    # --- Matching --------------------------------------------------------------------------------

    def ranked(self, filters: list[dict], model: str) -> Ranked:
        """Every talent the search admits, in rank order (cached per search)."""
        key = (model, json.dumps(filters, sort_keys=True))
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            return hit
        result = self._run(filters, model)
        self.cache[key] = result
        while len(self.cache) > CACHED_SEARCHES:
            self.cache.popitem(last=False)
        return result

    def _run(self, filters: list[dict], model: str) -> Ranked:
        exprs = [self.expression(f) for f in filters]
        radial = [i for i, f in enumerate(filters) if f.get("radius") is not None]
        base = self._base(filters, exprs, model)
        optional = [i for i, f in enumerate(filters)
                    if not f["isRequired"] and not f["isExcluded"]]
        limit = prefix_limit()
        if not radial:
            if not optional:  # rank = stored order: stop early
                ids = [r for (r,) in self.conn.execute(
                    "SELECT rowid FROM ft WHERE ft MATCH ? LIMIT ?", (base, limit))]
                return Ranked(tuple(ids), complete=len(ids) < limit)
            ids = [r for (r,) in self.conn.execute("SELECT rowid FROM ft WHERE ft MATCH ?", (base,))]
            truth_sets = {i: self._set(base, exprs[i]) for i in optional}
            counts = {r: sum(r in truth_sets[i] for i in optional) for r in ids}
            return Ranked(tuple(sorted(ids, key=lambda r: (-counts[r], r))))
        rows = self.conn.execute(
            "SELECT t.id, t.lat, t.lon FROM ft JOIN talent t ON t.id = ft.rowid "
            "WHERE ft MATCH ? ORDER BY t.id", (base,))
        points = {i: geo.resolve(filters[i]["value"]) for i in radial}
        simple = all(filters[i]["isRequired"] and not filters[i]["isExcluded"] for i in radial)
        lazy_sets: dict[int, set[int]] = {}

        def truth(i: int, row) -> bool:
            if i in points:
                point = points[i]
                return point is not None and geo.distance_km(
                    point[0], point[1], row[1], row[2]) <= float(filters[i]["radius"])
            if i not in lazy_sets:
                lazy_sets[i] = self._set(base, exprs[i])
            return row[0] in lazy_sets[i]

        if simple:
            admitted = (row for row in rows if all(truth(i, row) for i in radial))
        else:
            admitted = (row for row in rows
                        if search_admits(filters, lambda i, row=row: truth(i, row), model))
        if not optional:  # rank = stored order: stop early
            ids = [row[0] for row in itertools.islice(admitted, limit)]
            return Ranked(tuple(ids), complete=len(ids) < limit)
        kept = list(admitted)
        counts = {row[0]: optional_matched(filters, lambda i, row=row: truth(i, row))
                  for row in kept}
        return Ranked(tuple(sorted(counts, key=lambda r: (-counts[r], r))))

    def _set(self, base: str, expr: str) -> set[int]:
        query = f"({base}) AND ({expr})"
        return {r for (r,) in self.conn.execute("SELECT rowid FROM ft WHERE ft MATCH ?", (query,))}

    def _base(self, filters: list[dict], exprs: list[str], model: str) -> str:
        """One FTS expression admitting a superset of the search (exact without radius)."""
        excluded = [i for i, f in enumerate(filters) if f["isExcluded"]]
        parts = []
        for group in groups_of(filters, model):
            required = [i for i in group if filters[i]["isRequired"]]
            if required:
                parts.append(_and(exprs[i] for i in required))
            elif group:
                parts.append(_or(exprs[i] for i in group))
        query = _and(parts) if parts else EVERYTHING
        for i in excluded:
            if filters[i].get("radius") is None:  # a radius cover is a superset: checked later
                query = f"({query}) NOT ({exprs[i]})"
        return query

    def expression(self, f: dict) -> str:
        """An FTS5 expression for one filter's condition (a superset only for a radius)."""
        filter_type, value = f["filterType"], f["value"]
        if filter_type == "LOCATION" and f.get("radius") is not None:
            point = geo.resolve(value)
            if point is None:
                return NOTHING
            cells = geo.cover(point[0], point[1], float(f["radius"]))
            return EVERYTHING if cells is None else _or(_tok("geo", c) for c in cells)
        if filter_type in YEAR_TYPES:
            col = YEAR_TYPES[filter_type]
            bounds = parse_range(value)
            if bounds in api.YEAR_BUCKETS:  # the common case: one precomputed bucket token
                return _tok(col + "b", str(api.YEAR_BUCKETS.index(bounds)))
            low, high = bounds
            high = self.max_years if high is None else min(high, self.max_years)
            if low > high:
                return NOTHING
            return _or(_tok(col, str(n)) for n in range(low, high + 1))
        if filter_type == "COMPANY_SIZE":
            return _tok("size", str(SIZE_LABELS.index(value)))
        if filter_type == "GRADUATION_YEAR":
            low, high = parse_range(value)
            low, high = max(low, GRAD_RANGE[0]), min(high or GRAD_RANGE[1], GRAD_RANGE[1])
            if low > high:
                return NOTHING
            return _or(_tok("grad", str(n)) for n in range(low, high + 1))
        if filter_type == "SENIORITY":
            return _tok("seniority", "freelance")
        if filter_type == "LINKEDIN_RELATIONS_DEGREE":
            token = store.NETWORK_TOKENS[NETWORK_VALUES[norm(value)]]
            return _tok("network", token)
        return self._text_expression(f)

    def _text_expression(self, f: dict) -> str:
        columns = columns_for(f["filterType"], f.get("history"))
        key = norm(f["value"])
        if key in BUNDLES_BY_TYPE.get(f["filterType"], ()):
            return _or(_tok(c, store.BUNDLE_TOKENS[key]) for c in columns)
        value_words = list(dict.fromkeys(words(f["value"])))
        if f["isExactMatch"] or not value_words:
            return _or(_tok(c, exact_token(f["value"])) for c in columns)
        parts = []
        for col in columns:
            if len(value_words) > 1 and col in MULTI_ITEM_COLUMNS and col not in BAG_COLUMNS:
                items = self._items_with(col, value_words)  # the words must share one item
                parts.append(_or(_tok(col, exact_token(x)) for x in items) if items
                             else NOTHING)
            else:
                parts.append(_and(_tok(col, w) for w in value_words))
        return _or(parts)

    def _items_with(self, col: str, value_words: list[str]) -> list[str]:
        index = self._vocab.get(col)
        if index is None:
            index = {}
            for (item,) in self.conn.execute("SELECT item FROM vocab WHERE col = ?", (col,)):
                for w in set(words(item)):
                    index.setdefault(w, set()).add(item)
            self._vocab[col] = index
        sets = [index.get(w, set()) for w in value_words]
        return sorted(set.intersection(*sets)) if sets else []


def _q(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _tok(col: str, token: str) -> str:
    """One index token of a field: ``col$token`` (``$`` never occurs in a word)."""
    return _q(f"{col}${token}")


def _and(parts) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(f"({p})" for p in parts) + ")"


def _or(parts) -> str:
    parts = list(parts)
    if not parts:
        return NOTHING
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(f"({p})" for p in parts) + ")"
