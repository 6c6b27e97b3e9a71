"""What the board, the menu and the overview share: styles, names, change arrows, bars, panels
and a table whose wrapping columns keep words whole.

Every string that comes from a scenario file is untrusted: it is only ever put into `Text`
objects (never parsed as console markup), so `[bold]` in a title is shown as written.
Meaning never depends on colour alone: changes carry ▲/▼ and a word, bars are drawn in
█ and ░, and whatever is unavailable is marked "—".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import floor

from rich import box
from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding, PaddingDimensions
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from wargame.scenario.expr import Compiled
from wargame.scenario.scenario import NationInfo, Scenario, TrackInfo
from wargame.view.words import event_words as event_words
from wargame.view.words import nation_name as nation_name
from wargame.view.words import track_label as track_label
from wargame.view.words import track_of as track_of

BAR_WIDTH = 10
TIMED_OUT = " (time ran out)"  # after a decision taken by the clock (`by` "clock"): its nation's default
GOOD, FAIR, BAD = "green", "yellow", "red"

# ------------------------------------------------------------------ numbers and names


def num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def pct(chance: float) -> str:
    return f"{min(max(chance, 0.0), 1.0) * 100:.0f}%"


def chance_now(compiled: Compiled, values: Sequence[float]) -> float:
    """The chance `compiled` gives with `values`, 0..1; -1 when it cannot be judged."""
    try:
        return min(max(float(compiled.evaluate(values)), 0.0), 1.0)
    except Exception:  # an expression that cannot be judged now is shown by its source
        return -1.0


def nation_style(nation: NationInfo) -> Style:
    """Bold in the nation's colour; a colour the terminal cannot parse is simply dropped
    (only a colour is taken from the scenario, never a whole style such as a link)."""
    try:
        return Style(color=Color.parse(nation.colour), bold=True)
    except ColorParseError:
        return Style(bold=True)


def roles_of(scenario: Scenario, nation: NationInfo) -> list[tuple[str, str]]:
    """The role categories `nation` may take, each as (its name, its tags: " (combat, force)",
    " (combat)", " (force)" or "")."""
    out = []
    for role in nation.roles:
        cat = scenario.model.categories.get(role)
        if cat is None:
            continue
        tags = [t for t, on in (("combat", cat.combat), ("force", cat.force)) if on]
        out.append((cat.name, f" ({', '.join(tags)})" if tags else ""))
    return out


def nation_text(scenario: Scenario, nation_id: str) -> Text:
    try:
        nation = scenario.nation(nation_id)
    except KeyError:
        return Text(nation_id, style="bold")
    return Text(nation.name, style=nation_style(nation))


# ------------------------------------------------------------------ levels and changes


def fill(track: TrackInfo, value: float) -> float:
    """How full the track's bar is: 0 at its minimum, 1 at its maximum."""
    span = track.hi - track.lo
    return (value - track.lo) / span if span else 0.0


def level_style(track: TrackInfo, value: float) -> str:
    good = fill(track, value) if track.higher_is == "better" else 1.0 - fill(track, value)
    return GOOD if good >= 0.6 else FAIR if good >= 0.35 else BAD


def change_text(delta: float, higher_is: str, words: bool = True) -> Text:
    """`▲ +1 better`: direction, amount and (with `words`) whether that is good news."""
    if not delta:
        return Text("· no change", style="dim") if words else Text("·", style="dim")
    improved = (delta > 0) == (higher_is == "better")
    style = GOOD if improved else BAD
    marker = "▲" if delta > 0 else "▼"
    amount = f"{delta:+.0f}" if float(delta).is_integer() else f"{delta:+.1f}"
    out = Text(f"{marker} {amount}" if words else f"{marker}{amount}", style=style)
    if words:
        out.append(" better" if improved else " worse", style=style)
    return out


class Bar:
    """A level bar, `█████░░░░░`, as wide as its column allows (meaning survives NO_COLOR)."""

    def __init__(self, fraction: float, style: str) -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, BAR_WIDTH)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(options.max_width, BAR_WIDTH))
        filled = round(self.fraction * width)
        yield Text.assemble(("█" * filled, self.style), ("░" * (width - filled), "dim"))


# ------------------------------------------------------------------ layout


