//! vejviser-render-pdf: a small typesetting engine that writes compact, deterministic,
//! tagged PDF 1.7 (PDF/UA-1, PDF/A-2a) for clinical guidelines.
//!
//! The input is a generic [`Document`] (front page, headings, paragraphs, lists, tables,
//! callouts, recommendations, inline badges and links); it knows nothing about the
//! guideline model. Text is laid out with real glyph advances of the embedded DejaVu
//! fonts, greedy line breaking with Danish (or English) hyphenation, orphan/widow and
//! keep-with-next control, repeated table headers, a table of contents with page
//! numbers, bookmarks, running footers, a status band and a watermark.
//!
//! The layout also builds the logical structure (headings, paragraphs, lists, tables,
//! links, the contents); the PDF objects are written with pdf-writer, fonts subset with
//! subsetter and measured with skrifa, the page content streams by the engine itself
//! (compact, with marked content). Object ids are explicit and the file `/ID` is derived
//! from the content, so equal input always gives equal bytes.
//!
//! ```
//! use vejviser_render_pdf::*;
//! let doc = Document {
//!     meta: Meta {
//!         title: "Titel".into(), author: "DMCG".into(), subject: String::new(),
//!         keywords: vec![], language: "da".into(), creation_date: Date::new(2025, 3, 1),
//!     },
//!     front_page: None,
//!     toc: false,
//!     blocks: markdown_to_blocks("# Hej\n\nVerden æøå ≥ 5.", &MdOptions::default()),
//!     footer: Footer { left: "Titel".into(), right_version: "Version 1.0".into() },
//!     status_line: None,
//!     watermark: None,
//!     labels: Labels::danish(),
//! };
//! let pdf = render(&doc).unwrap();
//! assert!(pdf.starts_with(b"%PDF-1.7"));
//! ```

#![warn(missing_docs)]

mod cmap;
mod compress;
mod content;
pub mod doc;
mod embed;
mod font;
pub mod guideline;
mod layout;
mod markdown;
mod objstm;
mod render;
pub mod sample;
mod structure;
mod tags;

pub use doc::*;
pub use guideline::{
    creation_date, date_from_epoch, full_document, quick_document, render_guideline_pdfs,
};
pub use markdown::{markdown_inline, markdown_to_blocks, markdown_to_inlines, MdOptions};

use std::fmt::Write as _;

/// Errors from [`render`].
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font could not be parsed (a build problem, not an input problem).
    #[error("embedded font could not be read: {0}")]
    Font(String),
    /// `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds.
    #[error("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {0:?}")]
    SourceDateEpoch(String),
    /// The document needs more pages than one PDF may have ([`MAX_PAGES`]).
    #[error("the PDF would have more than {limit} pages, the limit for one guideline; shorten the guideline")]
    TooManyPages {
        /// The limit, [`MAX_PAGES`].
        limit: usize,
    },
}

/// Facts about a rendered document, for diagnostics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderStats {
    /// Number of pages.
    pub pages: usize,
    /// Internal link targets that name no anchor (those links were left as plain text).
    pub unresolved_links: Vec<String>,
    /// Characters the fonts do not cover (printed as `?`), in order of first use.
    pub replaced_chars: Vec<char>,
}

/// Typeset `doc` as an A4 PDF.
///
/// The output depends only on `doc`: the same input gives the same bytes, also when many
/// documents are rendered concurrently in one process.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    render_with_stats(doc).map(|(bytes, _)| bytes)
}

/// Like [`render`], and also report page count, broken internal links and characters
/// the fonts lack.
pub fn render_with_stats(doc: &Document) -> Result<(Vec<u8>, RenderStats), PdfError> {
    let laid = layout::layout(doc)?;
    let mut stats = RenderStats {
        pages: laid.pages.len(),
        ..Default::default()
    };
    let bytes = render::write_pdf(doc, &laid, &mut stats)?;
    Ok((bytes, stats))
}

/// A laid-out text line: position and text (see [`layout_lines`]).
pub use layout::DumpLine;
pub use layout::MAX_PAGES;

/// The laid-out text lines of every page (positions in points, origin at the top-left
/// page corner, `y` is the baseline). Includes footers, status bands and TOC page numbers.
pub fn layout_lines(doc: &Document) -> Result<Vec<Vec<DumpLine>>, PdfError> {
    let laid = layout::layout(doc)?;
    Ok(laid.pages.into_iter().map(|p| p.lines).collect())
}

/// A readable dump of the layout: every page and, for each laid-out line, its position
/// (rounded to 1 pt: x, baseline y, width) and text. Meant for golden tests, so that
/// layout changes show up in review.
pub fn layout_dump(doc: &Document) -> String {
    let pages = match layout_lines(doc) {
        Ok(p) => p,
        Err(e) => return format!("error: {e}\n"),
    };
    let mut out = String::new();
    for (k, lines) in pages.iter().enumerate() {
        let _ = writeln!(out, "page {}", k + 1);
        for l in lines {
            let _ = writeln!(
                out,
                "  x{:>4} y{:>4} w{:>4} | {}",
                l.x.round() as i64,
                l.y.round() as i64,
                l.w.round() as i64,
                l.text
            );
        }
    }
    out
}

/// Right edge of the text area in points (for layout tests).
pub const TEXT_RIGHT: f32 = layout::MARGIN_X + layout::TEXT_W;
/// Left edge of the text area in points.
pub const TEXT_LEFT: f32 = layout::MARGIN_X;
/// Page height in points (A4).
pub const PAGE_HEIGHT: f32 = layout::PAGE_H;
/// Bottom edge of the text area, in points from the top.
pub const TEXT_BOTTOM: f32 = layout::PAGE_H - layout::MARGIN_BOTTOM;
