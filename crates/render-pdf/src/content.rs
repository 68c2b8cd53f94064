//! Page content streams: the engine's compact drawing operators (one text object per run
//! of text, two-decimal numbers, colour and font set only when they change), with every
//! piece of content in marked content: an MCID for what belongs to a structure element,
//! `/Artifact` for furniture, rules and backgrounds.
//!
//! The structure side of each MCID (which element it belongs to, in reading order) is
//! collected in [`Marks`] while painting, for the structure tree and its parent tree.

use std::io::Write as _;

use crate::doc::LinkTarget;
use crate::font::Face;
use crate::layout::{Color, Item, PAGE_H, PAGE_W};
use crate::tags::{Role, Tag, Tags, ARTIFACT};

/// One page's content stream and its links.
pub(crate) struct PageOut {
    pub content: Vec<u8>,
    pub annots: Vec<Annot>,
    /// The element of each MCID on this page (index = MCID).
    pub mcids: Vec<Tag>,
}

/// A link annotation: rectangle in PDF space, target, `Link` element, and its text.
pub(crate) struct Annot {
    pub rect: [f32; 4],
    pub target: LinkTarget,
    pub tag: Tag,
}

/// A kid of a structure element, in reading order.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kid {
    /// Marked content `mcid` on page `page`.
    Mcr { page: usize, mcid: usize },
    /// A child element.
    Elem(Tag),
    /// Link annotation number `annot` of page `page`.
    Annot { page: usize, annot: usize },
}

/// The structure elements that received content, and their kids in paint order.
pub(crate) struct Marks {
    pub kids: Vec<Vec<Kid>>,
    pub attached: Vec<bool>,
    /// Page of each element's first marked content (its `/Pg`).
    pub page: Vec<Option<usize>>,
    /// Text painted under each `Link` element, for the annotation's `/Contents`.
    pub link_text: Vec<String>,
    /// The cells of each table row, in column order (empty for other elements).
    cells: Vec<Vec<Tag>>,
}

impl Marks {
    pub fn new(tags: &Tags) -> Self {
        let n = tags.nodes.len();
        let mut cells = vec![Vec::new(); n];
        for (t, node) in tags.nodes.iter().enumerate().skip(1) {
            if matches!(node.role, Role::TD | Role::TH { .. })
                && tags.nodes[node.parent as usize].role == Role::TR
            {
                cells[node.parent as usize].push(t as Tag);
            }
        }
        Marks {
            kids: vec![Vec::new(); n],
            attached: vec![false; n],
            page: vec![None; n],
            link_text: vec![String::new(); n],
            cells,
        }
    }

    /// Hang `tag` (and its ancestors, if new) into the tree.
    ///
    /// A table cell brings all the cells of its row, in column order: an empty cell
    /// paints nothing, but a screen reader counts cells to know which column it is in,
    /// so an empty cell must still be an (empty) `TD`.
    fn attach(&mut self, tags: &Tags, tag: Tag) {
        let mut t = tag;
        while t != ARTIFACT && !self.attached[t as usize] {
            let parent = tags.nodes[t as usize].parent;
            if parent != ARTIFACT && !self.cells[parent as usize].is_empty() {
                for k in 0..self.cells[parent as usize].len() {
                    let c = self.cells[parent as usize][k];
                    if !self.attached[c as usize] {
                        self.attached[c as usize] = true;
                        self.kids[parent as usize].push(Kid::Elem(c));
                    }
                }
                t = parent;
                continue;
            }
            self.attached[t as usize] = true;
            if parent == ARTIFACT {
                break; // the root
            }
            self.kids[parent as usize].push(Kid::Elem(t));
            t = parent;
        }
    }

    fn add(&mut self, tags: &Tags, tag: Tag, kid: Kid, page: usize) {
        self.attach(tags, tag);
        self.kids[tag as usize].push(kid);
        self.page[tag as usize].get_or_insert(page);
    }
}

/// What the painter is inside of.
#[derive(Clone, Copy, PartialEq)]
enum Mc {
    None,
    Artifact,
    Mcid(Tag),
}

struct Painter {
    s: Vec<u8>,
    font: Option<(Face, f32)>,
    fill: Option<Color>,
    /// Stroke colour and line width in force.
    stroke: Option<(Color, f32)>,
    in_text: bool,
    /// Start of the current text line in hundredths of a point (the text line matrix);
    /// `(0, 0)` at `BT`. Lines are placed with `Td` relative to it, exactly: the
    /// absolute positions are the same two-decimal numbers as before, only the
    /// differences are written.
    line: (i64, i64),
    mc: Mc,
}

