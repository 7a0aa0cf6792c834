// skillkit catalog: filter the skills table as you type (no network, no dependencies).
(function () {
  "use strict";
  function setup() {
    var input = document.getElementById("skillkit-filter");
    if (!input || input.dataset.ready) { return; }
    input.dataset.ready = "1";
    var article = input.closest("article") || document;
    var table = article.querySelector("table");
    var count = document.getElementById("skillkit-count");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " skills"; }
    }
    input.addEventListener("input", apply);
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
