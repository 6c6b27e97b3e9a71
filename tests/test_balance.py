"""The flagship's balance, held by a small sweep (tests/balance.py) so a future edit cannot
silently undo it. The figures in docs/balance.md come from the same code with more games:

    python tests/balance.py defining-roles 1000
    python tests/balance.py defining-roles 1000 --compare
    python tests/balance.py pacific-pact 1000 --compare

Each property is asserted where a 95% interval clears it, or with a margin a few hundred games
keep; a game is a function of its seed, so these tests are deterministic.
"""

from __future__ import annotations

from functools import cache

from tests.balance import (
    BEIJING,
    Tally,
    compare,
    comparisons,
    never,
    prefer,
    scenario_named,
    shift,
    sweep,
    total_variation,
    wilson,
)
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants

GAMES = 160
BEIJING_WINS = BEIJING["defining-roles"]
COMMIT = "australia.commit_forces"


@cache
def flagship() -> Scenario:
    return scenario_named("defining-roles")


@cache
def explored() -> Tally:
    return sweep(flagship(), 300, explore=0.25)


@cache
def bots() -> Tally:
    """Every seat the default bot: the game as a sweep plays it."""
    return sweep(flagship(), 300)


@cache
def stockpile_arms() -> tuple[Tally, Tally]:
    return compare(flagship(), GAMES, {"us": prefer("us.stockpiles")},
                   {"us": never("us.stockpiles"),
                    "australia": never("australia.open_stockpiles", "australia.live_stockpiles")})


def test_the_harness_plays_the_bots_that_play() -> None:
    """tests/balance.py's default bots are the game's: a bot-only game through the session loop
    (where bots make offers only to people, so none here) ends in the same state."""
    from tests.balance import play as harness
    from wargame.game import Game, bot_seats, play
    from wargame.players.bot import Bot

    scenario = flagship()
    bot = Bot(scenario, explain=False)
    for seed in range(12):
        game = Game(scenario, seed)
        play(game, bot_seats(scenario, explain=False))
        assert harness(scenario, seed, bot)[0] == game.state, f"seed {seed}"
        assert not any(e.kind == "message" and e.data["message"] != "signal" for e in game.history)


def test_beijing_wins_a_real_share_and_china_reaches_its_objectives() -> None:
    for tally in (explored(), bots()):
        assert sum(tally.share(o) for o in BEIJING_WINS) >= 0.15
        assert tally.achieved("china") >= 0.05


def test_every_option_is_chosen_and_every_inject_fires() -> None:
    s, tally = flagship(), explored()
    assert [o for o in s.options if o not in tally.chosen] == []
    assert [g for g in s.signals if f"signal:{g}" not in tally.chosen] == []
    assert [i.id for i in s.injects if i.id not in tally.fired] == []
    bare = stockpile_arms()[1]  # the thin end of the live crisis: a standoff at sea, without the stocks
    assert {o.id for o in s.outcomes} <= set(tally.outcomes) | set(bots().outcomes) | set(bare.outcomes)


def test_no_track_sits_at_its_limit_for_most_of_the_game() -> None:
    tally = explored()
    for track, games in tally.pinned.items():
        assert games / tally.games <= 0.25, track


def test_diplomacy_alone_is_no_costless_strategy() -> None:
    dove, _ = compare(flagship(), GAMES, {"us": prefer("us.hotline", "us.aspen_message"),
                                          "taiwan": prefer("taiwan.status_quo")}, {})
    assert dove.share("managed_deescalation") >= 0.4  # it does calm the Strait...
    assert dove.achieved("us") <= 0.1 and dove.achieved("taiwan") <= 0.1  # ...at their own objectives' cost


def test_australias_real_time_commitment_decides_the_joint_response() -> None:
    commit, hold = compare(flagship(), GAMES, {"australia": prefer("australia.commit_forces")},
                           {"australia": never("australia.commit_forces")})
    _, lo, _ = shift(commit, hold, "joint_response")
    assert lo > 0
    _, _, hi = shift(commit, hold, "us_alone")
    assert hi < 0
    assert commit.achieved("australia") < hold.achieved("australia")  # it costs Canberra at home


