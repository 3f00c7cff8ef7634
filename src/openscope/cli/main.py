"""Entry point of the ``openscope`` command: the click group and the error boundary.

Library code raises :class:`~openscope.errors.OpenscopeError`; here it becomes one line on
stderr and the documented exit code. A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import sys

import click

from openscope import __version__
from openscope.errors import OpenscopeError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def _register() -> None:
    # Each subcommand lives in its own module; registration is the only coupling.
    from openscope.cli.audit_cmd import audit, snapshot

    cli.add_command(audit)
    cli.add_command(snapshot)
    # --- further subcommands register below (one line each) ---
    cli.add_command(__import__("openscope.cli.licenses_cmd", fromlist=["licenses"]).licenses)
    cli.add_command(__import__("openscope.cli.check_cmd", fromlist=["check"]).check)
    cli.add_command(__import__("openscope.cli.explain_cmd", fromlist=["explain"]).explain)
    cli.add_command(__import__("openscope.cli.census_cmd", fromlist=["census"]).census)


_register()


def main() -> None:
    """Run the CLI, mapping openscope errors to one line on stderr and an exit code."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False, prog_name="openscope")
    except OpenscopeError as exc:
        if debug:
            raise
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
            raise
        click.echo(f"openscope: internal error: {exc.__class__.__name__}: {exc} (run again "
                   "with --debug for the traceback and please report it)", err=True)
        sys.exit(4)
    sys.exit(0)
