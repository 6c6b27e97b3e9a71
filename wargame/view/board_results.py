"""The situation board's account of a turn (wargame.view.board): the injects panel and the
decisions-and-results panel, each headline with the rolls, approvals and effects that followed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.scenario.scenario import OptionInfo, Scenario
from wargame.view.common import (
    BAD,
    GOOD,
    change_text,
    event_words,
    lines,
    nation_text,
    num,
    panel,
    pct,
    track_label,
    track_of,
)
from wargame.view.turn_events import TurnEvents


def _decision_name(option: OptionInfo) -> Text:
    """The option as others may see it: a private answer does not say which role it defines."""
    name = Text(option.public_name, style="bold")
    private = option.answer is not None and option.answer.kind == "private"
    if not private and not option.name.endswith(option.category_name):
        name.append(f"  [{option.category_name}]", style="dim")
    return name



class TurnResults:
    """The injects and decisions panels of the board (wargame.view.board._Board mixes them in)."""

    scenario: Scenario
    state: State
    events: tuple[Event, ...]

    def injects(self, turn: TurnEvents) -> Panel:
        s = self.scenario
        label = s.turn_label(self.state.turn) if self.state.turn > 0 else "this turn"
        texts = {i.id: i.text for i in s.injects}
        parts: list[RenderableType] = []
        for block in turn.injects:
            head = block.head
            parts.append(lines([(Text("■", style="bold"),
                                 Text(str(head.data.get("title") or head.text), style="bold"))]))
            body = texts.get(str(head.data.get("inject")), "")
            rows = [(Text(" "), Text(body))] if body else []
            rows += self._details(block.details)
            if rows:
                parts.append(lines(rows, indent=2))
        if turn.missed:
            missed = "; ".join(f"{self._inject_title(ev)} ({self._roll(ev)})" for ev in turn.missed)
            parts.append(lines([(Text("□", style="dim"), Text(f"Did not happen: {missed}", style="dim"))]))
        if turn.spent:
            spent = "; ".join(self._inject_title(ev) for ev in turn.spent)
            parts.append(lines([(Text("□", style="dim"),
                                 Text(f"Due, but fired early by the White cell, so not again: {spent}", style="dim"))]))
        if not parts:
            parts.append(Text("No injects this turn.", style="dim"))
        return panel(Group(*parts), f"Injects — {label}")

    def _inject_title(self, ev: Event) -> str:
        inject = next((i for i in self.scenario.injects if i.id == ev.data.get("inject")), None)
        return inject.title if inject is not None else str(ev.data.get("subject", "inject"))

    def decisions(self, turn: TurnEvents) -> Panel:
        s = self.scenario
        parts: list[RenderableType] = []
        for block in turn.decisions:
            data = block.head.data
            option = s.options.get(str(data.get("option")))
            head = nation_text(s, str(data.get("nation")))
            head.append(f" (by {data.get('by', 'bot')})", style="dim")
            head.append(": ")
            head.append_text(_decision_name(option) if option is not None
                             else Text(block.head.text, style="bold"))
            parts.append(lines([(Text("▶", style="bold"), head)]))
            rows = []
            note = data.get("note")
            if note:
                rows.append((Text("›", style="dim"), Text(f"why: {note}", style="dim italic")))
            rows += self._details(block.details)
            if rows:
                parts.append(lines(rows, indent=2))
        for block in turn.pledges:
            parts.append(lines([(Text("◆", style="bold"), Text(block.head.text, style="bold"))]))
            if block.details:
                parts.append(lines(self._details(block.details), indent=2))
        if turn.loose:
            parts.append(lines(self._details(turn.loose, under_head=False)))
        if not parts:
            parts.append(Text("No decisions yet.", style="dim"))
        return panel(Group(*parts), "Decisions and results")

    def _details(self, events: Sequence[Event], under_head: bool = True) -> list[tuple[Text, Text]]:
        """Detail lines. Under a headline an effect's reason is the headline's, so it is not
        repeated; only what happened before it is added: "(rejected)", "(succeeded)"."""
        rows = []
        stage = ""  # what the effects that follow are the result of
        for i, ev in enumerate(events):
            if ev.kind == "chance" and i + 1 < len(events) and events[i + 1].kind == "approval":
                continue  # the approval's roll, shown with the approval
            if ev.kind == "approval":
                roll = events[i - 1] if i > 0 and events[i - 1].kind == "chance" else None
                stage = "" if ev.data.get("passed") else " (rejected)"
                rows.append(self._approval(ev, roll))
            elif ev.kind == "chance":
                if "inject" not in ev.data:  # an inject's roll decides whether it happens at all
                    stage = " (succeeded)" if ev.data.get("success") else " (failed)"
                rows.append(self._chance(ev))
            elif ev.kind == "effect":
                reason = str(ev.data.get("reason") or "")
                tail = stage if under_head or not reason else f": {reason}"
                rows.append(self._effect(ev, tail + _held(ev)))
            else:
                rows.append(self._event(ev))
        return rows

    @staticmethod
    def _roll(ev: Event) -> str:
        chance, roll = ev.data.get("chance"), ev.data.get("roll")
        if not isinstance(chance, int | float):
            return ev.text
        if roll is None or not isinstance(roll, int | float):
            return "no chance"
        return f"rolled {roll * 100:.0f} against {pct(chance)}"

    def _approval(self, ev: Event, roll: Event | None) -> tuple[Text, Text]:
        passed = bool(ev.data.get("passed"))
        said = f"{ev.data.get('body', 'Approval')} {'approves' if passed else 'rejects'}"
        if roll is not None:
            said += f" ({self._roll(roll)})"
        return (Text("✓" if passed else "✗", style=GOOD if passed else BAD),
                Text(said, style="" if passed else "bold"))

    def _chance(self, ev: Event) -> tuple[Text, Text]:
        ok = bool(ev.data.get("success"))
        if "inject" in ev.data:
            said = "it happens" if ok else "it does not happen"
        else:
            said = "chance: success" if ok else "chance: failure"
        return Text("✓" if ok else "✗", style=GOOD if ok else BAD), Text(f"{said} ({self._roll(ev)})")

    def _event(self, ev: Event) -> tuple[Text, Text]:
        if ev.kind == "request":
            request = self.scenario.requests.get(str(ev.data.get("request")))
            text = Text(ev.text)
            if request is not None and request.text:
                text.append(f"\n{request.text}", style="dim")
            return Text("→", style="bold"), text
        if ev.kind in ("pledge_made", "pledge_fired", "role"):
            return Text("◆", style="bold"), Text(ev.text)
        return Text("•"), Text(event_words(self.scenario, ev))

    def _effect(self, ev: Event, tail: str) -> tuple[Text, Text]:
        s, data = self.scenario, ev.data
        target = str(data.get("target", ""))
        before, after = data.get("before"), data.get("after")
        label = track_label(s, target)
        track = track_of(s, target)
        if isinstance(after, bool) or track is None:
            on = bool(after)
            text = Text(f"{label}: {'set' if on else 'cleared'}", style="bold")
            text.append(tail)
            return Text("⚑" if on else "·"), text
        try:
            delta = float(after) - float(before)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return Text("•"), Text(ev.text)
        style = change_text(delta, track.higher_is, words=False).style
        text = Text(f"{label} ", style="bold")
        text.append(f"{delta:+.0f}" if delta.is_integer() else f"{delta:+.1f}", style=style)
        text.append(f" → {num(float(after))}")  # type: ignore[arg-type]
        text.append(tail)
        return Text("▲" if delta > 0 else "▼", style=style), text


def _held(ev: Event) -> str:
    """" (held at max 10)" when the engine clamped the effect; its text is
    "NAME +N: REASON[ (held at max N)]" and only that note follows the reason."""
    marker = f": {ev.data.get('reason', '')}"
    at = ev.text.find(marker)
    rest = ev.text[at + len(marker):] if at >= 0 else ""
    return rest if rest.startswith(" (held at") else ""
