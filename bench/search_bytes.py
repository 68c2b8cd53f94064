#!/usr/bin/env python3
"""Bytes a browser fetches for a first search on a built site (issue 18).

Usage: bench/search_bytes.py SITE [QUERY ...]

For each query: the search page itself (search/index.html, its stylesheets and
scripts), the shard manifest, the shards of the query's words, the chunks of
the guideline table holding the first page of hits and, for each of those hits,
the fragment of its text its excerpt is taken from, exactly as
site-template/site/search.js chooses them (same folding, same ranking). Sizes
are as stored (no transfer compression; a server's gzip makes them smaller).
Prints one line: `<max> KB max over N queries (<query> <KB>, …)`.
"""
import json
import os
import re
import sys
import unicodedata

PAGE = 20  # search.js's PAGE


def fold(s):
    s = s.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not 0x300 <= ord(c) <= 0x36F)


def terms(s):
    out = []
    for w in re.split(r"[^\w]+|_", fold(s)):
        if len(w) >= 2 and w not in out:
            out.append(w)
    return out


def payload(path, call):
    text = open(path, encoding="utf-8").read()
    m = re.match(r"VEJVISER_SEARCH\.%s\((?:\d+,)?(.*)\);\n$" % call, text, re.S)
    return json.loads(m.group(1))


def first_query(site, query):
    d = os.path.join(site, "search")
    page = os.path.join(d, "index.html")
    html = open(page, encoding="utf-8").read()
    files = [page]
    for ref in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+\.(?:js|css))"', html):
        files.append(os.path.normpath(os.path.join(d, ref)))
    files.append(os.path.join(d, "manifest.js"))
    manifest = payload(os.path.join(d, "manifest.js"), "manifest")
    per = []
    for w in terms(query):
        best = {}
        whole = len(w) < 3  # search.js: a two-letter word matches whole terms only
        keys = manifest["shards"]
        n = max(i for i, k in enumerate(keys) if k <= w)
        need = [n]
        while not whole and n + 1 < len(keys) and keys[n + 1].startswith(w):
            n += 1
            need.append(n)
        nf = manifest.get("full_shards", 0)
        todo = [("s", "shard", n, whole) for n in need]
        if nf:  # the evidence and references: whole words, one bucket (FNV-1a)
            h = 0x811C9DC5
            for b in w.encode("utf-8"):
                h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
            todo.append(("f", "full", h % nf, True))
        for folder, call, n, exact in todo:
            f = os.path.join(d, folder, f"{n}.js")
            files.append(f)
            for term, postings in payload(f, call).items():
                if not (term == w if exact else term.startswith(w)):
                    continue
                gid = 0
                for v in postings:
                    if folder == "f":  # gap << 8 | fragment << 2 | where (vejviser-search/3)
                        gid += v >> 8
                        p = (8 if v & 1 else 0) | (16 if v & 2 else 0)
                        frag = (v >> 2) & 63
                    else:  # gap << 5 | places
                        gid += v >> 5
                        p = v & 31
                        frag = -1
                    s = sum(b for bit, b in ((1, 32), (2, 16), (4, 8), (8, 4), (16, 2)) if p & bit) + (term == w)
                    old = best.get(gid, (0, 0, -1))
                    best[gid] = (max(old[0], s), old[1] | p, old[2] if old[2] >= 0 else frag)
        per.append(best)
    hits = []
    if per:
        for gid in per[0]:
            if all(gid in b for b in per):
                hits.append((-sum(b[gid][0] for b in per), gid))
    hits.sort()
    chunk = manifest["table_chunk"]
    chunks = sorted({gid // chunk for _, gid in hits[:PAGE]})
    files += [os.path.join(d, "t", f"{n}.js") for n in chunks]
    tables = {n: payload(os.path.join(d, "t", f"{n}.js"), "table") for n in chunks}
    for _, gid in hits[:PAGE]:  # search.js's source(): the fragment of each hit's excerpt
        url = tables[gid // chunk][gid % chunk][1]
        for b in per:
            _, p, frag = b[gid]
            if p & 1:
                continue
            k = 0 if p & 4 else frag if frag >= 0 else 0 if p & 2 else -1
            if k >= 0:
                files.append(os.path.join(site, url, "search", f"{k}.js"))
            break
    total = sum(os.path.getsize(f) for f in dict.fromkeys(files))
    return total, len(hits), len(dict.fromkeys(files))


def main():
    site = sys.argv[1]
    queries = sys.argv[2:] or ["kræft", "stamcelle", "lungekræft", "melphalan", "kræft stadie", "be"]
    results = [(q, *first_query(site, q)) for q in queries]
    worst = max(r[1] for r in results)
    parts = ", ".join(f"“{q}” {b / 1024:.0f} KB ({h} hits, {n} files)" for q, b, h, n in results)
    print(f"{worst / 1024:.0f} KB max over {len(results)} queries: {parts}")


if __name__ == "__main__":
    main()
