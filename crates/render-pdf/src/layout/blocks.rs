//! Block layout: the block dispatcher, headings, code, callouts and recommendations.

use super::*;

pub(super) fn heading_metrics(level: u8) -> (f32, f32, f32, f32) {
    // size, leading, space before, space after
    match level {
        0 | 1 => (16.0, 20.0, 18.0, 8.0),
        2 => (13.0, 17.0, 14.0, 5.0),
        3 => (11.5, 15.0, 11.0, 4.0),
        _ => (10.5, 14.0, 9.0, 3.0),
    }
}

/// Space before and after a block.
pub(super) fn block_spacing(b: &Block, ctx: &Ctx) -> (f32, f32) {
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

impl Engine<'_> {
    pub(super) fn blocks(&mut self, blocks: &[Block], ctx: &Ctx) {
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

    pub(super) fn block(&mut self, b: &Block, ctx: &Ctx) {
        // Lists, tables and definitions make their own elements.
        let role = match b {
            Block::Heading { level, .. } => Some(Role::H((*level).clamp(1, 6))),
            Block::Paragraph(_) => Some(Role::P),
            Block::Code(_) => Some(Role::Code),
            Block::Callout { .. } | Block::Recommendation { .. } => Some(Role::Div),
            _ => None,
        };
        let prev = role.map(|r| self.open(r));
        self.block_content(b, ctx);
        if let Some(prev) = prev {
            self.close(prev);
        }
    }

    fn block_content(&mut self, b: &Block, ctx: &Ctx) {
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

    pub(super) fn heading(
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

    pub(super) fn code(&mut self, code: &str, ctx: &Ctx) {
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

    pub(super) fn callout(&mut self, title: Option<&str>, blocks: &[Block], ctx: &Ctx) {
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
            let prev = self.open(Role::P);
            self.paragraph(
                &[Inline::Text(t.to_string())],
                style,
                BODY_LEAD,
                &inner,
                true,
                vec![],
                vec![],
            );
            self.close(prev);
            if !blocks.is_empty() {
                self.space(3.0, true, &inner);
            }
        }
        self.blocks(blocks, &inner);
        self.space(pad, false, &inner);
    }

    pub(super) fn recommendation(
        &mut self,
        number: u32,
        body: &[Block],
        anchor: Option<&str>,
        ctx: &Ctx,
    ) {
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
        let number_tag = self.tags.add(Role::P, self.cur);
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
            tag: number_tag,
        };
        c.lines.insert(0, dump_of(&item));
        // first, so that the number is read before the text
        c.items.insert(0, item);
        if let Some(a) = anchor {
            c.anchors.push((a.to_string(), 0.0));
        }
        if total - i > 1 {
            c.keep = true;
        }
    }
}