impl Painter {
    fn n(&mut self, v: f32) {
        push_num_bytes(&mut self.s, v);
        self.s.push(b' ');
    }
    /// Move to a new text line starting at (`x`, `y`) (PDF space).
    fn move_to(&mut self, x: f32, y: f32) {
        let to = (hundredths(x), hundredths(y));
        push_hundredths(&mut self.s, to.0 - self.line.0);
        self.s.push(b' ');
        push_hundredths(&mut self.s, to.1 - self.line.1);
        self.raw(" Td ");
        self.line = to;
    }
    fn raw(&mut self, t: &str) {
        self.s.extend_from_slice(t.as_bytes());
    }
    fn end_mc(&mut self) {
        if self.mc != Mc::None {
            self.raw("EMC\n");
            self.mc = Mc::None;
        }
    }
    /// Marked content opened inside a text object is closed inside it, and the other
    /// way round, so that the two never interleave.
    fn begin_text(&mut self) {
        if !self.in_text {
            self.end_mc();
            self.raw("BT\n");
            self.in_text = true;
            self.line = (0, 0);
        }
    }
    fn end_text(&mut self) {
        if self.in_text {
            self.end_mc();
            self.raw("ET\n");
            self.in_text = false;
        }
    }
    fn artifact(&mut self) {
        if self.mc != Mc::Artifact {
            self.end_mc();
            self.raw("/Artifact BMC\n");
            self.mc = Mc::Artifact;
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
        let (old_c, old_w) = self.stroke.unzip();
        if old_c != Some(c) {
            self.n(c.0);
            self.n(c.1);
            self.n(c.2);
            self.raw("RG ");
        }
        if old_w != Some(w) {
            self.n(w);
            self.raw("w ");
        }
        self.stroke = Some((c, w));
    }
}

/// The standard structure type name of a role (also the marked-content tag).
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Document => "Document",
        Role::H(1) => "H1",
        Role::H(2) => "H2",
        Role::H(3) => "H3",
        Role::H(4) => "H4",
        Role::H(5) => "H5",
        Role::H(_) => "H6",
        Role::P => "P",
        Role::L => "L",
        Role::LI => "LI",
        Role::Lbl => "Lbl",
        Role::LBody => "LBody",
        Role::Table => "Table",
        Role::TR => "TR",
        Role::TH { .. } => "TH",
        Role::TD => "TD",
        Role::Link => "Link",
        Role::TOC => "TOC",
        Role::TOCI => "TOCI",
        Role::Div => "Div",
        Role::Span => "Span",
        Role::Code => "Code",
    }
}

