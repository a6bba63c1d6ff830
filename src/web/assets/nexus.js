// nexus web pages: the live indicator says whether the page follows the
// event stream (htmx's SSE extension connects it), and each event fetches
// the page's live region again: at once when no fetch is running, else once
// the running one ends (the events of one change come together: one fetch
// shows them all). Fetches start at least MIN_GAP ms apart, and four times
// as far apart as the last one took, so a slow page under a burst of
// changes costs the server at most a quarter of its time. The server
// answers with the region alone, and htmx morphs it into the page: rows
// still shown stay (matched by id), so the browser makes and lays out only
// what is new. The fetch names the versions of the rows shown (data-v), and
// the server sends each of those unchanged as an empty marker (data-same)
// whose row the page keeps: the browser parses only new and changed rows,
// and the tab's memory does not climb under a flood.
(function () {
  "use strict";
  var MIN_GAP = 50;
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
  function refresh() {
    timer = null;
    var region = document.getElementById("region");
    if (!region || typeof htmx === "undefined") return;
    busy = true;
    last = Date.now();
    // A fetch that never reports its end does not stop the page for good.
    guard = setTimeout(done, 10000);
    htmx.trigger(region, "nexus:refresh");
  }
  function done() {
    if (!busy) return;
    clearTimeout(guard);
    busy = false;
    gap = Math.max(MIN_GAP, 4 * (Date.now() - last));
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
  document.addEventListener("htmx:finally:request", done);
  // After a swap that left a marker without its row (not matched), the
  // next fetch names no rows, and so gets every row whole.
  var whole = false;
  document.addEventListener("htmx:config:request", function (e) {
    var ctx = e.detail && e.detail.ctx;
    var region = ctx && ctx.sourceElement;
    if (!region || region.id !== "region") return;
    if (whole) {
      whole = false;
      return;
    }
    var shown = [], rows = region.querySelectorAll("tr[data-v]");
    for (var i = 0; i < rows.length; i++) shown.push(rows[i].getAttribute("data-v"));
    if (shown.length) ctx.request.headers["X-Nexus-Rows"] = shown.join(" ");
  });
  // A marker matched with the row it stands for leaves that row as it is.
  // htmx looks only 10 elements ahead for a match by default: a page's
  // rows (50) may move further than that when items are re-sorted.
  if (typeof htmx !== "undefined" && htmx.config) htmx.config.morphScanLimit = 100;
  if (typeof htmx !== "undefined" && htmx.registerExtension) {
    htmx.registerExtension("nexus-rows", {
      htmx_before_morph_node: function (old, d) {
        var n = d && d.newNode, o = d && d.oldNode;
        if (!n || n.nodeType !== 1 || !n.hasAttribute("data-same")) return true;
        return !(o && o.nodeType === 1 && o.getAttribute("data-v") === n.getAttribute("data-v"));
      }
    });
  }
  document.addEventListener("htmx:after:swap", function () {
    if (document.querySelector("#region tr[data-same]")) {
      whole = true;
      changed();
    }
  });
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
  setInterval(function () {
    if (document.hidden) return;
    var now = Math.floor((Date.now() + skew) / 1000);
    var times = document.querySelectorAll("time[data-at]");
    for (var i = 0; i < times.length; i++) {
      var t = times[i], w = words(now - Number(t.getAttribute("data-at")));
      var text = t.firstChild;
      if (text && text.nodeType === 3 && !text.nextSibling) {
        if (text.data !== w) text.data = w;
      } else t.textContent = w;
    }
  }, 1000);
  document.addEventListener("htmx:sse:after:connection", function () {
    show("on", "● live");
  });
  document.addEventListener("htmx:sse:error", function () {
    show("off", "○ reconnecting…");
  });
  document.addEventListener("htmx:sse:close", function () {
    show("off", "○ not live: reload");
  });
})();
