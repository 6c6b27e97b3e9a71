"""The typer app: argument parsing only. Each command imports what it needs inside its body, so
`wargame --help` costs no more than typer itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from wargame import __version__

app = typer.Typer(
    name="wargame",
    help="A turn-based Indo-Pacific crisis wargame for the terminal.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    epilog="Exit statuses: 0 ok; 1 invalid scenario or log; 2 usage error, a bad script, or a "
    "decision due without a terminal; 3 no such scenario or file; 130 interrupted.",
)


def _version(value: bool) -> None:
    if value:
        print(f"wargame {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """A turn-based Indo-Pacific crisis wargame for the terminal."""


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]


@app.command("list")
def list_command(json_out: JsonFlag = False) -> None:
    """List the shipped scenarios and any in ./scenarios."""
    from wargame.cli.commands import list_scenarios

    list_scenarios(json_out)


@app.command()
def show(
    scenario: Annotated[str, typer.Argument(help="A scenario id or a path to a .toml file.")],
    json_out: JsonFlag = False,
) -> None:
    """Show a scenario: brief, nations, tracks, options."""
    from wargame.cli.commands import show_scenario

    show_scenario(scenario, json_out)


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    json_out: JsonFlag = False,
) -> None:
    """Check scenario files and list every problem."""
    from wargame.cli.commands import validate_files

    raise typer.Exit(validate_files(paths, json_out))


@app.command()
def play(
    scenario: Annotated[str, typer.Argument(help="A scenario id (see `wargame list`) or a path.")],
    seed: Annotated[Optional[int], typer.Option(help="Seed for chance; the same seed and decisions replay the same game.")] = None,  # noqa: UP045
    human: Annotated[Optional[list[str]], typer.Option("--human", help="A nation played at the keyboard (repeatable).")] = None,  # noqa: UP045
    auto: Annotated[bool, typer.Option("--auto", help="The computer plays every nation; no prompts.")] = False,
    script: Annotated[Optional[Path], typer.Option(help="Read decisions from a file: lines of 'TURN NATION OPTION'.")] = None,  # noqa: UP045
    log: Annotated[Optional[Path], typer.Option(help="Write every event to this JSON Lines file.")] = None,  # noqa: UP045
) -> None:
    """Play a scenario, turn by turn, on the situation board."""
    from wargame.cli.play import run

    run(scenario, seed=seed, humans=human or [], auto=auto, script=script, log=log)


def main() -> None:
    """Entry point: run the app, turning wargame's errors into a message and an exit status."""
    from wargame.errors import WargameError

    try:
        status = app(standalone_mode=False)
    except WargameError as err:
        from wargame.cli.status import report

        sys.exit(report(err))
    except KeyboardInterrupt:
        print("\nwargame: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except Exception as err:  # click's own usage errors arrive here in non-standalone mode
        import click

        if isinstance(err, click.exceptions.ClickException):
            err.show()
            sys.exit(err.exit_code)
        if isinstance(err, click.exceptions.Abort):
            print("\nwargame: interrupted", file=sys.stderr)
            sys.exit(130)
        raise
