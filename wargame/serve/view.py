"""What the server sends: a "state" snapshot for each kind of client, computed on the server.

Every snapshot is whole (a client that reconnects, or missed one, needs only the latest):

    public  (room view, and the base of every other): scenario, turn, phase, the situation
            board as plain text, the tracks, who has joined and who is still deciding (never
            what), the clock, the last turn's orders once revealed, the outcome, the public
            statements and costly signals of the negotiation phase (`messages`)
    seat    public + that nation's own brief (public and private), its role as only it may see
            it, its legal options with reasons while its decision is due (each with its
            game-long number `n` and its `detail` in words, as (heading, text) pairs), its own
            sealed choice, what it may send (`negotiation`), and `room`: the situation room's
            panes as that nation sees them, as data (wargame.serve.panes), for the full-screen
            `wargame join`: null when unchanged since the last snapshot this client was sent
            (drawn in the background after a change: news goes out first, the panes a moment
            after); its `messages` add the private messages and offers it sent or received
    white   public + which seats have decided (never what)

Privacy is decided by wargame.game.views, the one place for it: a seat's own facts come from
its NationView; the shared board shows every event and role as a nation sees those of the
others (a private answer unnamed, a decision's note left out), so nothing about one nation
reaches another but what its own view would show. Call these under the game's lock.
"""

from __future__ import annotations

import io
import weakref
from typing import Any

from rich.console import Console, RenderableType

from wargame.engine.events import Event
from wargame.engine.negotiation import IllegalMessage, Message, check, sent_this_turn
from wargame.game.views import NationView, messages_seen, public_event, role_for
from wargame.serve.host import ServedGame
from wargame.view.common import TIMED_OUT, nation_name
from wargame.view.options import describe_option, option_detail, option_number, signal_hint

BOARD_WIDTH = 100  # columns of the plain-text board sent to clients


def room_board(game: ServedGame) -> RenderableType:
    """The situation board as the room may see it: every event as the whole table may see it
    (wargame.game.views.public_event: another's private answer unnamed, notes and digests left
    out), and every role as others see it."""
    from wargame.view.board import render_board

    scenario = game.scenario
    events = [public_event(scenario, e) for e in game.board_events]
    roles = tuple(role_for(r, own=False) for r in game.state.roles)
    return render_board(scenario, game.state.evolve(roles=roles), events)


def board_drawn(game: ServedGame) -> bool:
    """Whether the cached board is the one for the state and events as they are now."""
    cached = game.board_cache
    return cached is not None and cached[0] is game.state and cached[1] == len(game.board_events)


def board_text(game: ServedGame, draw: bool = True) -> str:
    """The room's board as plain text (no colour, no markup), as a terminal would show it;
    drawn again only when the state or the board's events have changed. Without `draw`, the
    last board drawn (drawing takes tens of milliseconds: news goes out first, the board after)."""
    cached = game.board_cache
    if board_drawn(game) or (not draw):
        return cached[2] if cached is not None else ""
    game.board_cache = (game.state, len(game.board_events), plain_text(room_board(game)), game.situation)
    return game.board_cache[2]


def plain_text(renderable: RenderableType) -> str:
    """`renderable` as a terminal BOARD_WIDTH columns wide would show it, as plain text (no
    colour, no markup)."""
    file = io.StringIO()
    console = Console(file=file, width=BOARD_WIDTH, color_system=None, force_terminal=False,
                      no_color=True, highlight=False, emoji=False, legacy_windows=False)
    console.print(renderable)
    return file.getvalue()


def public_view(game: ServedGame, draw: bool = True) -> dict[str, Any]:
    """The room view: what everyone in the room may see (`draw`: see board_text)."""
    s, state = game.scenario, game.state
    tracks = [{"title": t.title, "value": state.values[t.slot], "lo": t.lo, "hi": t.hi,
               "rung": t.rung(state.values[t.slot]), "nation": t.nation} for t in s.tracks]
    reveal = None
    if game.reveal:
        turn = game.reveal[0].turn
        reveal = {"turn": turn, "label": s.turn_label(turn),
                  "decisions": [e.text + (TIMED_OUT if e.data.get("by") == "clock" else "") for e in game.reveal],
                  "timed_out": [nation_name(s, str(e.data.get("nation"))) for e in game.reveal
                                if e.data.get("by") == "clock"]}
    outcome = None
    if state.ended:
        ending = next((e for e in reversed(game.board_events) if e.kind == "game_end"), None)
        outcome = str(ending.data.get("title") or ending.text) if ending is not None else "The game is over"
    clock = None
    if game.clock is not None:
        left = game.clock_left()
        clock = {"seconds": game.clock.seconds, "left": None if left is None else round(left, 1),
                 "paused": not game.clock.running}
    return {
        "type": "state",
        "version": game.version,
        "scenario": s.title,
        "marking": s.model.marking,
        "turn": state.turn,
        "label": s.turn_label(state.turn) if state.turn else "Before the first turn",
        "turns": s.turns,
        "phase": game.phase,
        # the game waits for the White cell (wargame.serve.white, or the host's console)
        "held": game.holding is not None or game.console_at is not None,
        "board": board_text(game, draw),
        # `situation`: changes with every change the board explains but a message; `board_situation`:
        # the situation the last board drawn shows (the board of a new one follows when drawn)
        "situation": game.situation,
        "board_situation": game.board_cache[3] if game.board_cache is not None else -1,
        "tracks": tracks,
        # `joined`: has joined (the game counts on it); `connected`: a client of the seat is here now
        "seats": [{"name": nation_name(s, n), "joined": n in game.claimed, "connected": game.present.get(n, 0) > 0}
                  for n in game.humans],
        "waiting_for": [nation_name(s, n) for n in game.waiting_for()],
        "clock": clock,
        "reveal": reveal,
        "outcome": outcome,
        "messages": [_message(game, e, "") for e in messages_seen(game.talk, "")],
    }


