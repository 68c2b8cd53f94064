//! Recommendation text as the comparison sees it: whitespace-normalised
//! statements, lower-case word tokens for similarity, and a word-level
//! difference for readers.

use serde::Serialize;
use std::hash::Hasher;
use vejviser_model::Recommendation;

/// The recommendation's text without grades and markers, whitespace collapsed:
/// what "the text changed" is decided on.
pub fn text_of(r: &Recommendation) -> String {
    let mut out = String::new();
    for s in &r.statements {
        for w in s.text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// Notes, each whitespace-collapsed.
pub fn notes_of(r: &Recommendation) -> Vec<String> {
    r.notes
        .iter()
        .map(|n| vejviser_model::content::collapse_whitespace(n))
        .collect()
}

/// Lower-case runs of letters and digits, sorted (a multiset for [`dice`]).
/// Markdown punctuation (`*`, `_`, `` ` ``) and sentence punctuation fall away.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    out.sort_unstable();
    out
}

/// Dice similarity of two sorted token multisets: 2·|A∩B| / (|A|+|B|), 1 for two empty sets.
pub fn dice(a: &[String], b: &[String]) -> f64 {
    dice_of_sorted(a, b, |x, y| x.cmp(y))
}

/// Dice similarity of two multisets sorted by `order`: the one merge both
/// [`dice`] and [`Words::dice`] count with.
fn dice_of_sorted<T>(a: &[T], b: &[T], order: impl Fn(&T, &T) -> std::cmp::Ordering) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match order(&a[i], &b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The [`tokens`] of some texts as one multiset, without a string per word:
/// the words lower-cased into one string, each with a hash, sorted by hash and
/// then by text, so equal words sort together and mostly compare as numbers.
#[derive(Debug, Default)]
pub struct Words {
    /// The words lower-cased, one after the other.
    text: Vec<u8>,
    /// (hash, start, end) of each word in `text`.
    words: Vec<(u64, u32, u32)>,
    /// Bit [`Words::bit`] of each word's hash set: two texts can have no more
    /// words in common than one has words whose bit the other has.
    signature: u128,
}

impl Words {
    /// The words of all `texts`: the same multiset as [`tokens`] of the texts
    /// joined by spaces.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Words {
        let mut w = Words::default();
        for s in texts {
            w.add(s);
        }
        let text = &w.text;
        let at = |&(_, a, b): &(u64, u32, u32)| &text[a as usize..b as usize];
        w.words
            .sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| at(x).cmp(at(y))));
        w.signature = w.words.iter().fold(0, |s, x| s | Words::bit(x.0));
        w
    }

    /// The signature bit of a word with hash `h` (the hash's top bits, its best).
    fn bit(h: u64) -> u128 {
        1 << (h >> 57)
    }

    /// No less than [`Words::dice`]`(other)`, from the signatures alone: most
    /// pairs of recommendations are far below [`crate::matching::MIN_TEXT`].
    pub fn dice_at_most(&self, other: &Words) -> f64 {
        if self.words.is_empty() && other.words.is_empty() {
            return 1.0;
        }
        let shared = self
            .words
            .iter()
            .filter(|x| other.signature & Words::bit(x.0) != 0)
            .count()
            .min(other.words.len());
        // The same division as `dice`, of a count no smaller.
        2.0 * shared as f64 / (self.words.len() + other.words.len()) as f64
    }

    /// Adds the words of `s`, lower-casing each character as it is read.
    fn add(&mut self, s: &str) {
        self.text.reserve(s.len());
        let b = s.as_bytes();
        // Where the current word starts in `s` and in `text`, and whether it
        // has a capital sigma (whose lower case depends on the word around it).
        let (mut start, mut from, mut sigma) = (0, self.text.len(), false);
        let mut i = 0;
        while i < b.len() {
            let (word, len) = match b[i] {
                c if c < 0x80 => {
                    let lower = ASCII_WORD_LOWER[c as usize];
                    if lower != 0 {
                        self.text.push(lower);
                    }
                    (lower != 0, 1)
                }
                c @ (0xc2 | 0xc3) => {
                    let (word, lower) = latin1(c, b[i + 1]);
                    if word {
                        self.text.extend_from_slice(&[c, lower]);
                    }
                    (word, 2)
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or(' ');
                    let word = c.is_alphanumeric();
                    if word {
                        sigma |= c == 'Σ';
                        let text = &mut self.text;
                        lower_char(c, |l| {
                            text.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes())
                        });
                    }
                    (word, c.len_utf8())
                }
            };
            if !word {
                self.end_word(&s[start..i], from, sigma);
                (start, from, sigma) = (i + len, self.text.len(), false);
            }
            i += len;
        }
        self.end_word(&s[start..], from, sigma);
    }

    /// Records the word `text[from..]`, lower-cased from `written`.
    fn end_word(&mut self, written: &str, from: usize, sigma: bool) {
        if from == self.text.len() {
            return;
        }
        if sigma {
            self.text.truncate(from);
            self.text
                .extend_from_slice(written.to_lowercase().as_bytes());
        }
        let mut h = Fx::default();
        h.write(&self.text[from..]);
        self.words.push((h.0, from as u32, self.text.len() as u32));
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// [`dice`] of two multisets of words.
    pub fn dice(&self, other: &Words) -> f64 {
        dice_of_sorted(&self.words, &other.words, |x, y| {
            x.0.cmp(&y.0).then_with(|| {
                self.text[x.1 as usize..x.2 as usize].cmp(&other.text[y.1 as usize..y.2 as usize])
            })
        })
    }
}

