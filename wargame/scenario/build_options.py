"""A scenario's options, compiled (wargame.scenario.build): the scenario's own, each checked
against its nation's role categories, pledges, requests and the real-time rule, and the answers
to each role request, made into options of every nation it is sent to.
"""

from __future__ import annotations

from wargame.scenario.build_context import BuildContext, KeyPath
from wargame.scenario.scenario import AnswerInfo, AnswerKind, Approval, OptionInfo, RequestInfo
from wargame.scenario.suggest import hint


class OptionsBuilder(BuildContext):
    """Builds the options; mixed into the scenario's builder."""

    def build_options(self, requests: dict[str, RequestInfo]) -> dict[str, OptionInfo]:
        m = self.model
        nations = {n.id: n for n in m.nations}
        pledges = {p.id: p for p in m.pledges}
        out: dict[str, OptionInfo] = {}
        for i, o in enumerate(m.options):
            path: KeyPath = ("options", i)
            nation = nations.get(o.nation)
            if nation is None:
                self.problem((*path, "nation"), f"unknown nation {o.nation!r}{hint(o.nation, nations)}")
                continue
            if not o.id.startswith(o.nation + "."):
                self.problem((*path, "id"), f"option ids start with their nation: {o.nation}.…")
            cat = m.categories.get(o.category)
            if cat is None:
                self.problem((*path, "category"),
                             f"unknown role category {o.category!r}{hint(o.category, nation.roles)}")
                continue
            if o.category not in nation.roles:
                rule = " — it is limited to non-combat roles" if nation.non_combat and cat.combat else ""
                self.problem((*path, "category"),
                             f"{o.nation} may not take {o.category!r} roles{rule} "
                             f"(its roles: {', '.join(nation.roles)})")
            if o.pledge is not None:
                pledge = pledges.get(o.pledge)
                if pledge is None:
                    self.problem((*path, "pledge"), f"unknown pledge {o.pledge!r}{hint(o.pledge, pledges)}")
                elif pledge.nation != o.nation:
                    self.problem((*path, "pledge"), f"pledge {o.pledge!r} belongs to {pledge.nation}")
            if o.opens is not None:
                req = requests.get(o.opens)
                if req is None:
                    self.problem((*path, "opens"), f"unknown request {o.opens!r}{hint(o.opens, requests)}")
                elif req.sender != o.nation:
                    self.problem((*path, "opens"), f"request {o.opens!r} is sent by {req.sender}")
            real_time = cat.force and not nation.pledge_in_advance
            if o.response == "vote" and o.approval is None:
                self.problem((*path, "response"),
                             "response = \"vote\" puts an unprepared response to a vote: give an approval")
            if o.response is not None and self.model.live_crisis is None:
                self.problem((*path, "response"), "a response option needs a [live_crisis]")
            if real_time and o.approval is None:
                self.problem((*path, "approval"),
                             f"{o.nation} commits forces only in real time: a {o.category!r} "
                             "option needs an approval (e.g. Parliament)")
            approval = None
            if o.approval is not None:
                approval = Approval(
                    o.approval.body,
                    self.chance((*path, "approval", "chance"), o.approval.chance),
                    self.effects((*path, "approval", "on_denied"), o.approval.on_denied),
                )
            out[o.id] = OptionInfo(
                id=o.id, nation=o.nation, name=o.name, text=o.text, category=o.category,
                category_name=cat.name,
                available=None if o.available is None else self.expression((*path, "available"), o.available, "bool"),
                once=o.once, posture=o.posture,
                reason=o.reason or f"{nation.name}: {o.name}",
                effects=self.effects((*path, "effects"), o.effects),
                chance=self.chance((*path, "chance"), o.chance),
                on_success=self.effects((*path, "on_success"), o.on_success),
                on_failure=self.effects((*path, "on_failure"), o.on_failure),
                pledge=o.pledge, opens=o.opens, approval=approval, real_time=real_time,
                response=o.response,
            )
        for i, r in enumerate(m.requests):
            info = requests.get(r.id)
            if info is None:
                continue
            for to in r.to:
                nation = nations.get(to)
                if nation is None:
                    continue
                for option in self.answer_options(i, info, nation.id):
                    if option.id in out:
                        self.problem(("requests", i, "id"), f"answer option {option.id!r} clashes with an option")
                    out[option.id] = option
        return out

    def answer_options(self, i: int, req: RequestInfo, nation_id: str) -> list[OptionInfo]:
        m = self.model
        r = m.requests[i]
        nation = next(n for n in m.nations if n.id == nation_id)
        path: KeyPath = ("requests", i, "answers")
        out = []
        kinds: list[tuple[AnswerKind, str | None]] = []
        defines: tuple[AnswerKind, ...] = ("public", "private")
        for kind in defines:
            for cat_id in r.categories:
                cat = m.categories.get(cat_id)
                if cat is None or cat_id not in nation.roles:
                    continue
                if cat.force and not nation.pledge_in_advance:
                    continue  # defining a force role in advance would be a pledge in advance
                kinds.append((kind, cat_id))
        kinds += [("defer", None), ("decline", None)]
        for kind, answered_role in kinds:
            answer = getattr(r.answers, kind)
            texts = list(answer.effects)
            name = answer.name
            if answered_role is not None:
                cat = m.categories[answered_role]
                texts += cat.role_effects
                name = f"{answer.name}: {cat.name}"
            role_name = m.categories[answered_role].name if answered_role else None
            suffix = f"{kind}_{answered_role}" if answered_role else kind
            option_id = f"{nation_id}.{r.id}_{suffix}"
            out.append(OptionInfo(
                id=option_id, nation=nation_id, name=name, text=r.text,
                category=answered_role or "reply",
                category_name=role_name or "Reply to a request",
                available=None, once=False, posture=None,
                reason=_answer_reason(nation.name, kind, r.name, role_name),
                effects=self.effects((*path, kind, "effects"), texts, nation_id),
                chance=self.compile("1"), on_success=(), on_failure=(),
                pledge=None, opens=None, approval=None, real_time=False,
                answer=AnswerInfo(r.id, kind, answered_role, req.status_slots[nation_id], req.open_slot),
            ))
        return out


def _answer_reason(nation: str, kind: AnswerKind, request: str, category: str | None) -> str:
    if kind == "public":
        return f"{nation} publicly defined a role ({category}) in answer to {request}"
    if kind == "private":  # which role stays private: it is in the record's data, not its text
        return f"{nation} privately defined a role in answer to {request}"
    if kind == "defer":
        return f"{nation} deferred {request}"
    return f"{nation} declined {request}"
