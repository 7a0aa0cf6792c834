"""The ``SOPnnn`` diagnostics of ``skillkit migrate``: every deviation from the SOP spec.

Each code maps to (kebab-case name, default severity, documentation). Errors stop the
migration of that file (nothing is written for it); warnings and infos are reported and the
SOP is still migrated.
"""

from __future__ import annotations

from pathlib import Path

from skillkit.diagnostics import Diagnostic, Severity

CODES: dict[str, tuple[str, Severity, str]] = {
    "SOP101": ("missing-overview", Severity.WARNING,
               "No `## Overview` (or synonym) section: the description is built from the title."),
    "SOP102": ("missing-parameters", Severity.INFO,
               "No `## Parameters` (or synonym) section."),
    "SOP103": ("missing-steps", Severity.WARNING,
               "No `## Steps` (or synonym) section: the body is kept as one unstructured block."),
    "SOP104": ("section-synonym", Severity.WARNING,
               "A section uses a synonym of a spec heading (e.g. `## Role` for Overview)."),
    "SOP105": ("parameter-format", Severity.WARNING,
               "A parameter is not written as `- **name** (required|optional[, default: x]): "
               "text` (a table, a condition such as `(required if ...)`, or another shape)."),
    "SOP106": ("constraint-label", Severity.WARNING,
               "A constraint block has no `**Constraints:**` label or uses another label "
               "(`**MUST DO:**`, `**MUST NOT DO:**`)."),
    "SOP107": ("rfc2119-declaration", Severity.INFO,
               "RFC 2119 keywords are declared once for the whole file; kept in every skill "
               "emitted from it."),
    "SOP108": ("duplicate-step-number", Severity.WARNING,
               "Two steps carry the same number; they are kept in document order."),
    "SOP109": ("step-heading-format", Severity.WARNING,
               "A step heading is not `### N. Name` (e.g. `### Step N: Name`, or no number)."),
    "SOP110": ("several-sops", Severity.INFO,
               "The file holds several SOPs (several `#` titles): one skill each."),
    "SOP111": ("front-matter", Severity.INFO,
               "The SOP already carries YAML front matter; its fields are merged."),
    "SOP112": ("unknown-section", Severity.INFO,
               "A section is not part of the spec; it is kept as-is (global or on demand)."),
    "SOP113": ("constraint-without-keyword", Severity.WARNING,
               "An item in a constraint block has no RFC 2119 keyword."),
    "SOP114": ("parameter-name", Severity.WARNING,
               "A parameter name is not snake_case."),
    "SOP115": ("empty-sop", Severity.ERROR, "The file is empty: there is nothing to migrate."),
    "SOP116": ("not-utf8", Severity.ERROR, "The file is not valid UTF-8."),
    "SOP117": ("missing-title", Severity.WARNING,
               "No `# Title` heading: the title is taken from the file name."),
    "SOP118": ("file-extension", Severity.INFO, "The file name does not end in `.sop.md`."),
    "SOP119": ("bad-front-matter", Severity.WARNING,
               "The YAML front matter cannot be parsed or is not a mapping; it is ignored."),
    "SOP120": ("step-moved-detail", Severity.INFO,
               "A step is too long for the budget: its detail moved to `references/`."),
    "SOP121": ("byte-order-mark", Severity.INFO, "The file starts with a UTF-8 byte-order mark."),
    "SOP123": ("file-too-large", Severity.ERROR,
               "The file is larger than any SOP should be (8 MiB); it is not migrated."),
    "SOP122": ("relative-link", Severity.WARNING,
               "A relative link points at nothing the skill can carry (a missing file, a file "
               "outside the SOP's folder, or one over 1 MiB): it becomes plain text. Links to "
               "files inside the SOP's folder are bundled in `references/`; links to another "
               "SOP migrated in the same run name its skill."),
    "SOP124": ("not-an-sop", Severity.ERROR,
               "The file has no overview, parameters, steps or RFC 2119 constraint: it is not "
               "an SOP (a README, a LICENSE). Nothing is written for it; `--force` migrates it "
               "anyway."),
    "SOP125": ("description-from-title", Severity.WARNING,
               "The SOP has no overview prose, so the skill's description was built from the "
               "title alone: agents match on it, so write one (front matter `description:` or "
               "an `## Overview`)."),
    "SOP126": ("version-normalised", Severity.INFO,
               "The front matter's `version` is not semver; it is written as semver "
               "(`1.1` -> `1.1.0`), or as 1.0.0 when it is no version number at all."),
    "SOP127": ("nested-fence", Severity.INFO,
               "A code fence holds a fenced block whose fences have the same length "
               "(```` ```bash ```` inside ```` ``` ````); it is read as nested, and the outer "
               "fence is lengthened in the skill."),
    "SOP128": ("unclosed-fence", Severity.WARNING,
               "A code fence is never closed, so the rest of the file is code: no heading or "
               "constraint after it is seen."),
    "SOP129": ("bundled-file", Severity.INFO,
               "A linked file beside the SOP was copied into the skill's `references/` and the "
               "link rewritten."),
}


def diag(
    code: str, message: str, path: Path, line: int = 1, column: int = 1,
    severity: Severity | None = None,
) -> Diagnostic:
    name, default, _ = CODES[code]
    return Diagnostic(code, name, severity or default, message, path, line, column)
