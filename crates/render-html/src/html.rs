//! The content tree to HTML, written here in Rust and escaped as it is
//! written: templates get finished fragments and lay out the page (as mdBook
//! does); they never convert Markdown. Guideline text is untrusted, and this is
//! the one HTML policy for it: text, code and raw HTML are escaped (raw HTML is
//! shown as the text it is, like the PDF shows it); a link keeps only an
//! http(s), mailto or relative URL; math becomes MathML with its text as the
//! alternative. External links get `rel="noopener"`; tables scroll in their
//! own box, so a wide table never widens a phone's page.

use vejviser_model::content::{Alignment, Block, Inline};
use vejviser_model::safe::link_allowed;
use vejviser_view::changes::PieceView;
use vejviser_view::cite::CitePart;
use vejviser_view::math::math_text;
use vejviser_view::{GuidelineView, RecommendationView};

/// `&`, `<`, `>`, `"` and `'` as entities (the one policy in `model::safe`).
pub use vejviser_model::safe::html_escape as escape;

/// Writes author text for one guideline view: citations resolve through it.
pub struct Writer<'v> {
    labels: &'static vejviser_view::Labels,
    lang: &'static str,
    /// The reference numbers citations resolve to ([`GuidelineView::cite`]).
    reference_numbers: &'v std::collections::BTreeSet<u32>,
}

