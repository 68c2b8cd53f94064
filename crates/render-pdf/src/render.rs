//! Turns laid-out pages into a tagged PDF with pdf-writer: pages, subset Type0/CIDFontType2
//! fonts (subsetter), link annotations, outline, the structure tree with its parent tree,
//! XMP metadata (xmp-writer) with the PDF/UA-1 and PDF/A-2a identification, and an sRGB
//! output intent.
//!
//! Object ids are assigned in a fixed order and the file `/ID` is a hash of the content,
//! so output is byte-identical for equal input, whatever else runs in the process.

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, OutputIntentSubtype, PageMode, TabOrder,
};
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::compress::deflate;
use crate::content::{paint_page, Marks, PageOut};
use crate::doc::{Document, LinkTarget};
use crate::embed::{fingerprint, Fonts};
use crate::font::Face;
use crate::layout::{Item, Laid, PAGE_H, PAGE_W};
use crate::objstm;
use crate::structure::{write_structure, xmp_metadata};
use crate::tags::{Tags, ARTIFACT};
use crate::{PdfError, RenderStats};

/// sRGB IEC61966-2.1, the compact v2 profile of Compact-ICC-Profiles (CC0 1.0,
/// <https://github.com/saucecontrol/Compact-ICC-Profiles>): the PDF/A output intent.
static SRGB_ICC: &[u8] = include_bytes!("../assets/sRGB-v2-magic.icc");

