"""Property test: any SOP built from the format's grammar migrates losslessly, in every mode,
into skills that lint clean and pass the spec's reference validator."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from skillkit.migrate import plan_migration, write_plan
from tests.migrate_support import assert_valid_tree

WORDS = ["deploy", "cluster", "order_service", "report", "queue", "backup", "token", "host",
         "release", "audit", "schema", "config.yaml", "retry", "owner", "window", "cache"]
LEVELS = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"]

word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=2, max_size=7).map(" ".join)
sentence = phrase.map(lambda p: p[0].upper() + p[1:] + ".")
constraint = st.tuples(st.sampled_from(LEVELS), phrase, st.booleans()).map(
    lambda t: f"You {t[0]} {t[1]}" + (" (see [the notes](#notes))" if t[2] else ""))


@st.composite
def step(draw: st.DrawFn, number: int) -> str:
    parts = [f"### {number}. {draw(phrase).title()}\n\n{draw(sentence)}\n"]
    if draw(st.booleans()):
        parts.append("```bash\n# not a heading\n" + draw(phrase) + "\n```\n")
    if draw(st.booleans()):
        items = draw(st.lists(phrase, min_size=1, max_size=3))
        parts.append("**Checklist:**\n" + "".join(f"- {i}\n" for i in items))
    if draw(st.booleans()):
        parts.append("| key | value |\n|-----|-------|\n| " + draw(word) + " | 1 |\n")
    if draw(st.booleans()):
        # a label, then prose or code, then plain items: the label's block must stay whole
        # when long detail moves out (the check once read such items as extra constraints)
        between = draw(st.sampled_from(["para", "fence"]))
        long = " ".join([draw(sentence)] * 40)
        middle = long if between == "para" else "```text\n" + (long + "\n") * 3 + "```"
        items = draw(st.lists(phrase, min_size=1, max_size=2))
        parts.append("**Constraints:**\n\n" + middle + "\n\n" + "".join(f"- {i}\n" for i in items))
    subs = draw(st.integers(0, 2))
    for sub in range(1, subs + 1):
        parts.append(f"#### {number}.{sub} {draw(phrase).title()}\n\n{draw(sentence)}\n")
    rules = draw(st.lists(constraint, min_size=0, max_size=4))
    if rules:
        parts.append("**Constraints:**\n" + "".join(f"- {r}\n" for r in rules))
    return "\n".join(parts)


@st.composite
def sop(draw: st.DrawFn) -> str:
    parts = [f"# {draw(phrase).title()}\n"]
    if draw(st.booleans()):
        parts.append("## Overview\n\n" + " ".join(draw(st.lists(sentence, min_size=1,
                                                                   max_size=4))) + "\n")
    names = draw(st.lists(st.sampled_from(["mode", "target", "max_retry_count", "owner_email",
                                           "window"]), min_size=0, max_size=4, unique=True))
    if names:
        params = "".join(
            f"- **{n}** ({draw(st.sampled_from(['required', 'optional', 'optional, default: 3']))}"
            f"): {draw(phrase)}\n" for n in names)
        parts.append(f"## Parameters\n\n{params}")
    if draw(st.booleans()):
        rules = draw(st.lists(constraint, min_size=1, max_size=25))
        parts.append("## Notes\n\n" + draw(sentence) + "\n\n" + "".join(f"- {r}\n" for r in rules))
    steps = draw(st.integers(0, 6))
    if steps:
        parts.append("## Steps\n\n" + "\n".join(draw(step(n)) for n in range(1, steps + 1)))
    if draw(st.booleans()):
        parts.append("## Examples\n\n```text\n" + draw(phrase) + "\n```\n")
    if draw(st.booleans()):
        parts.append("## Troubleshooting\n\n### " + draw(phrase).title() + "\n\n"
                     + draw(constraint) + ".\n")
    return "\n".join(parts)


# No shrinking: a failing SOP is printed as generated, and a failure stays quick on a busy
# CI runner instead of spending minutes minimising. Derandomised, so CI runs the same SOPs every
# time; to explore, drop derandomize and raise max_examples locally.
@settings(max_examples=40, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sop())
def test_grammar_sops_migrate_losslessly_and_lint_clean(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.sop.md"
        path.write_text(text, encoding="utf-8")
        for mode in ("progressive", "inline", "split"):
            plan = plan_migration([path], mode=mode, force=True)
            assert not plan.errors, [d.message for d in plan.errors]
            for migration in plan.migrations:
                assert migration.check.ok, (mode, migration.check, text)
            out = Path(tmp) / mode
            write_plan(plan, out)
            assert_valid_tree(out)
