"""The ``zkmargin`` command line (click).

Each sub-command lives in its own module under :mod:`zkmargin.commands` and is
registered here.  Heavy imports happen inside the commands, so ``zkmargin --help``
stays fast.

Error policy: bad input (a ``ValueError`` from a layer, a missing or unreadable
file, a usage error such as a missing argument or an unknown option) prints one line
``error: <reason>`` on stderr and exits with status 2, without a traceback.  Commands
that answer yes/no (``verify``) exit 1 for "no".  SIGTERM and SIGHUP become an
exception while a command runs, so that no temporary or partial output file is left
behind; the command then prints ``error: interrupted by SIGTERM`` and exits with
128 + the signal number.  Set ``ZKMARGIN_DEBUG=1`` to see the traceback of an
unexpected failure (exit 3).
"""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from zkbase.files import Interrupted, signals_as_exceptions
from zkmargin import __version__

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class GuardedGroup(click.Group):
    """A click group that turns layer errors into one-line messages."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """click's entry point, with one-line usage errors and signals as exceptions."""
        prog_name = prog_name or "zkmargin"
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        with signals_as_exceptions():
            try:
                rv = super().main(args, prog_name, complete_var, False, **extra)
            except click.ClickException as exc:
                where = ""
                ctx = getattr(exc, "ctx", None)
                if isinstance(exc, click.UsageError) and ctx is not None:
                    where = f"{ctx.command_path}: "
                    hint = f" (see {ctx.command_path} --help)"
                else:
                    hint = ""
                click.echo(f"error: {where}{one_line(exc.format_message())}{hint}", err=True)
                sys.exit(exc.exit_code)
            except click.exceptions.Abort:
                click.echo("error: aborted", err=True)
                sys.exit(1)
            except Interrupted as exc:
                click.echo(f"error: {exc}; no output was written", err=True)
                sys.exit(128 + exc.signum)
        sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)

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


def one_line(exc: BaseException | str) -> str:
    """The exception's message on one line (file errors name the file)."""
    if isinstance(exc, str):
        return " ".join(exc.split())
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
