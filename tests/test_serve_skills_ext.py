"""The MCP Skills extension in `skillkit serve`: the SDK's own client (stdio and streamable
HTTP on 127.0.0.1) and raw JSON-RPC lines over stdio, against indexes built by `skillkit build`."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Literal

import anyio
import mcp_types as types
import pytest
import yaml
from click.testing import CliRunner
from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError
from pydantic import TypeAdapter

from skillkit.cli import cli
from tests.index_support import write_skill
from tests.serve_support import (
    EPOCH,
    FIXTURE_SKILLS,
    SKILLKIT,
    HttpServer,
    await_event,
    build,
    http_session,
    make_catalog,
    read_events,
    run_async,
    stdio_session,
)

pytestmark = pytest.mark.timeout(120)
EXTENSION = "io.modelcontextprotocol/skills"
_ANY = TypeAdapter(dict[str, Any])


class _Uri(types.RequestParams):
    uri: str


class _DirParams(types.PaginatedRequestParams):
    uri: str


class SkillsList(types.Request[types.PaginatedRequestParams, Literal["skills/list"]]):
    method: Literal["skills/list"] = "skills/list"
    params: types.PaginatedRequestParams = types.PaginatedRequestParams()


class SkillsGet(types.Request[_Uri, Literal["skills/get"]]):
    method: Literal["skills/get"] = "skills/get"


class DirectoryRead(types.Request[_DirParams, Literal["resources/directory/read"]]):
    method: Literal["resources/directory/read"] = "resources/directory/read"


async def list_all(session: ClientSession) -> list[dict[str, Any]]:
    skills: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await session.send_request(
            SkillsList(params=types.PaginatedRequestParams(cursor=cursor)), _ANY
        )
        assert page["ttlMs"] >= 0 and page["cacheScope"] in ("public", "private")
        skills += page["skills"]
        cursor = page.get("nextCursor")
        if cursor is None:
            return skills


async def get(session: ClientSession, uri: str) -> dict[str, Any]:
    return await session.send_request(SkillsGet(params=_Uri(uri=uri)), _ANY)


async def read_dir(session: ClientSession, uri: str) -> list[dict[str, Any]]:
    result = await session.send_request(DirectoryRead(params=_DirParams(uri=uri)), _ANY)
    resources: list[dict[str, Any]] = result["resources"]
    return resources


async def read_bytes(session: ClientSession, uri: str) -> bytes:
    content = (await session.read_resource(uri)).contents[0]
    if isinstance(content, types.BlobResourceContents):
        return base64.b64decode(content.blob)
    assert isinstance(content, types.TextResourceContents)
    return content.text.encode("utf-8")


def frontmatter_of(skill_md: Path) -> dict[str, Any]:
    text = skill_md.read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return loaded


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Fixture skills plus one whose frontmatter carries every kind of field."""
    root = tmp_path_factory.mktemp("ext")
    skills, dist = make_catalog(root)
    # Back to what is served as latest (2.0.0 is yanked), so the folder is the reference.
    shutil.copy(FIXTURE_SKILLS / "changelog-writer" / "SKILL.md", skills / "changelog-writer")
    rich = skills / "rich-frontmatter"
    (rich / "templates" / "regional").mkdir(parents=True)
    (rich / "SKILL.md").write_text(
        "---\n"
        "name: rich-frontmatter\n"
        "description: Shows that every frontmatter field reaches MCP clients. Use in tests.\n"
        "license: MIT\n"
        "compatibility: Needs Python 3.11 or later\n"
        "allowed-tools: Bash(git:*) Read\n"
        "metadata:\n"
        '  version: "1.1.0"\n'
        '  tags: "testing, mcp"\n'
        '  author: "Ada"\n'
        "---\n# Rich\n\nPick a file from [templates/invoice.md](templates/invoice.md).\n",
        encoding="utf-8",
    )
    (rich / "templates" / "invoice.md").write_text("# Invoice\n", encoding="utf-8")
    (rich / "templates" / "regional" / "eu.md").write_text("# EU\n", encoding="utf-8")
    build(skills, dist)
    return skills, dist


