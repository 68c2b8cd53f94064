//! Embedded DejaVu fonts: just enough TrueType parsing for metrics and glyph lookup,
//! plus a subsetter that keeps glyph ids (so the PDF can use `/CIDToGIDMap /Identity`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

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
    include_bytes!("../../../site-template/fonts/DejaVuSans.ttf"),
    include_bytes!("../../../site-template/fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../../site-template/fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../../../site-template/fonts/DejaVuSans-BoldOblique.ttf"),
    include_bytes!("../../../site-template/fonts/DejaVuSansMono.ttf"),
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
    tables: Vec<([u8; 4], usize, usize)>,
    pub upem: f32,
    pub ascent: i16,
    pub descent: i16,
    pub cap_height: i16,
    pub bbox: [i16; 4],
    pub italic_angle: f32,
    pub ps_name: String,
    pub is_fixed_pitch: bool,
    num_glyphs: u16,
    loca: Vec<u32>,
    advances: Vec<u16>,
    /// Dense map for the BMP: 0 = not covered.
    cmap_bmp: Vec<u16>,
    cmap_ext: BTreeMap<u32, u16>,
    /// Glyph used for characters the face does not cover.
    replacement: u16,
}

fn rd16(d: &[u8], o: usize) -> Result<u16, String> {
    d.get(o..o + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| "truncated font".to_string())
}
fn rd32(d: &[u8], o: usize) -> Result<u32, String> {
    d.get(o..o + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "truncated font".to_string())
}
fn rdi16(d: &[u8], o: usize) -> Result<i16, String> {
    rd16(d, o).map(|v| v as i16)
}

impl FontFace {
    fn parse(data: &'static [u8]) -> Result<FontFace, String> {
        let num_tables = rd16(data, 4)? as usize;
        let mut tables = Vec::with_capacity(num_tables);
        for i in 0..num_tables {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(rec..rec + 4)
                .ok_or("truncated table directory")?
                .try_into()
                .map_err(|_| "bad tag")?;
            let off = rd32(data, rec + 8)? as usize;
            let len = rd32(data, rec + 12)? as usize;
            if off + len > data.len() {
                return Err(format!(
                    "table {} out of bounds",
                    String::from_utf8_lossy(&tag)
                ));
            }
            tables.push((tag, off, len));
        }
        let mut f = FontFace {
            data,
            tables,
            upem: 2048.0,
            ascent: 0,
            descent: 0,
            cap_height: 0,
            bbox: [0; 4],
            italic_angle: 0.0,
            ps_name: String::new(),
            is_fixed_pitch: false,
            num_glyphs: 0,
            loca: Vec::new(),
            advances: Vec::new(),
            cmap_bmp: vec![0; 0x10000],
            cmap_ext: BTreeMap::new(),
            replacement: 0,
        };
        let head = f.table(b"head").ok_or("no head")?;
        f.upem = rd16(head, 18)? as f32;
        f.bbox = [
            rdi16(head, 36)?,
            rdi16(head, 38)?,
            rdi16(head, 40)?,
            rdi16(head, 42)?,
        ];
        let loca_long = rdi16(head, 50)? == 1;
        let maxp = f.table(b"maxp").ok_or("no maxp")?;
        f.num_glyphs = rd16(maxp, 4)?;
        let hhea = f.table(b"hhea").ok_or("no hhea")?;
        f.ascent = rdi16(hhea, 4)?;
        f.descent = rdi16(hhea, 6)?;
        let num_hmetrics = rd16(hhea, 34)? as usize;
        let hmtx = f.table(b"hmtx").ok_or("no hmtx")?;
        let n = f.num_glyphs as usize;
        let mut advances = Vec::with_capacity(n);
        let mut last = 0;
        for g in 0..n {
            if g < num_hmetrics {
                last = rd16(hmtx, 4 * g)?;
            }
            advances.push(last);
        }
        f.advances = advances;
        let loca = f.table(b"loca").ok_or("no loca")?;
        f.loca = (0..=n)
            .map(|g| {
                if loca_long {
                    rd32(loca, 4 * g)
                } else {
                    rd16(loca, 2 * g).map(|v| v as u32 * 2)
                }
            })
            .collect::<Result<_, _>>()?;
        if let Some(os2) = f.table(b"OS/2") {
            if rd16(os2, 0)? >= 2 {
                f.cap_height = rdi16(os2, 88)?;
            }
        }
        if f.cap_height == 0 {
            f.cap_height = (f.ascent as f32 * 0.78) as i16;
        }
        if let Some(post) = f.table(b"post") {
            let fixed = rd32(post, 4)? as i32;
            f.italic_angle = fixed as f32 / 65536.0;
            f.is_fixed_pitch = rd32(post, 12)? != 0;
        }
        f.ps_name = f.read_ps_name().unwrap_or_else(|| "DejaVuSans".into());
        f.read_cmap()?;
        f.replacement = f.lookup('?').unwrap_or(0);
        Ok(f)
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&'static [u8]> {
        let data = self.data;
        self.tables
            .iter()
            .find(|t| &t.0 == tag)
            .map(|&(_, o, l)| &data[o..o + l])
    }

