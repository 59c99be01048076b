"""A plan explained for people: the normalized formula, each search, what a page costs.

Pure text, no terminal: ``talentql explain`` and the REPL's ``\\explain`` print it.
"""

from __future__ import annotations

from talentql import engine, logic
from talentql.checker import Analysis
from talentql.compiled import Filter, Plan
from talentql.fields import FIELDS_BY_FILTER_TYPE
from talentql.syntax.format import quote

_HISTORY_WORDS = {v: k for k, v in engine.HISTORY_VALUES.items()}


def formula_text(node: logic.Formula | None, strength: int = 0) -> str:
    """The formula with NOT pushed down, in TQL words: ``title:A AND NOT company:B``."""
    if node is None:
        return "(everything; only preferences)"
    return _nnf_text(node, False, strength)


def _nnf_text(node, negated: bool, strength: int) -> str:
    if isinstance(node, logic.Atom):
        text = atom_text(node)
        return f"NOT {text}" if negated else text
    if isinstance(node, logic.Not):
        return _nnf_text(node.operand, not negated, strength)
    conjunctive = isinstance(node, logic.And) != negated
    if not node.items:
        return "everything" if conjunctive else "nothing"
    joiner, own = (" AND ", 2) if conjunctive else (" OR ", 1)
    text = joiner.join(_nnf_text(item, negated, own) for item in node.items)
    return f"({text})" if strength > own and len(node.items) > 1 else text


def atom_text(atom: logic.Atom) -> str:
    field = FIELDS_BY_FILTER_TYPE[atom.filter_type]
    history = _HISTORY_WORDS.get(atom.history or "", "")
    history = f"@{history}" if history and history != engine.DEFAULT_HISTORY else ""
    radius = f"~{atom.radius}km" if atom.radius is not None else ""
    return f"{field.name}{history}{'=' if atom.exact else ':'}{quote(atom.value)}{radius}"


def filter_line(f: Filter) -> str:
    """One filter for people: ``+ title: Product Designer (current)``."""
    mark = "-" if f.is_excluded else "+" if f.is_required else "?"
    name = FIELDS_BY_FILTER_TYPE[f.filter_type].name if f.filter_type in FIELDS_BY_FILTER_TYPE \
        else f.filter_type
    notes = []
    if f.is_exact_match:
        notes.append("exact")
    if f.radius is not None:
        notes.append(f"within {f.radius} km")
    if f.history is not None:
        notes.append(_HISTORY_WORDS.get(f.history, f.history).replace("any", "current or past"))
    if not f.is_required and not f.is_excluded:
        notes.append("optional")
    suffix = f"  ({', '.join(notes)})" if notes else ""
    return f"{mark} {name}: {f.value}{suffix}   [{f.filter_type}]"


def explain(analysis: Analysis, plan: Plan, canonical: str) -> str:
    """The whole explanation, as printed by ``talentql explain``."""
    n = len(plan.searches)
    lines = [
        f"query     {canonical.strip()}",
        f"formula   {formula_text(analysis.formula)}",
    ]
    if analysis.preferences:
        lines.append("prefer    " + ", ".join(atom_text(a) for a in analysis.preferences)
                     + "   (ranks, does not filter)")
    lines.append(f"engine    {plan.engine} model, {plan.ranges} ranges")
    if n == 0:
        lines.append("plan      no search: no talent can match")
    else:
        minimal = "best effort (too many terms to prove it minimal)" if plan.best_effort \
            else "minimal"
        lines.append(f"plan      {n} search{'es' if n > 1 else ''} ({minimal}); their union is "
                     "the query, results are deduplicated")
        lines.append(f"cost      first page: {n} API call{'s' if n > 1 else ''} "
                     f"({engine.PAGE_SIZE} talents a call, one call per search); later pages: "
                     f"about 1 call per {engine.PAGE_SIZE} new talents")
    for i, search in enumerate(plan.searches, 1):
        lines.append("")
        lines.append(f"search {i}")
        lines.extend(f"  {filter_line(f)}" for f in search.filters)
    if plan.warnings:
        lines.append("")
        for w in plan.warnings:
            lines.append(f"warning[{w.code}] {w.span.line}:{w.span.column}: {w.message}")
    lines.append("")
    lines.append("legend: + required, - excluded, ? optional (ranks; gates a family alone)")
    return "\n".join(lines)
