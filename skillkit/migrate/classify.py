"""Which section is which (spec heading, synonym, other language), and global vs on demand.

Global sections (mode behaviour, important notes, rules...) apply to every step and stay in
the entry skill; examples, troubleshooting, appendices, templates and long reference prose
are needed on demand and move to ``references/``.
"""

from __future__ import annotations

import re
import unicodedata

from skillkit.migrate.model import SectionKind

#: canonical heading -> kind; these produce no warning.
CANONICAL: dict[str, SectionKind] = {
    "overview": SectionKind.OVERVIEW,
    "parameters": SectionKind.PARAMETERS,
    "steps": SectionKind.STEPS,
    "examples": SectionKind.EXAMPLES,
    "example": SectionKind.EXAMPLES,
    "troubleshooting": SectionKind.TROUBLESHOOTING,
}

SYNONYMS: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.OVERVIEW: (
        "role", "purpose", "description", "summary", "introduction", "about", "goal",
        "ubersicht", "uberblick", "zweck", "rolle", "beschreibung", "ziel",
        "descripcion general", "resumen", "proposito", "objetivo", "rol", "descripcion",
        "vue d ensemble", "objectif", "presentation",
    ),
    SectionKind.PARAMETERS: (
        "inputs", "input", "input requirements", "input parameters", "arguments",
        "required inputs", "parameter", "eingaben", "eingabeparameter", "parametros",
        "entradas", "parametres", "argumentos",
    ),
    SectionKind.STEPS: (
        "procedure", "process", "workflow", "instructions", "step by step", "schritte",
        "vorgehen", "ablauf", "verfahren", "vorgehensweise", "pasos", "procedimiento",
        "proceso", "etapes", "procedure a suivre",
    ),
    SectionKind.EXAMPLES: (
        "sample", "samples", "usage examples", "example usage", "beispiele", "beispiel",
        "ejemplos", "ejemplo", "exemples", "exemple",
    ),
    SectionKind.TROUBLESHOOTING: (
        "common issues", "faq", "known issues", "fehlerbehebung", "problembehandlung",
        "solucion de problemas", "resolucion de problemas", "depannage",
    ),
    SectionKind.APPENDIX: (
        "appendix", "appendices", "template", "templates", "reference", "references",
        "glossary", "anhang", "vorlage", "vorlagen", "glossar", "apendice", "anexo",
        "plantilla", "plantillas", "glosario", "annexe", "modele",
    ),
}

ON_DEMAND_KINDS = frozenset(
    {SectionKind.EXAMPLES, SectionKind.TROUBLESHOOTING, SectionKind.APPENDIX}
)


def normalise_heading(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[`*_]", "", text)
    text = re.sub(r"^\s*(?:[0-9]+[.)]?|[ivx]+\.)\s+", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def classify_heading(title: str) -> tuple[SectionKind, bool]:
    """Return (kind, is_canonical). Unknown headings are ``OTHER``."""
    norm = normalise_heading(title)
    if norm in CANONICAL:
        return CANONICAL[norm], True
    for kind, words in SYNONYMS.items():
        if norm in words:
            return kind, False
    # "Appendix A: Checklists", "Example 2 - rollback": prefix match on on-demand words only,
    # a section called "Steps overview" must not become an overview.
    # The kind the first word names, never merely an on-demand kind: iterating a frozenset of
    # kinds made "Troubleshooting Quick Reference" examples or an appendix by hash seed.
    first = norm.split(" ", 1)[0] if norm else ""
    if first in CANONICAL and CANONICAL[first] in ON_DEMAND_KINDS:
        return CANONICAL[first], False
    for kind in sorted(ON_DEMAND_KINDS, key=lambda k: k.value):
        if first in SYNONYMS[kind]:
            return kind, False
    return SectionKind.OTHER, False