def lines(rows: Sequence[tuple[Text, Text]], indent: int = 0) -> RenderableType:
    """Marker + text rows with a hanging indent: wrapped text stays right of the marker."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for marker, text in rows:
        grid.add_row(marker, text)
    return Padding(grid, (0, 0, 0, indent)) if indent else grid


def panel(body: RenderableType, title: str | Text, **kw: object) -> Panel:
    heading = Text(title, style="bold") if isinstance(title, str) else title
    return Panel(body, title=heading, title_align="left", box=box.ROUNDED,
                 padding=(0, 1), **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Column:
    """A column of a `WordTable`: `ratio` 0 is as wide as its widest cell and never wraps;
    a column with a ratio shares what is left and wraps at word boundaries."""

    header: str | Text
    ratio: int = 0
    width: int | None = None
    justify: JustifyMethod = "left"
    min_width: int = 1  # a wrapping column's least width, beside its longest word


LONGEST_WORD = 16  # a wrapping column is widened for its longest word up to this; longer ones may fold


class WordTable:
    """A plain table (a rule under the headings) laid out when printed, so that a wrapping
    column is never narrower than its longest word while the width allows: no "Intelligenc" /
    "e sharing". Where the width is short the gaps between columns narrow first; only when even
    one space apart the words cannot fit are the longest folded, so no text is ever lost."""

    # the gap between two columns (padding, divider, padding) and the padding that gives it
    GAPS: tuple[tuple[int, PaddingDimensions], ...] = ((3, (0, 1)), (2, (0, 1, 0, 0)), (1, (0, 0)))

    def __init__(self, *columns: Column) -> None:
        self.columns = columns
        self.rows: list[tuple[RenderableType, ...]] = []

    def add_row(self, *cells: RenderableType) -> None:
        self.rows.append(cells)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        laid = self.layout(console, options)
        padding, widths = laid if laid is not None else (self.GAPS[0][1], None)
        table = Table(box=box.SIMPLE_HEAD, padding=padding, pad_edge=False, show_edge=False,
                      expand=widths is None)
        for i, col in enumerate(self.columns):
            table.add_column(col.header, justify=col.justify,
                             no_wrap=not col.ratio, overflow="fold",
                             width=None if widths is None else widths[i],
                             ratio=(col.ratio or None) if widths is None else None)
        for row in self.rows:
            table.add_row(*row)
        yield table

    def _cells(self, i: int) -> Iterable[RenderableType]:
        yield self.columns[i].header
        for row in self.rows:
            if i < len(row):
                yield row[i]

    def layout(self, console: Console, options: ConsoleOptions) -> tuple[PaddingDimensions, list[int]] | None:
        """The padding and every column's width; None leaves it to rich (too narrow even for
        the columns that do not wrap)."""
        n = len(self.columns)
        widths = [0] * n
        for i, col in enumerate(self.columns):
            if col.width is not None:
                widths[i] = col.width
            elif not col.ratio:
                widths[i] = max((Measurement.get(console, options, c).maximum for c in self._cells(i)),
                                default=1)
        flexible = [i for i, col in enumerate(self.columns) if col.ratio and col.width is None]
        need = [max(self.columns[i].min_width,
                    min(LONGEST_WORD, max((_longest_word(c) for c in self._cells(i)), default=1)))
                for i in flexible]
        fits = [(options.max_width - gap * (n - 1) - sum(widths), padding) for gap, padding in self.GAPS]
        left, padding = next(((room, pad) for room, pad in fits if sum(need) <= room), fits[-1])
        if left < 4 * len(flexible):
            return None
        while sum(need) > left:  # words must break somewhere: in the widest columns first
            widest = max(need)
            need[need.index(widest)] -= 1
        shares = _share(left, [self.columns[i].ratio for i in flexible], need)
        for i, w in zip(flexible, shares, strict=True):
            widths[i] = w
        return padding, widths


def _longest_word(cell: RenderableType) -> int:
    if isinstance(cell, str):
        cell = Text(cell)
    if not isinstance(cell, Text):
        return 1
    return max((cell_len(word) for word in cell.plain.split()), default=1)


def _share(total: int, ratios: Sequence[int], minimums: Sequence[int]) -> list[int]:
    """Split `total` by `ratios`, no part below its minimum (the minimums must fit)."""
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(len(ratios)) if i not in fixed]
        rest = total - sum(fixed.values())
        weight = sum(ratios[i] for i in free)
        low = [i for i in free if rest * ratios[i] / weight < minimums[i]]
        if not low:
            break
        fixed.update((i, minimums[i]) for i in low)
    out = [fixed.get(i, 0) for i in range(len(ratios))]
    exact = {i: rest * ratios[i] / weight for i in free}
    for i in free:
        out[i] = max(minimums[i], floor(exact[i]))
    # hand out what rounding left over, largest remainders first
    spare = total - sum(out)
    for i in sorted(free, key=lambda i: exact[i] - floor(exact[i]), reverse=True)[:max(spare, 0)]:
        out[i] += 1
    return out
