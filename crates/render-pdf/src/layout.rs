//! The typesetting engine: turns a [`Document`] into positioned pages.
//!
//! Coordinates here are in points, measured from the top-left corner of the page
//! (y grows downwards); the PDF writer flips them.
//!
//! Blocks are first broken into vertical *chunks* (one text line, one table row, a piece of
//! space, …) that carry keep-with-next flags; the paginator then places chunks on pages,
//! moving groups that must stay together to the next page and repeating table headers.

use std::collections::HashMap;

use hyphenation::{Hyphenator, Language, Load, Standard};

use crate::doc::{BadgeStyle, Block, Document, Inline, LinkTarget};
use crate::font::Face;
use crate::PdfError;

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.276;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;
/// Left and right margin (22 mm).
pub(crate) const MARGIN_X: f32 = 62.362;
/// Top of the text area (25 mm).
pub(crate) const MARGIN_TOP: f32 = 70.866;
/// Bottom margin (22 mm).
pub(crate) const MARGIN_BOTTOM: f32 = 62.362;
/// Width of the text area.
pub(crate) const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const PAGE_TEXT_H: f32 = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
const EPS: f32 = 0.01;

const BODY_SIZE: f32 = 10.0;
const BODY_LEAD: f32 = 14.0;
const PARA_GAP: f32 = 6.0;
/// The most pages one PDF may have. The longest guideline of the national corpus has 35;
/// a document past this bound is refused (with [`crate::PdfError::TooManyPages`]) rather
/// than laid out, so one hostile file cannot take a build's time and memory.
pub const MAX_PAGES: usize = 1000;
/// A keep-with-next group is looked at no further than this many chunks ahead (zero-height
/// chunks, e.g. anchors, could otherwise chain without end and make pagination quadratic).
const MAX_KEEP_CHUNKS: usize = 256;
/// Longest word (in bytes) that is hyphenated rather than split.
const MAX_HYPHENATED_BYTES: usize = 120;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Color(pub f32, pub f32, pub f32);

pub(crate) const TEXT: Color = Color(0.10, 0.11, 0.13);
pub(crate) const ACCENT: Color = Color(0.09, 0.23, 0.42);
pub(crate) const LINK: Color = Color(0.05, 0.30, 0.62);
pub(crate) const MUTED: Color = Color(0.38, 0.41, 0.46);
const RULE: Color = Color(0.72, 0.75, 0.80);
const LIGHT_RULE: Color = Color(0.85, 0.87, 0.90);
const CALLOUT_BG: Color = Color(0.93, 0.95, 0.98);
const CODE_BG: Color = Color(0.95, 0.95, 0.96);
const CODE_FG: Color = Color(0.30, 0.12, 0.12);
const TH_BG: Color = Color(0.86, 0.90, 0.95);
const ZEBRA: Color = Color(0.965, 0.972, 0.985);
const STATUS_BG: Color = Color(1.0, 0.92, 0.78);
const STATUS_FG: Color = Color(0.50, 0.20, 0.0);
const GRADE_BG: Color = ACCENT;
const STATUS_BADGE_BG: Color = Color(0.0, 0.45, 0.45);
const REC_BAR: Color = Color(0.70, 0.79, 0.90);
const WHITE: Color = Color(1.0, 1.0, 1.0);
const BAND_STRIPE: Color = Color(0.0, 0.45, 0.45);

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A run of text in one font; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Color,
        text: String,
    },
    /// A rectangle (top-left corner `x`, `y`), filled and/or stroked, optionally rounded.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
        radius: f32,
    },
    /// A straight line; `dots` draws it dotted (leader dots).
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Color,
        dots: bool,
    },
    /// A clickable area.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: LinkTarget,
    },
    /// The page number of an anchor, right-aligned at `right` (resolved after pagination).
    PageRef {
        anchor: String,
        right: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Color,
    },
    /// Diagonal watermark text centred on the page.
    Watermark { text: String },
}

impl Item {
    fn shift(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text { x, y, .. } | Item::Rect { x, y, .. } | Item::Link { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Item::PageRef { right, y, .. } => {
                *right += dx;
                *y += dy;
            }
            Item::Watermark { .. } => {}
        }
    }
}

/// A laid-out line of text, for [`crate::layout_dump`] and layout tests.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpLine {
    /// Left edge in points from the left page edge.
    pub x: f32,
    /// Baseline in points from the top page edge.
    pub y: f32,
    /// Width of the line's content in points.
    pub w: f32,
    /// The text (badges as `[A]`).
    pub text: String,
    /// Page furniture (running footer, status band) rather than document content.
    pub furniture: bool,
}

/// One laid-out page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub items: Vec<Item>,
    pub lines: Vec<DumpLine>,
}

/// A bookmark for the PDF outline.
#[derive(Debug, Clone)]
pub(crate) struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// The result of layout.
pub(crate) struct Laid {
    pub pages: Vec<Page>,
    pub anchors: HashMap<String, (usize, f32)>,
    pub outline: Vec<OutlineEntry>,
}

#[derive(Debug, Clone)]
struct Bg {
    x: f32,
    w: f32,
    fill: Option<Color>,
    bar: Option<(Color, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ChunkKind {
    Content,
    /// Vertical space; `discardable` space vanishes at the top of a page.
    Space {
        discardable: bool,
    },
    Break,
}

#[derive(Debug, Clone)]
struct Mark {
    level: u8,
    title: String,
    anchor: String,
    outline: bool,
}

#[derive(Debug, Clone)]
struct Chunk {
    h: f32,
    kind: ChunkKind,
    items: Vec<Item>,
    lines: Vec<DumpLine>,
    anchors: Vec<(String, f32)>,
    marks: Vec<Mark>,
    keep: bool,
    bgs: Vec<Bg>,
    table: Option<usize>,
    first_baseline: Option<f32>,
}

impl Chunk {
    fn new(h: f32, kind: ChunkKind) -> Self {
        Chunk {
            h,
            kind,
            items: Vec::new(),
            lines: Vec::new(),
            anchors: Vec::new(),
            marks: Vec::new(),
            keep: false,
            bgs: Vec::new(),
            table: None,
            first_baseline: None,
        }
    }
}

/// Inline style of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    face: Face,
    size: f32,
    color: Color,
    /// 0 = no link, otherwise index + 1 into `Engine::links`.
    link: u32,
    strike: bool,
}

impl Style {
    fn body() -> Self {
        Style {
            face: Face::Regular,
            size: BODY_SIZE,
            color: TEXT,
            link: 0,
            strike: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum PK {
    Text(String),
    Space,
    /// Hyphenation opportunity (draws a hyphen when taken).
    SoftHyphen,
    /// Zero-width break opportunity (after `-`, `/`, U+200B).
    BreakAfter,
    Badge(String, BadgeStyle),
    Newline,
    Anchor(String),
}

#[derive(Debug, Clone)]
struct Piece {
    kind: PK,
    style: Style,
    w: f32,
}

struct Line {
    pieces: Vec<Piece>,
    width: f32,
}

/// Layout context of a block container.
#[derive(Clone)]
struct Ctx {
    x: f32,
    w: f32,
    bgs: Vec<Bg>,
    depth: usize,
    tight: bool,
}

struct Engine<'a> {
    doc: &'a Document,
    hyph: Option<&'static Standard>,
    chunks: Vec<Chunk>,
    headers: Vec<Vec<Chunk>>,
    links: Vec<LinkTarget>,
    heading_counter: usize,
    /// Hyphenate words (off for headings and titles).
    hyphenate: bool,
    /// Total height of the chunks so far (a lower bound of the pages they will need).
    height: f32,
}

fn hyphenator(lang: &str) -> Option<&'static Standard> {
    use std::sync::OnceLock;
    static DA: OnceLock<Option<Standard>> = OnceLock::new();
    static EN: OnceLock<Option<Standard>> = OnceLock::new();
    let lang = lang.to_ascii_lowercase();
    if lang.starts_with("da") {
        DA.get_or_init(|| Standard::from_embedded(Language::Danish).ok())
            .as_ref()
    } else if lang.starts_with("en") {
        EN.get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok())
            .as_ref()
    } else {
        None
    }
}

/// Lay out a whole document.
pub(crate) fn layout(doc: &Document) -> Result<Laid, PdfError> {
    for f in crate::font::ALL_FACES {
        f.get().map_err(PdfError::Font)?;
    }
    let mut e = Engine {
        doc,
        hyph: hyphenator(&doc.meta.language),
        chunks: Vec::new(),
        headers: Vec::new(),
        links: Vec::new(),
        heading_counter: 0,
        hyphenate: true,
        height: 0.0,
    };
    let ctx = Ctx {
        x: MARGIN_X,
        w: TEXT_W,
        bgs: Vec::new(),
        depth: 0,
        tight: false,
    };
    if let Some(fp) = &doc.front_page {
        e.front_page(fp, &ctx);
        e.chunks.push(Chunk::new(0.0, ChunkKind::Break));
    }
    if doc.toc {
        let mut entries = Vec::new();
        let mut counter = 0;
        collect_toc(&doc.blocks, &mut counter, &mut entries);
        e.toc(&entries, &ctx);
        e.chunks.push(Chunk::new(0.0, ChunkKind::Break));
    }
    e.blocks(&doc.blocks, &ctx);
    if e.over_bound() {
        return Err(PdfError::TooManyPages { limit: MAX_PAGES });
    }
    let mut laid = e.paginate()?;
    finish_pages(doc, &mut laid);
    Ok(laid)
}

struct TocEntry {
    level: u8,
    number: Option<String>,
    text: Vec<Inline>,
    anchor: String,
}

fn heading_anchor(counter: &mut usize, anchor: &Option<String>) -> String {
    *counter += 1;
    anchor.clone().unwrap_or_else(|| format!("_h{counter}"))
}

fn collect_toc(blocks: &[Block], counter: &mut usize, out: &mut Vec<TocEntry>) {
    for b in blocks {
        match b {
            Block::Heading {
                level,
                number,
                text,
                anchor,
                in_toc,
                ..
            } => {
                let a = heading_anchor(counter, anchor);
                if *in_toc {
                    out.push(TocEntry {
                        level: (*level).clamp(1, 6),
                        number: number.clone(),
                        text: strip_links(text),
                        anchor: a,
                    });
                }
            }
            Block::Callout { blocks, .. } => collect_toc(blocks, counter, out),
            Block::Recommendation { body, .. } => collect_toc(body, counter, out),
            Block::List { items, .. } => {
                for it in items {
                    collect_toc(&it.blocks, counter, out);
                }
            }
            _ => {}
        }
    }
}

/// Remove links and anchors (a TOC entry is itself one link).
fn strip_links(inl: &[Inline]) -> Vec<Inline> {
    inl.iter()
        .flat_map(|i| match i {
            Inline::Link { content, .. } => strip_links(content),
            Inline::Anchor(_) => Vec::new(),
            Inline::Bold(c) => vec![Inline::Bold(strip_links(c))],
            Inline::Italic(c) => vec![Inline::Italic(strip_links(c))],
            Inline::Strike(c) => vec![Inline::Strike(strip_links(c))],
            o => vec![o.clone()],
        })
        .collect()
}

fn heading_metrics(level: u8) -> (f32, f32, f32, f32) {
    // size, leading, space before, space after
    match level {
        0 | 1 => (16.0, 20.0, 18.0, 8.0),
        2 => (13.0, 17.0, 14.0, 5.0),
        3 => (11.5, 15.0, 11.0, 4.0),
        _ => (10.5, 14.0, 9.0, 3.0),
    }
}

/// Space before and after a block.
fn block_spacing(b: &Block, ctx: &Ctx) -> (f32, f32) {
    let gap = if ctx.tight { 3.0 } else { PARA_GAP };
    match b {
        Block::Heading { level, .. } => {
            let (_, _, before, after) = heading_metrics(*level);
            (before, after)
        }
        Block::Paragraph(_) | Block::Code(_) => (gap, gap),
        Block::List { .. } | Block::Definitions(_) => (gap, gap),
        Block::Table { .. } => (8.0, 8.0),
        Block::Callout { .. } => (8.0, 8.0),
        Block::Recommendation { .. } => (10.0, 10.0),
        Block::Rule => (4.0, 4.0),
        Block::PageBreak | Block::Spacer(_) => (0.0, 0.0),
    }
}

impl<'a> Engine<'a> {
    fn push(&mut self, mut c: Chunk, ctx: &Ctx) {
        if c.bgs.is_empty() {
            c.bgs = ctx.bgs.clone();
        }
        self.height += c.h;
        self.chunks.push(c);
    }