def seat_view(game: ServedGame, nation_id: str, public: dict[str, Any],
              room: dict[str, Any] | None = None) -> dict[str, Any]:
    """A delegation's view: the public view plus its own brief, role, options and choice, and
    `room` (its room panes, wargame.serve.panes.seat_room; None: unchanged since the last sent)."""
    s = game.scenario
    view = NationView(s, nation_id, game.state, game.talk)
    nation = s.nation(nation_id)
    role = view.role
    due = game.due(nation_id)
    options = seat_options(game, nation_id, view) if due else []
    mine = game.decisions.get(nation_id) if nation_id in game.humans else None
    decided = None
    if mine is not None and game.phase == "deciding":
        decided = {"option": mine.option, "name": s.options[mine.option].name, "note": mine.note}
    messages = [_message(game, e, nation_id) for e in view.messages]
    return {**public, "messages": messages, "seat": {
        "nation": nation_id, "name": nation.name, "public_brief": nation.public_brief,
        "private_brief": view.private_brief, "role": role.replace(":", ": ") if role else "",
        "due": due, "options": options, "decided": decided,
        "negotiation": _negotiation(game, nation_id, due),
        "room": room,
    }}


_OPTIONS: weakref.WeakKeyDictionary[ServedGame, dict[str, tuple[object, list[dict[str, Any]]]]] = \
    weakref.WeakKeyDictionary()


def seat_options(game: ServedGame, nation_id: str, view: NationView) -> list[dict[str, Any]]:
    """`nation_id`'s legal options now, each with what it does or why it is closed, its game-long
    number (`n`, the one every screen shows and takes) and its detail in words; worked out once
    for each state of the game."""
    cached = _OPTIONS.setdefault(game, {}).get(nation_id)
    if cached is not None and cached[0] is game.state:
        return cached[1]
    s = game.scenario
    options = []
    for choice in view.options:
        option = choice.option
        options.append({"id": option.id, "name": option.name,
                        "category": option.category_name, "text": option.text,
                        "does": describe_option(s, option, view.state.values) if choice.ok else "",
                        "ok": choice.ok, "why_not": choice.why_not, "n": option_number(s, option),
                        "detail": [list(row) for row in option_detail(
                            s, option, view.state.values, open_now=choice.ok, why_not=choice.why_not)]})
    _OPTIONS[game][nation_id] = (game.state, options)
    return options


def _message(game: ServedGame, event: Event, nation: str) -> dict[str, Any]:
    """One message as a client is sent it (`nation`: the seat it goes to, "" for the room):
    names, not ids (docs/serve.md, "The protocol")."""
    s = game.scenario
    m = Message.from_data(event.data)
    out: dict[str, Any] = {"turn": event.turn, "label": s.turn_label(event.turn), "from": nation_name(s, m.sender),
                           "to": [nation_name(s, n) for n in m.to], "kind": m.kind, "text": m.text,
                           "line": event.text, "mine": m.sender == nation}
    if m.kind == "offer":
        out["if_option"] = s.options[m.if_option or ""].name
        out["then_option"] = s.options[m.then_option or ""].name
    if m.kind == "signal":
        out["signal"] = s.signals[m.signal or ""].name
    return out


def _short(option_id: str) -> str:
    return option_id.split(".", 1)[1]


def _negotiation(game: ServedGame, nation: str, due: bool) -> dict[str, Any] | None:
    """What `nation`'s delegation may send (None when the scenario allows no messages): the
    limit and how many are left this turn, the other delegations with the options an offer may
    name (not a private answer to a role request: its name says which role), its own options,
    and the costly signals it may send with why one is closed (the engine's own check) and what
    each does, landing when the turn is adjudicated (`lands`)."""
    s, state = game.scenario, game.state
    if not s.messages:
        return None
    left = max(s.messages - sent_this_turn(state, nation), 0) if state.in_turn else s.messages
    signals = []
    for signal in s.signals.values():
        if signal.nation not in (None, nation):
            continue
        try:
            check(s, state, Message(nation, "signal", signal=signal.id))
            why_not = ""
        except IllegalMessage as err:
            why_not = str(err)
        signals.append({"id": signal.id, "name": signal.name, "text": signal.text, "ok": not why_not,
                        "why_not": why_not, "lands": signal_hint(s, signal)})
    nations = [{"id": n.id, "name": n.name,
                "options": [{"id": _short(o.id), "name": o.name} for o in s.options_by_nation[n.id]
                            if o.answer is None or o.answer.kind != "private"]}
               for n in s.nations if n.id != nation]
    return {"limit": s.messages, "left": left, "open": due and left > 0, "nations": nations,
            "options": [{"id": _short(o.id), "name": o.name} for o in s.options_by_nation[nation]],
            "signals": signals}


def white_view(game: ServedGame, public: dict[str, Any]) -> dict[str, Any]:
    """The facilitator's browser view: the public view plus who has decided (never what)."""
    decided = [nation_name(game.scenario, n) for n in game.humans
               if game.phase == "deciding" and n in game.decisions]
    return {**public, "white": {"decided": decided, "has_clock": game.clock is not None}}
