// Kefu workbench: keyboard shortcuts, live updates over Server-Sent Events, small conveniences.
// No inline scripts anywhere (the Content-Security-Policy forbids them); data comes from data-*.
(function () {
  "use strict";
  var body = document.body;
  var page = body.dataset.page;
  var csrf = body.dataset.csrf;

  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function toast(text) {
    var box = document.getElementById("live-status");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 3500);
  }

  function post(url, fields) {
    var form = new URLSearchParams(fields);
    form.set("csrf_token", csrf);
    return fetch(url, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrf },
    });
  }

  // Fetch this page again and swap the named regions in place: the server stays the one renderer.
  function refresh(ids) {
    return fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next) now.replaceWith(next);
        });
      });
  }

  // ---- Inbox: j/k/enter/e/a and "/" ----
  var selected = -1;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.row")); }
  function select(index) {
    var all = rows();
    if (!all.length) { selected = -1; return; }
    selected = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (r, i) { r.classList.toggle("selected", i === selected); });
    all[selected].scrollIntoView({ block: "nearest" });
    // A live refresh selects again; it must not pull the cursor out of the search box.
    var link = all[selected].querySelector("a.row-link");
    if (link && !typing(document.activeElement)) link.focus({ preventScroll: true });
  }
  function current() { return rows()[selected] || null; }

  function inboxKeys(event) {
    if (event.key === "/") { event.preventDefault(); document.getElementById("search").focus(); return; }
    if (event.key === "j") select(selected + 1);
    else if (event.key === "k") select(selected - 1);
    else if (event.key === "Enter" && current()) location.href = current().dataset.href;
    else if ((event.key === "e" || event.key === "a") && current()) {
      var id = current().dataset.id;
      var fields = event.key === "e" ? { status: "resolved" } : { assignee_id: "me" };
      post("/ui/c/" + id + "/update", fields).then(function (r) {
        toast(r.ok ? (event.key === "e" ? body.dataset.msgResolved : body.dataset.msgAssigned) : "Error " + r.status);
        return refreshInbox();
      });
    }
  }

  function refreshInbox() {
    var keep = current() ? current().dataset.id : null;
    var before = {}, checked = {};
    rows().forEach(function (r) { before[r.dataset.id] = true; });
    document.querySelectorAll('input[name="ids"]:checked').forEach(function (box) { checked[box.value] = true; });
    lastRefresh = Date.now();
    return refresh(["inbox-live", "queue-nav"]).then(function () {
      rows().forEach(function (r, i) {
        if (!before[r.dataset.id]) r.classList.add("fresh");
        var box = r.querySelector('input[name="ids"]');
        if (box && checked[box.value]) box.checked = true;
        if (r.dataset.id === keep) select(i);
      });
    });
  }

  if (page === "inbox") {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) {
        if (event.key === "Escape") event.target.blur();
        return;
      }
      inboxKeys(event);
    });
    document.addEventListener("click", function (event) {
      var row = event.target.closest && event.target.closest("tr.row");
      if (row && !event.target.closest("a, input, label, .pick")) location.href = row.dataset.href;
    });
  }

  // ---- Conversation: Ctrl+Enter sends; e resolves, a assigns to me ----
  if (page === "conversation") {
    var layout = document.querySelector("[data-conversation]");
    var conversationId = layout ? layout.dataset.conversation : null;
    var text = document.getElementById("reply-text");
    if (text) {
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          var send = document.querySelector('#composer button[value="send"]');
          if (send) send.click();
        }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || !conversationId) return;
      if (event.key === "e" || event.key === "a") {
        var fields = event.key === "e" ? { status: "resolved" } : { assignee_id: "me" };
        post("/ui/c/" + conversationId + "/update", fields).then(function () { location.reload(); });
      } else if (event.key === "r" && text) { event.preventDefault(); text.focus(); }
    });
    // Live lint: the server checks the text against this conversation's facts as the agent types.
    var composer = document.getElementById("composer");
    var lintTimer = null, lintSeq = 0;
    function renderLint(text, result) {
      var status = document.getElementById("lint-status");
      var preview = document.getElementById("lint-preview");
      var list = document.getElementById("lint-list");
      var box = document.getElementById("lint");
      var override = document.getElementById("override");
      var findings = result.findings || [];
      status.className = "lint-status " + (result.blocking ? "blocking" : (text.trim() ? "clean" : ""));
      status.textContent = result.blocking ? box.dataset.msgBlocking : (findings.length || !text.trim() ? "" : box.dataset.msgClean);
      list.textContent = "";
      preview.textContent = "";
      var cursor = 0;
      findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
        var item = document.createElement("li");
        item.className = "lint-" + f.severity;
        var strong = document.createElement("strong");
        strong.textContent = f.message;
        item.appendChild(strong);
        if (f.suggestion) {
          var hint = document.createElement("span");
          hint.className = "muted";
          hint.textContent = " — " + f.suggestion;
          item.appendChild(hint);
        }
        list.appendChild(item);
        if (f.start < cursor || f.end > text.length || f.start >= f.end) return;
        preview.appendChild(document.createTextNode(text.slice(cursor, f.start)));
        var mark = document.createElement("mark");
        mark.className = "lint-mark lint-" + f.severity;
        mark.title = f.message;
        mark.textContent = text.slice(f.start, f.end);
        preview.appendChild(mark);
        cursor = f.end;
      });
      preview.appendChild(document.createTextNode(text.slice(cursor)));
      preview.hidden = findings.length === 0;
      if (override) override.hidden = !result.blocking;
    }
    function lintNow() {
      var value = text.value, seq = ++lintSeq;
      post(composer.dataset.lintUrl, { text: value })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (result) { if (result && seq === lintSeq) renderLint(value, result); })
        .catch(function () {});
    }
    if (composer && text) {
      text.addEventListener("input", function () {
        clearTimeout(lintTimer);
        lintTimer = setTimeout(lintNow, 350);
      });
    }
    // Macros: "/" at the start of a word opens the shop's macros; the server fills one in.
    var menu = document.getElementById("macro-menu");
    var picker = { open: false, start: -1, items: [], active: 0, seq: 0, timer: null };
    function slashQuery() {
      var upto = text.value.slice(0, text.selectionStart);
      var found = /(^|\s)\/([^\s\/]{0,40})$/.exec(upto);
      return found ? { start: upto.length - found[2].length - 1, query: found[2] } : null;
    }
    function closePicker() {
      picker.open = false;
      picker.items = [];
      menu.hidden = true;
      menu.textContent = "";
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
    }
    function showActive() {
      Array.prototype.forEach.call(menu.children, function (li, i) {
        li.setAttribute("aria-selected", i === picker.active ? "true" : "false");
        if (i === picker.active) { li.scrollIntoView({ block: "nearest" }); text.setAttribute("aria-activedescendant", li.id); }
      });
    }
    function drawPicker(items) {
      menu.textContent = "";
      picker.items = items;
      picker.active = 0;
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = menu.dataset.msgNone;
        menu.appendChild(none);
      }
      items.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = "macro-opt-" + i;
        li.setAttribute("role", "option");
        li.dataset.index = String(i);
        var name = document.createElement("span");
        name.className = "macro-name";
        name.textContent = m.name;
        var lang = document.createElement("span");
        lang.className = "macro-lang";
        lang.textContent = m.language;
        name.appendChild(lang);
        var preview = document.createElement("span");
        preview.className = "macro-preview";
        preview.textContent = m.preview;
        li.appendChild(name);
        li.appendChild(preview);
        menu.appendChild(li);
      });
      picker.open = true;
      menu.hidden = false;
      text.setAttribute("aria-expanded", "true");
      showActive();
    }
    function lookUp(found) {
      var seq = ++picker.seq;
      picker.start = found.start;
      fetch(text.dataset.macrosUrl + "?q=" + encodeURIComponent(found.query), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && seq === picker.seq && slashQuery()) drawPicker(data.macros || []); })
        .catch(function () {});
    }
    function insertMacro(index) {
      var macro = picker.items[index];
      if (!macro) return;
      var start = picker.start, end = text.selectionStart;
      closePicker();
      post(text.dataset.macrosUrl + "/" + encodeURIComponent(macro.id) + "/render", {})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (rendered) {
          var before = text.value.slice(0, start), after = text.value.slice(end);
          text.value = before + rendered.text + after;
          var caret = before.length + rendered.text.length;
          text.focus();
          text.setSelectionRange(caret, caret);
          toast(menu.dataset.msgInserted.replace("%(name)s", macro.name));
          clearTimeout(lintTimer);
          lintNow();
        })
        .catch(function (status) { toast("Error " + status); });
    }
    if (menu && text && text.dataset.macrosUrl) {
      text.addEventListener("input", function () {
        var found = slashQuery();
        clearTimeout(picker.timer);
        if (!found) { if (picker.open) closePicker(); return; }
        picker.timer = setTimeout(function () { lookUp(found); }, 120);
      });
      text.addEventListener("keydown", function (event) {
        if (!picker.open) return;
        var count = picker.items.length;
        if (event.key === "ArrowDown" && count) { event.preventDefault(); picker.active = (picker.active + 1) % count; showActive(); }
        else if (event.key === "ArrowUp" && count) { event.preventDefault(); picker.active = (picker.active - 1 + count) % count; showActive(); }
        else if ((event.key === "Enter" || event.key === "Tab") && count && !event.ctrlKey && !event.metaKey) {
          event.preventDefault(); event.stopImmediatePropagation(); insertMacro(picker.active);
        } else if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closePicker(); }
      });
      text.addEventListener("blur", function () { setTimeout(function () { if (document.activeElement !== text) closePicker(); }, 150); });
      menu.addEventListener("mousedown", function (event) {
        var li = event.target.closest("li[role=option]");
        if (!li) return;
        event.preventDefault();
        insertMacro(Number(li.dataset.index));
      });
    }
    // Collision warning: announce ourselves; show who else is here.
    var others = {};
    function announce(state) {
      if (conversationId) post("/ui/c/" + conversationId + "/presence", { state: state }).catch(function () {});
    }
    announce("viewing");
    setInterval(function () { if (!document.hidden) announce("viewing"); }, 15000);
    var lastTyping = 0;
    if (text) {
      text.addEventListener("input", function () {
        if (Date.now() - lastTyping > 5000) { lastTyping = Date.now(); announce("typing"); }
      });
    }
    function showPresence() {
      var box = document.getElementById("presence");
      if (!box) return;
      var now = Date.now(), lines = [];
      Object.keys(others).forEach(function (id) {
        var seen = others[id];
        if (now - seen.at > 35000) { delete others[id]; return; }
        // Typing wins for 10 s over any "viewing" that follows: the 15 s heartbeat, or the page's
        // first announcement overtaken on the wire by the first keystroke's.
        var template = now - seen.typingAt < 10000 ? layout.dataset.msgTyping : layout.dataset.msgViewing;
        lines.push(template.replace("%(name)s", seen.user));
      });
      box.textContent = lines.join(" ");
      box.hidden = lines.length === 0;
    }
    setInterval(showPresence, 5000);
    window.kefuPresence = function (data) {
      if (data.user_id === layout.dataset.me) return;
      var seen = others[data.user_id] || { typingAt: 0 };
      seen.at = Date.now();
      seen.user = data.user;
      if (data.state === "typing") seen.typingAt = Date.now();
      others[data.user_id] = seen;
      showPresence();
    };
    var thread = document.getElementById("thread");
    if (thread && thread.lastElementChild && location.hash !== "#composer") {
      thread.lastElementChild.scrollIntoView({ block: "nearest" });
    }
  }

  // ---- Live updates ----
  if ((page === "inbox" || page === "conversation") && window.EventSource) {
    var source = new EventSource("/ui/events");
    var pending = null, lastRefresh = 0;
    // Events are heard only once the stream is open: what arrived between rendering and the
    // first connection, or during a reconnect, is caught up by one re-read. Always: a message
    // that landed 100 ms after rendering, before a quick connection, was otherwise never shown.
    source.addEventListener("open", function () {
      source.dispatchEvent(new MessageEvent("inbox", { data: '{"type": "resync", "conversation_id": ""}' }));
    });
    source.addEventListener("inbox", function (message) {
      var data = {};
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "presence") {
        if (page === "conversation" && data.conversation_id === conversationId && window.kefuPresence) window.kefuPresence(data);
        return;
      }
      if (page === "inbox") {
        // At most one refresh every 1.5 s however busy the shop is; the last event always lands.
        if (pending) return;
        pending = setTimeout(function () { pending = null; refreshInbox(); }, Math.max(250, 1500 - (Date.now() - lastRefresh)));
      } else if (data.type === "resync" || data.conversation_id === conversationId) {
        // "resync": this page missed events while its connection lagged, so it re-reads.
        clearTimeout(pending);
        pending = setTimeout(function () { refresh(["thread", "conv-head", "triage"]); }, 250);
      }
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }
})();
