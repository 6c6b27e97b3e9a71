"""The negotiation phase at the full-screen table: a delegation's messages screen.

From its decide screen (key `m`) a delegation reads every message it may see, this turn and
earlier, and sends one of four kinds, each in a tab: a public statement, a private message to
the delegations it ticks, a conditional offer (their option and ours picked by name from the
real option lists) or one of the scenario's costly signals open to it, with the signal's words
and declared effects shown. The turn's limit and what is left are in the header; what the engine
refuses (wargame.engine.negotiation.IllegalMessage) is said in its words under the form.

The screen holds no rules: it builds a Message from what was picked and hands it to the table
(`Desk.send`, which calls Game.send, the same path as the plain prompt's `say`/`tell`/`offer`/
`signal`), then reads the delegation's view again (`Desk.look`). It returns how many messages
were sent, so the decide screen can show the game as it now is (the messages, the limit; a
signal's effects land only when the turn is adjudicated).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, SelectionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from wargame.engine.negotiation import Message
from wargame.players.clock import Clock
from wargame.tui.room import Scrolling
from wargame.tui.screens import clock_text
from wargame.view.messages import left_text, message_log, signal_lines, signals_for
from wargame.view.options import option_number

if TYPE_CHECKING:
    from wargame.game.views import NationView

KINDS = (("say", "Public statement"), ("tell", "Private message"), ("offer", "Offer"), ("signal", "Costly signal"))


@dataclass(frozen=True)
class Desk:
    """What the messages screen needs from the table for one delegation.

    nation  the delegation's nation id
    look    its view of the game now (wargame.game.views.NationView)
    send    sends one Message through the Game; returns None, or what the engine refused, in words
    kept    what the decide screen keeps while it is drawn again within one decision ("highlighted":
            the option id the delegation had highlighted)
    """

    nation: str
    look: Callable[[], NationView]
    send: Callable[[Message], str | None]
    kept: dict[str, str] = field(default_factory=dict)  # what the decide screen keeps across its redraws


class MessagesScreen(Screen[int]):
    """A delegation's messages: what it may see, and a form for each kind it may send (see the
    module's docstring). Escape goes back; the screen returns the number of messages sent."""

    BINDINGS = [Binding("escape", "close", "Back to the options")]
    DEFAULT_CSS = """
    MessagesScreen #head { height: 2; padding: 0 1; }
    MessagesScreen #seen { height: 1fr; min-height: 4; border: round $primary; border-title-align: left;
                           border-title-style: bold; padding: 0 1; }
    MessagesScreen #send { height: auto; border: round $accent; border-title-align: left; }
    MessagesScreen TabbedContent { height: auto; }
    MessagesScreen TabPane { height: auto; padding: 0 1; }
    MessagesScreen .row { height: 1; }
    MessagesScreen .label { width: 18; }
    MessagesScreen .hint { height: auto; color: $text-muted; }
    MessagesScreen Select { width: 1fr; }
    MessagesScreen Input { width: 1fr; }
    MessagesScreen #tell-box { height: auto; }
    MessagesScreen #tell-to { width: 28; height: auto; max-height: 6; }
    MessagesScreen #tell-side { height: auto; padding: 0 0 0 1; }
    MessagesScreen #signal-box { height: 6; }
    MessagesScreen #signal-list { width: 2fr; height: 6; }
    MessagesScreen #signal-detail { width: 3fr; height: 6; padding: 0 0 0 1; }
    MessagesScreen #status { height: auto; padding: 0 1; }
    """

    def __init__(self, desk: Desk, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.clock = clock
        self.view = desk.look()
        self.sent = 0
        s = self.view.scenario
        self.others = [n for n in s.nations if n.id != desk.nation]
        self.signals = signals_for(s, desk.nation)

    @property
    def nation_name(self) -> str:
        return self.view.scenario.nation(self.desk.nation).name

    # ------------------------------------------------------------ the screen

    def compose(self) -> ComposeResult:
        s = self.view.scenario
        yield Static("", id="head")
        yield Scrolling(Text(""), id="seen")
        with Vertical(id="send"), TabbedContent(id="kinds"):
            with TabPane("Public statement", id="say"):
                yield Static(Text("Everyone reads a public statement, the whole room too."), classes="hint")
                with Horizontal(classes="row"):
                    yield Static("Words", classes="label")
                    yield Input(placeholder="what you say in public (Enter sends)", id="say-words", compact=True)
            with TabPane("Private message", id="tell"), Horizontal(id="tell-box"):
                yield SelectionList[str](*((Text(n.name), n.id) for n in self.others), id="tell-to", compact=True)
                with Vertical(id="tell-side"):
                    yield Static(Text("Tick who reads it (Space): only they and you ever see it."), classes="hint")
                    yield Input(placeholder="what you tell them (Enter sends)", id="tell-words", compact=True)
            with TabPane("Offer", id="offer"):
                for label, select in (("To", self._select("offer-to", "the delegation", self._nations())),
                                      ("If they choose", self._select("offer-if", "their option (pick To first)", [])),
                                      ("we will choose", self._select("offer-then", "our option", self._ours()))):
                    with Horizontal(classes="row"):
                        yield Static(label, classes="label")
                        yield select
                with Horizontal(classes="row"):
                    yield Static("Words (optional)", classes="label")
                    yield Input(placeholder="Enter sends the offer, private to the two of you", id="offer-words",
                                compact=True)
            with TabPane("Costly signal", id="signal"):
                with Horizontal(id="signal-box"):
                    yield OptionList(*(Option(Text(g.name), id=g.id) for g in self.signals), id="signal-list",
                                     compact=True)
                    yield Scrolling(Text(f"No costly signal is open to {self.nation_name} in {s.title}.",
                                         style="dim"), id="signal-detail")
                with Horizontal(classes="row"):
                    yield Static("Words (optional)", classes="label")
                    yield Input(placeholder="Enter sends the signal, in public", id="signal-words", compact=True)
        yield Static("", id="status")
        yield Footer()

    def _select(self, id: str, prompt: str, options: list[tuple[Text, str]]) -> Select[str]:  # noqa: A002
        return Select[str](options, prompt=prompt, id=id, compact=True)

    def _nations(self) -> list[tuple[Text, str]]:
        return [(Text(n.name), n.id) for n in self.others]

    def _theirs(self, nation: str) -> list[tuple[Text, str]]:
        s = self.view.scenario
        return [(Text(f"{option_number(s, o)}. {o.name}"), o.id) for o in s.options.values() if o.nation == nation]

    def _ours(self) -> list[tuple[Text, str]]:
        s = self.view.scenario
        out = []
        for choice in self.view.options:
            label = Text(f"{option_number(s, choice.option)}. {choice.option.name}")
            if not choice.ok:
                label.append(" (not open now)", style="dim")
            out.append((label, choice.option.id))
        return out

    def on_mount(self) -> None:
        self.query_one("#send", Vertical).border_title = "Send"
        self.query_one("#seen", Scrolling).border_title = Text(  # a name from the scenario: never markup
            f"Messages {self.nation_name} may see: public, to it, from it")
        self._show()
        if self.signals:
            self._show_signal(self.signals[0].id)
        if self.clock is not None:
            self.set_interval(0.5, self._head)
        self.call_after_refresh(self._focus_tabs)

    def _focus_tabs(self) -> None:
        with suppress(NoMatches):  # the screen may be closing already
            self.query_one(TabbedContent).query_one("Tabs").focus()

    def _head(self) -> None:
        s, st = self.view.scenario, self.view.state
        line = Text.assemble((self.nation_name, "bold"),
                             f" — messages, {s.turn_label(st.turn)}, turn {st.turn} of {s.turns}")
        if self.clock is not None:
            line.append("   ")
            line.append_text(clock_text(self.clock))
        left = Text.assemble((left_text(s, st, self.desk.nation), "bold"),
                             (". ← →: the kind  Tab: next field  Enter: send", "dim"))
        self.query_one("#head", Static).update(Text("\n").join([line, left]))

    def _show(self) -> None:
        """The header and the messages as the delegation's view has them now."""
        self._head()
        seen = self.query_one("#seen", Scrolling)
        seen.update(message_log(self.view.scenario, self.view.events, self.desk.nation,
                                empty="No messages yet. Public statements, messages to you and your own "
                                      "will be here."))
        self.call_after_refresh(seen.scroll_end, animate=False, immediate=True)  # the newest at the foot

    def _show_signal(self, signal_id: str) -> None:
        signal = next((g for g in self.signals if g.id == signal_id), None)
        if signal is not None:
            self.query_one("#signal-detail", Scrolling).update(
                signal_lines(self.view.scenario, self.view.state, self.desk.nation, signal))

    def _say(self, text: str, bold: bool = True) -> None:
        self.query_one("#status", Static).update(Text(text, style="bold" if bold else ""))

    # ------------------------------------------------------------ what is picked

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "offer-to":
            theirs = self.query_one("#offer-if", Select)
            if isinstance(event.value, str):
                theirs.set_options(self._theirs(event.value))
                theirs.prompt = "their option"
            else:  # To cleared: nothing to pick until a delegation is
                theirs.set_options([])
                theirs.prompt = "their option (pick To first)"

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._say("")  # what was said of the last tab's form is not this one's

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "signal-list" and event.option.id is not None:
            self._show_signal(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "signal-list":
            self.query_one("#signal-words", Input).focus()
            self._say("Add words if you like; Enter sends the signal.", bold=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        kind = (event.input.id or "").removesuffix("-words")
        message = self._message(kind, event.value.strip())
        if message is None:
            return
        problem = self.desk.send(message)
        if problem is not None:
            self._say(f"Not sent: {problem}.")
            return
        self.sent += 1
        event.input.value = ""
        if kind == "tell":
            self.query_one("#tell-to", SelectionList).deselect_all()
        self.view = self.desk.look()
        self._show()
        highlighted = self.query_one("#signal-list", OptionList).highlighted
        if self.signals and highlighted is not None:  # any message counts against the limit: "open now" may not be
            self._show_signal(self.signals[highlighted].id)
        talk = [e for e in self.view.events if e.kind == "message"]
        ours = max((i for i, e in enumerate(talk) if e.data.get("nation") == self.view.nation), default=-1)
        replies = [e.text for e in talk[ours + 1:] if self.view.nation in (e.data.get("to") or ())]  # a bot's, at once
        self._say(" ".join([f"Sent: {talk[ours].text}" if ours >= 0 else "Sent.", *(f"Reply: {r}" for r in replies)]))

    def _message(self, kind: str, text: str) -> Message | None:
        """The Message the form of `kind` describes, or None (said why) when something is not
        picked yet. Whether it may be sent is the engine's to say."""
        nation = self.desk.nation
        if kind == "say":
            return Message(nation, "statement", text)
        if kind == "tell":
            to = tuple(self.query_one("#tell-to", SelectionList).selected)
            return Message(nation, "private", text, to=to)
        if kind == "offer":
            picked = [self.query_one(f"#offer-{part}", Select).value for part in ("to", "if", "then")]
            if not all(isinstance(p, str) for p in picked):
                self._say("Pick the delegation, the option you ask of it and the option you offer first.")
                return None
            to, wanted, given = (str(p) for p in picked)
            return Message(nation, "offer", text, to=(to,), if_option=wanted, then_option=given)
        if kind == "signal":
            signals = self.query_one("#signal-list", OptionList)
            index = signals.highlighted
            if index is None or not self.signals:
                self._say(f"No costly signal is open to {self.nation_name}.")
                return None
            return Message(nation, "signal", text, signal=str(signals.get_option_at_index(index).id))
        return None

    def action_close(self) -> None:
        self.dismiss(self.sent)