impl<'v> Writer<'v> {
    /// A writer for `view`'s text, given its reference numbers (borrowed apart
    /// from the view, so the view's `html` fields can be filled meanwhile).
    pub fn new(
        view: &GuidelineView,
        reference_numbers: &'v std::collections::BTreeSet<u32>,
    ) -> Writer<'v> {
        Writer {
            labels: view.labels,
            lang: view.lang,
            reference_numbers,
        }
    }

    fn cite<'c>(&self, c: &'c vejviser_model::Citation) -> vejviser_view::cite::Resolved<'c> {
        vejviser_view::cite::resolve_in(c, self.reference_numbers, self.labels, self.lang)
    }

    /// Blocks; headings moved down `offset` levels (at most `<h6>`).
    pub fn blocks(&self, blocks: &[Block], offset: u8) -> String {
        let mut out = String::new();
        for b in blocks {
            self.block(b, offset, &mut out);
        }
        out
    }

    /// Inlines without a surrounding element.
    pub fn inlines(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out);
        out
    }

    fn block(&self, b: &Block, offset: u8, out: &mut String) {
        match b {
            Block::Paragraph { inlines, .. } => {
                out.push_str("<p>");
                self.push_inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::Heading { level, inlines, .. } => {
                let h = (level + offset).clamp(1, 6);
                out.push_str(&format!("<h{h}>"));
                self.push_inlines(inlines, out);
                out.push_str(&format!("</h{h}>\n"));
            }
            Block::List {
                ordered,
                start,
                items,
                ..
            } => {
                let tag = if *ordered { "ol" } else { "ul" };
                if *ordered && *start != 1 {
                    out.push_str(&format!("<ol start=\"{start}\">\n"));
                } else {
                    out.push_str(&format!("<{tag}>\n"));
                }
                for it in items {
                    out.push_str("<li>");
                    // A tight item's single paragraph needs no <p>.
                    match it.blocks.as_slice() {
                        [Block::Paragraph { inlines, .. }] => self.push_inlines(inlines, out),
                        blocks => {
                            for b in blocks {
                                self.block(b, offset, out);
                            }
                        }
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table {
                alignments,
                header,
                rows,
                ..
            } => {
                out.push_str("<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead>\n<tr>\n");
                let cell = |tag: &str, k: usize, c: &[Inline], out: &mut String| {
                    match alignments.get(k) {
                        Some(Alignment::Left) => out.push_str(&format!("<{tag} align=\"left\">")),
                        Some(Alignment::Center) => {
                            out.push_str(&format!("<{tag} align=\"center\">"))
                        }
                        Some(Alignment::Right) => out.push_str(&format!("<{tag} align=\"right\">")),
                        _ => out.push_str(&format!("<{tag}>")),
                    }
                    self.push_inlines(c, out);
                    out.push_str(&format!("</{tag}>\n"));
                };
                for (k, c) in header.iter().enumerate() {
                    cell("th", k, c, out);
                }
                out.push_str("</tr>\n</thead>\n");
                if !rows.is_empty() {
                    out.push_str("<tbody>\n");
                    for row in rows {
                        out.push_str("<tr>\n");
                        for (k, c) in row.iter().enumerate() {
                            cell("td", k, c, out);
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n");
                }
                out.push_str("</table></div>\n");
            }
            Block::Quote { blocks, .. } => {
                out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(b, offset, out);
                }
                out.push_str("</blockquote>\n");
            }
            Block::Code { literal, .. } => {
                // A code block scrolls sideways in its own box: keyboard users must
                // be able to focus it to scroll it (WCAG 2.1.1).
                out.push_str("<pre tabindex=\"0\"><code>");
                escape(literal, out);
                out.push_str("</code></pre>\n");
            }
            Block::ThematicBreak { .. } => out.push_str("<hr />\n"),
            Block::Html { literal, .. } => {
                // Shown as the text it is (the same as in the PDF), never interpreted.
                out.push_str("<p>");
                escape(literal.trim_end(), out);
                out.push_str("</p>\n");
            }
        }
    }

    fn push_inlines(&self, inlines: &[Inline], out: &mut String) {
        for i in inlines {
            self.inline(i, out);
        }
    }

    fn inline(&self, i: &Inline, out: &mut String) {
        let labels = self.labels;
        match i {
            Inline::Text(t) => escape(t, out),
            Inline::SoftBreak => out.push('\n'),
            Inline::LineBreak => out.push_str("<br />\n"),
            Inline::Code(c) => {
                out.push_str("<code>");
                escape(c, out);
                out.push_str("</code>");
            }
            Inline::Emphasis(c) => self.wrap("em", c, out),
            Inline::Strong(c) => self.wrap("strong", c, out),
            Inline::Strikethrough(c) => self.wrap("del", c, out),
            Inline::Link {
                url,
                title,
                content,
            } => {
                if !link_allowed(url.trim()) || url.trim().is_empty() {
                    self.push_inlines(content, out);
                    return;
                }
                let url = url.trim();
                out.push_str("<a href=\"");
                escape(url, out);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape(title, out);
                    out.push('"');
                }
                if ["http://", "https://", "//", "mailto:"]
                    .iter()
                    .any(|p| url.to_ascii_lowercase().starts_with(p))
                {
                    out.push_str(" rel=\"noopener\"");
                }
                out.push('>');
                self.push_inlines(content, out);
                out.push_str("</a>");
            }
            Inline::Image { url, alt } => {
                if link_allowed(url.trim()) && !url.trim().is_empty() {
                    out.push_str("<img src=\"");
                    escape(url.trim(), out);
                    out.push_str("\" alt=\"");
                    escape(alt, out);
                    out.push_str("\" />");
                } else {
                    escape(alt, out);
                }
            }
            Inline::Grade { grade, .. } => {
                // The grade is copied as "(A)" once; the badge shows the letter.
                let l = grade.letter();
                out.push_str(&format!(
                    "<span class=\"grade\" title=\"{} {l}\"><span class=\"vh\">(</span>{l}<span class=\"vh\">)</span></span>",
                    labels.grade
                ));
            }
            Inline::Citation(c) => {
                for part in self.cite(c).parts {
                    match part {
                        CitePart::Text(t) => escape(t, out),
                        CitePart::Number {
                            written,
                            anchor: Some(a),
                        } => out.push_str(&format!("<a href=\"#{a}\">{written}</a>")),
                        CitePart::Number { written, .. } => escape(written, out),
                        CitePart::Level {
                            text,
                            anchor,
                            title,
                            ..
                        } => {
                            out.push_str(&format!("<a href=\"#{anchor}\" title=\""));
                            escape(&title, out);
                            out.push_str("\">");
                            escape(&text, out);
                            out.push_str("</a>");
                        }
                    }
                }
            }
            // Shown after the text by the template, in words (see the recommendation partial).
            Inline::Marker(_) | Inline::CostFlag { .. } => {}
            Inline::Math { latex, .. } => math(latex, out),
            Inline::Html(h) => escape(h, out),
        }
    }

    fn wrap(&self, tag: &str, content: &[Inline], out: &mut String) {
        out.push_str(&format!("<{tag}>"));
        self.push_inlines(content, out);
        out.push_str(&format!("</{tag}>"));
    }

    /// A recommendation's text with its grades (markers and the cost flag are
    /// shown by the template in words), trimmed of the space before them.
    pub fn recommendation(&self, r: &RecommendationView) -> String {
        let mut end = r.content.len();
        while end > 0
            && (r.content[end - 1].is_blank()
                || matches!(
                    r.content[end - 1],
                    Inline::Marker(_) | Inline::CostFlag { .. }
                ))
        {
            end -= 1;
        }
        let mut html = self.inlines(&r.content[..end]);
        html.truncate(html.trim_end().len());
        html
    }
}

/// MathML for a formula, its text (the PDF's) as the alternative.
fn math(latex: &str, out: &mut String) {
    let storage = pulldown_latex::Storage::new();
    let parser = pulldown_latex::Parser::new(latex, &storage);
    let mut mathml = String::new();
    let config = pulldown_latex::RenderConfig::default();
    let text = math_text(latex);
    let ok = pulldown_latex::push_mathml(&mut mathml, parser, config).is_ok()
        && !mathml.contains("merror");
    if ok {
        let mathml = escape_operators(&mathml);
        // pulldown-latex writes `<math display="inline">`; add the text alternative.
        let mut alt = String::new();
        escape(&text, &mut alt);
        match mathml.strip_prefix("<math") {
            Some(rest) => {
                out.push_str("<math alttext=\"");
                out.push_str(&alt);
                out.push('"');
                out.push_str(rest);
            }
            None => out.push_str(&mathml),
        }
    } else {
        // LaTeX it cannot read is shown as text, as the PDF shows it.
        out.push_str("<span class=\"math\">");
        escape(&text, out);
        out.push_str("</span>");
    }
}

/// pulldown-latex escapes text but writes the operators `<` and `>` bare
/// (`<mo><</mo>`); escape every `<` that does not open a tag and every `>`
/// outside one, so the page is well-formed whatever the formula.
fn escape_operators(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() + 8);
    let mut in_tag = false;
    let mut chars = mathml.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/') =>
            {
                in_tag = true;
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' if in_tag => {
                in_tag = false;
                out.push(c);
            }
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// One side of a changed recommendation on the page of changes: its runs of
/// words, each followed by a space, the runs of `kind` (removed or added)
/// inside `<del>` or `<ins>` with a visually hidden "[Fjernet: …]" around
/// them, so a screen reader says what a strike-through shows.
fn change_side(pieces: &[PieceView], kind: &str, tag: &str, word: &str) -> String {
    let mut out = String::new();
    for p in pieces {
        if p.kind == kind {
            out.push('<');
            out.push_str(tag);
            out.push_str("><span class=\"vh\">[");
            escape(word, &mut out);
            out.push_str(": </span>");
            escape(&p.text, &mut out);
            out.push_str("<span class=\"vh\">]</span></");
            out.push_str(tag);
            out.push('>');
        } else {
            escape(&p.text, &mut out);
        }
        out.push(' ');
    }
    out
}

/// Fills every `html` field of the view from its content tree.
pub fn fill(view: &mut GuidelineView) {
    // Only the reference numbers are copied, not the whole view.
    let numbers = view.reference_numbers.clone();
    let w = Writer::new(view, &numbers);
    let rec = |r: &mut RecommendationView| {
        r.html = w.recommendation(r);
        r.notes_html = r
            .notes_content
            .iter()
            .map(|n| match n.as_slice() {
                [Block::Paragraph { inlines, .. }] => w.inlines(inlines),
                blocks => w.blocks(blocks, 2),
            })
            .collect();
    };
    for t in &mut view.topics {
        t.recommendations.iter_mut().for_each(rec);
    }
    for t in &mut view.evidence {
        for b in &mut t.blocks {
            b.recommendations.iter_mut().for_each(rec);
            b.lead_html = w.blocks(&b.lead_content, 1);
            for p in &mut b.parts {
                p.html = w.blocks(&p.content, 1);
            }
        }
    }
    if let Some(c) = &mut view.cost_appendix {
        c.recommendations.iter_mut().for_each(rec);
    }
    for ch in &mut view.chapters {
        ch.intro_html = w.blocks(&ch.intro_content, 1);
        for s in &mut ch.sections {
            s.html = w.blocks(&s.content, 1);
        }
    }
    for r in &mut view.references {
        r.html = w.inlines(&r.content);
    }
    if let Some(c) = &mut view.changes_page {
        let (removed, added) = (c.removed_word, c.added_word);
        for e in &mut c.entries {
            e.old_html = change_side(&e.old, "removed", "del", removed);
            e.new_html = change_side(&e.new, "added", "ins", added);
        }
        for r in c
            .references_added
            .iter_mut()
            .chain(&mut c.references_removed)
        {
            r.html = w.inlines(&r.content);
        }
    }
    for row in &mut view.changelog {
        let mut cells: Vec<String> = row.cells.iter().map(|c| w.inlines(c)).collect();
        cells.resize(3, String::new());
        row.cells_html = cells;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each run of words is followed by a space; the marked runs sit in
    /// `<del>`/`<ins>` with the hidden words a screen reader says; the text
    /// is escaped.
    #[test]
    fn a_side_of_a_change_marks_its_removed_words() {
        let piece = |kind, text: &str| PieceView {
            kind,
            text: text.into(),
        };
        let old = [
            piece("same", "Tilbyd"),
            piece("removed", "som hovedregel <altid>"),
            piece("same", "behandling."),
        ];
        assert_eq!(
            change_side(&old, "removed", "del", "Fjernet"),
            "Tilbyd <del><span class=\"vh\">[Fjernet: </span>som hovedregel &lt;altid&gt;\
             <span class=\"vh\">]</span></del> behandling. "
        );
        assert_eq!(
            change_side(&old, "added", "ins", "Tilføjet"),
            "Tilbyd som hovedregel &lt;altid&gt; behandling. "
        );
        assert_eq!(change_side(&[], "added", "ins", "Tilføjet"), "");
    }

    #[test]
    fn text_and_raw_html_are_escaped() {
        let mut s = String::new();
        escape("<script>\"a\" & 'b'</script>", &mut s);
        assert_eq!(
            s,
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn math_is_mathml_with_its_text() {
        let mut s = String::new();
        math("10^{-5}", &mut s);
        assert!(s.starts_with("<math alttext=\"10⁻⁵\""), "{s}");
        assert!(s.contains("<msup>"), "{s}");
        assert!(!s.contains('$'));
    }

    #[test]
    fn comparison_operators_in_formulas_are_escaped() {
        for (latex, op) in [("P < 0,001", "&lt;"), ("x > 5", "&gt;")] {
            let mut s = String::new();
            math(latex, &mut s);
            assert!(s.contains(&format!("<mo>{op}</mo>")), "{s}");
            let bare = s.replace("&lt;", "").replace("&gt;", "");
            // Every remaining `<` opens a tag.
            assert!(
                bare.match_indices('<').all(|(i, _)| bare[i + 1..]
                    .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')),
                "{s}"
            );
        }
    }
}
