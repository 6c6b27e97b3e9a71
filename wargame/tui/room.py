"""The situation room as Textual widgets: one pane per part of wargame.view.situation, laid out
on one screen (100x30; at 80x24 the lower panes scroll). Display only: a `Sight` (what one
viewer may see: scenario, state, events) goes in, renderables come out. The room shows the
negotiation phase's public statements and costly signals, never a private message or an offer.

The nations and outcomes panes do not scroll: cut to their height, their last line counts the
rows not shown and names the key that shows them (`fitted`), at the table as at a remote seat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from wargame.engine.events import Event
from wargame.engine.negotiation import sent_this_turn
from wargame.engine.state import State
from wargame.game.views import messages_seen
from wargame.scenario.scenario import Scenario
from wargame.view import situation as room
from wargame.view.messages import left_text, message_line, message_log
from wargame.view.situation import _Rows


@dataclass(frozen=True)
class Sight:
    """What one viewer may see now: the scenario, the state and the events so far (already cut
    to the viewer's view), and the line that says whose turn it is and the clock."""

    scenario: Scenario
    state: State
    events: Sequence[Event] = field(default_factory=tuple)
    seat: str = ""
    clock: str = ""


class Pane(Static):
    """One bordered pane showing one renderable; it scrolls when the screen is too small."""

    DEFAULT_CSS = """
    Pane { border: round $primary; border-title-align: left; border-title-style: bold; padding: 0 1;
           height: 1fr; overflow-y: auto; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id)
        self.border_title = title


MORE = {"nations": "d: whole board", "outcomes": "g: how it ends"}  # where a cut pane's rest is read
COUNTED = dict.fromkeys(MORE, "")  # cut panes that only count the rest (no key shows it there)


def fitted(body: RenderableType, lines: int, where: str = "") -> RenderableType:
    """A pane of one-line rows (wargame.view.situation's rows) cut to `lines` lines, its last line
    saying how many more there are and `where` to read them ("… 3 more (d: whole board)", or
    "… 3 more" without `where`); anything else, or rows that fit, as it is."""
    if not isinstance(body, _Rows) or lines < 2 or len(body.rows) <= lines:
        return body
    hidden = len(body.rows) - (lines - 1)
    more = Text(f"… {hidden} more" + (f" ({where})" if where else ""), style="dim", no_wrap=True,
                overflow="ellipsis")
    return Group(_Rows(body.ratios, body.rows[:lines - 1], body.right), more)


class SituationRoom(Vertical):
    """Header, ladder and tracks, nations and outcomes, this turn and last turn's results.
    `more`: the panes (by id) cut to their height rather than scrolled, each with where its rest
    is read ("" to count it only); default: nations and outcomes, counted only."""

    DEFAULT_CSS = """
    SituationRoom { height: 1fr; }
    SituationRoom #header { height: 2; padding: 0 1; }
    SituationRoom #top { height: 9; }
    SituationRoom #middle { height: 1fr; min-height: 5; max-height: 10; }
    SituationRoom #bottom { height: 1fr; min-height: 5; }
    SituationRoom #ladder { width: 2fr; }
    SituationRoom #tracks { width: 3fr; }
    SituationRoom #nations { width: 3fr; }
    SituationRoom #outcomes { width: 2fr; }
    SituationRoom #this-turn { width: 2fr; }
    SituationRoom #results { width: 3fr; }
    """

    def __init__(self, *, more: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.more = dict(COUNTED if more is None else more)
        self.bodies: dict[str, RenderableType] = {}  # the cut panes' whole contents

    def compose(self) -> ComposeResult:
        yield Static("", id="header")
        with Horizontal(id="top"):
            yield Pane("Escalation ladder", id="ladder")
            yield Pane("Tracks", id="tracks")
        with Horizontal(id="middle"):
            yield Pane("Nations", id="nations")
            yield Pane("How it ends", id="outcomes")
        with Horizontal(id="bottom"):
            yield Pane("This turn", id="this-turn")
            yield Pane("Last turn's results", id="results")

    def show(self, sight: Sight) -> None:
        """Show what `sight` may see."""
        s = room.situation(sight.scenario, sight.state, sight.events)
        self.query_one("#header", Static).update(room.header(s, sight.clock, sight.seat))
        parts: dict[str, RenderableType] = {
            "#ladder": room.ladder(s), "#tracks": room.tracks(s), "#nations": room.nations(s),
            "#outcomes": room.outcomes(s), "#this-turn": this_turn(s), "#results": room.results(s)}
        for selector, renderable in parts.items():
            self.put(selector[1:], renderable)
        self.fit()
        self.query_one("#results", Pane).border_title = room.results_title(s)

    def put(self, pane: str, body: RenderableType) -> None:
        """Show `body` in the pane `pane` (its id); a pane cut to its height is drawn by `fit`."""
        if pane in self.more:
            self.bodies[pane] = body
        else:
            self.query_one(f"#{pane}", Pane).update(body)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Draw the cut panes to the height they have now."""
        for name, where in self.more.items():
            pane = self.query_one(f"#{name}", Pane)
            pane.update(fitted(self.bodies.get(name, Text("")), pane.content_size.height, where))


def this_turn(s: room.Situation) -> RenderableType:
    """This turn's injects and White cell actions, then its public statements and costly signals
    (never a private message or an offer: the room is everyone's screen), one line each."""
    said = [message_line(s.scenario, event) for event in messages_seen(s.this_turn, "")]
    for line in said:
        line.no_wrap, line.overflow = True, "ellipsis"
    return Group(room.this_turn(s), *said) if said else room.this_turn(s)


class Scrolling(VerticalScroll):
    """A scrolling area holding one renderable (a long board, a brief, a log)."""

    def __init__(self, renderable: RenderableType, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.body = Static(renderable)

    def compose(self) -> ComposeResult:
        yield self.body

    def update(self, renderable: RenderableType) -> None:
        self.body.update(renderable)


class MessageStrip(Scrolling):
    """A delegation's messages of this turn and the last, one line each, the newest at the foot,
    with what is left of the turn's limit in its title."""

    DEFAULT_CSS = """
    MessageStrip { border: round $primary; border-title-align: left; border-title-style: bold; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(Text(""), id=id)

    def show(self, sight: Sight, nation: str, *, can_send: bool) -> None:
        """What `nation` may see of the negotiation (`sight` is its view); `can_send`: `m` opens its messages."""
        s, st = sight.scenario, sight.state
        left = s.messages - sent_this_turn(st, nation) > 0
        self.border_title = f"Messages — {left_text(s, st, nation)}" + (
            ("; m: read all and send" if left else "; m: read all") if can_send else "")
        self.update(message_log(s, sight.events, nation, since_turn=max(st.turn - 1, 1), one_line=True,
                                empty="No messages this turn or last."))
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
