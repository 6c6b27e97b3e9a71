"""The typer app: argument parsing only. Each command imports what it needs inside its body, so
`wargame --help` costs no more than typer itself."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, ParamSpec

import typer
import typer.core

from wargame import __version__
from wargame.cli.complete import nation_ids, scenario_ids

P = ParamSpec("P")

EPILOG = ("\b\nExit statuses:\n  0    ok\n  1    invalid scenario or log, a record that does not verify, "
          "or a move the rules do not allow\n"
          "  2    usage error, a bad script, a file that would be overwritten, or a decision due without a terminal\n"
          "  3    no such scenario or file\n  4    `wargame lint` found warnings\n"
          "  70   internal error (a bug: please report it)\n"
          "  130  interrupted (Ctrl-C)\n"
          "  141  the reader of the output went away (a closed pipe, as in `| head`), like SIGPIPE\n"
          "\b\nThe scenario and record formats are documented in {docs}.")


def _epilog() -> str:
    from wargame.documentation import docs_path

    where = docs_path()
    return EPILOG.format(docs=where if where is not None else "docs/ of the wargame repository")


class _WordArgument(typer.core.TyperArgument):
    """An argument shown by its name alone (SCENARIO, LOG), not `{SCENARIO}` and `<str>`."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required else f"[{name}]"
        return name if self.nargs == 1 or name.endswith("...") else name + "..."

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Commands(typer.core.TyperGroup):
    """wargame's command group: every command's arguments are shown as words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sub in self.commands.values():
            for param in sub.params:
                if type(param) is typer.core.TyperArgument:
                    param.__class__ = _WordArgument


app = typer.Typer(
    cls=_Commands,
    name="wargame",
    help="A turn-based Indo-Pacific crisis wargame for the terminal.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_epilog(),
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
            interrupted()
        except BrokenPipeError:  # stdout is guarded (wargame.cli.output); this is any other pipe
            from wargame.cli.output import broken_pipe

            broken_pipe()
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


def interrupted() -> None:
    """Ctrl-C: say so and exit 130. A second Ctrl-C while leaving is ignored, so the process
    still ends by exit status 130 rather than dying by SIGINT."""
    from wargame.cli.status import ExitStatus

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("\nwargame: interrupted", file=sys.stderr)
    raise typer.Exit(ExitStatus.INTERRUPTED) from None


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")]
ScenarioArg = Annotated[str, typer.Argument(help="A scenario id (see `wargame list`) or a path to a .toml file.",
                                            metavar="SCENARIO", autocompletion=scenario_ids)]


@app.command("list")
@guarded
def list_command(json_out: JsonFlag = False) -> None:
    """List the shipped scenarios and any in ./scenarios.

    \b
    Example:  wargame list --json
    """
    from wargame.cli.commands import list_scenarios

    list_scenarios(json_out)


@app.command()
@guarded
def show(scenario: ScenarioArg, json_out: JsonFlag = False) -> None:
    """Show a scenario: brief, nations, tracks, options.

    On a terminal the text goes through a pager (PAGER, else less); piped, it never does.

    \b
    Example:  wargame show defining-roles
    """
    from wargame.cli.commands import show_scenario

    show_scenario(scenario, json_out)


@app.command()
@guarded
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files to check.", metavar="PATH...")],
    json_out: JsonFlag = False,
) -> None:
    """Check scenario files and list every problem.

    \b
    Example:  wargame validate scenarios/*.toml
    """
    from wargame.cli.commands import validate_files

    raise typer.Exit(validate_files(paths, json_out))


SEED_HELP = "Seed for chance, 0 to 2^53-1; the same seed and decisions replay the same game."
HUMAN_HELP = "A nation played at the keyboard (repeatable)."
SCRIPT_HELP = "Read decisions from a file: lines of 'TURN NATION OPTION'."
LOG_HELP = ("Write every event to this JSON Lines file (an existing file is refused unless --force); without "
            "it, the record is kept in $WARGAME_RECORDS, else ~/.local/share/wargame/games, and the path is printed.")
FROM_HELP = "Branch: repeat the decisions of this log (same seed) through --turn, then play on."
VERIFY_HELP = "Re-adjudicate the game and check every event and state digest against the log."
SCENARIO_HELP = "The scenario file the game was played with, if not the shipped or local one by id."
FACILITATOR_HELP = "Run the game with a White cell console between turns (and on f during one)."
CLOCK_HELP = "Give each seat this many seconds to decide; then its default (hold) option is taken."
QUIET_HELP = "With no one at the keyboard: print only the outcome line and where the log is."
VARIANT_HELP = "Play under this variant of the scenario (repeatable; see `wargame show`)."
PERSONA_HELP = "NATION=NAME: the bot plays NATION with this persona (repeatable; see `wargame show`)."
VariantOpt = Annotated[Optional[list[str]], typer.Option("--variant", help=VARIANT_HELP, metavar="ID")]  # noqa: UP045
PersonaOpt = Annotated[Optional[list[str]], typer.Option("--persona", help=PERSONA_HELP, metavar="NATION=NAME")]  # noqa: UP045
FacilitatorFlag = Annotated[bool, typer.Option("--facilitator", help=FACILITATOR_HELP)]
PLAIN_HELP = ("Line by line instead of the full-screen table (for screen readers and scripts; chosen by "
              "itself when the terminal cannot draw the full screen).")
PlainFlag = Annotated[bool, typer.Option("--plain", help=PLAIN_HELP)]
ClockOpt = Annotated[Optional[float], typer.Option("--clock", help=CLOCK_HELP, metavar="SECONDS")]  # noqa: UP045
HumanOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--human", help=HUMAN_HELP, metavar="NATION", autocompletion=nation_ids)]


@app.command()
@guarded
def play(
    scenario: ScenarioArg,
    seed: Annotated[Optional[int], typer.Option(help=SEED_HELP, metavar="SEED")] = None,  # noqa: UP045
    human: HumanOpt = None,
    auto: Annotated[bool, typer.Option("--auto", help="The computer plays every nation; no prompts.")] = False,
    script: Annotated[Optional[Path], typer.Option(help=SCRIPT_HELP, metavar="PATH")] = None,  # noqa: UP045
    log: Annotated[Optional[Path], typer.Option(help=LOG_HELP, metavar="PATH")] = None,  # noqa: UP045
    force: ForceFlag = False,
    from_log: Annotated[Optional[Path], typer.Option("--from", help=FROM_HELP, metavar="LOG")] = None,  # noqa: UP045
    turn: Annotated[Optional[int], typer.Option(  # noqa: UP045
        help="With --from: the turn to branch after.", metavar="N")] = None,
    facilitator: FacilitatorFlag = False,
    clock: ClockOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)] = False,
    variant: VariantOpt = None,
    persona: PersonaOpt = None,
    plain: PlainFlag = False,
) -> None:
    """Play a scenario on the full-screen table, keeping a record.

    \b
    Example:  wargame play defining-roles --human japan --log game.jsonl
    """
    from wargame.cli.play import Table, run

    run(scenario, seed=seed, humans=human or [], auto=auto, script=script, log=log,
        branch_from=from_log, branch_turn=turn, table=Table(facilitator, clock), force=force, quiet=quiet,
        variants=variant or [], personas=persona or [], plain=plain)


LogArg = Annotated[Path, typer.Argument(help="A game log written by `wargame play --log`.", metavar="LOG")]
ScenarioOpt = Annotated[Optional[Path], typer.Option("--scenario", help=SCENARIO_HELP, metavar="PATH")]  # noqa: UP045


@app.command()
@guarded
def replay(
    log: LogArg,
    turn: Annotated[Optional[int], typer.Option(help="Show only this turn.", metavar="N")] = None,  # noqa: UP045
    step: Annotated[bool, typer.Option("--step", help="Step through the turns in the full-screen viewer "
                                       "(line by line with --plain).")] = False,
    verify: Annotated[bool, typer.Option("--verify", help=VERIFY_HELP)] = False,
    scenario: ScenarioOpt = None,
    json_out: JsonFlag = False,
    plain: PlainFlag = False,
) -> None:
    """Show a game log turn by turn, or check it with --verify.

    \b
    Example:  wargame replay game.jsonl --verify
    """
    from wargame.cli.replay import replay_record, verify_record

    if verify:
        raise typer.Exit(verify_record(log, scenario, json_out))
    raise typer.Exit(replay_record(log, turn, step, json_out, scenario, plain))


HOST_HELP = "Address to listen on; the default serves this machine only. 0.0.0.0 lets the room's laptops join."
UNCLAIMED_HELP = "A seat whose delegation has not joined: wait for it, or let the computer play it (bot)."
LINGER_HELP = "Seconds the final board stays up after the game ends (until every client has left)."
SERVE_AGAIN_HELP = "Serve the game again (a game hosted with `wargame serve`); seats rejoin with their codes."
HostOpt = Annotated[str, typer.Option("--host", help=HOST_HELP, metavar="ADDRESS")]
PortOpt = Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).", metavar="PORT")]
CertOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--certfile", help="TLS certificate (PEM), with --keyfile.", metavar="PATH")]
KeyOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--keyfile", help="TLS private key (PEM), with --certfile.", metavar="PATH")]
UnclaimedOpt = Annotated[str, typer.Option("--unclaimed", help=UNCLAIMED_HELP, metavar="wait|bot")]
LingerOpt = Annotated[float, typer.Option("--linger", help=LINGER_HELP, metavar="SECONDS")]
SERVE_NO_HOLD_HELP = ("With --facilitator and the White cell on its page only: let the turns run on instead of "
                      "waiting for the page (it can switch waiting on again).")
NoHoldFlag = Annotated[bool, typer.Option("--no-hold", help=SERVE_NO_HOLD_HELP)]


@app.command()
@guarded
def resume(
    log: LogArg,
    auto: Annotated[bool, typer.Option("--auto", help="The computer plays every remaining seat.")] = False,
    human: HumanOpt = None,
    scenario: ScenarioOpt = None,
    facilitator: FacilitatorFlag = False,
    clock: ClockOpt = None,
    serve: Annotated[bool, typer.Option("--serve", help=SERVE_AGAIN_HELP)] = False,
    no_hold: NoHoldFlag = False,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8765,
    certfile: CertOpt = None,
    keyfile: KeyOpt = None,
    unclaimed: UnclaimedOpt = "wait",
    linger: LingerOpt = 600.0,
    json_out: JsonFlag = False,
    plain: PlainFlag = False,
) -> None:
    """Continue an unfinished game from its log, appending to it.

    \b
    Example:  wargame resume game.jsonl --auto
    """
    from wargame.cli.play import Table
    from wargame.cli.play import resume as resume_game

    if serve:
        from wargame.cli.serve import Network, resume_served
        from wargame.errors import UsageError

        if auto or human:
            raise UsageError("--serve brings back the seats the game was served with; leave out --auto and --human")
        resume_served(log, scenario_path=scenario, table=Table(facilitator, clock),
                      net=Network(host, port, certfile, keyfile, unclaimed, linger, json_out, hold=not no_hold))
        return
    if no_hold:
        from wargame.errors import UsageError

        raise UsageError("--no-hold is for a served game's White cell page: use it with --serve")
    resume_game(log, humans=human or [], auto=auto, scenario_path=scenario, table=Table(facilitator, clock),
                plain=plain)


SERVE_HUMAN_HELP = "A nation played by a delegation over the network (repeatable; default: every playable one)."
SERVE_FACILITATOR_HELP = ("A White cell: a facilitator code for its browser page (every White cell command), and "
                          "the console on this terminal between turns (and during one: f and Enter). Without a "
                          "terminal here, or with --json, the page is the White cell: the game waits for it "
                          "before each turn and at the end (see --no-hold).")


@app.command()
@guarded
def serve(
    scenario: ScenarioArg,
    human: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--human", help=SERVE_HUMAN_HELP, metavar="NATION", autocompletion=nation_ids)] = None,
    seed: Annotated[Optional[int], typer.Option(help=SEED_HELP, metavar="SEED")] = None,  # noqa: UP045
    log: Annotated[Optional[Path], typer.Option(help=LOG_HELP, metavar="PATH")] = None,  # noqa: UP045
    force: ForceFlag = False,
    facilitator: Annotated[bool, typer.Option("--facilitator", help=SERVE_FACILITATOR_HELP)] = False,
    no_hold: NoHoldFlag = False,
    clock: ClockOpt = None,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8765,
    certfile: CertOpt = None,
    keyfile: KeyOpt = None,
    unclaimed: UnclaimedOpt = "wait",
    linger: LingerOpt = 600.0,
    json_out: Annotated[bool, typer.Option("--json", help=(
        "Print the join codes and addresses as JSON; the White cell (--facilitator) is then its browser "
        "page only, and the game waits for it between turns (see --no-hold)."))] = False,
    variant: VariantOpt = None,
    persona: PersonaOpt = None,
) -> None:
    """Host a game for delegations on the network, with a room view.

    Prints a join code per delegation; see docs/serve.md.

    \b
    Example:  wargame serve defining-roles --host 0.0.0.0 --log class.jsonl
    """
    from wargame.cli.play import Table
    from wargame.cli.serve import Network
    from wargame.cli.serve import serve as serve_game

    serve_game(scenario, seed=seed, humans=human or [], log=log, force=force, table=Table(facilitator, clock),
               net=Network(host, port, certfile, keyfile, unclaimed, linger, json_out, hold=not no_hold),
               variants=variant or [], personas=persona or [])


@app.command()
@guarded
def join(
    url: Annotated[str, typer.Argument(
        help="The address the host printed, e.g. http://192.168.1.20:8765/", metavar="URL")],
    code: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--code", help="Your delegation's join code.", metavar="CODE")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Plain lines instead of the full screen (chosen by itself for TERM=dumb, "
                        "output that is not a terminal, or not UTF-8).")] = False,
) -> None:
    """Take a delegation's seat in a served game from this terminal.

    \b
    Example:  wargame join http://192.168.1.20:8765/ --code K7RMX-2QHTW
    """
    from wargame.cli.serve import join_seat

    join_seat(url, code, plain)


REPORT_FORMAT_HELP = "md (Markdown) or html (one self-contained file)."
REPORT_OUTPUT_HELP = "Write the report to this file instead of printing it (refused if it exists, unless --force)."
BRIEF_FORMAT_HELP = "text (for the terminal) or md (Markdown, to print or share)."
BRIEF_OUTPUT_HELP = "Write the handout to this file instead of printing it (refused if it exists, unless --force)."


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


class BriefFormat(StrEnum):
    text = "text"
    md = "md"


@app.command(short_help="After-action report of a game log.")
@guarded
def report(
    log: LogArg,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", help=REPORT_FORMAT_HELP, case_sensitive=False, metavar="[md|html]")] = ReportFormat.md,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", help=REPORT_OUTPUT_HELP, metavar="PATH")] = None,
    force: ForceFlag = False,
    scenario: ScenarioOpt = None,
) -> None:
    """After-action report of a game log: timeline, tracks, turning points, expected vs actual.

    \b
    Example:  wargame report game.jsonl --format html -o debrief.html
    """
    from wargame.cli.report import report as write_report

    write_report(log, fmt.value, output, scenario, force=force)


@app.command(short_help="A nation's delegation handout.")
@guarded
def brief(
    scenario: ScenarioArg,
    nation: Annotated[str, typer.Argument(help="The nation whose delegation handout to print.",
                                          metavar="NATION", autocompletion=nation_ids)],
    fmt: Annotated[BriefFormat, typer.Option(
        "--format", help=BRIEF_FORMAT_HELP, case_sensitive=False, metavar="[text|md]")] = BriefFormat.text,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", help=BRIEF_OUTPUT_HELP, metavar="PATH")] = None,
    force: ForceFlag = False,
) -> None:
    """A nation's delegation handout: situation, private brief, objectives, roles, options.

    \b
    Example:  wargame brief defining-roles japan --format md -o japan.md
    """
    from wargame.cli.brief import brief as write_brief

    write_brief(scenario, nation, fmt.value, output, force=force)


SWEEP_VARIANT_HELP = ("An arm of the sweep: a variant id, ids joined by + to apply together, 'base' for the "
                      "scenario as written, or 'all' (base and every variant). Repeatable; default base.")
SWEEP_PERSONA_HELP = ("NATION=NAME, NATION=A,B or NATION=all (with 'default'): the bots' personas. Several "
                      "make a grid: every combination is an arm.")
SWEEP_OUTPUT_HELP = ("Keep one row per game in FILE (JSON Lines; Parquet if it ends in .parquet, with the "
                     "'analysis' extra). With --format html, FILE is the page instead.")


GamesOpt = Annotated[int, typer.Option("--games", help="Games per arm (the same seeds in every arm).", metavar="N")]
SweepSeedOpt = Annotated[int, typer.Option(help="The seed the games' seeds are derived from.", metavar="N")]
SweepVariantOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--variant", help=SWEEP_VARIANT_HELP, metavar="ID|a+b|all")]
SweepPersonaOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--persona", help=SWEEP_PERSONA_HELP, metavar="NATION=NAME")]
JobsOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--jobs", help="Local processes (default: every core).", metavar="J")]
SchedulerOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--scheduler", help="Run on the Dask cluster whose scheduler is at tcp://HOST:PORT ('dask' extra).",
    metavar="tcp://HOST:PORT")]
SweepOutputOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "-o", "--output", help=SWEEP_OUTPUT_HELP, metavar="FILE")]
ResultsOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--results", help="Keep the rows in this file as well (with --format html -o PAGE).", metavar="FILE")]
ResumeFlag = Annotated[bool, typer.Option("--resume", help="Complete a results file a sweep left unfinished.")]
class SweepFormat(StrEnum):
    text = "text"
    html = "html"


SweepFormatOpt = Annotated[SweepFormat, typer.Option(
    "--format", help="text (on the terminal) or html (a self-contained page).", case_sensitive=False,
    metavar="[text|html]")]


@app.command(short_help="Many bot games over seeds, variants and personas.")
@guarded
def sweep(
    scenario: ScenarioArg,
    games: GamesOpt = 1000,
    seed: SweepSeedOpt = 0,
    variant: SweepVariantOpt = None,
    persona: SweepPersonaOpt = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    output: SweepOutputOpt = None,
    results: ResultsOpt = None,
    resume: ResumeFlag = False,
    json_out: JsonFlag = False,
    fmt: SweepFormatOpt = SweepFormat.text,
    force: ForceFlag = False,
) -> None:
    """Play many bot games over seeds, variants and personas: outcome shares with confidence
    intervals, key decisions, differences between variants and the levers.

    \b
    Example:  wargame sweep defining-roles --games 10000 --variant all -o results.jsonl
    """
    from wargame.cli.sweep import sweep as run

    run(scenario, games=games, seed=seed, variants=variant or [], personas=persona or [], jobs=jobs,
        scheduler=scheduler, output=output, results=results, resume=resume, json_out=json_out, fmt=fmt.value,
        force=force)


# ---------------------------------------------------------------- for authors (cli/authoring.py)


@app.command()
@guarded
def schema(
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", help="Write the schema to this file.", metavar="PATH")] = None,
    force: ForceFlag = False,
) -> None:
    """Print the JSON Schema of the scenario format, for editors.

    \b
    Example:  wargame schema -o scenarios/wargame-scenario.schema.json
    """
    from wargame.cli.authoring import schema as print_schema

    print_schema(output, force)


@app.command()
@guarded
def new(
    scenario_id: Annotated[str, typer.Argument(metavar="ID", help="The new scenario's id: my-crisis.")],
    source: Annotated[Optional[str], typer.Option("--from", help="Copy this scenario (an id or a path) instead of the starter.", metavar="SCENARIO")] = None,  # noqa: UP045, E501
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", help="Where to write it (default scenarios/ID.toml).", metavar="PATH")] = None,
    force: ForceFlag = False,
) -> None:
    """Write a starter scenario to edit, or a copy of a shipped one.

    \b
    Example:  wargame new my-crisis --from strait-channel
    """
    from wargame.cli.authoring import new as new_scenario

    new_scenario(scenario_id, source, output, force)


@app.command()
@guarded
def lint(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Scenario files (or ids) to check.")],
    play: Annotated[int, typer.Option("--play", metavar="N", help="Also play N bot games per arm (base and each variant; default bots, then each persona) and report what never happened.")] = 0,  # noqa: E501
    json_out: JsonFlag = False,
) -> None:
    """Warn of what validates but can never happen (--play: bot games).

    \b
    Example:  wargame lint scenarios/my-crisis.toml --play 50
    """
    from wargame.cli.authoring import lint_files

    raise typer.Exit(lint_files(paths, play, json_out))


@app.command()
@guarded
def docs(json_out: JsonFlag = False) -> None:
    """Print where the documentation is installed.

    \b
    Example:  wargame docs
    """
    from wargame.cli.authoring import docs as where_docs

    where_docs(json_out)


def main() -> None:
    """Entry point of the `wargame` console script and `python -m wargame`: the streams are set up
    first (wargame.cli.output), and flushed last so a closed pipe ends quietly."""
    from wargame.cli.output import finish, prepare_streams

    prepare_streams()
    try:
        app(prog_name="wargame")
    except KeyboardInterrupt:  # outside a command (parsing, completion): still 130, never death by SIGINT
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise SystemExit(130) from None
    finally:
        finish()
