//! The Markdown body: comrak parses it once, then one pass over the top-level
//! blocks cuts it into the template's chapters and reads each chapter by its
//! role (recommendations, evidence, references, changelog).

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options};
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::content::{walk_inlines, Block, Inline};
use vejviser_model::{
    ChangelogRow, Chapter, ChapterRole, Citation, EvidenceBlock, EvidencePart, EvidenceTarget,
    Language, Recommendation, Reference, Section, Span,
};
use vejviser_template::Template;

use crate::content::{self, Cx, Mode};
use crate::idpin;
use crate::lines::LineIndex;

mod changelog;
mod evidence;
mod recommendations;
mod references;

use changelog::changelog;
use evidence::{evidence, has_grade};
use recommendations::recommendations;
use references::references;

/// Deeper nesting than this is refused (VV0005).
pub const MAX_NESTING: usize = 16;

/// Everything read from the body.
#[derive(Default)]
pub struct Body {
    pub chapters: Vec<Chapter>,
    pub changelog: Vec<ChangelogRow>,
    pub recommendations: Vec<Recommendation>,
    pub evidence: Vec<EvidenceBlock>,
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Heading(u8, String),
    OrderedList,
    Table,
    Paragraph,
    Other,
}

struct Item<'a> {
    node: &'a AstNode<'a>,
    kind: Kind,
    /// The block as a content tree, once its chapter is known.
    blocks: Vec<Block>,
    /// Local (body) lines, 1-based, inclusive.
    start: usize,
    end: usize,
    col: usize,
}

pub fn comrak_options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    // `$…$` is inline math: thresholds such as `$PS \geq 2$` become Math nodes.
    o.extension.math_dollars = true;
    o
}

struct Ctx<'t> {
    path: &'t str,
    body: &'t str,
    idx: LineIndex,
    /// The guideline's language, for the findings worded in it (VV0504).
    lang: Language,
}

impl<'t> Ctx<'t> {
    fn span(&self, line: usize, col: usize) -> Span {
        self.idx.span(self.idx.offset(line, col))
    }
    /// Local lines `a..=b` as a slice trimmed of blank lines at both ends, with its offset.
    fn lines(&self, a: usize, b: usize) -> (&'t str, usize) {
        if a > b || a > self.idx.line_count() {
            return ("", self.body.len());
        }
        let start = self.idx.line_start(a);
        let end = self.idx.line_end(b.min(self.idx.line_count())).max(start);
        let s = &self.body[start..end];
        let lead = s.len() - s.trim_start_matches(['\n', '\r', ' ', '\t']).len();
        // Keep indentation of the first non-blank line: back up to its line start.
        let lead = s[..lead].rfind('\n').map(|i| i + 1).unwrap_or(0);
        (s[lead..].trim_end(), start + lead)
    }
    fn text(&self, a: usize, b: usize) -> String {
        self.lines(a, b).0.to_string()
    }
    /// The source of a block node from its first byte (after any list marker) to its last line's end.
    fn node_source(&self, node: &AstNode) -> (&'t str, usize) {
        let sp = node.data().sourcepos;
        let start = self.idx.offset(sp.start.line, sp.start.column);
        let end = self.idx.line_end(sp.end.line).max(start);
        (self.body[start..end].trim_end(), start)
    }
}

pub fn parse(
    path: &str,
    body: &str,
    line_offset: u32,
    template: &Template,
    lang: Language,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let ctx = Ctx {
        path,
        body,
        lang,
        idx: LineIndex::new(body, line_offset),
    };
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body, &comrak_options());
    check_nesting(&ctx, root, diags);

    let mut items: Vec<Item> = root
        .children()
        .map(|node| {
            let ast = node.data();
            let kind = match &ast.value {
                NodeValue::Heading(h) => Kind::Heading(h.level, heading_text(node)),
                NodeValue::List(l) if l.list_type == ListType::Ordered => Kind::OrderedList,
                NodeValue::Table(_) => Kind::Table,
                NodeValue::Paragraph => Kind::Paragraph,
                _ => Kind::Other,
            };
            Item {
                node,
                kind,
                blocks: Vec::new(),
                start: ast.sourcepos.start.line,
                end: ast.sourcepos.end.line,
                col: ast.sourcepos.start.column,
            }
        })
        .collect();

    let mut out = Body::default();
    let h1: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| matches!(it.kind, Kind::Heading(1, _)))
        .map(|(i, _)| i)
        .collect();
    let first = h1.first().copied().unwrap_or(items.len());
    if let Some(it) = items[..first]
        .iter()
        .find(|it| !matches!(it.kind, Kind::Heading(..)))
    {
        diags.push(
            Diagnostic::new(Code::ContentBeforeFirstChapter, path, ctx.span(it.start, it.col), "text before the first chapter is not part of any chapter")
                .help("move it into a chapter, or start the chapter with a level-1 heading (`# 2. Anbefalinger`)"),
        );
    }
    for (k, &hi) in h1.iter().enumerate() {
        let end_item = h1.get(k + 1).copied().unwrap_or(items.len());
        let end_line = items
            .get(end_item)
            .map(|it| it.start - 1)
            .unwrap_or(ctx.idx.line_count());
        let Kind::Heading(_, title) = &items[hi].kind else {
            unreachable!("h1 indices point at headings")
        };
        let title = title.clone();
        let title = &title;
        let tc = template.match_chapter(title);
        let role = tc.map(|c| c.role);
        for it in &mut items[hi..end_item] {
            it.blocks = convert(&ctx, it, role, diags);
        }
        let chapter_items = &mut items[hi + 1..end_item];
        match role {
            Some(ChapterRole::Recommendations) => {
                recommendations(&ctx, chapter_items, &mut out, diags)
            }
            // The evidence blocks take their text's blocks; the chapter keeps the rest.
            Some(ChapterRole::Evidence) => evidence(&ctx, chapter_items, end_line, &mut out, diags),
            Some(ChapterRole::References) => references(&ctx, chapter_items, &mut out, diags),
            Some(ChapterRole::Changelog) => changelog(&ctx, chapter_items, &mut out, diags),
            _ => {}
        }
        // Last: the chapter takes its items' blocks (the readers above copied what they
        // keep, but for the evidence blocks, which took theirs).
        let (head, chapter_items) = items[hi..end_item].split_at_mut(1);
        let chapter = build_chapter(
            &ctx,
            &head[0],
            title,
            tc.map(|c| (c.role, c.number)),
            chapter_items,
            end_line,
        );
        out.chapters.push(chapter);
    }
    out
}

