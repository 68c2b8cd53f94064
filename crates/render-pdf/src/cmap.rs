//! The character maps of the embedded fonts: the one-byte encoding (code → glyph) and
//! each font's `/ToUnicode` (code → text), which is what copy-and-paste, search,
//! `pdftotext` and screen readers read.

use std::fmt::Write as _;

/// The encoding of a one-byte font: code `c` is CID `c`, which is glyph `c` of the
/// subset (`/CIDToGIDMap /Identity`), as `Identity-H` does with two bytes. Embedded
/// (no predefined CMap has one-byte codes), shared by the fonts that use it, with the
/// CIDFont's `/CIDSystemInfo` (Adobe-Identity-0), as PDF/A-2 asks of embedded CMaps.
/// Half the bytes of every text string: text is most of a page's content stream.
pub(crate) const ONE_BYTE_CMAP: &[u8] = b"%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo 3 dict dup begin
/Registry (Adobe) def
/Ordering (Identity) def
/Supplement 0 def
end def
/CMapName /Vejviser-OneByte-Identity-H def
/CMapVersion 1 def
/CMapType 1 def
/WMode 0 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 begincidrange
<00> <FF> 0
endcidrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
";

/// The name [`ONE_BYTE_CMAP`] gives itself.
pub(crate) const ONE_BYTE_CMAP_NAME: &[u8] = b"Vejviser-OneByte-Identity-H";

/// A `/ToUnicode` CMap for `pairs` (code → character, ascending codes) with codes of
/// one byte or two. Runs of consecutive codes for consecutive characters (a–z, 0–9 …
/// come out of the subset in that order) are written as one `bfrange` line each, the
/// rest as `bfchar`; no comments. A third of the bytes of the line-per-glyph form.
pub(crate) fn to_unicode(pairs: &[(u16, char)], one_byte: bool) -> Vec<u8> {
    // (first code, last code, first character)
    let mut runs: Vec<(u16, u16, char)> = Vec::new();
    for &(code, c) in pairs {
        if let Some(last) = runs.last_mut() {
            let next = last.2 as u32 + (last.1 - last.0) as u32 + 1;
            // A range may only vary the last byte of the code and of the UTF-16 text.
            if code == last.1.wrapping_add(1)
                && code & 0xff != 0
                && c as u32 == next
                && next <= 0xffff
                && next & 0xff != 0
            {
                last.1 = code;
                continue;
            }
        }
        runs.push((code, code, c));
    }
    let hex = |out: &mut String, code: u16| {
        if one_byte {
            let _ = write!(out, "<{:02X}>", code);
        } else {
            let _ = write!(out, "<{:04X}>", code);
        }
    };
    let utf16 = |out: &mut String, c: char| {
        out.push('<');
        for u in c.encode_utf16(&mut [0; 2]) {
            let _ = write!(out, "{:04X}", u);
        }
        out.push('>');
    };
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n",
    );
    s.push_str(if one_byte {
        "<00> <FF>\n"
    } else {
        "<0000> <FFFF>\n"
    });
    s.push_str("endcodespacerange\n");
    let (ranges, singles): (Vec<_>, Vec<_>) = runs.iter().partition(|r| r.0 != r.1);
    // At most 100 entries between a begin and its end.
    for block in ranges.chunks(100) {
        let _ = writeln!(s, "{} beginbfrange", block.len());
        for (first, last, c) in block {
            hex(&mut s, *first);
            hex(&mut s, *last);
            utf16(&mut s, *c);
            s.push('\n');
        }
        s.push_str("endbfrange\n");
    }
    for block in singles.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", block.len());
        for (code, _, c) in block {
            hex(&mut s, *code);
            utf16(&mut s, *c);
            s.push('\n');
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_ranges_and_the_rest_single_entries() {
        let pairs = [
            (1, ' '),
            (2, 'a'),
            (3, 'b'),
            (4, 'c'),
            (5, 'æ'),
            (6, '\u{1F600}'),
            (7, '\u{FF}'),
            (8, '\u{100}'),
        ];
        let s = String::from_utf8(to_unicode(&pairs, true)).unwrap();
        assert!(
            s.contains("1 beginbfrange\n<02><04><0061>\nendbfrange\n"),
            "{s}"
        );
        assert!(s.contains("<01><0020>\n"), "{s}");
        assert!(s.contains("<05><00E6>\n"), "{s}");
        // outside the BMP: a surrogate pair, never in a range
        assert!(s.contains("<06><D83DDE00>\n"), "{s}");
        // U+00FF → U+0100 would carry into the text's second byte: two entries
        assert!(s.contains("<07><00FF>\n<08><0100>\n"), "{s}");
        assert!(s.contains("<00> <FF>"), "{s}");
    }

    #[test]
    fn two_byte_codes_do_not_range_across_a_high_byte() {
        let pairs: Vec<(u16, char)> = (0xfe..0x102)
            .map(|c| (c as u16, char::from_u32(0x41 + c - 0xfe).unwrap()))
            .collect();
        let s = String::from_utf8(to_unicode(&pairs, false)).unwrap();
        assert!(s.contains("<00FE><00FF><0041>\n"), "{s}");
        assert!(s.contains("<0100><0101><0043>\n"), "{s}");
        assert!(s.contains("<0000> <FFFF>"), "{s}");
    }
}
