"""What building a scenario keeps as it goes (wargame.scenario.build): the problems found, the
state's slots and their names, and the compiled expressions, with the helpers that compile an
expression, a chance or an effect and report a problem at its key path instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wargame.errors import ExpressionError
from wargame.scenario import expr
from wargame.scenario.expr import Compiled, Effect, Kind, Slot
from wargame.scenario.models import ScenarioModel

KeyPath = tuple[str | int, ...]


@dataclass
class BuildContext:
    """The model being built and what the build has gathered so far."""

    model: ScenarioModel
    problems: list[tuple[KeyPath, str]] = field(default_factory=list)
    names: dict[str, Slot] = field(default_factory=dict)
    slot_names: list[str] = field(default_factory=list)
    initial: list[float] = field(default_factory=list)
    broken: set[KeyPath] = field(default_factory=set)  # expressions already reported as wrong
    # the same text compiles to the same thing: a scenario repeats its effects a great deal
    compiled: dict[tuple[str, Kind | None], Compiled] = field(default_factory=dict)
    compiled_effects: dict[str, Effect] = field(default_factory=dict)

    # ------------------------------------------------------------ helpers

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append((path, message))

    def add_slot(self, name: str, kind: Kind, start: float, lo: float, hi: float,
                 writable: bool = True, public: bool = True) -> int:
        index = len(self.initial)
        self.initial.append(start)
        self.slot_names.append(name)
        if public:
            self.names[name] = Slot(index, kind, lo, hi, writable)
        return index

    def compile(self, text: str, want: Kind | None = None) -> Compiled:
        """Compile once per text (names only grow while building, so a text means one thing)."""
        key = (text, want)
        if key not in self.compiled:
            self.compiled[key] = expr.compile_expression(text, self.names, want)
        return self.compiled[key]

    def expression(self, path: KeyPath, text: str, want: Kind) -> Compiled:
        try:
            return self.compile(text, want)
        except ExpressionError as err:
            self.problem(path, f"{err} in {text!r}")
            self.broken.add(path)
            return self.compile("false" if want == "bool" else "0", want)

    def chance(self, path: KeyPath, value: float | str) -> Compiled:
        if isinstance(value, str):
            return self.expression(path, value, "num")
        if not 0.0 <= value <= 1.0:
            self.problem(path, f"a chance is between 0 and 1, not {value}")
        return expr.constant(min(max(value, 0.0), 1.0))

    def effects(self, path: KeyPath, texts: Iterable[str], nation: str | None = None) -> tuple[Effect, ...]:
        out = []
        for i, text in enumerate(texts):
            source = text.replace("{nation}", nation) if nation else text
            try:
                if source not in self.compiled_effects:
                    self.compiled_effects[source] = expr.compile_effect(source, self.names)
                out.append(self.compiled_effects[source])
            except ExpressionError as err:
                self.problem((*path, i), f"{err} in {source!r}")
        return tuple(out)

    def unique(self, kind: str, path: KeyPath, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.problem((*path, i, "id"), f"duplicate {kind} id {ident!r}")
            seen.add(ident)
