"""Regenerate platform-onboarding.sop.md, the large SOP (~1,000 lines, ~8,000+ tokens) that
exercises splitting. Deterministic: ``python tests/data/sops/make_large.py``."""

from __future__ import annotations

from pathlib import Path

STEPS = [
    ("Create the Repository", "repository", "git", "the service repository from the template"),
    ("Configure Continuous Integration", "pipeline", "ci", "the build and test pipeline"),
    ("Register Secrets", "secret store", "vault", "database passwords and API keys"),
    ("Build the Container Image", "image", "docker", "a reproducible container image"),
    ("Deploy to Staging", "staging cluster", "kubectl", "the first staging deployment"),
    ("Wire Up Observability", "dashboards", "grafana", "metrics, logs and traces"),
    ("Define Alerts", "alert rules", "alertmanager", "paging and ticket alerts"),
    ("Write the Runbook", "runbook", "markdown", "the operational runbook"),
    ("Run a Load Test", "load test", "k6", "a load test at twice the expected peak"),
    ("Pass the Security Review", "security review", "trivy", "the security review checklist"),
    ("Tag Costs", "cost tags", "terraform", "cost allocation tags"),
    ("Deploy to Production", "production cluster", "argocd", "the production rollout"),
    ("Publish DNS and TLS", "DNS records", "certbot", "public DNS names and certificates"),
    ("Hand Over to Operations", "handover", "tickets", "the handover to the operations team"),
]


def step(n: int, title: str, thing: str, tool: str, what: str) -> str:
    lines = [f"### {n}. {title}", ""]
    lines.append(
        f"This step sets up {what} for service_name. Work from the platform defaults and "
        f"change only what the service really needs, because every deviation from the "
        f"defaults is something the operations team has to learn about later. Record what "
        f"you changed in the onboarding log so that the {thing} can be audited."
    )
    lines.append("")
    lines.append(
        f"Before starting, read the current state of the {thing}: another engineer may have "
        f"begun this step earlier, and repeating half-finished work causes conflicts that are "
        f"slow to untangle."
    )
    lines.append("")
    lines.append("**Constraints:**")
    lines.append(f"- You MUST check whether the {thing} already exists before creating it")
    lines.append(f"- You MUST record every change to the {thing} in the onboarding log, with the")
    lines.append("  command you ran and a one-line summary of its output")
    lines.append(f"- You SHOULD use {tool} through the platform wrapper rather than directly")
    lines.append(f"- You MUST NOT edit the {thing} of another team's service because ownership")
    lines.append("  of shared resources is tracked by the platform and edits bypass review")
    lines.append(f"- You MAY ask the platform team for help when the {thing} needs a setting")
    lines.append("  that the defaults do not offer")
    if n % 3 == 0:
        lines.append(f"- You SHOULD NOT continue past this step if the {thing} reports errors,")
        lines.append("  because later steps assume a healthy state")
    lines.append("")
    lines.append(f"#### {n}.1 Prepare")
    lines.append("")
    lines.append(f"Collect the inputs that {tool} needs. Most of them come from the parameters;")
    lines.append("the rest come from the service catalogue entry.")
    lines.append("")
    lines.append("```bash")
    lines.append(f"# {n}.1: inspect the current {thing}")
    lines.append(f"platform {tool} status --service \"$SERVICE_NAME\" --env staging")
    lines.append(f"platform {tool} diff --service \"$SERVICE_NAME\" --against defaults")
    lines.append("## the wrapper prints a summary table; keep it for the log")
    lines.append(f"platform log append --step {n} --note \"inspected {thing}\"")
    lines.append("```")
    lines.append("")
    lines.append(f"#### {n}.2 Apply and Verify")
    lines.append("")
    lines.append(f"Apply the change, then verify it from outside: a {thing} that looks right "
                 "from the inside can still be unreachable or misconfigured for its users.")
    lines.append("")
    lines.append("| Check | Command | Expected |")
    lines.append("|-------|---------|----------|")
    for k, check in enumerate(("exists", "owned by team", "tagged", "reachable", "logged"), 1):
        lines.append(f"| {check} | `platform {tool} verify --check {k}` | `ok` |")
    lines.append("")
    lines.append("**Constraints:**")
    lines.append(f"- You MUST run every check in the table and stop at the first failure of the {thing}")
    lines.append(f"- You SHOULD attach the verification output for the {thing} to the onboarding ticket")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    out = [
        "# Platform Onboarding",
        "",
        "## Overview",
        "",
        "This SOP takes a new backend service from an empty repository to a production "
        "deployment on the internal platform, with continuous integration, secrets, "
        "observability, alerts, a runbook, a load test, a security review and a handover to "
        "operations. Use it when a team asks to onboard a service onto the platform, or when "
        "an existing service moves onto it from elsewhere.",
        "",
        "## Parameters",
        "",
        "- **service_name** (required): Kebab-case name of the service; it becomes the",
        "  repository name, the namespace and the prefix of every dashboard.",
        "- **owning_team** (required): The team that is paged for the service.",
        "- **language** (required): Implementation language, which selects the template.",
        "- **expected_peak_rps** (optional, default: \"100\"): Expected peak requests per second,",
        "  used to size the load test and the autoscaler.",
        "- **public** (optional, default: \"false\"): Whether the service gets a public DNS name.",
        "- **data_classification** (required if the service stores user data): One of",
        "  internal, confidential, or restricted.",
        "",
        "**Constraints for parameter acquisition:**",
        "- You MUST ask for all required parameters in a single message",
        "- You MUST confirm data_classification with the owning team when the service stores user data",
        "",
        "## Mode Behavior",
        "",
        "- **Guided mode**: explain each step before running it and wait for confirmation.",
        "- **Batch mode**: run the steps back to back and stop only on a failed check.",
        "- You MUST announce the mode at the start and keep it unless the user changes it.",
        "",
        "## Important Notes",
        "",
        "- You MUST keep the onboarding log up to date after every step, because the handover",
        "  depends on it.",
        "- You MUST NOT store secrets in the repository or in the onboarding log, because both",
        "  are readable by the whole engineering organisation.",
        "",
        "## Steps",
        "",
    ]
    for n, (title, thing, tool, what) in enumerate(STEPS, 1):
        out.append(step(n, title, thing, tool, what))
    out += ["## Examples", ""]
    for n, (title, thing, tool, _what) in enumerate(STEPS, 1):
        out += [
            f"### Example: {title}",
            "",
            f"A team onboarding `orders-api` reached step {n} with the {thing} half configured.",
            "The log entry after finishing the step looked like this:",
            "",
            "```text",
            f"[step {n}] {title}",
            f"  inspected: platform {tool} status --service orders-api --env staging",
            f"  changed:   {thing} created from defaults, one override (timeout 30s)",
            "  verified:  5/5 checks ok",
            "```",
            "",
        ]
    out += ["## Troubleshooting", ""]
    for n, (title, thing, tool, _what) in enumerate(STEPS, 1):
        out += [
            f"### {title}: the {tool} wrapper fails",
            "",
            f"Run `platform {tool} doctor` and read its first error. Most failures come from an",
            "expired login or a missing catalogue entry; log in again or create the entry, then",
            "repeat the step from its first sub-step.",
            "",
        ]
    out += ["## Appendix: Glossary", ""]
    for _title, thing, tool, what in STEPS:
        out += [f"- **{tool}**: the tool behind {what}; it manages the {thing}."]
    out.append("")
    path = Path(__file__).with_name("platform-onboarding.sop.md")
    path.write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