/// Appends `s.to_lowercase()` to `out` without a `String` of its own.
pub(crate) fn lowercase_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
    } else if s.contains('Σ') {
        // A capital sigma's lower case depends on where it stands in a word,
        // which only `str::to_lowercase` knows.
        out.push_str(&s.to_lowercase());
    } else {
        // Otherwise `str::to_lowercase` is each character's lower case.
        for c in s.chars() {
            lower_char(c, |l| out.push(l));
        }
    }
}

/// For each ASCII byte: its lower case if it is a letter or digit, else 0.
static ASCII_WORD_LOWER: [u8; 128] = {
    let mut t = [0; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = b.to_ascii_lowercase();
        }
        c += 1;
    }
    t
};

/// For the Latin-1 character U+0080–U+00FF written `lead`, `second` (lead
/// 0xc2 or 0xc3): whether it is alphanumeric, and the second byte of its lower
/// case (the lead stays), by arithmetic instead of Unicode's tables.
#[inline]
pub(crate) fn latin1(lead: u8, second: u8) -> (bool, u8) {
    match (lead, second) {
        // × and ÷
        (0xc3, 0x97 | 0xb7) => (false, second),
        // À–Þ: lower case 0x20 further on.
        (0xc3, 0x80..=0x9e) => (true, second + 0x20),
        (0xc3, _) => (true, second),
        // ª ² ³ µ ¹ º ¼ ½ ¾
        (_, 0xaa | 0xb2 | 0xb3 | 0xb5 | 0xb9 | 0xba | 0xbc..=0xbe) => (true, second),
        _ => (false, second),
    }
}

/// Calls `f` with each character of `c.to_lowercase()` (as `str::to_lowercase`
/// has it for any character but the capital sigma), sparing ASCII and Latin-1
/// (the Danish letters) a search of Unicode's tables.
#[inline]
pub(crate) fn lower_char(c: char, mut f: impl FnMut(char)) {
    match c {
        '\0'..='\x7f' => f(c.to_ascii_lowercase()),
        'À'..='Þ' if c != '×' => f(char::from(c as u8 + 0x20)),
        '\u{80}'..='ÿ' => f(c),
        _ => c.to_lowercase().for_each(f),
    }
}

/// Rust's own compiler's hash (FxHash), to sort words by: words are short, and
/// a collision costs only a comparison of the two words.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// One run of a word-level difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "text")]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
}

impl Piece {
    pub fn text(&self) -> &str {
        match self {
            Piece::Same(t) | Piece::Removed(t) | Piece::Added(t) => t,
        }
    }
}

/// Above this many word pairs the difference is shown as the whole old text
/// removed and the whole new text added (time and memory stay bounded).
const MAX_CELLS: usize = 1 << 22;

