//! Recommendation text as the comparison sees it: whitespace-normalised
//! statements, lower-case word tokens for similarity, and a word-level
//! difference for readers.

use serde::Serialize;
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
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
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
}
