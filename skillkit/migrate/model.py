"""The typed SOP model: what the parser finds, with 1-based line numbers into the file."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: RFC 2119 keywords, longest first so ``MUST NOT`` wins over ``MUST``.
RFC2119_LEVELS: tuple[str, ...] = (
    "MUST NOT",
    "SHALL NOT",
    "SHOULD NOT",
    "NOT RECOMMENDED",
    "MUST",
    "SHALL",
    "SHOULD",
    "REQUIRED",
    "RECOMMENDED",
    "MAY",
    "OPTIONAL",
)


class SectionKind(enum.Enum):
    PREAMBLE = "preamble"
    INTRO = "intro"
    OVERVIEW = "overview"
    PARAMETERS = "parameters"
    STEPS = "steps"
    EXAMPLES = "examples"
    TROUBLESHOOTING = "troubleshooting"
    APPENDIX = "appendix"
    OTHER = "other"


class Scope(enum.Enum):
    """Where a section goes: the entry skill (every step needs it) or references/."""

    GLOBAL = "global"
    ON_DEMAND = "on-demand"


@dataclass(frozen=True)
class Constraint:
    #: RFC 2119 level (``"MUST NOT"``...), or ``""`` for an item of a constraint block
    #: that carries no keyword.
    level: str
    #: the sentence, whitespace-normalised.
    text: str
    line: int


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool
    default: str | None
    description: str
    #: e.g. ``"required if mode is deploy"``.
    condition: str | None
    line: int
    #: "list" or "table"
    form: str = "list"


@dataclass
class Step:
    number: str | None
    name: str
    #: the verbatim Markdown of the step, heading included.
    text: str
    line: int
    end_line: int
    prose: str = ""
    constraints: list[Constraint] = field(default_factory=list)
    substeps: list[Step] = field(default_factory=list)


@dataclass
class Section:
    kind: SectionKind
    #: the heading as written (without ``#``), ``""`` for preamble/intro.
    title: str
    #: verbatim Markdown, heading included.
    text: str
    line: int
    end_line: int
    scope: Scope = Scope.GLOBAL


@dataclass
class Sop:
    path: Path
    title: str
    line: int
    #: verbatim Markdown of this SOP (preamble included), what "loading the SOP whole" costs.
    text: str
    sections: list[Section] = field(default_factory=list)
    overview: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    #: verbatim text of the steps section before its first step.
    steps_intro: str = ""
    constraints: list[Constraint] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    #: index of this SOP in its file (0 for the first / only one), and how many there are.
    index: int = 0
    count: int = 1

    def section(self, kind: SectionKind) -> Section | None:
        return next((s for s in self.sections if s.kind is kind), None)

    @property
    def examples(self) -> list[Section]:
        return [s for s in self.sections if s.kind is SectionKind.EXAMPLES]

    @property
    def troubleshooting(self) -> list[Section]:
        return [s for s in self.sections if s.kind is SectionKind.TROUBLESHOOTING]

    @property
    def global_sections(self) -> list[Section]:
        """Sections every step needs (mode behaviour, important notes): the entry keeps them."""
        special = (SectionKind.OVERVIEW, SectionKind.PARAMETERS, SectionKind.STEPS)
        return [s for s in self.sections if s.scope is Scope.GLOBAL and s.kind not in special]

    @property
    def on_demand_sections(self) -> list[Section]:
        return [s for s in self.sections if s.scope is Scope.ON_DEMAND]
