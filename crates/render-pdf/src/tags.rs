//! The logical structure of a tagged PDF, as the layout engine builds it from the
//! document IR: one node per heading, paragraph, list, list item, table cell, link, …
//!
//! Every text item on a page carries the node it belongs to ([`Tag`]); the PDF writer
//! wraps it in marked content with an MCID and hangs that on the node. Page furniture
//! (running footer, page numbers, status band, watermark, repeated table headers,
//! rules and backgrounds) carries [`ARTIFACT`] and is marked `/Artifact`.
//!
//! A node only appears in the PDF once something of it is painted, and it is placed
//! among its siblings at that moment, so the structure follows reading order and has no
//! empty elements.

/// A node of the structure tree; [`ARTIFACT`] for page furniture.
pub(crate) type Tag = u32;

/// Not content: marked `/Artifact` in the content stream.
pub(crate) const ARTIFACT: Tag = 0;
/// The `Document` element, the root of every tree.
pub(crate) const DOCUMENT: Tag = 1;

/// The standard structure types the engine uses (ISO 32000-1, 14.8.4), named as there.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Document,
    /// Heading level 1–6.
    H(u8),
    P,
    /// A list, its items, their labels (bullet, number, term) and bodies.
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    /// A header cell of a column (`/Scope /Column`) or of a row (`/Scope /Row`).
    TH {
        row: bool,
    },
    TD,
    Link,
    /// The table of contents and its entries.
    TOC,
    TOCI,
    /// A group: callouts, recommendations, the front page's fields.
    Div,
    /// Inline text with its own alternative (a badge).
    Span,
    Code,
}

/// One structure element.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub role: Role,
    pub parent: Tag,
    /// `/ActualText`: what the content stands for, in words.
    pub actual_text: Option<String>,
}

/// The structure tree under construction.
#[derive(Debug, Clone)]
pub(crate) struct Tags {
    /// Index = [`Tag`]; entry 0 stands for [`ARTIFACT`] and is never written.
    pub nodes: Vec<Node>,
}

impl Default for Tags {
    fn default() -> Self {
        let root = Node {
            role: Role::Document,
            parent: ARTIFACT,
            actual_text: None,
        };
        Tags {
            nodes: vec![root.clone(), root],
        }
    }
}

impl Tags {
    /// A new element under `parent`; an artifact parent makes the child an artifact too.
    pub fn add(&mut self, role: Role, parent: Tag) -> Tag {
        if parent == ARTIFACT {
            return ARTIFACT;
        }
        self.nodes.push(Node {
            role,
            parent,
            actual_text: None,
        });
        (self.nodes.len() - 1) as Tag
    }
}
