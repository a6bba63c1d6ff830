// nexus web pages: the live indicator says whether the page follows the
// event stream (htmx's SSE extension connects it; this only shows it).
(function () {
  "use strict";
  function show(state, text) {
    var el = document.getElementById("live");
    if (!el) return;
    el.hidden = false;
    el.dataset.state = state;
    el.textContent = text;
  }
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
