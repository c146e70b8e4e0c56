"""Every CLI command is in the README, and its --help teaches with an example."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import ROOT

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_there_are_commands():
    assert {"plan", "erlang"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text()
    assert f"### `surgeplan {command}`" in readme
    assert f"surgeplan {command} " in readme


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"surgeplan {command}" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_examples_are_whole_lines_a_planner_can_copy(command):
    # each example command stays on one line, however narrow the terminal
    callback = next(c.callback for c in app.registered_commands
                    if (c.name or c.callback.__name__) == command)
    examples = [line.strip() for line in callback.__doc__.split("Example:")[1].splitlines()
                if line.strip().startswith("surgeplan ")]
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=60)
    lines = {line.strip() for line in result.stdout.splitlines()}
    assert examples and set(examples) <= lines
