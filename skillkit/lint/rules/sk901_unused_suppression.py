"""An inline suppression comment suppressed nothing, or names an unknown rule.

Why: suppressions outlive the problems they hid; a stale `<!-- skillkit: disable SK203 -->`
will silently hide the next real problem. Like ruff's RUF100.

Bad: `<!-- skillkit: disable-next-line SK301 -->` above a line with no broken link, or
`<!-- skillkit: disable SK999 -->`.
Good: suppressions only where a finding is reported, naming real rules.

Syntax (in any Markdown file of the skill; codes or rule names, comma-separated):

```text
<!-- skillkit: disable SK203 -->            from here to the end, or to the next
<!-- skillkit: enable SK203 -->             (ends a 'disable')
<!-- skillkit: disable-next-line SK301,broken-link -->
<!-- skillkit: disable-file SK202 -->       the whole file
```

Fix: `skillkit lint --fix` removes the comment (its whole line when it stands alone), or
just the unused codes when others in it are still used. Only suppressions for rules that
are selected are checked.
"""

from __future__ import annotations

from skillkit.diagnostics import Severity

CODE = "SK901"
NAME = "unused-suppression"
SEVERITY = Severity.WARNING
FIXABLE = True
# No check(): the linter reports this rule after applying suppressions (see skillkit.lint.linter).
