// The delegation page and the room view. Every text from the server (scenario, game, users) is put
// into the page with textContent, never as HTML; the page's policy forbids inline code anyway.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const mode = document.body.dataset.mode; // "seat" (delegation or White cell) or "room"
  let ws = null;
  let code = null;
  let refused = false;
  let retries = 0;
  let turn = 0;
  let chosen = null;
  let shown = []; // the options last listed, each with its game-long number `n`
  let clock = null; // {left, at, paused}

  function setText(id, value) { $(id).textContent = value == null ? "" : String(value); }
  function show(id, visible) { $(id).hidden = !visible; }
  function status(message) { setText("status", message); }
  function element(tag, value, cls) {
    const e = document.createElement(tag);
    if (value != null) e.textContent = String(value);
    if (cls) e.className = cls;
    return e;
  }
  function send(message, form) {
    if (!(ws && ws.readyState === WebSocket.OPEN)) return false;
    ws.send(JSON.stringify(message));
    if (message.type !== "hello") talkPending.push(form || null); // every frame after hello is answered once
    return true;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws");
    ws.onopen = () => {
      retries = 0;
      send(code ? { type: "hello", code: code } : { type: "hello" });
      status("Connected.");
    };
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (err) { return; }
      handle(message);
    };
    ws.onclose = () => {
      if (refused) return;
      status("Connection lost — reconnecting…");
      talkAnswered(null, false, true);
      setTimeout(connect, Math.min(500 * 2 ** retries++, 10000));
    };
  }

  function handle(message) {
    if (message.type === "welcome") {
      if (mode === "seat") {
        show("join", false);
        if (message.kind === "seat") { setText("nation", message.name); show("delegation", true); }
        if (message.kind === "white") { show("white", true); document.title = "wargame — White cell"; }
        try { sessionStorage.setItem("wargame-code", code); } catch (err) { /* private mode */ }
      }
    } else if (message.type === "state") {
      render(message);
      if (message.white) renderWhite(message.white, message.phase);
    } else if (message.type === "error") {
      if (message.code === "bad-code" || message.code === "invalid") {
        refused = true;
        code = null;
        try { sessionStorage.removeItem("wargame-code"); } catch (err) { /* private mode */ }
        show("join", true);
      }
      status("Refused: " + message.message);
      talkAnswered(talkPending.shift(), false); // a refused message stays in its field, to be mended
      if (mode === "seat") $("send").disabled = chosen === null; // try again
    } else if (message.type === "ack") {
      status(message.message);
      talkAnswered(talkPending.shift(), true);
    }
  }

  function render(state) {
    turn = state.turn;
    setText("title", state.scenario);
    setText("marking", state.marking);
    setText("turn", state.label + " (turn " + state.turn + " of " + state.turns + ")");
    const waiting = state.phase === "joining"
      ? "Waiting for delegations to join: " + state.seats.filter((s) => !s.joined).map((s) => s.name).join(", ")
      : state.waiting_for.length ? "Still deciding: " + state.waiting_for.join(", ")
      : state.held && state.phase !== "over" ? "The White cell is preparing the next turn." : "";
    const away = state.seats.filter((s) => s.joined && !s.connected).map((s) => s.name);
    const said = [waiting, away.length ? "Away (no screen connected): " + away.join(", ") : ""]
      .filter((part) => part).join(" — ");
    setText("waiting-text", said);
    show("waiting", said !== "");
    if (state.reveal) {
      setText("reveal-title", "Orders revealed — " + state.reveal.label);
      const list = $("reveal-list");
      list.replaceChildren(...state.reveal.decisions.map((d) => element("li", d)));
    }
    show("reveal", Boolean(state.reveal));
    setText("outcome-text", state.outcome);
    show("outcome", Boolean(state.outcome));
    if (state.board !== null) setText("board", state.board); // null: the board has not changed
    show("situation", true);
    clock = state.clock && state.clock.left != null
      ? { left: state.clock.left, at: Date.now(), paused: state.clock.paused } : null;
    tick();
    if (state.seat) renderSeat(state.seat);
    renderMessages(state.messages || [], Boolean(state.seat && state.seat.negotiation));
    if (state.white) setText("white-decided", state.white.decided.length
      ? "Decided (sealed): " + state.white.decided.join(", ") : "");
  }

  function renderSeat(seat) {
    setText("nation", seat.name);
    setText("role", seat.role ? "Your role: " + seat.role : "");
    setText("private-brief", seat.private_brief);
    setText("public-brief", seat.public_brief);
    show("delegation", true);
    show("decide", seat.due);
    if (seat.due) renderOptions(seat.options);
    renderTalk(seat);
    show("decided", Boolean(seat.decided));
    if (seat.decided) {
      setText("decided-text", seat.decided.name + (seat.decided.note ? " — " + seat.decided.note : "")
        + ". It is revealed when every delegation has decided.");
    }
  }

  function renderOptions(options) {
    const list = $("options");
    const keep = chosen;
    chosen = null;
    list.replaceChildren();
    shown = options;
    // Each option under its game-long number `n`, as at the table: closed ones too, with why.
    for (const option of options) {
      const item = element("li", null, option.ok ? "open" : "closed");
      item.value = option.n;
      const label = element("label");
      if (option.ok) {
        const radio = element("input");
        radio.type = "radio";
        radio.name = "option";
        radio.value = option.id;
        radio.id = "option-" + option.n;
        radio.addEventListener("change", () => { chosen = option.id; $("send").disabled = false; });
        if (keep === option.id) { radio.checked = true; chosen = keep; }
        label.append(radio, " " + option.n + ". ");
      } else {
        label.append(option.n + ". — ");
      }
      label.append(element("strong", option.name), " · " + option.category);
      item.append(label);
      if (option.text) item.append(element("span", option.text, "text"));
      if (option.ok) item.append(element("span", "→ " + option.does, "does"));
      else item.append(element("span", "not now: " + option.why_not, "why"));
      list.append(item);
    }
    if (chosen === null) { $("option-number").value = ""; setText("option-number-status", ""); }
    const open = options.filter((option) => option.ok).length;
    setText("options-open", open + " of " + options.length + " options open now; those marked — cannot be chosen"
      + " this turn. An option keeps its number all game.");
    $("send").disabled = chosen === null;
  }

  // "Type an option's number": picks the open option shown under that game-long number.
  function pickNumber() {
    const typed = $("option-number").value.trim();
    const option = shown.find((o) => String(o.n) === typed);
    if (!typed) { setText("option-number-status", ""); return; }
    if (!option) { setText("option-number-status", "Not an option's number: " + typed + "."); return; }
    if (!option.ok) { setText("option-number-status", "Not now: " + option.name + " — " + option.why_not); return; }
    $("option-" + option.n).checked = true;
    chosen = option.id;
    $("send").disabled = false;
    setText("option-number-status", "Chosen: " + option.n + ". " + option.name);
  }

  // The negotiation phase (docs/serve.md, "The protocol"): the messages this client may see,
  // and a seat's forms for a statement, a private message, an offer and a costly signal.
  const KINDS = ["statement", "private", "offer", "signal"];
  let talkKey = null;
  let talk = null;
  // the server answers every frame after hello once, in order: per frame awaiting its answer, the
  // text field of the form it was sent from (null: not a message); a form waits for its answer
  // with its button disabled (no double send), is emptied when its message is sent, kept if refused
  let talkPending = [];
  const TALK_BUTTONS = { "say-text": "say-send", "tell-text": "tell-send", "offer-text": "offer-send",
    "signal-text": "signal-send" };

  function renderMessages(messages, canTalk) {
    const list = $("messages");
    const grew = list.children.length !== messages.length;
    list.replaceChildren(...messages.map((m) => element("li", m.label + " — " + m.line,
      (KINDS.includes(m.kind) ? m.kind : "") + (m.mine ? " mine" : ""))));
    if (grew) list.scrollTop = list.scrollHeight;
    show("talk", messages.length > 0 || canTalk);
  }

  function renderTalk(seat) {
    talk = seat.negotiation;
    show("talk-forms", Boolean(talk && talk.open));
    if (!talk) return;
    setText("talk-limit", talk.open
      ? "Before your order you may send " + talk.left + " more message(s) this turn (at most " + talk.limit + " a turn)."
      : talk.left === 0 && seat.due ? "You have sent your " + talk.limit + " message(s) this turn."
        : "Messages are sent while your decision is due, before your order (at most " + talk.limit + " a turn).");
    const key = JSON.stringify([talk.nations, talk.options, talk.signals]);
    if (key === talkKey) return;
    talkKey = key;
    const ticked = new Set([...document.querySelectorAll("#tell-to input:checked")].map((box) => box.value));
    $("tell-to").replaceChildren(...talk.nations.map((nation) => {
      const box = element("input");
      box.type = "checkbox";
      box.value = nation.id;
      box.checked = ticked.has(nation.id);
      const label = element("label");
      label.append(box, " " + nation.name);
      return label;
    }));
    fillSelect("offer-to", talk.nations.map((n) => [n.id, n.name]));
    fillOfferIf();
    fillSelect("offer-then", talk.options.map((o) => [o.id, o.name]));
    fillSelect("signal-id", talk.signals.map((s) => [s.id, s.name + (s.ok ? "" : " (not now)")]));
    show("signal-set", talk.signals.length > 0);
    describeSignal();
  }

  function fillSelect(id, pairs) {
    const select = $(id);
    const keep = select.value;
    select.replaceChildren(...pairs.map(([value, label]) => {
      const option = element("option", label);
      option.value = value;
      return option;
    }));
    if (pairs.some(([value]) => value === keep)) select.value = keep;
  }

  function fillOfferIf() {
    const nation = talk ? talk.nations.find((n) => n.id === $("offer-to").value) : null;
    fillSelect("offer-if", nation ? nation.options.map((o) => [o.id, o.name]) : []);
  }

  function describeSignal() {
    const signal = talk ? talk.signals.find((s) => s.id === $("signal-id").value) : null;
    setText("signal-about", signal ? signal.text + " (" + signal.lands + ")" +
      (signal.ok ? "" : " — not now: " + signal.why_not) : "");
    $("signal-send").disabled = !signal || !signal.ok || talkPending.includes("signal-text");
  }

  function talkSend(message, input) {
    if (talkPending.includes(input)) return; // still waiting for this form's answer
    if (!send(Object.assign({ type: "send", turn: turn }, message), input)) {
      status("Not connected: the message was not sent.");
      return;
    }
    $(TALK_BUTTONS[input]).disabled = true;
  }

  function talkAnswered(input, sent, dropped) {
    if (dropped) { // no answer will come on a dropped connection: every form may send again
      const waiting = talkPending.filter((form) => form);
      talkPending = [];
      waiting.forEach((form) => { $(TALK_BUTTONS[form]).disabled = false; });
      describeSignal();
      return;
    }
    if (!input) return;
    if (sent) {
      $(input).value = "";
      if (input === "tell-text") document.querySelectorAll("#tell-to input").forEach((box) => { box.checked = false; });
    }
    $(TALK_BUTTONS[input]).disabled = false;
    if (input === "signal-text") describeSignal();
  }

  function setupTalk() {
    $("say-send").addEventListener("click", () =>
      talkSend({ kind: "statement", text: $("say-text").value.trim() }, "say-text"));
    $("tell-send").addEventListener("click", () => {
      const to = [...document.querySelectorAll("#tell-to input:checked")].map((box) => box.value);
      if (!to.length) { status("Tick the delegations the message is for."); return; }
      talkSend({ kind: "private", to: to, text: $("tell-text").value.trim() }, "tell-text");
    });
    $("offer-to").addEventListener("change", fillOfferIf);
    $("offer-send").addEventListener("click", () => talkSend({
      kind: "offer", to: [$("offer-to").value], if_option: $("offer-if").value,
      then_option: $("offer-then").value, text: $("offer-text").value.trim(),
    }, "offer-text"));
    $("signal-id").addEventListener("change", describeSignal);
    $("signal-send").addEventListener("click", () =>
      talkSend({ kind: "signal", signal: $("signal-id").value, text: $("signal-text").value.trim() }, "signal-text"));
  }

  function tick() {
    if (!clock) { setText("clock", ""); return; }
    const left = clock.paused ? clock.left : Math.max(0, clock.left - (Date.now() - clock.at) / 1000);
    setText("clock", clock.paused ? "Clock paused (" + Math.ceil(left) + " s left)" : Math.ceil(left) + " s left");
  }

  // ---------------------------------------------------------------- the White cell
  // Each command is a {"type": "white", "action": ...} frame (see docs/serve.md); the host checks
  // it against the scenario and the moment, carries it out as the terminal's White cell would and
  // answers with an ack or an error in words (shown in the status line).

  let names = []; // the tracks and flags the White cell may set: {name, label, kind, value, lo, hi}

  function white(action, fields) { send(Object.assign({ type: "white", action: action }, fields || {})); }

  function choices(select, items) { // items: [value, text]; keeps the choice where it can
    const keep = select.value;
    select.replaceChildren(...items.map(([value, text]) => {
      const option = element("option", text);
      option.value = value;
      return option;
    }));
    if (items.some(([value]) => value === keep)) select.value = keep;
  }

  function changeEditor(id) { // a name, an operation and an amount (true/false for a flag)
    const box = $(id);
    const name = element("select"); name.className = "name";
    const op = element("select"); op.className = "op";
    const amount = element("input"); amount.className = "amount"; amount.type = "number"; amount.step = "1";
    const flag = element("select"); flag.className = "flag";
    choices(flag, [["true", "set (true)"], ["false", "cleared (false)"]]);
    const limits = element("span", "", "limits");
    box.replaceChildren(name, op, amount, flag, limits);
    const sync = () => {
      const entry = names.find((n) => n.name === name.value);
      const isFlag = entry && entry.kind === "flag";
      choices(op, isFlag ? [["=", "="]] : [["+=", "up by"], ["-=", "down by"], ["=", "set to"]]);
      amount.hidden = isFlag; flag.hidden = !isFlag;
      limits.textContent = !entry ? "" : isFlag ? " now " + (entry.value ? "set" : "cleared")
        : " now " + entry.value + " (from " + entry.lo + " to " + entry.hi + ")";
    };
    name.addEventListener("change", sync);
    box.refresh = (optional) => {
      choices(name, (optional ? [["", "(no change)"]] : []).concat(names.map((n) => [n.name, n.label])));
      sync();
    };
    box.read = () => { // a change for the frame, null for none, or a string saying what is wrong
      if (!name.value) return null;
      const entry = names.find((n) => n.name === name.value);
      if (entry && entry.kind === "flag") return { name: name.value, op: "=", value: flag.value === "true" };
      const value = Number(amount.value);
      if (amount.value.trim() === "" || !Number.isFinite(value)) return "Give the amount of the change first.";
      if (!Number.isInteger(value)) return "Tracks hold whole numbers: give a whole amount, not a fraction.";
      return { name: name.value, op: op.value, value: value };
    };
    return box;
  }

  const editors = {};

  function changes(id) { // [] for no change, null (said in the status line) when the amount is not one
    const change = editors[id].read();
    if (typeof change === "string") { status(change); return null; }
    return change ? [change] : [];
  }

  function renderWhite(w, phase) {
    setText("white-decided", w.decided.length ? "Decided (sealed): " + w.decided.join(", ") : "");
    setText("white-where", w.holding ? "The game is waiting for you: " + w.holding + "."
      : phase === "deciding" ? "The delegations are deciding; injects, adjustments and proposals wait until "
        + "the turn is played (or undo to its start)."
      : phase === "joining" ? "Waiting for the delegations to join; you may act already." : "");
    $("go").disabled = !w.holding || w.console;
    $("go").textContent = phase === "over" ? "Close the game" : "Start the next turn";
    $("hold").checked = w.hold;
    $("hold").disabled = w.console;
    show("white-console", w.console);
    $("white-results").replaceChildren(...(w.results.length ? w.results : ["No turn played yet."])
      .map((line) => element("li", line)));
    const list = $("injects");
    list.replaceChildren(...w.injects.map((inject) => {
      const item = element("li", null, inject.done ? "done" : "");
      const fire = element("button", "Fire");
      fire.type = "button";
      fire.dataset.inject = inject.id;
      fire.disabled = !w.between;
      fire.addEventListener("click", () => white("inject", { inject: inject.id, reason: $("inject-reason").value.trim() }));
      item.append(fire, " ", element("strong", inject.title), " — ", element("span", inject.status, "status"),
        element("span", inject.effects, "does"));
      return item;
    }));
    names = w.names;
    for (const id of Object.keys(editors)) editors[id].refresh(id !== "adjust-change");
    choices($("propose-nation"), w.nations.map((n) => [n.id, n.name]));
    const undo = w.undo.turns.map((t) => ["turn:" + t.turn, "the start of " + t.label + " (turn " + t.turn + ")"]);
    if (w.undo.last_action) undo.push(["last", "only your last action: " + w.undo.last_action]);
    choices($("undo-to"), undo);
    $("undo-send").disabled = undo.length === 0;
    for (const id of ["adjust-send", "new-send", "propose-send"]) $(id).disabled = !w.between;
    $("pause").disabled = $("resume").disabled = !w.has_clock;
  }

  function setupWhite() {
    for (const id of ["adjust-change", "new-change", "propose-success", "propose-failure"]) editors[id] = changeEditor(id);
    $("go").addEventListener("click", () => white("go"));
    $("hold").addEventListener("change", () => white("hold", { on: $("hold").checked }));
    $("adjust-send").addEventListener("click", () => {
      const made = changes("adjust-change");
      if (made) white("adjust", { changes: made, reason: $("adjust-reason").value.trim() });
    });
    $("new-send").addEventListener("click", () => {
      const made = changes("new-change");
      if (made) white("new", { title: $("new-title").value.trim(), detail: $("new-detail").value.trim(),
        changes: made, reason: $("new-reason").value.trim() });
    });
    $("propose-send").addEventListener("click", () => {
      const typed = $("propose-percent").value.trim(); // Number("") would be 0%
      const percent = Number(typed);
      if (typed === "" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
        status("Give the chance of success: a percentage from 0 to 100.");
        return;
      }
      const success = changes("propose-success");
      const failure = changes("propose-failure");
      if (success && failure) white("propose", { nation: $("propose-nation").value,
        proposal: $("propose-text").value.trim(), percent: percent,
        on_success: success, on_failure: failure, reason: $("propose-reason").value.trim() });
    });
    $("undo-send").addEventListener("click", () => {
      const to = $("undo-to").value;
      if (to === "last") white("undo", { last_action: true });
      else if (to) white("undo", { to_turn: Number(to.slice(5)) });
    });
    $("pause").addEventListener("click", () => white("pause"));
    $("resume").addEventListener("click", () => white("resume"));
    $("comment-send").addEventListener("click", () => {
      white("comment", { note: $("comment").value.trim() });
      $("comment").value = "";
    });
    $("end-send").addEventListener("click", () => {
      if (!$("end-sure").checked) { status("Tick 'End the game now' first."); return; }
      white("end", { title: $("end-title").value.trim(), detail: $("end-detail").value.trim() });
      $("end-sure").checked = false;
    });
  }

  function join() {
    const typed = $("code").value.trim();
    if (!typed) { status("Type your join code first."); return; }
    code = typed;
    refused = false;
    if (ws) { ws.onclose = null; ws.close(); }
    status("Joining…");
    connect();
  }

  if (mode === "seat") {
    $("join-button").addEventListener("click", join);
    $("code").addEventListener("keydown", (event) => { if (event.key === "Enter") join(); });
    $("option-number").addEventListener("input", pickNumber);
    $("send").addEventListener("click", () => {
      if (chosen === null) return;
      send({ type: "decide", turn: turn, option: chosen, note: $("note").value.trim() });
      $("send").disabled = true;
    });
    setupTalk();
    setupWhite();
    const fragment = new URLSearchParams(location.hash.slice(1)).get("code");
    let stored = null;
    try { stored = sessionStorage.getItem("wargame-code"); } catch (err) { /* private mode */ }
    if (fragment) history.replaceState(null, "", location.pathname); // the code leaves the address bar
    code = fragment || stored;
    if (code) { status("Joining…"); connect(); }
  } else {
    connect();
  }
  setInterval(tick, 1000);
})();
