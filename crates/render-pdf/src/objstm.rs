//! Compressed object streams (PDF 1.5): the structure tree, annotations, outline and
//! other small dictionaries of a tagged PDF are hundreds of objects of a few dozen bytes
//! each; written plainly (pdf-writer has no object streams) they would be a third of the
//! file. They are written with pdf-writer into a side [`Chunk`], packed here into
//! Flate-compressed object streams, and listed in the file's cross-reference stream
//! (pdf-writer's, with the entries of the packed objects filled in).

use pdf_writer::{Chunk, Filter, Name, Pdf, Ref, XRefFilter};

/// Objects per object stream (readers load a whole stream to get one object).
const PER_STREAM: usize = 400;

/// Where a packed object went: object stream id and index in it.
pub(crate) struct Packed {
    entries: Vec<(i32, i32, u16)>,
}

/// The objects of `small` as (id, body) pairs. In pdf-writer's compact output an
/// object is `{id} 0 obj\n{body}\nendobj\n`, and a body without streams holds no raw
/// line feed (strings escape it, names encode it), so the framing is unambiguous.
fn objects(small: &Chunk) -> Vec<(Ref, &[u8])> {
    let buf = small.as_bytes();
    let mut out = Vec::with_capacity(small.refs().len());
    let mut at = 0;
    for id in small.refs() {
        let head = format!("{} 0 obj\n", id.get());
        debug_assert!(buf[at..].starts_with(head.as_bytes()), "object {id:?}");
        let start = at + head.len();
        let len = buf[start..]
            .windows(8)
            .position(|w| w == b"\nendobj\n")
            .unwrap_or(buf.len() - start);
        out.push((id, &buf[start..start + len]));
        at = (start + len + 8).min(buf.len());
        while buf.get(at) == Some(&b'\n') {
            at += 1;
        }
    }
    out
}

/// Pack the objects of `small` into object streams written to `pdf`, ids from `next_id`
/// on. Returns where each object went, for [`finish`], and the next free id.
pub(crate) fn pack(
    pdf: &mut Pdf,
    small: &Chunk,
    next_id: i32,
    deflate: impl Fn(&[u8]) -> Vec<u8>,
) -> (Packed, i32) {
    let objs = objects(small);
    let mut entries = Vec::with_capacity(objs.len());
    let mut id = next_id;
    for group in objs.chunks(PER_STREAM) {
        let stream_id = id;
        id += 1;
        let mut head = String::new();
        let mut body = Vec::new();
        for (k, (r, data)) in group.iter().enumerate() {
            head.push_str(&format!("{} {} ", r.get(), body.len()));
            body.extend_from_slice(data);
            body.push(b'\n');
            entries.push((r.get(), stream_id, k as u16));
        }
        let first = head.len();
        let mut data = head.into_bytes();
        data.extend_from_slice(&body);
        let data = deflate(&data);
        pdf.stream(Ref::new(stream_id), &data)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Type"), Name(b"ObjStm"))
            .pair(Name(b"N"), group.len() as i32)
            .pair(Name(b"First"), first as i32);
    }
    (Packed { entries }, id)
}

/// Finish the file with a compressed cross-reference stream (id `xref_id`, the highest
/// id of the file) that also lists the packed objects.
///
/// The rows go through the PNG "Up" predictor before deflate (`/Predictor 12`): each
/// row minus the one above it. Consecutive objects sit in the same object stream at
/// consecutive indexes, so most differences are the same few bytes, and the stream
/// shrinks to a quarter (1.9 → 0.5 KB for a typical guideline).
pub(crate) fn finish(
    pdf: Pdf,
    packed: &Packed,
    xref_id: i32,
    deflate: impl Fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let mut columns = 0;
    let mut bytes = pdf.finish_with_xref_stream_and_filter(Ref::new(xref_id), |rows| {
        // One row per id 0..=xref_id: type (1 byte), offset (w bytes), generation (2).
        let n = xref_id as usize + 1;
        let mut rows = rows.to_vec();
        let row = rows.len() / n;
        let w = row - 3;
        // Entry 0 heads the (now empty) list of free objects.
        rows[..row].fill(0);
        rows[row - 2..row].copy_from_slice(&[0xff, 0xff]);
        for &(id, stream, index) in &packed.entries {
            let r = &mut rows[id as usize * row..(id as usize + 1) * row];
            r[0] = 2;
            let s = (stream as u64).to_be_bytes();
            r[1..1 + w].copy_from_slice(&s[8 - w..]);
            r[1 + w..].copy_from_slice(&index.to_be_bytes());
        }
        columns = row;
        (
            deflate(&up_predicted(&rows, row)),
            XRefFilter::Single(Filter::FlateDecode),
        )
    });
    // pdf-writer has no /DecodeParms for the cross-reference stream: add it to the
    // dictionary of the file's last object, which is that stream. Nothing follows it
    // but `startxref`, whose offset (the object's start) does not move.
    let key = b"/Type/XRef";
    let at = bytes
        .windows(key.len())
        .rposition(|w| w == key)
        .expect("pdf-writer writes /Type/XRef in the cross-reference stream")
        + key.len();
    let parms = format!("/DecodeParms<</Predictor 12/Columns {columns}>>");
    bytes.splice(at..at, parms.bytes());
    bytes
}

/// `rows` (of `row` bytes each) with the PNG Up filter: each row prefixed with filter
/// type 2 and holding its difference from the row above (the first from zeros).
fn up_predicted(rows: &[u8], row: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() + rows.len() / row.max(1));
    let mut above: &[u8] = &[];
    for r in rows.chunks(row.max(1)) {
        out.push(2);
        for (k, b) in r.iter().enumerate() {
            out.push(b.wrapping_sub(above.get(k).copied().unwrap_or(0)));
        }
        above = r;
    }
    out
}
