#!/usr/bin/env python3
"""Where a PDF's bytes go (issue 18): per category of object, for one PDF or every PDF
under a folder, and with --ops the page content streams by kind of operator.

Usage: bench/pdf_bytes.py PDF|DIR [PDF|DIR ...] [--ops] [--full-only] [--markdown]

Categories of stored bytes (they add up to the file size):
  page content     the page content streams (compressed, as stored)
  font programs    the embedded subset fonts (FontFile2)
  ToUnicode        the character maps that give text extraction its Unicode
  encoding CMap    the embedded one-byte encoding CMap, shared by the fonts
  CIDToGIDMap      each font's map from the shared one-byte codes to its glyphs
  object streams   the compressed object streams, split by what they hold, in proportion
                   to each kind's uncompressed bytes: structure elements, parent tree,
                   link annotations, outline, pages, fonts' dictionaries, other
  xref stream      the cross-reference stream
  XMP, ICC         the metadata stream and the sRGB output-intent profile
  framing          everything else: header, `obj`/`endobj`, stream dictionaries, trailer

--ops splits the page content streams by operator (text strings, the show operators,
text positioning, fonts, colour, marked content, BT/ET, paths), giving the raw
(decompressed) bytes of each and its marginal compressed cost: how many bytes the
compressed streams lose when that kind is left out (zlib level 5, as the writer uses;
the marginals do not add up to the total, since they compress together).

Reads only what the vejviser writer produces (PDF 1.7, xref and object streams,
FlateDecode); it is a measuring tool, not a general PDF parser.
"""
import collections
import os
import re
import sys
import zlib

OBJ = re.compile(rb"(?m)^(\d+) 0 obj\s*")
INT = re.compile(rb"\d+")


