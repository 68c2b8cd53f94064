//! Embedded DejaVu fonts: metrics and glyph lookup read with skrifa (once per process,
//! into dense tables, because the line breaker asks for every character's width), and
//! subsets for embedding made with subsetter.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// The font faces the typesetter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Face {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
    Mono = 4,
}

pub(crate) const ALL_FACES: [Face; 5] = [
    Face::Regular,
    Face::Bold,
    Face::Italic,
    Face::BoldItalic,
    Face::Mono,
];

static FONT_DATA: [&[u8]; 5] = [
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../fonts/DejaVuSans-BoldOblique.ttf"),
    include_bytes!("../fonts/DejaVuSansMono.ttf"),
];

static FACES: [OnceLock<Result<FontFace, String>>; 5] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

impl Face {
    /// The parsed face (parsed once per process).
    pub(crate) fn get(self) -> Result<&'static FontFace, String> {
        let i = self as usize;
        FACES[i]
            .get_or_init(|| FontFace::parse(FONT_DATA[i]))
            .as_ref()
            .map_err(|e| format!("{self:?}: {e}"))
    }

    pub(crate) fn bold(self) -> Face {
        match self {
            Face::Regular => Face::Bold,
            Face::Italic => Face::BoldItalic,
            f => f,
        }
    }

    pub(crate) fn italic(self) -> Face {
        match self {
            Face::Regular => Face::Italic,
            Face::Bold => Face::BoldItalic,
            f => f,
        }
    }
}

/// A parsed TrueType face.
pub(crate) struct FontFace {
    data: &'static [u8],
    pub upem: f32,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    pub italic_angle: f32,
    pub ps_name: String,
    pub is_fixed_pitch: bool,
    advances: Vec<u16>,
    /// Dense map for the BMP: 0 = not covered.
    cmap_bmp: Vec<u16>,
    cmap_ext: BTreeMap<u32, u16>,
    /// Glyph used for characters the face does not cover.
    replacement: u16,
}

