"""What both `wargame join` clients (the line client, wargame.serve.client, and the full screen,
wargame.tui.remote) share: the server's address from a page address, the rule for trying again,
a failed connection in words, a server frame checked as a wargame message, and a message typed
as at the table's prompt turned into its `send` frame."""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from wargame.engine.negotiation import MAX_TEXT
from wargame.errors import UsageError
from wargame.players.script import addressees
from wargame.serve.protocol import MAX_FRAME

VERBS = {"say": "statement", "tell": "private", "offer": "offer", "signal": "signal"}  # as at the table's prompt
TALK_HELP = ("Before your order you may send messages: say TEXT (public), tell NATION[,NATION] TEXT (private), "
             "offer NATION THEIR_OPTION OUR_OPTION [TEXT], signal ID [TEXT] (a costly signal); "
             "? lists the nations, signals and options to name.")
RECONNECT_FOR = 300.0  # seconds of attempts after a drop (a host restarting), pauses growing to 5 s
FIRST_TRIES = 2  # attempts to reach a server never reached yet: a mistyped address should not hang
HELD = "Held by the White cell: decisions wait until it starts the next turn."  # the snapshot's `held`


def socket_url(url: str) -> tuple[str, str | None]:
    """The WebSocket address for a page address (http -> ws, https -> wss, path /ws), and a code
    found in its fragment (#code=...), if any."""
    scheme: str | None = None
    port: int | None = None
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")  # ValueError: an unclosed [ or a bad IPv6 name
        scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme)
        port = parts.port  # ValueError: not a number, or out of range
        (parts.hostname or "").encode("idna")  # UnicodeError: an empty or overlong name part
    except (ValueError, UnicodeError):
        scheme = None
    if scheme is None or not parts.hostname or port == 0:
        raise UsageError(f"{url}: not a wargame server address (e.g. http://192.168.1.20:8765/)")
    code = parse_qs(parts.fragment).get("code", [None])[0]
    return urlunsplit((scheme, parts.netloc, "/ws", "", "")), code


def untrusted(err: BaseException) -> bool:
    """Whether a failed connection was a certificate this machine does not trust (trying again
    cannot help)."""
    return isinstance(err, ssl.SSLCertVerificationError)


def why_not(err: BaseException, url: str) -> str:
    """A failed connection in words, with what to do where that is known: a host's certificate
    not trusted here, or a plain http:// address for a host that serves https."""
    said = str(err) or type(err).__name__
    if untrusted(err):
        return (f"{said}; the host's certificate is not trusted on this machine: get a copy of it "
                "(cert.pem) from the host and run with SSL_CERT_FILE=cert.pem (see docs/serve.md)")
    if url.startswith("http://") and "valid HTTP response" in said:
        return f"{said}; if the host serves with --certfile, use its https:// address"
    return said


def server_frame(raw: str | bytes) -> dict[str, Any]:
    """A frame from the server as a JSON object; ValueError for anything else (the client then
    treats the connection as dropped, as the full-screen client does)."""
    frame = json.loads(raw)
    if not isinstance(frame, dict):
        raise ValueError("the server sent a frame that is not a wargame message")
    return frame


def talk_frame(line: str, turn: object, negotiation: Mapping[str, Any] | None) -> dict[str, Any] | str:
    """The `send` frame for a message typed as at the table's prompt (`say TEXT`, `tell
    NATION[,NATION] TEXT`, `offer NATION THEIR_OPTION OUR_OPTION [TEXT]`, `signal ID [TEXT]`) for
    `turn`, or what is wrong with it; `negotiation` is the seat's snapshot field (nations typed
    by name). Too long a message (over MAX_TEXT characters, or a frame over the server's
    MAX_FRAME bytes) is refused here, in words. The host judges the rest: nations, options,
    signals, the limit."""
    verb, _, rest = line.strip().partition(" ")
    kind = VERBS.get(verb.lower())
    if kind is None:
        return "start with say, tell, offer or signal"
    words = rest.split()
    frame: dict[str, Any] = {"type": "send", "turn": turn, "kind": kind}
    needs = {"private": 1, "offer": 3, "signal": 1}.get(kind, 0)
    if len(words) < needs:
        return "expected " + {"private": "tell NATION[,NATION] TEXT", "offer": "offer NATION THEIR_OPTION "
                              "OUR_OPTION [TEXT]", "signal": "signal ID [TEXT]"}[kind]
    if kind == "private":  # the table's rule for the addressees (`japan, australia` too)
        names, said = addressees(words)
        frame["to"] = [nation_id(n, negotiation) for n in names]
        words, needs = ["", *said], 1  # the text is what follows the addressees
    elif kind == "offer":
        frame.update(to=[nation_id(words[0], negotiation)], if_option=words[1], then_option=words[2])
    elif kind == "signal":
        frame["signal"] = words[0]
    frame["text"] = " ".join(words[needs:])
    if len(frame["text"]) > MAX_TEXT:  # the server would refuse it; over MAX_FRAME it would drop the line
        return f"a message is at most {MAX_TEXT} characters; yours is {len(frame['text'])}"
    size = len(json.dumps(frame).encode())
    if size > MAX_FRAME:
        return f"the message is {size} bytes as sent, over the server's {MAX_FRAME}; shorten it"
    return frame


def nation_id(word: str, negotiation: Mapping[str, Any] | None) -> str:
    """A nation typed by id or by its one-word name, in any case, as the host knows it."""
    for nation in (negotiation or {}).get("nations") or []:
        if isinstance(nation, Mapping) and word.casefold() in (
                str(nation.get("id", "")).casefold(), str(nation.get("name", "")).casefold().replace(" ", "")):
            return str(nation["id"])
    return word
