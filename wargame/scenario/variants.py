"""Variants (assumptions a scenario can be played under) and personas (ways a bot plays a nation).

A variant changes the scenario as written — start values of tracks and flags, role categories a
nation may take, options and injects that exist or are open, chances and approval thresholds —
and the result is compiled by the same build as any scenario, so a variant that breaks a rule
(a combat option for a non-combat nation) is a problem at load time, reported at the variant's
own key. `apply_variants` gives the compiled Scenario a game is played with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from wargame.errors import Problem, ScenarioError, UsageError
from wargame.scenario.build import build
from wargame.scenario.build_context import KeyPath
from wargame.scenario.models import ScenarioModel, Variant
from wargame.scenario.scenario import PersonaInfo, Scenario
from wargame.scenario.suggest import hint

_APPLIED: dict[tuple[str, str, tuple[str, ...]], Scenario] = {}


def personas(scenario: Scenario) -> tuple[dict[str, dict[str, PersonaInfo]], list[tuple[KeyPath, str]]]:
    """Compile the scenario's personas: (nation -> id -> persona, problems found)."""
    out: dict[str, dict[str, PersonaInfo]] = {}
    problems: list[tuple[KeyPath, str]] = []
    for i, p in enumerate(scenario.model.personas):
        path: KeyPath = ("personas", i)
        if p.nation not in scenario.nation_index:
            problems.append(((*path, "nation"), f"unknown nation {p.nation!r}{hint(p.nation, scenario.nation_index)}"))
            continue
        if p.id in out.get(p.nation, {}):
            problems.append(((*path, "id"), f"duplicate persona {p.id!r} for {p.nation}"))
            continue
        weights = dict(scenario.nation(p.nation).interests)
        for key, weight in p.interests.items():
            slot = scenario.names.get(key)
            if slot is None or slot.kind != "num" or slot.index not in scenario.track_by_slot:
                tracks = [t.name for t in scenario.tracks]
                problems.append(((*path, "interests", key), f"{key!r} is not a track{hint(key, tracks)}"))
                continue
            weights[slot.index] = weight
        interests = tuple((slot, w) for slot, w in weights.items() if w)
        out.setdefault(p.nation, {})[p.id] = PersonaInfo(p.id, p.nation, p.title, p.description, interests,
                                                          p.risk, p.temperature)
    return out, problems


def check_variants(scenario: Scenario) -> list[tuple[KeyPath, str]]:
    """Every problem of every variant of a scenario that compiled: each applied on its own."""
    problems: list[tuple[KeyPath, str]] = []
    seen: set[str] = set()
    for i, variant in enumerate(scenario.model.variants):
        if variant.id in seen:
            problems.append((("variants", i, "id"), f"duplicate variant id {variant.id!r}"))
            continue
        seen.add(variant.id)
        _, found = _apply(scenario, [(i, variant)])
        problems += found
    return problems


def apply_variants(scenario: Scenario, ids: Sequence[str]) -> Scenario:
    """The scenario with the named variants applied in order (the scenario itself for none).

    Raises UsageError for an unknown variant id and ScenarioError if the variants together break
    a rule (each alone was checked when the scenario was loaded)."""
    ids = tuple(ids)
    if not ids:
        return scenario
    key = (scenario.sha256, scenario.path, ids)
    if key in _APPLIED:
        return _APPLIED[key]
    known = {v.id: (i, v) for i, v in enumerate(scenario.model.variants)}
    for vid in ids:
        if vid not in known:
            names = ", ".join(known) or "none"
            raise UsageError(f"--variant {vid}: {scenario.id} has no such variant{hint(vid, known)} "
                             f"(its variants: {names})")
    if len(set(ids)) != len(ids):
        raise UsageError("a variant is named twice")
    applied, problems = _apply(scenario, [known[v] for v in ids])
    if applied is None:
        raise ScenarioError([Problem(scenario.path, None, _dotted(path), f"with {' + '.join(ids)}: {msg}")
                             for path, msg in problems])
    _APPLIED[key] = applied
    return applied


