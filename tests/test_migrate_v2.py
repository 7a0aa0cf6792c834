"""Migrate v2: progressive disclosure by default, descriptions that trigger, links, and the
defects real SOPs showed. Every SOP here is constructed for the test (tests/data)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from skillkit.migrate import plan_migration
from skillkit.migrate.scan import scan
from tests.conftest import DATA
from tests.migrate_support import assert_valid_tree, front_matter, run, run_process

SOPS = DATA / "sops"
LINKED = DATA / "sops-linked"
_STEP_LINE = re.compile(r"^- \[(?P<label>[^\]]+)\]\((?P<rel>references/[^)]+)\)", re.MULTILINE)


def _migrate(tmp_path: Path, *args: str | os.PathLike[str]) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path / "skills"
    result = run(*args, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_default_is_one_skill_with_a_step_index(tmp_path: Path) -> None:
    out, report = _migrate(tmp_path, SOPS / "platform-onboarding.sop.md")
    (sop,) = report["sops"]
    assert sop["skill_names"] == ["platform-onboarding"]  # the catalog grows by one entry
    assert sop["layout"] == "progressive"
    assert sop["check"]["ok"] and sop["start_percent"] < 35
    skill = out / "platform-onboarding"
    body = (skill / "SKILL.md").read_text()
    index = body[body.index("Do the steps in order"):].split("\n## ", 1)[0]
    lines = _STEP_LINE.findall(index)
    parsed = plan_migration([SOPS / "platform-onboarding.sop.md"]).migrations[0].sop
    assert [label for label, _rel in lines] == [f"{s.number}. {s.name}" for s in parsed.steps]
    for _label, rel in lines:
        text = (skill / rel).read_text()
        assert text.startswith("# ")  # a well-formed file with its own title
    # no step body and no step constraint is left in SKILL.md
    assert not any(c.text in body for s in parsed.steps for c in s.constraints)
    assert "**service_name** (required)" in body  # parameters stay where the agent starts
    assert_valid_tree(out)


def test_check_covers_the_references(tmp_path: Path) -> None:
    out, _ = _migrate(tmp_path, SOPS / "platform-onboarding.sop.md")
    refs = sorted((out / "platform-onboarding" / "references").glob("step*.md"))
    victim = next(p for p in refs if "You MUST" in p.read_text())
    text = victim.read_text()
    line = next(x for x in text.splitlines() if x.startswith("- You MUST"))
    victim.write_text(text.replace(line + "\n", ""))
    result = run(SOPS / "platform-onboarding.sop.md", "-o", out, "--check")
    assert result.exit_code == 1
    assert "missing:" in result.stdout and line[2:40] in result.stdout


def test_long_global_section_moves_with_a_summary(tmp_path: Path) -> None:
    out, report = _migrate(tmp_path, SOPS / "legacy-log-cleanup.sop.md")
    (sop,) = report["sops"]
    assert sop["check"]["ok"]
    body = (out / "legacy-log-cleanup" / "SKILL.md").read_text()
    assert "## Execution Rules" in body and "cleanup log line 3" not in body
    assert "These rules apply to every step" in body
    assert "[all of it](references/execution-rules.md) before you start" in body
    rules = (out / "legacy-log-cleanup" / "references" / "execution-rules.md").read_text()
    assert rules.startswith("# Execution Rules\n") and "cleanup log line 14" in rules


def test_labelled_plain_bullets_are_no_false_alarm(tmp_path: Path) -> None:
    # "**Checklist:**" + bullets without keywords, a "#### Inputs" sub-heading holding
    # parameter-like items, and "**Validation rules:**" + plain bullets: all moved to a
    # reference, and the check still balances (it once said "duplicated ... at line 0").
    for mode in ("--mode=progressive", "--inline", "--split"):
        out, report = _migrate(tmp_path / mode, SOPS / "legacy-log-cleanup.sop.md", mode)
        (sop,) = report["sops"]
        assert sop["check"] == {**sop["check"], "ok": True, "missing": [], "duplicated": []}
        assert sop["check"]["parameters"] == 2
        assert_valid_tree(out)


def test_description_says_what_and_when_and_keeps_identifiers(tmp_path: Path) -> None:
    out, _ = _migrate(tmp_path, LINKED)
    desc = front_matter(out / "order-service-deploy" / "SKILL.md")["description"]
    assert isinstance(desc, str) and len(desc) <= 1024
    assert desc.startswith("Deploys the order_service to a staging cluster with deploy_tool.py")
    for identifier in ("order_service", "deploy_tool.py", "max_retry_count", "cl100k_base"):
        assert identifier in desc
    assert "Use when the user asks to deploy the order_service" in desc
    assert "This SOP" not in desc and "|" not in desc and "`" not in desc
    assert desc.endswith("Needs cluster_name.")


def test_deprecated_sop_says_so_in_its_description(tmp_path: Path) -> None:
    out, _ = _migrate(tmp_path, SOPS / "legacy-log-cleanup.sop.md")
    desc = front_matter(out / "legacy-log-cleanup" / "SKILL.md")["description"]
    assert isinstance(desc, str) and desc.startswith("Deprecated:")
    assert "superseded by the disk-quota skill" in desc


def test_description_from_the_title_alone_is_flagged(tmp_path: Path) -> None:
    sop = tmp_path / "bare.sop.md"
    sop.write_text("# Rotate Keys\n\n## Steps\n\n### 1. Rotate\n\n- You MUST rotate the key\n")
    result = run(sop, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["sops"]
    assert entry["description_from_title"] is True
    assert "SOP125 [warning]" in result.stderr
    text = run(sop, "-o", tmp_path / "out2")
    assert "description built from the title alone (write an overview): Rotate Keys" in text.stdout


def test_relative_links_are_bundled_named_or_unlinked(tmp_path: Path) -> None:
    sops = tmp_path / "sops"
    shutil.copytree(LINKED, sops)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "diagram.md").write_text("# private\n")  # outside the SOP folder
    out, report = _migrate(tmp_path, sops)
    assert all(s["check"]["ok"] for s in report["sops"])
    skill = out / "order-service-deploy"
    assert (skill / "references" / "runbook.md").read_bytes() == (sops / "runbook.md").read_bytes()
    assert (skill / "references" / "policy.md").is_file()
    assert not list(out.rglob("diagram.md"))  # a link never carries a file from outside
    steps = "".join(p.read_text() for p in (skill / "references").glob("step*.md"))
    assert "[runbook](runbook.md#health)" in steps  # rewritten, fragment kept
    assert "[change policy](policy.md)" in steps
    assert "rollback SOP (skill `rollback`)" in steps  # another SOP of the same run
    assert "the architecture diagram to" in steps and "../secret" not in steps
    assert "the missing dashboard" in steps and "dashboards/" not in steps
    assert "[the troubleshooting notes](troubleshooting.md#troubleshooting)" in steps
    meta = front_matter(skill / "SKILL.md")["metadata"]
    assert isinstance(meta, dict) and meta["requires"] == "rollback"
    assert_valid_tree(out)  # no SK301/SK302/SK304


def test_links_do_not_change_the_lossless_check(tmp_path: Path) -> None:
    a = scan("- You MUST read the [runbook](runbook.md#health) first\n").constraints
    b = scan("- You MUST read the [runbook](references/runbook.md#health) first\n").constraints
    c = scan("- You MUST read the runbook first\n").constraints
    assert [x.text for x in a] == [x.text for x in b] == [x.text for x in c]


def test_a_file_that_is_not_an_sop_is_refused(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# My Project\n\nA library for parsing things.\n\n## Install\n\n"
                      "pip install it.\n\n## License\n\nMIT.\n")
    result = run(readme, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert re.search(r"README\.md:1:1: SOP124 \[error\] .*not an SOP", result.stderr)
    assert not (tmp_path / "out").exists()
    forced = run(readme, "-o", tmp_path / "out", "--force")
    assert forced.exit_code == 0, forced.output
    assert "SOP124 [warning]" in forced.stderr and (tmp_path / "out").is_dir()


def test_source_is_relative_to_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "work" / "sops").mkdir(parents=True)
    shutil.copy(SOPS / "release-notes.sop.md", tmp_path / "work" / "sops")
    inside = run_process("sops/release-notes.sop.md", "-o", "out", cwd=tmp_path / "work")
    assert inside.returncode == 0, inside.stderr
    meta = front_matter(tmp_path / "work" / "out" / "release-notes" / "SKILL.md")["metadata"]
    assert isinstance(meta, dict) and meta["source"].startswith("sops/release-notes.sop.md sha256:")
    (tmp_path / "elsewhere").mkdir()
    outside = run_process(tmp_path / "work" / "sops" / "release-notes.sop.md", "-o", "out",
                          cwd=tmp_path / "elsewhere")
    assert outside.returncode == 0, outside.stderr
    meta = front_matter(tmp_path / "elsewhere" / "out" / "release-notes" / "SKILL.md")["metadata"]
    assert isinstance(meta, dict) and meta["source"].startswith("release-notes.sop.md sha256:")
    assert str(tmp_path) not in meta["source"]


def test_author_version_is_kept_as_semver(tmp_path: Path) -> None:
    out, _ = _migrate(tmp_path, LINKED / "order-service-deploy.sop.md")
    meta = front_matter(out / "order-service-deploy" / "SKILL.md")["metadata"]
    assert isinstance(meta, dict) and meta["version"] == "1.1.0"
    result = run(LINKED / "order-service-deploy.sop.md", "-o", tmp_path / "again")
    assert "SOP126 [info] version '1.1' written as semver '1.1.0'" in result.stderr


def test_nested_fence_does_not_swallow_the_rest(tmp_path: Path) -> None:
    out, report = _migrate(tmp_path, LINKED / "order-service-deploy.sop.md")
    (sop,) = report["sops"]
    assert sop["check"]["ok"] and sop["check"]["constraints"] == 8
    body = (out / "order-service-deploy" / "SKILL.md").read_text()
    assert "- [3. Verify](references/" in body  # the step after the fence is still a step
    assert "[Troubleshooting](references/troubleshooting.md)" in body
    steps = next((out / "order-service-deploy" / "references").glob("step*.md")).read_text()
    assert "````markdown\n## Example rollout log\n```bash\n" in steps
    result = run(LINKED / "order-service-deploy.sop.md", "-o", tmp_path / "again")
    assert "SOP127 [info]" in result.stderr


def test_split_part_names_never_end_on_a_stop_word(tmp_path: Path) -> None:
    steps = "".join(
        f"### {n}. Evaluation Implementation and Analysis of Batch {n}\n\nDo batch {n}.\n\n"
        f"**Constraints:**\n- You MUST finish batch {n}\n\n" + "Detail line.\n" * 80 + "\n"
        for n in range(1, 4))
    sop = tmp_path / "eval-evaluation.sop.md"
    sop.write_text(f"# Eval\n\n## Overview\n\nEvaluates agents.\n\n## Steps\n\n{steps}")
    _, report = _migrate(tmp_path, sop, "--split")
    names = report["sops"][0]["skill_names"]
    assert len(names) > 1
    for name in names:
        assert name.split("-")[-1] not in {"and", "of", "the", "for", "to", "in"}, name
    descriptions = [front_matter(tmp_path / "skills" / n / "SKILL.md")["description"]
                    for n in names[1:]]
    assert all("Use when carrying out skill eval-evaluation" in str(d) for d in descriptions)


def test_small_sop_stays_inline(tmp_path: Path) -> None:
    out, report = _migrate(tmp_path, LINKED / "rollback.sop.md")
    (sop,) = report["sops"]
    assert sop["check"]["ok"]
    assert not (out / "rollback" / "references").exists()  # an index would cost as much
    assert report["mode"] == "progressive" and sop["layout"] == "inline"
    assert "### 1. Roll Back" in (out / "rollback" / "SKILL.md").read_text()


@pytest.mark.parametrize("mode", ["--inline", "--split"])
def test_other_modes_still_work(tmp_path: Path, mode: str) -> None:
    out, report = _migrate(tmp_path, SOPS / "platform-onboarding.sop.md", mode)
    (sop,) = report["sops"]
    assert sop["check"]["ok"]
    assert (len(sop["skill_names"]) > 1) == (mode == "--split")
    if mode == "--inline":
        assert "### 1. " in (out / "platform-onboarding" / "SKILL.md").read_text()
    assert_valid_tree(out)


def test_mode_flags_conflict(tmp_path: Path) -> None:
    result = run(SOPS / "release-notes.sop.md", "--mode", "split", "--inline", "-o", tmp_path)
    assert result.exit_code == 2 and "--mode split" in result.stderr


@pytest.mark.parametrize("between", ["Before anything else, read the build notes. " * 40,
                                     "```bash\n" + "make ship --target all\n" * 1500 + "```"])
def test_a_label_keeps_its_items_when_detail_moves(tmp_path: Path, between: str) -> None:
    # inline and split move long step detail out; whatever stands between a constraint label
    # and its plain items stays, or the check would count the items differently
    sop = tmp_path / "labels.sop.md"
    sop.write_text("# Labels\n\n## Overview\n\nBuilds and ships.\n\n## Steps\n\n### 1. Build\n\n"
                   f"Build it.\n\n**Constraints:**\n\n{between}\n\n- tag the release\n"
                   "- You MUST ship\n\n### 2. Ship\n\nShip it.\n\n- You MAY celebrate\n")
    for mode in ("--inline", "--split", "--mode=progressive"):
        result = run(sop, "-o", tmp_path / mode, mode, "--format", "json")
        assert result.exit_code == 0, result.output
        (entry,) = json.loads(result.stdout)["sops"]
        # a paragraph ends the label's block (its items are plain), a code block does not
        expected = 3 if between.startswith("```") else 2
        assert entry["check"]["ok"] and entry["check"]["constraints"] == expected, entry["check"]
        # the code moves out even from inside the label's block: SKILL.md stays in budget
        assert entry["entry_l2"] <= 5000 and entry["largest_skill_md_lines"] <= 500
        assert_valid_tree(tmp_path / mode)


def test_links_that_escape_or_are_too_large_are_never_bundled(tmp_path: Path) -> None:
    sops = tmp_path / "sops"
    sops.mkdir()
    (tmp_path / "private.md").write_text("# private notes\n")
    (sops / "escape.md").symlink_to(tmp_path / "private.md")  # inside by name, outside by target
    (sops / "huge.log").write_bytes(b"x" * (2 << 20))
    (sops / "ok.md").write_text("# fine\n")
    sop = sops / "links.sop.md"
    sop.write_text("# Links\n\n## Overview\n\nLinks things.\n\n## Steps\n\n### 1. Read\n\n"
                   "Read them.\n\n- You MUST read [the notes](escape.md), [the log](huge.log), "
                   "[this](ok.md) and [the parent](../private.md)\n")
    out, report = _migrate(tmp_path, sop)
    assert report["sops"][0]["check"]["ok"]
    bundled = sorted(p.name for p in (out / "links" / "references").iterdir())
    assert "ok.md" in bundled and "escape.md" not in bundled and "huge.log" not in bundled
    assert not any("private" in p.read_text() for p in out.rglob("*.md"))
    warned = {d["message"].split("'")[1] for d in report["diagnostics"] if d["code"] == "SOP122"}
    assert warned == {"escape.md", "huge.log", "../private.md"}
    assert "[ok.md](references/ok.md)" in (out / "links" / "SKILL.md").read_text()
    assert_valid_tree(out)


@pytest.mark.parametrize(("overview", "start", "trigger"), [
    ("You are a Release Notes Generator, and your goal is to create release notes for a "
     "project. Your output is prepended to the changelog.",
     "Acts as a Release Notes Generator to create release notes for a project.",
     "Use when the user asks to create release notes for a project"),
    ("This sop guides the implementation of code tasks using TDD, following a workflow.",
     "Guides the implementation of code tasks using TDD",
     "Use when the user asks for the implementation of code tasks using TDD"),
    ("This SOP is designed to help teams rotate the signing keys of a service.",
     "Helps teams rotate the signing keys of a service.",
     "Use when the user asks to rotate the signing keys of a service"),
    ("EvalKit is a conversational evaluation framework for AI agents.",
     "EvalKit is a conversational evaluation framework for AI agents.",
     "Use when the user asks for a conversational evaluation framework for AI agents"),
])
def test_description_is_third_person_with_a_trigger(
    tmp_path: Path, overview: str, start: str, trigger: str
) -> None:
    sop = tmp_path / "x.sop.md"
    sop.write_text(f"# Thing Doer SOP\n\n## Overview\n\n{overview}\n\n## Steps\n\n### 1. Go\n\n"
                   "- You MUST go\n")
    (migration,) = plan_migration([sop]).migrations
    desc = migration.skills[0].description
    assert desc.startswith(start) and trigger in desc, desc
    assert "SOP." not in desc  # the title's "SOP" is dropped


def test_unclosed_fence_is_reported(tmp_path: Path) -> None:
    sop = tmp_path / "open.sop.md"
    sop.write_text("# Open\n\n## Overview\n\nRuns a command.\n\n## Steps\n\n### 1. Run\n\n"
                   "- You MUST run it\n\n```bash\nmake all\n\n### 2. Lost\n\n- You MUST stop\n")
    result = run(sop, "-o", tmp_path / "out", "--format", "json")
    assert "open.sop.md:13:1: SOP128 [warning] code fence is never closed" in result.stderr
    (entry,) = json.loads(result.stdout)["sops"]
    assert entry["check"]["ok"] and entry["check"]["constraints"] == 1  # step 2 is code


def test_steps_written_as_a_list_move_as_one_reference(tmp_path: Path) -> None:
    items = "".join(
        f"{n}. **Stage {n}**: " + "check the replica state and the lag of the stream. " * 12
        + f"\n   - You MUST finish stage {n} before stage {n + 1}\n" for n in range(1, 7))
    sop = tmp_path / "listed.sop.md"
    sop.write_text("# Listed\n\n## Purpose\n\nRebuilds a read replica.\n\n"
                   f"## Procedure\n\n{items}")
    out, report = _migrate(tmp_path, sop)
    (entry,) = report["sops"]
    assert entry["check"]["ok"] and entry["check"]["constraints"] == 6
    assert entry["layout"] == "progressive" and entry["start_percent"] < 50
    body = (out / "listed" / "SKILL.md").read_text()
    assert "[all of it](references/procedure.md) when you start the work" in body
    assert_valid_tree(out)


def test_the_migrators_own_links_survive_a_broken_sop_link_of_the_same_path(
    tmp_path: Path,
) -> None:
    # the SOP links "references/troubleshooting.md", which is not beside it: that link becomes
    # text, but the entry's own link to the moved Troubleshooting section must stay a link
    sop = tmp_path / "same.sop.md"
    sop.write_text("# Same\n\n## Overview\n\nSee [help](references/troubleshooting.md).\n\n"
                   "## Steps\n\n### 1. Go\n\n" + "Go on with the work. " * 80 + "\n\n"
                   "- You MUST go\n\n### 2. Stop\n\n" + "Stop the work. " * 80 + "\n\n"
                   "- You MUST stop\n\n## Troubleshooting\n\n### Stuck\n\nRestart.\n")
    out, report = _migrate(tmp_path, sop)
    body = (out / "same" / "SKILL.md").read_text()
    assert "- [Troubleshooting](references/troubleshooting.md)" in body
    assert report["sops"][0]["layout"] == "progressive"
    assert_valid_tree(out)


def test_split_part_names_hold_no_reserved_word(tmp_path: Path) -> None:
    steps = "".join(
        f"### {n}. Configure Claude Code Hooks {n}\n\nDo it.\n\n- You MUST do part {n}\n\n"
        + "More detail here.\n" * 60 + "\n" for n in range(1, 4))
    sop = tmp_path / "hooks.sop.md"
    sop.write_text(f"# Hooks\n\n## Overview\n\nSets up hooks.\n\n## Steps\n\n{steps}")
    out, report = _migrate(tmp_path, sop, "--split")
    names = report["sops"][0]["skill_names"]
    assert len(names) > 1 and not any("claude" in n for n in names), names
    assert_valid_tree(out)  # no SK114
