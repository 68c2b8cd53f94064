// Static search over titles, keywords and recommendation text, from the
// prebuilt search-index.json. Every word must match (in any field).
(function () {
  "use strict";
  var input = document.getElementById("q"), list = document.getElementById("search-results"), status = document.getElementById("search-status");
  var index = null;
  function norm(s) { return s.toLocaleLowerCase("da"); }
  function run() {
    if (!index) return;
    var words = norm(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var hits = 0;
    index.forEach(function (g) {
      var head = norm(g.title + " " + g.group + " " + g.dmcg + " " + g.keywords.join(" "));
      var recs = g.recommendations.map(norm);
      var ok = words.every(function (w) { return head.indexOf(w) !== -1 || recs.some(function (r) { return r.indexOf(w) !== -1; }); });
      if (!ok) return;
      hits++;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "../" + g.url + "index.html"; a.textContent = g.title;
      li.appendChild(a);
      var meta = document.createElement("span"); meta.className = "hit";
      var rec = g.recommendations.find(function (r) { return words.some(function (w) { return norm(r).indexOf(w) !== -1; }); });
      meta.textContent = g.dmcg + " · version " + g.version + (rec ? " · " + rec.slice(0, 160) : "");
      li.appendChild(meta);
      list.appendChild(li);
    });
    status.textContent = hits + (hits === 1 ? " retningslinje fundet" : " retningslinjer fundet");
  }
  index = window.VEJVISER_SEARCH_INDEX || null;
  if (!index) { status.textContent = "Søgeindekset kunne ikke indlæses."; return; }
  var q = new URLSearchParams(location.search).get("q");
  if (q) input.value = q;
  run();
  input.addEventListener("input", run);
  input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
})();
