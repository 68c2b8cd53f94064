//! The document IR: a generic, guideline-agnostic description of what to typeset.
//!
//! Another crate turns a guideline into a [`Document`]; this crate only knows about
//! headings, paragraphs, lists, tables, callouts, recommendations and inline runs.

/// A complete document to typeset into one PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Document information (title, author, language, date) written to the PDF metadata.
    pub meta: Meta,
    /// Optional front page; when present it is page 1 and carries no running footer.
    pub front_page: Option<FrontPage>,
    /// Generate a table of contents (with real page numbers and links) after the front page.
    /// It lists every [`Block::Heading`] with `in_toc: true`.
    pub toc: bool,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// Running footer printed on every page except the front page.
    pub footer: Footer,
    /// Printed in a coloured band at the top of every page, e.g.
    /// `"Revision overskredet: planlagt opdatering 2025-06-01"`.
    pub status_line: Option<String>,
    /// Printed diagonally in light grey on every page, e.g. `"Udkast"` or `"Draft"`.
    pub watermark: Option<String>,
    /// Fixed texts in the document language.
    pub labels: Labels,
}

/// Document information written to the PDF `/Info` dictionary and catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// `/Title`; viewers show it instead of the file name.
    pub title: String,
    /// `/Author`.
    pub author: String,
    /// `/Subject`.
    pub subject: String,
    /// `/Keywords`, joined with `", "`.
    pub keywords: Vec<String>,
    /// BCP 47 language tag for the catalog `/Lang`, e.g. `"da"` or `"en"`. Also selects the
    /// hyphenation patterns (Danish for `da*`, US English for `en*`, none otherwise).
    pub language: String,
    /// `/CreationDate` and `/ModDate`. Never read from the wall clock, so that the same
    /// input always gives the same bytes.
    pub creation_date: Date,
}

/// A calendar date (no time of day, no time zone; written as midnight UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
}

impl Date {
    /// Convenience constructor.
    pub fn new(year: i32, month: u32, day: u32) -> Self {
        Date { year, month, day }
    }
}

/// The front page (page 1).
#[derive(Debug, Clone, PartialEq)]
pub struct FrontPage {
    /// Small text above the title, e.g. the name of the guideline group.
    pub kicker: String,
    /// Document type, e.g. `"Klinisk retningslinje"`.
    pub doc_type: String,
    /// The large title.
    pub title: String,
    /// Label/value pairs shown as a small table, e.g. `("Version", "2.1")`,
    /// `("Faglig godkendelse", "1. marts 2025")`, `("Planlagt opdatering", …)`.
    pub fields: Vec<(String, String)>,
    /// Optional note printed in a shaded box below the fields.
    pub note: Option<String>,
    /// Publisher line printed in white in a coloured band across the top of the front
    /// page, e.g. `"Kliniske retningslinjer på kræftområdet"`. No band when absent.
    pub publisher: Option<String>,
}

/// The running footer.
#[derive(Debug, Clone, PartialEq)]
pub struct Footer {
    /// Left part, usually the document title (shortened with "…" when too long).
    pub left: String,
    /// Version text printed before the page number on the right, e.g. `"Version 2.1"`.
    /// May be empty.
    pub right_version: String,
}

/// Fixed texts in the document language.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// Heading of the table of contents, e.g. `"Indhold"` or `"Contents"`.
    pub contents: String,
    /// Page number pattern; `{n}` is replaced by the page number and `{m}` by the page
    /// count, e.g. `"Side {n} af {m}"` or `"Page {n} of {m}"`.
    pub page_of: String,
}

impl Labels {
    /// Danish labels: `"Indhold"`, `"Side {n} af {m}"`.
    pub fn danish() -> Self {
        Labels {
            contents: "Indhold".into(),
            page_of: "Side {n} af {m}".into(),
        }
    }