    /// Whether the chunks so far cannot fit in [`MAX_PAGES`] pages; layout stops early then.
    fn over_bound(&self) -> bool {
        self.height > MAX_PAGES as f32 * PAGE_TEXT_H
    }

    fn space(&mut self, h: f32, discardable: bool, ctx: &Ctx) {
        if h <= 0.0 {
            return;
        }
        self.push(Chunk::new(h, ChunkKind::Space { discardable }), ctx);
    }

    // ----- inline tokenizing -------------------------------------------------------

    fn pieces(&mut self, inl: &[Inline], style: Style) -> Vec<Piece> {
        let mut out = Vec::new();
        self.collect(inl, style, &mut out);
        out
    }

    fn collect(&mut self, inl: &[Inline], style: Style, out: &mut Vec<Piece>) {
        for i in inl {
            match i {
                Inline::Text(t) => push_text(t, style, out, false),
                Inline::Bold(c) => {
                    let s = Style {
                        face: style.face.bold(),
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Italic(c) => {
                    let s = Style {
                        face: style.face.italic(),
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Strike(c) => {
                    let s = Style {
                        strike: true,
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Code(t) => {
                    let s = Style {
                        face: Face::Mono,
                        size: style.size * 0.9,
                        color: if style.link != 0 {
                            style.color
                        } else {
                            CODE_FG
                        },
                        ..style
                    };
                    push_text(t, s, out, false)
                }
                Inline::Link { target, content } => {
                    self.links.push(target.clone());
                    let s = Style {
                        link: self.links.len() as u32,
                        color: LINK,
                        ..style
                    };
                    self.collect(content, s, out)
                }
                Inline::Badge { text, style: bs } => {
                    let w = badge_width(text, style.size);
                    out.push(Piece {
                        kind: PK::Badge(text.clone(), *bs),
                        style,
                        w,
                    })
                }
                Inline::LineBreak => out.push(Piece {
                    kind: PK::Newline,
                    style,
                    w: 0.0,
                }),
                Inline::Anchor(a) => out.push(Piece {
                    kind: PK::Anchor(a.clone()),
                    style,
                    w: 0.0,
                }),
            }
        }
    }

    // ----- line breaking ------------------------------------------------------------

    fn break_lines(&self, p: Vec<Piece>, width: f32) -> Vec<Line> {
        // Greedy, in one pass over the pieces: each line takes pieces from the front of
        // `input`; what follows the chosen break goes back to the front. A piece goes back
        // at most once and a word is split into line-sized parts at most once, so the
        // cost is linear in the text (a 200,000-character word included).
        let width = width.max(10.0);
        let mut input: std::collections::VecDeque<Piece> = p.into();
        let mut lines = Vec::new();
        loop {
            while input
                .front()
                .is_some_and(|q| matches!(q.kind, PK::Space | PK::SoftHyphen | PK::BreakAfter))
            {
                input.pop_front();
            }
            if input.is_empty() {
                break;
            }
            let mut cur: Vec<Piece> = Vec::new();
            let mut x = 0.0f32;
            let mut content = false;
            // (pieces before the break, hyphen drawn, width at break)
            let mut last: Option<(usize, bool, f32)> = None;
            // the style of the hyphen that ends this line, if one does
            let mut hyphen: Option<Style> = None;
            while let Some(q) = input.pop_front() {
                match &q.kind {
                    PK::Newline => break,
                    PK::Space => {
                        if content {
                            last = Some((cur.len(), false, x));
                        }
                        x += q.w;
                        cur.push(q);
                    }
                    PK::BreakAfter => {
                        if content {
                            last = Some((cur.len(), false, x));
                        }
                        cur.push(q);
                    }
                    PK::SoftHyphen => {
                        let hw = hyphen_width(q.style);
                        if content && x + hw <= width + EPS {
                            last = Some((cur.len(), true, x + hw));
                        }
                        cur.push(q);
                    }
                    PK::Anchor(_) => cur.push(q),
                    PK::Text(_) | PK::Badge(..) => {
                        if x + q.w <= width + EPS {
                            x += q.w;
                            content = true;
                            cur.push(q);
                            continue;
                        }
                        let good_break = last.is_some_and(|l| width - l.2 < width * 0.15);
                        if !good_break {
                            if let Some((a, b)) = self.try_hyphenate(&q, width - x) {
                                hyphen = Some(q.style);
                                cur.push(a);
                                input.push_front(b);
                                break;
                            }
                        }
                        if let Some((at, hy, _)) = last {
                            if hy {
                                hyphen = Some(cur[at].style);
                            }
                            input.push_front(q);
                            for r in cur.drain(at..).rev() {
                                input.push_front(r);
                            }
                            break;
                        }
                        // Nothing to break at: split the piece itself.
                        match &q.kind {
                            PK::Text(t) => {
                                let parts = split_text(t, q.style, width - x, width, !content);
                                let mut parts = parts.into_iter();
                                match parts.next() {
                                    Some(first) if !first.is_empty() => {
                                        let st = q.style;
                                        cur.push(text_piece(first, st));
                                        for r in parts.rev() {
                                            input.push_front(text_piece(r, st));
                                        }
                                    }
                                    _ => input.push_front(q),
                                }
                            }
                            PK::Badge(..) if content => input.push_front(q),
                            PK::Badge(t, bs) => {
                                // a badge wider than the line: shorten its text
                                let size = q.style.size;
                                let room = width - badge_size(size) * 0.9;
                                let t = ellipsize(t, Face::Bold, badge_size(size), room);
                                let w = badge_width(&t, size).min(width);
                                cur.push(Piece {
                                    kind: PK::Badge(t, *bs),
                                    style: q.style,
                                    w,
                                });
                            }
                            _ => unreachable!("text or badge"),
                        }
                        break;
                    }
                }
            }
            cur.retain(|q| !matches!(q.kind, PK::SoftHyphen | PK::BreakAfter | PK::Newline));
            while matches!(cur.last().map(|q| &q.kind), Some(PK::Space)) {
                cur.pop();
            }
            if let Some(st) = hyphen {
                cur.push(Piece {
                    kind: PK::Text("-".into()),
                    style: st,
                    w: hyphen_width(st),
                });
            }
            let width = cur.iter().map(|q| q.w).sum();
            lines.push(Line { pieces: cur, width });
        }
        lines
    }

    /// Split a word at a hyphenation point so that the first part plus a hyphen fits in
    /// `avail`.
    fn try_hyphenate(&self, piece: &Piece, avail: f32) -> Option<(Piece, Piece)> {
        if !self.hyphenate {
            return None;
        }
        let dict = self.hyph?;
        let PK::Text(t) = &piece.kind else {
            return None;
        };
        // Words longer than any in a dictionary are split, not hyphenated (this also
        // keeps the pattern matching, which is not linear in the word, cheap).
        if piece.style.face == Face::Mono || t.len() > MAX_HYPHENATED_BYTES {
            return None;
        }
        let lead = t.find(|c: char| c.is_alphabetic())?;
        let trail = t.rfind(|c: char| c.is_alphabetic())?;
        let trail = trail + t[trail..].chars().next()?.len_utf8();
        let core = &t[lead..trail];
        if core.chars().count() < 6 || !core.chars().all(|c| c.is_alphabetic()) {
            return None;
        }
        let breaks = dict.hyphenate(core).breaks;
        let f = piece.style.face.get().ok()?;
        let hw = hyphen_width(piece.style);
        for &b in breaks.iter().rev() {
            let cut = lead + b;
            let (a, rest) = t.split_at(cut);
            if core[..b].chars().count() < 2 || core[b..].chars().count() < 3 {
                continue;
            }
            let wa = f.text_width(a, piece.style.size);
            if wa + hw <= avail + EPS {
                let pa = Piece {
                    kind: PK::Text(a.to_string()),
                    style: piece.style,
                    w: wa,
                };
                let pb = Piece {
                    kind: PK::Text(rest.to_string()),
                    style: piece.style,
                    w: piece.w - wa,
                };
                return Some((pa, pb));
            }
        }
        None
    }

    /// Draw a line into `chunk`: `x0` is its left edge, `line_top`/`line_h` the line box
    /// (used for link areas), `baseline` the baseline, all relative to the chunk.
    fn emit_line(
        &self,
        line: &Line,
        x0: f32,
        baseline: f32,
        line_top: f32,
        line_h: f32,
        chunk: &mut Chunk,
    ) {
        let mut x = x0;
        let mut run: Option<(Style, f32, String)> = None;
        let mut link: Option<(u32, f32, f32)> = None; // id, x start, x end
        let mut dump = String::new();
        let flush_run =
            |run: &mut Option<(Style, f32, String)>, items: &mut Vec<Item>, end_x: f32| {
                if let Some((st, rx, text)) = run.take() {
                    if st.strike {
                        let y = baseline - st.size * 0.3;
                        items.push(Item::Line {
                            x1: rx,
                            y1: y,
                            x2: end_x,
                            y2: y,
                            width: st.size * 0.06,
                            color: st.color,
                            dots: false,
                        });
                    }
                    items.push(Item::Text {
                        x: rx,
                        y: baseline,
                        face: st.face,
                        size: st.size,
                        color: st.color,
                        text,
                    });
                }
            };
        let links = &self.links;
        let flush_link = |link: &mut Option<(u32, f32, f32)>, items: &mut Vec<Item>| {
            if let Some((id, a, b)) = link.take() {
                if let Some(t) = links.get(id as usize - 1) {
                    items.push(Item::Link {
                        x: a,
                        y: line_top,
                        w: b - a,
                        h: line_h,
                        target: t.clone(),
                    });
                }
            }
        };
        for p in &line.pieces {
            // link tracking
            if p.style.link != 0 && !matches!(p.kind, PK::Anchor(_)) {
                match &mut link {
                    Some((id, _, end)) if *id == p.style.link => *end = x + p.w,
                    _ => {
                        flush_link(&mut link, &mut chunk.items);
                        link = Some((p.style.link, x, x + p.w));
                    }
                }
            } else if !matches!(p.kind, PK::Anchor(_) | PK::Space) {
                flush_link(&mut link, &mut chunk.items);
            }
            match &p.kind {
                PK::Text(t) => {
                    dump.push_str(t);
                    match &mut run {
                        Some((st, _, s)) if *st == p.style => s.push_str(t),
                        _ => {
                            flush_run(&mut run, &mut chunk.items, x);
                            run = Some((p.style, x, t.clone()));
                        }
                    }
                }
                PK::Space => {
                    dump.push(' ');
                    match &mut run {
                        Some((st, _, s)) if *st == p.style => s.push(' '),
                        _ => flush_run(&mut run, &mut chunk.items, x),
                    }
                }
                PK::Badge(text, bs) => {
                    flush_run(&mut run, &mut chunk.items, x);
                    dump.push('[');
                    dump.push_str(text);
                    dump.push(']');
                    badge_items(text, *bs, p.style.size, x, p.w, baseline, &mut chunk.items);
                }
                PK::Anchor(a) => {
                    flush_run(&mut run, &mut chunk.items, x);
                    chunk.anchors.push((a.clone(), line_top));
                }
                _ => {}
            }
            x += p.w;
        }
        flush_run(&mut run, &mut chunk.items, x);
        flush_link(&mut link, &mut chunk.items);
        chunk.lines.push(DumpLine {
            x: x0,
            y: baseline,
            w: line.width,
            text: dump,
            furniture: false,
        });
    }

    /// Lay out inline content as line chunks.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        inl: &[Inline],
        style: Style,
        lead: f32,
        ctx: &Ctx,
        keep_all: bool,
        marks: Vec<Mark>,
        anchors: Vec<(String, f32)>,
    ) -> usize {
        let pieces = self.pieces(inl, style);
        let lines = self.break_lines(pieces, ctx.w);
        let n = lines.len();
        let baseline = baseline_in(lead, style.size);
        let start = self.chunks.len();
        for (k, line) in lines.iter().enumerate() {
            let mut c = Chunk::new(lead, ChunkKind::Content);
            self.emit_line(line, ctx.x, baseline, 0.0, lead, &mut c);
            c.first_baseline = Some(baseline);
            c.keep = keep_all || (n >= 2 && k == 0) || (n >= 3 && k == n - 2);
            if k == 0 {
                c.marks = marks.clone();
                c.anchors.extend(anchors.iter().cloned());
            }
            self.push(c, ctx);
        }
        if n == 0 && (!marks.is_empty() || !anchors.is_empty()) {
            let mut c = Chunk::new(0.0, ChunkKind::Content);
            c.marks = marks;
            c.anchors = anchors;
            c.keep = keep_all;
            self.push(c, ctx);
        }
        self.chunks.len() - start
    }

    // ----- blocks -------------------------------------------------------------------

    fn blocks(&mut self, blocks: &[Block], ctx: &Ctx) {
        let mut prev_after: Option<f32> = None;
        for b in blocks {
            if self.over_bound() {
                return;
            }
            let (before, after) = block_spacing(b, ctx);
            if let Some(pa) = prev_after {
                self.space(pa.max(before), true, ctx);
            }
            self.block(b, ctx);
            prev_after = match b {
                Block::PageBreak | Block::Spacer(_) => None,
                _ => Some(after),
            };
        }
    }

    fn block(&mut self, b: &Block, ctx: &Ctx) {
        match b {
            Block::Heading {
                level,
                number,
                text,
                anchor,
                outline,
                ..
            } => {
                let level = (*level).clamp(1, 6);
                let a = heading_anchor(&mut self.heading_counter, anchor);
                self.heading(level, number.as_deref(), text, a, *outline, ctx);
            }
            Block::Paragraph(inl) => {
                self.paragraph(inl, Style::body(), BODY_LEAD, ctx, false, vec![], vec![]);
            }
            Block::List {
                ordered,
                start,
                items,
            } => self.list(*ordered, *start, items, ctx),
            Block::Table {
                header,
                rows,
                widths,
            } => self.table(header, rows, widths.as_deref(), ctx),
            Block::Code(code) => self.code(code, ctx),
            Block::Definitions(items) => self.definitions(items, ctx),
            Block::Rule => {
                let mut c = Chunk::new(9.0, ChunkKind::Content);
                c.items.push(Item::Line {
                    x1: ctx.x,
                    y1: 4.5,
                    x2: ctx.x + ctx.w,
                    y2: 4.5,
                    width: 0.6,
                    color: RULE,
                    dots: false,
                });
                self.push(c, ctx);
            }
            Block::Callout { title, blocks } => self.callout(title.as_deref(), blocks, ctx),
            Block::Recommendation {
                number,
                body,
                anchor,
            } => self.recommendation(*number, body, anchor.as_deref(), ctx),
            Block::PageBreak => self.chunks.push(Chunk::new(0.0, ChunkKind::Break)),
            Block::Spacer(h) => self.space(h.max(0.0), true, ctx),
        }
    }

    fn heading(
        &mut self,
        level: u8,
        number: Option<&str>,
        text: &[Inline],
        anchor: String,
        outline: bool,
        ctx: &Ctx,
    ) {
        let (size, lead, _, _) = heading_metrics(level);
        let style = Style {
            face: Face::Bold,
            size,
            color: ACCENT,
            ..Style::body()
        };
        let mut inl = Vec::new();
        if let Some(n) = number {
            inl.push(Inline::Text(format!("{n}\u{a0}\u{a0}")));
        }
        inl.extend(text.iter().cloned());
        let mut title = String::new();
        if let Some(n) = number {
            title.push_str(n);
            title.push(' ');
        }
        title.push_str(Inline::plain_text(text).trim());
        let mark = Mark {
            level,
            title,
            anchor: anchor.clone(),
            outline,
        };
        self.hyphenate = false;
        let start = self.chunks.len();
        self.paragraph(
            &inl,
            style,
            lead,
            ctx,
            true,
            vec![mark],
            vec![(anchor, 0.0)],
        );
        self.hyphenate = true;
        if level == 1 {
            if let Some(last) = self.chunks[start..].last_mut() {
                last.h += 4.0;
                let y = last.h - 2.0;
                last.items.push(Item::Line {
                    x1: ctx.x,
                    y1: y,
                    x2: ctx.x + ctx.w,
                    y2: y,
                    width: 0.7,
                    color: RULE,
                    dots: false,
                });
            }
        }
    }

    fn list(&mut self, ordered: bool, start: u32, items: &[crate::doc::ListItem], ctx: &Ctx) {
        let f = Face::Regular.get().expect("font checked");
        let markers: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(k, it)| match &it.marker {
                Some(m) => m.clone(),
                None if ordered => format!("{}.", start as u64 + k as u64),
                None => ["•", "◦", "–"][ctx.depth % 3].to_string(),
            })
            .collect();
        let max_w = markers
            .iter()
            .map(|m| f.text_width(m, BODY_SIZE))
            .fold(0.0f32, f32::max);
        let indent = (max_w + 7.0).max(14.0).min(ctx.w / 3.0);
        // over-long custom markers are shortened to fit the gutter
        let markers: Vec<String> = markers
            .into_iter()
            .map(|m| {
                if f.text_width(&m, BODY_SIZE) > indent - 5.0 {
                    ellipsize(&m, Face::Regular, BODY_SIZE, indent - 5.0)
                } else {
                    m
                }
            })
            .collect();
        let inner = Ctx {
            x: ctx.x + indent,
            w: ctx.w - indent,
            bgs: ctx.bgs.clone(),
            depth: ctx.depth + 1,
            tight: true,
        };
        for (k, it) in items.iter().enumerate() {
            if k > 0 {
                self.space(3.0, true, ctx);
            }
            let first = self.chunks.len();
            self.blocks(&it.blocks, &inner);
            let marker = &markers[k];
            let mw = f.text_width(marker, BODY_SIZE);
            let mx = if ordered || it.marker.is_some() {
                ctx.x + indent - 5.0 - mw
            } else {
                ctx.x + (indent - mw) / 2.0 - 1.0
            };
            let target =
                (first..self.chunks.len()).find(|&i| self.chunks[i].kind == ChunkKind::Content);
            let mk = |baseline: f32| Item::Text {
                x: mx.max(ctx.x),
                y: baseline,
                face: Face::Regular,
                size: BODY_SIZE,
                color: if ordered { TEXT } else { ACCENT },
                text: marker.clone(),
            };
            match target {
                Some(i) => {
                    let more = self.chunks.len() - i > 1;
                    let c = &mut self.chunks[i];
                    let bl = c
                        .first_baseline
                        .unwrap_or(baseline_in(BODY_LEAD, BODY_SIZE));
                    let item = mk(bl);
                    c.lines.insert(0, dump_of(&item));
                    c.items.push(item);
                    c.keep = c.keep || more;
                }
                None => {
                    let mut c = Chunk::new(BODY_LEAD, ChunkKind::Content);
                    let item = mk(baseline_in(BODY_LEAD, BODY_SIZE));
                    c.lines.push(dump_of(&item));
                    c.items.push(item);
                    self.push(c, ctx);
                }
            }
        }
    }

    fn definitions(&mut self, items: &[(Vec<Inline>, Vec<Inline>)], ctx: &Ctx) {
        let (size, lead, pad_x, pad_y) = (9.0, 12.5, 4.0, 1.5);
        let style = Style {
            size,
            ..Style::body()
        };
        let terms: Vec<Vec<Piece>> = items.iter().map(|(t, _)| self.pieces(t, style)).collect();
        let term_w = terms
            .iter()
            .map(|ps| natural_widths(ps).1)
            .fold(0.0f32, f32::max)
            .clamp(size, ctx.w * 0.4);
        // The cells sit at `ctx.x` and `ctx.x + term_w + 2 pad_x`; the description column
        // ends at the right edge of the container.
        let desc_w = (ctx.w - term_w - 2.0 * pad_x).max(size);
        for (k, (term, (_, desc))) in terms.into_iter().zip(items).enumerate() {
            if k > 0 {
                self.space(1.5, true, ctx);
            }
            let desc = self.pieces(desc, style);
            // An entry taller than most of a page continues on the next one.
            let max_lines = ((PAGE_TEXT_H * 0.6 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
            for c in self.table_row_segments(
                &[term, desc],
                &[term_w, desc_w],
                ctx.x - pad_x,
                pad_x,
                pad_y,
                lead,
                size,
                max_lines,
            ) {
                self.push(c, ctx);
            }
        }
    }

    fn code(&mut self, code: &str, ctx: &Ctx) {
        let size = 8.5;
        let lead = 11.0;
        let style = Style {
            face: Face::Mono,
            size,
            color: CODE_FG,
            ..Style::body()
        };
        let f = Face::Mono.get().expect("font checked");
        let mut pieces = Vec::new();
        for (k, l) in code.trim_end_matches('\n').split('\n').enumerate() {
            if k > 0 {
                pieces.push(Piece {
                    kind: PK::Newline,
                    style,
                    w: 0.0,
                });
            }
            let l: String = l
                .replace('\t', "    ")
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let l = if l.is_empty() { " ".to_string() } else { l };
            pieces.push(Piece {
                w: f.text_width(&l, size),
                kind: PK::Text(l),
                style,
            });
        }
        let pad = 5.0;
        let bg = Bg {
            x: ctx.x,
            w: ctx.w,
            fill: Some(CODE_BG),
            bar: None,
        };
        let mut inner = ctx.clone();
        inner.bgs.push(bg);
        inner.x += pad;
        inner.w -= 2.0 * pad;
        self.space(pad, false, &inner);
        let lines = self.break_lines(pieces, inner.w);
        let baseline = baseline_in(lead, size);
        let n = lines.len();
        for (k, line) in lines.iter().enumerate() {
            let mut c = Chunk::new(lead, ChunkKind::Content);
            self.emit_line(line, inner.x, baseline, 0.0, lead, &mut c);
            c.first_baseline = Some(baseline);
            c.keep = (n >= 2 && k == 0) || (n >= 3 && k == n - 2);
            self.push(c, &inner);
        }
        self.space(pad, false, &inner);
        // keep the top padding with the first line
        let len = self.chunks.len();
        if n > 0 {
            self.chunks[len - n - 2].keep = true;
        }
    }

    fn callout(&mut self, title: Option<&str>, blocks: &[Block], ctx: &Ctx) {
        let pad = 7.0;
        let bg = Bg {
            x: ctx.x,
            w: ctx.w,
            fill: Some(CALLOUT_BG),
            bar: Some((ACCENT, 2.5)),
        };
        let mut inner = ctx.clone();
        inner.bgs.push(bg);
        inner.x += 11.0;
        inner.w -= 11.0 + 8.0;
        let top = self.chunks.len();
        self.space(pad, false, &inner);
        self.chunks[top].keep = true;
        if let Some(t) = title {
            let style = Style {
                face: Face::Bold,
                color: ACCENT,
                ..Style::body()
            };
            self.paragraph(
                &[Inline::Text(t.to_string())],
                style,
                BODY_LEAD,
                &inner,
                true,
                vec![],
                vec![],
            );
            if !blocks.is_empty() {
                self.space(3.0, true, &inner);
            }
        }
        self.blocks(blocks, &inner);
        self.space(pad, false, &inner);
    }

    fn recommendation(&mut self, number: u32, body: &[Block], anchor: Option<&str>, ctx: &Ctx) {
        let gutter = 32.0;
        let bar = Bg {
            x: ctx.x + gutter - 9.0,
            w: 0.0,
            fill: None,
            bar: Some((REC_BAR, 1.5)),
        };
        let mut inner = ctx.clone();
        inner.x += gutter;
        inner.w -= gutter;
        inner.bgs.push(bar);
        let first = self.chunks.len();
        self.blocks(body, &inner);
        let label = number.to_string();
        let f = Face::Bold.get().expect("font checked");
        // 12 pt, smaller for long numbers so that they fit left of the bar
        let room = gutter - 14.0;
        let w12 = f.text_width(&label, 12.0);
        let size = if w12 > room { 12.0 * room / w12 } else { 12.0 };
        let w = f.text_width(&label, size);
        let target =
            (first..self.chunks.len()).find(|&i| self.chunks[i].kind == ChunkKind::Content);
        let i = match target {
            Some(i) => i,
            None => {
                self.push(Chunk::new(BODY_LEAD, ChunkKind::Content), &inner);
                self.chunks.len() - 1
            }
        };
        let total = self.chunks.len();
        let c = &mut self.chunks[i];
        let bl = c
            .first_baseline
            .unwrap_or(baseline_in(BODY_LEAD, BODY_SIZE));
        let item = Item::Text {
            x: (ctx.x + gutter - 14.0 - w).max(ctx.x),
            y: bl + 0.5,
            face: Face::Bold,
            size,
            color: ACCENT,
            text: label,
        };
        c.lines.insert(0, dump_of(&item));
        c.items.push(item);
        if let Some(a) = anchor {
            c.anchors.push((a.to_string(), 0.0));
        }
        if total - i > 1 {
            c.keep = true;
        }
    }

    // ----- tables -------------------------------------------------------------------

    fn table(
        &mut self,
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        widths: Option<&[f32]>,
        ctx: &Ctx,
    ) {
        let ncols = rows
            .iter()
            .map(|r| r.len())
            .chain(std::iter::once(header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let size = 9.0;
        let lead = 12.0;
        let pad_x = 4.0;
        let pad_y = 3.5;
        let body = Style {
            size,
            ..Style::body()
        };
        let head_style = Style {
            face: Face::Bold,
            color: ACCENT,
            ..body
        };
        let empty: Vec<Inline> = Vec::new();
        let head_pieces: Vec<Vec<Piece>> = if header.is_empty() {
            Vec::new()
        } else {
            (0..ncols)
                .map(|c| self.pieces(header.get(c).unwrap_or(&empty), head_style))
                .collect()
        };
        let row_pieces: Vec<Vec<Vec<Piece>>> = rows
            .iter()
            .map(|r| {
                (0..ncols)
                    .map(|c| self.pieces(r.get(c).unwrap_or(&empty), body))
                    .collect()
            })
            .collect();

        // Column widths (content widths, without padding).
        let inner_total = ctx.w - ncols as f32 * 2.0 * pad_x;
        let col_w: Vec<f32> = match widths {
            Some(ws) if ws.len() == ncols && ws.iter().all(|w| *w > 0.0 && w.is_finite()) => {
                let s: f32 = ws.iter().sum();
                ws.iter().map(|w| w / s * inner_total).collect()
            }
            _ => {
                let mut minw = vec![0.0f32; ncols];
                let mut maxw = vec![0.0f32; ncols];
                let mut measure = |c: usize, ps: &[Piece]| {
                    let (mn, mx) = natural_widths(ps);
                    minw[c] = minw[c].max(mn);
                    maxw[c] = maxw[c].max(mx);
                };
                for (c, ps) in head_pieces.iter().enumerate() {
                    measure(c, ps);
                }
                for r in &row_pieces {
                    for (c, ps) in r.iter().enumerate() {
                        measure(c, ps);
                    }
                }
                distribute(&minw, &maxw, inner_total)
            }
        };
        let t = self.headers.len();
        self.headers.push(Vec::new());

        let total_w = ctx.w;
        // A header taller than ~30 % of a page is split like a row and not repeated.
        let head_max = ((PAGE_TEXT_H * 0.3 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
        let head_segs = if head_pieces.is_empty() {
            Vec::new()
        } else {
            self.table_row_segments(
                &head_pieces,
                &col_w,
                ctx.x,
                pad_x,
                pad_y,
                lead,
                size,
                head_max,
            )
        };
        let repeat = head_segs.len() == 1;
        let nhead = head_segs.len();
        for (si, mut c) in head_segs.into_iter().enumerate() {
            c.items.insert(
                0,
                Item::Rect {
                    x: ctx.x,
                    y: 0.0,
                    w: total_w,
                    h: c.h,
                    fill: Some(TH_BG),
                    stroke: None,
                    radius: 0.0,
                },
            );
            let h = c.h;
            if si + 1 == nhead {
                c.items.push(Item::Line {
                    x1: ctx.x,
                    y1: h,
                    x2: ctx.x + total_w,
                    y2: h,
                    width: 0.8,
                    color: ACCENT,
                    dots: false,
                });
                c.keep = true;
            }
            c.bgs = ctx.bgs.clone();
            if repeat {
                self.headers[t].push(c.clone());
            }
            self.chunks.push(c);
        }
        if nhead == 0 {
            let mut c = Chunk::new(0.0, ChunkKind::Content);
            c.items.push(Item::Line {
                x1: ctx.x,
                y1: 0.0,
                x2: ctx.x + total_w,
                y2: 0.0,
                width: 0.8,
                color: ACCENT,
                dots: false,
            });
            c.keep = true;
            self.headers[t].push(c.clone());
            self.chunks.push(c);
        }
        let nrows = row_pieces.len();
        // rows taller than ~60 % of a page are split into segments
        let max_lines = ((PAGE_TEXT_H * 0.6 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
        for (k, r) in row_pieces.iter().enumerate() {
            let segs =
                self.table_row_segments(r, &col_w, ctx.x, pad_x, pad_y, lead, size, max_lines);
            let nseg = segs.len();
            for (si, mut c) in segs.into_iter().enumerate() {
                if k % 2 == 1 {
                    c.items.insert(
                        0,
                        Item::Rect {
                            x: ctx.x,
                            y: 0.0,
                            w: total_w,
                            h: c.h,
                            fill: Some(ZEBRA),
                            stroke: None,
                            radius: 0.0,
                        },
                    );
                }
                let h = c.h;
                if si + 1 == nseg {
                    c.items.push(Item::Line {
                        x1: ctx.x,
                        y1: h,
                        x2: ctx.x + total_w,
                        y2: h,
                        width: if k + 1 == nrows { 0.8 } else { 0.4 },
                        color: if k + 1 == nrows { ACCENT } else { LIGHT_RULE },
                        dots: false,
                    });
                }
                c.table = Some(t);
                c.bgs = ctx.bgs.clone();
                self.chunks.push(c);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Piece>],
        col_w: &[f32],
        x0: f32,
        pad_x: f32,
        pad_y: f32,
        lead: f32,
        size: f32,
    ) -> Chunk {
        self.table_row_segments(cells, col_w, x0, pad_x, pad_y, lead, size, usize::MAX)
            .pop()
            .expect("at least one segment")
    }

    /// A table row as one chunk, or as several chunks of at most `max_lines` lines each
    /// when it is taller than that (so that a huge cell can continue on the next page).
    #[allow(clippy::too_many_arguments)]
    fn table_row_segments(
        &mut self,
        cells: &[Vec<Piece>],
        col_w: &[f32],
        x0: f32,
        pad_x: f32,
        pad_y: f32,
        lead: f32,
        size: f32,
        max_lines: usize,
    ) -> Vec<Chunk> {
        let baseline = baseline_in(lead, size);
        let mut x = x0;
        let cell_lines: Vec<(f32, Vec<Line>)> = cells
            .iter()
            .enumerate()
            .map(|(k, ps)| {
                let lines = self.break_lines(ps.clone(), col_w[k]);
                let cx = x;
                x += col_w[k] + 2.0 * pad_x;
                (cx, lines)
            })
            .collect();
        let total = cell_lines
            .iter()
            .map(|(_, l)| l.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let per = max_lines.max(1);
        let segments = total.div_ceil(per);
        let mut out = Vec::with_capacity(segments);
        for s in 0..segments {
            let from = s * per;
            let to = (from + per).min(total);
            let mut c = Chunk::new(0.0, ChunkKind::Content);
            for (cx, lines) in &cell_lines {
                for (n, line) in lines.iter().enumerate().take(to).skip(from) {
                    let top = pad_y + (n - from) as f32 * lead;
                    self.emit_line(line, cx + pad_x, top + baseline, top, lead, &mut c);
                }
            }
            c.h = (to - from) as f32 * lead + 2.0 * pad_y;
            c.first_baseline = Some(pad_y + baseline);
            out.push(c);
        }
        out
    }

    // ----- front page and table of contents -------------------------------------

    fn front_page(&mut self, fp: &crate::doc::FrontPage, ctx: &Ctx) {
        let start = self.chunks.len();
        self.space(110.0, false, ctx);
        if !fp.kicker.is_empty() {
            let st = Style {
                face: Face::Bold,
                size: 11.0,
                color: ACCENT,
                ..Style::body()
            };
            self.paragraph(
                &[Inline::text(fp.kicker.clone())],
                st,
                15.0,
                ctx,
                true,
                vec![],
                vec![],
            );
            self.space(6.0, false, ctx);
        }
        if !fp.doc_type.is_empty() {
            let st = Style {
                size: 12.0,
                color: MUTED,
                ..Style::body()
            };
            self.paragraph(
                &[Inline::text(fp.doc_type.clone())],
                st,
                16.0,
                ctx,
                true,
                vec![],
                vec![],
            );
            self.space(10.0, false, ctx);
        }
        let st = Style {
            face: Face::Bold,
            size: 24.0,
            color: ACCENT,
            ..Style::body()
        };
        self.hyphenate = false;
        self.paragraph(
            &[Inline::text(fp.title.clone())],
            st,
            30.0,
            ctx,
            true,
            vec![],
            vec![],
        );
        self.hyphenate = true;
        let mut bar = Chunk::new(30.0, ChunkKind::Content);
        bar.items.push(Item::Rect {
            x: ctx.x,
            y: 12.0,
            w: 48.0,
            h: 3.5,
            fill: Some(ACCENT),
            stroke: None,
            radius: 0.0,
        });
        self.push(bar, ctx);
        if let Some(note) = &fp.note {
            self.space(4.0, false, ctx);
            self.callout(
                None,
                &[Block::Paragraph(vec![Inline::text(note.clone())])],
                ctx,
            );
        }
        // The fields sit at the foot of the page, like the colophon of a printed report.
        let fields_at = self.chunks.len();
        if !fp.fields.is_empty() {
            let lf = Face::Bold.get().expect("font checked");
            let label_w = fp
                .fields
                .iter()
                .map(|(l, _)| lf.text_width(l, BODY_SIZE))
                .fold(0.0f32, f32::max)
                .min(ctx.w * 0.45)
                + 14.0;
            for (k, (l, v)) in fp.fields.iter().enumerate() {
                let label = self.pieces(
                    &[Inline::text(l.clone())],
                    Style {
                        face: Face::Bold,
                        color: MUTED,
                        ..Style::body()
                    },
                );
                let value = self.pieces(&[Inline::text(v.clone())], Style::body());
                let mut c = self.table_row(
                    &[label, value],
                    &[label_w, ctx.w - label_w - 16.0],
                    ctx.x - 4.0,
                    4.0,
                    4.0,
                    BODY_LEAD,
                    BODY_SIZE,
                );
                let h = c.h;
                if k == 0 {
                    c.items.push(Item::Line {
                        x1: ctx.x,
                        y1: 0.0,
                        x2: ctx.x + ctx.w,
                        y2: 0.0,
                        width: 1.2,
                        color: ACCENT,
                        dots: false,
                    });
                }
                let last = k + 1 == fp.fields.len();
                c.items.push(Item::Line {
                    x1: ctx.x,
                    y1: h,
                    x2: ctx.x + ctx.w,
                    y2: h,
                    width: if last { 1.2 } else { 0.4 },
                    color: if last { ACCENT } else { LIGHT_RULE },
                    dots: false,
                });
                self.push(c, ctx);
            }
        }
        let used: f32 = self.chunks[start..].iter().map(|c| c.h).sum();
        // A little slack so that rounding never pushes the last field onto page 2.
        let free = PAGE_TEXT_H - used - 2.0;
        if free > 0.0 && fields_at < self.chunks.len() {
            let mut gap = Chunk::new(free, ChunkKind::Space { discardable: false });
            gap.bgs = ctx.bgs.clone();
            self.chunks.insert(fields_at, gap);
        }
    }

    fn toc(&mut self, entries: &[TocEntry], ctx: &Ctx) {
        let title = self.doc.labels.contents.clone();
        self.heading(
            1,
            None,
            &[Inline::Text(title)],
            "_toc".to_string(),
            true,
            ctx,
        );
        self.space(8.0, true, ctx);
        let num_col = 30.0;
        for e in entries {
            let indent = (e.level.saturating_sub(1) as f32 * 14.0).min(ctx.w / 3.0);
            let style = Style {
                face: if e.level == 1 {
                    Face::Bold
                } else {
                    Face::Regular
                },
                color: TEXT,
                ..Style::body()
            };
            if e.level == 1 {
                self.space(5.0, true, ctx);
            } else {
                self.space(1.0, true, ctx);
            }
            let mut inl = Vec::new();
            if let Some(n) = &e.number {
                inl.push(Inline::Text(format!("{n}\u{a0}\u{a0}")));
            }
            inl.extend(e.text.iter().cloned());
            let sub = Ctx {
                x: ctx.x + indent,
                w: ctx.w - indent - num_col,
                ..ctx.clone()
            };
            let pieces = self.pieces(&inl, style);
            let lines = self.break_lines(pieces, sub.w);
            let baseline = baseline_in(BODY_LEAD, BODY_SIZE);
            let n = lines.len();
            for (k, line) in lines.iter().enumerate() {
                let mut c = Chunk::new(BODY_LEAD, ChunkKind::Content);
                self.emit_line(line, sub.x, baseline, 0.0, BODY_LEAD, &mut c);
                c.items.push(Item::Link {
                    x: sub.x,
                    y: 0.0,
                    w: ctx.x + ctx.w - sub.x,
                    h: BODY_LEAD,
                    target: LinkTarget::Internal(e.anchor.clone()),
                });
                if k + 1 == n {
                    let x1 = sub.x + line.width + 4.0;
                    let x2 = ctx.x + ctx.w - 24.0;
                    if x2 > x1 {
                        c.items.push(Item::Line {
                            x1,
                            y1: baseline - 0.5,
                            x2,
                            y2: baseline - 0.5,
                            width: 0.9,
                            color: MUTED,
                            dots: true,
                        });
                    }
                    c.items.push(Item::PageRef {
                        anchor: e.anchor.clone(),
                        right: ctx.x + ctx.w,
                        y: baseline,
                        face: style.face,
                        size: BODY_SIZE,
                        color: TEXT,
                    });
                } else {
                    c.keep = true;
                }
                self.push(c, ctx);
            }
        }
    }

    // ----- pagination ---------------------------------------------------------------

    fn paginate(&mut self) -> Result<Laid, PdfError> {
        let mut chunks = std::mem::take(&mut self.chunks);
        for i in 1..chunks.len() {
            if matches!(chunks[i].kind, ChunkKind::Space { .. }) {
                chunks[i].keep |= chunks[i - 1].keep;
            }
        }
        let n = chunks.len();
        let mut laid = Laid {
            pages: vec![Page::default()],
            anchors: HashMap::new(),
            outline: Vec::new(),
        };
        let mut cursor = 0.0f32;
        let mut has_content = false;
        let mut i = 0;
        while i < n {
            let c = &chunks[i];
            let (c_h, c_keep, c_table) = (c.h, c.keep, c.table);
            match c.kind {
                ChunkKind::Break => {
                    if has_content {
                        laid.pages.push(Page::default());
                        cursor = 0.0;
                        has_content = false;
                    }
                    i += 1;
                    continue;
                }
                ChunkKind::Space { discardable } if discardable || !c_keep => {
                    let avail = PAGE_TEXT_H - cursor;
                    if discardable && (!has_content || c_h > avail + EPS) {
                        // vanishes at the top of a page (or when the page is full)
                    } else if c_h > avail + EPS {
                        // non-discardable space (box padding) is cut at the page end
                        chunks[i].h = avail.max(0.0);
                        place(&mut chunks[i], &mut laid, &mut cursor);
                    } else {
                        place(&mut chunks[i], &mut laid, &mut cursor);
                        has_content |= !discardable;
                    }
                    i += 1;
                    continue;
                }
                ChunkKind::Space { .. } | ChunkKind::Content => {}
            }
            let mut g = c_h;
            let mut j = i;
            while chunks[j].keep
                && j + 1 < n
                && j - i < MAX_KEEP_CHUNKS
                && chunks[j + 1].kind != ChunkKind::Break
            {
                j += 1;
                g += chunks[j].h;
                if g > PAGE_TEXT_H {
                    break;
                }
            }
            if cursor + g > PAGE_TEXT_H + EPS
                && has_content
                && (g <= PAGE_TEXT_H || cursor + c_h > PAGE_TEXT_H + EPS)
            {
                laid.pages.push(Page::default());
                cursor = 0.0;
                if let Some(t) = c_table {
                    for mut hc in self.headers[t].clone() {
                        place(&mut hc, &mut laid, &mut cursor);
                    }
                }
            }
            place(&mut chunks[i], &mut laid, &mut cursor);
            has_content = true;
            i += 1;
            if laid.pages.len() > MAX_PAGES {
                return Err(PdfError::TooManyPages { limit: MAX_PAGES });
            }
        }
        Ok(laid)
    }
}

/// Put a chunk on the current page at `cursor` (its items and lines are moved out).
fn place(c: &mut Chunk, laid: &mut Laid, cursor: &mut f32) {
    let page_idx = laid.pages.len() - 1;
    let top = MARGIN_TOP + *cursor;
    let page = laid.pages.last_mut().expect("at least one page");
    for bg in &c.bgs {
        if c.h <= 0.0 {
            continue;
        }
        if let Some(fill) = bg.fill {
            page.items.push(Item::Rect {
                x: bg.x,
                y: top,
                w: bg.w,
                h: c.h,
                fill: Some(fill),
                stroke: None,
                radius: 0.0,
            });
        }
        if let Some((col, w)) = bg.bar {
            page.items.push(Item::Rect {
                x: bg.x,
                y: top,
                w,
                h: c.h,
                fill: Some(col),
                stroke: None,
                radius: 0.0,
            });
        }
    }
    for mut it in c.items.drain(..) {
        it.shift(0.0, top);
        page.items.push(it);
    }
    for mut l in c.lines.drain(..) {
        l.y += top;
        page.lines.push(l);
    }
    for (a, y) in &c.anchors {
        laid.anchors.entry(a.clone()).or_insert((page_idx, top + y));
    }
    for m in &c.marks {
        laid.anchors
            .entry(m.anchor.clone())
            .or_insert((page_idx, top));
        if m.outline {
            laid.outline.push(OutlineEntry {
                level: m.level,
                title: m.title.clone(),
                page: page_idx,
                y: top,
            });
        }
    }
    *cursor += c.h;
}

/// Add footers, status bands and watermarks; resolve page references.
fn finish_pages(doc: &Document, laid: &mut Laid) {
    let total = laid.pages.len();
    let anchors = laid.anchors.clone();
    for (idx, page) in laid.pages.iter_mut().enumerate() {
        // resolve page refs
        for it in page.items.iter_mut() {
            if let Item::PageRef {
                anchor,
                right,
                y,
                face,
                size,
                color,
            } = it
            {
                let text = anchors
                    .get(anchor)
                    .map(|(p, _)| (p + 1).to_string())
                    .unwrap_or_else(|| "?".into());
                let w = face
                    .get()
                    .map(|f| f.text_width(&text, *size))
                    .unwrap_or(0.0);
                page.lines.push(DumpLine {
                    x: *right - w,
                    y: *y,
                    w,
                    text: text.clone(),
                    furniture: false,
                });
                *it = Item::Text {
                    x: *right - w,
                    y: *y,
                    face: *face,
                    size: *size,
                    color: *color,
                    text,
                };
            }
        }
        if idx == 0 {
            if let Some(publisher) = doc.front_page.as_ref().and_then(|f| f.publisher.as_ref()) {
                front_band(publisher, page);
            }
        }
        if let Some(status) = &doc.status_line {
            let size = 8.5;
            let f = Face::Bold.get().expect("font checked");
            let band_y = 30.0;
            let band_h = 17.0;
            let text = ellipsize(status, Face::Bold, size, TEXT_W - 16.0);
            let w = f.text_width(&text, size);
            page.items.push(Item::Rect {
                x: MARGIN_X,
                y: band_y,
                w: TEXT_W,
                h: band_h,
                fill: Some(STATUS_BG),
                stroke: None,
                radius: 2.0,
            });
            let bl = band_y + band_h / 2.0 + size * 0.36;
            page.items.push(Item::Text {
                x: MARGIN_X + 8.0,
                y: bl,
                face: Face::Bold,
                size,
                color: STATUS_FG,
                text: text.clone(),
            });
            page.lines.push(DumpLine {
                x: MARGIN_X + 8.0,
                y: bl,
                w,
                text,
                furniture: true,
            });
        }
        let front = doc.front_page.is_some() && idx == 0;
        if !front {
            let size = 8.0;
            let y_rule = PAGE_H - MARGIN_BOTTOM + 16.0;
            let bl = y_rule + 13.0;
            page.items.push(Item::Line {
                x1: MARGIN_X,
                y1: y_rule,
                x2: MARGIN_X + TEXT_W,
                y2: y_rule,
                width: 0.5,
                color: RULE,
                dots: false,
            });
            let page_txt = doc
                .labels
                .page_of
                .replace("{n}", &(idx + 1).to_string())
                .replace("{m}", &total.to_string());
            let page_txt = ellipsize(&page_txt, Face::Regular, size, TEXT_W * 0.3);
            let version = ellipsize(
                &doc.footer.right_version,
                Face::Regular,
                size,
                TEXT_W * 0.25,
            );
            let right = if version.is_empty() {
                page_txt
            } else {
                format!("{version}  ·  {page_txt}")
            };
            let f = Face::Regular.get().expect("font checked");
            let rw = f.text_width(&right, size);
            let left = ellipsize(&doc.footer.left, Face::Regular, size, TEXT_W - rw - 24.0);
            let lw = f.text_width(&left, size);
            for (x, w, text) in [(MARGIN_X, lw, left), (MARGIN_X + TEXT_W - rw, rw, right)] {
                if text.is_empty() {
                    continue;
                }
                page.items.push(Item::Text {
                    x,
                    y: bl,
                    face: Face::Regular,
                    size,
                    color: MUTED,
                    text: text.clone(),
                });
                page.lines.push(DumpLine {
                    x,
                    y: bl,
                    w,
                    text,
                    furniture: true,
                });
            }
        }
        if let Some(wm) = &doc.watermark {
            if !wm.trim().is_empty() {
                page.items.push(Item::Watermark { text: wm.clone() });
            }
        }
    }
}

/// The coloured band across the top of the front page, with the publisher line in it.
/// It goes under everything else on the page (the status band is drawn over it).
fn front_band(publisher: &str, page: &mut Page) {
    let size = 10.0;
    let band_h = 104.0;
    let text = ellipsize(publisher, Face::Bold, size, TEXT_W);
    let w = Face::Bold
        .get()
        .map(|f| f.text_width(&text, size))
        .unwrap_or(0.0);
    let bl = band_h - 22.0;
    page.items.insert(
        0,
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w: PAGE_W,
            h: band_h,
            fill: Some(ACCENT),
            stroke: None,
            radius: 0.0,
        },
    );
    page.items.insert(
        1,
        Item::Rect {
            x: 0.0,
            y: band_h,
            w: PAGE_W,
            h: 3.0,
            fill: Some(BAND_STRIPE),
            stroke: None,
            radius: 0.0,
        },
    );
    page.items.push(Item::Text {
        x: MARGIN_X,
        y: bl,
        face: Face::Bold,
        size,
        color: WHITE,
        text: text.clone(),
    });
    page.lines.insert(
        0,
        DumpLine {
            x: MARGIN_X,
            y: bl,
            w,
            text,
            furniture: true,
        },
    );
}

/// The dump line of a single text item (list markers, recommendation numbers).
fn dump_of(item: &Item) -> DumpLine {
    match item {
        Item::Text {
            x,
            y,
            face,
            size,
            text,
            ..
        } => DumpLine {
            x: *x,
            y: *y,
            w: face.get().map(|f| f.text_width(text, *size)).unwrap_or(0.0),
            text: text.clone(),
            furniture: false,
        },
        _ => DumpLine {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            text: String::new(),
            furniture: false,
        },
    }
}

/// Shorten `s` with "…" so that it fits in `max_w`.
fn ellipsize(s: &str, face: Face, size: f32, max_w: f32) -> String {
    let s: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control() && *c != '\u{ad}')
        .collect();
    let Ok(f) = face.get() else { return s };
    if f.text_width(&s, size) <= max_w {
        return s;
    }
    let ell = f.char_width('…', size);
    let mut w = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        let cw = f.char_width(c, size);
        if w + cw + ell > max_w {
            break;
        }
        w += cw;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Baseline offset inside a line box of height `lead` for text of `size`.
fn baseline_in(lead: f32, size: f32) -> f32 {
    lead / 2.0 + size * 0.36
}

fn hyphen_width(st: Style) -> f32 {
    st.face
        .get()
        .map(|f| f.char_width('-', st.size))
        .unwrap_or(0.0)
}

fn badge_size(size: f32) -> f32 {
    size * 0.8
}

fn badge_width(text: &str, size: f32) -> f32 {
    let bs = badge_size(size);
    let tw = Face::Bold
        .get()
        .map(|f| f.text_width(text, bs))
        .unwrap_or(0.0);
    (tw + bs * 0.9).max(size * 1.25)
}

#[allow(clippy::too_many_arguments)]
fn badge_items(
    text: &str,
    style: BadgeStyle,
    size: f32,
    x: f32,
    w: f32,
    baseline: f32,
    items: &mut Vec<Item>,
) {
    let bs = badge_size(size);
    let h = size * 1.15;
    let top = baseline - size * 0.36 - h / 2.0;
    let (fill, stroke, fg) = match style {
        BadgeStyle::Grade => (Some(GRADE_BG), None, WHITE),
        BadgeStyle::Status => (Some(STATUS_BADGE_BG), None, WHITE),
        BadgeStyle::Cost => (Some(WHITE), Some((ACCENT, 0.8)), ACCENT),
    };
    items.push(Item::Rect {
        x,
        y: top,
        w,
        h,
        fill,
        stroke,
        radius: h * 0.22,
    });
    let tw = Face::Bold
        .get()
        .map(|f| f.text_width(text, bs))
        .unwrap_or(0.0);
    items.push(Item::Text {
        x: x + (w - tw) / 2.0,
        y: top + h / 2.0 + bs * 0.36,
        face: Face::Bold,
        size: bs,
        color: fg,
        text: text.to_string(),
    });
}

/// Tokenize text into word, space and break-opportunity pieces.
fn push_text(t: &str, style: Style, out: &mut Vec<Piece>, _pre: bool) {
    let f = match style.face.get() {
        Ok(f) => f,
        Err(_) => return,
    };
    let mut word = String::new();
    let mut word_chars = 0usize;
    let mut units: u64 = 0;
    let scale = style.size / f.upem;
    let flush = |word: &mut String, units: &mut u64, out: &mut Vec<Piece>| {
        if !word.is_empty() {
            out.push(Piece {
                kind: PK::Text(std::mem::take(word)),
                style,
                w: *units as f32 * scale,
            });
            *units = 0;
        }
    };
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{3000}' => {
                flush(&mut word, &mut units, out);
                if !matches!(out.last().map(|p| &p.kind), Some(PK::Space)) {
                    out.push(Piece {
                        kind: PK::Space,
                        style,
                        w: f.char_width(' ', style.size),
                    });
                }
            }
            '\u{AD}' => {
                flush(&mut word, &mut units, out);
                out.push(Piece {
                    kind: PK::SoftHyphen,
                    style,
                    w: 0.0,
                });
            }
            '\u{200B}' => {
                flush(&mut word, &mut units, out);
                out.push(Piece {
                    kind: PK::BreakAfter,
                    style,
                    w: 0.0,
                });
            }
            c if c.is_control() || ('\u{FE00}'..='\u{FE0F}').contains(&c) => {}
            c => {
                if word.is_empty() {
                    word_chars = 0;
                }
                word.push(c);
                word_chars += 1;
                units += u64::from(f.advance(f.glyph(c)));
                let breakable = matches!(c, '-' | '/' | '–' | '—')
                    && word_chars > 2
                    && chars.peek().is_some_and(|n| n.is_alphanumeric());
                if breakable {
                    flush(&mut word, &mut units, out);
                    out.push(Piece {
                        kind: PK::BreakAfter,
                        style,
                        w: 0.0,
                    });
                }
            }
        }
    }
    flush(&mut word, &mut units, out);
}

/// Split `t` into parts for consecutive lines: the first fits in `first_avail`, each
/// further one in `width` (every part has at least one character when `force`, or when it
/// is not the first). One pass over `t`: a word of any length costs linear time.
/// An empty first part means that nothing fits on the current line.
fn split_text(t: &str, st: Style, first_avail: f32, width: f32, force: bool) -> Vec<String> {
    let Ok(f) = st.face.get() else {
        return vec![t.to_string()];
    };
    let mut parts = Vec::new();
    let mut avail = first_avail;
    let mut w = 0.0;
    let mut start = 0;
    let mut force = force;
    for (i, c) in t.char_indices() {
        let cw = f.char_width(c, st.size);
        if w + cw > avail + EPS && !(force && i == start) {
            if i == start && parts.is_empty() {
                // nothing fits on the current line: the word starts the next one
                return vec![String::new()];
            }
            parts.push(t[start..i].to_string());
            start = i;
            w = 0.0;
            avail = width;
            force = true;
        }
        w += cw;
    }
    parts.push(t[start..].to_string());
    parts
}

/// A text piece with its measured width.
fn text_piece(t: String, st: Style) -> Piece {
    let w = st
        .face
        .get()
        .map(|f| f.text_width(&t, st.size))
        .unwrap_or(0.0);
    Piece {
        kind: PK::Text(t),
        style: st,
        w,
    }
}

/// (min-content, max-content) width of inline pieces.
fn natural_widths(ps: &[Piece]) -> (f32, f32) {
    let mut mn = 0.0f32;
    let mut mx = 0.0f32;
    let mut line = 0.0f32;
    let mut word = 0.0f32;
    for p in ps {
        match p.kind {
            PK::Newline => {
                mx = mx.max(line);
                mn = mn.max(word);
                line = 0.0;
                word = 0.0;
            }
            PK::Space | PK::BreakAfter | PK::SoftHyphen => {
                mn = mn.max(word);
                word = 0.0;
                line += p.w;
            }
            _ => {
                word += p.w;
                line += p.w;
            }
        }
    }
    (mn.max(word), mx.max(line))
}

/// Share `total` between columns given their min- and max-content widths.
fn distribute(minw: &[f32], maxw: &[f32], total: f32) -> Vec<f32> {
    let n = minw.len();
    let total = total.max(n as f32 * 10.0);
    let sum_max: f32 = maxw.iter().map(|w| w.max(1.0)).sum();
    if sum_max <= total {
        // Everything fits on one line: spread the spare room in proportion.
        return maxw.iter().map(|w| w.max(1.0) / sum_max * total).collect();
    }
    // Narrow columns (content narrower than a fair share) get their full width, so
    // short labels and numbers do not wrap; repeat until stable.
    // Fixing a column narrower than the fair share only raises the share of the others,
    // so taking the columns narrowest first finds the same set in O(n log n).
    let mut out = vec![0.0f32; n];
    let mut fixed = vec![false; n];
    let mut left = total;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| {
        maxw[*a]
            .max(1.0)
            .total_cmp(&maxw[*b].max(1.0))
            .then(a.cmp(b))
    });
    let mut open = n;
    for c in order {
        let want = maxw[c].max(1.0);
        if want > left / open as f32 {
            break;
        }
        out[c] = want;
        left -= want;
        fixed[c] = true;
        open -= 1;
        if open == 0 {
            break;
        }
    }
    let open: Vec<usize> = (0..n).filter(|c| !fixed[*c]).collect();
    if open.is_empty() {
        return out;
    }
    // The rest share what is left: min-content first (capped so one long word cannot
    // starve the others), then in proportion to how much more they want.
    let cap = left / open.len() as f32 * 1.6;
    let mut sum_base = 0.0;
    for &c in &open {
        out[c] = minw[c].clamp(8.0, cap.max(8.0));
        sum_base += out[c];
    }
    if sum_base >= left {
        for &c in &open {
            out[c] = out[c] / sum_base * left;
        }
        return out;
    }
    let spare = left - sum_base;
    let wants: Vec<f32> = open.iter().map(|&c| (maxw[c] - out[c]).max(0.0)).collect();
    let sum_wants: f32 = wants.iter().sum();
    for (k, &c) in open.iter().enumerate() {
        out[c] += if sum_wants > 0.0 {
            spare * wants[k] / sum_wants
        } else {
            spare / open.len() as f32
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribute_fills_total() {
        let w = distribute(&[10.0, 50.0], &[100.0, 900.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.1);
        assert!(w[0] >= 10.0 && w[1] >= 50.0);
        let w = distribute(&[10.0, 10.0], &[20.0, 60.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.1);
    }

    #[test]
    fn tokenizer_breaks_after_hyphen_and_soft_hyphen() {
        let mut out = Vec::new();
        push_text(
            "knogle-marv be\u{ad}hand  ling",
            Style::body(),
            &mut out,
            false,
        );
        let kinds: Vec<String> = out
            .iter()
            .map(|p| match &p.kind {
                PK::Text(t) => t.clone(),
                PK::Space => "_".into(),
                PK::SoftHyphen => "~".into(),
                PK::BreakAfter => "|".into(),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["knogle-", "|", "marv", "_", "be", "~", "hand", "_", "ling"]
        );
    }
}
