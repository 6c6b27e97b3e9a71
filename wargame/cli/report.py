"""`wargame report LOG`: the after-action report of a recorded game, as Markdown or one
self-contained HTML file, to stdout or to a file (`-o`)."""

from __future__ import annotations

import sys
from pathlib import Path

from wargame.cli.output import message
from wargame.errors import NotFound, UsageError
from wargame.files import create_new
from wargame.record.reader import read_record
from wargame.record.verify import scenario_for, timeline

REPORT_FORMATS = ("md", "html")


def report(log: Path, fmt: str, output: Path | None, scenario_path: Path | None, *, force: bool = False) -> None:
    fmt = fmt.lower()
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(REPORT_FORMATS)}")
    record = read_record(log)
    for note in record.dropped:
        message(f"wargame: note: {record.path}: left off {note}")
    scenario = scenario_for(record, scenario_path)
    from wargame.view.report_data import build_report

    data = build_report(scenario, record, timeline(scenario, record))
    if fmt == "html":
        from wargame.view.report_html import render_html

        text = render_html(data)
    else:
        from wargame.view.report_md import render_md

        text = render_md(data)
    emit(text, output, force=force)


def emit(text: str, output: Path | None, *, force: bool = False) -> None:
    """Print `text` to stdout, or write it to a new file `output` (wargame.files.create_new: an
    existing file only with `force`; NotFound, exit 3, when it cannot be written)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with create_new(output, force=force) as file:
        try:
            file.write(text.encode("utf-8"))
        except OSError as err:
            raise NotFound(f"{output}: cannot write: {err.strerror or err}") from None
    message(f"wargame: wrote {output}")
