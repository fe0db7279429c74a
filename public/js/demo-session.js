// The session demo page (/demo/session, development only). Two jobs:
//  1. What changed: before a button's form is sent, the cookie and the row
//     shown are kept in this tab's sessionStorage; the page that comes back
//     shows them next to the new ones, the differences marked, and forgets
//     them.
//  2. Checkpoints, live: the list of this visitor's requests and their SQL
//     follows the server's feed (server-sent events), for the session the
//     browser's cookie carries and no other.
// Without JavaScript the page still shows the cookie, the row and the
// checkpoints as they were when it was loaded.
"use strict";

(function () {
  const BEFORE = "demo-session-before";

  // The parts of the page a button can change, as text ("" when absent).
  const FIELDS = [
    ["state-cookie", "Cookie value"],
    ["state-bib", "Bib"],
    ["state-id", "Session ID"],
    ["state-expire", "Expires if idle"],
    ["state-waiting", "Flash messages waiting"],
  ];

  function text(id) {
    const el = document.getElementById(id);
    return el ? el.textContent.trim() : "";
  }

  // The waiting flash messages, one line per row of the flash table.
  function flashRows() {
    return [...document.querySelectorAll("#state-flash tbody tr")]
      .map((tr) => [...tr.cells].map((td) => td.textContent.trim()).join("  ")).join("\n");
  }

  function snapshot() {
    const s = { row: text("state-row"), flash: flashRows() };
    for (const [id] of FIELDS) s[id] = text(id);
    return s;
  }

  function el(tag, className, content) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined) e.textContent = content;
    return e;
  }

  // 1. What changed -------------------------------------------------------
  for (const form of document.querySelectorAll("form[data-action]")) {
    form.addEventListener("submit", function () {
      try {
        sessionStorage.setItem(BEFORE, JSON.stringify({ action: form.dataset.action, state: snapshot() }));
      } catch (e) {
        // Storage refused (private mode, quota): the page just shows no comparison.
      }
    });
  }

  function showChanges() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(BEFORE) || "null");
      sessionStorage.removeItem(BEFORE);
    } catch (e) {
      return;
    }
    const section = document.getElementById("changes");
    if (!saved || !saved.state || !section) return;
    const before = saved.state;
    const after = snapshot();
    document.getElementById("changes-title").textContent = "What changed: " + saved.action;
    section.append(el("p", null, summary(before, after)));

    const table = el("table", "data changes-table");
    const caption = el("caption", "sr-only", "The cookie and the session before and after: " + saved.action);
    const head = el("thead");
    const hr = el("tr");
    for (const h of ["", "Before", "After"]) {
      const th = el("th", null, h || "What");
      th.scope = "col";
      hr.append(th);
    }
    head.append(hr);
    const body = el("tbody");
    for (const [id, label] of FIELDS) {
      const changed = before[id] !== after[id];
      const tr = el("tr", changed ? "is-changed" : "");
      const th = el("th", null, label);
      th.scope = "row";
      if (changed) th.append(" ", el("strong", "change-tag", "changed"));
      tr.append(th, cell(before[id]), cell(after[id], changed));
      body.append(tr);
    }
    table.append(caption, head, body);
    section.append(table);

    section.append(el("h3", null, "The sess column, line by line"));
    section.append(rowDiff(before.row, after.row, "No row before, no row after.", "(no row now)"));
    section.append(el("h3", null, "The flash table: id, type, message"));
    section.append(rowDiff(before.flash, after.flash, "No message waiting before or after.", "(none waiting now)"));
    section.hidden = false;
  }

  function cell(value, changed) {
    const td = el("td");
    if (!value) {
      td.append(el("span", "none", "none"));
    } else {
      td.append(el(changed ? "mark" : "code", changed ? "changed-value" : null, value));
    }
    return td;
  }

  function summary(before, after) {
    if (before["state-id"] && !after["state-id"]) {
      return "The session was destroyed: its row is deleted and the cookie expired, so your browser carries no bib now.";
    }
    if (!before["state-id"] && after["state-id"]) {
      return "A session started: the server stored a row and sent a cookie, and you got bib " + after["state-bib"] + ".";
    }
    if (before["state-id"] !== after["state-id"]) {
      return "New ID, same data: bib " + before["state-bib"] + " became bib " + after["state-bib"] +
        ", the old row was deleted and a new one written.";
    }
    return "Same ID and bib: the session stays, only what it holds changed.";
  }

  // A line diff (of the sess column, of the flash rows): lines only before
  // are removed (-), lines only after are added (+). They are short: a set
  // will do.
  function rowDiff(before, after, neither, noneNow) {
    const a = before ? before.split("\n") : [];
    const b = after ? after.split("\n") : [];
    const pre = el("pre", "code-block row-diff");
    if (!a.length && !b.length) {
      pre.textContent = neither;
      return pre;
    }
    const inA = new Set(a);
    const inB = new Set(b);
    for (const line of a) {
      if (!inB.has(line)) pre.append(el("del", null, "- " + line), "\n");
    }
    for (const line of b) {
      pre.append(inA.has(line) ? "  " + line : el("ins", null, "+ " + line), "\n");
    }
    if (!b.length) pre.append(el("span", "none", noneNow), "\n");
    return pre;
  }

  showChanges();

  // 2. Checkpoints, live --------------------------------------------------
  const status = document.getElementById("feed-status");
  const list = document.getElementById("checkpoints");
  if (!status || !list || !window.EventSource) return;
  const pageBib = status.dataset.bib;
  let said = "";

  function say(message, ended) {
    if (message === said) return; // a live region repeats nothing
    said = message;
    status.textContent = message;
    status.classList.toggle("is-ended", !!ended);
  }

  function drawCheckpoint(cp) {
    const li = el("li", "checkpoint");
    const head = el("p", "checkpoint-head");
    head.append(el("span", "cp-time", cp.time), " ", el("strong", "cp-request", cp.method + " " + cp.path), " ",
      el("span", "cp-status", "status " + cp.status), " ", el("span", "cp-took", cp.took));
    li.append(head);
    if (cp.note) li.append(el("p", "cp-note", cp.note));
    if (cp.sql.length) {
      const ol = el("ol", "cp-sql");
      for (const st of cp.sql) {
        const item = el("li");
        item.append(el("code", null, st.query), " ", el("span", "cp-took", st.took));
        if (st.err) item.append(" ", el("strong", "cp-err", "error: " + st.err));
        ol.append(item);
      }
      li.append(ol);
      if (cp.more) li.append(el("p", "cp-more", "and " + cp.more + " more statements"));
    } else {
      li.append(el("p", "cp-nosql", "No SQL."));
    }
    return li;
  }

  function draw(view) {
    const items = view.checkpoints.map(drawCheckpoint);
    if (!items.length) {
      items.push(el("li", "checkpoint cp-empty", view.bib ? "No checkpoint yet: your next request will be one." :
        "No checkpoint yet: without a bib, requests are not noted."));
    }
    list.replaceChildren(...items);
    document.getElementById("unnoted-static").textContent = view.unnoted.static;
    document.getElementById("unnoted-pages").textContent = view.unnoted.pages;
    document.getElementById("unnoted-sql").textContent = view.unnoted.statements;
  }

  const feed = new EventSource("/demo/session/feed");
  feed.addEventListener("message", function (e) {
    const view = JSON.parse(e.data);
    if (view.ended) {
      draw(view);
      say("This session was destroyed: bib " + (view.bib || pageBib) + " is withdrawn. Its row is deleted and its cookie expired; " +
        "the last checkpoint below is where it ended.", true);
      feed.close();
      return;
    }
    if (view.bib !== pageBib) {
      // Another session than the one this page shows: its checkpoints are
      // this browser's own, but the cookie and row above are out of date.
      draw(view);
      if (!view.bib) {
        say("This session has ended: your browser no longer carries bib " + pageBib +
          " (destroyed, logged out or expired). Reload to see the cookie and row now.", true);
      } else if (!pageBib) {
        say("A session started in another tab: bib " + view.bib + ". Reload to see its cookie and row.");
      } else {
        say("Your bib is now " + view.bib + ": the session ID changed in another tab (bib " + pageBib +
          " is gone). Reload to see the new cookie and row.");
      }
      return;
    }
    draw(view);
    say(pageBib ? "Live: following bib " + pageBib + ". Open any page of the site in another tab and watch its checkpoint arrive." :
      "Live, but you have no bib: requests without a session are only counted.");
  });
  feed.addEventListener("error", function () {
    if (feed.readyState === EventSource.CLOSED) say("The live feed stopped: reload the page to follow your checkpoints again.");
  });
})();