Problems = list[tuple[KeyPath, str]]


def _apply(base: Scenario, variants: Iterable[tuple[int, Variant]]) -> tuple[Scenario | None, Problems]:
    model = base.model
    problems: list[tuple[KeyPath, str]] = []
    remap: dict[KeyPath, KeyPath] = {}  # a path in the changed model -> the variant key that caused it
    removed: list[tuple[KeyPath, str]] = []
    for i, variant in variants:
        model, found = _change(base, model, i, variant, remap, removed)
        problems += found
    scenario, built = build(model, base.path, base.sha256)
    problems += [(_origin(path, remap), msg) for path, msg in built]
    if scenario is None or problems:
        return None, problems
    scenario, found = _remove(scenario, removed)
    if scenario is None:
        return None, found
    compiled, _ = personas(scenario)  # their problems are the base scenario's, reported once
    return dataclasses.replace(scenario, personas=compiled,
                               variants=base.variants + tuple(v.id for _, v in variants)), []


def _origin(path: KeyPath, remap: dict[KeyPath, KeyPath]) -> KeyPath:
    for end in range(len(path), 0, -1):
        found = remap.get(tuple(path[:end]))
        if found is not None:
            return (*found, *path[end:])
    return path


def _change(base: Scenario, model: ScenarioModel, i: int, v: Variant, remap: dict[KeyPath, KeyPath],
            removed: list[tuple[KeyPath, str]]) -> tuple[ScenarioModel, list[tuple[KeyPath, str]]]:
    here: KeyPath = ("variants", i)
    problems: list[tuple[KeyPath, str]] = []
    tracks = list(model.tracks)
    nations = list(model.nations)
    flags = list(model.flags)
    options = list(model.options)
    injects = list(model.injects)
    track_at = {t.id: k for k, t in enumerate(tracks)}
    nation_at = {n.id: k for k, n in enumerate(nations)}
    nation_tracks = {t.id for t in model.nation_tracks}
    for name, start in v.tracks.items():
        nation, _, track = name.partition(".")
        if name in track_at:
            k = track_at[name]
            tracks[k] = tracks[k].model_copy(update={"start": start})
            remap[("tracks", k, "start")] = (*here, "tracks", name)
        elif track and nation in nation_at and track in nation_tracks:
            k = nation_at[nation]
            nations[k] = nations[k].model_copy(update={"start": {**nations[k].start, track: start}})
            remap[("nations", k, "start", track)] = (*here, "tracks", name)
        else:
            known_tracks = [*track_at, *(f"{n}.{t}" for n in nation_at for t in nation_tracks)]
            problems.append(((*here, "tracks", name), f"{name!r} is not a track{hint(name, known_tracks)}"))
    flag_at = {f.id: k for k, f in enumerate(flags)}
    for name, start in v.flags.items():
        if name not in flag_at:
            problems.append(((*here, "flags", name), f"{name!r} is not a flag{hint(name, flag_at)}"))
            continue
        flags[flag_at[name]] = flags[flag_at[name]].model_copy(update={"start": start})
    for nation_id, roles in v.roles.items():
        if nation_id not in nation_at:
            problems.append(((*here, "roles", nation_id), f"unknown nation {nation_id!r}{hint(nation_id, nation_at)}"))
            continue
        k = nation_at[nation_id]
        before = len(nations[k].roles)
        for j in range(len(roles)):
            remap[("nations", k, "roles", before + j)] = (*here, "roles", nation_id, j)
        nations[k] = nations[k].model_copy(update={"roles": [*nations[k].roles, *roles]})
    option_at = {o.id: k for k, o in enumerate(options)}
    inject_at = {j.id: k for k, j in enumerate(injects)}
    for j, option_id in enumerate(v.open):
        if option_id not in option_at:
            problems.append(((*here, "open", j), f"unknown option {option_id!r}"))
            continue
        k = option_at[option_id]
        options[k] = options[k].model_copy(update={"available": None})
    for target, chance in v.chances.items():
        if target in option_at:
            k = option_at[target]
            options[k] = options[k].model_copy(update={"chance": chance})
            remap[("options", k, "chance")] = (*here, "chances", target)
        elif target in inject_at:
            k = inject_at[target]
            injects[k] = injects[k].model_copy(update={"chance": chance})
            remap[("injects", k, "chance")] = (*here, "chances", target)
        else:
            problems.append(((*here, "chances", target), f"{target!r} is neither an option nor an inject"))
    for target, chance in v.approvals.items():
        k = option_at.get(target, -1)
        approval = options[k].approval if k >= 0 else None
        if approval is None:
            problems.append(((*here, "approvals", target), f"{target!r} is not an option that needs an approval"))
            continue
        options[k] = options[k].model_copy(update={"approval": approval.model_copy(update={"chance": chance})})
        remap[("options", k, "approval", "chance")] = (*here, "approvals", target)
    for j in range(len(v.options)):
        remap[("options", len(options) + j)] = (*here, "options", j)
    for j in range(len(v.injects)):
        remap[("injects", len(injects) + j)] = (*here, "injects", j)
    for inject_id, turn in v.schedule.items():
        k = inject_at.get(inject_id, -1)
        if k < 0 or injects[k].turn is None:
            problems.append(((*here, "schedule", inject_id), f"{inject_id!r} is not a scheduled inject"))
            continue
        injects[k] = injects[k].model_copy(update={"turn": turn})
        remap[("injects", k, "turn")] = (*here, "schedule", inject_id)
    options += v.options
    injects += v.injects
    removed += [((*here, "remove", j), ident) for j, ident in enumerate(v.remove)]
    update: dict[str, Any] = {"tracks": tracks, "nations": nations, "flags": flags, "options": options,
                              "injects": injects}
    if v.turns is not None:  # a seminar's length: injects scheduled after it must be re-timed or removed
        update["turns"] = v.turns
        remap[("turns",)] = (*here, "turns")
        for k, inject in enumerate(injects):
            if inject.turn is not None and inject.turn > v.turns.count and ("injects", k, "turn") not in remap:
                remap[("injects", k, "turn")] = (*here, "turns", "count")
    if v.messages is not None:
        update["negotiation"] = model.negotiation.model_copy(update={"messages": v.messages})
    if v.live_turns is not None:
        if model.live_crisis is None:
            problems.append(((*here, "live_turns"), "the scenario has no [live_crisis]"))
        else:
            update["live_crisis"] = model.live_crisis.model_copy(update={"turns": v.live_turns})
    changed = model.model_copy(update=update)
    return changed, problems