def check_catalog(skills: list[dict[str, Any]], source: Path) -> None:
    by_uri = {s["uri"]: s for s in skills}
    # Latest non-yanked versions only; the URI's last skill-path segment is the name.
    assert sorted(by_uri) == [
        "skill://changelog-writer/SKILL.md",
        "skill://pdf-form-filler/SKILL.md",
        "skill://rich-frontmatter/SKILL.md",
        "skill://s3-bucket-audit/SKILL.md",
    ]
    for uri, skill in by_uri.items():
        name = uri.removeprefix("skill://").split("/")[0]
        assert skill["frontmatter"]["name"] == name
        # Verbatim: every field the author wrote, as the SKILL.md's YAML reads.
        assert skill["frontmatter"] == frontmatter_of(source / name / "SKILL.md")
        # Complete: every file in the folder, SKILL.md included, with digest and size.
        on_disk = sorted(
            p.relative_to(source / name).as_posix()
            for p in (source / name).rglob("*")
            if p.is_file()
        )
        listed = sorted(r["uri"].removeprefix(f"skill://{name}/") for r in skill["resources"])
        assert listed == on_disk
        for resource in skill["resources"]:
            path = source / name / resource["uri"].removeprefix(f"skill://{name}/")
            data = path.read_bytes()
            assert resource["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["size"] == len(data)
    rich = by_uri["skill://rich-frontmatter/SKILL.md"]["frontmatter"]
    assert rich["allowed-tools"] == "Bash(git:*) Read" and rich["metadata"]["author"] == "Ada"


def test_extension_over_stdio_with_the_sdk_client(
    catalog: tuple[Path, Path], tmp_path: Path
) -> None:
    source, dist = catalog

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "log", "--page-size", "3") as session:
            caps = session.server_capabilities
            assert caps is not None and caps.resources is not None
            assert caps.extensions == {EXTENSION: {"directoryRead": True}}
            skills = await list_all(session)  # 4 skills over pages of 3
            check_catalog(skills, source)

            # Each listed digest matches what resources/read returns.
            for skill in skills:
                for resource in skill["resources"]:
                    data = await read_bytes(session, resource["uri"])
                    assert "sha256:" + hashlib.sha256(data).hexdigest() == resource["digest"]
                    assert len(data) == resource["size"]

            # skills/get: the same entry as the listing, and cache hints (no --watch).
            got = await get(session, "skill://rich-frontmatter/SKILL.md")
            assert got["skill"] == next(s for s in skills if "rich" in s["uri"])
            assert got["ttlMs"] == 300_000 and got["cacheScope"] == "public"

            # An exact version under a prefix: not listed, still answered, even yanked.
            pinned = await get(session, "skill://v2.0.0/changelog-writer/SKILL.md")
            entry = pinned["skill"]
            assert entry["uri"] == "skill://v2.0.0/changelog-writer/SKILL.md"
            assert entry["frontmatter"]["metadata"]["version"] == "2.0.0"
            text = await read_bytes(session, entry["uri"])
            assert b"Version two" in text
            assert "sha256:" + hashlib.sha256(text).hexdigest() == entry["resources"][0]["digest"]
            latest = await read_bytes(session, "skill://changelog-writer/SKILL.md")
            assert b"Version two" not in latest

            # Directory reads: direct children only, subfolders as inode/directory.
            root = await read_dir(session, "skill://rich-frontmatter")
            assert [(r["name"], r["mimeType"]) for r in root] == [
                ("SKILL.md", "text/markdown"),
                ("templates", "inode/directory"),
            ]
            templates = await read_dir(session, "skill://rich-frontmatter/templates")
            assert [r["uri"] for r in templates] == [
                "skill://rich-frontmatter/templates/invoice.md",
                "skill://rich-frontmatter/templates/regional",
            ]
            versioned = await read_dir(session, "skill://v1.2.0/s3-bucket-audit/scripts")
            assert [r["uri"] for r in versioned] == [
                "skill://v1.2.0/s3-bucket-audit/scripts/audit.py"
            ]

            # Errors carry the codes the extension gives.
            for call in (
                get(session, "skill://no-such-skill/SKILL.md"),
                get(session, "skill://rich-frontmatter/templates/invoice.md"),
                get(session, "skill://v9.9.9/rich-frontmatter/SKILL.md"),
                read_dir(session, "skill://rich-frontmatter/SKILL.md"),
                read_dir(session, "skill://rich-frontmatter/nowhere"),
                session.read_resource("skill://rich-frontmatter/nope.md"),
            ):
                with pytest.raises(MCPError) as err:
                    await call
                assert err.value.error.code == -32602, err.value

            # The tools keep working for clients without the extension.
            found = await session.call_tool("search_skills", {"query": "invoice templates"})
            assert found.structured_content is not None
            assert found.structured_content["results"][0]["name"] == "rich-frontmatter"

    run_async(main)


