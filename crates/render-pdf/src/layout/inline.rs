//! Inline content to pieces: words, spaces, break opportunities and badges, each
//! with its style and measured width.

use super::*;

impl Engine<'_> {
    pub(super) fn pieces(&mut self, inl: &[Inline], style: Style) -> Vec<Piece> {
        let mut out = Vec::new();
        self.collect(inl, style, &mut out);
        out
    }

    pub(super) fn collect(&mut self, inl: &[Inline], style: Style, out: &mut Vec<Piece>) {
        for i in inl {
            match i {
                Inline::Text(t) => push_text(t, style, out, false),
                Inline::Bold(c) => {
                    let s = Style {
                        face: style.face.bold(),
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Italic(c) => {
                    let s = Style {
                        face: style.face.italic(),
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Strike(c) => {
                    let s = Style {
                        strike: true,
                        ..style
                    };
                    self.collect(c, s, out)
                }
                Inline::Code(t) => {
                    let s = Style {
                        face: Face::Mono,
                        size: style.size * 0.9,
                        color: if style.link != 0 {
                            style.color
                        } else {
                            CODE_FG
                        },
                        ..style
                    };
                    push_text(t, s, out, false)
                }
                Inline::Link { target, content } => {
                    self.links.push(target.clone());
                    let s = Style {
                        link: self.links.len() as u32,
                        color: LINK,
                        ..style
                    };
                    self.collect(content, s, out)
                }
                Inline::Badge {
                    text,
                    style: bs,
                    alt,
                } => {
                    let w = badge_width(text, style.size);
                    out.push(Piece {
                        kind: PK::Badge(text.clone(), *bs, alt.clone()),
                        style,
                        w,
                    })
                }
                Inline::LineBreak => out.push(Piece {
                    kind: PK::Newline,
                    style,
                    w: 0.0,
                }),
                Inline::Anchor(a) => out.push(Piece {
                    kind: PK::Anchor(a.clone()),
                    style,
                    w: 0.0,
                }),
            }
        }
    }
}

/// Tokenize text into word, space and break-opportunity pieces.
pub(super) fn push_text(t: &str, style: Style, out: &mut Vec<Piece>, _pre: bool) {
    let f = match style.face.get() {
        Ok(f) => f,
        Err(_) => return,
    };
    let mut word = String::new();
    let mut word_chars = 0usize;
    let mut units: u64 = 0;
    let scale = style.size / f.upem;
    let flush = |word: &mut String, units: &mut u64, out: &mut Vec<Piece>| {
        if !word.is_empty() {
            out.push(Piece {
                kind: PK::Text(std::mem::take(word)),
                style,
                w: *units as f32 * scale,
            });
            *units = 0;
        }
    };
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{3000}' => {
                flush(&mut word, &mut units, out);
                if !matches!(out.last().map(|p| &p.kind), Some(PK::Space)) {
                    out.push(Piece {
                        kind: PK::Space,
                        style,
                        w: f.char_width(' ', style.size),
                    });
                }
            }
            '\u{AD}' => {
                flush(&mut word, &mut units, out);
                out.push(Piece {
                    kind: PK::SoftHyphen,
                    style,
                    w: 0.0,
                });
            }
            '\u{200B}' => {
                flush(&mut word, &mut units, out);
                out.push(Piece {
                    kind: PK::BreakAfter,
                    style,
                    w: 0.0,
                });
            }
            c if c.is_control() || ('\u{FE00}'..='\u{FE0F}').contains(&c) => {}
            c => {
                if word.is_empty() {
                    word_chars = 0;
                }
                word.push(c);
                word_chars += 1;
                units += u64::from(f.advance(f.glyph(c)));
                let breakable = matches!(c, '-' | '/' | '–' | '—')
                    && word_chars > 2
                    && chars.peek().is_some_and(|n| n.is_alphanumeric());
                if breakable {
                    flush(&mut word, &mut units, out);
                    out.push(Piece {
                        kind: PK::BreakAfter,
                        style,
                        w: 0.0,
                    });
                }
            }
        }
    }
    flush(&mut word, &mut units, out);
}

/// Split `t` into parts for consecutive lines: the first fits in `first_avail`, each
/// further one in `width` (every part has at least one character when `force`, or when it
/// is not the first). One pass over `t`: a word of any length costs linear time.
/// An empty first part means that nothing fits on the current line.
pub(super) fn split_text(
    t: &str,
    st: Style,
    first_avail: f32,
    width: f32,
    force: bool,
) -> Vec<String> {
    let Ok(f) = st.face.get() else {
        return vec![t.to_string()];
    };
    let mut parts = Vec::new();
    let mut avail = first_avail;
    let mut w = 0.0;
    let mut start = 0;
    let mut force = force;
    for (i, c) in t.char_indices() {
        let cw = f.char_width(c, st.size);
        if w + cw > avail + EPS && !(force && i == start) {
            if i == start && parts.is_empty() {
                // nothing fits on the current line: the word starts the next one
                return vec![String::new()];
            }
            parts.push(t[start..i].to_string());
            start = i;
            w = 0.0;
            avail = width;
            force = true;
        }
        w += cw;
    }
    parts.push(t[start..].to_string());
    parts
}

/// A text piece with its measured width.
pub(super) fn text_piece(t: String, st: Style) -> Piece {
    let w = st
        .face
        .get()
        .map(|f| f.text_width(&t, st.size))
        .unwrap_or(0.0);
    Piece {
        kind: PK::Text(t),
        style: st,
        w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_breaks_after_hyphen_and_soft_hyphen() {
        let mut out = Vec::new();
        push_text(
            "knogle-marv be\u{ad}hand  ling",
            Style::body(),
            &mut out,
            false,
        );
        let kinds: Vec<String> = out
            .iter()
            .map(|p| match &p.kind {
                PK::Text(t) => t.clone(),
                PK::Space => "_".into(),
                PK::SoftHyphen => "~".into(),
                PK::BreakAfter => "|".into(),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["knogle-", "|", "marv", "_", "be", "~", "hand", "_", "ling"]
        );
    }
}