def _remove(scenario: Scenario, removed: list[tuple[KeyPath, str]]) -> tuple[Scenario | None, Problems]:
    """Take out the options (answers to requests included) and injects a variant removes."""
    problems: list[tuple[KeyPath, str]] = []
    options = dict(scenario.options)
    injects = {i.id: i for i in scenario.injects}
    defaults = {n.default: n.id for n in scenario.nations}
    expected = {o: i.id for i in scenario.injects for e in i.expected for o in e.options}
    for path, ident in removed:
        if ident in defaults:
            problems.append((path, f"{ident!r} is the default option of {defaults[ident]}; it cannot be removed"))
        elif ident in options:
            if ident in expected and expected[ident] not in [r for _, r in removed]:
                problems.append((path, f"{ident!r} is an expected response to inject {expected[ident]!r}; "
                                       "remove that inject too, or keep the option"))
                continue
            del options[ident]
        elif ident in injects:
            del injects[ident]
        else:
            problems.append((path, f"{ident!r} is neither an option nor an inject"))
    if problems:
        return None, problems
    by_nation: dict[str, Any] = {n: tuple(o for o in v if o.id in options)
                                 for n, v in scenario.options_by_nation.items()}
    return dataclasses.replace(scenario, options=options, options_by_nation=by_nation,
                               injects=tuple(i for i in scenario.injects if i.id in injects)), []


def _dotted(loc: KeyPath) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out
