//! Turns laid-out pages into PDF bytes: content streams, subset Type0/CIDFontType2 fonts,
//! link annotations, outline, metadata. Object ids are assigned locally in a fixed order,
//! and the file `/ID` is a hash of the content, so output is byte-identical for equal
//! input, whatever else runs in the process.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::doc::{Document, LinkTarget};
use crate::font::{Face, SubsetPlan, ALL_FACES};
use crate::layout::{Color, Item, Laid, PAGE_H, PAGE_W};
use crate::pdf::{fingerprint, num, text_string, PdfWriter, Vec8};
use crate::RenderStats;

/// Glyphs used per face: glyph id → the character it stands for (for /ToUnicode);
/// `'\0'` = unused.
struct FontUse {
    chars: Vec<char>,
    any: bool,
    plan: Option<SubsetPlan>,
}

impl FontUse {
    fn new(face: Face) -> Self {
        let n = face.get().map(|f| f.num_glyphs()).unwrap_or(0);
        FontUse {
            chars: vec!['\0'; n],
            any: false,
            plan: None,
        }
    }

    /// Record the glyphs of `text` (characters the face lacks become `?`).
    fn add(&mut self, face: Face, text: &str, stats: &mut RenderStats) {
        let f = face.get().expect("fonts are checked before layout");
        for c in text.chars() {
            if c == '\u{AD}' || c.is_control() {
                continue;
            }
            let (gid, ch) = match f.lookup(c) {
                Some(g) => (g, c),
                None => {
                    if !stats.replaced_chars.contains(&c) {
                        stats.replaced_chars.push(c);
                    }
                    (f.glyph('?'), '?')
                }
            };
            if let Some(slot) = self.chars.get_mut(gid as usize) {
                if *slot == '\0' {
                    *slot = ch;
                    self.any = true;
                }
            }
        }
    }

    fn make_plan(&mut self, face: Face) {
        if !self.any {
            return;
        }
        let f = face.get().expect("fonts are checked");
        let used = self
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != '\0')
            .map(|(g, _)| g as u16);
        self.plan = Some(f.plan_subset(used));
    }

    /// New glyph id → character, for /ToUnicode and /W.
    fn new_gids(&self) -> BTreeMap<u16, char> {
        let Some(plan) = &self.plan else {
            return BTreeMap::new();
        };
        plan.glyphs
            .iter()
            .enumerate()
            .filter_map(|(new, old)| {
                let c = self.chars[*old as usize];
                (new != 0 && c != '\0').then_some((new as u16, c))
            })
            .collect()
    }
}

struct PageOut {
    content: Vec<u8>,
    annots: Vec<(f32, f32, f32, f32, LinkTarget)>,
}

struct Painter {
    s: Vec<u8>,
    font: Option<(Face, f32)>,
    fill: Option<Color>,
    in_text: bool,
}

impl Painter {
    fn new() -> Self {
        Painter {
            s: Vec::with_capacity(32 * 1024),
            font: None,
            fill: None,
            in_text: false,
        }
    }
    fn n(&mut self, v: f32) {
        push_num_bytes(&mut self.s, v);
        self.s.push(b' ');
    }
    fn raw(&mut self, t: &str) {
        self.s.extend_from_slice(t.as_bytes());
    }
    fn end_text(&mut self) {
        if self.in_text {
            self.raw("ET\n");
            self.in_text = false;
        }
    }
    fn fill(&mut self, c: Color) {
        if self.fill != Some(c) {
            self.n(c.0);
            self.n(c.1);
            self.n(c.2);
            self.raw("rg\n");
            self.fill = Some(c);
        }
    }
    fn stroke(&mut self, c: Color, w: f32) {
        self.n(c.0);
        self.n(c.1);
        self.n(c.2);
        self.raw("RG ");
        self.n(w);
        self.raw("w\n");
    }
}

/// Append `text` as a PDF literal string of 2-byte glyph ids.
fn encode_glyphs(out: &mut Vec<u8>, text: &str, face: Face, uses: &[FontUse; 5]) {
    let f = face.get().expect("fonts are checked before layout");
    let u = &uses[face as usize];
    out.push(b'(');
    for c in text.chars() {
        if c == '\u{AD}' || c.is_control() {
            continue;
        }
        let old = f.glyph(c);
        let gid = u.plan.as_ref().map(|p| p.new_id(old)).unwrap_or(0);
        for b in gid.to_be_bytes() {
            match b {
                b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\n' => out.extend_from_slice(b"\\n"),
                _ => out.push(b),
            }
        }
    }
    out.push(b')');
}

