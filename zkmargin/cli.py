"""The ``zkmargin`` command line (click).

Each sub-command lives in its own module under :mod:`zkmargin.commands` and is
registered here.  Heavy imports happen inside the commands, so ``zkmargin --help``
stays fast.

Error policy: bad input (a ``ValueError`` from a layer, a missing or unreadable
file) prints one line ``error: <reason>`` on stderr and exits with status 2, without
a traceback.  Commands that answer yes/no (``verify``) exit 1 for "no".  Set
``ZKMARGIN_DEBUG=1`` to see the traceback of an unexpected failure.
"""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from zkmargin import __version__

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class GuardedGroup(click.Group):
    """A click group that turns layer errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except (ValueError, OSError) as exc:
            if os.environ.get("ZKMARGIN_DEBUG"):
                raise
            click.echo(f"error: {one_line(exc)}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except Exception as exc:  # noqa: BLE001 - last line of defence for the CLI
            if os.environ.get("ZKMARGIN_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {one_line(exc)} "
                "(set ZKMARGIN_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


def one_line(exc: BaseException) -> str:
    """The exception's message on one line (file errors name the file)."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zkmargin")
def main() -> None:
    """zkmargin: zero-knowledge proven portfolio margin (ZKM-1) on BN254."""


def _register_commands() -> None:
    from zkmargin.commands import register_all

    register_all(main)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
