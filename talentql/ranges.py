"""Integer interval sets and bucket covers (LANGUAGE.md §3).

Buckets are closed intervals (``1-3`` and ``3-5`` share 3). A range compiles to the smallest set of
buckets that covers it; a negated range excludes the largest set of buckets that lies inside it.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

from talentql.value import frozen_value

INF = float("inf")
Bucket = tuple[int, "int | None"]


@frozen_value
class IntervalSet:
    """A set of integers as sorted, disjoint, non-adjacent closed intervals (high may be INF)."""

    parts: tuple[tuple[int, float], ...] = ()

    @classmethod
    def of(cls, low: int, high: int | None) -> IntervalSet:
        return cls(((low, INF if high is None else high),)) if high is None or low <= high else cls()

    @classmethod
    def from_parts(cls, parts) -> IntervalSet:
        merged: list[list] = []
        for low, high in sorted(p for p in parts if p[0] <= p[1]):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        return cls(tuple((lo, hi) for lo, hi in merged))

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __or__(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet.from_parts(self.parts + other.parts)

    def __and__(self, other: IntervalSet) -> IntervalSet:
        if self.parts == other.parts:
            return self
        out = []
        for a_lo, a_hi in self.parts:
            for b_lo, b_hi in other.parts:
                lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
                if lo <= hi:
                    out.append((lo, hi))
        return IntervalSet.from_parts(out)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        if not other.parts:
            return self
        out = list(self.parts)
        for b_lo, b_hi in other.parts:
            nxt = []
            for lo, hi in out:
                if b_hi < lo or b_lo > hi:
                    nxt.append((lo, hi))
                    continue
                if lo < b_lo:
                    nxt.append((lo, b_lo - 1))
                if b_hi < hi:
                    nxt.append((b_hi + 1, hi))
            out = nxt
        return IntervalSet.from_parts(out)

    def __le__(self, other: IntervalSet) -> bool:
        return not (self - other)

    @property
    def low(self) -> int:
        return self.parts[0][0]

    @property
    def high(self) -> float:
        return self.parts[-1][1]

    def describe(self, unit: str = "") -> str:
        def one(lo, hi):
            if hi == INF:
                return f"{lo}+"
            return f"{lo}" if lo == hi else f"{lo}-{int(hi)}"

        text = ", ".join(one(lo, hi) for lo, hi in self.parts) or "nothing"
        return f"{text}{unit}"


@cache
def bucket_set(bucket: Bucket) -> IntervalSet:
    return IntervalSet.of(bucket[0], bucket[1])


@cache
def union_of(buckets: tuple[Bucket, ...]) -> IntervalSet:
    out = IntervalSet()
    for bucket in buckets:
        out = out | bucket_set(bucket)
    return out


@cache
def _covers_in_order(buckets: tuple[Bucket, ...]) -> tuple[tuple[Bucket, ...], ...]:
    """Every subset of the buckets, smallest first, then narrowest total span, then lowest."""

    def width(b: Bucket) -> float:
        return (1e9 if b[1] is None else b[1]) - b[0]

    subsets = [c for k in range(1, len(buckets) + 1) for c in combinations(buckets, k)]
    subsets.sort(key=lambda c: (len(c), sum(width(b) for b in c), [b[0] for b in c]))
    return tuple(subsets)


@cache
def cover(wanted: IntervalSet, buckets: tuple[Bucket, ...]) -> tuple[Bucket, ...]:
    """The smallest set of buckets whose union holds ``wanted`` (ties: narrowest, then lowest)."""
    if not wanted:
        return ()
    for subset in _covers_in_order(buckets):
        if wanted <= union_of(subset):
            return tuple(sorted(subset))
    return tuple(buckets)  # wanted reaches past every bucket: all of them is the best we have


@cache
def inside(unwanted: IntervalSet, buckets: tuple[Bucket, ...]) -> tuple[Bucket, ...]:
    """The buckets that lie wholly inside ``unwanted`` (the largest set a negation can exclude)."""
    return tuple(b for b in buckets if bucket_set(b) <= unwanted)
