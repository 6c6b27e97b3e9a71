"""The human menu: a nation's options, each under its number for the whole game (its place in
the nation's option list, open or not), the open ones with what they do, the closed ones dimmed
with the reason in the scenario's words."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wargame.engine.rules import Choice
from wargame.engine.state import State
from wargame.scenario.scenario import OptionInfo, Scenario
from wargame.view.common import nation_name, nation_text
from wargame.view.options import describe_option, option_number
from wargame.view.wrap import Hanging

__all__ = ["render_options"]


def render_options(scenario: Scenario, state: State, nation_id: str,
                   choices: Sequence[Choice]) -> RenderableType:
    """The human menu: every option under its game-long number (`option_number`); closed ones
    dimmed, with "—" and the reason. The seats map numbers to options the same way. A line that
    wraps hangs two columns in and never begins with a number (`Hanging`), so that no wrapped
    effect ("... min(1, 7 - escalation)") reads as another option's number.

    The answers to a request stand under one heading that gives the request once; while they
    cannot be chosen (the request is not made yet, or already answered) they are one line."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, justify="right", min_width=2)
    grid.add_column(ratio=1, overflow="fold")
    open_count = 0
    heading: str | None = None  # the request whose answers are being listed
    closed: set[str] = set()  # requests already shown as one unavailable line
    for choice in choices:
        option = choice.option
        answer = option.answer
        if answer is not None and not choice.ok:
            heading = None
            if answer.request not in closed:
                closed.add(answer.request)
                grid.add_row(Text(_numbers(scenario, answer.request, option.nation)),
                             Hanging(_closed_request(scenario, state, option)), style="dim")
            continue
        number = option_number(scenario, option)
        if choice.ok:
            open_count += 1
            if answer is None:
                heading = None
            elif answer.request != heading:
                heading = answer.request
                grid.add_row(Text(""), _request_heading(scenario, answer.request))
            name = Text(option.name, style="bold")
            if answer is None:  # an answer's name says its role, under the request's heading
                name.append(_category(option), style="dim")
            lines = [Hanging(name)]
            if option.text and answer is None:  # an answer's text is the request's, given above
                lines.append(Hanging(Text(option.text)))
            does = Text(f"→ {describe_option(scenario, option, state.values)}", style="italic")
            lines.append(Hanging(does))
            grid.add_row(Text(str(number), style="bold"), Group(*lines))
        else:
            heading = None
            line = Text.assemble("— ", option.name, _category(option),
                                 (f" — not now: {choice.why_not or 'unavailable'}", "italic"))
            grid.add_row(Text(str(number)), Hanging(line), style="dim")
    label = scenario.turn_label(state.turn) if state.turn > 0 else scenario.turn_label(1)
    title = Text.assemble(nation_text(scenario, nation_id), f" — choose a response, {label}")
    footer = Text(f"{open_count} of {len(choices)} options open now; those marked — cannot be chosen "
                  "this turn (i N tells why). An option keeps its number all game.", style="dim")
    return Panel(Group(grid, footer), title=title, title_align="left", box=box.ROUNDED,
                 padding=(0, 1))


def _numbers(scenario: Scenario, request_id: str, nation_id: str) -> str:
    """"12–15": the numbers of a nation's answers to one request."""
    numbers = [option_number(scenario, o) for o in scenario.options_by_nation[nation_id]
               if o.answer is not None and o.answer.request == request_id]
    return f"{min(numbers)}–{max(numbers)}" if len(numbers) > 1 else str(numbers[0])


def _category(option: OptionInfo) -> str:
    """"  · Category", unless the name already says it."""
    return "" if option.name.endswith(option.category_name) else f"  · {option.category_name}"


def _request_heading(scenario: Scenario, request_id: str) -> RenderableType:
    request = scenario.requests.get(request_id)
    if request is None:
        return Hanging(Text(f"Reply to {request_id}", style="bold underline"))
    text = Text(f"Reply to {request.name}", style="bold underline")
    text.append(f" (from {nation_name(scenario, request.sender)})", style="dim")
    if request.text:
        return Group(Hanging(text), Hanging(Text(request.text)))
    return Hanging(text)


def _closed_request(scenario: Scenario, state: State, option: OptionInfo) -> Text:
    """"Reply to NAME — once SENDER makes the request" (or "— already answered")."""
    assert option.answer is not None
    request = scenario.requests.get(option.answer.request)
    name = request.name if request is not None else option.answer.request
    if not state.values[option.answer.open_slot]:
        sender = nation_name(scenario, request.sender) if request is not None else "the sender"
        why = f"once {sender} makes the request"
    else:
        why = "already answered"
    return Text.assemble(f"— Reply to {name}", (f" — {why}", "italic"))


