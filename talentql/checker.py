"""AST → checked formula: names resolved, groups distributed, values read, problems reported.

Every problem of a query is reported, not only the first (LANGUAGE.md §6). The result is an
``Analysis``: the query as a ``logic`` formula (preferences set apart), and the diagnostics.
Imports are read through a ``loader`` given by the caller, so this module touches no file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Mapping

from talentql import engine, fields, logic
from talentql.diagnostics import Diagnostic, did_you_mean
from talentql.fields import Field, Kind
from talentql.source import Span
from talentql.syntax import ast
from talentql.syntax.format import quote
from talentql.syntax.parser import parse
from talentql.values import Problem, read_history, read_radius, read_value

# (import path as written, name of the importing source) → (name of the imported source, its text).
# Raises OSError when the file cannot be read.
Loader = Callable[[str, str], tuple[str, str]]


@dataclass
class Analysis:
    """A checked query: its formula and preferences, or the errors that stop it."""

    formula: logic.Formula | None  # None when there are errors or only preferences
    preferences: tuple[logic.Atom, ...]
    diagnostics: list[Diagnostic]
    sources: dict[str, str]  # source name → text, to render diagnostics
    query_span: Span
    program: ast.Program | None = None
    # The formula's distinct atoms in source order (what logic.atoms gives), kept from checking.
    atoms: tuple[logic.Atom, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def only_preferences(self) -> bool:
        return self.formula is None and bool(self.preferences) and not self.errors


class _Binding:
    """A let and the names visible where it was written."""

    __slots__ = ("let", "scope")

    def __init__(self, let: ast.Let, scope: dict[str, _Binding]) -> None:
        self.let = let
        self.scope = scope


class _Checker:
    """Walks a program, reporting problems and building formulas.

    A worker, not a value: a plain class (dataclasses cost start-up time, see benchmarks/).
    """

    def __init__(self, loader: Loader | None, sources: dict[str, str]) -> None:
        self.loader = loader
        self.sources = sources
        self.diagnostics: list[Diagnostic] = []
        self.preferences: list[logic.Atom] = []
        self.query_atoms: dict[logic.Atom, None] = {}  # atoms of the formula being built
        self.order = 0  # atoms are numbered as written, for source order on output
        self.imported: dict[str, dict[str, _Binding]] = {}

    # -- reporting -----------------------------------------------------------------------------
    def report(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint))

    def problem(self, problem: Problem, span: Span) -> None:
        self.report(problem.code, problem.message, span, problem.hint)

    # -- statements ------------------------------------------------------------------------------
    def bind_statements(self, program: ast.Program, source: str, stack: tuple[str, ...],
                        scope: dict[str, _Binding]) -> None:
        for statement in program.statements:
            if isinstance(statement, ast.Import):
                for name, binding in self.import_file(statement, source, stack).items():
                    self.bind(name, binding, statement.span, scope)
            else:
                binding = _Binding(statement, dict(scope))
                self.convert(statement.expr, binding.scope, negated=False, in_pref=False)
                self.bind(statement.name, binding, statement.name_span, scope)

    def bind(self, name: str, binding: _Binding, span: Span, scope: dict[str, _Binding]) -> None:
        if name in scope and scope[name] is not binding:
            first = scope[name].let.name_span
            where = f"{first.source}:" if first.source != span.source else ""
            self.report("duplicate-name", f"'{name}' is already defined (at {where}"
                        f"{first.line}:{first.column})", span, "choose another name")
            return
        scope[name] = binding

    def import_file(self, statement: ast.Import, source: str,
                    stack: tuple[str, ...]) -> dict[str, _Binding]:
        if self.loader is None:
            self.report("import-not-found", f"cannot import '{statement.path}' here: imports "
                        "work in .tql files", statement.span)
            return {}
        try:
            name, text = self.loader(statement.path, source)
        except OSError as error:
            reason = error.strerror or str(error)
            self.report("import-not-found", f"cannot read '{statement.path}': {reason}",
                        statement.span, "the path is relative to the importing file")
            return {}
        if name in stack:
            chain = " → ".join((*stack[stack.index(name):], name))
            self.report("import-cycle", f"import cycle: {chain}", statement.span)
            return {}
        if name in self.imported:
            return self.imported[name]
        self.sources[name] = text
        program, problems = parse(text, name)
        self.diagnostics.extend(problems)
        scope: dict[str, _Binding] = {}
        if program is not None:
            self.bind_statements(program, name, (*stack, name), scope)
        self.imported[name] = scope
        return scope

    # -- expressions ---------------------------------------------------------------------------
    def convert(self, node, scope: Mapping[str, _Binding], negated: bool,
                in_pref: bool) -> logic.Formula | None:
        """The formula of ``node``; None where nothing is left (a preference, or an error)."""
        kind = node.__class__
        if kind is ast.Term:
            return self.term(node, node.field, node.exact, node.history, node.radius, in_pref,
                             node)
        if kind is ast.FieldGroup:
            return self.in_group(node, node.body, negated, in_pref)
        if kind is ast.And or kind is ast.Or:
            parts: list[logic.Formula] = []
            seen: set[logic.Atom] = set()
            for item in node.items:
                self.add_part(parts, seen, self.convert(item, scope, negated, in_pref), item)
            return _joined(kind is ast.And, parts)
        if kind is ast.Not:
            operand = self.convert(node.operand, scope, not negated, in_pref)
            return None if operand is None else logic.Not(operand)
        if kind is ast.Prefer:
            if self.preference_allowed(node, negated):
                self.convert(node.operand, scope, negated, in_pref=True)
            return None
        if kind is ast.Var:
            binding = scope.get(node.name)
            if binding is None:
                guess = did_you_mean(node.name, scope)
                self.report("undefined-name", f"'${node.name}' is not defined here",
                            node.span, f"did you mean '${guess}'?" if guess else
                            "define it first with: let " + node.name + " = ...")
                return None
            return self.convert(binding.let.expr, binding.scope, negated, in_pref)
        raise TypeError(f"unexpected node {kind.__name__}")

    def in_group(self, group: ast.FieldGroup, body, negated: bool,
                 in_pref: bool) -> logic.Formula | None:
        """A part of a field group's body: the field distributes over each value (De Morgan
        as everywhere)."""
        kind = body.__class__
        if kind is ast.GroupValue:
            return self.term(body, group.field, group.exact, group.history,
                             body.radius or group.radius, in_pref, group)
        if kind is ast.And or kind is ast.Or:
            parts: list[logic.Formula] = []
            seen: set[logic.Atom] = set()
            for item in body.items:
                self.add_part(parts, seen, self.in_group(group, item, negated, in_pref), item)
            return _joined(kind is ast.And, parts)
        if kind is ast.Not:
            operand = self.in_group(group, body.operand, not negated, in_pref)
            return None if operand is None else logic.Not(operand)
        if self.preference_allowed(body, negated):
            self.in_group(group, body.operand, negated, in_pref=True)
        return None

    def add_part(self, parts: list[logic.Formula], seen: set[logic.Atom],
                 part: logic.Formula | None, item) -> None:
        """Add one operand of an AND or OR, reporting an atom written twice (``seen``: the
        atoms among ``parts``)."""
        if part is None:
            return
        if part.__class__ is logic.Atom:
            if part in seen:
                self.report("redundant", f"'{_show(part)}' is written twice here; the second "
                            "one changes nothing", item.span)
                return
            seen.add(part)
        parts.append(part)

    def preference_allowed(self, node: ast.Prefer, negated: bool) -> bool:
        if negated:
            self.report("negated-preference", "a preference cannot be negated: '?' ranks "
                        "talents, it does not filter them", node.span,
                        "drop the '?' to exclude, or drop the NOT to prefer")
        return not negated

    def term(self, node, field_name: str | None, exact: bool, history_text: str | None,
             radius_node: ast.Radius | None, in_pref: bool,
             written: ast.Term | ast.FieldGroup) -> logic.Formula | None:
        """The atom of one value of a field (``written``: the term or group naming the field,
        whose ``field_span`` diagnostics point at)."""
        f = fields.KEYWORD_FIELD if field_name is None else fields.FIELDS_BY_NAME.get(field_name)
        if f is None:  # a name in another case, or no field at all
            f = self.field(field_name, written.field_span)
            if f is None:
                return None
        ok = True
        history = None
        if history_text is not None:
            if not f.history:
                self.report("modifier-not-allowed", f"'@{history_text}' does not apply to "
                            f"'{f.name}': only title and company have an employment history",
                            written.field_span)
                ok = False
            else:
                history, problem = read_history(history_text)
                if problem:
                    self.problem(problem, written.field_span)
                    ok = False
        elif f.history:
            history = _DEFAULT_HISTORY
        radius = None
        if radius_node is not None:
            if not f.radius:
                self.report("modifier-not-allowed", f"a radius applies only to location, not "
                            f"to '{f.name}'", radius_node.span,
                            "write location:Paris~50km")
                ok = False
            else:
                radius, problem = read_radius(radius_node.text)
                if problem:
                    self.problem(problem, radius_node.span)
                    ok = False
        value: ast.Value = node.value
        reading = read_value(f, value.text)
        if reading.problems:
            for problem in reading.problems:
                self.problem(problem, value.span)
            ok = ok and reading.ok
        if not ok:
            return None
        if exact and (reading.fuzzy_only or radius is not None):
            why = "with a radius" if radius is not None else (
                "for a bundle" if f.kind is not Kind.NETWORK else "for network")
            self.report("exact-ignored", f"'=' is ignored {why}: the API matches it fuzzily",
                        node.span, f"write {f.name}:{value.text if not value.quoted else repr(value.text)}")
            exact = False
        span = node.span
        if reading.years:
            made = [self.atom(f, str(year), exact, None, None, span) for year in reading.years]
            atom_or_or = made[0] if len(made) == 1 else logic.Or(tuple(made))
        else:
            self.order += 1
            atom_or_or = logic.Atom(f.filter_type, reading.value, exact, history, radius,
                                    reading.low, reading.high, span, self.order)
        if in_pref:
            self.preferences.extend(logic.atoms(atom_or_or))
            return None
        if atom_or_or.__class__ is logic.Atom:
            self.query_atoms.setdefault(atom_or_or, None)
        else:
            self.query_atoms.update(dict.fromkeys(atom_or_or.items))
        return atom_or_or

    def field(self, name: str | None, span: Span) -> Field | None:
        if name is None:
            return fields.KEYWORD_FIELD
        f = fields.lookup(name)
        if f is None:
            guess = did_you_mean(name, [n for fl in fields.FIELDS for n in (fl.name, *fl.aliases)])
            self.report("unknown-field", f"unknown field '{name}'" +
                        (f" — did you mean '{guess}'?" if guess else ""), span,
                        None if guess else "the fields are: " +
                        ", ".join(fl.name for fl in fields.FIELDS))
        return f

    def atom(self, f: Field, value: str, exact: bool, history, radius, span: Span,
             low: int | None = None, high: int | None = None) -> logic.Atom:
        self.order += 1
        return logic.Atom(f.filter_type, value, exact, history, radius, low, high, span,
                          self.order)


_DEFAULT_HISTORY = engine.HISTORY_VALUES[engine.DEFAULT_HISTORY]  # the API's spelling


def _joined(conjunctive: bool, parts: list[logic.Formula]) -> logic.Formula | None:
    if len(parts) < 2:
        return parts[0] if parts else None
    return logic.And(tuple(parts)) if conjunctive else logic.Or(tuple(parts))


def _show(atom: logic.Atom) -> str:
    name = fields.FIELDS_BY_FILTER_TYPE[atom.filter_type].name
    return f"{name}:{quote(atom.value)}"


def analyze(
    text: str,
    *,
    source: str = "<query>",
    query_name: str | None = None,
    loader: Loader | None = None,
    lets: Mapping[str, str] | None = None,
) -> Analysis:
    """Check a query (or a .tql file's text) and return its formula and diagnostics.

    ``lets`` are names defined earlier (the REPL's), as ``name → query text``.

    >>> a = analyze("title:(Designer OR Researcher) NOT company:Google ?skill:Figma")
    >>> [d.code for d in a.diagnostics], len(a.preferences)
    ([], 1)
    """
    sources = {source: text}
    program, problems = parse(text, source)
    if program is None:
        return Analysis(None, (), problems, sources, Span.at(text, 0, len(text), source))
    checker = _Checker(loader, sources)
    scope: dict[str, _Binding] = {}
    for name, let_text in lets.items() if lets else ():
        let_source = f"<let {name}>"
        sources[let_source] = let_text
        let_program, let_problems = parse(let_text, let_source)
        checker.diagnostics.extend(let_problems)
        if let_program is not None and let_program.query is not None:
            expr = let_program.query
            scope[name] = _Binding(ast.Let(name, expr, expr.span, expr.span), dict(scope))
    if program.statements:
        checker.bind_statements(program, source, (source,), scope)

    query = program.query
    if query_name is not None:
        binding = scope.get(query_name)
        if binding is None:
            guess = did_you_mean(query_name, scope)
            names = ", ".join(scope) or "none"
            checker.report("undefined-name", f"no let named '{query_name}' (defined: {names})",
                           Span.at(text, 0, 0, source), f"did you mean '{guess}'?" if guess else None)
            query = None
        else:
            query = binding.let.expr
    elif query is None:
        names = [let.name for let in program.lets]
        if names:
            message = "there is no final query; run one of the lets by name: " + ", ".join(names)
            hint = f"e.g. talentql run FILE --query {names[0]}"
        else:
            message, hint = "the query is empty", "write a query, e.g. title:Designer location:Paris"
        checker.report("empty-query", message, Span.at(text, len(text.rstrip()), None, source),
                       hint)

    formula = None
    if query is None:
        query_span = Span.at(text, 0, len(text), source)
    else:
        query_span = query.span
        scope_for_query = scope if query_name is None else binding.scope  # type: ignore[union-attr]
        checker.preferences.clear()
        checker.query_atoms.clear()
        formula = checker.convert(query, scope_for_query, negated=False, in_pref=False)
    diagnostics = _dedupe(checker.diagnostics)
    if diagnostics and any(d.is_error for d in diagnostics):
        formula = None
    preferences = tuple(dict.fromkeys(checker.preferences)) if checker.preferences else ()
    return Analysis(formula, preferences, diagnostics, sources, query_span, program,
                    tuple(checker.query_atoms) if formula is not None else ())


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per problem (a let's body is checked where written and where used)."""
    if len(diagnostics) < 2:
        return diagnostics
    seen: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        seen.setdefault((d.code, d.message, d.span.source, d.span.start, d.span.end), d)
    return sorted(seen.values(), key=lambda d: (d.span.source != "<query>", d.span.source,
                                                d.span.start))


def file_loader(base_dir: str) -> Loader:
    """Read imports from disk: relative to the importing file, or to ``base_dir`` for a query
    given as text. Source names are resolved paths, so cycles are found whatever the spelling."""
    def load(path: str, importing: str) -> tuple[str, str]:
        from pathlib import Path

        origin = Path(importing)
        here = origin.parent if origin.suffix and not importing.startswith("<") else Path(base_dir)
        target = (here / path).resolve()
        try:
            return str(target), target.read_text("utf-8")
        except UnicodeDecodeError as error:
            raise OSError(f"not UTF-8 text ({error.reason})") from None

    return load
