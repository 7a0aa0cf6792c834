"""Parsing SOPs into the typed model, and the SOPnnn warnings for every deviation."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.migrate.model import Scope, SectionKind
from skillkit.migrate.parser import parse_file, parse_text
from tests.conftest import DATA

SOPS = DATA / "sops"


def codes_at(parsed_diags: list, code: str) -> list[int]:  # type: ignore[type-arg]
    return [d.line for d in parsed_diags if d.code == code]


def test_spec_sop_model() -> None:
    parsed = parse_file(SOPS / "release-notes.sop.md")
    (sop,) = parsed.sops
    assert sop.title == "Release Notes Drafting"
    assert sop.overview.startswith("This SOP drafts release notes")
    names = [p.name for p in sop.parameters]
    assert names == ["repository_path", "previous_tag", "target_version", "output_file", "audience"]
    by_name = {p.name: p for p in sop.parameters}
    assert by_name["repository_path"].required and by_name["repository_path"].default is None
    assert not by_name["target_version"].required
    assert by_name["target_version"].default == "next"
    # a description continued on the next line is one description
    assert by_name["output_file"].description.endswith("never overwritten without asking.")
    assert [s.number for s in sop.steps] == ["1", "2", "3", "4"]
    assert sop.steps[1].name == "Classify Each Change"
    assert sop.steps[0].prose.startswith("List every commit")
    levels = [c.level for c in sop.steps[0].constraints]
    assert levels == ["MUST", "MUST NOT", "SHOULD", "MAY"]
    # no deviation worth a warning in a spec-conformant SOP
    assert [d for d in parsed.diagnostics if d.severity.label != "info"] == []
    kinds = {s.kind: s.scope for s in sop.sections}
    assert kinds[SectionKind.EXAMPLES] is Scope.ON_DEMAND
    assert kinds[SectionKind.TROUBLESHOOTING] is Scope.ON_DEMAND
    assert kinds[SectionKind.PARAMETERS] is Scope.GLOBAL


def test_constraint_split_over_lines_is_one_sentence() -> None:
    (sop,) = parse_file(SOPS / "release-notes.sop.md").sops
    texts = [c.text for c in sop.steps[1].constraints]
    assert ("You MUST ask the user when you cannot decide whether a change is breaking, because a "
            "missed breaking change costs downstream users far more than a question costs the "
            "maintainer") in texts
    (triage,) = parse_file(SOPS / "incident-triage.sop.md").sops
    step2 = triage.steps[1].constraints
    assert step2[-1].level == "SHOULD"
    assert step2[-1].text.startswith("If the impact is unclear, you SHOULD choose the higher "
                                     "severity and revise it later")


def test_deviations_are_warned_with_lines() -> None:
    parsed = parse_file(SOPS / "incident-triage.sop.md")
    d = parsed.diagnostics
    text = (SOPS / "incident-triage.sop.md").read_text().splitlines()

    def line_of(prefix: str) -> int:
        return next(i for i, line in enumerate(text, 1) if line.startswith(prefix))

    assert line_of("## Role") in codes_at(d, "SOP104")
    assert line_of("## Input Requirements") in codes_at(d, "SOP104")
    assert line_of("## Procedure") in codes_at(d, "SOP104")
    assert codes_at(d, "SOP107") == [1]  # RFC 2119 declared once, before the title
    assert line_of("### Step 1:") in codes_at(d, "SOP109")
    assert codes_at(d, "SOP108") == [line_of("### Step 3: Communicate")]
    assert line_of("**MUST DO:**") in codes_at(d, "SOP106")
    assert line_of("**MUST NOT DO:**") in codes_at(d, "SOP106")
    assert line_of("- You MUST pick one of SEV1") in codes_at(d, "SOP106")  # no label
    assert codes_at(d, "SOP113") == [line_of("- Record each action")]
    assert line_of("## Mode Behavior") in codes_at(d, "SOP112")
    assert all(diag.path == SOPS / "incident-triage.sop.md" for diag in d)


def test_synonyms_table_conditions_and_labels() -> None:
    (sop,) = parse_file(SOPS / "incident-triage.sop.md").sops
    assert sop.overview.startswith("You are the first responder")
    params = {p.name: p for p in sop.parameters}
    assert list(params) == ["service_name", "alert_id", "report_text", "environment"]
    assert params["service_name"].required and params["service_name"].form == "table"
    assert params["alert_id"].condition == "required if the incident came from monitoring"
    assert not params["alert_id"].required
    assert params["environment"].default == "production"
    step1 = sop.steps[0].constraints
    assert [(c.level, c.text) for c in step1][:1] == [
        ("MUST", "Acknowledge the alert in the paging tool within five minutes")]
    assert step1[3].level == "MUST NOT"
    assert step1[3].text.startswith("Close or silence the alert")


def test_code_fences_are_never_structure() -> None:
    (sop,) = parse_file(SOPS / "incident-triage.sop.md").sops
    assert [s.name for s in sop.steps] == [
        "Acknowledge and Record", "Assess Severity", "Contain", "Communicate", "Hand Over"]
    assert "### Step 99: not a real step" in sop.steps[1].text
    titles = [s.title for s in sop.sections]
    assert "this is a comment, not a section" not in titles


def test_global_and_on_demand_sections() -> None:
    (sop,) = parse_file(SOPS / "incident-triage.sop.md").sops
    scope = {s.title: s.scope for s in sop.sections if s.title}
    assert scope["Mode Behavior"] is Scope.GLOBAL
    assert scope["Important Notes"] is Scope.GLOBAL
    assert scope["Appendix: Severity Table"] is Scope.ON_DEMAND
    assert scope["Appendix: Status Update Template"] is Scope.ON_DEMAND
    assert sop.sections[0].kind is SectionKind.PREAMBLE


def test_several_sops_and_front_matter() -> None:
    parsed = parse_file(SOPS / "team-rituals.sop.md")
    assert [s.title for s in parsed.sops] == ["Sprint Planning", "Retrospective"]
    assert parsed.sops[0].front_matter["version"] == "2.1.0"
    assert {"SOP110", "SOP111"} <= {d.code for d in parsed.diagnostics}
    retro = parsed.sops[1]
    assert retro.overview.startswith("Facilitates a sprint retrospective")
    assert [p.name for p in retro.parameters] == ["sprint_name", "format"]
    assert retro.steps[0].constraints[1].level == "MUST NOT"
    # lines are file lines, front matter included
    text = (SOPS / "team-rituals.sop.md").read_text().splitlines()
    assert retro.line == text.index("# Retrospective") + 1


def test_other_language() -> None:
    parsed = parse_file(SOPS / "datenbank-sicherung.sop.md")
    (sop,) = parsed.sops
    assert sop.overview.startswith("Dieses Verfahren")
    assert len(sop.parameters) == 4 and len(sop.steps) == 3
    assert sop.steps[1].constraints[0].level == "MUST NOT"
    kinds = {s.title: (s.kind, s.scope) for s in sop.sections if s.title}
    assert kinds["Beispiele"] == (SectionKind.EXAMPLES, Scope.ON_DEMAND)
    assert kinds["Fehlerbehebung"] == (SectionKind.TROUBLESHOOTING, Scope.ON_DEMAND)
    assert "SOP114" in {d.code for d in parsed.diagnostics}  # Max-Alter is not snake_case
    # the SQL comment with '#' inside the fence is not a heading
    assert len([s for s in sop.sections if s.kind is SectionKind.OTHER]) == 0


def test_no_sections_at_all(tmp_path: Path) -> None:
    path = tmp_path / "bare.sop.md"
    path.write_text("Just do the thing.\nYou MUST ask first.\n")
    parsed = parse_file(path)
    (sop,) = parsed.sops
    assert sop.title == "bare"
    assert {"SOP117", "SOP101", "SOP102", "SOP103"} <= {d.code for d in parsed.diagnostics}
    assert [c.level for c in sop.constraints] == ["MUST"]


@pytest.mark.parametrize(
    ("data", "code", "line", "column"),
    [(b"", "SOP115", 1, 1), (b"  \n\n", "SOP115", 1, 1),
     (b"# T\n\n## Overview\n\nok \xff bad\n", "SOP116", 5, 4)],
)
def test_unusable_files(tmp_path: Path, data: bytes, code: str, line: int, column: int) -> None:
    path = tmp_path / "x.sop.md"
    path.write_bytes(data)
    parsed = parse_file(path)
    assert parsed.failed and parsed.sops == []
    (diag,) = [d for d in parsed.diagnostics if d.code == code]
    assert (diag.line, diag.column) == (line, column)
    assert diag.severity.label == "error"


def test_bad_front_matter_is_a_warning(tmp_path: Path) -> None:
    sops, diags = parse_text("---\nkey: [unclosed\n---\n# T\n\n## Overview\n\nHi.\n",
                             tmp_path / "t.sop.md")
    assert [s.title for s in sops] == ["T"]
    assert "SOP119" in {d.code for d in diags}


def test_bold_titles_are_not_constraint_labels() -> None:
    parsed = parse_file(SOPS / "feature-delivery.sop.md")
    (sop,) = parsed.sops
    texts = [c.text for c in sop.constraints]
    # items under "**Guided Mode:**" carry no keyword: they are guidance, not constraints
    assert not any(t.startswith("Show what you intend") for t in texts)
    assert "You MUST write the commit hash into progress.md" in texts
    # nested items with keywords of their own are constraints; their parent is one too
    assert "You MUST stop and ask only if:" in texts
    assert not {"SOP106", "SOP113"} & {d.code for d in parsed.diagnostics}
    mode = next(s for s in sop.sections if s.title == "Mode Behavior")
    assert mode.scope is Scope.GLOBAL
    assert [s.number for s in sop.steps] == ["1", "2", "3", "4", "5"]
    assert [sub.number for sub in sop.steps[3].substeps] == ["4.1", "4.2", "4.3"]


def test_relative_links_are_found_and_missing_ones_warned(tmp_path: Path) -> None:
    from skillkit.migrate import plan_migration

    path = tmp_path / "links.sop.md"
    path.write_text("# Links\n\n## Overview\n\nSee [the guide](guide.md), [web](https://x.test),"
                    " [here](#links) and ![img](img/a.png).\n\n```\n[not](code.md)\n```\n")
    parsed = parse_file(path)
    assert parsed.links == [("guide.md", 5), ("img/a.png", 5)]
    plan = plan_migration([path], force=True)
    warned = [(d.line, d.message.split("'")[1]) for d in plan.diagnostics if d.code == "SOP122"]
    assert warned == [(5, "guide.md"), (5, "img/a.png")]


def test_yaml_bomb_front_matter_is_refused(tmp_path: Path) -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    path = tmp_path / "bomb.sop.md"
    path.write_text(bomb + "# Bomb\n\n## Overview\n\nHarmless.\n")
    parsed = parse_file(path)
    (sop,) = parsed.sops
    assert sop.front_matter == {} and sop.line == 7
    (warning,) = [d for d in parsed.diagnostics if d.code == "SOP119"]
    assert warning.line > 1 and "alias" in warning.message.lower()


def test_huge_file_is_an_error(tmp_path: Path) -> None:
    from skillkit.migrate.parser import MAX_SOP_BYTES

    path = tmp_path / "huge.sop.md"
    path.write_bytes(b"# Huge\n" + b"x" * MAX_SOP_BYTES)
    parsed = parse_file(path)
    assert parsed.failed and parsed.sops == []
    assert [d.code for d in parsed.diagnostics] == ["SOP123"]


def test_section_views() -> None:
    (sop,) = parse_file(SOPS / "release-notes.sop.md").sops
    assert [s.title for s in sop.examples] == ["Examples"]
    assert [s.title for s in sop.troubleshooting] == ["Troubleshooting"]
    assert "### Example Input" in sop.examples[0].text
    (triage,) = parse_file(SOPS / "incident-triage.sop.md").sops
    assert [s.title for s in triage.global_sections] == ["", "Mode Behavior", "Important Notes"]
    assert [s.title for s in triage.on_demand_sections] == [
        "Appendix: Severity Table", "Appendix: Status Update Template"]


def test_spanish_sop() -> None:
    parsed = parse_file(SOPS / "revision-de-contratos.sop.md")
    (sop,) = parsed.sops
    params = {p.name: p for p in sop.parameters}
    assert params["ruta_contrato"].required
    assert params["politica_compras"].default == "política vigente"
    assert params["importe_anual"].condition == "required if the contract has no fixed price"
    assert [(s.number, s.name) for s in sop.steps] == [
        ("1", "Leer el contrato"), ("2", "Evaluar el riesgo"), ("3", "Redactar el resumen")]
    assert [c.level for c in sop.steps[1].constraints] == ["MUST", "MUST NOT", "MAY"]
    kinds = {s.kind for s in sop.on_demand_sections}
    assert kinds == {SectionKind.EXAMPLES, SectionKind.TROUBLESHOOTING}


def test_section_prefix_names_its_own_kind_whatever_the_hash_seed() -> None:
    # "Troubleshooting Quick Reference" was examples, troubleshooting or an appendix depending
    # on the order a frozenset of kinds happened to iterate in (PYTHONHASHSEED)
    import subprocess
    import sys

    code = ("from skillkit.migrate.classify import classify_heading as c; "
            "print(c('Troubleshooting Quick Reference')[0].value, c('Example 2 - rollback')[0]"
            ".value, c('Appendix A: Checklists')[0].value)")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": str(seed)}, check=True).stdout
            for seed in range(8)}
    assert seen == {"troubleshooting examples appendix\n"}
