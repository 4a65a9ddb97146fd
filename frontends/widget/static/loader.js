/* Flowyte storefront widget: one tag, no build step.
 *
 *   <script src="https://WIDGET/widget/loader.js" data-flowyte-key="flowyte_pk_live_…" async></script>
 *
 * Everything lives in a Shadow DOM (the store's CSS and ours never meet) and is built with
 * DOM calls, never innerHTML: message text is untrusted. Styles come from widget.css on our
 * own origin, so a page whose CSP allows that origin needs no 'unsafe-inline'. The
 * conversation is kept in sessionStorage, so it survives a reload in the same tab. When it
 * has ended (the socket closes with 4410) the next message starts a new one.
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-flowyte-key]");
  if (!script || window.__flowyteLoaded) return;
  window.__flowyteLoaded = true;
  var KEY = script.getAttribute("data-flowyte-key") || "";
  var BASE = new URL(script.src, location.href).origin;
  var STORE = "flowyte:" + KEY;
  var URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

  var STRINGS = {
    en: {
      title: "Chat with us", open: "Open chat", close: "Close chat", input: "Your message",
      placeholder: "Type your message", send: "Send", typing: "Typing…", you: "You",
      agent: "Assistant", person: "Team", handoff: "A person will reply here.",
      error: "Something went wrong. Please try again.", reconnecting: "Reconnecting…",
      refused: "Chat is not available on this site.", log: "Conversation",
      ended: "This conversation has ended.", restarted: "A new conversation started."
    },
    es: {
      title: "Chatea con nosotros", open: "Abrir chat", close: "Cerrar chat",
      input: "Tu mensaje", placeholder: "Escribe tu mensaje", send: "Enviar",
      typing: "Escribiendo…", you: "Tú", agent: "Asistente", person: "Equipo",
      handoff: "Una persona te responderá aquí.",
      error: "Algo salió mal. Inténtalo de nuevo.", reconnecting: "Reconectando…",
      refused: "El chat no está disponible en este sitio.", log: "Conversación",
      ended: "Esta conversación ha terminado.", restarted: "Empezó una nueva conversación."
    }
  };

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null") || fresh(); }
    catch (e) { return fresh(); }
  }
  function fresh() { return { token: "", ws: "", lastSeq: 0, items: [], pending: null, open: false, handoff: false }; }
  var state = load();
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text) node.textContent = text;
    return node;
  }

  // Text with its links made clickable: text nodes and <a> elements, http(s) only.
  function fill(node, text) {
    node.textContent = "";
    var at = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      node.appendChild(document.createTextNode(text.slice(at, m.index)));
      var a = el("a", { href: m[0], target: "_blank", rel: "noopener noreferrer" }, m[0]);
      node.appendChild(a);
      at = m.index + m[0].length;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
  }

  var t = STRINGS.en, ui = {}, socket = null, retry = 0, stream = null, refusedFor = "";

  function build(config) {
    var lang = String((config.agentMeta || {}).language || "en").slice(0, 2).toLowerCase();
    t = Object.assign({}, STRINGS[lang] || STRINGS.en, config.copy || {});
    var host = el("div", { id: "flowyte-widget", lang: lang });
    var theme = config.theme || {};
    if (theme.primaryColor) host.style.setProperty("--fw-primary", String(theme.primaryColor));
    if (theme.position === "left") host.setAttribute("data-position", "left");
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("link", { rel: "stylesheet", href: BASE + "/widget/widget.css" }));
    var launcher = el("button", {
      type: "button", "class": "launcher", "aria-expanded": "false",
      "aria-controls": "fw-panel", "aria-label": t.open
    });
    launcher.appendChild(el("span", { "aria-hidden": "true", "class": "bubble" }));
    var panel = el("section", { id: "fw-panel", "class": "panel", role: "dialog", "aria-labelledby": "fw-title", hidden: "" });
    var header = el("header");
    header.appendChild(el("h2", { id: "fw-title" }, t.title));
    var close = el("button", { type: "button", "class": "close", "aria-label": t.close }, "×");
    header.appendChild(close);
    var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": t.log, tabindex: "0" });
    var notice = el("p", { "class": "notice", role: "status", hidden: "" }, t.handoff);
    var typing = el("p", { "class": "typing", role: "status", hidden: "" }, t.typing);
    var form = el("form", { "class": "composer" });
    var label = el("label", { "for": "fw-input", "class": "sr-only" }, t.input);
    var input = el("textarea", { id: "fw-input", rows: "1", maxlength: "4000", placeholder: t.placeholder });
    var send = el("button", { type: "submit", "class": "send" }, t.send);
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    panel.appendChild(header); panel.appendChild(log); panel.appendChild(notice);
    panel.appendChild(typing); panel.appendChild(form);
    root.appendChild(panel); root.appendChild(launcher);
    document.body.appendChild(host);
    ui = { host: host, launcher: launcher, panel: panel, log: log, notice: notice, typing: typing, input: input, form: form };

    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    close.addEventListener("click", function () { toggle(false); });
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") toggle(false); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submit(); }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });

    var greeting = (config.copy || {}).greeting || (config.agentMeta || {}).greeting;
    if (greeting && !state.items.length) state.items.push({ seq: 0, role: "agent", text: greeting });
    state.items.forEach(function (item) { draw(item); });
    notice.hidden = !state.handoff;
    if (state.open || (config.behavior || {}).openOnLoad) toggle(true);
  }

  function toggle(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.launcher.setAttribute("aria-label", open ? t.close : t.open);
    state.open = open; save();
    if (open) { ui.input.focus(); connect(); } else { ui.launcher.focus(); }
  }

  function draw(item) {
    if (item.role === "system") return line(item.text);
    var who = item.role === "customer" ? t.you : item.role === "person" ? (item.by || t.person) : t.agent;
    var row = el("div", { "class": "msg " + item.role });
    row.appendChild(el("span", { "class": "who" }, who));
    var body = el("p", { "class": "text" });
    fill(body, item.text);
    row.appendChild(body);
    ui.log.appendChild(row);
    ui.log.scrollTop = ui.log.scrollHeight;
    return row;
  }

  function note(text) {
    var row = el("p", { "class": "msg system", role: "alert" }, text);
    ui.log.appendChild(row);
  }

  function line(text) {  // a line about the conversation itself, kept with it
    var row = el("p", { "class": "msg system" }, text);
    ui.log.appendChild(row);
    ui.log.scrollTop = ui.log.scrollHeight;
    return row;
  }
  function remark(text) {
    var item = { seq: 0, role: "system", text: text };
    state.items.push(item); draw(item);
  }
  function newId() { return "m" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }

  // The session is over for good: forget it. A message not yet answered goes into a new
  // conversation at once (under a new id: the old one belongs to the ended session);
  // otherwise the shopper's next message starts one.
  function ended() {
    state.token = ""; state.ws = ""; state.lastSeq = 0; state.handoff = false;
    ui.notice.hidden = true;
    if (stream) { stream.row.remove(); stream = null; }
    remark(t.ended);
    if (state.pending) { remark(t.restarted); state.pending.id = newId(); save(); connect(); }
    else { state.fresh = true; ui.typing.hidden = true; save(); }
  }

  function submit() {
    var text = ui.input.value.trim();
    if (!text || state.pending) return;
    ui.input.value = "";
    if (state.fresh) { state.fresh = false; remark(t.restarted); }
    var id = newId();
    state.pending = { id: id, content: text };
    var item = { seq: -1, role: "customer", text: text, id: id };
    state.items.push(item); save();
    draw(item);
    ui.typing.hidden = false;
    if (socket && socket.readyState === 1) sendPending(); else connect();
  }

  function sendPending() {
    if (!state.pending || !socket || socket.readyState !== 1) return;
    if (stream) { stream.row.remove(); stream = null; }  // the replayed turn streams it again
    ui.typing.hidden = false;
    socket.send(JSON.stringify({ type: "message", id: state.pending.id, content: state.pending.content }));
  }

  function onEvent(f) {
    if (f.seq <= state.lastSeq) return;  // already drawn: a replay after a resume
    state.lastSeq = f.seq;
    var p = f.payload || {};
    if (f.kind === "user_utterance") {
      var mine = state.items.filter(function (i) { return i.seq === -1; })[0];
      if (mine) mine.seq = f.seq;
      else { var it = { seq: f.seq, role: "customer", text: String(p.text || "") }; state.items.push(it); draw(it); }
    } else if (f.kind === "agent_message") {
      var person = p.from === "human";
      var item = { seq: f.seq, role: person ? "person" : "agent", text: String(p.text || ""), by: person ? t.person : "" };
      state.items.push(item);
      if (stream && !person) { fill(stream.row.querySelector(".text"), item.text); stream.row.removeAttribute("aria-busy"); stream = null; }
      else draw(item);
      if (!person) { state.pending = null; ui.typing.hidden = true; }
    } else if (f.kind === "handoff") {
      state.handoff = true; ui.notice.hidden = false;
    } else if (f.kind === "error" && p.reason === "reply_withdrawn" && stream) {
      // what streamed so far is taken back: the reply that replaces it streams afresh
      stream.text = ""; fill(stream.row.querySelector(".text"), "");
    }
    save();
  }

  function onDelta(f) {
    if (!state.pending || f.id !== state.pending.id) return;  // a turn already drawn whole
    if (!stream) {
      var row = draw({ role: "agent", text: "" });
      row.setAttribute("aria-busy", "true");
      stream = { row: row, text: "" };
    }
    stream.text += f.text;
    fill(stream.row.querySelector(".text"), stream.text);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function onFrame(msg) {
    var f;
    try { f = JSON.parse(msg.data); } catch (e) { return; }
    if (f.type === "ready") { retry = 0; sendPending(); }
    else if (f.type === "event") onEvent(f);
    else if (f.type === "delta") onDelta(f);
    else if (f.type === "turnEnd") { if (state.pending && f.id === state.pending.id) { state.pending = null; save(); } ui.typing.hidden = true; }
    else if (f.type === "error") { state.pending = null; save(); ui.typing.hidden = true; note(t.error); }
  }

  function post(path, body) {
    return fetch(BASE + path + "?key=" + encodeURIComponent(KEY), {
      method: body ? "POST" : "GET", mode: "cors", credentials: "omit",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw j; return j.data; });
    });
  }

  function connect() {
    if (socket || refusedFor) return;
    var ready = state.token ? Promise.resolve() : post("/chat/widget/sessions", {}).then(function (d) {
      state.token = d.transport.token; state.ws = d.transport.url; save();
    });
    socket = { readyState: 0 };
    ready.then(function () {
      var ws = new WebSocket(state.ws);
      socket = ws;
      ws.onopen = function () { ws.send(JSON.stringify({ type: "hello", token: state.token, afterSeq: state.lastSeq })); };
      ws.onmessage = onFrame;
      ws.onclose = function (e) {
        socket = null;
        if (e.code === 4410) { ended(); return; }
        if (e.code === 4404 && state.token) {  // the session is gone: start a new one
          state.token = ""; state.lastSeq = 0; save(); setTimeout(connect, 0); return;
        }
        if (e.code >= 4400 && e.code < 4500 && e.code !== 4408) {
          refusedFor = e.reason || String(e.code); ui.typing.hidden = true; note(t.refused); return;
        }
        retry = Math.min(retry + 1, 6);
        setTimeout(connect, 250 * Math.pow(2, retry - 1));
      };
    }, function () { socket = null; refusedFor = "session"; note(t.refused); });
  }

  function start() {
    post("/widget/bootstrap").then(build, function () { /* wrong key or origin: stay invisible */ });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
