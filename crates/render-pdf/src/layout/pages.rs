//! Page flow: chunks placed on pages with keep-with-next and repeated table headers,
//! then running footers, status bands and watermarks.

use super::*;

impl Engine<'_> {
    pub(super) fn paginate(&mut self) -> Result<Laid, PdfError> {
        let mut chunks = std::mem::take(&mut self.chunks);
        for i in 1..chunks.len() {
            if matches!(chunks[i].kind, ChunkKind::Space { .. }) {
                chunks[i].keep |= chunks[i - 1].keep;
            }
        }
        let n = chunks.len();
        let mut laid = Laid {
            pages: vec![Page::default()],
            anchors: HashMap::new(),
            outline: Vec::new(),
            tags: Tags::default(),
        };
        let mut cursor = 0.0f32;
        let mut has_content = false;
        let mut i = 0;
        while i < n {
            let c = &chunks[i];
            let (c_h, c_keep, c_table) = (c.h, c.keep, c.table);
            match c.kind {
                ChunkKind::Break => {
                    if has_content {
                        laid.pages.push(Page::default());
                        cursor = 0.0;
                        has_content = false;
                    }
                    i += 1;
                    continue;
                }
                ChunkKind::Space { discardable } if discardable || !c_keep => {
                    let avail = PAGE_TEXT_H - cursor;
                    if discardable && (!has_content || c_h > avail + EPS) {
                        // vanishes at the top of a page (or when the page is full)
                    } else if c_h > avail + EPS {
                        // non-discardable space (box padding) is cut at the page end
                        chunks[i].h = avail.max(0.0);
                        place(&mut chunks[i], &mut laid, &mut cursor);
                    } else {
                        place(&mut chunks[i], &mut laid, &mut cursor);
                        has_content |= !discardable;
                    }
                    i += 1;
                    continue;
                }
                ChunkKind::Space { .. } | ChunkKind::Content => {}
            }
            let mut g = c_h;
            let mut j = i;
            while chunks[j].keep
                && j + 1 < n
                && j - i < MAX_KEEP_CHUNKS
                && chunks[j + 1].kind != ChunkKind::Break
            {
                j += 1;
                g += chunks[j].h;
                if g > PAGE_TEXT_H {
                    break;
                }
            }
            if cursor + g > PAGE_TEXT_H + EPS
                && has_content
                && (g <= PAGE_TEXT_H || cursor + c_h > PAGE_TEXT_H + EPS)
            {
                laid.pages.push(Page::default());
                cursor = 0.0;
                if let Some(t) = c_table {
                    for mut hc in self.headers[t].clone() {
                        // A repeated header is read once, where the table starts.
                        hc.items.iter_mut().for_each(Item::make_artifact);
                        place(&mut hc, &mut laid, &mut cursor);
                    }
                }
            }
            place(&mut chunks[i], &mut laid, &mut cursor);
            has_content = true;
            i += 1;
            if laid.pages.len() > MAX_PAGES {
                return Err(PdfError::TooManyPages { limit: MAX_PAGES });
            }
        }
        Ok(laid)
    }
}

/// Put a chunk on the current page at `cursor` (its items and lines are moved out).
pub(super) fn place(c: &mut Chunk, laid: &mut Laid, cursor: &mut f32) {
    let page_idx = laid.pages.len() - 1;
    let top = MARGIN_TOP + *cursor;
    let page = laid.pages.last_mut().expect("at least one page");
    for bg in &c.bgs {
        if c.h <= 0.0 {
            continue;
        }
        if let Some(fill) = bg.fill {
            page.items.push(Item::Rect {
                x: bg.x,
                y: top,
                w: bg.w,
                h: c.h,
                fill: Some(fill),
                stroke: None,
                radius: 0.0,
            });
        }
        if let Some((col, w)) = bg.bar {
            page.items.push(Item::Rect {
                x: bg.x,
                y: top,
                w,
                h: c.h,
                fill: Some(col),
                stroke: None,
                radius: 0.0,
            });
        }
    }
    for mut it in c.items.drain(..) {
        it.shift(0.0, top);
        page.items.push(it);
    }
    for mut l in c.lines.drain(..) {
        l.y += top;
        page.lines.push(l);
    }
    for (a, y) in &c.anchors {
        laid.anchors.entry(a.clone()).or_insert((page_idx, top + y));
    }
    for m in &c.marks {
        laid.anchors
            .entry(m.anchor.clone())
            .or_insert((page_idx, top));
        if m.outline {
            laid.outline.push(OutlineEntry {
                level: m.level,
                title: m.title.clone(),
                page: page_idx,
                y: top,
            });
        }
    }
    *cursor += c.h;
}

