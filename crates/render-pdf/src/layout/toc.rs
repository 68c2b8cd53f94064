//! The table of contents and page references: entries collected from the headings,
//! laid out with leader dots, their page numbers filled in after pagination.

use super::*;

pub(super) struct TocEntry {
    level: u8,
    number: Option<String>,
    text: Vec<Inline>,
    anchor: String,
}

pub(super) fn heading_anchor(counter: &mut usize, anchor: &Option<String>) -> String {
    *counter += 1;
    anchor.clone().unwrap_or_else(|| format!("_h{counter}"))
}

pub(super) fn collect_toc(blocks: &[Block], counter: &mut usize, out: &mut Vec<TocEntry>) {
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
pub(super) fn strip_links(inl: &[Inline]) -> Vec<Inline> {
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

impl Engine<'_> {
    pub(super) fn toc(&mut self, entries: &[TocEntry], ctx: &Ctx) {
        let title = self.doc.labels.contents.clone();
        let h = self.open(Role::H(1));
        self.heading(
            1,
            None,
            &[Inline::Text(title)],
            "_toc".to_string(),
            true,
            ctx,
        );
        self.close(h);
        self.space(8.0, true, ctx);
        let num_col = 30.0;
        let toc = self.open(Role::TOC);
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
            let entry = self.open(Role::TOCI);
            let link = self.open(Role::Link);
            let link_tag = self.cur;
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
                    tag: link_tag,
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
                        tag: link_tag,
                    });
                } else {
                    c.keep = true;
                }
                self.push(c, ctx);
            }
            self.close(link);
            self.close(entry);
        }
        self.close(toc);
    }
}

/// Fill in the page numbers of the page references on `page` (pagination is done, so
/// every anchor has its page); a reference to an anchor that does not exist shows `?`.
pub(super) fn resolve_page_refs(page: &mut Page, anchors: &HashMap<String, (usize, f32)>) {
    for it in page.items.iter_mut() {
        if let Item::PageRef {
            anchor,
            right,
            y,
            face,
            size,
            color,
            tag,
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
                tag: *tag,
            };
        }
    }
}
