"""An index built from our skills/ plus the corpus skills is served, and every skill retrieved
through the MCP client matches its source files byte for byte. Also: serving from a real
S3-compatible server (moto on 127.0.0.1) with --endpoint-url, picking up a publish with --watch.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
import yaml

from tests.index_support import write_skill
from tests.s3_fixture import CREDENTIALS, S3Server, s3_server  # noqa: F401 (fixture)
from tests.serve_support import (
    FIXTURE_SKILLS,
    await_event,
    build,
    cli_ok,
    read_events,
    run_async,
    stdio_session,
)

pytestmark = pytest.mark.timeout(300)


def _versioned_copy(src: Path, dest: Path) -> None:
    """Copy a corpus skill; give it ``metadata.version`` (corpus skills have none or non-semver)
    and the folder's name, as a user preparing them for `skillkit build` would."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("skills", "packages"))
    skill_md = dest / "SKILL.md"
    text = skill_md.read_text(encoding="utf-8")
    _, _, rest = text.partition("---\n")
    front, sep, body = rest.partition("\n---")
    data = yaml.safe_load(front) if sep else None
    if not isinstance(data, dict):
        data = {"description": f"Corpus skill {dest.name}."}
        body = "\n" + text
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    metadata = {str(k): str(v) for k, v in metadata.items() if k != "requires"}
    metadata["version"] = "1.0.0"
    data["metadata"] = metadata
    data["name"] = dest.name
    data.pop("version", None)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    skill_md.write_text(f"---\n{dumped}---{body}", encoding="utf-8")


def _source_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.corpus
@pytest.mark.slow  # the cold build of ~60 corpus skills dominates
def test_own_and_corpus_skills_served_byte_for_byte(
    corpus_skills: Path, own_skills: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "skills"
    tree.mkdir()
    for folder in sorted(p for p in own_skills.iterdir() if (p / "SKILL.md").is_file()):
        shutil.copytree(folder, tree / folder.name)
    for skill_md in sorted(corpus_skills.rglob("SKILL.md")):
        folder = skill_md.parent
        if not (tree / folder.name).exists():
            _versioned_copy(folder, tree / folder.name)
    expected_names = sorted(p.name for p in tree.iterdir())
    assert len(expected_names) >= 50
    dist = build(tree, tmp_path / "dist", "--allow-lint-errors")
    log = tmp_path / "stderr.log"

    async def main() -> None:
        async with stdio_session(dist, log, "--page-size", "20") as session:
            names: list[str] = []
            cursor = None
            while True:
                page = (
                    await session.call_tool("list_skills", {"cursor": cursor})
                ).structured_content
                assert page is not None
                names += [s["name"] for s in page["skills"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert names == expected_names
            for name in names:
                source = _source_files(tree / name)
                result = await session.call_tool("retrieve_skill", {"name": name})
                assert not result.is_error, result.content
                data: dict[str, Any] = result.structured_content or {}
                assert data["content"].encode("utf-8") == source["SKILL.md"], name
                listed = {f["path"]: f for f in data["files"]}
                assert set(listed) | {"SKILL.md"} == set(source), name
                for path, entry in listed.items():
                    assert entry["size"] == len(source[path])
                    read = (await session.read_resource(entry["uri"])).contents[0]
                    if isinstance(read, types.TextResourceContents):
                        served = read.text.encode("utf-8")
                    else:
                        assert isinstance(read, types.BlobResourceContents)
                        served = base64.b64decode(read.blob)
                    assert served == source[path], f"{name}/{path}"
            # Search over the real catalog finds a skill by words from its description.
            index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
            probe = next(n for n in names if "pdf" in n) if any("pdf" in n for n in names) else None
            if probe is not None:
                found = await session.call_tool("search_skills", {"query": "pdf"})
                assert found.structured_content is not None
                top = [r["name"] for r in found.structured_content["results"][:3]]
                assert probe in top, (top, index["skills"][probe]["versions"][0]["description"])

    run_async(main)
    ready = next(e for e in read_events(log) if e["event"] == "ready")
    assert ready["skills"] == len(expected_names)


def test_serve_from_s3_with_watch(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    bucket = s3_server.bucket("serve-watch")
    url = f"s3://{bucket}/team/skills"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    skills = shutil.copytree(FIXTURE_SKILLS, tmp_path / "skills")
    dist = build(skills, tmp_path / "dist")
    cli_ok("publish", str(dist), "--to", url, *endpoint)
    log = tmp_path / "stderr.log"
    changes: list[str] = []

    async def on_message(message: Any) -> None:
        method = getattr(message, "method", None)
        if method:
            changes.append(method)

    async def main() -> None:
        async with stdio_session(
            url,
            log,
            *endpoint,
            "--watch",
            "--interval",
            "0.2",
            on_message=on_message,
            env=CREDENTIALS,
        ) as session:
            result = await session.call_tool("retrieve_skill", {"name": "s3-bucket-audit"})
            assert not result.is_error, result.content
            data = result.structured_content or {}
            assert data["content"].encode() == (skills / "s3-bucket-audit/SKILL.md").read_bytes()
            write_skill(skills, "terraform-drift-check", body="Detect drift with plan.")
            await anyio.to_thread.run_sync(lambda: build(skills, dist))
            await anyio.to_thread.run_sync(
                lambda: cli_ok("publish", str(dist), "--to", url, *endpoint)
            )
            await await_event(log, "reloaded", timeout=30)
            with anyio.fail_after(10):
                while "notifications/resources/list_changed" not in changes:
                    await anyio.sleep(0.05)
            new = await session.call_tool("retrieve_skill", {"name": "terraform-drift-check"})
            assert not new.is_error, new.content

    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    run_async(main)
    ready = next(e for e in read_events(log) if e["event"] == "ready")
    assert ready["location"].startswith(f"s3://{bucket}/team/skills")
