//! The typesetting engine: turns a [`Document`] into positioned pages.
//!
//! Coordinates here are in points, measured from the top-left corner of the page
//! (y grows downwards); the PDF writer flips them.
//!
//! Blocks are first broken into vertical *chunks* (one text line, one table row, a piece of
//! space, …) that carry keep-with-next flags; the paginator then places chunks on pages,
//! moving groups that must stay together to the next page and repeating table headers.
//!
//! The parts: `inline` (inline content to measured pieces), `lines` (line breaking and
//! drawing a line), `blocks` (headings, code, callouts, recommendations), `lists`,
//! `table`, `front` (the front page), `toc` (the contents and page references) and
//! `pages` (page flow, footers and bands). This file holds the shared types, the engine
//! and its small helpers.

use std::collections::HashMap;

use crate::doc::{BadgeStyle, Block, Document, Inline, LinkTarget};
use crate::font::Face;
use crate::tags::{Role, Tag, Tags, ARTIFACT, DOCUMENT};
use crate::PdfError;

mod blocks;
mod front;
mod inline;
mod lines;
mod lists;
mod pages;
mod table;
mod toc;

use front::*;
use inline::*;
use pages::*;
use table::*;
use toc::*;

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
        /// The structure element the text belongs to ([`ARTIFACT`] for furniture).
        tag: Tag,
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
        /// The `Link` structure element of the annotation.
        tag: Tag,
    },
    /// The page number of an anchor, right-aligned at `right` (resolved after pagination).
    PageRef {
        anchor: String,
        right: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Color,
        tag: Tag,
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

    /// Make this item page furniture (a repeated table header).
    fn make_artifact(&mut self) {
        match self {
            Item::Text { tag, .. } | Item::Link { tag, .. } | Item::PageRef { tag, .. } => {
                *tag = ARTIFACT
            }
            _ => {}
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
    /// The structure tree the items' tags point into.
    pub tags: Tags,
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
    /// Text, style, and what it stands for (see [`Inline::Badge`]'s `alt`).
    Badge(String, BadgeStyle, Option<String>),
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
    hyph: Option<hypher::Lang>,
    chunks: Vec<Chunk>,
    headers: Vec<Vec<Chunk>>,
    links: Vec<LinkTarget>,
    heading_counter: usize,
    /// Hyphenate words (off for headings and titles).
    hyphenate: bool,
    /// Total height of the chunks so far (a lower bound of the pages they will need).
    height: f32,
    /// The structure tree, and the element new content belongs to.
    tags: Tags,
    cur: Tag,
    /// The `Link` element of each entry of `links` (0 = not made yet).
    link_tags: Vec<Tag>,
}

/// The hyphenation patterns for a document language (`da…` or `en…`), if there are any.
fn hyphenator(lang: &str) -> Option<hypher::Lang> {
    let lang = lang.trim().to_ascii_lowercase();
    if lang.starts_with("da") {
        Some(hypher::Lang::Danish)
    } else if lang.starts_with("en") {
        Some(hypher::Lang::English)
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
        tags: Tags::default(),
        cur: DOCUMENT,
        link_tags: Vec::new(),
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
    // The publisher line of the front page's band is read first.
    let publisher = e.tags.add(Role::P, DOCUMENT);
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
    laid.tags = std::mem::take(&mut e.tags);
    finish_pages(doc, &mut laid, publisher);
    Ok(laid)
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

    /// Make a structure element under the current one and make it current; returns the
    /// previous one, for [`Engine::close`].
    fn open(&mut self, role: Role) -> Tag {
        let prev = self.cur;
        self.cur = self.tags.add(role, prev);
        prev
    }

    fn close(&mut self, prev: Tag) {
        self.cur = prev;
    }

    fn space(&mut self, h: f32, discardable: bool, ctx: &Ctx) {
        if h <= 0.0 {
            return;
        }
        self.push(Chunk::new(h, ChunkKind::Space { discardable }), ctx);
    }
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