fn heading_text<'n>(node: &'n AstNode<'n>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn check_nesting<'n>(ctx: &Ctx, root: &'n AstNode<'n>, diags: &mut Vec<Diagnostic>) {
    use comrak::arena_tree::NodeEdge;
    let mut depth = 0usize;
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(n) => {
                let v = &n.data().value;
                if matches!(v, NodeValue::List(_) | NodeValue::BlockQuote) {
                    depth += 1;
                    if depth > MAX_NESTING {
                        let sp = n.data().sourcepos;
                        diags.push(
                            Diagnostic::new(Code::NestingTooDeep, ctx.path, ctx.span(sp.start.line, sp.start.column), format!("lists or quotes are nested more than {MAX_NESTING} levels deep"))
                                .help("flatten the structure; deep nesting cannot be read on a phone or laid out in the PDF"),
                        );
                        return;
                    }
                }
            }
            NodeEdge::End(n) => {
                if matches!(n.data().value, NodeValue::List(_) | NodeValue::BlockQuote) {
                    depth -= 1;
                }
            }
        }
    }
}

/// One top-level block as a content tree, read by its chapter's role: in
/// chapter 2 a numbered list's items are recommendations (grades, markers);
/// in chapter 4 a graded numbered list repeats recommendations (its findings
/// are chapter 2's, so they are not reported twice) and other text is
/// evidence prose (citations).
fn convert(
    ctx: &Ctx,
    it: &Item,
    role: Option<ChapterRole>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cx = Cx {
        path: ctx.path,
        idx: &ctx.idx,
        diags,
        depth: 0,
    };
    match (role, &it.kind) {
        (Some(ChapterRole::Recommendations), Kind::OrderedList) => {
            out.push(recommendation_list(&mut cx, it.node))
        }
        (Some(ChapterRole::Evidence), Kind::OrderedList)
            if has_grade(ctx.node_source(it.node).0) =>
        {
            let mut repeated_findings = Vec::new();
            let mut cx = Cx {
                path: ctx.path,
                idx: &ctx.idx,
                diags: &mut repeated_findings,
                depth: 0,
            };
            out.push(recommendation_list(&mut cx, it.node))
        }
        (Some(ChapterRole::Evidence), _) => {
            content::block(&mut cx, it.node, Mode::Evidence, &mut out)
        }
        _ => content::block(&mut cx, it.node, Mode::Prose, &mut out),
    }
    out
}

fn recommendation_list<'n>(cx: &mut Cx, node: &'n AstNode<'n>) -> Block {
    let sp = node.data().sourcepos;
    Block::List {
        ordered: true,
        start: list_start(node),
        items: node
            .children()
            .map(|li| content::list_item(cx, li, true, Mode::Recommendation, Mode::Prose))
            .collect(),
        span: cx.idx.span(cx.idx.offset(sp.start.line, sp.start.column)),
    }
}

/// A list item's leading paragraphs as one run of inlines (paragraphs joined by
/// a line break) and each item of its nested lists as a note.
fn item_content(item: &vejviser_model::content::ListItem) -> (Vec<Inline>, Vec<Vec<Block>>) {
    let mut lead = Vec::new();
    let mut notes = Vec::new();
    for b in &item.blocks {
        match b {
            Block::Paragraph { inlines, .. } if notes.is_empty() => {
                if !lead.is_empty() {
                    lead.push(Inline::LineBreak);
                }
                lead.extend(inlines.iter().cloned());
            }
            Block::List { items, .. } => notes.extend(items.iter().map(|i| i.blocks.clone())),
            _ => {}
        }
    }
    (lead, notes)
}