def test_australia_commits_in_real_time_in_a_real_share_of_bot_games() -> None:
    """The scenario's central rule, live for the default bots: Australia puts a force commitment
    to Parliament in a real share of games (target 15-40%), never in advance (every commitment
    goes to the vote), and Parliament refuses some; pre-authorisation makes it far likelier."""
    tally = bots()
    lo, hi = wilson(tally.games_with[COMMIT], tally.games)
    assert lo >= 0.12 and hi <= 0.45
    votes = tally.approvals[(COMMIT, True)] + tally.approvals[(COMMIT, False)]
    assert votes == tally.chosen[COMMIT]  # each commitment went to Parliament
    assert tally.approvals[(COMMIT, True)] and tally.approvals[(COMMIT, False)]
    preauthorised = sweep(apply_variants(flagship(), ["australia_preauthorised"]), GAMES)
    assert wilson(preauthorised.games_with[COMMIT], preauthorised.games)[0] > hi


def test_australias_choice_in_real_time_decides_the_joint_response() -> None:
    a, b, explore = comparisons(flagship())["australia decides in real time (the bot) vs never commits"]
    assert not a and explore == 0.0  # the bot's own choice: the same games as bots()
    never_commits = compare(flagship(), bots().games, {}, b, explore)[1]
    _, lo, _ = shift(bots(), never_commits, "joint_response")
    assert lo > 0 and never_commits.share("joint_response") == 0


def test_japans_public_or_private_answer_shifts_the_outcomes() -> None:
    """A public answer from Tokyo deters (less conflict) but feeds Beijing's bloc-politics wedge
    (the coalition fractures more) and costs the government at home (source 000: Japan is
    cautious, limited to non-combat roles; source 003: visible alignment deters but accelerates
    competition). Every other seat is the default bot."""
    a, b, explore = comparisons(flagship())["japan answers publicly vs privately"]
    public, private = compare(flagship(), 600, a, b, explore)
    assert total_variation(public, private) >= 0.1
    _, lo, _ = shift(public, private, "coalition_fractures")
    assert lo > 0
    _, _, hi = shift(public, private, "conflict")
    assert hi < 0
    assert public.achieved("japan", "support_at_home") + 0.1 < private.achieved("japan", "support_at_home")


def test_the_flagship_bots_sometimes_answer_colby_publicly() -> None:
    """Colby asked partners to define their roles (source 000), and a public answer is a live
    choice for the default bots: Tokyo answers publicly in a real share of games (the scenario
    waives a public role's cost at home from the quarantine rung on, when Beijing's pressure is
    plain to see) and privately in others; Canberra, whose answer comes earlier, privately."""
    tally = bots()
    public = sum(tally.games_with[f"japan.colby_public_{c}"] for c in ("logistics", "intelligence", "humanitarian"))
    private = sum(tally.games_with[f"japan.colby_private_{c}"] for c in ("logistics", "intelligence", "humanitarian"))
    lo, hi = wilson(public, tally.games)
    assert lo >= 0.15 and hi <= 0.6, (public, tally.games)
    assert wilson(private, tally.games)[0] >= 0.3
    assert public + private <= tally.games  # one answer a game


def test_the_stockpiles_matter_in_the_direction_the_source_says() -> None:
    stocked, bare = stockpile_arms()
    _, _, hi = shift(stocked, bare, "quarantine_holds")
    assert hi < 0
    assert stocked.achieved("taiwan") > bare.achieved("taiwan")


# ---------------------------------------------------------------- the Pacific Defense Pact

PACT_BEIJING = BEIJING["pacific-pact"]


@cache
def pact() -> Scenario:
    return scenario_named("pacific-pact")


@cache
def pact_explored() -> Tally:
    return sweep(pact(), 300, explore=0.25)


@cache
def pact_bots() -> Tally:
    return sweep(pact(), GAMES)


def test_the_pact_can_be_ratified_stalled_or_tested() -> None:
    for tally in (pact_explored(), pact_bots()):
        assert sum(tally.share(o) for o in PACT_BEIJING) >= 0.15
        assert tally.share("pact_ratified") > 0 and tally.share("pact_tested") >= 0.1
        for track, games in tally.pinned.items():
            assert games / tally.games <= 0.25, track
    assert {o.id for o in pact().outcomes} <= set(pact_explored().outcomes) | set(pact_bots().outcomes)


def test_every_pact_option_is_chosen_and_every_inject_fires() -> None:
    # two kinds of player between them: the explorer, and a wilder one facing Washington's
    # request from the first turn (the answers are open only once it is made)
    s, tally, bots = pact(), pact_explored(), pact_bots()
    asked = sweep(s, 150, explore=0.5, policies={"us": prefer("us.request_roles")})
    chosen = set(tally.chosen) | set(asked.chosen) | set(bots.chosen)
    assert [o for o in s.options if o not in chosen] == []
    assert [g for g in s.signals if f"signal:{g}" not in chosen] == []
    assert [i.id for i in s.injects if i.id not in tally.fired and i.id not in asked.fired] == []


