//! The embedded fonts: which glyphs each face draws, their subsets, the codes text is
//! written with, and the font objects with their character maps.
//!
//! **Codes.** When the document draws at most 255 different characters (as `/ToUnicode`
//! reads them) over all its faces — every guideline of the corpus does — each character
//! gets one one-byte code for every face: code = its place in the document's sorted
//! character set. The same word then has the same bytes in regular, bold and italic
//! text (deflate finds it again), one `/ToUnicode` serves every font, the one-byte
//! encoding CMap is shared too, and each font's `/CIDToGIDMap` stream maps a code to
//! its glyph in that subset. Otherwise every font uses `Identity-H`: two bytes, the
//! subset's glyph id.

use std::collections::{BTreeMap, BTreeSet};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use crate::cmap::{to_unicode, ONE_BYTE_CMAP, ONE_BYTE_CMAP_NAME};
use crate::compress::deflate;
use crate::font::{Face, ALL_FACES};
use crate::layout::{Item, Laid};
use crate::{PdfError, RenderStats};

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
}

/// The `/CIDSystemInfo` of every font and of the one-byte encoding.
const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The fonts of one document.
pub(crate) struct Fonts {
    uses: [FontUse; 5],
    subsets: Vec<Option<Subset>>,
    /// The shared one-byte codes' characters (code `k + 1` is `shared[k]`), or `None`
    /// for two-byte `Identity-H` codes.
    shared: Option<Vec<char>>,
    /// Per face: the code of each (original) glyph id that is drawn.
    code_of: Vec<Vec<u16>>,
}

/// Object ids of the fonts: per face (Type0, CIDFont, descriptor, program, and the
/// `/ToUnicode` for two-byte codes or the `/CIDToGIDMap` for shared ones), and the
/// shared encoding and `/ToUnicode`.
pub(crate) struct FontIds {
    pub faces: [Option<[Ref; 5]>; 5],
    shared: Option<(Ref, Ref)>,
}

