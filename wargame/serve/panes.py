"""The situation room's panes over the wire, as data: what a remote full-screen seat draws.

The server computes each pane of wargame.view.situation from the seat's own NationView (so a
pane holds nothing its nation may not see) and sends it as plain data:

    text   {"text": [[PIECE, STYLE], ...], "nowrap": bool}   PIECE plain text, STYLE words from
           a fixed set: bold dim italic reverse, and one colour (a name such as "green",
           "#rrggbb" or "color(N)")
    rows   {"rows": [[text, ...], ...], "ratios": [int, ...], "right": [int, ...]}   one-line
           cells in columns (the room's own layout, wargame.view.situation._Rows)
    hang   {"hang": [text, text]}                           a mark and words, the words' wrapped
           lines indented under them (a message: wargame.view.messages.Hanging)
    group  {"group": [pane, ...]}                          parts one under another

The client (`from_wire`) builds rich `Text` from the pieces: no markup is ever parsed, a style
word outside the set is dropped, a colour only ever becomes a colour (never a link), and
anything malformed becomes a dim "(unreadable)" rather than an error. Nesting and sizes are
bounded.
"""

from __future__ import annotations

import contextlib
import functools
import re
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.color import Color, ColorParseError
from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.text import Text

from wargame.game.views import messages_seen
from wargame.view.messages import Hanging, message_line
from wargame.view.situation import _Rows

if TYPE_CHECKING:
    from wargame.engine.state import State
    from wargame.serve.host import ServedGame
    from wargame.view.situation import Situation

ATTRIBUTES = ("bold", "dim", "italic", "reverse")
COLOUR = re.compile(r"^(#[0-9a-f]{6}|[a-z_]{3,24}[0-9]{0,3}|color\([0-9]{1,3}\))$")
_ATTRIBUTE_STYLES = {"bold": Style(bold=True), "dim": Style(dim=True), "italic": Style(italic=True),
                     "reverse": Style(reverse=True)}
MAX_DEPTH = 4  # group > rows > text, with room to spare
MAX_ITEMS = 2000  # rows, cells, parts or pieces in one list
LOG_EVENTS = 100  # the event log sent to a seat: its latest events
_CONSOLE = Console(width=100, color_system="truecolor", force_terminal=False, legacy_windows=False)
_CACHE: weakref.WeakKeyDictionary[ServedGame, dict[str, tuple[object, int, dict[str, Any]]]] = \
    weakref.WeakKeyDictionary()


# ------------------------------------------------------------------ on the server


@functools.lru_cache(maxsize=512)
def style_words(style: Style | str | None) -> str:
    """A rich style as words of the wire's set ("bold green"); anything else is left out."""
    if style is None or style == "":
        return ""
    parsed = _CONSOLE.get_style(style) if isinstance(style, str) else style
    words = [name for name in ATTRIBUTES if getattr(parsed, name)]
    if parsed.color is not None and COLOUR.match(parsed.color.name):
        words.append(parsed.color.name)
    return " ".join(words)


def text_wire(text: Text) -> dict[str, Any]:
    """One Text as plain pieces, each with the words of its whole style (the Text's own style
    under its spans')."""
    if not text.spans:  # one style throughout (most cells): no need to render
        whole = [[text.plain, style_words(text.style)]] if text.plain else []
        return {"text": whole, "nowrap": bool(text.no_wrap)}
    base = _CONSOLE.get_style(text.style) if isinstance(text.style, str) else text.style
    pieces: list[list[str]] = []
    for segment in text.render(_CONSOLE, end=""):  # the spans' styles (not the Text's own)
        words = style_words(base + segment.style if segment.style else base)
        if pieces and pieces[-1][1] == words:
            pieces[-1][0] += segment.text
        elif segment.text:
            pieces.append([segment.text, words])
    return {"text": pieces, "nowrap": bool(text.no_wrap)}


def to_wire(renderable: RenderableType) -> dict[str, Any]:
    """One pane as data. TypeError for a renderable that has no wire form (a table, a panel)."""
    if isinstance(renderable, Text):
        return text_wire(renderable)
    if isinstance(renderable, _Rows):
        return {"rows": [[text_wire(cell) for cell in row] for row in renderable.rows],
                "ratios": list(renderable.ratios), "right": sorted(renderable.right)}
    if isinstance(renderable, Hanging):
        return {"hang": [text_wire(renderable.mark), text_wire(renderable.words)]}
    if isinstance(renderable, Group):
        return {"group": [to_wire(part) for part in renderable.renderables]}
    raise TypeError(f"no wire form for {type(renderable).__name__}")


def seat_room(game: ServedGame, nation: str) -> dict[str, Any]:
    """The room panes last drawn for `nation` (see `draw_rooms`), drawn now only if there are
    none yet. Call under the game's lock."""
    cached = _CACHE.setdefault(game, {}).get(nation)
    if cached is None:
        draw_rooms(game, rooms_sight(game), [nation])
        cached = _CACHE[game][nation]
    return cached[2]


def rooms_sight(game: ServedGame) -> tuple[State, int]:
    """What the panes are drawn from: the state and how much of the history (read under the
    game's lock; the history only grows, and an undo is a new event, so a prefix stays valid)."""
    return game.state, len(game.game.history)