/// Add footers, status bands and watermarks; resolve page references.
pub(super) fn finish_pages(doc: &Document, laid: &mut Laid, publisher_tag: Tag) {
    let total = laid.pages.len();
    let anchors = laid.anchors.clone();
    for (idx, page) in laid.pages.iter_mut().enumerate() {
        resolve_page_refs(page, &anchors);
        if idx == 0 {
            if let Some(publisher) = doc.front_page.as_ref().and_then(|f| f.publisher.as_ref()) {
                front_band(publisher, page, publisher_tag);
            }
        }
        if let Some(status) = &doc.status_line {
            let size = 8.5;
            let f = Face::Bold.get().expect("font checked");
            let band_y = 30.0;
            let band_h = 17.0;
            let text = ellipsize(status, Face::Bold, size, TEXT_W - 16.0);
            let w = f.text_width(&text, size);
            page.items.push(Item::Rect {
                x: MARGIN_X,
                y: band_y,
                w: TEXT_W,
                h: band_h,
                fill: Some(STATUS_BG),
                stroke: None,
                radius: 2.0,
            });
            let bl = band_y + band_h / 2.0 + size * 0.36;
            page.items.push(Item::Text {
                x: MARGIN_X + 8.0,
                y: bl,
                face: Face::Bold,
                size,
                color: STATUS_FG,
                text: text.clone(),
                tag: ARTIFACT,
            });
            page.lines.push(DumpLine {
                x: MARGIN_X + 8.0,
                y: bl,
                w,
                text,
                furniture: true,
            });
        }
        let front = doc.front_page.is_some() && idx == 0;
        if !front {
            let size = 8.0;
            let y_rule = PAGE_H - MARGIN_BOTTOM + 16.0;
            let bl = y_rule + 13.0;
            page.items.push(Item::Line {
                x1: MARGIN_X,
                y1: y_rule,
                x2: MARGIN_X + TEXT_W,
                y2: y_rule,
                width: 0.5,
                color: RULE,
                dots: false,
            });
            let page_txt = doc
                .labels
                .page_of
                .replace("{n}", &(idx + 1).to_string())
                .replace("{m}", &total.to_string());
            let page_txt = ellipsize(&page_txt, Face::Regular, size, TEXT_W * 0.3);
            let version = ellipsize(
                &doc.footer.right_version,
                Face::Regular,
                size,
                TEXT_W * 0.25,
            );
            let right = if version.is_empty() {
                page_txt
            } else {
                format!("{version}  ·  {page_txt}")
            };
            let f = Face::Regular.get().expect("font checked");
            let rw = f.text_width(&right, size);
            let left = ellipsize(&doc.footer.left, Face::Regular, size, TEXT_W - rw - 24.0);
            let lw = f.text_width(&left, size);
            for (x, w, text) in [(MARGIN_X, lw, left), (MARGIN_X + TEXT_W - rw, rw, right)] {
                if text.is_empty() {
                    continue;
                }
                page.items.push(Item::Text {
                    x,
                    y: bl,
                    face: Face::Regular,
                    size,
                    color: MUTED,
                    text: text.clone(),
                    tag: ARTIFACT,
                });
                page.lines.push(DumpLine {
                    x,
                    y: bl,
                    w,
                    text,
                    furniture: true,
                });
            }
        }
        if let Some(wm) = &doc.watermark {
            if !wm.trim().is_empty() {
                page.items.push(Item::Watermark { text: wm.clone() });
            }
        }
    }
}
