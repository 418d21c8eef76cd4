"""What the commands share (scheduler/cli/common.py): error lines and the exit code."""

from __future__ import annotations

import pytest
import typer

from scheduler.cli.common import EXIT_INPUT, fail, refuse


def test_fail_prints_each_message_as_written_then_what_was_not_done(capsys) -> None:
    with pytest.raises(typer.Exit) as stop:
        fail(["changes[0]: a [lab] room is missing", "second"], "Nothing was solved")
    assert stop.value.exit_code == EXIT_INPUT
    assert capsys.readouterr().err == (
        "error changes[0]: a [lab] room is missing\nerror second\nNothing was solved.\n"
    )


def test_refuse_passes_without_problems(capsys) -> None:
    refuse([])
    assert capsys.readouterr().err == ""
    with pytest.raises(typer.Exit):
        refuse(["--seed -1 is out of range"])
    assert capsys.readouterr().err == (
        "error --seed -1 is out of range\nnothing was solved or written.\n"
    )
