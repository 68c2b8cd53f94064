#!/usr/bin/env python3
"""Where a built site's bytes go (issue 18): by kind of file and by whether it
belongs to a current version, an archived (or withdrawn) version, or the site.

Usage: bench/site_bytes.py SITE [--markdown]

Kinds: the full PDF and the quick-guide PDF, the full page, the quick guide
(`index.html` of a version folder; for an archived version the short page that
points into its full page), the page of changes (`aendringer/`), guideline.json,
and the site's own pages, scripts and index. The build's own state (files whose
name starts with a dot: the cache, the site mark) is not published and is left
out. Sizes are as stored (no transfer compression). A version folder is one
holding `full.html`.
"""
import collections
import os
import re
import sys

VERSION = re.compile(r"^\d+\.\d+$")


def kind(name, parts):
    if name.endswith("-quick.pdf"):
        return "quick PDF"
    if name.endswith(".pdf"):
        return "full PDF"
    if name == "full.html":
        return "full page"
    if name == "guideline.json":
        return "guideline.json"
    if name == "index.html" and "aendringer" in parts:
        return "page of changes"
    if name == "index.html":
        return "quick guide"
    return "other"


def main():
    root = sys.argv[1]
    markdown = "--markdown" in sys.argv[2:]
    size = collections.Counter()
    count = collections.Counter()
    versions = collections.Counter()
    for d, _, files in os.walk(root):
        rel = os.path.relpath(d, root)
        parts = [] if rel == "." else rel.split("/")
        in_version = "full.html" in files or "aendringer" in parts
        where = "site"
        if in_version or (len(parts) >= 2 and "aendringer" in parts):
            archived = len(parts) >= 3 and VERSION.match(parts[2]) is not None
            where = "archived" if archived else "current"
        if "full.html" in files:
            versions[where] += 1
        for f in files:
            if f.startswith("."):
                continue
            n = os.path.getsize(os.path.join(d, f))
            k = kind(f, parts) if where != "site" else "site pages, scripts, index"
            size[(where, k)] += n
            count[(where, k)] += 1
    total = sum(size.values())
    mb = lambda b: b / 1048576
    if markdown:
        print("| where | kind | files | MB | mean KB |")
        print("|---|---|---|---|---|")
    for key in sorted(size, key=lambda k: -size[k]):
        where, k = key
        mean = size[key] / count[key] / 1024
        if markdown:
            print(f"| {where} | {k} | {count[key]:,} | {mb(size[key]):,.1f} | {mean:,.1f} |")
        else:
            print(f"{where:9} {k:28} {count[key]:6} files {mb(size[key]):9.1f} MB  mean {mean:7.1f} KB")
    per = {w: sum(v for (x, _), v in size.items() if x == w) for w in ("current", "archived", "site")}
    line = (
        f"total {mb(total):,.0f} MB: current {mb(per['current']):,.0f} MB ({versions['current']:,} versions), "
        f"archived {mb(per['archived']):,.0f} MB ({versions['archived']:,} versions), site {mb(per['site']):,.0f} MB"
    )
    print(line if not markdown else f"\n{line}")


if __name__ == "__main__":
    main()
