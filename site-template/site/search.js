// Static search over titles, keywords, groups, recommendations, evidence and
// references, from the sharded index under search/ (format: docs/site.md,
// written by crates/site/src/search.rs). Only the shards of the query's words,
// the table rows of the hits shown and, for each of them, the one fragment of
// its text an excerpt is taken from are loaded, as scripts, so search also
// works opened from disk. Every word must match the start of a word in the
// title, keywords, group or recommendations, or a whole word in the evidence
// or references; case, accents and æ/ø/å (as ae/oe/aa) are folded as in the
// index. Guideline text is only ever put in the page as text (textContent).
(function () {
  "use strict";
  var PAGE = 20;
  var input = document.getElementById("q"), list = document.getElementById("search-results"),
    status = document.getElementById("search-status"), more = document.getElementById("search-more");
  var manifest = null, pending = {}, cache = {}, run = 0, shown = 0, hits = [], query = [];

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
    table: function (n, t) { arrived("t/" + n, t); },
    text: function (url, n, t) { arrived("../" + url + "search/" + n, t); }
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
          var b = best[id] || (best[id] = { score: 0, places: 0, frag: -1 });
          if (s > b.score) b.score = s;
          b.places |= p;
          if (full && b.frag < 0) b.frag = (v >> 2) & 63;
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
          var b = best[id] || (best[id] = { score: 0, places: 0, frag: -1 });
          if (more[id].score > b.score) b.score = more[id].score;
          b.places |= more[id].places;
          b.frag = more[id].frag;
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
        hits.push({ id: +id, score: total, places: p, per: per.map(function (b) { return b[id]; }) });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      query = words;
      return page(mine);
    }).catch(function () { if (mine === run) say("Søgeindekset kunne ikke indlæses."); });
  }

  // Which fragment of a hit's text its excerpt comes from, and for which
  // word: the first word of the query not in the title (the title is shown
  // with its words marked). A recommendation is in fragment 0, the evidence
  // and references in the fragment the posting names, keywords in fragment 0
  // (a word found only in the group's name has no excerpt). -1: none.
  function source(h) {
    for (var i = 0; i < h.per.length; i++) {
      var b = h.per[i];
      if (b.places & 1) continue;
      if (b.places & 4) return { frag: 0, word: i };
      if (b.frag >= 0) return { frag: b.frag, word: i };
      if (b.places & 2) return { frag: 0, word: i };
    }
    return { frag: -1, word: -1 };
  }

  // Whether a run of letters and digits (folded and cut as the index does)
  // matches query word w: as a prefix of three characters or more where the
  // index matches prefixes (title, keywords, recommendations), else whole.
  function matches(run, w, prefix) {
    var ts = terms(run);
    for (var i = 0; i < ts.length; i++) {
      if (ts[i] === w || (prefix && Array.from(w).length > 2 && ts[i].lastIndexOf(w, 0) === 0)) return true;
    }
    return false;
  }
  var RUN = /[\p{Alphabetic}\p{N}]+/gu;
  // Which query words a space-separated word of the text matches (a bit each).
  function hits_in(token, prefix) {
    var found = 0, m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(token))) {
      for (var i = 0; i < query.length; i++) if (matches(m[0], query[i], prefix)) found |= 1 << i;
    }
    return found;
  }
  // Appends `text` to `el`, its runs that match a query word in <mark>.
  function marked(el, text, prefix) {
    var at = 0, m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var hit = false;
      for (var i = 0; i < query.length && !hit; i++) hit = matches(m[0], query[i], prefix);
      if (!hit) continue;
      if (m.index > at) el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  var WHERE = { 2: "Nøgleord", 4: "Anbefaling", 8: "Evidensgrundlaget", 16: "Reference" };
  // An excerpt of the piece of `pieces` where query word `w` occurs (the
  // piece that also has most of the other words), cut only between words.
  function excerpt(pieces, w) {
    var best = null;
    pieces.forEach(function (piece) {
      var place = piece[0], text = piece[piece.length - 1], prefix = place < 8;
      var tokens = text.split(" "), first = -1, all = 0;
      tokens.forEach(function (t, i) {
        var f = hits_in(t, prefix);
        if (f & (1 << w) && first < 0) first = i;
        all |= f;
      });
      if (first < 0) return;
      var n = 0;
      for (var i = 0; i < query.length; i++) if (all & (1 << i)) n++;
      if (!best || n > best.n) best = { n: n, piece: piece, tokens: tokens, first: first, prefix: prefix };
    });
    if (!best) return null;
    // About 25 words around the first match, at most 240 characters.
    var t = best.tokens, lo = Math.max(0, best.first - 8), hi = Math.min(t.length, best.first + 18);
    var len = function () { return t.slice(lo, hi).join(" ").length; };
    while (len() > 240 && hi - 1 > best.first) hi--;
    while (len() > 240 && lo < best.first) lo++;
    var p = document.createElement("span"), piece = best.piece;
    p.className = "snippet";
    var label = document.createElement("span");
    label.className = "where";
    label.textContent = WHERE[piece[0]] + (piece.length > 2 ? " " + piece[1] : "") + ": ";
    p.appendChild(label);
    if (lo > 0) p.appendChild(document.createTextNode("… "));
    marked(p, t.slice(lo, hi).join(" "), best.prefix);
    if (hi < t.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  // Shows the next PAGE hits, loading their rows of the guideline table and
  // the fragment of each one's text its excerpt comes from.
  function page(mine) {
    var next = hits.slice(shown, shown + PAGE), chunk = manifest.table_chunk, need = {};
    next.forEach(function (h) { need[Math.floor(h.id / chunk)] = true; });
    return Promise.all(Object.keys(need).map(function (n) {
      return load("t/" + n).then(function (t) { need[n] = t; });
    })).then(function () {
      return Promise.all(next.map(function (h) {
        var row = need[Math.floor(h.id / chunk)][h.id % chunk], from = source(h);
        h.row = row;
        h.text = null;
        if (from.frag < 0) return null;
        // A hit whose text fails to load is still shown, without an excerpt.
        return load("../" + row[1] + "search/" + from.frag).then(function (pieces) {
          h.text = excerpt(pieces, from.word);
        }, function () {});
      }));
    }).then(function () {
      if (mine !== run) return;
      next.forEach(function (h) {
        var row = h.row;
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "../" + row[1] + "index.html";
        marked(a, row[0], true);
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "hit";
        meta.textContent = row[2] + " · version " + row[3] + " · fundet i " + places(h.places);
        li.appendChild(meta);
        if (h.text) li.appendChild(h.text);
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