def dict_end(buf, at):
    """Index just past the `>>` closing the dictionary opening at `at`."""
    depth = 0
    i = at
    n = len(buf)
    while i < n:
        c = buf[i : i + 1]
        if buf.startswith(b"<<", i):
            depth += 1
            i += 2
            continue
        if buf.startswith(b">>", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
            continue
        if c == b"(":
            i = string_end(buf, i)
            continue
        i += 1
    return n


def string_end(buf, at):
    """Index just past the literal string opening at `at`."""
    depth = 0
    i = at
    n = len(buf)
    while i < n:
        c = buf[i]
        if c == 0x5C:  # backslash
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def key(d, name):
    """The value text after /name in dictionary bytes `d` (first token), or None."""
    m = re.search(rb"/" + name + rb"(?![A-Za-z0-9])\s*([^/<>\[\]\s]+(?:\s+0\s+R)?|/[A-Za-z0-9]+)", d)
    return m.group(1) if m else None


def refs(d, name):
    m = re.search(rb"/" + name + rb"(?![A-Za-z0-9])\s*(\[[^\]]*\]|\d+\s+0\s+R)", d)
    if not m:
        return []
    return [int(x) for x in re.findall(rb"(\d+)\s+0\s+R", m.group(1))]


class Pdf:
    def __init__(self, data):
        self.data = data
        self.top = {}  # id -> (start, end, dict bytes, stream raw or None)
        self.inner = {}  # id -> (objstm id, body bytes)
        for m in OBJ.finditer(data):
            oid = int(m.group(1))
            at = m.end()
            if not data.startswith(b"<<", at):
                end = data.find(b"endobj", at)
                self.top[oid] = (m.start(), end + 6, data[at:end], None)
                continue
            de = dict_end(data, at)
            d = data[at:de]
            rest = data[de : de + 12]
            stream = None
            end = data.find(b"endobj", de)
            sm = re.match(rb"\s*stream\r?\n", rest)
            if sm:
                s0 = de + sm.end()
                length = int(key(d, b"Length"))
                stream = data[s0 : s0 + length]
                end = data.find(b"endobj", s0 + length)
            self.top[oid] = (m.start(), end + 6, d, stream)
        for oid, (_, _, d, s) in self.top.items():
            if s is not None and b"/ObjStm" in d:
                raw = zlib.decompress(s)
                first = int(key(d, b"First"))
                nums = [int(x) for x in INT.findall(raw[:first])]
                pairs = list(zip(nums[::2], nums[1::2]))
                for k, (iid, off) in enumerate(pairs):
                    nxt = pairs[k + 1][1] if k + 1 < len(pairs) else len(raw) - first
                    self.inner[iid] = (oid, raw[first + off : first + nxt])

    def body(self, oid):
        if oid in self.inner:
            return self.inner[oid][1]
        t = self.top.get(oid)
        return t[2] if t else b""

    def pages(self):
        return [i for i in self.inner if re.search(rb"/Type\s*/Page(?![a-z])", self.inner[i][1])] + [
            i for i, t in self.top.items() if re.search(rb"/Type\s*/Page(?![a-z])", t[2])
        ]


def inner_kind(b):
    if re.search(rb"/Type\s*/StructElem|/S\s*/[A-Za-z0-9]+\s*/P\s", b) or b.startswith(b"<</S/") or b"/StructElem" in b:
        return "structure elements"
    if b"/StructTreeRoot" in b or b"/ParentTree" in b:
        return "parent tree"
    if b.startswith(b"["):
        return "parent tree"
    if b"/Annot" in b:
        return "link annotations"
    if b"/Title" in b and (b"/Parent" in b or b"/Outlines" in b) or b"/Outlines" in b:
        return "outline"
    if re.search(rb"/Type\s*/Pages?(?![a-z])", b):
        return "pages"
    if b"/Font" in b or b"/FontDescriptor" in b or b"/CIDFont" in b or b"/W[" in b:
        return "fonts' dictionaries"
    return "other small objects"


def account(path, acc, ops_acc):
    data = open(path, "rb").read()
    p = Pdf(data)
    cat = collections.Counter()
    content_ids = set()
    for pid in p.pages():
        content_ids.update(refs(p.body(pid), b"Contents"))
    font_files = set()
    to_unicode = set()
    encodings = set()
    cid_maps = set()
    for oid in list(p.inner) + list(p.top):
        b = p.body(oid)
        font_files.update(refs(b, b"FontFile2"))
        to_unicode.update(refs(b, b"ToUnicode"))
        if b"/Type0" in b:
            encodings.update(refs(b, b"Encoding"))
        cid_maps.update(refs(b, b"CIDToGIDMap"))
    counted = 0
    for oid, (s, e, d, stream) in p.top.items():
        if stream is None:
            continue
        n = len(stream)
        counted += n
        if oid in content_ids:
            cat["page content"] += n
        elif oid in font_files:
            cat["font programs"] += n
        elif oid in to_unicode:
            cat["ToUnicode"] += n
        elif oid in encodings:
            cat["encoding CMap"] += n
        elif oid in cid_maps:
            cat["CIDToGIDMap"] += n
        elif b"/ObjStm" in d:
            kinds = collections.Counter()
            for iid, (sid, body) in p.inner.items():
                if sid == oid:
                    kinds[inner_kind(body)] += len(body)
            total = sum(kinds.values()) or 1
            for k, v in kinds.items():
                cat["object streams: " + k] += n * v / total
        elif b"/XRef" in d:
            cat["xref stream"] += n
        elif b"/Metadata" in d:
            cat["XMP"] += n
        elif b"/N 3" in d or b"/N\n3" in d or re.search(rb"/N\s*3(?!\d)", d):
            cat["ICC"] += n
        else:
            cat["other streams"] += n
    cat["framing"] += len(data) - counted
    acc["files"] += 1
    acc["pages"] += len(p.pages())
    for k, v in cat.items():
        acc[k] += v
    acc["total"] += len(data)
    if ops_acc is not None:
        for cid in sorted(content_ids):
            raw = zlib.decompress(p.top[cid][3])
            op_account(raw, ops_acc)


OPS = {
    b"Tj": "text show", b"TJ": "text show", b"'": "text show", b'"': "text show",
    b"Tm": "text position", b"Td": "text position", b"TD": "text position",
    b"T*": "text position", b"TL": "text position",
    b"Tf": "font (Tf)",
    b"rg": "colour", b"RG": "colour", b"g": "colour", b"G": "colour",
    b"k": "colour", b"K": "colour",
    b"BDC": "marked content", b"BMC": "marked content", b"EMC": "marked content",
    b"BT": "BT/ET", b"ET": "BT/ET",
}
DELIM = b"()<>[]{}/% \t\r\n\f\0"


def tokens(raw):
    """(start, end, token) of each content stream token."""
    i, n = 0, len(raw)
    while i < n:
        c = raw[i : i + 1]
        if c in b" \t\r\n\f\0":
            i += 1
            continue
        if c == b"(":
            j = string_end(raw, i)
            yield i, j, b"(str)"
            i = j
        elif raw.startswith(b"<<", i):
            j = dict_end(raw, i)
            yield i, j, b"<<dict>>"
            i = j
        elif c == b"<":
            j = raw.index(b">", i) + 1
            yield i, j, b"(str)"
            i = j
        elif c in b"[]":
            yield i, i + 1, c
            i += 1
        else:
            j = i + 1
            while j < n and raw[j : j + 1] not in DELIM:
                j += 1
            if c == b"/":
                pass
            yield i, j, raw[i:j]
            i = j


def op_account(raw, acc):
    """Add raw bytes per kind of operator (and the glyph strings) and the marginal
    compressed cost of each kind for this stream."""
    spans = collections.defaultdict(list)  # kind -> [(start, end)]
    start = None
    strings = []
    for s, e, t in tokens(raw):
        if start is None:
            start = s
        if t == b"(str)":
            strings.append((s, e))
            continue
        if t[:1] in b"0123456789.-+/[]<" or t in (b"true", b"false", b"null"):
            continue
        kind = OPS.get(t, "paths and graphics state")
        # the operator with its operands and the whitespace after it
        end = e
        while end < len(raw) and raw[end : end + 1] in b" \n\r":
            end += 1
        if kind == "text show":
            for ss, se in strings:
                spans["text strings (glyph codes)"].append((ss, se))
                acc["raw: text strings (glyph codes)"] += se - ss
            rest = (end - start) - sum(se - ss for ss, se in strings)
            spans["text show (operator)"].append((start, end))
            acc["raw: text show (operator)"] += rest
        else:
            spans[kind].append((start, end))
            acc["raw: " + kind] += end - start
        strings = []
        start = None
    full = len(zlib.compress(raw, 5))
    acc["compressed"] += full
    acc["raw"] += len(raw)
    for kind, ss in spans.items():
        keep = bytearray()
        at = 0
        if kind == "text strings (glyph codes)":
            for s, e in ss:
                keep += raw[at:s] + b"()"
                at = e
        elif kind == "text show (operator)":
            # leave the strings, drop the rest: approximated by dropping the operators
            continue
        else:
            for s, e in ss:
                keep += raw[at:s]
                at = e
        keep += raw[at:]
        acc["marginal: " + kind] += full - len(zlib.compress(bytes(keep), 5))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    if not args:
        sys.exit(__doc__)
    files = []
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                files += [os.path.join(root, n) for n in names if n.endswith(".pdf")]
        else:
            files.append(a)
    if "--full-only" in flags:
        files = [f for f in files if not f.endswith("-quick.pdf")]
    files.sort()
    acc = collections.Counter()
    ops = collections.Counter() if "--ops" in flags else None
    for f in files:
        account(f, acc, ops)
    md = "--markdown" in flags
    total = acc["total"]
    nf, npg = acc["files"], acc["pages"]
    print(f"{nf} PDF(s), {npg} pages, {total:,} bytes: {total / max(nf, 1) / 1000:.1f} KB per file, "
          f"{total / max(npg, 1) / 1000:.2f} KB per page")
    rows = [(k, v) for k, v in acc.items() if k not in ("total", "files", "pages")]
    rows.sort(key=lambda kv: -kv[1])
    if md:
        print("| category | bytes | share | per file | per page |\n|---|---|---|---|---|")
    for k, v in rows:
        if md:
            print(f"| {k} | {v:,.0f} | {100 * v / total:.1f}% | {v / nf / 1000:.1f} KB | {v / npg:,.0f} B |")
        else:
            print(f"  {k:42} {v:14,.0f}  {100 * v / total:5.1f}%  {v / nf / 1000:8.1f} KB/file  {v / npg:8,.0f} B/page")
    if ops is not None:
        print(f"\npage content by operator: {ops['raw']:,} bytes raw, {ops['compressed']:,} compressed (zlib 5)")
        kinds = sorted({k.split(": ", 1)[1] for k in ops if k.startswith("raw: ")},
                       key=lambda k: -ops["raw: " + k])
        for k in kinds:
            r = ops["raw: " + k]
            mc = ops.get("marginal: " + k)
            mcs = f"{mc:12,}" if mc is not None else "           -"
            print(f"  {k:32} raw {r:12,} ({100 * r / ops['raw']:5.1f}%)  marginal compressed {mcs}")


if __name__ == "__main__":
    main()
