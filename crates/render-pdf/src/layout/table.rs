//! Tables: column widths from content, rows split when taller than most of a page,
//! header rows repeated by the paginator.

use super::*;

impl Engine<'_> {
    pub(super) fn table(
        &mut self,
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        widths: Option<&[f32]>,
        ctx: &Ctx,
    ) {
        let ncols = rows
            .iter()
            .map(|r| r.len())
            .chain(std::iter::once(header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let size = 9.0;
        let lead = 12.0;
        let pad_x = 4.0;
        let pad_y = 3.5;
        let body = Style {
            size,
            ..Style::body()
        };
        let head_style = Style {
            face: Face::Bold,
            color: ACCENT,
            ..body
        };
        let empty: Vec<Inline> = Vec::new();
        let head_pieces: Vec<Vec<Piece>> = if header.is_empty() {
            Vec::new()
        } else {
            (0..ncols)
                .map(|c| self.pieces(header.get(c).unwrap_or(&empty), head_style))
                .collect()
        };
        let row_pieces: Vec<Vec<Vec<Piece>>> = rows
            .iter()
            .map(|r| {
                (0..ncols)
                    .map(|c| self.pieces(r.get(c).unwrap_or(&empty), body))
                    .collect()
            })
            .collect();

        // Column widths (content widths, without padding).
        let inner_total = ctx.w - ncols as f32 * 2.0 * pad_x;
        let col_w: Vec<f32> = match widths {
            Some(ws) if ws.len() == ncols && ws.iter().all(|w| *w > 0.0 && w.is_finite()) => {
                let s: f32 = ws.iter().sum();
                ws.iter().map(|w| w / s * inner_total).collect()
            }
            _ => {
                let mut minw = vec![0.0f32; ncols];
                let mut maxw = vec![0.0f32; ncols];
                let mut measure = |c: usize, ps: &[Piece]| {
                    let (mn, mx) = natural_widths(ps);
                    minw[c] = minw[c].max(mn);
                    maxw[c] = maxw[c].max(mx);
                };
                for (c, ps) in head_pieces.iter().enumerate() {
                    measure(c, ps);
                }
                for r in &row_pieces {
                    for (c, ps) in r.iter().enumerate() {
                        measure(c, ps);
                    }
                }
                distribute(&minw, &maxw, inner_total)
            }
        };
        let t = self.headers.len();
        self.headers.push(Vec::new());
        let outer = self.open(Role::Table);

        let total_w = ctx.w;
        // A header taller than ~30 % of a page is split like a row and not repeated.
        let head_max = ((PAGE_TEXT_H * 0.3 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
        let head_segs = if head_pieces.is_empty() {
            Vec::new()
        } else {
            self.table_row_segments(
                &head_pieces,
                &col_w,
                ctx.x,
                pad_x,
                pad_y,
                lead,
                size,
                head_max,
                (Role::TR, &[Role::TH { row: false }]),
            )
        };
        let repeat = head_segs.len() == 1;
        let nhead = head_segs.len();
        for (si, mut c) in head_segs.into_iter().enumerate() {
            c.items.insert(0, band(ctx.x, total_w, c.h, TH_BG));
            let h = c.h;
            if si + 1 == nhead {
                c.items.push(rule(ctx.x, total_w, h, 0.8, ACCENT));
                c.keep = true;
            }
            c.bgs = ctx.bgs.clone();
            if repeat {
                self.headers[t].push(c.clone());
            }
            self.chunks.push(c);
        }
        if nhead == 0 {
            let mut c = Chunk::new(0.0, ChunkKind::Content);
            c.items.push(rule(ctx.x, total_w, 0.0, 0.8, ACCENT));
            c.keep = true;
            self.headers[t].push(c.clone());
            self.chunks.push(c);
        }
        let nrows = row_pieces.len();
        // rows taller than ~60 % of a page are split into segments
        let max_lines = ((PAGE_TEXT_H * 0.6 - 2.0 * pad_y) / lead).floor().max(1.0) as usize;
        for (k, r) in row_pieces.iter().enumerate() {
            let segs = self.table_row_segments(
                r,
                &col_w,
                ctx.x,
                pad_x,
                pad_y,
                lead,
                size,
                max_lines,
                (Role::TR, &[Role::TD]),
            );
            let nseg = segs.len();
            for (si, mut c) in segs.into_iter().enumerate() {
                if k % 2 == 1 {
                    c.items.insert(0, band(ctx.x, total_w, c.h, ZEBRA));
                }
                let h = c.h;
                if si + 1 == nseg {
                    let last = k + 1 == nrows;
                    c.items.push(if last {
                        rule(ctx.x, total_w, h, 0.8, ACCENT)
                    } else {
                        rule(ctx.x, total_w, h, 0.4, LIGHT_RULE)
                    });
                }
                c.table = Some(t);
                c.bgs = ctx.bgs.clone();
                self.chunks.push(c);
            }
        }
        self.close(outer);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn table_row(
        &mut self,
        cells: &[Vec<Piece>],
        col_w: &[f32],
        x0: f32,
        pad_x: f32,
        pad_y: f32,
        lead: f32,
        size: f32,
        tags: (Role, &[Role]),
    ) -> Chunk {
        self.table_row_segments(cells, col_w, x0, pad_x, pad_y, lead, size, usize::MAX, tags)
            .pop()
            .expect("at least one segment")
    }

    /// A table row as one chunk, or as several chunks of at most `max_lines` lines each
    /// when it is taller than that (so that a huge cell can continue on the next page).
    /// `tags` gives the structure: the row's element and each cell's (the last one
    /// repeats for the remaining cells).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn table_row_segments(
        &mut self,
        cells: &[Vec<Piece>],
        col_w: &[f32],
        x0: f32,
        pad_x: f32,
        pad_y: f32,
        lead: f32,
        size: f32,
        max_lines: usize,
        tags: (Role, &[Role]),
    ) -> Vec<Chunk> {
        let baseline = baseline_in(lead, size);
        let outer = self.open(tags.0);
        let row = self.cur;
        let cell_tags: Vec<Tag> = (0..cells.len())
            .map(|k| {
                let role = tags.1.get(k).or(tags.1.last()).copied().unwrap_or(Role::TD);
                self.tags.add(role, row)
            })
            .collect();
        let mut x = x0;
        let cell_lines: Vec<(f32, Vec<Line>)> = cells
            .iter()
            .enumerate()
            .map(|(k, ps)| {
                let lines = self.break_lines(ps.clone(), col_w[k]);
                let cx = x;
                x += col_w[k] + 2.0 * pad_x;
                (cx, lines)
            })
            .collect();
        let total = cell_lines
            .iter()
            .map(|(_, l)| l.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let per = max_lines.max(1);
        let segments = total.div_ceil(per);
        let mut out = Vec::with_capacity(segments);
        for s in 0..segments {
            let from = s * per;
            let to = (from + per).min(total);
            let mut c = Chunk::new(0.0, ChunkKind::Content);
            for (k, (cx, lines)) in cell_lines.iter().enumerate() {
                self.cur = cell_tags[k];
                for (n, line) in lines.iter().enumerate().take(to).skip(from) {
                    let top = pad_y + (n - from) as f32 * lead;
                    self.emit_line(line, cx + pad_x, top + baseline, top, lead, &mut c);
                }
            }
            c.h = (to - from) as f32 * lead + 2.0 * pad_y;
            c.first_baseline = Some(pad_y + baseline);
            out.push(c);
        }
        self.close(outer);
        out
    }
}

/// (min-content, max-content) width of inline pieces.
pub(super) fn natural_widths(ps: &[Piece]) -> (f32, f32) {
    let mut mn = 0.0f32;
    let mut mx = 0.0f32;
    let mut line = 0.0f32;
    let mut word = 0.0f32;
    for p in ps {
        match p.kind {
            PK::Newline => {
                mx = mx.max(line);
                mn = mn.max(word);
                line = 0.0;
                word = 0.0;
            }
            PK::Space | PK::BreakAfter | PK::SoftHyphen => {
                mn = mn.max(word);
                word = 0.0;
                line += p.w;
            }
            _ => {
                word += p.w;
                line += p.w;
            }
        }
    }
    (mn.max(word), mx.max(line))
}

/// Share `total` between columns given their min- and max-content widths.
pub(super) fn distribute(minw: &[f32], maxw: &[f32], total: f32) -> Vec<f32> {
    let n = minw.len();
    let total = total.max(n as f32 * 10.0);
    let sum_max: f32 = maxw.iter().map(|w| w.max(1.0)).sum();
    if sum_max <= total {
        // Everything fits on one line: spread the spare room in proportion.
        return maxw.iter().map(|w| w.max(1.0) / sum_max * total).collect();
    }
    // Narrow columns (content narrower than a fair share) get their full width, so
    // short labels and numbers do not wrap; repeat until stable.
    // Fixing a column narrower than the fair share only raises the share of the others,
    // so taking the columns narrowest first finds the same set in O(n log n).
    let mut out = vec![0.0f32; n];
    let mut fixed = vec![false; n];
    let mut left = total;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| {
        maxw[*a]
            .max(1.0)
            .total_cmp(&maxw[*b].max(1.0))
            .then(a.cmp(b))
    });
    let mut open = n;
    for c in order {
        let want = maxw[c].max(1.0);
        if want > left / open as f32 {
            break;
        }
        out[c] = want;
        left -= want;
        fixed[c] = true;
        open -= 1;
        if open == 0 {
            break;
        }
    }
    let open: Vec<usize> = (0..n).filter(|c| !fixed[*c]).collect();
    if open.is_empty() {
        return out;
    }
    // The rest share what is left: min-content first (capped so one long word cannot
    // starve the others), then in proportion to how much more they want.
    let cap = left / open.len() as f32 * 1.6;
    let mut sum_base = 0.0;
    for &c in &open {
        out[c] = minw[c].clamp(8.0, cap.max(8.0));
        sum_base += out[c];
    }
    if sum_base >= left {
        for &c in &open {
            out[c] = out[c] / sum_base * left;
        }
        return out;
    }
    let spare = left - sum_base;
    let wants: Vec<f32> = open.iter().map(|&c| (maxw[c] - out[c]).max(0.0)).collect();
    let sum_wants: f32 = wants.iter().sum();
    for (k, &c) in open.iter().enumerate() {
        out[c] += if sum_wants > 0.0 {
            spare * wants[k] / sum_wants
        } else {
            spare / open.len() as f32
        };
    }
    out
}

/// A table row's background: a filled rectangle the width of the table.
fn band(x: f32, w: f32, h: f32, fill: Color) -> Item {
    Item::Rect {
        x,
        y: 0.0,
        w,
        h,
        fill: Some(fill),
        stroke: None,
        radius: 0.0,
    }
}

/// A rule across the table at height `y` of its chunk.
fn rule(x: f32, w: f32, y: f32, width: f32, color: Color) -> Item {
    Item::Line {
        x1: x,
        y1: y,
        x2: x + w,
        y2: y,
        width,
        color,
        dots: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribute_fills_total() {
        let w = distribute(&[10.0, 50.0], &[100.0, 900.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.1);
        assert!(w[0] >= 10.0 && w[1] >= 50.0);
        let w = distribute(&[10.0, 10.0], &[20.0, 60.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.1);
    }
}