def test_extension_over_streamable_http(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    source, dist = catalog
    server = HttpServer(dist, tmp_path / "log", "--watch", "--interval", "2")
    try:

        async def main() -> None:
            async with http_session(server.url) as session:
                caps = session.server_capabilities
                assert caps is not None and caps.extensions == {EXTENSION: {"directoryRead": True}}
                page = await session.send_request(SkillsList(), _ANY)
                # The cache hint follows --watch's interval.
                assert page["ttlMs"] == 2000 and page["cacheScope"] == "public"
                check_catalog(await list_all(session), source)
                got = await get(session, "skill://s3-bucket-audit/SKILL.md")
                for resource in got["skill"]["resources"]:
                    data = await read_bytes(session, resource["uri"])
                    assert "sha256:" + hashlib.sha256(data).hexdigest() == resource["digest"]

        run_async(main)
    finally:
        assert server.terminate() == 0


def _raw(dist: Path, tmp_path: Path, lines: list[bytes], answers: int) -> list[dict[str, Any]]:
    """Send raw lines to `skillkit serve` over stdio; the first `answers` messages it wrote."""
    log = tmp_path / "raw.log"
    with log.open("w", encoding="utf-8") as errlog:
        process = subprocess.Popen(
            [SKILLKIT, "serve", "--index", str(dist)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(b"".join(lines))
            process.stdin.flush()
            got = [json.loads(process.stdout.readline()) for _ in range(answers)]
            process.stdin.close()
            assert process.wait(30) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return got


def _line(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode("utf-8") + b"\n"


def test_raw_json_rpc_lines_over_stdio(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    source, dist = catalog
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "0"},
        },
    }
    answers = _raw(
        dist,
        tmp_path,
        [
            _line(initialize),
            _line({"jsonrpc": "2.0", "method": "notifications/initialized"}),
            b"this is not json\n",
            b"\n",
            _line({"jsonrpc": "2.0", "id": 2, "method": "skills/list", "params": {}}),
            _line(
                {
                    "jsonrpc": "2.0",
                    "id": 3,
                    "method": "skills/get",
                    "params": {"uri": "skill://pdf-form-filler/SKILL.md"},
                }
            ),
            _line(
                {
                    "jsonrpc": "2.0",
                    "id": 4,
                    "method": "resources/read",
                    "params": {"uri": "skill://pdf-form-filler/SKILL.md"},
                }
            ),
            _line(
                {
                    "jsonrpc": "2.0",
                    "id": 5,
                    "method": "resources/directory/read",
                    "params": {"uri": "skill://pdf-form-filler/assets"},
                }
            ),
            _line({"jsonrpc": "2.0", "id": 6, "method": "skills/get", "params": {"uri": "x"}}),
            b'[{"jsonrpc": "2.0"}]\n',
        ],
        answers=8,
    )
    by_id = {a.get("id"): a for a in answers}
    caps = by_id[1]["result"]["capabilities"]
    assert caps["extensions"] == {EXTENSION: {"directoryRead": True}} and "resources" in caps
    errors = [a for a in answers if a.get("id") is None]
    assert [e["error"]["code"] for e in errors] == [-32700, -32600]
    listing = by_id[2]["result"]
    assert len(listing["skills"]) == 4 and listing["resultType"] == "complete"
    skill = by_id[3]["result"]["skill"]
    assert skill["frontmatter"] == frontmatter_of(source / "pdf-form-filler" / "SKILL.md")
    text = by_id[4]["result"]["contents"][0]["text"].encode("utf-8")
    assert skill["resources"][0]["digest"] == "sha256:" + hashlib.sha256(text).hexdigest()
    assert [r["uri"] for r in by_id[5]["result"]["resources"]] == [
        "skill://pdf-form-filler/assets/blank.bin"
    ]
    assert by_id[6]["error"]["code"] == -32602
    logged = [e for e in read_events(tmp_path / "raw.log") if e["event"] == "bad_message"]
    assert [e["code"] for e in logged] == [-32700, -32600]


def test_build_reports_a_skill_over_the_extension_limits(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    big = skills / "huge-catalog"
    (big / "references").mkdir(parents=True)
    (big / "SKILL.md").write_text(
        "---\nname: huge-catalog\ndescription: Too many files to serve. Use in tests.\n"
        'metadata:\n  version: "1.0.0"\n---\n# Huge\n\nSee references/.\n',
        encoding="utf-8",
    )
    for number in range(512):
        (big / "references" / f"r{number:03}.md").write_text(f"# {number}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["build", str(skills), "-o", str(tmp_path / "dist"), "-q"],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 1, result.output
    assert "SK403" in result.output and "513 files" in result.output
    assert not (tmp_path / "dist" / "index.json").exists()
    # At the limit (512 files), it builds.
    (big / "references" / "r511.md").unlink()
    ok = CliRunner().invoke(
        cli,
        ["build", str(skills), "-o", str(tmp_path / "dist"), "-q"],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert ok.exit_code == 0, ok.output
    index = json.loads((tmp_path / "dist" / "index.json").read_text(encoding="utf-8"))
    assert len(index["skills"]["huge-catalog"]["versions"][0]["files"]) == 512
    shutil.rmtree(tmp_path / "dist")


def test_a_skill_over_the_limits_is_not_offered(tmp_path: Path) -> None:
    """Built anyway (--allow-lint-errors), a skill of 513 files is left out of skills/list and
    refused by skills/get (hosts need not accept it); the other skills are unaffected."""
    skills = tmp_path / "skills"
    write_skill(skills, "small-skill", body="Small.")
    write_skill(
        skills,
        "huge-skill",
        body="Huge.",
        files={f"references/r{n:03}.md": f"# {n}\n" for n in range(512)},
    )
    dist = build(skills, tmp_path / "dist", "--allow-lint-errors")

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "log") as session:
            listed = [s["frontmatter"]["name"] for s in await list_all(session)]
            assert listed == ["small-skill"]
            with pytest.raises(MCPError) as err:
                await get(session, "skill://huge-skill/SKILL.md")
            assert err.value.error.code == -32602
            assert "513 files (at most 512)" in err.value.error.message
            assert (await get(session, "skill://small-skill/SKILL.md"))["skill"]["resources"]

    run_async(main)


def test_watch_refuses_a_rollback(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    """An older index (lower generation) published over the served one is not swapped in."""
    source, fixture_dist = catalog
    skills = shutil.copytree(source, tmp_path / "skills")
    dist = shutil.copytree(fixture_dist, tmp_path / "dist")
    old_index = (dist / "index.json").read_bytes()
    write_skill(skills, "terraform-drift-check", body="Detect drift with terraform plan.")
    build(skills, dist)
    log = tmp_path / "stderr.log"

    async def main() -> None:
        async with stdio_session(dist, log, "--watch", "--interval", "0.1") as session:
            names = [s["frontmatter"]["name"] for s in await list_all(session)]
            assert "terraform-drift-check" in names
            (dist / "index.json").write_bytes(old_index)  # a replayed, older generation
            refused = await await_event(log, "rollback_refused")
            assert refused["generation"] < refused["serving_generation"]
            await anyio.sleep(0.5)  # several more polls: still refused, logged once
            names = [s["frontmatter"]["name"] for s in await list_all(session)]
            assert "terraform-drift-check" in names

    run_async(main)
    events = read_events(log)
    assert [e["event"] for e in events].count("rollback_refused") == 1
    assert not any(e["event"] == "reloaded" for e in events)


def test_first_search_already_covers_bodies(tmp_path: Path) -> None:
    """Over stdio, the very first search sees words that only a SKILL.md body holds."""
    skills = tmp_path / "skills"
    for number in range(300):
        write_skill(skills, f"filler-{number:03}", body=f"Filler text number {number}.")
    write_skill(skills, "needle-skill", body="Only this body mentions the zanzibar procedure.")
    dist = build(skills, tmp_path / "dist")

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "log") as session:
            found = await session.call_tool("search_skills", {"query": "zanzibar"})
            assert found.structured_content is not None
            assert [r["name"] for r in found.structured_content["results"]] == ["needle-skill"]
            assert "body" in found.structured_content["fields"]

    run_async(main)
