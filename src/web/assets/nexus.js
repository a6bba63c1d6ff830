// nexus web pages: the live indicator says whether the page follows the
// event stream (htmx's SSE extension connects it), and each event fetches
// the page's live region again: at once when no fetch is running, else once
// the running one ends (the events of one change come together: one fetch
// shows them all). Fetches start at least MIN_GAP ms apart, and four times
// as far apart as the last one took (at most MAX_GAP), so a slow page under
// a burst of changes costs the server at most a quarter of its time. The
// server answers with the region alone, and the page patches it in itself
// (see patch below): rows still shown stay (matched by id), so the browser
// makes and lays out only what is new. The fetch names the versions of the rows
// shown (data-v), and the server sends each of those unchanged as an empty
// marker (data-same) whose row the page keeps: the browser parses only new
// and changed rows.
(function () {
  "use strict";
  var MIN_GAP = 50, MAX_GAP = 10000;
  var busy = false, dirty = false, last = 0, gap = MIN_GAP, timer = null, guard = null;
  function show(state, text) {
    var el = document.getElementById("live");
    if (!el) return;
    el.hidden = false;
    el.dataset.state = state;
    el.textContent = text;
  }
  function schedule() {
    if (timer) return;
    timer = setTimeout(refresh, Math.max(0, last + gap - Date.now()));
  }
  // The region's fetch is the page's own, not htmx's: htmx parses each
  // answer into a new document (two, with its template), and under a flood
  // of changes hundreds of them wait for the next collection, which took
  // the tab from 22 MB to 80 MB in its first 20 s. One <template> of this
  // page parses every answer here: its content belongs to the one inert
  // document the page keeps for its templates. The fetch names the region
  // in HX-Source, as htmx would: the server then answers with it alone.
  var parser = document.createElement("template");
  function refresh() {
    timer = null;
    var region = document.getElementById("region");
    if (!region || !window.fetch || !window.AbortController) return;
    busy = true;
    last = Date.now();
    // A fetch that never ends does not stop the page for good.
    var abort = new AbortController();
    guard = setTimeout(function () {
      abort.abort();
    }, 10000);
    var headers = { "HX-Request": "true", "HX-Source": "div#region" };
    var asked = whole, shown = whole ? "" : shownRows(region);
    whole = false;
    if (shown) headers["X-Nexus-Rows"] = shown;
    fetch(region.getAttribute("data-src"), { headers: headers, signal: abort.signal, credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null) swapIn(region, html);
      })
      .catch(function (e) {
        // Not shown: the next event (or reconnection) asks again, for
        // every row if this one was to.
        whole = whole || asked;
        if (!e || e.name !== "AbortError") console.error("nexus: refreshing the page failed:", e);
      })
      .then(done);
  }
  function swapIn(region, html) {
    parser.innerHTML = html;
    try {
      var n = parser.content.querySelector("#region");
      if (n) patch(region, n);
    } finally {
      parser.innerHTML = "";
    }
    after();
  }
  function done() {
    if (!busy) return;
    clearTimeout(guard);
    busy = false;
    gap = Math.min(MAX_GAP, Math.max(MIN_GAP, 4 * (Date.now() - last)));
    if (dirty) {
      dirty = false;
      schedule();
    }
  }
  function changed() {
    if (busy) dirty = true;
    else schedule();
  }
  // A tab out of sight fetches nothing: it notes that something changed
  // and catches up with one fetch when it is shown again.
  var missed = false;
  document.addEventListener("htmx:sse:after:message", function () {
    if (document.hidden) missed = true;
    else changed();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden || !missed) return;
    missed = false;
    changed();
  });
  // After a swap that left a marker without its row (not matched), the
  // next fetch names no rows, and so gets every row whole.
  var whole = false;
  function shownRows(region) {
    var shown = [], rows = region.querySelectorAll("tr[data-v]");
    for (var i = 0; i < rows.length; i++) shown.push(rows[i].getAttribute("data-v"));
    return shown.join(" ");
  }
  // The region's swap: rows are matched by id (a marker keeps the page's
  // row, a row sent whole is patched into the page's own), and the rest
  // changes only where it differs. htmx never sees the region: its
  // processing of what it swaps in runs an XPath query over every element,
  // which made a refresh of the Work page cost the tab's DOM heap about
  // 160 KB for nothing.
  function keyed(parent) {
    var first = parent.firstElementChild;
    return !!(first && first.tagName === "TR" && first.id);
  }
  function attributes(o, n) {
    var i, a;
    for (i = 0; i < n.attributes.length; i++) {
      a = n.attributes[i];
      if (o.getAttribute(a.name) !== a.value) o.setAttribute(a.name, a.value);
    }
    for (i = o.attributes.length - 1; i >= 0; i--) {
      a = o.attributes[i];
      if (!n.hasAttribute(a.name)) o.removeAttribute(a.name);
    }
  }
  function patchRows(o, n) {
    var want = [], row, next, i;
    for (row = n.firstElementChild; row; row = row.nextElementSibling) {
      var mine = row.id && document.getElementById(row.id);
      if (!mine || mine.parentNode !== o) want.push(row);
      else if (!row.hasAttribute("data-same")) want.push(mine);
      // A marker whose row is not here as it was stays a marker: the next
      // fetch then asks for every row whole (see after).
      else want.push(mine.getAttribute("data-v") === row.getAttribute("data-v") ? mine : row);
    }
    // A row sent whole that the page shows is changed in place (the same
    // element: what has focus in it keeps it).
    for (i = 0, row = n.firstElementChild; row; i++, row = next) {
      next = row.nextElementSibling;
      if (want[i] !== row && !row.hasAttribute("data-same")) patch(want[i], row);
    }
    var keep = new Set(want);
    for (row = o.firstElementChild; row; row = next) {
      next = row.nextElementSibling;
      if (!keep.has(row)) row.remove();
    }
    row = o.firstElementChild;
    for (i = 0; i < want.length; i++) {
      if (row === want[i]) row = row.nextElementSibling;
      else o.insertBefore(want[i], row);
    }
  }
  function patch(o, n) {
    if (o.tagName !== n.tagName) return o.replaceWith(n);
    if (keyed(o) || keyed(n)) {
      attributes(o, n);
      return patchRows(o, n);
    }
    if (o.isEqualNode(n)) return;
    attributes(o, n);
    var oc = o.childNodes, nc = n.childNodes, pairs = [], i;
    if (oc.length !== nc.length) return o.replaceChildren.apply(o, Array.prototype.slice.call(nc));
    for (i = 0; i < oc.length; i++) pairs.push([oc[i], nc[i]]);
    for (i = 0; i < pairs.length; i++) {
      var a = pairs[i][0], b = pairs[i][1];
      if (a.nodeType === 1 && b.nodeType === 1) patch(a, b);
      else if (a.nodeType === 3 && b.nodeType === 3) {
        if (a.data !== b.data) a.data = b.data;
      } else if (!a.isEqualNode(b)) a.replaceWith(b);
    }
  }
  // New rows get the page's words for their times now (one layout); a
  // marker left without its row has the next fetch ask for every row.
  function after() {
    tick();
    if (document.querySelector("#region tr[data-same]")) {
      whole = true;
      changed();
    }
  }
  // Relative times ("5 s ago") move on with the clock here, not by
  // fetching their rows again (a row's version leaves their words out):
  // every second, from each <time>'s data-at (Unix seconds) and the
  // server's clock when the page was made (data-now), in the server's words.
  var skew = (+document.documentElement.getAttribute("data-now") || Date.now()) - Date.now();
  function words(secs) {
    var a = Math.abs(secs), span;
    if (a < 60) span = a + " s";
    else if (a < 3600) span = Math.floor(a / 60) + " min";
    else if (a < 86400) span = Math.floor(a / 3600) + " h";
    else span = Math.floor(a / 86400) + " d";
    return secs >= 0 ? span + " ago" : "in " + span;
  }
  var ticked = 0;
  function tick() {
    ticked = Date.now();
    var now = Math.floor((ticked + skew) / 1000);
    var times = document.querySelectorAll("time[data-at]");
    for (var i = 0; i < times.length; i++) {
      var t = times[i], w = words(now - Number(t.getAttribute("data-at")));
      var text = t.firstChild;
      if (text && text.nodeType === 3 && !text.nextSibling) {
        if (text.data !== w) text.data = w;
      } else t.textContent = w;
    }
  }
  // Under a flood the swaps keep the times current, in the layout each
  // one makes anyway. A region marked data-every (something runs that
  // sends no events as it goes: an analysis) is fetched every second too.
  setInterval(function () {
    if (document.hidden) return;
    if (Date.now() - ticked > 900) tick();
    var region = document.getElementById("region");
    if (region && region.hasAttribute("data-every")) changed();
  }, 1000);
  // A stream (re)connected without the number of an event it saw gets
  // the events from then on: the page fetches once to catch up with any
  // change made since it was made, or while the stream was down.
  document.addEventListener("htmx:sse:after:connection", function () {
    show("on", "● live");
    changed();
  });
  document.addEventListener("htmx:sse:error", function () {
    show("off", "○ reconnecting…");
  });
  document.addEventListener("htmx:sse:close", function () {
    show("off", "○ not live: reload");
  });
})();
