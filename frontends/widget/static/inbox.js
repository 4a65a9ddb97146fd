/* The team inbox: handoffs arrive live over one websocket; the secret key goes in its first
 * frame and stays in sessionStorage (this tab only), never in a URL. Text is set with
 * textContent only: transcripts are customers' words. */
(function () {
  "use strict";
  var KEY_STORE = "flowyte:inbox-key";
  var $ = function (id) { return document.getElementById(id); };
  var handoffs = {}, current = null, socket = null, refs = 0, waiting = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function signIn(key, who) {
    var ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/inbox/ws");
    socket = ws;
    ws.onopen = function () { ws.send(JSON.stringify({ type: "auth", key: key, name: who })); };
    ws.onmessage = function (msg) {
      var f = JSON.parse(msg.data);
      if (f.type === "handoff") {
        var known = handoffs[f.handoff.id] || {};
        // Live updates come without the transcript (ListHandoffs has none): keep ours.
        if (!f.handoff.transcript.length && known.transcript) f.handoff.transcript = known.transcript;
        handoffs[f.handoff.id] = Object.assign(known, f.handoff);
        drawList();
        if (current === f.handoff.id) refresh();
      } else if (f.type === "result" && waiting[f.ref]) {
        waiting[f.ref](f); delete waiting[f.ref];
      }
    };
    ws.onclose = function (e) {
      socket = null;
      if (e.code === 4401 || e.code === 4403) {
        sessionStorage.removeItem(KEY_STORE);
        $("signin-error").textContent = e.code === 4401 ? "That key was not accepted." : "That key lacks the handoff scopes.";
        $("desk").hidden = true; $("signin").hidden = false; $("signout").hidden = true;
      } else if (sessionStorage.getItem(KEY_STORE)) {
        setTimeout(function () { signIn(key, who); }, 1000);
      }
    };
  }

  function showDesk(key, who) {
    sessionStorage.setItem(KEY_STORE, JSON.stringify({ key: key, who: who }));
    $("signin").hidden = true; $("desk").hidden = false; $("signout").hidden = false;
  }

  function command(op, extra) {
    return new Promise(function (resolve) {
      var ref = "r" + (++refs);
      waiting[ref] = resolve;
      socket.send(JSON.stringify(Object.assign({ op: op, ref: ref, handoffId: current }, extra || {})));
    });
  }

  function drawList() {
    var list = $("handoffs");
    list.textContent = "";
    Object.keys(handoffs).map(function (id) { return handoffs[id]; })
      .filter(function (h) { return h.status !== "closed" || h.id === current; })
      .sort(function (a, b) { return a.createTime < b.createTime ? 1 : -1; })
      .forEach(function (h) {
        var item = el("li");
        var button = el("button", { type: "button", "data-handoff": h.id, "aria-current": String(h.id === current) });
        var order = (h.orderSummary || {}).order || "";
        button.appendChild(el("span", {}, (order ? order + " · " : "") + h.reason));
        button.appendChild(el("span", { "class": "status" }, " — " + h.status + (h.claimedBy ? " by " + h.claimedBy : "")));
        button.addEventListener("click", function () { open(h.id); });
        item.appendChild(button);
        list.appendChild(item);
      });
  }

  function shipment(s) {
    return [s.carrier, (s.trackingNumbers || []).join(", "), s.status, (s.trackingUrls || [])[0]]
      .filter(Boolean).join(" · ");
  }

  function open(id) {
    current = id;
    drawList();
    command("open").then(function (f) {
      if (f.ok) { handoffs[id] = Object.assign(handoffs[id] || {}, f.handoff); refresh(); }
      else $("detail-error").textContent = f.message;
    });
  }

  function refresh() {
    var h = handoffs[current];
    if (!h) return;
    $("detail").hidden = false;
    $("detail-title").textContent = "Handoff: " + h.reason;
    var ctx = $("context");
    ctx.textContent = "";
    var summary = h.orderSummary || {};
    var rows = [["Status", h.status + (h.claimedBy ? " (" + h.claimedBy + ")" : "")], ["Reason", h.reason]];
    Object.keys(summary).forEach(function (k) {
      var v = summary[k];
      rows.push([k, k === "shipments" ? (v || []).map(shipment).join("; ") : typeof v === "object" ? JSON.stringify(v) : String(v)]);
    });
    rows.forEach(function (r) { ctx.appendChild(el("dt", {}, r[0])); ctx.appendChild(el("dd", {}, r[1])); });
    var list = $("transcript");
    list.textContent = "";
    (h.transcript || []).forEach(function (e) {
      var p = e.payload || {};
      if (e.kind !== "user_utterance" && e.kind !== "agent_message") return;
      var who = e.kind === "user_utterance" ? "Customer" : p.from === "human" ? "Team (" + (p.by || "") + ")" : "Assistant";
      list.appendChild(el("li", { "class": p.from === "human" ? "human" : "" }, who + ": " + String(p.text || "")));
    });
    $("claim").disabled = h.status !== "open";
    $("close").disabled = h.status === "closed";
    $("reply").hidden = h.status === "closed";
  }

  function act(op, extra) {
    $("detail-error").textContent = "";
    return command(op, extra).then(function (f) {
      if (!f.ok) { $("detail-error").textContent = f.message; return f; }
      if (f.handoff) handoffs[current] = Object.assign(handoffs[current], f.handoff);
      if (op === "reply" || op === "claim") open(current); else { refresh(); drawList(); }
      return f;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("signin").addEventListener("submit", function (e) {
      e.preventDefault();
      var key = $("key").value.trim(), who = $("who").value.trim();
      $("key").value = "";
      $("signin-error").textContent = "";
      showDesk(key, who);
      signIn(key, who);
    });
    $("signout").addEventListener("click", function () {
      sessionStorage.removeItem(KEY_STORE);
      if (socket) socket.close();
      location.reload();
    });
    $("claim").addEventListener("click", function () { act("claim"); });
    $("close").addEventListener("click", function () { act("close"); });
    $("reply").addEventListener("submit", function (e) {
      e.preventDefault();
      var text = $("reply-text").value.trim();
      if (!text) return;
      act("reply", { content: text }).then(function (f) { if (f.ok) $("reply-text").value = ""; });
    });
    var saved = JSON.parse(sessionStorage.getItem(KEY_STORE) || "null");
    if (saved) { showDesk(saved.key, saved.who); signIn(saved.key, saved.who); }
  });
})();
