"""`retrieve_skill` hands an agent the AWS actions a skill declares (real MCP SDK client)."""

from __future__ import annotations

from pathlib import Path

from tests.serve_support import build, run_async, stdio_session

SKILLS = Path(__file__).resolve().parent.parent / "skills"


def test_retrieve_skill_returns_declared_actions(tmp_path: Path) -> None:
    dist = build(SKILLS, tmp_path / "dist")

    async def scenario() -> tuple[dict[str, object], dict[str, object]]:
        async with stdio_session(dist, tmp_path / "serve.log") as session:
            report = await session.call_tool(
                "retrieve_skill", {"name": "s3-object-metadata-report"}
            )
            other = await session.call_tool("retrieve_skill", {"name": "migrating-agent-sops"})
            assert report.structured_content and other.structured_content
            return report.structured_content, other.structured_content

    report, other = run_async(scenario)
    assert report["aws_actions"] == ["s3:ListBucket", "s3:GetObject?", "s3:GetObjectTagging?"]
    assert report["aws_runtime"] == "both"
    assert other["aws_actions"] == [] and other["aws_runtime"] == "local"
