// Static search over titles, keywords, groups and recommendation text, from
// the sharded index under search/ (format: docs/site.md, written by
// crates/site/src/search.rs). Only the shards of the query's words and the
// table rows of the hits shown are loaded, as scripts, so search also works
// opened from disk. Every word must match the start of a word in the
// guideline; case, accents and æ/ø/å (as ae/oe/aa) are folded as in the index.
(function () {
  "use strict";
  var PAGE = 20;
  var input = document.getElementById("q"), list = document.getElementById("search-results"),
    status = document.getElementById("search-status"), more = document.getElementById("search-more");
  var manifest = null, pending = {}, cache = {}, run = 0, shown = 0, hits = [];

  // Must fold and cut text exactly as search.rs does.
  function fold(s) {
    return s.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function terms(s) {
    var seen = {};
    return fold(s).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) {
      if (Array.from(w).length < 2 || seen[w]) return false;
      seen[w] = true;
      return true;
    });
  }

  // Code point order, as the index sorts its terms (UTF-16 order differs above U+FFFF).
  function compare(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  // Each index file is a script calling back into VEJVISER_SEARCH.
  function load(path) {
    if (!cache[path]) {
      cache[path] = new Promise(function (resolve, reject) {
        pending[path] = resolve;
        var s = document.createElement("script");
        s.src = path + ".js";
        s.onerror = function () { delete cache[path]; reject(new Error(path)); };
        document.head.appendChild(s);
      });
    }
    return cache[path];
  }
  function arrived(path, data) {
    var resolve = pending[path];
    delete pending[path];
    if (resolve) resolve(data);
  }
  window.VEJVISER_SEARCH = {
    manifest: function (m) { arrived("manifest", m); },
    shard: function (n, s) { arrived("s/" + n, s); },
    full: function (n, s) { arrived("f/" + n, s); },
    table: function (n, t) { arrived("t/" + n, t); }
  };

  // Best places of `word` per guideline id: title 32, group or keyword 16,
  // recommendation 8, evidence 4, reference 2, plus 1 when the whole word matches.
  // A prefix-index posting is `gap * 32 + places`; a full-text one is
  // `gap * 256 + fragment * 4 + where` (where: 1 evidence, 2 a reference), the
  // fragment being that of the word's first occurrence (vejviser-search/3).
  function score(word, whole, shards, full) {
    var best = {};
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (term) {
        if (whole ? term !== word : term.lastIndexOf(word, 0) !== 0) return;
        var exact = term === word ? 1 : 0, id = 0;
        shard[term].forEach(function (v) {
          var p;
          if (full) {
            id += Math.floor(v / 256);
            p = (v & 1 ? 8 : 0) | (v & 2 ? 16 : 0);
          } else {
            id += Math.floor(v / 32);
            p = v % 32;
          }
          var s = (p & 1 ? 32 : 0) + (p & 2 ? 16 : 0) + (p & 4 ? 8 : 0) + (p & 8 ? 4 : 0) + (p & 16 ? 2 : 0) + exact;
          var b = best[id] || (best[id] = { score: 0, places: 0 });
          if (s > b.score) b.score = s;
          b.places |= p;
        });
      });
    });
    return best;
  }

  function places(p) {
    var w = [];
    if (p & 1) w.push("titlen");
    if (p & 2) w.push("gruppe eller nøgleord");
    if (p & 4) w.push("anbefalingerne");
    if (p & 8) w.push("evidensgrundlaget");
    if (p & 16) w.push("referencerne");
    return w.length > 1 ? w.slice(0, -1).join(", ") + " og " + w[w.length - 1] : w[0];
  }

  function say(text) { status.textContent = text; }

  function search() {
    var mine = ++run, words = terms(input.value);
    list.textContent = "";
    more.hidden = true;
    hits = [];
    shown = 0;
    if (!words.length) { say(input.value.trim() ? "Skriv mindst to bogstaver." : ""); return; }
    var keys = manifest.shards;
    Promise.all(words.map(function (w) {
      // A two-letter word matches whole terms only: as a prefix it would load
      // every shard of its letters (a large part of the index for a common pair).
      var whole = Array.from(w).length < 3, need = [], n = 0;
      // Shard n holds the terms from keys[n] up to keys[n + 1]: the terms that
      // start with w begin in the last shard whose key is not after w.
      while (n + 1 < keys.length && compare(keys[n + 1], w) <= 0) n++;
      need.push(load("s/" + n));
      while (!whole && ++n < keys.length && keys[n].lastIndexOf(w, 0) === 0) need.push(load("s/" + n));
      // The evidence and references: whole words, in the one full-text
      // bucket that holds w (FNV-1a of its UTF-8 bytes, as the index computes it).
      var nf = manifest.full_shards || 0, h = 0x811c9dc5, bytes = new TextEncoder().encode(w);
      for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
      var fullShard = nf ? load("f/" + (h % nf)) : Promise.resolve({});
      return Promise.all([Promise.all(need), fullShard]).then(function (got) {
        var best = score(w, whole, got[0], false), more = score(w, true, [got[1]], true);
        Object.keys(more).forEach(function (id) {
          var b = best[id] || (best[id] = { score: 0, places: 0 });
          if (more[id].score > b.score) b.score = more[id].score;
          b.places |= more[id].places;
        });
        return best;
      });
    })).then(function (per) {
      if (mine !== run) return;
      Object.keys(per[0]).forEach(function (id) {
        var total = 0, p = 0;
        for (var i = 0; i < per.length; i++) {
          var b = per[i][id];
          if (!b) return;
          total += b.score;
          p |= b.places;
        }
        hits.push({ id: +id, score: total, places: p });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return page(mine);
    }).catch(function () { if (mine === run) say("Søgeindekset kunne ikke indlæses."); });
  }

  // Shows the next PAGE hits, loading their rows of the guideline table.
  function page(mine) {
    var next = hits.slice(shown, shown + PAGE), chunk = manifest.table_chunk, need = {};
    next.forEach(function (h) { need[Math.floor(h.id / chunk)] = true; });
    return Promise.all(Object.keys(need).map(function (n) {
      return load("t/" + n).then(function (t) { need[n] = t; });
    })).then(function () {
      if (mine !== run) return;
      next.forEach(function (h) {
        var row = need[Math.floor(h.id / chunk)][h.id % chunk];
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "../" + row[1] + "index.html";
        a.textContent = row[0];
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "hit";
        meta.textContent = row[2] + " · version " + row[3] + " · fundet i " + places(h.places);
        li.appendChild(meta);
        list.appendChild(li);
      });
      shown += next.length;
      var n = hits.length;
      say(n + (n === 1 ? " retningslinje fundet" : " retningslinjer fundet") +
        (shown < n ? ", de " + shown + " bedste vises" : ""));
      more.hidden = shown >= n;
    });
  }

  more.addEventListener("click", function () {
    var mine = run;
    more.disabled = true;
    page(mine).catch(function () { if (mine === run) say("Søgeindekset kunne ikke indlæses."); })
      .then(function () { more.disabled = false; });
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) input.value = q;
  // Search when typing pauses, so the words on the way load no shards.
  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { if (manifest) search(); }, 250);
  });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); if (manifest) search(); });
  load("manifest").then(function (m) { manifest = m; search(); },
    function () { say("Søgeindekset kunne ikke indlæses."); });
})();