    /// English labels: `"Contents"`, `"Page {n} of {m}"`.
    pub fn english() -> Self {
        Labels {
            contents: "Contents".into(),
            page_of: "Page {n} of {m}".into(),
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels::danish()
    }
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading. Level 1 is the largest. It is never left alone at the bottom of a page:
    /// it is kept with the first two lines of what follows.
    Heading {
        /// 1–6 (larger values are treated as 6, 0 as 1).
        level: u8,
        /// Section number printed before the text, e.g. `"2.1"`.
        number: Option<String>,
        /// The heading text.
        text: Vec<Inline>,
        /// Named destination for internal links ([`LinkTarget::Internal`]).
        anchor: Option<String>,
        /// Add a PDF bookmark (outline entry), nested by level.
        outline: bool,
        /// List in the table of contents (if [`Document::toc`] is set).
        in_toc: bool,
    },
    /// A paragraph of running text.
    Paragraph(Vec<Inline>),
    /// A bullet or numbered list; items may contain nested lists.
    List {
        /// Numbered (`1.`, `2.`, …) rather than bulleted.
        ordered: bool,
        /// Number of the first item of an ordered list.
        start: u32,
        /// The items.
        items: Vec<ListItem>,
    },
    /// A table. Cells wrap; the header row is repeated on every page the table spans.
    Table {
        /// Header cells (may be empty for a table without header).
        header: Vec<Vec<Inline>>,
        /// Body rows; each row is a list of cells. Short rows are padded with empty cells.
        rows: Vec<Vec<Vec<Inline>>>,
        /// Relative column widths (any positive numbers; they are normalised). When absent,
        /// widths are derived from the content.
        widths: Option<Vec<f32>>,
    },
    /// Preformatted text in a monospaced font (long lines are wrapped).
    Code(String),
    /// A thin horizontal rule.
    Rule,
    /// A shaded box with an accent bar, e.g. a legend or a status banner.
    Callout {
        /// Optional bold title on the first line.
        title: Option<String>,
        /// The content.
        blocks: Vec<Block>,
    },
    /// A numbered recommendation: the number sits in a left gutter, the body is indented.
    /// The number and the first lines of the body are kept on one page.
    Recommendation {
        /// The recommendation number.
        number: u32,
        /// The body (typically a paragraph starting with a grade badge).
        body: Vec<Block>,
        /// Named destination for internal links.
        anchor: Option<String>,
    },
    /// A two-column list of terms and what they mean, e.g. a legend: each term (text or
    /// badges) in a left column as wide as the widest term, its description wrapping in
    /// the right column, in slightly smaller type. An entry is kept on one page unless it
    /// is taller than most of a page.
    Definitions(Vec<(Vec<Inline>, Vec<Inline>)>),
    /// Start a new page.
    PageBreak,
    /// Vertical space in points.
    Spacer(f32),
}

/// One item of a [`Block::List`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// Marker override (e.g. `"a)"`, `"✓"`); otherwise a bullet or the item number.
    pub marker: Option<String>,
    /// The item content.
    pub blocks: Vec<Block>,
}

/// Inline content inside paragraphs, headings and table cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text. Runs of white space collapse to one space. A soft hyphen (U+00AD) marks
    /// a hyphenation point; U+00A0 is a non-breaking space; U+200B a break opportunity.
    Text(String),
    /// Bold content.
    Bold(Vec<Inline>),
    /// Italic content.
    Italic(Vec<Inline>),
    /// Struck-through content (GFM `~~text~~`).
    Strike(Vec<Inline>),
    /// Inline code in the monospaced font.
    Code(String),
    /// A hyperlink: a URI link annotation for external targets, a jump to a named
    /// destination for internal ones (silently plain text if the anchor does not exist).
    Link {
        /// Where the link goes.
        target: LinkTarget,
        /// The visible content.
        content: Vec<Inline>,
    },
    /// A small filled box with text, e.g. a recommendation grade `"A"` or a status symbol.
    Badge {
        /// The badge text (short).
        text: String,
        /// Visual style.
        style: BadgeStyle,
        /// What the badge stands for, in words, when its text is a symbol or a letter:
        /// written as the tagged PDF's `/ActualText`, so that a screen reader and a copy
        /// give the words. `None`: the text says it already. `Some("")`: decoration,
        /// because the words stand right beside it (marked as an artifact, like
        /// `aria-hidden` on the web page).
        alt: Option<String>,
    },
    /// A forced line break.
    LineBreak,
    /// A named destination at this point (e.g. a reference in a reference list).
    Anchor(String),
}

/// The target of an [`Inline::Link`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A URI (`https://…`, `mailto:…`).
    External(String),
    /// The name of an anchor in this document (heading, recommendation or
    /// [`Inline::Anchor`]).
    Internal(String),
}

/// Visual style of an [`Inline::Badge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BadgeStyle {
    /// Filled dark blue box with white bold text (evidence grade).
    Grade,
    /// Filled teal box with white text (e.g. a Medicinrådet status symbol).
    Status,
    /// Outlined box with dark blue text (e.g. a cost marker).
    Cost,
}

impl Inline {
    /// Shorthand for [`Inline::Text`].
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text(s.into())
    }

    /// The plain text of this inline (badges and code included, anchors and breaks as
    /// nothing/space); used for bookmarks and tests.
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        fn walk(inl: &[Inline], out: &mut String) {
            for i in inl {
                match i {
                    Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                    Inline::Badge { text, .. } => out.push_str(text),
                    Inline::Bold(c) | Inline::Italic(c) | Inline::Strike(c) => walk(c, out),
                    Inline::Link { content, .. } => walk(content, out),
                    Inline::LineBreak => out.push(' '),
                    Inline::Anchor(_) => {}
                }
            }
        }
        walk(inlines, &mut out);
        out
    }
}
