"""What every command shares: the console, exit codes, bad-input handling and progress.

Imported by :mod:`surgeplan.cli` and :mod:`surgeplan.forecast_cli`; light, so
``surgeplan --help`` stays fast (rich is imported when a command runs).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import typer

from calendars.errors import InputError

#: The bundled Harbor & Pine example's config: what a command plans with no config or history.
BUNDLED_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "data" / "plan.toml"
EXIT_BAD_INPUT = 2
EXIT_BUG = 1
#: Set (to anything) to see the full traceback of an unexpected error (``--debug`` sets it).
DEBUG_ENV = "SURGEPLAN_DEBUG"
#: Set to 1 to print each stage's wall time on stderr (what ``--profile`` does).
PROFILE_ENV = "SURGEPLAN_PROFILE"


@contextlib.contextmanager
def user_errors(value_errors_are_input: bool = False) -> Iterator[None]:
    """Turn bad-input errors into one line on stderr and exit code 2.

    Only :class:`~calendars.errors.InputError` is bad input; a ``ValueError``
    is too where the caller says every one comes from the user's own numbers
    (``value_errors_are_input``, the calculators). Anything else is a bug:
    :func:`main_guard` reports it.
    """
    try:
        yield
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except ValueError as exc:
        if not value_errors_are_input:
            raise
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def as_input(check: Callable, *args, **kwargs):
    """``check(*args, **kwargs)``, its ValueError turned into an InputError (an option's check)."""
    try:
        return check(*args, **kwargs)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def main_guard(run: Callable[[], object]) -> None:
    """Run the CLI; an unexpected exception is one line on stderr and exit code 1.

    With ``SURGEPLAN_DEBUG`` set (``--debug``), the traceback is shown instead.
    """
    import os
    import sys
    import warnings

    def one_line(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(f"warning: {message}\n")

    warnings.showwarning = one_line  # a soft problem is one line for the planner, no source
    try:
        run()
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: every other error is a bug
        if os.environ.get(DEBUG_ENV):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        sys.stderr.write(f"error: unexpected {type(exc).__name__}{': ' + first if first else ''}. "
                         "This is a bug in surgeplan: please report it with the command you "
                         "ran; add --debug for the traceback.\n")
        sys.exit(EXIT_BUG)


def make_console(json_mode: bool):
    """A rich Console: stdout, or stderr with ``--json`` (stdout carries only the JSON)."""
    from rich.console import Console

    import os

    console = Console(stderr=json_mode, highlight=False)
    if not console.is_terminal:  # logs and pipes: COLUMNS when set, else wide enough for tables
        width = os.environ.get("COLUMNS", "")
        console = Console(stderr=json_mode, highlight=False,
                          width=int(width) if width.isdigit() and int(width) >= 40 else 200)
    return console


@contextlib.contextmanager
def progress(console, description: str, total: int, enabled: bool = True
             ) -> Iterator[Callable[..., None]]:
    """A transient progress bar (``done/total``) on a terminal; silent in logs, pipes and --json.

    Yields ``step(description=None, advance=1)``.
    """
    if not enabled or not console.is_terminal:
        yield lambda description=None, advance=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)

        def step(description: str | None = None, advance: int = 1) -> None:
            bar.update(task, advance=advance,
                       **({"description": description} if description else {}))
        yield step


class StageClock:
    """Wall time of each stage of a command [s], for ``--profile``.

    ``start(name)`` ends the running stage and starts ``name``; ``stop()`` ends it.

    Examples
    --------
    >>> clock = StageClock()
    >>> clock.start("forecast"); clock.start("staffing"); clock.stop()
    >>> list(clock.seconds)
    ['forecast', 'staffing']
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._running: tuple[str, float] | None = None

    def start(self, name: str) -> None:
        import time

        self.stop()
        self._running = (name, time.perf_counter())

    def stop(self) -> None:
        import time

        if self._running is not None:
            name, started = self._running
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self._running = None

    def report(self) -> str:
        """One line per stage (seconds and share of the total), then the total."""
        total = sum(self.seconds.values())
        width = max([len(n) for n in self.seconds] + [5])
        lines = [f"{name:<{width}}  {s:7.2f} s  {s / total if total else 0:6.1%}"
                 for name, s in self.seconds.items()]
        return "\n".join(["stage times (--profile):", *lines, f"{'total':<{width}}  {total:7.2f} s"])


def profile_wanted(flag: bool) -> bool:
    """``--profile`` given, or :data:`PROFILE_ENV` set to something other than 0 or empty."""
    import os

    return flag or os.environ.get(PROFILE_ENV, "") not in ("", "0")


def date_option(text: str | None, option: str):
    """A YYYY-MM-DD option as a Timestamp (None when not given), or InputError naming the option."""
    if text is None:
        return None
    import pandas as pd

    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise InputError(f"{option}: expected a date like 2026-11-02, got {text!r}") from None
