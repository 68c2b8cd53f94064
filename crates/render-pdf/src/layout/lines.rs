//! Line breaking (greedy, linear in the text, with hyphenation and splitting of words
//! longer than the line) and drawing of broken lines into chunks.

use super::*;

impl Engine<'_> {
    pub(super) fn break_lines(&self, p: Vec<Piece>, width: f32) -> Vec<Line> {
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
                            PK::Badge(t, bs, alt) => {
                                // a badge wider than the line: shorten its text
                                let size = q.style.size;
                                let room = width - badge_size(size) * 0.9;
                                let t = ellipsize(t, Face::Bold, badge_size(size), room);
                                let w = badge_width(&t, size).min(width);
                                cur.push(Piece {
                                    kind: PK::Badge(t, *bs, alt.clone()),
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
    pub(super) fn try_hyphenate(&self, piece: &Piece, avail: f32) -> Option<(Piece, Piece)> {
        if !self.hyphenate {
            return None;
        }
        let lang = self.hyph?;
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
        // byte offsets in `core` between its syllables
        let breaks: Vec<usize> = hypher::hyphenate(core, lang)
            .scan(0, |end, syllable| {
                *end += syllable.len();
                Some(*end)
            })
            .filter(|end| *end < core.len())
            .collect();
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
    pub(super) fn emit_line(
        &mut self,
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
        for p in &line.pieces {
            // link tracking
            if p.style.link != 0 && !matches!(p.kind, PK::Anchor(_)) {
                match &mut link {
                    Some((id, _, end)) if *id == p.style.link => *end = x + p.w,
                    _ => {
                        self.flush_link(&mut link, &mut chunk.items, line_top, line_h);
                        link = Some((p.style.link, x, x + p.w));
                    }
                }
            } else if !matches!(p.kind, PK::Anchor(_) | PK::Space) {
                self.flush_link(&mut link, &mut chunk.items, line_top, line_h);
            }
            match &p.kind {
                PK::Text(t) => {
                    dump.push_str(t);
                    match &mut run {
                        Some((st, _, s)) if *st == p.style => s.push_str(t),
                        _ => {
                            self.flush_run(&mut run, &mut chunk.items, x, baseline);
                            run = Some((p.style, x, t.clone()));
                        }
                    }
                }
                PK::Space => {
                    dump.push(' ');
                    match &mut run {
                        Some((st, _, s)) if *st == p.style => s.push(' '),
                        _ => self.flush_run(&mut run, &mut chunk.items, x, baseline),
                    }
                }
                PK::Badge(text, bs, alt) => {
                    self.flush_run(&mut run, &mut chunk.items, x, baseline);
                    dump.push('[');
                    dump.push_str(text);
                    dump.push(']');
                    let tag = match alt.as_deref() {
                        Some("") => ARTIFACT,
                        Some(words) => {
                            let parent = self.tag_of(p.style);
                            let span = self.tags.add(Role::Span, parent);
                            if let Some(n) = self.tags.nodes.get_mut(span as usize) {
                                n.actual_text = Some(words.to_string());
                            }
                            span
                        }
                        None => self.tag_of(p.style),
                    };
                    badge_items(
                        text,
                        *bs,
                        p.style.size,
                        (x, p.w),
                        baseline,
                        tag,
                        &mut chunk.items,
                    );
                }
                PK::Anchor(a) => {
                    self.flush_run(&mut run, &mut chunk.items, x, baseline);
                    chunk.anchors.push((a.clone(), line_top));
                }
                _ => {}
            }
            x += p.w;
        }
        self.flush_run(&mut run, &mut chunk.items, x, baseline);
        self.flush_link(&mut link, &mut chunk.items, line_top, line_h);
        chunk.lines.push(DumpLine {
            x: x0,
            y: baseline,
            w: line.width,
            text: dump,
            furniture: false,
        });
    }

    /// The structure element of text in `style`: its link's `Link` element (made on
    /// first use, under the current element) or the current element.
    fn tag_of(&mut self, style: Style) -> Tag {
        if style.link == 0 {
            return self.cur;
        }
        let i = style.link as usize - 1;
        if self.link_tags.len() < self.links.len() {
            self.link_tags.resize(self.links.len(), 0);
        }
        match self.link_tags.get(i) {
            Some(&t) if t != 0 => t,
            Some(_) => {
                let t = self.tags.add(Role::Link, self.cur);
                self.link_tags[i] = t;
                t
            }
            None => self.cur,
        }
    }

    fn flush_run(
        &mut self,
        run: &mut Option<(Style, f32, String)>,
        items: &mut Vec<Item>,
        end_x: f32,
        baseline: f32,
    ) {
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
            let tag = self.tag_of(st);
            items.push(Item::Text {
                x: rx,
                y: baseline,
                face: st.face,
                size: st.size,
                color: st.color,
                text,
                tag,
            });
        }
    }

    fn flush_link(
        &mut self,
        link: &mut Option<(u32, f32, f32)>,
        items: &mut Vec<Item>,
        line_top: f32,
        line_h: f32,
    ) {
        if let Some((id, a, b)) = link.take() {
            if let Some(t) = self.links.get(id as usize - 1).cloned() {
                let tag = self.tag_of(Style {
                    link: id,
                    ..Style::body()
                });
                items.push(Item::Link {
                    x: a,
                    y: line_top,
                    w: b - a,
                    h: line_h,
                    target: t,
                    tag,
                });
            }
        }
    }

    /// Lay out inline content as line chunks.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paragraph(
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
}

#[allow(clippy::too_many_arguments)]
pub(super) fn badge_items(
    text: &str,
    style: BadgeStyle,
    size: f32,
    (x, w): (f32, f32),
    baseline: f32,
    tag: Tag,
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
        tag,
    });
}