    fn read_ps_name(&self) -> Option<String> {
        let name = self.table(b"name")?;
        let count = rd16(name, 2).ok()? as usize;
        let str_off = rd16(name, 4).ok()? as usize;
        for i in 0..count {
            let r = 6 + 12 * i;
            let platform = rd16(name, r).ok()?;
            let name_id = rd16(name, r + 6).ok()?;
            let len = rd16(name, r + 8).ok()? as usize;
            let off = rd16(name, r + 10).ok()? as usize;
            if name_id != 6 {
                continue;
            }
            let bytes = name.get(str_off + off..str_off + off + len)?;
            let s: String = if platform == 1 {
                bytes.iter().map(|&b| b as char).collect()
            } else {
                let u: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&u)
            };
            let s: String = s
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !s.is_empty() {
                return Some(s);
            }
        }
        None
    }

    fn read_cmap(&mut self) -> Result<(), String> {
        let cmap = self.table(b"cmap").ok_or("no cmap")?;
        let n = rd16(cmap, 2)? as usize;
        let mut fmt4 = None;
        let mut fmt12 = None;
        for i in 0..n {
            let r = 4 + 8 * i;
            let platform = rd16(cmap, r)?;
            let encoding = rd16(cmap, r + 2)?;
            let off = rd32(cmap, r + 4)? as usize;
            let format = rd16(cmap, off)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if !unicode {
                continue;
            }
            match format {
                4 => fmt4 = fmt4.or(Some(off)),
                12 => fmt12 = fmt12.or(Some(off)),
                _ => {}
            }
        }
        if let Some(off) = fmt4 {
            let seg_x2 = rd16(cmap, off + 6)? as usize;
            let ends = off + 14;
            let starts = ends + seg_x2 + 2;
            let deltas = starts + seg_x2;
            let ranges = deltas + seg_x2;
            for s in 0..seg_x2 / 2 {
                let end = rd16(cmap, ends + 2 * s)? as u32;
                let start = rd16(cmap, starts + 2 * s)? as u32;
                let delta = rd16(cmap, deltas + 2 * s)?;
                let range_off = rd16(cmap, ranges + 2 * s)? as usize;
                if start > end {
                    continue;
                }
                for c in start..=end.min(0xFFFF) {
                    let g = if range_off == 0 {
                        (c as u16).wrapping_add(delta)
                    } else {
                        let addr = ranges + 2 * s + range_off + 2 * (c - start) as usize;
                        let g = rd16(cmap, addr).unwrap_or(0);
                        if g == 0 {
                            0
                        } else {
                            g.wrapping_add(delta)
                        }
                    };
                    if c != 0xFFFF && g < self.num_glyphs {
                        self.cmap_bmp[c as usize] = g;
                    }
                }
            }
        }
        if let Some(off) = fmt12 {
            let groups = rd32(cmap, off + 12)? as usize;
            for i in 0..groups {
                let r = off + 16 + 12 * i;
                let start = rd32(cmap, r)?;
                let end = rd32(cmap, r + 4)?;
                let g0 = rd32(cmap, r + 8)?;
                for c in start..=end.min(0x10FFFF) {
                    let g = g0 + (c - start);
                    if g >= self.num_glyphs as u32 {
                        break;
                    }
                    if c < 0x10000 {
                        if self.cmap_bmp[c as usize] == 0 {
                            self.cmap_bmp[c as usize] = g as u16;
                        }
                    } else {
                        self.cmap_ext.insert(c, g as u16);
                    }
                }
            }
        }
        Ok(())
    }

    /// Number of glyphs in the face.
    pub(crate) fn num_glyphs(&self) -> usize {
        self.num_glyphs as usize
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

    fn glyph_data(&self, gid: u16) -> &'static [u8] {
        let glyf = self.table(b"glyf").unwrap_or(&[]);
        let g = gid as usize;
        if g + 1 >= self.loca.len() {
            return &[];
        }
        let (a, b) = (self.loca[g] as usize, self.loca[g + 1] as usize);
        if a >= b || b > glyf.len() {
            return &[];
        }
        &glyf[a..b]
    }

    /// Components referenced by a composite glyph.
    fn components(&self, gid: u16) -> Vec<u16> {
        let d = self.glyph_data(gid);
        let mut out = Vec::new();
        if d.len() < 10 || rdi16(d, 0).unwrap_or(0) >= 0 {
            return out;
        }
        let mut p = 10;
        while let (Ok(flags), Ok(g)) = (rd16(d, p), rd16(d, p + 2)) {
            out.push(g);
            p += 4;
            p += if flags & 0x0001 != 0 { 4 } else { 2 };
            if flags & 0x0008 != 0 {
                p += 2;
            } else if flags & 0x0040 != 0 {
                p += 4;
            } else if flags & 0x0080 != 0 {
                p += 8;
            }
            if flags & 0x0020 == 0 {
                break;
            }
        }
        out
    }

    /// Plan a subset: `.notdef`, the `used` glyphs in ascending order, then composite
    /// components. Glyphs are renumbered compactly.
    pub(crate) fn plan_subset(&self, used: impl IntoIterator<Item = u16>) -> SubsetPlan {
        let n = self.num_glyphs as usize;
        let mut map = vec![u16::MAX; n];
        let mut glyphs = vec![0u16];
        map[0] = 0;
        let mut sorted: Vec<u16> = used.into_iter().filter(|g| (*g as usize) < n).collect();
        sorted.sort_unstable();
        sorted.dedup();
        for g in sorted {
            if map[g as usize] == u16::MAX {
                map[g as usize] = glyphs.len() as u16;
                glyphs.push(g);
            }
        }
        // components of composites (and of their components)
        let mut k = 0;
        while k < glyphs.len() {
            for c in self.components(glyphs[k]) {
                if (c as usize) < n && map[c as usize] == u16::MAX {
                    map[c as usize] = glyphs.len() as u16;
                    glyphs.push(c);
                }
            }
            k += 1;
        }
        SubsetPlan { map, glyphs }
    }

    /// A TrueType font with only the glyphs of `plan`, renumbered (new id = position in
    /// `plan.glyphs`). Hinting instructions are dropped (PDF viewers do not need them).
    pub(crate) fn subset(&self, plan: &SubsetPlan) -> Vec<u8> {
        let n = plan.glyphs.len();
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((n + 1) * 4);
        for &old in &plan.glyphs {
            loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
            copy_glyph(self.glyph_data(old), &plan.map, &mut glyf);
            while glyf.len() % 4 != 0 {
                glyf.push(0);
            }
        }
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());

        let mut head = self.table(b"head").unwrap_or(&[]).to_vec();
        if head.len() >= 54 {
            head[8..12].copy_from_slice(&[0, 0, 0, 0]);
            head[50..52].copy_from_slice(&1i16.to_be_bytes());
        }
        let mut hhea = self.table(b"hhea").unwrap_or(&[]).to_vec();
        let src_hmtx = self.table(b"hmtx").unwrap_or(&[]);
        let num_hmetrics = rd16(&hhea, 34).unwrap_or(0) as usize;
        let mut hmtx = Vec::with_capacity(n * 4);
        for &old in &plan.glyphs {
            let g = old as usize;
            let lsb = if g < num_hmetrics {
                rd16(src_hmtx, 4 * g + 2)
            } else {
                rd16(src_hmtx, 4 * num_hmetrics + 2 * (g - num_hmetrics))
            }
            .unwrap_or(0);
            hmtx.extend_from_slice(&self.advance(old).to_be_bytes());
            hmtx.extend_from_slice(&lsb.to_be_bytes());
        }
        if hhea.len() >= 36 {
            hhea[34..36].copy_from_slice(&(n as u16).to_be_bytes());
        }
        let mut maxp = self.table(b"maxp").unwrap_or(&[]).to_vec();
        if maxp.len() >= 6 {
            maxp[4..6].copy_from_slice(&(n as u16).to_be_bytes());
        }
        if maxp.len() >= 32 {
            // no instructions are left
            maxp[26..28].fill(0);
        }
        let tables: Vec<(&[u8; 4], Vec<u8>)> = vec![
            (b"glyf", glyf),
            (b"head", head),
            (b"hhea", hhea),
            (b"hmtx", hmtx),
            (b"loca", loca),
            (b"maxp", maxp),
        ];
        build_sfnt(tables)
    }
}