/// Append a number compactly (at most 2 decimals).
fn push_num_bytes(out: &mut Vec<u8>, v: f32) {
    let r = (v as f64 * 100.0).round() as i64;
    if r < 0 {
        out.push(b'-');
    }
    let a = r.unsigned_abs();
    push_uint(out, a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

fn push_uint(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn rect_path(p: &mut Painter, x: f32, y: f32, w: f32, h: f32, r: f32) {
    // (x, y) is the bottom-left corner in PDF space
    let r = r.min(w / 2.0).min(h / 2.0);
    if r <= 0.01 {
        p.n(x);
        p.n(y);
        p.n(w);
        p.n(h);
        p.raw("re\n");
        return;
    }
    let k = 0.5523 * r;
    let (x1, y1, x2, y2) = (x, y, x + w, y + h);
    let pt = |p: &mut Painter, vals: &[f32], op: &str| {
        for v in vals {
            p.n(*v);
        }
        p.raw(op);
        p.raw("\n");
    };
    pt(p, &[x1 + r, y1], "m");
    pt(p, &[x2 - r, y1], "l");
    pt(p, &[x2 - r + k, y1, x2, y1 + r - k, x2, y1 + r], "c");
    pt(p, &[x2, y2 - r], "l");
    pt(p, &[x2, y2 - r + k, x2 - r + k, y2, x2 - r, y2], "c");
    pt(p, &[x1 + r, y2], "l");
    pt(p, &[x1 + r - k, y2, x1, y2 - r + k, x1, y2 - r], "c");
    pt(p, &[x1, y1 + r], "l");
    pt(p, &[x1, y1 + r - k, x1 + r - k, y1, x1 + r, y1], "c");
    p.raw("h\n");
}

fn paint_page(items: &[Item], uses: &[FontUse; 5]) -> PageOut {
    let mut p = Painter::new();
    let mut annots = Vec::new();
    for it in items {
        match it {
            Item::Text {
                x,
                y,
                face,
                size,
                color,
                text,
            } => {
                if !p.in_text {
                    p.raw("BT\n");
                    p.in_text = true;
                }
                if p.font != Some((*face, *size)) {
                    let _ = write!(Vec8(&mut p.s), "/F{} ", *face as usize);
                    p.n(*size);
                    p.raw("Tf\n");
                    p.font = Some((*face, *size));
                }
                p.fill(*color);
                p.raw("1 0 0 1 ");
                p.n(*x);
                p.n(PAGE_H - *y);
                p.raw("Tm ");
                encode_glyphs(&mut p.s, text, *face, uses);
                p.raw(" Tj\n");
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
                radius,
            } => {
                p.end_text();
                if let Some((c, lw)) = stroke {
                    p.stroke(*c, *lw);
                }
                if let Some(c) = fill {
                    p.fill(*c);
                }
                rect_path(&mut p, *x, PAGE_H - *y - *h, *w, *h, *radius);
                p.raw(match (fill.is_some(), stroke.is_some()) {
                    (true, true) => "B\n",
                    (false, true) => "S\n",
                    _ => "f\n",
                });
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
                dots,
            } => {
                p.end_text();
                if *dots {
                    p.raw("q [0 2.6] 0 d 1 J\n");
                }
                p.stroke(*color, *width);
                p.n(*x1);
                p.n(PAGE_H - *y1);
                p.raw("m ");
                p.n(*x2);
                p.n(PAGE_H - *y2);
                p.raw("l S\n");
                if *dots {
                    p.raw("Q\n");
                }
            }
            Item::Link { x, y, w, h, target } => {
                annots.push((*x, PAGE_H - *y - *h, *x + *w, PAGE_H - *y, target.clone()));
            }
            Item::PageRef { .. } => {}
            Item::Watermark { text } => {
                p.end_text();
                let face = Face::Bold;
                let f = face.get().expect("fonts are checked");
                let w1 = f.text_width(text, 1.0).max(0.1);
                let diag = (PAGE_W * PAGE_W + PAGE_H * PAGE_H).sqrt();
                let size = (diag * 0.55 / w1).min(120.0);
                let w = w1 * size;
                let (s, c) = (45f32.to_radians().sin(), 45f32.to_radians().cos());
                // centre of the text box at the page centre
                let cx = PAGE_W / 2.0;
                let cy = PAGE_H / 2.0;
                let ox = cx - c * w / 2.0 + s * size * 0.36;
                let oy = cy - s * w / 2.0 - c * size * 0.36;
                p.raw("q /GS0 gs 0.55 0.57 0.6 rg BT ");
                let _ = write!(Vec8(&mut p.s), "/F{} ", face as usize);
                p.n(size);
                p.raw("Tf ");
                for v in [c, s, -s, c, ox, oy] {
                    p.n(v);
                }
                p.raw("Tm ");
                encode_glyphs(&mut p.s, text, face, uses);
                p.raw(" Tj ET Q\n");
                p.font = None;
                p.fill = None;
            }
        }
    }
    p.end_text();
    PageOut {
        content: p.s,
        annots,
    }
}

fn pdf_date(d: crate::doc::Date) -> String {
    format!(
        "D:{:04}{:02}{:02}000000Z",
        d.year.clamp(0, 9999),
        d.month.clamp(1, 12),
        d.day.clamp(1, 31)
    )
}

fn uri_string(u: &str) -> String {
    let mut out = String::from("(");
    for b in u.bytes() {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x21..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out.push(')');
    out
}

fn subset_tag(face: Face, gids: &BTreeMap<u16, char>) -> String {
    let mut bytes = vec![face as u8];
    for g in gids.keys() {
        bytes.extend_from_slice(&g.to_be_bytes());
    }
    let fp = fingerprint(&bytes);
    fp.bytes()
        .take(6)
        .map(|b| (b'A' + (b % 26)) as char)
        .collect()
}

struct OutlineNode {
    title: String,
    page: usize,
    y: f32,
    children: Vec<usize>,
}

pub(crate) fn write_pdf(doc: &Document, laid: &Laid, stats: &mut RenderStats) -> Vec<u8> {
    let mut uses: [FontUse; 5] = ALL_FACES.map(FontUse::new);
    for pg in &laid.pages {
        for it in &pg.items {
            match it {
                Item::Text { face, text, .. } => uses[*face as usize].add(*face, text, stats),
                Item::Watermark { text } => uses[Face::Bold as usize].add(Face::Bold, text, stats),
                _ => {}
            }
        }
    }
    for face in ALL_FACES {
        uses[face as usize].make_plan(face);
    }
    let mut pages: Vec<PageOut> = laid
        .pages
        .iter()
        .map(|pg| paint_page(&pg.items, &uses))
        .collect();
    // Links to anchors that do not exist are dropped (and reported).
    for pg in &mut pages {
        pg.annots.retain(|a| match &a.4 {
            LinkTarget::Internal(name) if !laid.anchors.contains_key(name) => {
                if !stats.unresolved_links.contains(name) {
                    stats.unresolved_links.push(name.clone());
                }
                false
            }
            _ => true,
        });
    }

    // ---- object ids (fixed order) ----
    let catalog = 1;
    let pages_id = 2;
    let info = 3;
    let resources = 4;
    let mut next = 5;
    let mut alloc = |n: usize| {
        let id = next;
        next += n;
        id
    };
    let page_ids: Vec<(usize, usize)> = pages.iter().map(|_| (alloc(1), alloc(1))).collect();
    let annot_ids: Vec<Vec<usize>> = pages
        .iter()
        .map(|p| p.annots.iter().map(|_| alloc(1)).collect())
        .collect();
    let font_ids: Vec<Option<usize>> = ALL_FACES
        .iter()
        .map(|f| uses[*f as usize].any.then(|| alloc(5)))
        .collect();

    // outline tree
    let mut nodes: Vec<OutlineNode> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    for e in &laid.outline {
        while stack.last().is_some_and(|(l, _)| *l >= e.level) {
            stack.pop();
        }
        let idx = nodes.len();
        nodes.push(OutlineNode {
            title: e.title.clone(),
            page: e.page,
            y: e.y,
            children: Vec::new(),
        });
        match stack.last() {
            Some(&(_, parent)) => nodes[parent].children.push(idx),
            None => roots.push(idx),
        }
        stack.push((e.level, idx));
    }
    let outline_root = (!nodes.is_empty()).then(|| alloc(1));
    let node_ids: Vec<usize> = nodes.iter().map(|_| alloc(1)).collect();
    let total_objects = next - 1;

    let mut w = PdfWriter::new(total_objects);

    // ---- catalog, info ----
    let mut cat = format!("<< /Type /Catalog /Pages {pages_id} 0 R");
    let lang = doc.meta.language.trim();
    if !lang.is_empty() {
        let _ = write!(cat, " /Lang {}", text_string(lang));
    }
    cat.push_str(" /ViewerPreferences << /DisplayDocTitle true >>");
    if let Some(root) = outline_root {
        let _ = write!(cat, " /Outlines {root} 0 R /PageMode /UseOutlines");
    }
    cat.push_str(" >>");
    w.object(catalog, &cat);

    let m = &doc.meta;
    let date = pdf_date(m.creation_date);
    let info_s = format!(
        "<< /Title {} /Author {} /Subject {} /Keywords {} /Creator (vejviser) /Producer (vejviser-render-pdf) /CreationDate ({date}) /ModDate ({date}) >>",
        text_string(&m.title),
        text_string(&m.author),
        text_string(&m.subject),
        text_string(&m.keywords.join(", ")),
    );
    w.object(info, &info_s);

    // ---- resources ----
    let mut res = String::from("<< /Font <<");
    for (k, id) in font_ids.iter().enumerate() {
        if let Some(id) = id {
            let _ = write!(res, " /F{k} {id} 0 R");
        }
    }
    res.push_str(" >> /ExtGState << /GS0 << /Type /ExtGState /ca 0.16 /CA 0.16 >> >> >>");
    w.object(resources, &res);

    // ---- pages ----
    let kids: Vec<String> = page_ids.iter().map(|(p, _)| format!("{p} 0 R")).collect();
    w.object(
        pages_id,
        &format!(
            "<< /Type /Pages /Count {} /Kids [{}] >>",
            page_ids.len(),
            kids.join(" ")
        ),
    );
    let dest = |page: usize, y: f32| -> String {
        let (pid, _) = page_ids[page.min(page_ids.len() - 1)];
        format!(
            "[{pid} 0 R /XYZ null {} null]",
            num((PAGE_H - y + 6.0).min(PAGE_H))
        )
    };
    for (k, pg) in pages.iter().enumerate() {
        let (pid, cid) = page_ids[k];
        let mut annots = String::new();
        let mut written = Vec::new();
        for (n, (x1, y1, x2, y2, target)) in pg.annots.iter().enumerate() {
            let action = match target {
                LinkTarget::External(u) => format!("/A << /S /URI /URI {} >>", uri_string(u)),
                LinkTarget::Internal(a) => {
                    let (page, y) = laid.anchors[a];
                    format!("/Dest {}", dest(page, y))
                }
            };
            let id = annot_ids[k][n];
            w.object(
                id,
                &format!(
                    "<< /Type /Annot /Subtype /Link /Rect [{} {} {} {}] /Border [0 0 0] {action} >>",
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2)
                ),
            );
            written.push(format!("{id} 0 R"));
        }
        if !written.is_empty() {
            annots = format!(" /Annots [{}]", written.join(" "));
        }
        w.object(
            pid,
            &format!(
                "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] /Resources {resources} 0 R /Contents {cid} 0 R{annots} >>",
                num(PAGE_W),
                num(PAGE_H)
            ),
        );
        w.stream(cid, "", &pg.content, true);
    }

    // ---- fonts ----
    for face in ALL_FACES {
        let Some(base) = font_ids[face as usize] else {
            continue;
        };
        let f = face.get().expect("fonts are checked");
        let used = &uses[face as usize].new_gids();
        let plan = uses[face as usize]
            .plan
            .as_ref()
            .expect("used faces have a plan");
        let name = format!("{}+{}", subset_tag(face, used), f.ps_name);
        let (type0, cid, desc, file, tounicode) = (base, base + 1, base + 2, base + 3, base + 4);
        let program = f.subset(plan);
        w.stream(file, &format!("/Length1 {}", program.len()), &program, true);
        let sc = 1000.0 / f.upem;
        let mut flags = 4u32; // symbolic
        if f.is_fixed_pitch {
            flags |= 1;
        }
        if f.italic_angle != 0.0 {
            flags |= 64;
        }
        let stem_v = if matches!(face, Face::Bold | Face::BoldItalic) {
            120
        } else {
            80
        };
        w.object(
            desc,
            &format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV {stem_v} /FontFile2 {file} 0 R >>",
                (f.bbox[0] as f32 * sc).round(),
                (f.bbox[1] as f32 * sc).round(),
                (f.bbox[2] as f32 * sc).round(),
                (f.bbox[3] as f32 * sc).round(),
                num(f.italic_angle),
                (f.ascent as f32 * sc).round(),
                (f.descent as f32 * sc).round(),
                (f.cap_height as f32 * sc).round(),
            ),
        );
        // /W with runs of consecutive glyph ids
        let mut wa = String::from("[");
        let mut prev: Option<u16> = None;
        for g in used.keys() {
            let adv = f.advance_1000(plan.glyphs[*g as usize]).round();
            match prev {
                Some(p) if p + 1 == *g => {
                    let _ = write!(wa, " {adv}");
                }
                Some(_) => {
                    let _ = write!(wa, "] {g} [{adv}");
                }
                None => {
                    let _ = write!(wa, "{g} [{adv}");
                }
            }
            prev = Some(*g);
        }
        wa.push_str("]]");
        w.object(
            cid,
            &format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {desc} 0 R /DW 1000 /W {wa} /CIDToGIDMap /Identity >>"
            ),
        );
        w.object(
            type0,
            &format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {tounicode} 0 R >>"
            ),
        );
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(&u16, &char)> = used.iter().collect();
        for block in entries.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", block.len());
            for (g, c) in block {
                let mut u = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut u)
                    .iter()
                    .map(|x| format!("{x:04X}"))
                    .collect();
                let _ = writeln!(cmap, "<{g:04X}> <{hex}>");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        w.stream(tounicode, "", cmap.as_bytes(), true);
    }

    // ---- outline ----
    if let Some(root) = outline_root {
        let visible = roots.len()
            + roots
                .iter()
                .map(|r| nodes[*r].children.len())
                .sum::<usize>();
        w.object(
            root,
            &format!(
                "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {visible} >>",
                node_ids[roots[0]],
                node_ids[*roots.last().expect("non-empty")]
            ),
        );
        let mut parents = vec![root; nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            for c in &n.children {
                parents[*c] = node_ids[i];
            }
        }
        // previous and next sibling of every node, in one pass over each sibling list
        let is_root: BTreeSet<usize> = roots.iter().copied().collect();
        let mut prev_of: Vec<Option<usize>> = vec![None; nodes.len()];
        let mut next_of: Vec<Option<usize>> = vec![None; nodes.len()];
        for list in std::iter::once(&roots).chain(nodes.iter().map(|n| &n.children)) {
            for pair in list.windows(2) {
                next_of[pair[0]] = Some(pair[1]);
                prev_of[pair[1]] = Some(pair[0]);
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let mut s = format!(
                "<< /Title {} /Parent {} 0 R /Dest {}",
                text_string(&n.title),
                parents[i],
                dest(n.page, n.y)
            );
            if let Some(p) = prev_of[i] {
                let _ = write!(s, " /Prev {} 0 R", node_ids[p]);
            }
            if let Some(q) = next_of[i] {
                let _ = write!(s, " /Next {} 0 R", node_ids[q]);
            }
            if let (Some(first), Some(last)) = (n.children.first(), n.children.last()) {
                let count = n.children.len() as i64;
                let count = if is_root.contains(&i) { count } else { -count };
                let _ = write!(
                    s,
                    " /First {} 0 R /Last {} 0 R /Count {count}",
                    node_ids[*first], node_ids[*last]
                );
            }
            s.push_str(" >>");
            w.object(node_ids[i], &s);
        }
    }

    let id = fingerprint(&w.buf);
    w.finish(catalog, info, &id)
}
