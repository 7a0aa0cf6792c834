"""The ``skillkit`` command: a thin click layer; each subcommand lives in its own module.

Subcommands are imported only when used, so ``skillkit lint`` does not pay for the MCP SDK
or mkdocs.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from skillkit import __version__

#: command name -> (module, one-line help shown in ``skillkit --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("skillkit.cli.lint", "Check skills for problems, with CI-native output."),
    "rule": ("skillkit.cli.rule", "Explain a lint rule, or list them all."),
    "tokens": ("skillkit.cli.tokens", "Measure each skill's token footprint per loading level."),
    "migrate": ("skillkit.cli.migrate", "Turn legacy Agent SOPs into composable skills."),
    "build": ("skillkit.cli.build", "Compile a skills tree into a versioned, verified index."),
    "publish": ("skillkit.cli.publish", "Publish a built dist/ to a directory or s3:// bucket."),
    "verify": ("skillkit.cli.verify", "Check an index and every archive against its digest."),
    "yank": ("skillkit.cli.yank", "Mark a published version as yanked, without deleting it."),
    "serve": ("skillkit.cli.serve", "Serve a published index to agents over MCP."),
    "install": ("skillkit.cli.install", "Install skills into an agent's folder, with a lockfile."),
    "docs": ("skillkit.cli.docs", "Generate a browsable docs site of a skills catalog."),
    "iam": ("skillkit.cli.iam", "AWS actions skills need; a least-privilege policy."),
    "run-script": ("skillkit.cli.run_script", "Run a skill script as the run_script sandbox does."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="skillkit")
def cli() -> None:
    """skillkit: lint, measure, migrate, build, publish, serve and document agent skills.

    \b
    Typical use:
      skillkit lint skills/            check every skill under skills/
      skillkit tokens skills/          what each skill costs an agent
      skillkit migrate my.sop.md -o skills/
      skillkit build                   lint + package skills/ into dist/
      skillkit serve --index dist/     serve the catalog over MCP
    """


def main(argv: list[str] | None = None) -> Any:
    """Console entry point: exits quietly on a closed pipe (``skillkit lint | head``)."""
    try:
        return cli.main(args=argv, prog_name="skillkit")
    except BrokenPipeError:
        _silence_broken_pipe()
        sys.exit(1)
    finally:
        # At exit Python collects garbage again over every object still alive: ~60 ms after a
        # lint of 1,000 skills. The process is ending, so spare it that walk. Exit handlers and
        # finalizers (temporary folders, flushes) still run.
        import gc

        gc.freeze()


def _silence_broken_pipe() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot raise.
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