fn list_items<'i>(it: &'i Item) -> &'i [vejviser_model::content::ListItem] {
    match it.blocks.first() {
        Some(Block::List { items, .. }) => items,
        _ => &[],
    }
}

/// The chapter of `head`, taking the blocks of `items` (its intro's and each
/// section's: each item is in one of them).
fn build_chapter(
    ctx: &Ctx,
    head: &Item,
    title: &str,
    tc: Option<(ChapterRole, u32)>,
    items: &mut [Item],
    end_line: usize,
) -> Chapter {
    let h2: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| matches!(it.kind, Kind::Heading(2, _)))
        .map(|(i, _)| i)
        .collect();
    let intro_end = h2.first().map(|&i| items[i].start - 1).unwrap_or(end_line);
    let intro = items.iter().take_while(|it| it.start <= intro_end).count();
    let intro_content = take_blocks(&mut items[..intro]);
    let sections = h2
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let end = h2
                .get(k + 1)
                .map(|&n| items[n].start - 1)
                .unwrap_or(end_line);
            let k_end = items
                .iter()
                .position(|x| x.start > end)
                .unwrap_or(items.len());
            let content = take_blocks(&mut items[i + 1..k_end.max(i + 1)]);
            let it = &items[i];
            let Kind::Heading(level, t) = &it.kind else {
                unreachable!()
            };
            Section {
                level: *level,
                title: t.clone(),
                markdown: ctx.text(it.end + 1, end),
                content,
                span: ctx.span(it.start, it.col),
            }
        })
        .collect();
    Chapter {
        role: tc.map(|t| t.0),
        number: tc.map(|t| t.1),
        title: strip_number(title).to_string(),
        intro: ctx.text(head.end + 1, intro_end),
        intro_content,
        sections,
        span: ctx.span(head.start, head.col),
    }
}

/// The blocks of some items, in order, taken out of them.
fn take_blocks(items: &mut [Item]) -> Vec<Block> {
    let mut out = Vec::new();
    for it in items {
        out.append(&mut it.blocks);
    }
    out
}

/// `2. Anbefalinger` → `Anbefalinger`.
fn strip_number(title: &str) -> &str {
    let t = title.trim_start_matches(|c: char| c.is_ascii_digit());
    if t.len() == title.len() {
        return title;
    }
    t.strip_prefix('.').unwrap_or(t).trim_start()
}

fn list_start(node: &AstNode) -> u32 {
    match &node.data().value {
        NodeValue::List(l) => l.start.min(1_000_000) as u32,
        _ => 1,
    }
}

/// The number written on a list item (`3.`). comrak renumbers a list from its
/// start, but a recommendation is the number its author wrote, so a gap or
/// repeat inside one list is seen (and `[Anbefaling 3]` means the item marked 3).
fn item_number(item: &AstNode, fallback: u32) -> u32 {
    match &item.data().value {
        NodeValue::Item(l) => l.start.min(1_000_000) as u32,
        _ => fallback,
    }
}

/// A list item's own text (its leading paragraphs) and its nested lists.
fn item_parts<'a, 'n>(
    ctx: &Ctx<'a>,
    item: &'n AstNode<'n>,
) -> Option<(&'a str, usize, Vec<String>)> {
    let mut first: Option<usize> = None;
    let mut last_line = 0;
    let mut notes = Vec::new();
    for child in item.children() {
        let ast = child.data();
        match &ast.value {
            NodeValue::Paragraph if notes.is_empty() => {
                if first.is_none() {
                    first = Some(
                        ctx.idx
                            .offset(ast.sourcepos.start.line, ast.sourcepos.start.column),
                    );
                }
                last_line = ast.sourcepos.end.line;
            }
            NodeValue::List(_) => {
                for note in child.children() {
                    let (src, _) = ctx.node_source(note);
                    notes.push(strip_marker(src));
                }
            }
            _ => {}
        }
    }
    let start = first?;
    let end = ctx.idx.line_end(last_line).max(start);
    Some((ctx.body[start..end].trim_end(), start, notes))
}

/// `- text\n    more` → `text\nmore`.
fn strip_marker(src: &str) -> String {
    let mut lines = src.lines();
    let first = lines.next().unwrap_or("").trim_start();
    let first = first
        .strip_prefix(['-', '*', '+'])
        .or_else(|| {
            let d = first.trim_start_matches(|c: char| c.is_ascii_digit());
            (d.len() < first.len())
                .then(|| d.strip_prefix(['.', ')']))
                .flatten()
        })
        .unwrap_or(first)
        .trim_start();
    let mut out = first.to_string();
    for l in lines {
        out.push('\n');
        out.push_str(l.trim_start());
    }
    out
}

/// Collapses whitespace, so repeated recommendations compare by words.
pub fn normalise_ws(s: &str) -> String {
    vejviser_model::content::collapse_whitespace(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stripped_from_titles() {
        assert_eq!(strip_number("2. Anbefalinger"), "Anbefalinger");
        assert_eq!(strip_number("Anbefalinger"), "Anbefalinger");
        assert_eq!(strip_number("10 Bilag"), "Bilag");
    }
}