/// The word-level difference of two texts (longest common subsequence of
/// whitespace-separated words); runs of the same kind are joined with spaces.
pub fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    // Common prefix and suffix first: most edits touch a few words.
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<(u8, &str)> = Vec::with_capacity(a.len() + b.len());
    ops.extend(a[..pre].iter().map(|w| (0, *w)));
    if (ma.len() + 1) * (mb.len() + 1) > MAX_CELLS {
        ops.extend(ma.iter().map(|w| (1, *w)));
        ops.extend(mb.iter().map(|w| (2, *w)));
    } else {
        let (n, m) = (ma.len(), mb.len());
        // lcs[i][j]: LCS length of ma[i..] and mb[j..].
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if ma[i] == mb[j] {
                    lcs[at(i + 1, j + 1)] + 1
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push((0, ma[i]));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
                ops.push((2, mb[j]));
                j += 1;
            } else {
                ops.push((1, ma[i]));
                i += 1;
            }
        }
    }
    ops.extend(a[a.len() - suf..].iter().map(|w| (0, *w)));
    // Removed words before added ones within a changed stretch reads best.
    let mut out: Vec<Piece> = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        if ops[k].0 == 0 {
            let start = k;
            while k < ops.len() && ops[k].0 == 0 {
                k += 1;
            }
            out.push(Piece::Same(join(&ops[start..k])));
        } else {
            let start = k;
            while k < ops.len() && ops[k].0 != 0 {
                k += 1;
            }
            let stretch = &ops[start..k];
            let removed: Vec<(u8, &str)> = stretch.iter().filter(|o| o.0 == 1).copied().collect();
            let added: Vec<(u8, &str)> = stretch.iter().filter(|o| o.0 == 2).copied().collect();
            if !removed.is_empty() {
                out.push(Piece::Removed(join(&removed)));
            }
            if !added.is_empty() {
                out.push(Piece::Added(join(&added)));
            }
        }
    }
    out
}

fn join(ops: &[(u8, &str)]) -> String {
    ops.iter().map(|o| o.1).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_only_the_changed_words() {
        let d = word_diff(
            "Plerixafor kan anvendes ved utilstrækkelig mobilisering",
            "Plerixafor bør forbeholdes patienter med utilstrækkelig mobilisering",
        );
        assert_eq!(
            d,
            vec![
                Piece::Same("Plerixafor".into()),
                Piece::Removed("kan anvendes ved".into()),
                Piece::Added("bør forbeholdes patienter med".into()),
                Piece::Same("utilstrækkelig mobilisering".into()),
            ]
        );
        assert_eq!(word_diff("a b", "a b"), vec![Piece::Same("a b".into())]);
        assert_eq!(word_diff("", "x"), vec![Piece::Added("x".into())]);
    }

    #[test]
    fn dice_is_a_similarity() {
        let a = tokens("Giv melphalan 200 mg/m² (A).");
        assert_eq!(dice(&a, &a), 1.0);
        assert_eq!(dice(&a, &tokens("noget helt andet")), 0.0);
        assert!(dice(&a, &tokens("Giv melphalan 140 mg/m²")) > 0.7);
    }

    #[test]
    fn words_are_the_lower_case_tokens() {
        let texts = [
            "Giv melphalan 200 mg/m² (A). GIV Melphalan!",
            "ÆBLER og æbler, ØL og øl; Straße STRASSE",
            "ΟΔΟΣ ΟΔΟΣ. Σ σ ς İstanbul ΣΑΣ aΣ",
            "Æbler × ÷ Þór ĀĒ ǅ ꭰ ²³ ½ ٣",
            "",
            "giv giv giv æbler",
        ];
        for x in texts {
            for y in texts {
                let (wx, wy) = (Words::of([x]), Words::of([y]));
                assert_eq!(wx.dice(&wy), dice(&tokens(x), &tokens(y)), "{x:?} {y:?}");
                assert!(wx.dice_at_most(&wy) >= wx.dice(&wy), "{x:?} {y:?}");
                let mut got: Vec<&str> = wx
                    .words
                    .iter()
                    .map(|w| std::str::from_utf8(&wx.text[w.1 as usize..w.2 as usize]).unwrap())
                    .collect();
                got.sort_unstable();
                assert_eq!(got, tokens(x), "{x:?}");
            }
        }
        let both = Words::of(texts[..2].iter().copied());
        assert_eq!(both.words.len(), tokens(&texts[..2].join(" ")).len());
        for s in ["ΟΔΟΣ", "Åbo Σ", "x", "ÆØÅ×÷ÞßÿÀ µ İ"] {
            let mut out = String::from("-");
            lowercase_into(s, &mut out);
            assert_eq!(out, format!("-{}", s.to_lowercase()));
        }
        for c in ('\0'..='\u{2000}').chain(['Σ', 'Ω', 'Ａ']) {
            let s = format!("x{c}y{c}");
            let mut got: Vec<String> = Words::of([s.as_str()])
                .words
                .iter()
                .map(|w| {
                    String::from_utf8(
                        Words::of([s.as_str()]).text[w.1 as usize..w.2 as usize].to_vec(),
                    )
                    .unwrap()
                })
                .collect();
            got.sort_unstable();
            assert_eq!(got, tokens(&s), "{c:?}");
            let (mut out, s) = (String::new(), c.to_string());
            lowercase_into(&s, &mut out);
            assert_eq!(out, s.to_lowercase(), "{c:?}");
        }
    }
}
