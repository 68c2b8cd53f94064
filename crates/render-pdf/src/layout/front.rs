//! The front page: publisher band, title, and the fields at the foot of the page.

use super::*;

impl Engine<'_> {
    pub(super) fn front_page(&mut self, fp: &crate::doc::FrontPage, ctx: &Ctx) {
        let start = self.chunks.len();
        self.space(110.0, false, ctx);
        if !fp.kicker.is_empty() {
            let prev = self.open(Role::P);
            let st = Style {
                face: Face::Bold,
                size: 11.0,
                color: ACCENT,
                ..Style::body()
            };
            self.paragraph(
                &[Inline::text(fp.kicker.clone())],
                st,
                15.0,
                ctx,
                true,
                vec![],
                vec![],
            );
            self.close(prev);
            self.space(6.0, false, ctx);
        }
        if !fp.doc_type.is_empty() {
            let prev = self.open(Role::P);
            let st = Style {
                size: 12.0,
                color: MUTED,
                ..Style::body()
            };
            self.paragraph(
                &[Inline::text(fp.doc_type.clone())],
                st,
                16.0,
                ctx,
                true,
                vec![],
                vec![],
            );
            self.close(prev);
            self.space(10.0, false, ctx);
        }
        let st = Style {
            face: Face::Bold,
            size: 24.0,
            color: ACCENT,
            ..Style::body()
        };
        self.hyphenate = false;
        let prev = self.open(Role::H(1));
        self.paragraph(
            &[Inline::text(fp.title.clone())],
            st,
            30.0,
            ctx,
            true,
            vec![],
            vec![],
        );
        self.close(prev);
        self.hyphenate = true;
        let mut bar = Chunk::new(30.0, ChunkKind::Content);
        bar.items.push(Item::Rect {
            x: ctx.x,
            y: 12.0,
            w: 48.0,
            h: 3.5,
            fill: Some(ACCENT),
            stroke: None,
            radius: 0.0,
        });
        self.push(bar, ctx);
        if let Some(note) = &fp.note {
            self.space(4.0, false, ctx);
            let prev = self.open(Role::Div);
            self.callout(
                None,
                &[Block::Paragraph(vec![Inline::text(note.clone())])],
                ctx,
            );
            self.close(prev);
        }
        // The fields sit at the foot of the page, like the colophon of a printed report.
        let fields_at = self.chunks.len();
        let table = self.open(Role::Table);
        if !fp.fields.is_empty() {
            let lf = Face::Bold.get().expect("font checked");
            let label_w = fp
                .fields
                .iter()
                .map(|(l, _)| lf.text_width(l, BODY_SIZE))
                .fold(0.0f32, f32::max)
                .min(ctx.w * 0.45)
                + 14.0;
            for (k, (l, v)) in fp.fields.iter().enumerate() {
                let label = self.pieces(
                    &[Inline::text(l.clone())],
                    Style {
                        face: Face::Bold,
                        color: MUTED,
                        ..Style::body()
                    },
                );
                let value = self.pieces(&[Inline::text(v.clone())], Style::body());
                let mut c = self.table_row(
                    &[label, value],
                    &[label_w, ctx.w - label_w - 16.0],
                    ctx.x - 4.0,
                    4.0,
                    4.0,
                    BODY_LEAD,
                    BODY_SIZE,
                    (Role::TR, &[Role::TH { row: true }, Role::TD]),
                );
                let h = c.h;
                if k == 0 {
                    c.items.push(Item::Line {
                        x1: ctx.x,
                        y1: 0.0,
                        x2: ctx.x + ctx.w,
                        y2: 0.0,
                        width: 1.2,
                        color: ACCENT,
                        dots: false,
                    });
                }
                let last = k + 1 == fp.fields.len();
                c.items.push(Item::Line {
                    x1: ctx.x,
                    y1: h,
                    x2: ctx.x + ctx.w,
                    y2: h,
                    width: if last { 1.2 } else { 0.4 },
                    color: if last { ACCENT } else { LIGHT_RULE },
                    dots: false,
                });
                self.push(c, ctx);
            }
        }
        self.close(table);
        let used: f32 = self.chunks[start..].iter().map(|c| c.h).sum();
        // A little slack so that rounding never pushes the last field onto page 2.
        let free = PAGE_TEXT_H - used - 2.0;
        if free > 0.0 && fields_at < self.chunks.len() {
            let mut gap = Chunk::new(free, ChunkKind::Space { discardable: false });
            gap.bgs = ctx.bgs.clone();
            self.chunks.insert(fields_at, gap);
        }
    }
}

/// The coloured band across the top of the front page, with the publisher line in it.
/// It goes under everything else on the page (the status band is drawn over it).
pub(super) fn front_band(publisher: &str, page: &mut Page, tag: Tag) {
    let size = 10.0;
    let band_h = 104.0;
    let text = ellipsize(publisher, Face::Bold, size, TEXT_W);
    let w = Face::Bold
        .get()
        .map(|f| f.text_width(&text, size))
        .unwrap_or(0.0);
    let bl = band_h - 22.0;
    page.items.insert(
        0,
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w: PAGE_W,
            h: band_h,
            fill: Some(ACCENT),
            stroke: None,
            radius: 0.0,
        },
    );
    page.items.insert(
        1,
        Item::Rect {
            x: 0.0,
            y: band_h,
            w: PAGE_W,
            h: 3.0,
            fill: Some(BAND_STRIPE),
            stroke: None,
            radius: 0.0,
        },
    );
    // Read first (the band is drawn first), drawn over the band.
    page.items.insert(
        2,
        Item::Text {
            x: MARGIN_X,
            y: bl,
            face: Face::Bold,
            size,
            color: WHITE,
            text: text.clone(),
            tag,
        },
    );
    page.lines.insert(
        0,
        DumpLine {
            x: MARGIN_X,
            y: bl,
            w,
            text,
            furniture: true,
        },
    );
}
