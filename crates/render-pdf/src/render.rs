//! Turns laid-out pages into a tagged PDF with pdf-writer: pages, subset Type0/CIDFontType2
//! fonts (subsetter), link annotations, outline, the structure tree with its parent tree,
//! XMP metadata (xmp-writer) with the PDF/UA-1 and PDF/A-2a identification, and an sRGB
//! output intent.
//!
//! Object ids are assigned in a fixed order and the file `/ID` is a hash of the content,
//! so output is byte-identical for equal input, whatever else runs in the process.

use std::collections::BTreeMap;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, CidFontType, FontFlags, OutputIntentSubtype,
    PageMode, SystemInfo, TabOrder,
};
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::cmap::{to_unicode, ONE_BYTE_CMAP, ONE_BYTE_CMAP_NAME};
use crate::compress::deflate;
use crate::content::{paint_page, Marks, PageOut};
use crate::doc::{Document, LinkTarget};
use crate::font::{Face, ALL_FACES};
use crate::layout::{Item, Laid, PAGE_H, PAGE_W};
use crate::objstm;
use crate::structure::{write_structure, xmp_metadata};
use crate::tags::{Tags, ARTIFACT};
use crate::{PdfError, RenderStats};

/// sRGB IEC61966-2.1, the compact v2 profile of Compact-ICC-Profiles (CC0 1.0,
/// <https://github.com/saucecontrol/Compact-ICC-Profiles>): the PDF/A output intent.
static SRGB_ICC: &[u8] = include_bytes!("../assets/sRGB-v2-magic.icc");

/// Glyphs used per face: glyph id → the character it stands for (for /ToUnicode);
/// `'\0'` = unused.
struct FontUse {
    chars: Vec<char>,
    any: bool,
}

impl FontUse {
    fn new(face: Face) -> Self {
        let n = face.get().map(|f| f.num_glyphs()).unwrap_or(0);
        FontUse {
            chars: vec!['\0'; n],
            any: false,
        }
    }

    /// Record the glyphs of `text` (characters the face lacks become `?`).
    fn add(&mut self, face: Face, text: &str, stats: &mut RenderStats) {
        let f = face.get().expect("fonts are checked before layout");
        for c in text.chars() {
            if c == '\u{AD}' || c.is_control() {
                continue;
            }
            let (gid, ch) = match f.lookup(c) {
                Some(g) => (g, c),
                None => {
                    if !stats.replaced_chars.contains(&c) {
                        stats.replaced_chars.push(c);
                    }
                    (f.glyph('?'), '?')
                }
            };
            if let Some(slot) = self.chars.get_mut(gid as usize) {
                if *slot == '\0' {
                    *slot = ch;
                    self.any = true;
                }
            }
        }
    }
}

/// An embedded subset: the program and each old glyph id's new one (0 = not in it).
struct Subset {
    program: Vec<u8>,
    new_gid: Vec<u16>,
    /// Every glyph drawn has a new id below 256, so text is written with one byte per
    /// glyph (through [`ONE_BYTE_CMAP`]) instead of two (`Identity-H`).
    one_byte: bool,
}

/// The `/CIDSystemInfo` of every font and of the one-byte encoding.
const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

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

/// A deterministic 128-bit fingerprint (two FNV-1a 64 lanes).
fn fingerprint(data: &[u8]) -> [u8; 16] {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for &x in data {
        a ^= x as u64;
        a = a.wrapping_mul(0x0000_0100_0000_01b3);
        b ^= x as u64;
        b = b.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(5);
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.to_be_bytes());
    out[8..].copy_from_slice(&b.to_be_bytes());
    out
}