/// The codes of `text` in `face` as a PDF literal string: one byte each when
/// `one_byte`, else two.
fn encode_glyphs(
    out: &mut Vec<u8>,
    text: &str,
    face: Face,
    code: &dyn Fn(Face, char) -> u16,
    one_byte: bool,
) {
    out.push(b'(');
    let skip = usize::from(one_byte);
    for c in text.chars() {
        if c == '\u{AD}' || c.is_control() {
            continue;
        }
        for &b in &code(face, c).to_be_bytes()[skip..] {
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

/// `v` in hundredths, rounded: the precision of every number in a content stream.
fn hundredths(v: f32) -> i64 {
    (v as f64 * 100.0).round() as i64
}

/// Append a number compactly (at most 2 decimals).
pub(crate) fn push_num_bytes(out: &mut Vec<u8>, v: f32) {
    push_hundredths(out, hundredths(v));
}

/// Append `r` hundredths as a decimal number, without trailing zeros.
fn push_hundredths(out: &mut Vec<u8>, r: i64) {
    if r < 0 {
        out.push(b'-');
    }
    let a = r.unsigned_abs();
    let _ = write!(out, "{}", a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Paint a rectangle with `paint` (`f`, `S` or `B`); (x, y) is its bottom-left corner
/// in PDF space.
///
/// A rounded one (badges, boxes) is drawn at the origin and moved into place with `cm`,
/// so that every badge of one size has the same bytes and compresses to a back
/// reference: a rounded rectangle's nine segments were 7% of a compressed page. Its
/// corners land within 0.01 pt (1/7200 inch) of where absolute coordinates put them.
fn rect_path(p: &mut Painter, x: f32, y: f32, w: f32, h: f32, r: f32, paint: &str) {
    let r = r.min(w / 2.0).min(h / 2.0);
    if r <= 0.01 {
        for v in [x, y, w, h] {
            p.n(v);
        }
        p.raw("re ");
        p.raw(paint);
        p.raw("\n");
        return;
    }
    p.raw("q 1 0 0 1 ");
    p.n(x);
    p.n(y);
    p.raw("cm\n");
    let k = 0.5523 * r;
    let (x1, y1, x2, y2) = (0.0, 0.0, w, h);
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
    p.raw("h ");
    p.raw(paint);
    p.raw("\nQ\n");
}

/// Paint page number `page`. `code` gives a character's code in a face's font,
/// written with one byte when `one_byte`, else two; `keep_link` says whether a link's
/// target exists.
pub(crate) fn paint_page(
    page: usize,
    items: &[Item],
    tags: &Tags,
    marks: &mut Marks,
    code: &dyn Fn(Face, char) -> u16,
    one_byte: bool,
    keep_link: &dyn Fn(&LinkTarget) -> bool,
) -> PageOut {
    let mut p = Painter {
        s: Vec::with_capacity(32 * 1024),
        font: None,
        fill: None,
        stroke: None,
        in_text: false,
        line: (0, 0),
        mc: Mc::None,
    };
    let mut annots = Vec::new();
    let mut mcids: Vec<Tag> = Vec::new();
    for it in items {
        match it {
            Item::Text {
                x,
                y,
                face,
                size,
                color,
                text,
                tag,
            } => {
                p.begin_text();
                if *tag == ARTIFACT {
                    p.artifact();
                } else if p.mc != Mc::Mcid(*tag) {
                    p.end_mc();
                    let mcid = mcids.len();
                    mcids.push(*tag);
                    marks.add(tags, *tag, Kid::Mcr { page, mcid }, page);
                    let role = tags.nodes[*tag as usize].role;
                    let _ = writeln!(p.s, "/{}<</MCID {mcid}>>BDC", role_name(role));
                    p.mc = Mc::Mcid(*tag);
                }
                if *tag != ARTIFACT && tags.nodes[*tag as usize].role == Role::Link {
                    let t = &mut marks.link_text[*tag as usize];
                    if !t.is_empty() {
                        t.push(' ');
                    }
                    t.push_str(text.trim());
                }
                if p.font != Some((*face, *size)) {
                    let _ = write!(p.s, "/F{} ", *face as usize);
                    p.n(*size);
                    p.raw("Tf\n");
                    p.font = Some((*face, *size));
                }
                p.fill(*color);
                p.move_to(*x, PAGE_H - *y);
                encode_glyphs(&mut p.s, text, *face, code, one_byte);
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
                p.artifact();
                if let Some((c, lw)) = stroke {
                    p.stroke(*c, *lw);
                }
                if let Some(c) = fill {
                    p.fill(*c);
                }
                let paint = match (fill.is_some(), stroke.is_some()) {
                    (true, true) => "B",
                    (false, true) => "S",
                    _ => "f",
                };
                rect_path(&mut p, *x, PAGE_H - *y - *h, *w, *h, *radius, paint);
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
                p.artifact();
                // A dotted line's dash and cap stay inside its q … Q, and so does its
                // stroke colour and width.
                let outside = p.stroke;
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
                    p.stroke = outside;
                }
            }
            Item::Link {
                x,
                y,
                w,
                h,
                target,
                tag,
            } => {
                if keep_link(target) && *tag != ARTIFACT {
                    let annot = annots.len();
                    marks.add(tags, *tag, Kid::Annot { page, annot }, page);
                    annots.push(Annot {
                        rect: [*x, PAGE_H - *y - *h, *x + *w, PAGE_H - *y],
                        target: target.clone(),
                        tag: *tag,
                    });
                }
            }
            Item::PageRef { .. } => {}
            Item::Watermark { text } => {
                p.end_text();
                p.artifact();
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
                let _ = write!(p.s, "/F{} ", face as usize);
                p.n(size);
                p.raw("Tf ");
                for v in [c, s, -s, c, ox, oy] {
                    p.n(v);
                }
                p.raw("Tm ");
                encode_glyphs(&mut p.s, text, face, code, one_byte);
                p.raw(" Tj ET Q\n");
                p.font = None;
                p.fill = None;
            }
        }
    }
    p.end_text();
    p.end_mc();
    PageOut {
        content: p.s,
        annots,
        mcids,
    }
}
