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
        let head = &items[hi];
        let chapter_items = &items[hi + 1..end_item];
        let chapter = build_chapter(
            &ctx,
            head,
            title,
            tc.map(|c| (c.role, c.number)),
            chapter_items,
            end_line,
        );
        match chapter.role {
            Some(ChapterRole::Recommendations) => {
                recommendations(&ctx, chapter_items, &mut out, diags)
            }
            Some(ChapterRole::Evidence) => evidence(&ctx, chapter_items, end_line, &mut out, diags),
            Some(ChapterRole::References) => references(&ctx, chapter_items, &mut out, diags),
            Some(ChapterRole::Changelog) => changelog(&ctx, chapter_items, &mut out, diags),
            _ => {}
        }
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

/// The blocks of some items, in order.
fn blocks_of<'i, 'n: 'i>(items: impl IntoIterator<Item = &'i Item<'n>>) -> Vec<Block> {
    items
        .into_iter()
        .flat_map(|it| it.blocks.iter().cloned())
        .collect()
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

fn build_chapter(
    ctx: &Ctx,
    head: &Item,
    title: &str,
    tc: Option<(ChapterRole, u32)>,
    items: &[Item],
    end_line: usize,
) -> Chapter {
    let h2: Vec<&Item> = items
        .iter()
        .filter(|it| matches!(it.kind, Kind::Heading(2, _)))
        .collect();
    let intro_end = h2.first().map(|it| it.start - 1).unwrap_or(end_line);
    let sections = h2
        .iter()
        .enumerate()
        .map(|(k, it)| {
            let end = h2.get(k + 1).map(|n| n.start - 1).unwrap_or(end_line);
            let Kind::Heading(level, t) = &it.kind else {
                unreachable!()
            };
            let k_start = items.iter().position(|x| std::ptr::eq(x, *it)).unwrap_or(0) + 1;
            let k_end = items
                .iter()
                .position(|x| x.start > end)
                .unwrap_or(items.len());
            Section {
                level: *level,
                title: t.clone(),
                markdown: ctx.text(it.end + 1, end),
                content: blocks_of(&items[k_start..k_end.max(k_start)]),
                span: ctx.span(it.start, it.col),
            }
        })
        .collect();
    Chapter {
        role: tc.map(|t| t.0),
        number: tc.map(|t| t.1),
        title: strip_number(title).to_string(),
        intro: ctx.text(head.end + 1, intro_end),
        intro_content: blocks_of(items.iter().take_while(|it| it.start <= intro_end)),
        sections,
        span: ctx.span(head.start, head.col),
    }
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
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn recommendations(ctx: &Ctx, items: &[Item], out: &mut Body, diags: &mut Vec<Diagnostic>) {
    let mut topic: Option<String> = None;
    for it in items {
        match &it.kind {
            Kind::Heading(2, t) => topic = Some(t.clone()),
            Kind::OrderedList => {
                let start = list_start(it.node);
                for ((i, li), tree) in it.node.children().enumerate().zip(list_items(it)) {
                    let sp = li.data().sourcepos;
                    let span = ctx.span(sp.start.line, sp.start.column);
                    let number = item_number(li, start + i as u32);
                    let Some((text, base, notes)) = item_parts(ctx, li) else {
                        diags.push(
                            Diagnostic::new(
                                Code::MissingGrade,
                                ctx.path,
                                span,
                                format!("recommendation {number} is empty"),
                            )
                            .help("write the recommendation and its grade, e.g. `… (B)`"),
                        );
                        continue;
                    };
                    if topic.is_none() {
                        diags.push(
                            Diagnostic::new(
                                Code::RecommendationWithoutTopic,
                                ctx.path,
                                span,
                                format!("recommendation {number} is not under a topic heading"),
                            )
                            .help("add a level-2 heading such as `## Behandling` above it"),
                        );
                    }
                    indented_recommendations(ctx, li, text, base, diags);
                    let (mut content, notes_content) = item_content(tree);
                    let id_pin = idpin::take(&mut content, ctx.path, span, diags);
                    let (statements, medicinraadet, extra_cost) =
                        content::read_recommendation(&content);
                    out.recommendations.push(Recommendation {
                        number,
                        topic: topic.clone().unwrap_or_default(),
                        source: normalise_ws(&idpin::strip_from_source(text)),
                        statements,
                        medicinraadet,
                        extra_cost,
                        notes,
                        content,
                        notes_content,
                        id_pin,
                        span,
                    });
                }
            }
            _ => {}
        }
    }
    // An id names one recommendation; two pins to the same id cannot both hold.
    let mut pinned: std::collections::HashMap<&str, u32> = Default::default();
    for r in &out.recommendations {
        if let Some(vejviser_model::IdPin::Keep(id)) = &r.id_pin {
            if let Some(&first) = pinned.get(id.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateRecommendationId,
                        ctx.path,
                        r.span,
                        format!("recommendation {} is also given the id `{id}` (recommendation {first} has it)", r.number),
                    )
                    .help("each `[id: …]` names a different recommendation; remove it from the one that is not the previous version's"),
                );
            } else {
                pinned.insert(id, r.number);
            }
        }
    }
}

