"""A delegation's page in a real browser: headless Chromium (Debian's package, as .ci/run installs)
joins the United States' seat of a served game, takes a decision and sees the orders revealed;
then the room view shows the same reveal and the public board, and nothing of the seat.

Chromium is driven over the DevTools protocol (CDP) on a WebSocket, with the same client
library the server tests use; no downloaded browser build. Where no chromium is installed the
test is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.serving import ROOT, Delegate, Server, Watcher

TIMEOUT = 30.0


class Browser:
    """Headless Chromium with one page, driven over CDP."""

    def __init__(self, binary: str, profile: Path) -> None:
        profile.mkdir()
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "--window-size=1200,2000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(profile)})
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json() if t["type"] == "page"]
        self.ws: ClientConnection = connect(pages[0]["webSocketDebuggerUrl"], max_size=None).__enter__()
        self.ids = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv(timeout=TIMEOUT))
            if answer.get("id") == self.ids:
                assert "error" not in answer, answer
                return dict(answer["result"])

    def eval(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
            value = None if "exceptionDetails" in result else result["result"].get("value")  # not loaded yet
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"the page never showed: {expression}\n{self.eval('document.body.innerText')}")

    def close(self) -> None:
        self.ws.close()
        self.proc.kill()
        self.proc.wait(TIMEOUT)


def test_a_delegation_joins_in_chromium_decides_and_sees_the_reveal(tmp_path: Path) -> None:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("no chromium on PATH: install Debian's chromium (as .ci/run does) for the browser test")
    server = Server(["serve", "defining-roles", "--human", "us", "--human", "japan", "--seed", "3",
                     "--log", str(tmp_path / "game.jsonl"), "--linger", "3"], tmp_path)
    browser = Browser(binary, tmp_path / "profile")
    japan = Delegate(server.ws_url, server.code("japan"),
                     talk={1: [{"kind": "private", "to": ["us"], "text": "Tokyo to Washington, <i>quietly</i>"}]})
    room = Watcher(server.ws_url)
    try:
        japan.start()
        room.start()
        browser.call("Page.enable")
        browser.call("Page.navigate", url=server.info["seats"]["us"]["url"])
        assert browser.wait_for("document.getElementById('nation').textContent") == "United States"
        assert browser.eval("location.hash") == ""  # the code left the address bar
        assert "Logistics is your critical vulnerability" in browser.wait_for(
            "document.getElementById('private-brief').textContent")
        browser.wait_for("!!document.querySelector('#options input[value=\"us.request_roles\"]')")
        assert browser.eval("document.getElementById('send').disabled") is True
        # the negotiation phase: Japan's private word arrives; a public statement typed and sent
        said = browser.wait_for("[...document.querySelectorAll('#messages li')].map(li => li.textContent)"
                                ".find(t => t.includes('quietly'))")
        assert said == 'Week 1 — Japan to United States (private): "Tokyo to Washington, <i>quietly</i>"'
        assert browser.eval("document.querySelectorAll('#messages i').length") == 0  # text, never markup
        assert "2 more message(s)" in browser.eval("document.getElementById('talk-limit').textContent")
        browser.eval("document.getElementById('say-text').value = 'Washington stands by its <b>partners</b>'")
        browser.eval("document.getElementById('say-send').click()")
        browser.wait_for("[...document.querySelectorAll('#messages li.statement.mine')]"
                         ".some(li => li.textContent.includes('stands by its <b>partners</b>'))")
        assert browser.wait_for("document.getElementById('say-text').value === ''")
        assert "1 more message(s)" in browser.eval("document.getElementById('talk-limit').textContent")
        offers = browser.eval("[...document.querySelectorAll('#offer-to option')].map(o => o.textContent)")
        assert "Japan" in offers and "United States" not in offers
        assert browser.eval("[...document.querySelectorAll('#signal-id option')].map(o => o.value)") == ["red_line"]
        # two forms sent at once, one message left: the statement is sent and its field emptied, the
        # private message refused and kept; each button is disabled until its own answer
        browser.eval("document.getElementById('say-text').value = 'Two at once'")
        browser.eval("document.querySelector('#tell-to input[value=\"japan\"]').checked = true")
        browser.eval("document.getElementById('tell-text').value = 'Over the limit'")
        disabled = browser.eval("(() => { const say = document.getElementById('say-send');"
                                " say.click(); const first = say.disabled; say.click();"
                                " document.getElementById('tell-send').click();"
                                " return [first, document.getElementById('tell-send').disabled]; })()")
        assert disabled == [True, True]
        browser.wait_for("document.getElementById('status').textContent.startsWith('Refused')")
        browser.wait_for("!document.getElementById('tell-send').disabled && "
                         "!document.getElementById('say-send').disabled")
        assert browser.eval("document.getElementById('say-text').value") == ""
        assert browser.eval("document.getElementById('tell-text').value") == "Over the limit"
        assert "has sent its 2 message" in browser.eval("document.getElementById('status').textContent")
        browser.wait_for("[...document.querySelectorAll('#messages li')].filter(li => li.textContent.includes("
                         "'Two at once')).length === 1")
        # the game-long numbers, as on the full screen ("2 Ask partners…", "6 — Airlift…"): typed, they pick
        assert "6. — Airlift munitions forward" in browser.eval("document.getElementById('options').textContent")
        assert " of " in browser.eval("document.getElementById('options-open').textContent")
        pick = ("(n => { const f = document.getElementById('option-number'); f.value = n;"
                " f.dispatchEvent(new Event('input')); return document.getElementById('option-number-status')"
                ".textContent; })")
        assert browser.eval(pick + "('6')").startswith("Not now: Airlift munitions forward")
        assert browser.eval("document.getElementById('send').disabled") is True
        assert browser.eval(pick + "('2')") == "Chosen: 2. Ask partners to define their roles"
        assert browser.eval("document.querySelector('#options input:checked').value") == "us.request_roles"
        browser.eval("document.getElementById('note').value = 'Ask them now <b>before</b> the drills'")
        browser.eval("document.getElementById('send').click()")
        title = browser.wait_for("!document.getElementById('reveal').hidden && "
                                 "document.getElementById('reveal-title').textContent")
        assert title.startswith("Orders revealed")
        revealed = browser.eval("[...document.querySelectorAll('#reveal-list li')].map(li => li.textContent)")
        assert any(line.startswith("United States: Ask partners to define their roles") for line in revealed)
        assert any(line.startswith("Japan: ") for line in revealed)
        board = browser.eval("document.getElementById('board').textContent")
        assert "Week" in board
        assert browser.eval("document.querySelectorAll('#board *').length") == 0  # text, never markup
        # the note stays with its delegation: not in Japan's frames
        assert japan.decided and all("before</b>" not in f for f in japan.frames)
        # the room view on the projector: the public board and the orders, no seat, no brief
        browser.call("Page.navigate", url=server.info["room"])
        browser.wait_for("!document.getElementById('reveal').hidden")
        room_text = browser.eval("document.body.innerText")
        assert "Orders revealed" in room_text and "Situation board" in room_text
        assert "Logistics is your critical vulnerability" not in room_text and "Your decision" not in room_text
        assert "stands by its <b>partners</b>" in room_text and "quietly" not in room_text  # public only
        assert any("stands by its" in f for f in japan.frames)
    finally:
        browser.close()
        server.kill()


def test_the_white_cell_fires_an_inject_and_adjusts_a_track_from_its_page_in_chromium(tmp_path: Path) -> None:
    """The facilitator code's page in Chromium: the injects with their effects, firing one, adjusting
    a track, starting the turn, ending the game and closing it; the room sees the inject and the
    record verifies with the White cell's actions in it."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("no chromium on PATH: install Debian's chromium (as .ci/run does) for the browser test")
    log = tmp_path / "game.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--facilitator", "--seed", "3", "--log", str(log),
                     "--linger", "0"], tmp_path)
    browser = Browser(binary, tmp_path / "profile")
    us = Delegate(server.ws_url, server.code("us"))
    room = Watcher(server.ws_url)
    try:
        us.start()
        room.start()
        browser.call("Page.enable")
        browser.call("Page.navigate", url=server.info["white"]["url"])
        assert "Before Week 1" in browser.wait_for("!document.getElementById('white').hidden && "
                                                   "document.getElementById('white-where').textContent")
        aspen = "document.querySelector('#injects button[data-inject=\"aspen_meeting\"]')"
        listed = browser.wait_for(f"{aspen} && {aspen}.parentElement.textContent")
        assert "Crisis channel +1" in listed and "due Week 4" in listed
        assert browser.eval(f"{aspen}.parentElement.className") == ""
        browser.eval("document.getElementById('inject-reason').value = 'The channel needs a <b>push</b>'")
        browser.eval(f"{aspen}.click()")
        assert "Aspen Strategy Group meets" in browser.wait_for(
            "document.getElementById('status').textContent.startsWith('Done') && "
            "document.getElementById('status').textContent")
        # brought forward from Week 4: spent, listed as fired early (and dimmed), not as due
        browser.wait_for(f"{aspen}.parentElement.textContent.includes('fired early: it will not fire again in Week 4')")
        assert browser.eval(f"{aspen}.parentElement.className") == "done"
        browser.wait_for("document.getElementById('board').textContent.includes('Aspen Strategy Group meets')")
        assert browser.eval("document.querySelectorAll('#board *, #injects strong *, #status *').length") == 0

        # adjust a track: its limits are shown; a value beyond them is refused in words
        browser.eval("const e = document.querySelector('#adjust-change .name'); e.value = 'cohesion'; "
                     "e.dispatchEvent(new Event('change'))")
        assert "(from 0 to 10)" in browser.eval("document.querySelector('#adjust-change .limits').textContent")
        browser.eval("document.querySelector('#adjust-change .op').value = '='")
        browser.eval("document.querySelector('#adjust-change .amount').value = '12'")
        browser.eval("document.getElementById('adjust-reason').value = 'Allies are rattled'")
        browser.eval("document.getElementById('adjust-send').click()")
        assert "cohesion runs from 0 to 10" in browser.wait_for(
            "document.getElementById('status').textContent.startsWith('Refused') && "
            "document.getElementById('status').textContent")
        # tracks hold whole numbers: the amount steps in ones, and a fraction is refused on the page
        assert browser.eval("document.querySelector('#adjust-change .amount').step") == "1"
        browser.eval("document.querySelector('#adjust-change .op').value = '-='")
        browser.eval("document.querySelector('#adjust-change .amount').value = '0.00001'")
        browser.eval("document.getElementById('adjust-send').click()")
        assert "whole numbers" in browser.eval("document.getElementById('status').textContent")
        # an empty chance is not 0%: the proposal is not sent
        browser.eval("document.getElementById('propose-text').value = 'A hotline'")
        browser.eval("document.getElementById('propose-percent').value = ''")
        browser.eval("document.getElementById('propose-send').click()")
        assert "Give the chance of success" in browser.eval("document.getElementById('status').textContent")
        browser.eval("document.querySelector('#adjust-change .amount').value = '1'")
        browser.eval("document.getElementById('adjust-send').click()")
        assert "Facilitator adjusts Coalition cohesion -1" in browser.wait_for(
            "document.getElementById('status').textContent.includes('adjusts') && "
            "document.getElementById('status').textContent")

        # start the turn; the delegation decides; the game waits for the White cell again
        browser.eval("document.getElementById('go').click()")
        assert "Before Week 2" in browser.wait_for(
            "document.getElementById('white-where').textContent.includes('Week 2') && "
            "document.getElementById('white-where').textContent")
        assert browser.eval("[...document.querySelectorAll('#white-results li')].some("
                            "li => li.textContent.startsWith('United States: '))")
        browser.eval("document.getElementById('end-title').value = 'Talks resume'")
        browser.eval("document.getElementById('end-send').click()")
        assert "End the game now" in browser.eval("document.getElementById('status').textContent")  # ticked first
        browser.eval("document.getElementById('end-sure').click()")
        browser.eval("document.getElementById('end-send').click()")
        browser.wait_for("document.getElementById('outcome-text').textContent === 'Talks resume' && "
                         "document.getElementById('go').textContent === 'Close the game' && "
                         "!document.getElementById('go').disabled")
        browser.eval("document.getElementById('go').click()")
        room.join(TIMEOUT)
        us.join(TIMEOUT)
        assert room.outcome == "Talks resume" and us.outcome == "Talks resume"
        assert server.wait() == 0, server.stderr()
    finally:
        browser.close()
        server.kill()
    assert "Aspen Strategy Group meets" in "\n".join(room.frames)
    verified = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)
    assert verified.returncode == 0, verified.stderr
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert [e["action"] for e in recorded if e["kind"] == "facilitator"] == ["inject", "adjust", "end"]
    assert any(e.get("reason") == "The channel needs a <b>push</b>" for e in recorded)
