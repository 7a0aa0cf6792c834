"""``skillkit docs``: the catalog site, built for real with mkdocs and checked on disk."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skillkit.cli import cli
from skillkit.docs import from_skills, generate
from skillkit.docs.safe import slugify
from skillkit.lint.registry import all_rules
from skillkit.loader import load_skills
from skillkit.tokens import footprint
from tests.conftest import DATA, REPO
from tests.docs_support import after_heading, article, catalog_site, check_site, items, parse
from tests.s3_fixture import S3Server, s3_env, s3_server  # noqa: F401 (fixtures)

HOSTILE = DATA / "docs" / "hostile"
GOLDEN = DATA / "docs" / "golden"


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command from a temp folder: caches and default outputs never land in the repo."""
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["docs", *args])


def assert_clean(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return catalog_site(REPO / "skills", tmp_path_factory.mktemp("own"))


def _numbers(html: str, label: str) -> int:
    match = re.search(
        rf"<td>{re.escape(label)}</td>\s*<td>[^<]*</td>\s*<td[^>]*>([\d,]+)</td>", html
    )
    assert match, label
    return int(match.group(1).replace(",", ""))


def test_own_skills_site_pages_and_links(own_site: Path) -> None:
    skills = load_skills([REPO / "skills"]).skills
    assert skills
    for page in ("index.html", "tags/index.html", "rules/index.html", "404.html"):
        assert (own_site / page).is_file(), page
    for rule in all_rules():
        assert (own_site / "rules" / rule.code / "index.html").is_file(), rule.code
    home = (own_site / "index.html").read_text()
    for skill in skills:
        page = own_site / "skills" / skill.dir_name / "index.html"
        assert page.is_file()
        assert f'href="skills/{skill.dir_name}/"' in home
        for f in skill.files:
            name = f.relpath if f.relpath.endswith(".md") else f"{f.relpath}.md"
            assert (own_site / "skills" / skill.dir_name / name[:-3] / "index.html").is_file()
    assert check_site(own_site) == []


def test_token_table_matches_the_tokens_api(own_site: Path) -> None:
    for skill in load_skills([REPO / "skills"]).skills:
        html = (own_site / "skills" / skill.dir_name / "index.html").read_text()
        expected = footprint(skill)
        assert _numbers(html, "L1 metadata") == expected.l1
        assert _numbers(html, "L2 activation") == expected.l2
        assert _numbers(html, "L3 on demand") == expected.l3_total


def test_site_is_offline(own_site: Path) -> None:
    for file in own_site.rglob("*.html"):
        page = parse(file)
        remote = [a for a in page.assets if re.match(r"(https?:)?//", a)]
        assert remote == [], file
        text = file.read_text()
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for file in own_site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", file.read_text()), file


def test_own_skill_steps_keep_their_list(own_site: Path) -> None:
    """Continuations indented 3 spaces (CommonMark) stay inside their numbered step."""
    page = article(own_site / "skills" / "s3-object-metadata-report" / "index.html")
    steps = after_heading(page, "Steps")
    confirm, send, read, truncated = items(steps)
    assert [p.text() for p in send.find_all("pre")] and "ReportError" in send.text()
    assert read.text().split()[:4] == ["Read", "the", "JSON", "report"]
    assert truncated.text().split()[:3] == ["If", "truncated", "is"]
    assert confirm.find_all("pre") == [] == truncated.find_all("pre")


def test_rules_reference_from_docstrings(own_site: Path) -> None:
    index = (own_site / "rules" / "index.html").read_text()
    for rule in all_rules():
        assert f'href="{rule.code}/"' in index
        page = (own_site / "rules" / rule.code / "index.html").read_text()
        assert rule.name in page
        first = rule.summary.split("`")[0].strip()[:30]
        assert first.replace("'", "&#x27;") in page or first in page


def test_rule_pages_render_their_docstrings_as_markdown(own_site: Path) -> None:
    """The docstrings are Markdown: examples land in code blocks, never in headings or rules."""
    for rule in all_rules():
        page = article(own_site / "rules" / rule.code / "index.html")
        headings = [h for level in range(1, 7) for h in page.find_all(f"h{level}")]
        # The template's title is the page's only heading; the docstring adds none.
        assert [h.tag for h in headings] == ["h1"], (rule.code, [h.text() for h in headings])
        assert page.find_all("hr") == [], rule.code
        text = page.text()
        assert "::" not in text.replace("http://", "").replace("https://", ""), rule.code
        assert "``" not in text, rule.code
        blocks = [pre.text() for pre in page.find_all("pre") if pre.find_all("code")]
        examples = re.findall(r"^```\w*\n(.*?)^```$", rule.doc, re.M | re.S)
        assert len(blocks) == len(examples), rule.code
        for block, example in zip(blocks, examples, strict=True):
            assert block.strip() == example.strip(), rule.code


def test_own_descriptions_have_no_words_split_at_a_hyphen(own_site: Path) -> None:
    """A folded YAML scalar joins lines with a space: `pull-` + newline reads "pull- request"."""
    home = article(own_site / "index.html")
    (table,) = home.find_all("table")
    descriptions = [row.find_all("td")[1].text() for row in table.find_all("tr")[1:]]
    assert descriptions
    for text in descriptions:
        assert not re.search(r"\w- \w", text), text


SUMMARY_SKILL = """---
name: odd-summary
description: Checks how a skill page reads. Use when testing the docs.
license: MIT
compatibility: Any agent
metadata:
  author: Jane
---
# Odd summary

Click [js](javascript:alert(2)) now, or read [the guide](https://example.com/a_(b)) instead.
"""


def test_skill_summary_wording(tmp_path: Path) -> None:
    skill = tmp_path / "skills" / "odd-summary"
    (skill / "references").mkdir(parents=True)
    (skill / "SKILL.md").write_text(SUMMARY_SKILL, encoding="utf-8")
    (skill / "references" / "only.md").write_text("# Only\n", encoding="utf-8")
    assert_clean(run("skills/", "-o", "site", "--no-config"))
    home = article(tmp_path / "site" / "index.html")
    intro = home.find_all("p")[0]
    assert intro.text().startswith("1 skill from skills/."), intro.text()
    assert intro.find_all("code")[0].text() == "skills/"
    page = article(tmp_path / "site" / "skills" / "odd-summary" / "index.html")
    summary, tokens = page.find_all("table")[:2]
    fields = [row.find_all("td")[0] for row in summary.find_all("tr")[1:]]
    labels = {f.text(): f for f in fields}
    assert list(labels)[:3] == ["Name", "Version", "Tags"]
    # Keys from the frontmatter are shown as written, as code.
    for key in ("license", "compatibility", "metadata.author"):
        assert [c.text() for c in labels[key].find_all("code")] == [key], key
    assert "1 bundled file, each when read" in tokens.text()
    assert "(s)" not in page.text()
    paragraphs = [p.text() for p in page.find_all("p")]
    assert "Click js now, or read the guide instead." in paragraphs, paragraphs
    links = [a.attrs.get("href") or "" for a in page.find_all("a")]
    assert "https://example.com/a_(b)" in links
    assert not [h for h in links if h.lower().startswith("javascript:")]


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_and_own_skills_build_strictly(corpus_skills: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert_clean(run(str(corpus_skills), str(REPO / "skills"), "-o", str(site), "--no-config"))
    skills = load_skills([corpus_skills, REPO / "skills"]).skills
    pages = list((site / "skills").glob("*/index.html"))
    assert len(pages) == len(skills)
    assert {p.parent.name for p in pages} >= {slugify(s.name or s.dir_name) for s in skills}
    # Anchors of our own templates (tags) must exist; skills' GitHub-style ones may not.
    assert check_site(site, anchors=lambda href: "tags/" in href) == []


def test_index_site_lists_versions_digests_and_yanks(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    shutil.copytree(
        REPO / "skills" / "s3-object-metadata-report", skills / "s3-object-metadata-report"
    )
    dist = tmp_path / "dist"
    runner = CliRunner()
    assert_clean(runner.invoke(cli, ["build", str(skills), "-o", str(dist), "-q"]))
    skill_md = skills / "s3-object-metadata-report" / "SKILL.md"
    text = skill_md.read_text()
    version = re.search(r'version: "([^"]+)"', text)
    assert version
    old = version.group(1)
    new = "9.9.9"
    skill_md.write_text(text.replace(f'version: "{old}"', f'version: "{new}"'))
    assert_clean(runner.invoke(cli, ["build", str(skills), "-o", str(dist), "-q"]))
    reason = "leaks a bucket name in an example"
    yank = runner.invoke(
        cli, ["yank", f"s3-object-metadata-report@{old}", "--reason", reason, "--index", str(dist)]
    )
    assert_clean(yank)

    site = tmp_path / "site"
    assert_clean(run("--index", str(dist / "index.json"), "-o", str(site), "--no-config"))
    html = (site / "skills" / "s3-object-metadata-report" / "index.html").read_text()
    index = json.loads((dist / "index.json").read_text())
    versions = index["skills"]["s3-object-metadata-report"]["versions"]
    assert {v["version"] for v in versions} == {old, new}
    for v in versions:
        assert v["sha256"] in html
    row = re.search(rf"<td>{re.escape(old)}</td>.*?</tr>", html, re.S)
    assert row and "yanked" in row.group(0) and reason in row.group(0)
    latest = next(v for v in versions if v["version"] == new)
    assert _numbers(html, "L1 metadata") == latest["tokens"]["l1"]
    assert _numbers(html, "L2 activation") == latest["tokens"]["l2"]
    home = (site / "index.html").read_text()
    assert f"<td>{new}</td>" in home
    assert check_site(site) == []


def test_yanked_and_deprecated_are_marked_wherever_the_version_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.index_support import write_skill

    skills = tmp_path / "skills"
    write_skill(skills, "gone-skill", "1.0.0", tags="old", body="Gone.")
    write_skill(skills, "aging-skill", "1.0.0", tags="old", body="Aging.")
    write_skill(skills, "fine-skill", "1.0.0", tags="old", body="Fine.")
    dist = tmp_path / "dist"
    runner = CliRunner()
    assert_clean(runner.invoke(cli, ["build", str(skills), "-o", str(dist), "-q"]))
    for args in (
        ["gone-skill@1.0.0", "--reason", "unsafe advice"],
        ["aging-skill@1.0.0", "--deprecate", "--reason", "use fine-skill"],
    ):
        assert_clean(runner.invoke(cli, ["yank", *args, "--index", str(dist)]))
    site = tmp_path / "site"
    # Built from an absolute index path outside the working folder: the home page does not
    # print where it was built.
    monkeypatch.chdir(skills)
    assert_clean(run("--index", str(dist.resolve()), "-o", str(site), "--no-config"))
    home = (site / "index.html").read_text()
    assert "<td>1.0.0 (yanked)</td>" in home and "<td>1.0.0 (deprecated)</td>" in home
    assert home.count("<td>1.0.0</td>") == 1  # fine-skill
    assert str(tmp_path) not in home
    gone = (site / "skills" / "gone-skill" / "index.html").read_text()
    assert "<td>1.0.0 (yanked)</td>" in gone and "1.0.0 is yanked." in gone
    assert "unsafe advice" in gone
    aging = (site / "skills" / "aging-skill" / "index.html").read_text()
    assert "1.0.0 is deprecated." in aging and "use fine-skill" in aging
    tags = (site / "tags" / "index.html").read_text()
    assert "gone-skill</a> (yanked)" in tags and "aging-skill</a> (deprecated)" in tags
    # Relative to the working folder when the index is under it.
    monkeypatch.chdir(tmp_path)
    assert_clean(run("--index", str(dist.resolve()), "-o", str(site), "--no-config"))
    home = (site / "index.html").read_text()
    assert "<code>dist/</code>" in home and str(tmp_path) not in home
    assert check_site(site) == []


def test_requires_and_required_by_links(tmp_path: Path) -> None:
    tree = tmp_path / "skills"
    for name, requires in (("base-skill", None), ("top-skill", "base-skill@^1, absent-skill")):
        folder = tree / name
        folder.mkdir(parents=True)
        meta = '  version: "1.0.0"\n' + (f'  requires: "{requires}"\n' if requires else "")
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: The {name} fixture.\nmetadata:\n{meta}---\n\n"
            f"# {name}\n\nBody.\n"
        )
    site = tmp_path / "site"
    assert_clean(run(str(tree), "-o", str(site), "--no-config"))
    top = (site / "skills" / "top-skill" / "index.html").read_text()
    base = (site / "skills" / "base-skill" / "index.html").read_text()
    assert '<a href="../base-skill/">base-skill</a> <code>^1</code>' in top
    assert "absent-skill (not in this catalog)" in top
    assert '<a href="../top-skill/">top-skill</a>' in base.split("Required by")[1]
    assert check_site(site) == []


def test_templates_override_one_page(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "home.md.j2").write_text(
        "# Our skills\n\nCustom home marker-7731.\n\n"
        "{% for s in catalog.skills %}- [{{ s.name | md }}]"
        "({{ relative(skill_pages[s.name], page) }})\n{% endfor %}\n"
    )
    site = tmp_path / "site"
    assert_clean(
        run(str(REPO / "skills"), "-o", str(site), "--no-config", "--templates", str(templates))
    )
    home = (site / "index.html").read_text()
    assert "marker-7731" in home
    assert "skillkit-filter" not in home
    assert (site / "tags" / "index.html").is_file()  # the shipped template still renders tags
    assert check_site(site) == []


def test_broken_link_fails_naming_page_and_target(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "tags.md.j2").write_text("# Tags\n\nSee [the list](no-such-page.md).\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text("{}")  # a previous build, kept intact
    result = run(
        str(REPO / "skills"), "-o", str(site), "--no-config", "--templates", str(templates)
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "tags.md" in result.output and "no-such-page.md" in result.output
    assert sorted(p.name for p in site.rglob("*")) == ["search", "search_index.json"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]


def test_template_errors_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "skill.md.j2").write_text("# {{ skill.name \n")
    result = run(
        str(REPO / "skills"),
        "-o",
        str(tmp_path / "s"),
        "--no-config",
        "--templates",
        str(templates),
    )
    assert result.exit_code == 2
    assert "skill.md.j2" in result.output and "Traceback" not in result.output
    both = run(str(REPO / "skills"), "--index", "dist", "-o", str(tmp_path / "s"), "--no-config")
    assert both.exit_code == 2 and "not both" in both.output
    missing = run(str(tmp_path / "nope"), "-o", str(tmp_path / "s"), "--no-config")
    assert missing.exit_code == 2 and "nope" in missing.output
    bad_index = run("--index", str(tmp_path / "nope"), "-o", str(tmp_path / "s"), "--no-config")
    assert bad_index.exit_code == 2 and "Traceback" not in bad_index.output
    not_ours = tmp_path / "mine"
    not_ours.mkdir()
    (not_ours / "keep.txt").write_text("precious")
    refused = run(str(REPO / "skills"), "-o", str(not_ours), "--no-config")
    assert refused.exit_code == 2 and "not a site" in refused.output
    assert (not_ours / "keep.txt").read_text() == "precious"


def _project(tmp_path: Path, guide_link: str = "catalog/index.md") -> Path:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copytree(
        REPO / "skills" / "s3-object-metadata-report",
        project / "skills" / "s3-object-metadata-report",
    )
    (project / "mkdocs.yml").write_text(
        "site_name: Demo project\ntheme:\n  name: material\nnav:\n  - Home: index.md\n"
        "  - Guide: guide.md\n"
    )
    (project / "docs" / "index.md").write_text("# Demo\n\nRead the [guide](guide.md).\n")
    (project / "docs" / "guide.md").write_text(
        f"# Guide\n\nBrowse the [catalog]({guide_link}) and the [rules](rules/index.md).\n"
    )
    return project


def test_project_site_merges_guide_and_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    assert_clean(run("-o", "site"))
    site = project / "site"
    pages = (
        "index.html",
        "guide/index.html",
        "catalog/index.html",
        "catalog/tags/index.html",
        "catalog/skills/s3-object-metadata-report/index.html",
        "rules/index.html",
    )
    for page in pages:
        assert (site / page).is_file(), page
    assert "Demo project" in (site / "index.html").read_text()
    nav = parse(site / "guide" / "index.html").links
    assert any(link.endswith("catalog/") for link in nav)
    assert check_site(site) == []


def test_project_site_broken_guide_link_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, guide_link="catalogue.md")
    monkeypatch.chdir(project)
    result = run("-o", "site")
    assert result.exit_code == 1
    assert "guide.md" in result.output and "catalogue.md" in result.output
    assert not (project / "site").exists()


@pytest.mark.slow
def test_repository_site_builds(tmp_path: Path) -> None:
    """The project's own mkdocs.yml: the user guide in docs/ plus the catalog of skills/."""
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "skillkit", "docs", "-o", str(site)],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=240,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for md in (REPO / "docs").rglob("*.md"):
        rel = md.relative_to(REPO / "docs").with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        assert (site / folder / "index.html").is_file(), md
    for skill in load_skills([REPO / "skills"]).skills:
        assert (site / "catalog" / "skills" / skill.dir_name / "index.html").is_file()
    assert check_site(site) == []


def test_library_api(tmp_path: Path) -> None:
    catalog = from_skills([REPO / "skills"])
    result = generate(catalog, tmp_path / "site")
    assert result.skills == len(catalog.skills)
    assert "index.md" in result.pages
    assert (tmp_path / "site" / "index.html").is_file()


def test_build_also_produces_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert_clean(runner.invoke(cli, ["build", "-q", "--no-site"]))
    assert not (project / "site").exists()
    assert_clean(runner.invoke(cli, ["build", "-q"]))
    page = project / "site" / "catalog" / "skills" / "s3-object-metadata-report" / "index.html"
    index = json.loads((project / "dist" / "index.json").read_text())
    digest = index["skills"]["s3-object-metadata-report"]["versions"][0]["sha256"]
    assert digest in page.read_text()
    assert (project / "site" / "guide" / "index.html").is_file()
    assert check_site(project / "site") == []


def test_build_site_without_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(
        REPO / "skills" / "s3-object-metadata-report",
        tmp_path / "skills" / "s3-object-metadata-report",
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert_clean(runner.invoke(cli, ["build", "-q"]))
    assert not (tmp_path / "site").exists()  # no mkdocs.yml: no site unless asked
    assert_clean(runner.invoke(cli, ["build", "-q", "--site", "--site-dir", "catalog-site"]))
    assert (
        tmp_path / "catalog-site" / "skills" / "s3-object-metadata-report" / "index.html"
    ).is_file()


def test_index_site_from_an_s3_bucket(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811 (fixture)
    s3_env: dict[str, str],  # noqa: F811 (fixture)
) -> None:
    """A published index read back from a real S3-compatible server on 127.0.0.1."""
    bucket = s3_server.bucket("docs-catalog")
    runner = CliRunner()
    dist = tmp_path / "dist"
    assert_clean(runner.invoke(cli, ["build", str(REPO / "skills"), "-o", str(dist), "-q"]))
    location = f"s3://{bucket}/skills"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    assert_clean(runner.invoke(cli, ["publish", str(dist), "--to", location, *endpoint]))
    site = tmp_path / "site"
    assert_clean(run("--index", location, *endpoint, "-o", str(site), "--no-config"))
    index = json.loads((dist / "index.json").read_text())
    for name, body in index["skills"].items():
        html = (site / "skills" / name / "index.html").read_text()
        assert body["versions"][-1]["sha256"] in html
    assert check_site(site) == []


def test_big_catalogs_keep_skills_out_of_the_nav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillkit.docs.pages as pages_module

    monkeypatch.setattr(pages_module, "NAV_SKILL_LIMIT", 1)
    catalog = from_skills([REPO / "skills"])
    assert len(catalog.skills) > 1
    generate(catalog, tmp_path / "site")
    home = tmp_path / "site" / "index.html"
    nav = [link for link in parse(home).links if link.startswith("skills/")]
    table = home.read_text().split("<table>")[1]
    # The skills are linked from the home table only (plus tags), and every page still exists.
    assert all(f'href="skills/{s.slug}/"' in table for s in catalog.skills)
    assert len(nav) == len(catalog.skills)
    assert check_site(tmp_path / "site") == []


def test_templates_ship_in_the_package() -> None:
    from importlib.resources import files

    from skillkit.docs import TEMPLATE_NAMES

    folder = files("skillkit.docs") / "templates"
    for name in TEMPLATE_NAMES:
        assert (folder / name).is_file(), name
    assets = files("skillkit.docs") / "assets"
    assert (assets / "catalog.js").is_file() and (assets / "catalog.css").is_file()


def test_bad_project_configuration_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "use_directory_urls: maybe\n")
    result = run("-o", "site")
    assert result.exit_code == 2, result.output
    assert "use_directory_urls" in result.output and "Traceback" not in result.output
    config.write_text("site_name: Demo\ntheme:\n  name: mkdocs\n")
    other_theme = run("-o", "site")
    assert other_theme.exit_code == 2 and "material" in other_theme.output
    assert not (project / "site").exists()


def test_the_site_checker_itself_finds_problems(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text('<h2 id="here">x</h2>')
    (tmp_path / "index.html").write_text(
        '<a href="ok/">fine</a> <a href="ok/#here">fine</a> <a href="missing/">x</a>'
        '<a href="ok/#gone">x</a> <script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="local.css"> <a href="https://example.com/">external</a>'
    )
    assert check_site(tmp_path) == [
        "index.html: broken link missing/",
        "index.html: missing anchor ok/#gone",
        "index.html: missing asset local.css",
        "index.html: remote asset https://cdn.example/x.js",
    ]


def test_progress_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal, docs shows pages rendered and mkdocs' stages; piped, it stays quiet."""
    import pty

    from tests.index_support import write_skill

    skills = tmp_path / "skills"
    for number in range(3):
        write_skill(skills, f"skill-{number}", "1.0.0", body=f"Skill {number}.")
    skillkit = str(Path(sys.executable).parent / "skillkit")
    args = [skillkit, "docs", str(skills), "-o", str(tmp_path / "site"), "--no-config"]
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(args, stderr=follower, stdout=subprocess.PIPE, timeout=300)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert proc.returncode == 0, shown
    text = shown.decode("utf-8", errors="replace")
    for expected in ("[1/3] render skill-0", "[3/3] render skill-2", "mkdocs: build "):
        assert expected in text, text
    piped = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and "render" not in piped.stderr and "[" not in piped.stderr