def rooms_stale(game: ServedGame) -> bool:
    """Whether a joined seat's panes were drawn from another state or history. Under the lock."""
    drawn = _CACHE.get(game, {})
    state, upto = rooms_sight(game)
    return any(n not in drawn or drawn[n][0] is not state or drawn[n][1] != upto for n in game.claimed)


def draw_rooms(game: ServedGame, sight: tuple[State, int], nations: Iterable[str] | None = None) -> None:
    """Draw the room's panes as each of `nations` (default: the joined seats) may see them at
    `sight` (from `rooms_sight`), and their event log (the latest LOG_EVENTS): {"header",
    "ladder", "tracks", "nations", "outcomes", "this_turn", "results", "log": pane,
    "results_title": str}. Pure reading of the scenario, that state and that much of the
    history: safe outside the game's lock."""
    from wargame.game.views import NationView
    from wargame.view import situation as room
    from wargame.view.details import event_log
    from wargame.view.messages import left_text, message_log

    state, upto = sight
    s = game.scenario
    history = game.game.history[:upto]
    drawn = _CACHE.setdefault(game, {})
    for nation in list(game.claimed) if nations is None else nations:
        view = NationView(s, nation, state, history)
        facts = room.situation(s, view.state, view.events)
        panes = {
            "header": to_wire(room.header(facts)), "ladder": to_wire(room.ladder(facts)),
            "tracks": to_wire(room.tracks(facts)), "nations": to_wire(room.nations(facts)),
            "outcomes": to_wire(room.outcomes(facts)), "this_turn": to_wire(this_turn(facts)),
            "results": to_wire(room.results(facts)), "results_title": room.results_title(facts),
            "log": to_wire(event_log(s, view.events, last=LOG_EVENTS)),
        }
        if s.messages:  # the negotiation phase: the table's messages strip, and all the seat may see
            panes["talk_title"] = f"Messages — {left_text(s, view.state, nation)}"
            panes["talk"] = to_wire(message_log(s, view.events, nation, since_turn=max(view.state.turn - 1, 1),
                                                one_line=True, empty="No messages this turn or last."))
            panes["messages"] = to_wire(message_log(s, view.events, nation))
        drawn[nation] = (state, upto, panes)


def this_turn(facts: Situation) -> RenderableType:
    """This turn's injects and White cell actions, then its public statements and costly signals,
    as the table's room shows them (wargame.tui.room.this_turn)."""
    from wargame.view import situation as room

    said = [message_line(facts.scenario, event) for event in messages_seen(facts.this_turn, "")]
    for line in said:
        line.no_wrap, line.overflow = True, "ellipsis"
    return Group(room.this_turn(facts), *said) if said else room.this_turn(facts)


# ------------------------------------------------------------------ on the client


def _style(words: object) -> Style:
    if not isinstance(words, str) or len(words) > 80:
        return Style()
    style = Style()
    for word in words.split():
        if word in ATTRIBUTES:
            style += _ATTRIBUTE_STYLES[word]
        elif COLOUR.match(word):
            with contextlib.suppress(ColorParseError):
                style += Style(color=Color.parse(word))
    return style


def _unreadable() -> Text:
    return Text("(unreadable)", style="dim")


def _text(data: dict[str, Any]) -> Text:
    pieces = data.get("text")
    if not isinstance(pieces, list) or len(pieces) > MAX_ITEMS:
        return _unreadable()
    out = Text()
    for piece in pieces:
        if isinstance(piece, list) and len(piece) == 2 and isinstance(piece[0], str):
            out.append(piece[0], style=_style(piece[1]))
    if data.get("nowrap") is True:
        out.no_wrap, out.overflow = True, "ellipsis"
    return out


def _ints(value: object, limit: int = 100) -> list[int] | None:
    if not isinstance(value, list) or len(value) > 20:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= limit for v in value):
        return None
    return list(value)


def from_wire(data: object, depth: int = 0) -> RenderableType:
    """A pane sent by `to_wire`, rebuilt from plain pieces (see the module's rule); never raises."""
    if not isinstance(data, dict) or depth > MAX_DEPTH:
        return _unreadable()
    if "text" in data:
        return _text(data)
    if "rows" in data:
        ratios, right, rows = _ints(data.get("ratios")), _ints(data.get("right"), 20), data.get("rows")
        if ratios is None or right is None or not isinstance(rows, list) or len(rows) > MAX_ITEMS:
            return _unreadable()
        grid = _Rows(tuple(ratios), right=frozenset(right))
        for row in rows:
            if isinstance(row, list) and len(row) == len(ratios):
                grid.add(*(_text(c) if isinstance(c, dict) else _unreadable() for c in row))
        return grid
    if "hang" in data:  # a message with its wrapped lines indented (wargame.view.messages.Hanging)
        parts = data.get("hang")
        if not isinstance(parts, list) or len(parts) != 2 or not all(isinstance(p, dict) for p in parts):
            return _unreadable()
        return Hanging(_text(parts[0]), _text(parts[1]))
    if "group" in data:
        parts = data.get("group")
        if not isinstance(parts, list) or len(parts) > MAX_ITEMS:
            return _unreadable()
        return Group(*(from_wire(part, depth + 1) for part in parts))
    return _unreadable()
