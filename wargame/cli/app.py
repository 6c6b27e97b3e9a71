"""The typer app: argument parsing only. Each command imports what it needs inside its body, so
`wargame --help` costs no more than typer itself."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional, ParamSpec

import typer

from wargame import __version__

P = ParamSpec("P")

app = typer.Typer(
    name="wargame",
    help="A turn-based Indo-Pacific crisis wargame for the terminal.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    epilog="\b\nExit statuses:\n  0    ok\n  1    invalid scenario or log, a record that does not verify, "
    "or a move the rules do not allow\n"
    "  2    usage error, a bad script, or a decision due without a terminal\n"
    "  3    no such scenario or file\n  70   internal error (a bug: please report it)\n"
    "  130  interrupted (Ctrl-C)",
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


def guarded(command: Callable[P, None]) -> Callable[P, None]:
    """Turn wargame's errors and Ctrl-C into a message on stderr and a documented exit status."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        from wargame.cli.status import ExitStatus, report
        from wargame.errors import WargameError

        try:
            command(*args, **kwargs)
        except WargameError as err:
            raise typer.Exit(report(err)) from None
        except KeyboardInterrupt:
            print("\nwargame: interrupted", file=sys.stderr)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:  # a bug of ours: say so plainly, keep the traceback for who asks
            if os.environ.get("WARGAME_DEBUG"):
                raise
            print(f"wargame: internal error: {type(err).__name__}: {err}\n"
                  "This is a bug in wargame; please report it with the command you ran. "
                  "WARGAME_DEBUG=1 shows the traceback.", file=sys.stderr)
            raise typer.Exit(ExitStatus.INTERNAL) from None

    return run


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]


@app.command("list")
@guarded
def list_command(json_out: JsonFlag = False) -> None:
    """List the shipped scenarios and any in ./scenarios."""
    from wargame.cli.commands import list_scenarios

    list_scenarios(json_out)


@app.command()
@guarded
def show(
    scenario: Annotated[str, typer.Argument(help="A scenario id or a path to a .toml file.")],
    json_out: JsonFlag = False,
) -> None:
    """Show a scenario: brief, nations, tracks, options."""
    from wargame.cli.commands import show_scenario

    show_scenario(scenario, json_out)


@app.command()
@guarded
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    json_out: JsonFlag = False,
) -> None:
    """Check scenario files and list every problem."""
    from wargame.cli.commands import validate_files

    raise typer.Exit(validate_files(paths, json_out))


SEED_HELP = "Seed for chance; the same seed and decisions replay the same game."
HUMAN_HELP = "A nation played at the keyboard (repeatable)."
SCRIPT_HELP = "Read decisions from a file: lines of 'TURN NATION OPTION'."
FROM_HELP = "Branch: repeat the decisions of this log (same seed) through --turn, then play on."
VERIFY_HELP = "Re-adjudicate the game and check every event and state digest against the log."
SCENARIO_HELP = "The scenario file the game was played with, if not the shipped or local one by id."
FACILITATOR_HELP = "Run the game with a White cell console between turns (and on f during one)."
CLOCK_HELP = "Give each seat this many seconds to decide; then its default (hold) option is taken."
FacilitatorFlag = Annotated[bool, typer.Option("--facilitator", help=FACILITATOR_HELP)]
ClockOpt = Annotated[Optional[float], typer.Option("--clock", help=CLOCK_HELP, metavar="SECONDS")]  # noqa: UP045


