//! A minimal PDF object writer with explicit object ids (deterministic by construction).

use std::fmt::Write as _;

pub(crate) struct PdfWriter {
    pub buf: Vec<u8>,
    offsets: Vec<usize>,
}

impl PdfWriter {
    pub fn new(num_objects: usize) -> Self {
        let mut buf = Vec::with_capacity(256 * 1024);
        buf.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfWriter {
            buf,
            offsets: vec![0; num_objects + 1],
        }
    }

    /// Write `id 0 obj <body> endobj`.
    pub fn object(&mut self, id: usize, body: &str) {
        self.begin(id);
        self.buf.extend_from_slice(body.as_bytes());
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    fn begin(&mut self, id: usize) {
        if id >= self.offsets.len() {
            self.offsets.resize(id + 1, 0);
        }
        self.offsets[id] = self.buf.len();
        let _ = writeln!(Vec8(&mut self.buf), "{id} 0 obj");
    }

    /// Write a stream object; `dict_extra` is inserted into the stream dictionary.
    /// The data is Flate-compressed when `compress` is set.
    pub fn stream(&mut self, id: usize, dict_extra: &str, data: &[u8], compress: bool) {
        self.begin(id);
        let compressed;
        let (body, filter) = if compress {
            compressed = miniz_oxide::deflate::compress_to_vec_zlib(data, 5);
            (&compressed[..], " /Filter /FlateDecode")
        } else {
            (data, "")
        };
        let _ = write!(
            Vec8(&mut self.buf),
            "<< /Length {}{}{}{} >>\nstream\n",
            body.len(),
            filter,
            if dict_extra.is_empty() { "" } else { " " },
            dict_extra
        );
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Write the cross-reference table and trailer and return the file.
    pub fn finish(mut self, root: usize, info: usize, file_id: &str) -> Vec<u8> {
        let xref = self.buf.len();
        let n = self.offsets.len();
        let _ = write!(Vec8(&mut self.buf), "xref\n0 {n}\n0000000000 65535 f \n");
        for off in &self.offsets[1..] {
            let _ = writeln!(Vec8(&mut self.buf), "{off:010} 00000 n ");
        }
        let _ = write!(
            Vec8(&mut self.buf),
            "trailer\n<< /Size {n} /Root {root} 0 R /Info {info} 0 R /ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        );
        self.buf
    }
}

/// `fmt::Write` adapter for a byte buffer.
pub(crate) struct Vec8<'a>(pub &'a mut Vec<u8>);

impl std::fmt::Write for Vec8<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A PDF text string: ASCII-only literals stay readable, anything else becomes UTF-16BE hex
/// with a byte order mark.
pub(crate) fn text_string(s: &str) -> String {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('(');
        for c in s.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(')');
        out
    } else {
        let mut out = String::from("<FEFF");
        for u in s.encode_utf16() {
            let _ = write!(out, "{u:04X}");
        }
        out.push('>');
        out
    }
}

/// Format a number compactly (at most 2 decimals, no trailing zeros).
pub(crate) fn num(v: f32) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Append a number compactly (at most 2 decimals).
pub(crate) fn push_num(out: &mut String, v: f32) {
    let r = (v as f64 * 100.0).round() as i64;
    if r < 0 {
        out.push('-');
    }
    let a = r.unsigned_abs();
    let int = a / 100;
    let frac = a % 100;
    let _ = write!(out, "{int}");
    if frac != 0 {
        if frac.is_multiple_of(10) {
            let _ = write!(out, ".{}", frac / 10);
        } else {
            let _ = write!(out, ".{frac:02}");
        }
    }
}

/// A deterministic 128-bit fingerprint (two FNV-1a 64 lanes) as 32 hex digits.
pub(crate) fn fingerprint(data: &[u8]) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for &x in data {
        a ^= x as u64;
        a = a.wrapping_mul(0x0000_0100_0000_01b3);
        b ^= x as u64;
        b = b.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(5);
    }
    format!("{a:016X}{b:016X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.25), "-0.25");
        assert_eq!(num(0.004), "0");
        assert_eq!(num(595.2756), "595.28");
    }

    #[test]
    fn text_strings() {
        assert_eq!(text_string("a(b)"), "(a\\(b\\))");
        assert_eq!(text_string("æ"), "<FEFF00E6>");
    }
}
