"""What every command shares: the console, exit codes, bad-input handling and progress.

Imported by :mod:`surgeplan.cli` and :mod:`surgeplan.forecast_cli`; light, so
``surgeplan --help`` stays fast (rich is imported when a command runs).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import typer

from calendars.errors import InputError

EXIT_BAD_INPUT = 2


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn bad-input errors into one line on stderr and exit code 2."""
    try:
        yield
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def make_console(json_mode: bool):
    """A rich Console: stdout, or stderr with ``--json`` (stdout carries only the JSON)."""
    from rich.console import Console

    console = Console(stderr=json_mode, highlight=False)
    if not console.is_terminal:  # logs and pipes: wide enough for the tables, no wrapping
        console = Console(stderr=json_mode, highlight=False, width=200)
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