/// Glyph renumbering of a subset.
pub(crate) struct SubsetPlan {
    /// old glyph id → new glyph id (`u16::MAX` = not in the subset)
    pub map: Vec<u16>,
    /// new glyph id → old glyph id
    pub glyphs: Vec<u16>,
}

impl SubsetPlan {
    /// New id of an old glyph id (`.notdef` if it is not in the subset).
    #[inline]
    pub(crate) fn new_id(&self, old: u16) -> u16 {
        match self.map.get(old as usize) {
            Some(&g) if g != u16::MAX => g,
            _ => 0,
        }
    }
}

/// Copy a glyph, dropping hinting instructions and renumbering composite components.
fn copy_glyph(d: &[u8], map: &[u16], out: &mut Vec<u8>) {
    if d.len() < 12 {
        out.extend_from_slice(d);
        return;
    }
    let contours = rdi16(d, 0).unwrap_or(0);
    if contours < 0 {
        let start = out.len();
        let mut p = 10;
        let mut records = Vec::new();
        loop {
            let Ok(flags) = rd16(d, p) else {
                out.extend_from_slice(d);
                return;
            };
            records.push(p);
            p += 4;
            p += if flags & 0x0001 != 0 { 4 } else { 2 };
            if flags & 0x0008 != 0 {
                p += 2;
            } else if flags & 0x0040 != 0 {
                p += 4;
            } else if flags & 0x0080 != 0 {
                p += 8;
            }
            if flags & 0x0020 == 0 {
                break;
            }
        }
        if p > d.len() {
            out.extend_from_slice(d);
            return;
        }
        out.extend_from_slice(&d[..p]);
        for r in records {
            let pos = start + r;
            let flags = u16::from_be_bytes([out[pos], out[pos + 1]]) & !0x0100;
            out[pos..pos + 2].copy_from_slice(&flags.to_be_bytes());
            let old = u16::from_be_bytes([out[pos + 2], out[pos + 3]]);
            let new = match map.get(old as usize) {
                Some(&g) if g != u16::MAX => g,
                _ => 0,
            };
            out[pos + 2..pos + 4].copy_from_slice(&new.to_be_bytes());
        }
        return;
    }
    let nc = contours as usize;
    let ilen_pos = 10 + 2 * nc;
    let Ok(ilen) = rd16(d, ilen_pos) else {
        out.extend_from_slice(d);
        return;
    };
    let rest = ilen_pos + 2 + ilen as usize;
    if rest > d.len() {
        out.extend_from_slice(d);
        return;
    }
    out.extend_from_slice(&d[..ilen_pos]);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&d[rest..]);
}

fn checksum(d: &[u8]) -> u32 {
    let mut sum: u32 = 0;
    for c in d.chunks(4) {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum = sum.wrapping_add(u32::from_be_bytes(b));
    }
    sum
}

fn build_sfnt(mut tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by(|a, b| a.0.cmp(b.0));
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += (data.len() + 3) & !3;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
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
    }

    #[test]
    fn subset_is_small_and_well_formed() {
        let f = Face::Regular.get().unwrap();
        let plan = f.plan_subset("Hello æøå ≥".chars().map(|c| f.glyph(c)));
        assert!(plan.glyphs.len() >= 10 && plan.glyphs[0] == 0);
        let sub = f.subset(&plan);
        assert!(sub.len() < 20_000, "{}", sub.len());
        // Re-parse with our own parser (tables present, loca consistent).
        let leaked: &'static [u8] = Box::leak(sub.into_boxed_slice());
        let num_tables = rd16(leaked, 4).unwrap();
        assert_eq!(num_tables, 6);
    }
}
