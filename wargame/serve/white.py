"""The White cell in a browser: its commands carried out, and what its page is shown.

A command (wargame.serve.white_commands.White, already validated against the scenario) becomes the
facilitator action the host's console would build, and is carried out by the same path
(ServedGame.carry_out -> Game.facilitate: the engine checks it, the record keeps it); nothing
of the rules is repeated here. It is carried out in a worker thread of the server, under the
game's lock, only while the game's loop waits (`ServedGame.idle`: for the delegations, for the
White cell between turns, or at the console); while a turn is being adjudicated it waits for
that, at most BUSY seconds. An undo to a turn's start, or an ending, during a wait makes the
loop leave that wait (`went_back`), as the console's do.

The White cell is entitled to everything but the delegations' sealed choices before the
reveal: its view adds to the room's the whole board (private answers, roles and messages
included), every message of the negotiation phase (`messages`), last turn's results, the
injects with their effects in words and where each stands (wargame.view.injects), the tracks
and flags it may set with their limits, the nations, what an undo can go back to, and whether
the game is waiting for it. Call the view functions under the game's lock.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import RenderableType

from wargame.errors import WargameError
from wargame.serve.host import ServedGame
from wargame.serve.view import _message, plain_text, white_view
from wargame.serve.white_commands import White, WhiteGo, WhiteHold
from wargame.view.common import event_words, track_label
from wargame.view.injects import done, standing
from wargame.view.options import effects_hint

BUSY = 5.0  # seconds a command waits for the game to come to a wait (a turn being adjudicated)

Reply = tuple[str | None, str]  # (why it was refused, or None; what was done)


def carry_out(game: ServedGame, message: White) -> Reply:
    """Carry out one White cell command from a browser (from a worker thread, never the event
    loop's: it may wait for the game). Returns (None, what was done, in words) or (why not, "")."""
    with game.lock:
        deadline = time.monotonic() + BUSY
        while not game.idle:
            if game.stopping or (game.phase == "over" and game.holding is None):
                return "the game is over", ""
            left = deadline - time.monotonic()
            if left <= 0:
                return "the game is busy playing out a turn; try again in a moment", ""
            game.lock.wait(left)
        if isinstance(message, WhiteGo | WhiteHold):
            return _flow(game, message)
        action = message.to_action()
        assert action is not None
        if action["action"] == "clock":
            if game.clock is None:
                return "there is no decision clock in this game (serve it with --clock SECONDS)", ""
            if game.clock.paused == action["paused"]:
                return f"the clock is already {'paused' if action['paused'] else 'running'}", ""
        try:
            events = game.carry_out(action)
        except WargameError as err:
            return f"not done: {err}", ""
        if (action["action"] == "undo" and "to_turn" in action) or game.game.over:
            game.went_back = True  # the loop leaves its wait and goes on from the game as it now is
            game.lock.notify_all()
        said = [event_words(game.scenario, e) for e in events[:1]] + [
            event_words(game.scenario, e) for e in events[1:] if e.kind in ("chance", "effect")]
        return None, "Done: " + "; ".join(said[:5])


def _flow(game: ServedGame, message: WhiteGo | WhiteHold) -> Reply:
    """`go` (begin the next turn, or close the game) and `hold` (wait for the White cell between
    turns, or not): the table's flow, not recorded."""
    if game.console_here:
        return "the White cell opens on the host's terminal between turns; the game waits for Enter there", ""
    if isinstance(message, WhiteHold):
        game.hold = message.on
        game._changed()  # noqa: SLF001 (the served game's own signal: its clients and its loop)
        if message.on:
            return None, "The game will wait for you between turns."
        return None, "The game runs on between turns" + (" now." if game.holding else ".")
    if game.holding is None:
        return "the game is not waiting for you now" + (
            " (the delegations are deciding)" if game.phase == "deciding" else ""), ""
    game.go = True
    game.holding = None  # taken now, under the lock: a second `go` before the loop wakes is refused, not merged
    game._changed()  # noqa: SLF001
    game.lock.notify_all()
    return None, "The game goes on." if game.phase != "over" else "The game is closed."


# ------------------------------------------------------------------ what the White cell sees


def white_board(game: ServedGame) -> RenderableType:
    """The whole situation board, as the White cell may see it: every event as it happened (private
    answers, roles and messages included)."""
    from wargame.view.board import render_board

    return render_board(game.scenario, game.state, game.board_events, secrets=True)


def white_board_drawn(game: ServedGame) -> bool:
    """Whether the White cell's cached board is the one for the state and events as they are now."""
    cached = game.white_board_cache
    return cached is not None and cached[0] is game.state and cached[1] == len(game.board_events)


def white_board_text(game: ServedGame, draw: bool = True) -> str:
    """The White cell's board as plain text (drawn again only after a change; without `draw`,
    the last one drawn)."""
    cached = game.white_board_cache
    if white_board_drawn(game) or not draw:
        return cached[2] if cached is not None else ""
    game.white_board_cache = (game.state, len(game.board_events), plain_text(white_board(game)))
    return game.white_board_cache[2]


def _results(game: ServedGame) -> list[str]:
    """Last turn's results, one line a decision (who chose what, what it changed), as the room
    of the table's White cell shows them."""
    from rich.console import Group
    from rich.text import Text

    from wargame.view.situation import results, situation

    if not game.last_turn:
        return []
    shown = results(situation(game.scenario, game.state, game.last_turn))
    parts = shown.renderables if isinstance(shown, Group) else [shown]
    return [part.plain for part in parts if isinstance(part, Text)]


def white_cell_view(game: ServedGame, public: dict[str, Any], draw: bool = True) -> dict[str, Any]:
    """The White cell's snapshot: wargame.serve.view.white_view (the public view, who has decided)
    with the White cell's whole board in place of the room's, and more in `white` (see the
    module's docstring)."""
    s, state = game.scenario, game.state
    base = white_view(game, public)
    injects = [{"id": i.id, "title": i.title, "effects": effects_hint(s, i.effects) or "no direct effect",
                "fired": i.id in state.fired_injects, "status": standing(s, state, i), "done": done(state, i)}
               for i in s.injects]
    names = []
    for name, slot in s.names.items():
        if slot.writable:
            value = state.values[slot.index]
            flag = slot.kind == "bool"
            names.append({"name": name, "label": track_label(s, name), "kind": "flag" if flag else "track",
                          "value": bool(value) if flag else value, "lo": slot.lo, "hi": slot.hi})
    last = game.game.last_action
    undo = {"turns": [{"turn": k, "label": s.turn_label(k)} for k in game.game.undo_targets()],
            "last_action": event_words(s, last) if last is not None else None}
    messages = [_message(game, e, "") for e in game.talk]  # every message, private ones and offers included
    return {**base, "board": white_board_text(game, draw), "messages": messages, "white": {
        **base["white"], "console": game.console_here,
        "hold": game.hold, "holding": game.holding or (
            f"{game.console_at}, at the White cell's console on the host's terminal" if game.console_at else None),
        "between": not state.in_turn and not state.ended,  # the situation may be changed now
        "results": _results(game), "injects": injects, "names": names,
        "nations": [{"id": n.id, "name": n.name} for n in s.nations], "undo": undo,
    }}
