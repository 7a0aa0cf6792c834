"""`skillkit serve` end to end: a subprocess server, the MCP SDK's own client, real indexes
built with `skillkit build` (and `skillkit yank`) from tests/data/serve/skills."""

from __future__ import annotations

import base64
import json
import shutil
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError

from tests.index_support import write_skill
from tests.serve_support import (
    SKILLKIT,
    HttpServer,
    await_event,
    build,
    http_session,
    make_catalog,
    read_events,
    run_async,
    stdio_session,
    wait_for_event,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(skills as last built, dist): three skills, changelog-writer 1.0.0 + yanked 2.0.0."""
    return make_catalog(tmp_path_factory.mktemp("serve"))


def _data(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    # The text content carries the same data, for clients that ignore structured content:
    # JSON, except for retrieve_skill, whose text is the SKILL.md itself plus its file list.
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    data = result.structured_content
    if "content" in data:
        assert data["content"] in text.text
        assert data["warning"] or text.text.startswith(data["content"])
        assert all(f["uri"] in text.text for f in data["files"])
        assert (data["warning"] or "") in text.text
    else:
        assert json.loads(text.text) == data
    return data


def _error_text(result: types.CallToolResult) -> str:
    assert result.is_error
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    return text.text


async def _exercise(session: Any, skills: Path) -> None:
    """What both transports must do: tools, search, retrieve, resources, prompts, yanks."""
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == {"search_skills", "retrieve_skill", "list_skills"}
    for tool in tools.values():
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is False
        assert tool.output_schema is not None

    # Search: the relevant skill ranks first, with token costs from the index.
    found = _data(await session.call_tool("search_skills", {"query": "is my bucket public?"}))
    assert found["results"][0]["name"] == "s3-bucket-audit"
    first = found["results"][0]
    assert set(first["tokens"]) == {"l1", "l2"} and first["tokens"]["l2"] > first["tokens"]["l1"]
    assert first["score"] > 0
    pdf = _data(await session.call_tool("search_skills", {"query": "fill a PDF form"}))
    assert pdf["results"][0]["name"] == "pdf-form-filler"
    tagged = _data(
        await session.call_tool("search_skills", {"query": "writing", "tags": ["release"]})
    )
    assert [r["name"] for r in tagged["results"]] == ["changelog-writer"]

    # Retrieve: SKILL.md byte for byte, and the on-demand files with resource URIs.
    skill = _data(await session.call_tool("retrieve_skill", {"name": "s3-bucket-audit"}))
    source = skills / "s3-bucket-audit"
    assert skill["version"] == "1.2.0"
    assert skill["content"].encode("utf-8") == (source / "SKILL.md").read_bytes()
    assert skill["warning"] is None and skill["yanked"] is False
    paths = {f["path"]: f for f in skill["files"]}
    assert set(paths) == {"references/checklist.md", "scripts/audit.py"}
    checklist = paths["references/checklist.md"]
    assert checklist["size"] == (source / "references/checklist.md").stat().st_size
    assert checklist["tokens"] > 0

    # Resources: read a listed file by its URI, text and binary.
    read = await session.read_resource(checklist["uri"])
    content = read.contents[0]
    assert isinstance(content, types.TextResourceContents)
    assert content.text.encode("utf-8") == (source / "references/checklist.md").read_bytes()
    blob_uri = "skill://pdf-form-filler/assets/blank.bin"
    blob = (await session.read_resource(blob_uri)).contents[0]
    assert isinstance(blob, types.BlobResourceContents)
    expected = (skills / "pdf-form-filler/assets/blank.bin").read_bytes()
    assert base64.b64decode(blob.blob) == expected
    templates = (await session.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == [
        "skill://{name}/{+path}",
        "skill://v{version}/{name}/{+path}",
    ]
    with pytest.raises(MCPError) as missing:
        await session.read_resource("skill://v1.2.0/s3-bucket-audit/references/nope.md")
    assert "nope.md" in str(missing.value) and missing.value.error.code == -32602
    # URIs handed out by skillkit 0.x (skill://NAME/VERSION/PATH) still read.
    old = (await session.read_resource("skill://pdf-form-filler/latest/assets/blank.bin")).contents
    assert isinstance(old[0], types.BlobResourceContents) and old[0].blob == blob.blob

    # A yanked version: never the latest, but a pinned retrieve works, with a warning.
    latest = _data(await session.call_tool("retrieve_skill", {"name": "changelog-writer"}))
    assert latest["version"] == "1.0.0"
    assert "Version two" not in latest["content"]
    pinned = _data(
        await session.call_tool("retrieve_skill", {"name": "changelog-writer", "version": "2.0.0"})
    )
    assert pinned["version"] == "2.0.0" and pinned["yanked"] is True
    assert "Version two adds emoji headings." in pinned["content"]
    assert pinned["content"].encode() == (skills / "changelog-writer/SKILL.md").read_bytes()
    assert "yanked" in pinned["warning"] and "emoji break renderers" in pinned["warning"]
    listed = _data(await session.call_tool("list_skills", {}))
    assert {s["name"]: s["version"] for s in listed["skills"]}["changelog-writer"] == "1.0.0"

    # Clear errors for what does not exist.
    unknown = _error_text(await session.call_tool("retrieve_skill", {"name": "no-such-skill"}))
    assert "no-such-skill" in unknown
    bad_version = _error_text(
        await session.call_tool("retrieve_skill", {"name": "changelog-writer", "version": "9.9.9"})
    )
    assert "9.9.9" in bad_version and "1.0.0" in bad_version
    bad_args = _error_text(await session.call_tool("search_skills", {"limit": 5}))
    assert "query" in bad_args

    # Prompts: each skill's SKILL.md.
    prompts = {p.name for p in (await session.list_prompts()).prompts}
    assert prompts == {"changelog-writer", "pdf-form-filler", "s3-bucket-audit"}
    prompt = await session.get_prompt("pdf-form-filler")
    message = prompt.messages[0].content
    assert isinstance(message, types.TextContent)
    assert message.text.encode() == (skills / "pdf-form-filler/SKILL.md").read_bytes()


def test_stdio_end_to_end(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    skills, dist = catalog
    log = tmp_path / "stderr.log"

    async def main() -> None:
        async with stdio_session(dist, log) as session:
            info = session.initialize_result
            assert info is not None and info.server_info.name == "skillkit"
            assert info.capabilities.tools is not None
            assert info.capabilities.resources is not None
            assert info.capabilities.resources.list_changed is True
            await _exercise(session, skills)

    run_async(main)
    events = read_events(log)  # every stderr line is JSON
    ready = next(e for e in events if e["event"] == "ready")
    assert ready["skills"] == 3 and ready["versions"] == 4
    assert ready["transport"] == "stdio" and ready["generation"] >= 3
    assert ready["location"].startswith(str(dist))
    assert events[-1]["event"] == "stopped"


def test_http_end_to_end(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    skills, dist = catalog
    server = HttpServer(dist, tmp_path / "stderr.log")
    try:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/mcp")

        async def main() -> None:
            async with http_session(server.url) as session:
                await _exercise(session, skills)

        run_async(main)
    finally:
        code = server.terminate()
    assert code == 0
    events = read_events(server.log)
    assert [e["event"] for e in events][-2:] == ["shutdown", "stopped"]
    assert events[-2]["signal"] == "SIGTERM"
    assert server.process.stdout is not None and server.process.stdout.read() == b""


def test_pagination(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    _, dist = catalog

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "stderr.log", "--page-size", "2") as session:
            names: list[str] = []
            cursor = None
            pages = 0
            while True:
                page = _data(await session.call_tool("list_skills", {"cursor": cursor}))
                assert len(page["skills"]) <= 2 and page["total"] == 3
                names += [s["name"] for s in page["skills"]]
                pages += 1
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert pages == 2
            assert names == ["changelog-writer", "pdf-form-filler", "s3-bucket-audit"]

            uris: list[str] = []
            params = None
            while True:
                listing = await session.list_resources(params=params)
                assert len(listing.resources) <= 2
                uris += [str(r.uri) for r in listing.resources]
                if listing.next_cursor is None:
                    break
                params = types.PaginatedRequestParams(cursor=listing.next_cursor)
            assert len(uris) == len(set(uris)) == 7  # 2 + 3 + 2 files (latest versions)
            assert "skill://changelog-writer/SKILL.md" in uris
            assert "skill://pdf-form-filler/assets/blank.bin" in uris

            prompts = await session.list_prompts()
            assert len(prompts.prompts) == 2 and prompts.next_cursor is not None

            bad = _error_text(await session.call_tool("list_skills", {"cursor": "garbage!"}))
            assert "cursor" in bad

    run_async(main)


def test_search_never_offers_a_tampered_skill_even_before_indexing(
    catalog: tuple[Path, Path], tmp_path: Path
) -> None:
    """The first search, before the background pass has verified anything, is already right."""
    _, dist = catalog
    served = shutil.copytree(dist, tmp_path / "dist")
    index = json.loads((served / "index.json").read_text(encoding="utf-8"))
    archive = served / index["skills"]["s3-bucket-audit"]["versions"][0]["archive"]
    archive.write_bytes(archive.read_bytes() + b"X")
    log = tmp_path / "stderr.log"

    async def main() -> None:
        async with stdio_session(served, log) as session:
            found = _data(await session.call_tool("search_skills", {"query": "bucket public"}))
            assert "s3-bucket-audit" not in {r["name"] for r in found["results"]}
            listed = _data(await session.call_tool("list_skills", {}))
            names = [s["name"] for s in listed["skills"]]
            assert names == ["changelog-writer", "pdf-form-filler"]
            retrieved = _error_text(
                await session.call_tool("retrieve_skill", {"name": "s3-bucket-audit"})
            )
            assert "is unavailable" in retrieved

    run_async(main)
    assert any(e["event"] == "archive_rejected" for e in read_events(log))


def test_tampered_and_missing_archives(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    _, dist = catalog
    served = shutil.copytree(dist, tmp_path / "dist")
    index = json.loads((served / "index.json").read_text(encoding="utf-8"))
    audit = index["skills"]["s3-bucket-audit"]["versions"][0]
    archive = served / audit["archive"]
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    pdf = index["skills"]["pdf-form-filler"]["versions"][0]
    (served / pdf["archive"]).unlink()
    log = tmp_path / "stderr.log"

    async def main() -> None:
        async with stdio_session(served, log) as session:
            tampered = _error_text(
                await session.call_tool("retrieve_skill", {"name": "s3-bucket-audit"})
            )
            assert "s3-bucket-audit@1.2.0" in tampered and "sha256" in tampered
            assert audit["sha256"] in tampered
            with pytest.raises(MCPError) as err:
                await session.read_resource("skill://v1.2.0/s3-bucket-audit/SKILL.md")
            assert "s3-bucket-audit@1.2.0" in str(err.value)
            missing = _error_text(
                await session.call_tool("retrieve_skill", {"name": "pdf-form-filler"})
            )
            assert "pdf-form-filler@0.3.1" in missing and "cannot be read" in missing
            # Other skills are still served, correctly.
            good = _data(await session.call_tool("retrieve_skill", {"name": "changelog-writer"}))
            assert good["content"].startswith("---\nname: changelog-writer")
            # Search and list_skills leave out what retrieve_skill would refuse.
            found = _data(await session.call_tool("search_skills", {"query": "bucket public"}))
            assert "s3-bucket-audit" not in {r["name"] for r in found["results"]}
            await await_event(log, "search_indexed")
            for query in ("bucket public", "pdf form", "changelog"):
                found = _data(await session.call_tool("search_skills", {"query": query}))
                assert {r["name"] for r in found["results"]} <= {"changelog-writer"}
            listed = _data(await session.call_tool("list_skills", {}))
            assert [s["name"] for s in listed["skills"]] == ["changelog-writer"]
            assert listed["total"] == 1 and listed["next_cursor"] is None

    run_async(main)
    events = read_events(log)
    rejected = [e for e in events if e["event"] == "archive_rejected"]
    assert rejected and rejected[0]["skill"] == "s3-bucket-audit"
    assert rejected[0]["version"] == "1.2.0" and "sha256" in rejected[0]["error"]
    unreadable = [e for e in events if e["event"] == "archive_unreadable"]
    assert unreadable and unreadable[0]["skill"] == "pdf-form-filler"
    indexed = next(e for e in events if e["event"] == "search_indexed")
    assert indexed["unavailable"] == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format_version": 1, "skills": {}}', "not a valid skillkit index"),
    ],
)
def test_invalid_index_exits_2_with_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "index.json").write_bytes(content)
    done = subprocess.run(
        [SKILLKIT, "serve", "--index", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("skillkit: error: cannot serve: ") and expected in lines[0]
    assert "Traceback" not in done.stderr.decode()


def test_port_in_use_is_one_clear_line(catalog: tuple[Path, Path]) -> None:
    _, dist = catalog
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [SKILLKIT, "serve", "--index", str(dist), "--http", f"127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0], lines


def test_missing_index_and_bad_address(tmp_path: Path) -> None:
    done = subprocess.run(
        [SKILLKIT, "serve", "--index", str(tmp_path / "nowhere")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 2 and b"no such file or folder" in done.stderr
    done = subprocess.run(
        [SKILLKIT, "serve", "--index", str(tmp_path), "--http", "127.0.0.1:notaport"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 2 and b"--http" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_on_stdio_exits_0(
    catalog: tuple[Path, Path], tmp_path: Path, signum: signal.Signals
) -> None:
    _, dist = catalog
    log = tmp_path / "stderr.log"
    with log.open("w") as errlog:
        process = subprocess.Popen(
            [SKILLKIT, "serve", "--index", str(dist)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
        )
        try:
            wait_for_event(log, "ready")
            process.send_signal(signum)
            assert process.wait(15) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    events = read_events(log)
    assert [e["event"] for e in events][-2:] == ["shutdown", "stopped"]
    assert events[-2]["signal"] == signum.name
    assert process.stdout is not None and process.stdout.read() == b""


def test_watch_picks_up_a_new_generation(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    fixture_skills, fixture_dist = catalog
    skills = shutil.copytree(fixture_skills, tmp_path / "skills")
    dist = shutil.copytree(fixture_dist, tmp_path / "dist")
    log = tmp_path / "stderr.log"
    changes: list[str] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ServerNotification | types.Notification):
            changes.append(getattr(message, "method", type(message).__name__))

    async def main() -> None:
        async with stdio_session(
            dist, log, "--watch", "--interval", "0.1", on_message=on_message
        ) as session:
            before = _data(await session.call_tool("search_skills", {"query": "terraform drift"}))
            assert all(r["name"] != "terraform-drift-check" for r in before["results"])
            failures: list[str] = []
            stop = anyio.Event()

            async def keep_asking() -> None:
                # Requests in flight while the new catalog is swapped in must not fail.
                while not stop.is_set():
                    result = await session.call_tool("list_skills", {})
                    if result.is_error:
                        failures.append(str(result.content))
                    result = await session.call_tool("retrieve_skill", {"name": "s3-bucket-audit"})
                    if result.is_error:
                        failures.append(str(result.content))

            async with anyio.create_task_group() as tg:
                tg.start_soon(keep_asking)
                write_skill(
                    skills,
                    "terraform-drift-check",
                    body="Run terraform plan with -detailed-exitcode to detect drift.",
                    description="Detects Terraform drift between state and real infrastructure.",
                )
                await anyio.to_thread.run_sync(lambda: build(skills, dist))
                reloaded = await await_event(log, "reloaded")
                with anyio.fail_after(10):
                    while "notifications/resources/list_changed" not in changes:
                        await anyio.sleep(0.05)
                stop.set()
            assert failures == []
            assert reloaded["generation"] > reloaded["previous_generation"]
            after = _data(await session.call_tool("search_skills", {"query": "terraform drift"}))
            assert after["results"][0]["name"] == "terraform-drift-check"
            fresh = _data(
                await session.call_tool("retrieve_skill", {"name": "terraform-drift-check"})
            )
            assert (
                fresh["content"].encode()
                == (skills / "terraform-drift-check" / "SKILL.md").read_bytes()
            )
            resources = await session.list_resources()
            assert any("terraform-drift-check" in str(r.uri) for r in resources.resources)

    run_async(main)
    assert "notifications/prompts/list_changed" in changes


def test_watch_over_http_notifies_and_survives_a_broken_index(
    catalog: tuple[Path, Path], tmp_path: Path
) -> None:
    fixture_skills, fixture_dist = catalog
    skills = shutil.copytree(fixture_skills, tmp_path / "skills")
    dist = shutil.copytree(fixture_dist, tmp_path / "dist")
    server = HttpServer(dist, tmp_path / "stderr.log", "--watch", "--interval", "0.1")
    changes: list[str] = []

    async def on_message(message: Any) -> None:
        method = getattr(message, "method", None)
        if method:
            changes.append(method)

    try:

        async def main() -> None:
            async with http_session(server.url, on_message=on_message) as session:
                # A broken index is published: logged, and the old catalog keeps serving.
                good = (dist / "index.json").read_bytes()
                (dist / "index.json").write_bytes(b"{broken")
                failed = await await_event(server.log, "reload_failed")
                assert "not valid JSON" in failed["error"]
                still = _data(await session.call_tool("list_skills", {}))
                assert still["total"] == 3
                (dist / "index.json").write_bytes(good)
                write_skill(skills, "terraform-drift-check", body="Detect drift.")
                await anyio.to_thread.run_sync(lambda: build(skills, dist))
                await await_event(server.log, "reloaded")
                with anyio.fail_after(10):
                    while "notifications/resources/list_changed" not in changes:
                        await anyio.sleep(0.05)
                listed = _data(await session.call_tool("list_skills", {}))
                assert listed["total"] == 4

        run_async(main)
    finally:
        assert server.terminate() == 0


def test_help_shows_examples() -> None:
    done = subprocess.run(
        [SKILLKIT, "serve", "--help"], capture_output=True, timeout=30, check=True
    )
    out = done.stdout.decode()
    for option in ("--index", "--http", "--watch", "--interval", "--page-size", "--endpoint-url"):
        assert option in out
    assert "Examples:" in out


def test_modern_client_over_http_gets_listen_events(
    catalog: tuple[Path, Path], tmp_path: Path
) -> None:
    """A 2026-07-28 client (``mcp.Client`` negotiates it by ``server/discover``) uses the
    tools and receives list changes on a ``subscriptions/listen`` stream."""
    from mcp import Client

    fixture_skills, fixture_dist = catalog
    skills = shutil.copytree(fixture_skills, tmp_path / "skills")
    dist = shutil.copytree(fixture_dist, tmp_path / "dist")
    server = HttpServer(dist, tmp_path / "stderr.log", "--watch", "--interval", "0.1")
    try:

        async def main() -> None:
            async with Client(server.url) as client:
                assert client.protocol_version >= "2026"
                found = await client.call_tool("search_skills", {"query": "pdf form"})
                assert _data(found)["results"][0]["name"] == "pdf-form-filler"
                async with client.listen(resources_list_changed=True) as subscription:
                    write_skill(skills, "terraform-drift-check", body="Detect drift.")
                    await anyio.to_thread.run_sync(lambda: build(skills, dist))
                    with anyio.fail_after(15):
                        async for event in subscription:
                            assert type(event).__name__ == "ResourcesListChanged"
                            break
                listed = _data(await client.call_tool("list_skills", {}))
                assert listed["total"] == 4

        run_async(main)
    finally:
        assert server.terminate() == 0


def test_edited_index_is_refused_at_start_up(catalog: tuple[Path, Path], tmp_path: Path) -> None:
    _, dist = catalog
    served = shutil.copytree(dist, tmp_path / "dist")
    index = served / "index.json"
    text = index.read_text(encoding="utf-8")
    assert "accidental public exposure" in text
    index.write_text(text.replace("accidental public exposure", "nothing to see"), "utf-8")
    done = subprocess.run(
        [SKILLKIT, "serve", "--index", str(served)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 2 and done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "sha256 mismatch" in lines[0], lines


def test_client_that_stops_reading_ends_the_server_cleanly(
    catalog: tuple[Path, Path], tmp_path: Path
) -> None:
    _, dist = catalog
    log = tmp_path / "stderr.log"
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"},
        },
    }
    with log.open("w") as errlog:
        process = subprocess.Popen(
            [SKILLKIT, "serve", "--index", str(dist)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(initialize).encode() + b"\n")
            process.stdin.flush()
            reply = json.loads(process.stdout.readline())
            assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "skillkit"
            process.stdout.close()  # the client stops reading
            process.stdin.write(b'{"jsonrpc": "2.0", "method": "notifications/initialized"}\n')
            process.stdin.write(b'{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}\n')
            process.stdin.flush()
            assert process.wait(15) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    events = read_events(log)
    assert events[-1]["event"] == "stopped"
    assert events[-1]["reason"] == "the client closed the connection"
