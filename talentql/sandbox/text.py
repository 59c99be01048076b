"""Words and normal forms: the one definition of "a word" the matcher and the store share.

A word is a run of Unicode word characters (letters, digits, underscore), compared lower-cased
(SANDBOX.md). Exact comparison is on the whole value, trimmed, lower-cased, inner spaces collapsed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order.

    >>> words("Senior C++ Engineer, Paris")
    ['senior', 'c', 'engineer', 'paris']
    """
    return _WORD.findall(text.lower())


def norm(text: str) -> str:
    """The exact-match form of a value: trimmed, lower-cased, inner spaces collapsed.

    >>> norm("  Product   Designer ")
    'product designer'
    """
    return " ".join(text.lower().split())


@lru_cache(maxsize=1 << 18)
def exact_token(text: str) -> str:
    """The index token standing for one whole normalized value (``$`` never occurs in a word)."""
    return "$" + hashlib.blake2b(norm(text).encode("utf-8"), digest_size=8).hexdigest()


def fuzzy_matches(value_words: frozenset[str] | set[str], item: str) -> bool:
    """Fuzzy rule: every word of the value is a word of the item."""
    return value_words.issubset(words(item))