def test_contributions_defined_in_advance_decide_the_standoff() -> None:
    defined = ("japan.contributions_private_intelligence", "australia.contributions_private_access",
               "philippines.contributions_private_access", "south_korea.contributions_private_logistics")
    declined = tuple(f"{o.split('.')[0]}.contributions_decline" for o in defined)
    ask = prefer("us.request_roles")
    a, b = compare(pact(), GAMES, {"us": ask, **{o.split(".")[0]: prefer(o) for o in defined}},
                   {"us": ask, **{o.split(".")[0]: prefer(o) for o in declined}})
    _, lo, _ = shift(a, b, "pact_tested")
    assert lo > 0
    _, _, hi = shift(a, b, "allies_alone")
    assert hi < 0


def test_munitions_pre_positioned_decide_part_of_the_standoff() -> None:
    """Source 001: pre-positioned munitions; without them stocks run down at the shoal. Every
    other seat the default bot (with the explorer on the other choices the effect is smaller,
    since a random Australian commitment at the shoal also brings readiness: docs/balance.md)."""
    a, b, explore = comparisons(pact())["munitions pre-positioned vs none, the other seats the bots"]
    stocked, bare = compare(pact(), 600, a, b, explore)
    _, lo, _ = shift(stocked, bare, "pact_tested")
    assert lo > 0


def test_australias_real_time_commitment_can_help_the_allies_at_the_shoal() -> None:
    """Source 000: Canberra commits forces only in real time, on the national interest, with
    Parliament's approval. In the pact the commitment, open only during the standoff and always
    put to Parliament, makes the allies' acting together likelier without making a clash likelier
    (no extra rung at the standoff), at a cost to Canberra at home; the default bots choose it in
    a real share of games (when support at home makes approval likely)."""
    a, b, explore = comparisons(pact())["australia commits at the shoal at once vs never, the other seats the bots"]
    commit, hold = compare(pact(), 800, a, b, explore)
    _, lo, _ = shift(commit, hold, "pact_tested")
    assert lo > 0
    d, _, _ = shift(commit, hold, "clash")
    assert d < 0.02
    assert commit.finals["australia.support"] < hold.finals["australia.support"]  # it costs at home
    tally = pact_bots()
    lo, hi = wilson(tally.games_with[COMMIT], tally.games)
    assert lo >= 0.1 and hi <= 0.5, tally.games_with[COMMIT]
    votes = tally.approvals[(COMMIT, True)] + tally.approvals[(COMMIT, False)]
    assert votes == tally.chosen[COMMIT] and tally.approvals[(COMMIT, False)]  # always to Parliament


# ---------------------------------------------------------------- the seminar variants


def test_the_seminar_variant_plays_six_turns_and_reaches_every_kind_of_ending() -> None:
    from wargame.scenario.variants import apply_variants

    for name, beijing in (("defining-roles", BEIJING_WINS), ("pacific-pact", PACT_BEIJING)):
        seminar = apply_variants(scenario_named(name), ["seminar"])
        assert seminar.turns == 6 and seminar.messages == 1
        tally = sweep(seminar, GAMES, explore=0.25)
        assert max(t for t in tally.lengths) <= 6 + (seminar.live.turns if seminar.live else 0)
        assert sum(tally.share(o) for o in beijing) >= 0.1, name
        assert tally.live / tally.games >= 0.2, name  # the live crisis is played in a real share
        assert len([o for o in seminar.outcomes if tally.outcomes[o.id]]) >= 6, name


def test_the_timing_script_plays_the_harness_games(capsys) -> None:  # type: ignore[no-untyped-def]
    """scripts/when_chosen.py (the timing figures in docs/balance.md) plays the same games as
    tests/balance.py: the same count of games with Australia's commitment on the same seeds."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "when_chosen.py"
    spec = importlib.util.spec_from_file_location("when_chosen", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["pacific-pact", "60", COMMIT, "--track", "australia.support"]) == 0
    out = capsys.readouterr().out
    expected = sweep(pact(), 60).games_with[COMMIT]
    assert f"chosen in {expected} games" in out and expected > 0