/// The six-letter subset tag of a font name, from the glyphs it holds.
fn subset_tag(face: Face, gids: &BTreeMap<u16, char>) -> String {
    let mut bytes = vec![face as u8];
    for g in gids.keys() {
        bytes.extend_from_slice(&g.to_be_bytes());
    }
    fingerprint(&bytes)
        .iter()
        .take(6)
        .map(|b| (b'A' + (b % 26)) as char)
        .collect()
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
    // ---- fonts: the glyphs used, subset ----
    let mut uses: [FontUse; 5] = ALL_FACES.map(FontUse::new);
    for pg in &laid.pages {
        for it in &pg.items {
            match it {
                Item::Text { face, text, .. } => uses[*face as usize].add(*face, text, stats),
                Item::Watermark { text } => uses[Face::Bold as usize].add(Face::Bold, text, stats),
                // Links to anchors that do not exist are dropped (and reported).
                Item::Link {
                    target: LinkTarget::Internal(name),
                    ..
                } if !laid.anchors.contains_key(name) && !stats.unresolved_links.contains(name) => {
                    stats.unresolved_links.push(name.clone());
                }
                _ => {}
            }
        }
    }
    let mut subsets: Vec<Option<Subset>> = Vec::new();
    for face in ALL_FACES {
        let u = &uses[face as usize];
        if !u.any {
            subsets.push(None);
            continue;
        }
        let f = face.get().map_err(PdfError::Font)?;
        let used = u
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != '\0')
            .map(|(g, _)| g as u16);
        let (program, map) = f.subset(used).map_err(PdfError::Font)?;
        let new_gid: Vec<u16> = (0..f.num_glyphs())
            .map(|g| map.get(g as u16).unwrap_or(0))
            .collect();
        let one_byte = u
            .chars
            .iter()
            .zip(&new_gid)
            .all(|(c, g)| *c == '\0' || *g <= 0xff);
        subsets.push(Some(Subset {
            program,
            new_gid,
            one_byte,
        }));
    }
    let gid = |face: Face, c: char| -> u16 {
        let f = face.get().expect("fonts are checked");
        subsets[face as usize]
            .as_ref()
            .and_then(|s| s.new_gid.get(f.glyph(c) as usize).copied())
            .unwrap_or(0)
    };
    let one_byte =
        ALL_FACES.map(|face| subsets[face as usize].as_ref().is_some_and(|s| s.one_byte));
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
        .map(|(k, pg)| paint_page(k, &pg.items, tags, &mut marks, &gid, &one_byte, &keep_link))
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
    let font_ids: Vec<Option<[Ref; 5]>> = subsets
        .iter()
        .map(|s| {
            s.as_ref()
                .map(|_| [ids.next(), ids.next(), ids.next(), ids.next(), ids.next()])
        })
        .collect();
    let one_byte_cmap = one_byte.contains(&true).then(|| ids.next());
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
        for (k, id) in font_ids.iter().enumerate() {
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
    for face in ALL_FACES {
        let (Some([type0, cid, desc, file, tounicode]), Some(sub)) =
            (font_ids[face as usize], subsets[face as usize].as_ref())
        else {
            continue;
        };
        let f = face.get().map_err(PdfError::Font)?;
        // new glyph id → character
        let used: BTreeMap<u16, char> = uses[face as usize]
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != '\0')
            .map(|(g, c)| (sub.new_gid[g], *c))
            .filter(|(g, _)| *g != 0)
            .collect();
        let name = format!("{}+{}", subset_tag(face, &used), f.ps_name);
        let program = deflate(&sub.program);
        pdf.stream(file, &program)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), sub.program.len() as i32);
        let sc = 1000.0 / f.upem;
        let mut flags = FontFlags::SYMBOLIC;
        if f.is_fixed_pitch {
            flags |= FontFlags::FIXED_PITCH;
        }
        if f.italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        let stem_v = if matches!(face, Face::Bold | Face::BoldItalic) {
            120.0
        } else {
            80.0
        };
        small
            .font_descriptor(desc)
            .name(Name(name.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                (f.bbox[0] * sc).round(),
                (f.bbox[1] * sc).round(),
                (f.bbox[2] * sc).round(),
                (f.bbox[3] * sc).round(),
            ))
            .italic_angle(f.italic_angle)
            .ascent((f.ascent * sc).round())
            .descent((f.descent * sc).round())
            .cap_height((f.cap_height * sc).round())
            .stem_v(stem_v)
            .font_file2(file);
        {
            let mut cid_font = small.cid_font(cid);
            cid_font
                .subtype(CidFontType::Type2)
                .base_font(Name(name.as_bytes()))
                .system_info(IDENTITY)
                .font_descriptor(desc)
                .default_width(1000.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            // /W with runs of consecutive glyph ids (old id found through the char)
            let mut widths = cid_font.widths();
            let mut run: Option<(u16, Vec<f32>)> = None;
            for (g, c) in &used {
                let adv = f.advance_1000(f.glyph(*c)).round();
                match &mut run {
                    Some((start, ws)) if *start + ws.len() as u16 == *g => ws.push(adv),
                    _ => {
                        if let Some((start, ws)) = run.take() {
                            widths.consecutive(start, ws);
                        }
                        run = Some((*g, vec![adv]));
                    }
                }
            }
            if let Some((start, ws)) = run {
                widths.consecutive(start, ws);
            }
        }
        let mut type0_font = small.type0_font(type0);
        type0_font.base_font(Name(name.as_bytes()));
        match one_byte_cmap.filter(|_| sub.one_byte) {
            Some(r) => type0_font.encoding_cmap(r),
            None => type0_font.encoding_predefined(Name(b"Identity-H")),
        };
        type0_font.descendant_font(cid).to_unicode(tounicode);
        type0_font.finish();
        let pairs: Vec<(u16, char)> = used.iter().map(|(g, c)| (*g, *c)).collect();
        let cmap = to_unicode(&pairs, sub.one_byte);
        let cmap = deflate(&cmap);
        pdf.cmap(tounicode, &cmap).filter(Filter::FlateDecode);
    }
    if let Some(r) = one_byte_cmap {
        let data = deflate(ONE_BYTE_CMAP);
        let mut cmap = pdf.cmap(r, &data);
        cmap.name(Name(ONE_BYTE_CMAP_NAME))
            .system_info(IDENTITY)
            .writing_mode(pdf_writer::writers::WMode::Horizontal);
        cmap.filter(Filter::FlateDecode);
    }

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
