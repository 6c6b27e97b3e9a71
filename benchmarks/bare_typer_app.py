"""The floor for `wargame --help`: a bare typer app with the same commands and empty bodies."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(name="wargame", add_completion=False, no_args_is_help=True,
                  pretty_exceptions_show_locals=False, rich_markup_mode=None)


@app.callback()
def root(version: Annotated[bool, typer.Option("--version")] = False) -> None:
    """A turn-based Indo-Pacific crisis wargame for the terminal."""


@app.command("list")
def list_command(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List scenarios."""


@app.command()
def show(scenario: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show a scenario."""


@app.command()
def validate(paths: list[Path], json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check scenario files."""


@app.command()
def play(
    scenario: str,
    seed: Annotated[Optional[int], typer.Option()] = None,  # noqa: UP045
    human: Annotated[Optional[list[str]], typer.Option("--human")] = None,  # noqa: UP045
    auto: Annotated[bool, typer.Option("--auto")] = False,
    script: Annotated[Optional[Path], typer.Option()] = None,  # noqa: UP045
    log: Annotated[Optional[Path], typer.Option()] = None,  # noqa: UP045
) -> None:
    """Play a scenario."""


if __name__ == "__main__":
    app()
