"""TalentQL: a query language for talent search, compiled to Kalent search API request bodies.

    >>> import talentql
    >>> plan = talentql.compile('title:"Product Designer" location:Paris~50km yoe:5-10')
    >>> [f.filter_type for f in plan.searches[0].filters]
    ['JOB_TITLE', 'LOCATION', 'YEARS_OF_EXPERIENCE']

The compile path (parse → check → plan) is pure: no network, no terminal, and files only where
you ask for them (``compile_file`` and imports). This module imports its parts lazily, so
``import talentql`` costs almost nothing.
"""

from __future__ import annotations

from functools import cache as _cache
from collections.abc import Mapping

from talentql._version import __version__

TYPE_CHECKING = False  # typing is not imported at run time: start-up (benchmarks/)
if TYPE_CHECKING:
    from talentql.checker import Analysis, Loader
    from talentql.compiled import Plan
    from talentql.diagnostics import Diagnostic
    from talentql.syntax.ast import Program

__all__ = ["__version__", "parse", "analyze", "check", "compile", "compile_file", "format",
           "file_loader"]


def parse(text: str, *, source: str = "<query>") -> Program:
    """Parse TQL text into its syntax tree; raises CompileError on a syntax error.

    >>> parse("title:CTO OR company:Stripe").query.items[1].value.text
    'Stripe'
    """
    from talentql.errors import CompileError
    from talentql.syntax.parser import parse as _parse

    program, problems = _parse(text, source)
    if program is None:
        raise CompileError(problems, {source: text})
    return program


def analyze(text: str, *, source: str = "<query>", query_name: str | None = None,
            loader: Loader | None = None, lets: Mapping[str, str] | None = None,
            base_dir: str | None = None) -> Analysis:
    """Check a query and return its formula, preferences and diagnostics (never raises for a
    bad query). ``lets`` maps names defined elsewhere (the REPL's) to their query text;
    ``base_dir`` makes ``import`` read files relative to it when no loader is given."""
    from talentql.checker import analyze as _analyze

    if loader is None and base_dir is not None:
        loader = file_loader(base_dir)
    return _analyze(text, source=source, query_name=query_name, loader=loader, lets=lets)


def compile(text: str, *, engine: str = "gate", ranges: str = "buckets", max_searches: int = 16,
            query_name: str | None = None, source: str = "<query>", base_dir: str | None = None,
            loader: Loader | None = None, lets: Mapping[str, str] | None = None) -> Plan:
    """Compile a query into a Plan of request bodies; raises CompileError with diagnostics.

    >>> plan = compile("title:CTO OR company:'yc startups'".replace("'", '"'))
    >>> len(plan.searches)
    2
    >>> plan.to_json()["engine"]
    'gate'
    """
    analyze_, plan, CompileError = _pipeline()
    if loader is None and base_dir is not None:
        loader = file_loader(base_dir)
    analysis = analyze_(text, source=source, query_name=query_name, loader=loader, lets=lets)
    if analysis.diagnostics and analysis.errors:
        raise CompileError(analysis.diagnostics, analysis.sources)
    options = _OPTIONS.get((engine, ranges, max_searches)) or _options(engine, ranges, max_searches)
    return plan(analysis, options)


def compile_file(path: str, *, query_name: str | None = None, **options) -> Plan:
    """Compile a ``.tql`` file (its final query, or the let named ``query_name``)."""
    from pathlib import Path

    from talentql.errors import TalentQLError

    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise TalentQLError(f"cannot read {path}: {reason}") from None
    return compile(text, source=str(path), query_name=query_name,
                   loader=options.pop("loader", None) or file_loader(str(file.parent)), **options)


def check(text: str, *, engine: str = "gate", ranges: str = "buckets", max_searches: int = 16,
          **kwargs) -> list[Diagnostic]:
    """Every error and warning of a query, in source order; never raises for a bad query.

    >>> [d.code for d in check("titel:Designer")]
    ['unknown-field']
    """
    from talentql.errors import CompileError
    from talentql.plan import plan

    analysis = analyze(text, **kwargs)
    if analysis.errors:
        return analysis.diagnostics
    try:
        return list(plan(analysis, _options(engine, ranges, max_searches)).warnings)
    except CompileError as error:
        return error.diagnostics


def format(text: str, *, source: str = "<query>") -> str:
    """The canonical form of a query or .tql file; raises CompileError on a syntax error.

    >>> format("JOB:designer   and -org:(google || meta)")
    'title:designer NOT company:(google OR meta)\\n'
    """
    from talentql.syntax.format import format_source

    return format_source(text, source)


def file_loader(base_dir: str) -> Loader:
    """A loader for ``import "path"``: paths relative to the importing file (or ``base_dir``)."""
    from talentql.checker import file_loader as _file_loader

    return _file_loader(base_dir)


@_cache
def _pipeline():
    """The compile path's functions, imported on first use (``import talentql`` stays cheap)."""
    from talentql.checker import analyze
    from talentql.errors import CompileError
    from talentql.plan import plan

    return analyze, plan, CompileError


_OPTIONS: dict = {}  # (engine, ranges, max_searches) → Options, once checked


def _options(engine: str, ranges: str, max_searches: int):
    from talentql import engine as constants
    from talentql.errors import UsageError
    from talentql.plan import Options

    if engine not in constants.ENGINE_MODELS:
        raise UsageError(f"unknown engine model {engine!r}; expected one of "
                         f"{', '.join(constants.ENGINE_MODELS)}")
    if ranges not in constants.RANGE_MODES:
        raise UsageError(f"unknown range mode {ranges!r}; expected one of "
                         f"{', '.join(constants.RANGE_MODES)}")
    if max_searches < 1:
        raise UsageError("max_searches must be at least 1")
    options = Options(engine, ranges, max_searches)
    if len(_OPTIONS) < 64:
        _OPTIONS[engine, ranges, max_searches] = options
    return options