/// A graded numbered item indented under a recommendation (a tab or four
/// spaces before `2.`) is a sub-list of it, or with no blank line before it
/// part of its text, never a recommendation of its own: an error at its line.
fn indented_recommendations<'n>(
    ctx: &Ctx,
    item: &'n AstNode<'n>,
    text: &str,
    base: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let found = |span, number: &str| {
        Diagnostic::new(
            Code::IndentedRecommendation,
            ctx.path,
            span,
            format!("recommendation `{number}` is indented, so it is part of the one above"),
        )
        .help("start every recommendation at the beginning of its line, without a tab or spaces before the number")
    };
    let numbered = |line: &str| -> Option<usize> {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        (digits > 0 && digits <= 3 && line[digits..].starts_with(['.', ')'])).then_some(digits + 1)
    };
    // No blank line before it: a continuation line of this item's text.
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    for line in text[offset.min(text.len())..].split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - body.len();
        if let Some(n) = numbered(body) {
            if has_grade(body) {
                let span = ctx.idx.span(base + offset + indent);
                diags.push(found(span, &body[..n]).len(n));
            }
        }
        offset += line.len();
    }
    // After a blank line: a nested numbered list.
    for child in item.children() {
        if let NodeValue::List(l) = &child.data().value {
            if l.list_type != ListType::Ordered {
                continue;
            }
            for nested in child.children() {
                let (src, _) = ctx.node_source(nested);
                if has_grade(src) {
                    let sp = nested.data().sourcepos;
                    let number = src.trim_start();
                    let n = numbered(number).unwrap_or(0);
                    diags.push(
                        found(ctx.span(sp.start.line, sp.start.column), &number[..n]).len(n.max(1)),
                    );
                }
            }
        }
    }
}

