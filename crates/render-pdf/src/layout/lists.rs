//! Bulleted, numbered and definition lists.

use super::*;

impl Engine<'_> {
    pub(super) fn list(
        &mut self,
        ordered: bool,
        start: u32,
        items: &[crate::doc::ListItem],
        ctx: &Ctx,
    ) {
        let f = Face::Regular.get().expect("font checked");
        let markers: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(k, it)| match &it.marker {
                Some(m) => m.clone(),
                None if ordered => format!("{}.", start as u64 + k as u64),
                None => ["•", "◦", "–"][ctx.depth % 3].to_string(),
            })
            .collect();
        let max_w = markers
            .iter()
            .map(|m| f.text_width(m, BODY_SIZE))
            .fold(0.0f32, f32::max);
        let indent = (max_w + 7.0).max(14.0).min(ctx.w / 3.0);
        // over-long custom markers are shortened to fit the gutter
        let markers: Vec<String> = markers
            .into_iter()
            .map(|m| {
                if f.text_width(&m, BODY_SIZE) > indent - 5.0 {
                    ellipsize(&m, Face::Regular, BODY_SIZE, indent - 5.0)
                } else {
                    m
                }
            })
            .collect();
        let inner = Ctx {
            x: ctx.x + indent,
            w: ctx.w - indent,
            bgs: ctx.bgs.clone(),
            depth: ctx.depth + 1,
            tight: true,
        };
        let list = self.open(Role::L);
        for (k, it) in items.iter().enumerate() {
            if k > 0 {
                self.space(3.0, true, ctx);
            }
            let first = self.chunks.len();
            let item = self.open(Role::LI);
            let label = self.tags.add(Role::Lbl, self.cur);
            let body = self.open(Role::LBody);
            self.blocks(&it.blocks, &inner);
            self.close(body);
            self.close(item);
            let marker = &markers[k];
            let mw = f.text_width(marker, BODY_SIZE);
            let mx = if ordered || it.marker.is_some() {
                ctx.x + indent - 5.0 - mw
            } else {
                ctx.x + (indent - mw) / 2.0 - 1.0
            };
            let target =
                (first..self.chunks.len()).find(|&i| self.chunks[i].kind == ChunkKind::Content);
            let mk = |baseline: f32| Item::Text {
                x: mx.max(ctx.x),
                y: baseline,
                face: Face::Regular,
                size: BODY_SIZE,
                color: if ordered { TEXT } else { ACCENT },
                text: marker.clone(),
                tag: label,
            };
            match target {
                Some(i) => {
                    let more = self.chunks.len() - i > 1;
                    let c = &mut self.chunks[i];
                    let bl = c
                        .first_baseline
                        .unwrap_or(baseline_in(BODY_LEAD, BODY_SIZE));
                    let item = mk(bl);
                    c.lines.insert(0, dump_of(&item));
                    // first, so that the label is read before the body
                    c.items.insert(0, item);
                    c.keep = c.keep || more;
                }
                None => {
                    let mut c = Chunk::new(BODY_LEAD, ChunkKind::Content);
                    let item = mk(baseline_in(BODY_LEAD, BODY_SIZE));
                    c.lines.push(dump_of(&item));
                    c.items.push(item);
                    self.push(c, ctx);
                }
            }
        }
        self.close(list);
    }

    pub(super) fn definitions(&mut self, items: &[(Vec<Inline>, Vec<Inline>)], ctx: &Ctx) {
        let (size, lead, pad_x, pad_y) = (9.0, 12.5, 4.0, 1.5);
        let style = Style {
            size,
            ..Style::body()
        };
        let terms: Vec<Vec<Piece>> = items.iter().map(|(t, _)| self.pieces(t, style)).collect();
        let term_w = terms
            .iter()
            .map(|ps| natural_widths(ps).1)
            .fold(0.0f32, f32::max)
            .clamp(size, ctx.w * 0.4);
        // The cells sit at `ctx.x` and `ctx.x + term_w + 2 pad_x`; the description column
        // ends at the right edge of the container.
        let desc_w = (ctx.w - term_w - 2.0 * pad_x).max(size);
        let list = self.open(Role::L);
        for (k, (term, (_, desc))) in terms.into_iter().zip(items).enumerate() {
            if k > 0 {
                self.space(1.5, true, ctx);
            }
            let desc = self.pieces(desc, style);
            // An entry taller than most of a page continues on the next one.
            let max_lines = ((PAGE_TEXT_H * 0.6 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
            for c in self.table_row_segments(
                &[term, desc],
                &[term_w, desc_w],
                ctx.x - pad_x,
                pad_x,
                pad_y,
                lead,
                size,
                max_lines,
                (Role::LI, &[Role::Lbl, Role::LBody]),
            ) {
                self.push(c, ctx);
            }
        }
        self.close(list);
    }
}
