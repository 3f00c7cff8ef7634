"""Entry point of the ``openscope`` command: the click group and the error boundary.

Library code raises :class:`~openscope.errors.OpenscopeError`; here it becomes one line on
stderr and the documented exit code. A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import importlib
import sys
import traceback

import click

from openscope import __version__, terminal
from openscope.errors import OpenscopeError

#: Subcommand -> "module:attribute". Each lives in its own module and is imported only when
#: it runs (or for --help), so `openscope census` does not pay for the report formats' imports.
COMMANDS: dict[str, str] = {
    "audit": "openscope.cli.audit_cmd:audit",
    "snapshot": "openscope.cli.audit_cmd:snapshot",
    "check": "openscope.cli.check_cmd:check",
    "explain": "openscope.cli.explain_cmd:explain",
    "licenses": "openscope.cli.licenses_cmd:licenses",
    "census": "openscope.cli.census_cmd:census",
    "compare": "openscope.cli.compare_cmd:compare",
    "site": "openscope.cli.site_cmd:site",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the subcommand, or ``None`` for an unknown name."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    @property
    def all_commands(self) -> dict[str, click.Command]:
        """Every subcommand, imported (for docs and tests)."""
        ctx = click.Context(self)
        return {name: cmd for name in COMMANDS if (cmd := self.get_command(ctx, name))}


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="openscope")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """How open is this AI release, really?

    openscope inspects a model or dataset release (card, licences, files, code, data,
    papers) and reports which parts are open, restricted, closed or unknown, with the
    evidence for every judgement.

    \b
    Exit codes: 0 done (check: requirements met), 1 check: requirements not met,
                2 usage error, 3 input could not be read (check: cannot assess),
                4 internal error (a bug; --debug shows the traceback).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main() -> None:
    """Run the CLI, mapping openscope errors to one line on stderr and an exit code."""
    debug = "--debug" in sys.argv[1:]
    terminal.install()  # release-supplied text never writes control sequences to a terminal
    try:
        cli.main(standalone_mode=False, prog_name="openscope")
    except OpenscopeError as exc:
        if debug:  # the traceback, then the same exit code as without --debug
            traceback.print_exc()
        click.echo(f"openscope: error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("openscope: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, unless --debug asks for the traceback
        if debug:
            traceback.print_exc()
        click.echo(f"openscope: internal error: {exc.__class__.__name__}: {exc} (run again "
                   "with --debug for the traceback and please report it)", err=True)
        sys.exit(4)
    sys.exit(0)