impl Fonts {
    /// The glyphs `laid` draws, subset per face, and their codes.
    pub fn new(laid: &Laid, stats: &mut RenderStats) -> Result<Fonts, PdfError> {
        let mut uses: [FontUse; 5] = ALL_FACES.map(FontUse::new);
        for pg in &laid.pages {
            for it in &pg.items {
                match it {
                    Item::Text { face, text, .. } => uses[*face as usize].add(*face, text, stats),
                    Item::Watermark { text } => {
                        uses[Face::Bold as usize].add(Face::Bold, text, stats)
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
            let new_gid = (0..f.num_glyphs())
                .map(|g| map.get(g as u16).unwrap_or(0))
                .collect();
            subsets.push(Some(Subset { program, new_gid }));
        }
        let all: BTreeSet<char> = uses
            .iter()
            .flat_map(|u| u.chars.iter().copied())
            .filter(|c| *c != '\0')
            .collect();
        let shared = (all.len() <= 255).then(|| all.into_iter().collect::<Vec<char>>());
        let code_of = ALL_FACES
            .iter()
            .map(|&face| {
                let u = &uses[face as usize];
                match (&shared, &subsets[face as usize]) {
                    (_, None) => Vec::new(),
                    (Some(chars), Some(_)) => u
                        .chars
                        .iter()
                        .map(|c| match chars.binary_search(c) {
                            Ok(k) if *c != '\0' => k as u16 + 1,
                            _ => 0,
                        })
                        .collect(),
                    (None, Some(sub)) => sub.new_gid.clone(),
                }
            })
            .collect();
        Ok(Fonts {
            uses,
            subsets,
            shared,
            code_of,
        })
    }

    /// Whether text is written with one byte per character.
    pub fn one_byte(&self) -> bool {
        self.shared.is_some()
    }

    /// The code of character `c` in `face`.
    pub fn code(&self, face: Face, c: char) -> u16 {
        let f = face.get().expect("fonts are checked");
        self.code_of[face as usize]
            .get(f.glyph(c) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Allocate the font objects' ids with `next`.
    pub fn ids(&self, mut next: impl FnMut() -> Ref) -> FontIds {
        let faces = ALL_FACES.map(|face| {
            self.subsets[face as usize]
                .as_ref()
                .map(|_| [next(), next(), next(), next(), next()])
        });
        let any = faces.iter().any(Option::is_some);
        let shared = (self.shared.is_some() && any).then(|| (next(), next()));
        FontIds { faces, shared }
    }

    /// Write the fonts: programs and character maps as streams into `pdf`, the
    /// dictionaries into `small` (for the object streams).
    pub fn write(&self, pdf: &mut Pdf, small: &mut Chunk, ids: &FontIds) -> Result<(), PdfError> {
        for face in ALL_FACES {
            let (Some([type0, cid, desc, file, map]), Some(sub)) = (
                ids.faces[face as usize],
                self.subsets[face as usize].as_ref(),
            ) else {
                continue;
            };
            let f = face.get().map_err(PdfError::Font)?;
            let codes = &self.code_of[face as usize];
            // (code, original glyph id, character), by code
            let mut used: Vec<(u16, u16, char)> = self.uses[face as usize]
                .chars
                .iter()
                .enumerate()
                .filter(|(g, c)| **c != '\0' && sub.new_gid[*g] != 0)
                .map(|(g, c)| (codes[g], g as u16, *c))
                .collect();
            used.sort_unstable();
            let by_new_gid: BTreeMap<u16, char> = used
                .iter()
                .map(|&(_, g, c)| (sub.new_gid[g as usize], c))
                .collect();
            let name = format!("{}+{}", subset_tag(face, &by_new_gid), f.ps_name);
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
                    .default_width(1000.0);
                if let Some(chars) = &self.shared {
                    cid_font.cid_to_gid_map_stream(map);
                    // code → glyph of this subset, two bytes each (0 = not drawn)
                    let mut gids = vec![0u8; 2 * (chars.len() + 1)];
                    for &(code, g, _) in &used {
                        let k = 2 * code as usize;
                        gids[k..k + 2].copy_from_slice(&sub.new_gid[g as usize].to_be_bytes());
                    }
                    let data = deflate(&gids);
                    pdf.stream(map, &data).filter(Filter::FlateDecode);
                } else {
                    cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
                }
                // /W with runs of consecutive codes
                let mut widths = cid_font.widths();
                let mut run: Option<(u16, Vec<f32>)> = None;
                for &(code, g, _) in &used {
                    let adv = f.advance_1000(g).round();
                    match &mut run {
                        Some((start, ws)) if *start + ws.len() as u16 == code => ws.push(adv),
                        _ => {
                            if let Some((start, ws)) = run.take() {
                                widths.consecutive(start, ws);
                            }
                            run = Some((code, vec![adv]));
                        }
                    }
                }
                if let Some((start, ws)) = run {
                    widths.consecutive(start, ws);
                }
            }
            let mut type0_font = small.type0_font(type0);
            type0_font.base_font(Name(name.as_bytes()));
            match ids.shared {
                Some((encoding, unicode)) => {
                    type0_font.encoding_cmap(encoding);
                    type0_font.descendant_font(cid).to_unicode(unicode);
                }
                None => {
                    type0_font.encoding_predefined(Name(b"Identity-H"));
                    type0_font.descendant_font(cid).to_unicode(map);
                }
            }
            type0_font.finish();
            if ids.shared.is_none() {
                let pairs: Vec<(u16, char)> = used.iter().map(|&(code, _, c)| (code, c)).collect();
                let cmap = deflate(&to_unicode(&pairs, false));
                pdf.cmap(map, &cmap).filter(Filter::FlateDecode);
            }
        }
        if let (Some((encoding, unicode)), Some(chars)) = (ids.shared, &self.shared) {
            let data = deflate(ONE_BYTE_CMAP);
            {
                let mut cmap = pdf.cmap(encoding, &data);
                cmap.name(Name(ONE_BYTE_CMAP_NAME))
                    .system_info(IDENTITY)
                    .writing_mode(pdf_writer::writers::WMode::Horizontal);
                cmap.filter(Filter::FlateDecode);
            }
            let pairs: Vec<(u16, char)> = chars
                .iter()
                .enumerate()
                .map(|(k, c)| (k as u16 + 1, *c))
                .collect();
            let cmap = deflate(&to_unicode(&pairs, true));
            pdf.cmap(unicode, &cmap).filter(Filter::FlateDecode);
        }
        Ok(())
    }
}

/// A deterministic 128-bit fingerprint (two FNV-1a 64 lanes).
pub(crate) fn fingerprint(data: &[u8]) -> [u8; 16] {
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