/// `[Anbefaling 3]`, `[Anbefaling 3, 4]`, `[Recommendations 3–5]` → the numbers.
fn short_reference(text: &str) -> Option<Vec<u32>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let (word, rest) = inner.split_once(char::is_whitespace)?;
    if ![
        "anbefaling",
        "anbefalinger",
        "recommendation",
        "recommendations",
    ]
    .contains(&word.to_lowercase().as_str())
    {
        return None;
    }
    let mut out = Vec::new();
    for part in rest
        .split([',', '&'])
        .flat_map(|p| p.split(" og "))
        .flat_map(|p| p.split(" and "))
    {
        let part = part.trim();
        match part.split_once(['–', '-']) {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a || b - a > 200 {
                    return None;
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().ok()?),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Why `[Anbefaling 1–300]` (written as a reference to recommendations, but
/// with a range [`short_reference`] does not expand) names none.
fn long_reference_range(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let (word, rest) = inner.split_once(char::is_whitespace)?;
    if !word.to_lowercase().starts_with("anbefaling")
        && !word.to_lowercase().starts_with("recommendation")
    {
        return None;
    }
    rest.split([',', '&']).find_map(|part| {
        let (a, b) = part.trim().split_once(['–', '-'])?;
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (b < a || b - a > 200).then(|| {
            format!(
                "`{}` names no recommendations: the range {a}–{b} {}",
                text.trim(),
                if b < a {
                    "runs backwards".to_string()
                } else {
                    format!("spans {} (at most 201)", b - a + 1)
                }
            )
        })
    })
}

struct OpenBlock {
    block: EvidenceBlock,
    /// Local line where the current lead/part content starts, and which part (None: lead).
    content_from: usize,
    part: Option<usize>,
}

fn evidence(
    ctx: &Ctx,
    items: &[Item],
    end_line: usize,
    out: &mut Body,
    diags: &mut Vec<Diagnostic>,
) {
    let mut topic = String::new();
    let mut open: Option<OpenBlock> = None;

    fn close_content(ctx: &Ctx, items: &[Item], ob: &mut OpenBlock, upto: usize) {
        let (text, _) = ctx.lines(ob.content_from, upto);
        let blocks = blocks_of(
            items
                .iter()
                .filter(|it| it.start >= ob.content_from && it.start <= upto),
        );
        Block::for_each_inlines(&blocks, &mut |inlines| {
            walk_inlines(inlines, &mut |i| {
                if let Inline::Citation(c) = i {
                    ob.block.citations.push(Citation::clone(c));
                }
            })
        });
        match ob.part {
            Some(p) => {
                ob.block.parts[p].markdown = text.to_string();
                ob.block.parts[p].content = blocks;
            }
            None => {
                ob.block.lead = text.to_string();
                ob.block.lead_content = blocks;
            }
        }
    }
    let finish = |ob: Option<OpenBlock>, upto: usize, out: &mut Body| {
        if let Some(mut ob) = ob {
            close_content(ctx, items, &mut ob, upto);
            out.evidence.push(ob.block);
        }
    };

    for it in items {
        let targets: Option<Vec<EvidenceTarget>> = match &it.kind {
            Kind::OrderedList => {
                let start = list_start(it.node);
                let repeated: Vec<EvidenceTarget> = it
                    .node
                    .children()
                    .enumerate()
                    .zip(list_items(it))
                    .filter_map(|((i, li), tree)| {
                        let sp = li.data().sourcepos;
                        let (text, _, _) = item_parts(ctx, li)?;
                        let (mut content, notes) = item_content(tree);
                        // Chapter 2 reports a bad instruction; here it only must not count as text.
                        idpin::take(&mut content, ctx.path, Default::default(), &mut Vec::new());
                        Some(EvidenceTarget {
                            number: item_number(li, start + i as u32),
                            repeated: Some(normalise_ws(&idpin::strip_from_source(text))),
                            content,
                            notes,
                            span: ctx.span(sp.start.line, sp.start.column),
                        })
                    })
                    .collect();
                // A numbered list is a repeated recommendation when it carries grades; otherwise it is prose.
                let graded = repeated
                    .iter()
                    .any(|t| t.repeated.as_deref().is_some_and(has_grade));
                (graded
                    || open
                        .as_ref()
                        .is_none_or(|o| o.block.parts.is_empty() && o.block.targets.is_empty()))
                .then_some(repeated)
            }
            Kind::Paragraph => {
                let (src, _) = ctx.node_source(it.node);
                if let Some(why) = long_reference_range(src) {
                    diags.push(
                        Diagnostic::new(Code::UnknownRecommendation, ctx.path, ctx.span(it.start, it.col), why)
                            .len(src.trim_end().len())
                            .help("name the recommendations this evidence is for singly or in shorter ranges"),
                    );
                }
                short_reference(src).map(|nums| {
                    let span = ctx.span(it.start, it.col);
                    nums.into_iter()
                        .map(|number| EvidenceTarget {
                            number,
                            repeated: None,
                            content: Vec::new(),
                            notes: Vec::new(),
                            span,
                        })
                        .collect()
                })
            }
            _ => None,
        };
        if let Some(targets) = targets {
            let continues = open.as_ref().is_some_and(|o| {
                o.block.parts.is_empty() && ctx.lines(o.content_from, it.start - 1).0.is_empty()
            });
            if continues {
                let o = open.as_mut().expect("checked above");
                o.block.targets.extend(targets);
                o.content_from = it.end + 1;
            } else {
                finish(open.take(), it.start - 1, out);
                open = Some(OpenBlock {
                    block: EvidenceBlock {
                        topic: topic.clone(),
                        span: targets.first().map(|t| t.span).unwrap_or_default(),
                        targets,
                        lead: String::new(),
                        lead_content: Vec::new(),
                        parts: Vec::new(),
                        citations: Vec::new(),
                    },
                    content_from: it.end + 1,
                    part: None,
                });
            }
            continue;
        }
        match &it.kind {
            Kind::Heading(1 | 2, t) => {
                finish(open.take(), it.start - 1, out);
                topic = t.clone();
            }
            Kind::Heading(3, t) => {
                if let Some(ob) = open.as_mut() {
                    close_content(ctx, items, ob, it.start - 1);
                    ob.block.parts.push(EvidencePart {
                        title: t.clone(),
                        markdown: String::new(),
                        content: Vec::new(),
                        span: ctx.span(it.start, it.col),
                    });
                    ob.part = Some(ob.block.parts.len() - 1);
                    ob.content_from = it.end + 1;
                }
            }
            _ => {}
        }
    }
    finish(open.take(), end_line, out);
}

fn has_grade(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'(' && matches!(w[1], b'A'..=b'D') && w[2] == b')')
}

/// Chapter 5: each item is the reference its author numbered. The written
/// number is the reference's identity (citations resolve by it), so a gap, a
/// repeat or a number out of order is an error at that item's line rather than
/// something to renumber silently: deleting reference 7 must not make (8) cite
/// the paper that was 9.
fn references(ctx: &Ctx, items: &[Item], out: &mut Body, diags: &mut Vec<Diagnostic>) {
    for it in items.iter().filter(|it| it.kind == Kind::OrderedList) {
        let start = list_start(it.node);
        for ((i, li), tree) in it.node.children().enumerate().zip(list_items(it)) {
            let (src, base) = ctx.node_source(li);
            let number = item_number(li, start + i as u32);
            let span = ctx.idx.span(base);
            let previous = out.references.last().map(|r| r.number);
            let expected = previous.map(|p| p + 1).unwrap_or(1);
            if number != expected {
                let message = match previous {
                    _ if out.references.iter().any(|r| r.number == number) => {
                        let first = out
                            .references
                            .iter()
                            .find(|r| r.number == number)
                            .map(|r| r.span.line)
                            .unwrap_or_default();
                        format!("reference {number} is numbered twice (first at line {first})")
                    }
                    None => format!("the first reference is numbered {number}, not 1"),
                    Some(p) if number == p + 2 => {
                        format!(
                            "reference {number} follows {p}: number {} is missing",
                            p + 1
                        )
                    }
                    Some(p) if number > p => format!(
                        "reference {number} follows {p}: numbers {}–{} are missing",
                        p + 1,
                        number - 1
                    ),
                    Some(p) => {
                        format!("reference {number} follows {p}: the numbers are out of order")
                    }
                };
                diags.push(
                    Diagnostic::new(Code::ReferenceNumbering, ctx.path, span, message)
                        .len(number.to_string().len() + 1)
                        .help("citations resolve by the number written on each reference: write the missing reference back, or renumber the list and its citations together"),
                );
            }
            let mut content = Vec::new();
            for b in &tree.blocks {
                let inlines = match b {
                    Block::Paragraph { inlines, .. } => inlines.clone(),
                    other => vec![Inline::Text(Block::plain_text(std::slice::from_ref(other)))],
                };
                if !content.is_empty() {
                    content.push(Inline::LineBreak);
                }
                content.extend(inlines);
            }
            out.references.push(Reference {
                number,
                markdown: strip_marker(src),
                content,
                span,
            });
        }
    }
}

fn split_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

fn changelog(ctx: &Ctx, items: &[Item], out: &mut Body, diags: &mut Vec<Diagnostic>) {
    let Some(table) = items.iter().find(|it| it.kind == Kind::Table) else {
        return;
    };
    let header = split_row(ctx.lines(table.start, table.start).0);
    let names: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let da = ["kapitel", "afsnit", "beskrivelse af ændring"];
    let en = ["chapter", "section", "description of change"];
    if names != da && names != en {
        let (msg, help) =
            vejviser_diagnostics::versions::changelog_columns(ctx.lang, &header.join(" | "));
        diags.push(
            Diagnostic::new(
                Code::ChangelogColumns,
                ctx.path,
                ctx.span(table.start, table.col),
                msg,
            )
            .help(help),
        );
    }
    let tree_rows: &[Vec<Vec<Inline>>] = match table.blocks.first() {
        Some(Block::Table { rows, .. }) => rows,
        _ => &[],
    };
    let mut tree_rows = tree_rows.iter();
    for line in table.start + 2..=table.end {
        let (text, base) = ctx.lines(line, line);
        if text.trim().is_empty() {
            continue;
        }
        let written = split_row(text);
        let mut cells: Vec<Vec<Inline>> = tree_rows.next().cloned().unwrap_or_default();
        // A table keeps as many cells as its header has; a description with a
        // `|` in it keeps the rest as written rather than losing it.
        if written.len() > cells.len() && !cells.is_empty() {
            let extra = written[cells.len()..].join(" | ");
            if let Some(last) = cells.last_mut() {
                last.push(Inline::Text(format!(" | {extra}")));
            }
        }
        let mut w = written.into_iter();
        out.changelog.push(ChangelogRow {
            chapter: w.next().unwrap_or_default(),
            section: w.next().unwrap_or_default(),
            description: w.collect::<Vec<_>>().join(" | "),
            cells,
            span: ctx.idx.span(base),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_references() {
        assert_eq!(short_reference("[Anbefaling 3]"), Some(vec![3]));
        assert_eq!(short_reference("[Anbefaling 3, 4]"), Some(vec![3, 4]));
        assert_eq!(short_reference("[Anbefalinger 3–5]"), Some(vec![3, 4, 5]));
        assert_eq!(
            short_reference("[Recommendation 2 and 7]"),
            Some(vec![2, 7])
        );
        assert_eq!(short_reference("[Anbefaling x]"), None);
        assert_eq!(short_reference("[Anbefaling 1–300]"), None);
        assert!(long_reference_range("[Anbefaling 1–300]")
            .unwrap()
            .contains("spans 300"));
        assert!(long_reference_range("[Anbefalinger 5-2]")
            .unwrap()
            .contains("backwards"));
        assert_eq!(long_reference_range("[Anbefaling 1–3]"), None);
        assert_eq!(short_reference("Se anbefaling 3"), None);
    }

    #[test]
    fn rows_split_on_unescaped_pipes() {
        assert_eq!(split_row("| 2 | a \\| b | c |"), vec!["2", "a | b", "c"]);
        assert_eq!(split_row("|  | x |"), vec!["", "x"]);
    }

    #[test]
    fn numbers_are_stripped_from_titles() {
        assert_eq!(strip_number("2. Anbefalinger"), "Anbefalinger");
        assert_eq!(strip_number("Anbefalinger"), "Anbefalinger");
        assert_eq!(strip_number("10 Bilag"), "Bilag");
    }
}