fn pdf_date(d: crate::doc::Date) -> pdf_writer::Date {
    pdf_writer::Date::new(d.year.clamp(0, 9999) as u16)
        .month(d.month.clamp(1, 12) as u8)
        .day(d.day.clamp(1, 31) as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// A link target as URI bytes: anything outside printable ASCII percent-encoded.
fn uri_bytes(u: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(u.len());
    for b in u.bytes() {
        if (0x21..=0x7e).contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// Two decimals are plenty (1/7200 inch) and keep the file small.
fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

struct OutlineNode {
    title: String,
    page: usize,
    y: f32,
    children: Vec<usize>,
}

/// Ref allocator: ids in a fixed order.
struct Ids(i32);
impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

pub(crate) fn write_pdf(
    doc: &Document,
    laid: &Laid,
    stats: &mut RenderStats,
) -> Result<Vec<u8>, PdfError> {
    // ---- fonts: the glyphs used, subset, and their codes ----
    let fonts = Fonts::new(laid, stats)?;
    // Links to anchors that do not exist are dropped (and reported).
    for it in laid.pages.iter().flat_map(|pg| &pg.items) {
        if let Item::Link {
            target: LinkTarget::Internal(name),
            ..
        } = it
        {
            if !laid.anchors.contains_key(name) && !stats.unresolved_links.contains(name) {
                stats.unresolved_links.push(name.clone());
            }
        }
    }
    let code = |face: Face, c: char| fonts.code(face, c);
    let keep_link = |t: &LinkTarget| match t {
        LinkTarget::Internal(name) => laid.anchors.contains_key(name),
        LinkTarget::External(_) => true,
    };

    // ---- pages: content streams and marked content ----
    let tags: &Tags = &laid.tags;
    let mut marks = Marks::new(tags);
    let pages: Vec<PageOut> = laid
        .pages
        .iter()
        .enumerate()
        .map(|(k, pg)| {
            paint_page(
                k,
                &pg.items,
                tags,
                &mut marks,
                &code,
                fonts.one_byte(),
                &keep_link,
            )
        })
        .collect();

    // ---- object ids (fixed order) ----
    let mut ids = Ids(0);
    let catalog = ids.next();
    let page_tree = ids.next();
    let info = ids.next();
    let resources = ids.next();
    let gs0 = ids.next();
    let metadata = ids.next();
    let icc = ids.next();
    let struct_root = ids.next();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (ids.next(), ids.next())).collect();
    let annot_ids: Vec<Vec<Ref>> = pages
        .iter()
        .map(|p| p.annots.iter().map(|_| ids.next()).collect())
        .collect();
    let mcid_arrays: Vec<Option<Ref>> = pages
        .iter()
        .map(|p| (!p.mcids.is_empty()).then(|| ids.next()))
        .collect();
    let font_ids = fonts.ids(|| ids.next());
    let elem_ids: Vec<Option<Ref>> = (0..tags.nodes.len())
        .map(|t| (t != ARTIFACT as usize && marks.attached[t]).then(|| ids.next()))
        .collect();

    // outline tree
    let mut nodes: Vec<OutlineNode> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    for e in &laid.outline {
        while stack.last().is_some_and(|(l, _)| *l >= e.level) {
            stack.pop();
        }
        let idx = nodes.len();
        nodes.push(OutlineNode {
            title: e.title.clone(),
            page: e.page,
            y: e.y,
            children: Vec::new(),
        });
        match stack.last() {
            Some(&(_, parent)) => nodes[parent].children.push(idx),
            None => roots.push(idx),
        }
        stack.push((e.level, idx));
    }
    let outline_root = (!nodes.is_empty()).then(|| ids.next());
    let node_ids: Vec<Ref> = nodes.iter().map(|_| ids.next()).collect();

    let settings = pdf_writer::Settings { pretty: false };
    let mut pdf = Pdf::with_settings(settings);
    // The small dictionaries, packed into object streams at the end.
    let mut small = Chunk::with_settings(settings);

    // ---- catalog, info, metadata ----
    let m = &doc.meta;
    let lang = m.language.trim();
    {
        let mut cat = pdf.catalog(catalog);
        cat.pages(page_tree);
        if !lang.is_empty() {
            cat.lang(TextStr(lang));
        }
        cat.viewer_preferences().display_doc_title(true);
        if let Some(root) = outline_root {
            cat.outlines(root);
            cat.page_mode(PageMode::UseOutlines);
        }
        cat.mark_info().marked(true);
        cat.pair(Name(b"StructTreeRoot"), struct_root);
        cat.metadata(metadata);
        cat.output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
            .info(TextStr("sRGB IEC61966-2.1"))
            .dest_output_profile(icc);
    }
    let date = pdf_date(m.creation_date);
    let keywords = m.keywords.join(", ");
    pdf.document_info(info)
        .title(TextStr(&m.title))
        .author(TextStr(&m.author))
        .subject(TextStr(&m.subject))
        .keywords(TextStr(&keywords))
        .creator(TextStr("vejviser"))
        .producer(TextStr("vejviser-render-pdf"))
        .creation_date(date)
        .modified_date(date);
    let xmp = xmp_metadata(doc, &keywords);
    pdf.metadata(metadata, xmp.as_bytes());
    let icc_data = deflate(SRGB_ICC);
    pdf.icc_profile(icc, &icc_data)
        .n(3)
        .filter(Filter::FlateDecode);

    // ---- resources ----
    {
        let mut res = small
            .indirect(resources)
            .start::<pdf_writer::writers::Resources>();
        let mut fonts = res.fonts();
        for (k, id) in font_ids.faces.iter().enumerate() {
            if let Some(id) = id {
                fonts.pair(Name(format!("F{k}").as_bytes()), id[0]);
            }
        }
        fonts.finish();
        res.ext_g_states().pair(Name(b"GS0"), gs0);
    }
    small
        .ext_graphics(gs0)
        .non_stroking_alpha(0.16)
        .stroking_alpha(0.16);

    // ---- pages ----
    small
        .pages(page_tree)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(page_ids.len() as i32);
    let dest_of = |page: usize, y: f32| -> (Ref, f32) {
        let (pid, _) = page_ids[page.min(page_ids.len() - 1)];
        (pid, (PAGE_H - y + 6.0).min(PAGE_H).round())
    };
    let npages = pages.len() as i32;
    let mut annot_key = npages;
    let mut annot_parents: Vec<(i32, Ref)> = Vec::new();
    for (k, pg) in pages.iter().enumerate() {
        let (pid, cid) = page_ids[k];
        for (n, a) in pg.annots.iter().enumerate() {
            let mut annot = small
                .indirect(annot_ids[k][n])
                .start::<pdf_writer::writers::Annotation>();
            annot.subtype(AnnotationType::Link);
            let [x1, y1, x2, y2] = a.rect.map(round2);
            annot.rect(Rect::new(x1, y1, x2, y2));
            annot.border(0.0, 0.0, 0.0, None);
            annot.flags(AnnotationFlags::PRINT);
            let text = &marks.link_text[a.tag as usize];
            let contents = match &a.target {
                LinkTarget::External(u) if text.is_empty() => u.as_str(),
                _ => text.as_str(),
            };
            if !contents.is_empty() {
                annot.contents(TextStr(contents));
            }
            annot.struct_parent(annot_key);
            if let Some(elem) = elem_ids[a.tag as usize] {
                annot_parents.push((annot_key, elem));
            }
            annot_key += 1;
            match &a.target {
                LinkTarget::External(u) => {
                    let uri = uri_bytes(u);
                    annot.action().action_type(ActionType::Uri).uri(Str(&uri));
                }
                LinkTarget::Internal(name) => {
                    let (page, y) = laid.anchors[name];
                    let (p, top) = dest_of(page, y);
                    annot
                        .insert(Name(b"Dest"))
                        .start::<pdf_writer::writers::Destination>()
                        .page(p)
                        .xyz(0.0, top, None);
                }
            }
        }
        let mut page = small.page(pid);
        page.parent(page_tree)
            .media_box(Rect::new(0.0, 0.0, round2(PAGE_W), round2(PAGE_H)))
            .contents(cid)
            .tab_order(TabOrder::StructureOrder)
            .struct_parents(k as i32);
        page.pair(Name(b"Resources"), resources);
        if !annot_ids[k].is_empty() {
            page.annotations(annot_ids[k].iter().copied());
        }
        page.finish();
        let data = deflate(&pg.content);
        pdf.stream(cid, &data).filter(Filter::FlateDecode);
    }

    // ---- fonts ----
    fonts.write(&mut pdf, &mut small, &font_ids)?;

    // ---- structure tree ----
    write_structure(
        &mut small,
        tags,
        &marks,
        &elem_ids,
        struct_root,
        &page_ids,
        &annot_ids,
        &pages,
        &mcid_arrays,
        &annot_parents,
    );

    // ---- outline ----
    if let Some(root) = outline_root {
        let visible = roots.len()
            + roots
                .iter()
                .map(|r| nodes[*r].children.len())
                .sum::<usize>();
        small
            .outline(root)
            .first(node_ids[roots[0]])
            .last(node_ids[*roots.last().expect("non-empty")])
            .count(visible as i32);
        let mut parents = vec![root; nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            for c in &n.children {
                parents[*c] = node_ids[i];
            }
        }
        let mut prev_of: Vec<Option<usize>> = vec![None; nodes.len()];
        let mut next_of: Vec<Option<usize>> = vec![None; nodes.len()];
        let mut is_root = vec![false; nodes.len()];
        for r in &roots {
            is_root[*r] = true;
        }
        for list in std::iter::once(&roots).chain(nodes.iter().map(|n| &n.children)) {
            for pair in list.windows(2) {
                next_of[pair[0]] = Some(pair[1]);
                prev_of[pair[1]] = Some(pair[0]);
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let mut item = small.outline_item(node_ids[i]);
            item.title(TextStr(&n.title)).parent(parents[i]);
            let (p, top) = dest_of(n.page, n.y);
            item.dest().page(p).xyz(0.0, top, None);
            if let Some(q) = prev_of[i] {
                item.prev(node_ids[q]);
            }
            if let Some(q) = next_of[i] {
                item.next(node_ids[q]);
            }
            if let (Some(first), Some(last)) = (n.children.first(), n.children.last()) {
                let count = n.children.len() as i32;
                item.first(node_ids[*first])
                    .last(node_ids[*last])
                    .count(if is_root[i] { count } else { -count });
            }
        }
    }

    let mut all = pdf.as_bytes().to_vec();
    all.extend_from_slice(small.as_bytes());
    let id = fingerprint(&all).to_vec();
    pdf.set_file_id((id.clone(), id));
    let (packed, xref_id) = objstm::pack(&mut pdf, &small, ids.0 + 1, deflate);
    let mut bytes = objstm::finish(pdf, &packed, xref_id, deflate);
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n'); // end the file with an end-of-line, as most tools expect
    }
    Ok(bytes)
}