@app.command()
@guarded
def play(
    scenario: Annotated[str, typer.Argument(help="A scenario id (see `wargame list`) or a path.")],
    seed: Annotated[Optional[int], typer.Option(help=SEED_HELP)] = None,  # noqa: UP045
    human: Annotated[Optional[list[str]], typer.Option("--human", help=HUMAN_HELP)] = None,  # noqa: UP045
    auto: Annotated[bool, typer.Option("--auto", help="The computer plays every nation; no prompts.")] = False,
    script: Annotated[Optional[Path], typer.Option(help=SCRIPT_HELP)] = None,  # noqa: UP045
    log: Annotated[Optional[Path], typer.Option(help="Write every event to this JSON Lines file.")] = None,  # noqa: UP045
    from_log: Annotated[Optional[Path], typer.Option("--from", help=FROM_HELP)] = None,  # noqa: UP045
    turn: Annotated[Optional[int], typer.Option(help="With --from: the turn to branch after.")] = None,  # noqa: UP045
    facilitator: FacilitatorFlag = False,
    clock: ClockOpt = None,
) -> None:
    """Play a scenario, turn by turn, on the situation board."""
    from wargame.cli.play import Table, run

    run(scenario, seed=seed, humans=human or [], auto=auto, script=script, log=log,
        branch_from=from_log, branch_turn=turn, table=Table(facilitator, clock))


LogArg = Annotated[Path, typer.Argument(help="A game log written by `wargame play --log`.")]
ScenarioOpt = Annotated[Optional[Path], typer.Option("--scenario", help=SCENARIO_HELP)]  # noqa: UP045


@app.command()
@guarded
def replay(
    log: LogArg,
    turn: Annotated[Optional[int], typer.Option(help="Show only this turn.")] = None,  # noqa: UP045
    step: Annotated[bool, typer.Option("--step", help="Page through the turns in a terminal.")] = False,
    verify: Annotated[bool, typer.Option("--verify", help=VERIFY_HELP)] = False,
    scenario: ScenarioOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """Show a game log turn by turn, or check it with --verify."""
    from wargame.cli.replay import replay_record, verify_record

    if verify:
        raise typer.Exit(verify_record(log, scenario, json_out))
    raise typer.Exit(replay_record(log, turn, step, json_out, scenario))


@app.command()
@guarded
def resume(
    log: LogArg,
    auto: Annotated[bool, typer.Option("--auto", help="The computer plays every remaining seat.")] = False,
    human: Annotated[Optional[list[str]], typer.Option("--human", help=HUMAN_HELP)] = None,  # noqa: UP045
    scenario: ScenarioOpt = None,
    facilitator: FacilitatorFlag = False,
    clock: ClockOpt = None,
) -> None:
    """Continue an unfinished game from its log, appending to it."""
    from wargame.cli.play import Table
    from wargame.cli.play import resume as resume_game

    resume_game(log, humans=human or [], auto=auto, scenario_path=scenario, table=Table(facilitator, clock))


REPORT_FORMAT_HELP = "md (Markdown) or html (one self-contained file)."
REPORT_OUTPUT_HELP = "Write the report to this file instead of printing it."
BRIEF_FORMAT_HELP = "text (for the terminal) or md (Markdown, to print or share)."
BRIEF_OUTPUT_HELP = "Write the handout to this file instead of printing it."


@app.command()
@guarded
def report(
    log: LogArg,
    fmt: Annotated[str, typer.Option("--format", help=REPORT_FORMAT_HELP)] = "md",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=REPORT_OUTPUT_HELP)] = None,  # noqa: UP045
    scenario: ScenarioOpt = None,
) -> None:
    """After-action report of a game log: timeline, tracks, turning points, expected vs actual."""
    from wargame.cli.report import report as write_report

    write_report(log, fmt, output, scenario)


@app.command()
@guarded
def brief(
    scenario: Annotated[str, typer.Argument(help="A scenario id or a path to a .toml file.")],
    nation: Annotated[str, typer.Argument(help="The nation whose delegation handout to print.")],
    fmt: Annotated[str, typer.Option("--format", help=BRIEF_FORMAT_HELP)] = "text",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=BRIEF_OUTPUT_HELP)] = None,  # noqa: UP045
) -> None:
    """A nation's delegation handout: situation, private brief, objectives, roles, options."""
    from wargame.cli.brief import brief as write_brief

    write_brief(scenario, nation, fmt, output)


def main() -> None:
    """Entry point of the `wargame` console script and `python -m wargame`."""
    app()
