// Progressive enhancement of the overview tables: sort by a column, filter rows.
// Without JavaScript the tables are plain, complete HTML.
(function () {
  "use strict";
  function versionKey(v) { var p = v.split("."); return (+p[0] || 0) * 100000 + (+p[1] || 0); }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("button.sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th"), key = button.dataset.key, version = button.dataset.type === "version";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.dataset[key] || "", y = b.dataset[key] || "";
          if (version) return dir * (versionKey(x) - versionKey(y));
          return dir * x.localeCompare(y, "da");
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var input = document.getElementById("filter");
  if (!input) return;
  var count = document.getElementById("filter-count");
  function apply() {
    var words = input.value.toLocaleLowerCase("da").split(/\s+/).filter(Boolean), shown = 0, rows = document.querySelectorAll("table.overview tbody tr");
    rows.forEach(function (r) {
      var hay = (r.dataset.title + " " + r.dataset.group + " " + r.dataset.keywords + " " + r.dataset.status).toLocaleLowerCase("da");
      var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = words.length ? shown + " af " + rows.length + " retningslinjer vises" : "";
  }
  input.addEventListener("input", apply);
  input.form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; }
  apply();
})();
