//! The PDF's logical side: the structure tree with its parent tree (what a screen reader
//! walks), and the XMP metadata that identifies the file as PDF/UA-1 and PDF/A-2a.

use pdf_writer::types::{StructRole, TableHeaderScope};
use pdf_writer::{Chunk, Finish, Ref, TextStr};

use crate::content::{role_name, Kid, Marks, PageOut};
use crate::doc::Document;
use crate::tags::{Role, Tags, DOCUMENT};

/// The structure tree: the root, one object per element that received content (kids in
/// reading order), and the parent tree (page → the element of each MCID; link
/// annotation → its `Link` element).
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_structure(
    pdf: &mut Chunk,
    tags: &Tags,
    marks: &Marks,
    elem_ids: &[Option<Ref>],
    struct_root: Ref,
    page_ids: &[(Ref, Ref)],
    annot_ids: &[Vec<Ref>],
    pages: &[PageOut],
    mcid_arrays: &[Option<Ref>],
    annot_parents: &[(i32, Ref)],
) {
    {
        let mut root = pdf
            .indirect(struct_root)
            .start::<pdf_writer::writers::StructTreeRoot>();
        if let Some(doc) = elem_ids[DOCUMENT as usize] {
            root.child(doc);
        }
        let mut tree = root.parent_tree();
        let mut nums = tree.nums();
        for (k, r) in mcid_arrays.iter().enumerate() {
            if let Some(r) = r {
                nums.insert(k as i32, *r);
            }
        }
        for (key, elem) in annot_parents {
            nums.insert(*key, *elem);
        }
        nums.finish();
        tree.finish();
        root.parent_tree_next_key(pages.len() as i32 + annot_parents.len() as i32);
    }
    for (k, r) in mcid_arrays.iter().enumerate() {
        if let Some(r) = r {
            pdf.indirect(*r).array().items(
                pages[k]
                    .mcids
                    .iter()
                    .map(|t| elem_ids[*t as usize].expect("painted elements are attached")),
            );
        }
    }
    for (t, id) in elem_ids.iter().enumerate() {
        let Some(id) = id else { continue };
        let node = &tags.nodes[t];
        let mut el = pdf.struct_element(*id);
        el.kind(match node.role {
            Role::Document => StructRole::Document,
            Role::H(1) => StructRole::H1,
            Role::H(2) => StructRole::H2,
            Role::H(3) => StructRole::H3,
            Role::H(4) => StructRole::H4,
            Role::H(5) => StructRole::H5,
            Role::H(_) => StructRole::H6,
            Role::P => StructRole::P,
            Role::L => StructRole::L,
            Role::LI => StructRole::LI,
            Role::Lbl => StructRole::Lbl,
            Role::LBody => StructRole::LBody,
            Role::Table => StructRole::Table,
            Role::TR => StructRole::TR,
            Role::TH { .. } => StructRole::TH,
            Role::TD => StructRole::TD,
            Role::Link => StructRole::Link,
            Role::TOC => StructRole::TOC,
            Role::TOCI => StructRole::TOCI,
            Role::Div => StructRole::Div,
            Role::Span => StructRole::Span,
            Role::Code => StructRole::Code,
        });
        debug_assert!(!role_name(node.role).is_empty());
        el.parent(if t == DOCUMENT as usize {
            struct_root
        } else {
            elem_ids[node.parent as usize].expect("parents are attached")
        });
        let pg = marks.page[t];
        if let Some(p) = pg {
            el.page(page_ids[p].0);
        }
        if let Some(words) = &node.actual_text {
            el.actual_text(TextStr(words));
        }
        if let Role::TH { row } = node.role {
            el.attributes().push().table().scope(if row {
                TableHeaderScope::Row
            } else {
                TableHeaderScope::Column
            });
        }
        let mut kids = el.children();
        for kid in &marks.kids[t] {
            match *kid {
                Kid::Mcr { page, mcid } if Some(page) == pg => {
                    kids.marked_content_id(mcid as i32);
                }
                Kid::Mcr { page, mcid } => {
                    kids.marked_content_ref()
                        .marked_content_id(mcid as i32)
                        .page(page_ids[page].0);
                }
                Kid::Elem(c) => {
                    if let Some(r) = elem_ids[c as usize] {
                        kids.struct_element(r);
                    }
                }
                Kid::Annot { page, annot } => {
                    kids.object_ref()
                        .object(annot_ids[page][annot])
                        .page(page_ids[page].0);
                }
            }
        }
    }
}

/// XMP metadata: the same title, author, subject, keywords, dates and tools as the
/// document information, the language, and the PDF/UA-1 and PDF/A-2a identification
/// (with the extension schema PDF/A needs for `pdfuaid`).
pub(crate) fn xmp_metadata(doc: &Document, keywords: &str) -> String {
    use xmp_writer::{DateTime, LangId, XmpWriter};
    let m = &doc.meta;
    let d = m.creation_date;
    let date = DateTime {
        year: d.year.clamp(0, 9999) as u16,
        month: Some(d.month.clamp(1, 12) as u8),
        day: Some(d.day.clamp(1, 31) as u8),
        hour: Some(0),
        minute: Some(0),
        second: Some(0),
        timezone: Some(xmp_writer::Timezone::Utc),
    };
    let lang = m.language.trim();
    let mut x = XmpWriter::new();
    x.title([(None, m.title.as_str())]);
    if !m.author.is_empty() {
        x.creator([m.author.as_str()]);
    }
    if !m.subject.is_empty() {
        x.description([(None, m.subject.as_str())]);
    }
    if !lang.is_empty() {
        x.language([LangId(lang)]);
    }
    x.pdf_keywords(keywords);
    x.producer("vejviser-render-pdf");
    x.creator_tool("vejviser");
    x.create_date(date);
    x.modify_date(date);
    x.format("application/pdf");
    x.pdfua_part(1);
    x.pdfa_part(2);
    x.pdfa_conformance("A");
    let mut ext = x.extension_schemas();
    ext.pdfua_id().properties().describe_part();
    ext.finish();
    x.finish(None)
}