impl FontFace {
    fn parse(data: &'static [u8]) -> Result<FontFace, String> {
        let font = FontRef::new(data).map_err(|e| e.to_string())?;
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let gm = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let n = m.glyph_count as u32;
        let advances = (0..n)
            .map(|g| gm.advance_width(GlyphId::new(g)).unwrap_or(0.0).round() as u16)
            .collect();
        let mut cmap_bmp = vec![0u16; 0x10000];
        let mut cmap_ext = BTreeMap::new();
        for (c, g) in font.charmap().mappings() {
            let g = g.to_u32();
            if g == 0 || g >= n {
                continue;
            }
            if c < 0x10000 {
                if cmap_bmp[c as usize] == 0 {
                    cmap_bmp[c as usize] = g as u16;
                }
            } else {
                cmap_ext.entry(c).or_insert(g as u16);
            }
        }
        let bbox = m
            .bounds
            .map(|b| [b.x_min, b.y_min, b.x_max, b.y_max])
            .unwrap_or([0.0, m.descent, m.units_per_em as f32, m.ascent]);
        let ps_name: String = font
            .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect()
            })
            .filter(|s: &String| !s.is_empty())
            .unwrap_or_else(|| "DejaVuSans".into());
        let mut f = FontFace {
            data,
            upem: m.units_per_em.max(1) as f32,
            ascent: m.ascent,
            descent: m.descent,
            cap_height: m.cap_height.unwrap_or(m.ascent * 0.78),
            bbox,
            italic_angle: m.italic_angle,
            ps_name,
            is_fixed_pitch: m.is_monospace,
            advances,
            cmap_bmp,
            cmap_ext,
            replacement: 0,
        };
        f.replacement = f.lookup('?').unwrap_or(0);
        Ok(f)
    }

    /// Number of glyphs in the face.
    pub(crate) fn num_glyphs(&self) -> usize {
        self.advances.len()
    }

    /// Glyph id for `c`, if the face covers it.
    pub(crate) fn lookup(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        let g = if cp < 0x10000 {
            self.cmap_bmp[cp as usize]
        } else {
            self.cmap_ext.get(&cp).copied().unwrap_or(0)
        };
        (g != 0).then_some(g)
    }

    /// Whether the face has a glyph for `c`.
    #[cfg(test)]
    pub(crate) fn covers(&self, c: char) -> bool {
        self.lookup(c).is_some()
    }

    /// Glyph id for `c`, or the replacement glyph (`?`) when not covered.
    #[inline]
    pub(crate) fn glyph(&self, c: char) -> u16 {
        self.lookup(c).unwrap_or(self.replacement)
    }

    /// Advance of a glyph in font units.
    #[inline]
    pub(crate) fn advance(&self, gid: u16) -> u16 {
        self.advances.get(gid as usize).copied().unwrap_or(0)
    }

    /// Advance of a glyph in 1/1000 em (PDF `/W` units).
    pub(crate) fn advance_1000(&self, gid: u16) -> f32 {
        self.advance(gid) as f32 * 1000.0 / self.upem
    }

    /// Width of `s` at `size` points.
    pub(crate) fn text_width(&self, s: &str, size: f32) -> f32 {
        let mut units: u32 = 0;
        for c in s.chars() {
            units += self.advance(self.glyph(c)) as u32;
        }
        units as f32 * size / self.upem
    }

    /// Width of one char at `size` points.
    #[inline]
    pub(crate) fn char_width(&self, c: char, size: f32) -> f32 {
        self.advance(self.glyph(c)) as f32 * size / self.upem
    }

    /// A font program with `.notdef` and the `used` glyphs (ascending), renumbered
    /// compactly; the remapper gives each old glyph id its new one.
    pub(crate) fn subset(
        &self,
        used: impl IntoIterator<Item = u16>,
    ) -> Result<(Vec<u8>, subsetter::GlyphRemapper), String> {
        let mut remapper = subsetter::GlyphRemapper::new();
        for g in used {
            remapper.remap(g);
        }
        let program = subsetter::subset(self.data, 0, &remapper).map_err(|e| e.to_string())?;
        Ok((program, remapper))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_parse_and_cover_danish_and_symbols() {
        for face in ALL_FACES {
            let f = face.get().unwrap();
            assert!(f.upem > 0.0);
            for c in ['a', 'æ', 'ø', 'å', 'Æ', 'Ø', 'Å', '?'] {
                assert!(f.covers(c), "{face:?} lacks {c}");
            }
        }
        let r = Face::Regular.get().unwrap();
        for c in ['≥', '≤', '±', 'β', '²', '●', '–', '—', '→', '✓', '•'] {
            assert!(r.covers(c), "regular lacks {c}");
        }
        assert!(r.text_width("Hello", 10.0) > 20.0);
        assert_eq!(r.glyph('\u{E000}'), r.glyph('?'));
        assert_eq!(r.ps_name, "DejaVuSans");
        assert!(Face::Mono.get().unwrap().is_fixed_pitch);
    }

    #[test]
    fn subset_is_small_and_keeps_the_glyphs() {
        let f = Face::Regular.get().unwrap();
        let mut used: Vec<u16> = "Hello æøå ≥".chars().map(|c| f.glyph(c)).collect();
        used.sort_unstable();
        used.dedup();
        let (sub, map) = f.subset(used.iter().copied()).unwrap();
        assert!(sub.len() < 20_000, "{}", sub.len());
        let parsed = FontRef::new(&sub).unwrap();
        let gm = parsed.glyph_metrics(Size::unscaled(), LocationRef::default());
        for g in used {
            let new = map.get(g).unwrap();
            assert_eq!(
                gm.advance_width(GlyphId::new(new as u32)).unwrap().round() as u16,
                f.advance(g)
            );
        }
    }
}
