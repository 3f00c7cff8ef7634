"""Typed errors. The library raises these; only the CLI turns them into exit codes.

Exit codes (documented in the README):

* 0 - the command did its job (for ``check``: every requirement met)
* 1 - ``check``: a required level is not met
* 2 - usage error (bad option, unknown ref form)
* 3 - the input could not be read, parsed or fetched (``check``: cannot assess)
* 4 - internal error (a bug in openscope; ``--debug`` shows the traceback)
"""

from __future__ import annotations


class OpenscopeError(Exception):
    """Base class of every error openscope reports to a user.

    ``hint`` is one sentence telling the user what to do next.
    """

    exit_code = 3

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and its hint on a single line, for stderr."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(OpenscopeError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class InputError(OpenscopeError):
    """The input could not be read or parsed (exit 3)."""

    exit_code = 3


class SourceError(InputError):
    """A source could not collect a release (not found, gated, offline, ...)."""

    #: machine-readable reason: not-found, gated, private, disabled, rate-limited, offline, ...
    reason = "error"

    def __init__(self, message: str, hint: str | None = None, reason: str | None = None) -> None:
        super().__init__(message, hint)
        if reason:
            self.reason = reason
