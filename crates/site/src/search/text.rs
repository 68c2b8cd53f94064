//! A listed guideline's searchable text, stored once, in fragments of a few
//! KB beside its pages (`<dmcg>/<slug>/search/<k>.js`), so the search page can
//! show for each hit an excerpt of the text where the query's words occur,
//! loading only the fragments of the hits it shows (issue 14).
//!
//! Fragment 0 holds the recommendations and the keywords; fragments 1 and
//! onward the evidence (chapter 4: each block's lead, its parts' titles and
//! paragraphs) and the references, in document order, in pieces that are never
//! cut. The text is what a reader sees (the content tree's plain text, runs of
//! white space as one space), so every word the index finds in a fragment is
//! there to show. The fragments are written with the guideline's pages and
//! reused with them, so they are also the search index's cache: an unchanged
//! guideline's terms are read back from its fragments, never from its JSON.

use super::{each_term, Terms, IN_EVIDENCE, IN_HEAD, IN_RECOMMENDATION, IN_REFERENCE};
use serde_json::{json, Value};
use std::path::Path;
use vejviser_model::content::{Block, Inline};
use vejviser_model::Guideline;

/// The folder of a guideline's fragments, under its own folder.
pub const TEXT_DIR: &str = "search";
/// The size a fragment of evidence and references aims at, in bytes.
pub const FRAGMENT: usize = 4 * 1024;
/// Fragment numbers take 6 bits of a full-text posting: at most 64 fragments
/// (0 and 63 more), so a very long guideline gets larger fragments.
pub const MAX_FRAGMENTS: usize = 64;

/// One piece of text: where it is (a place bit of the index), its number (a
/// recommendation's or a reference's), and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub place: u32,
    pub number: Option<u32>,
    pub text: String,
}

impl Piece {
    fn new(place: u32, number: Option<u32>, text: &str) -> Option<Piece> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(Piece {
            place,
            number,
            text,
        })
    }

    fn to_json(&self) -> Value {
        match self.number {
            Some(n) => json!([self.place, n, self.text]),
            None => json!([self.place, self.text]),
        }
    }

    fn from_json(v: &Value) -> Option<Piece> {
        let a = v.as_array()?;
        let place = u32::try_from(a.first()?.as_u64()?).ok()?;
        let (number, text) = match a.len() {
            2 => (None, a[1].as_str()?),
            3 => (Some(u32::try_from(a[1].as_u64()?).ok()?), a[2].as_str()?),
            _ => return None,
        };
        Some(Piece {
            place,
            number,
            text: text.to_string(),
        })
    }
}

/// A guideline's fragments: 0 the recommendations and keywords, then the
/// evidence and references packed into fragments of about [`FRAGMENT`] bytes.
pub fn fragments(g: &Guideline) -> Vec<Vec<Piece>> {
    // The recommendations before the keywords: an excerpt is taken from the
    // first piece with the query's words, and a recommendation says more.
    let mut head: Vec<Piece> = Vec::new();
    // As the quick guide shows it: each grade once, after the sentence it
    // grades, marker and cost flag as written (the index's terms are its statements'
    // words, which this text holds).
    head.extend(
        g.recommendations
            .iter()
            .filter_map(|r| Piece::new(IN_RECOMMENDATION, Some(r.number), &r.plain_text())),
    );
    head.extend(
        g.front
            .keywords
            .iter()
            .filter_map(|k| Piece::new(IN_HEAD, None, k)),
    );
    let mut body: Vec<Piece> = Vec::new();
    let blocks = |body: &mut Vec<Piece>, blocks: &[Block]| {
        for b in blocks {
            body.extend(Piece::new(
                IN_EVIDENCE,
                None,
                &Block::plain_text(std::slice::from_ref(b)),
            ));
        }
    };
    for e in &g.evidence {
        blocks(&mut body, &e.lead_content);
        for p in &e.parts {
            body.extend(Piece::new(IN_EVIDENCE, None, &p.title));
            blocks(&mut body, &p.content);
        }
    }
    body.extend(g.references.iter().filter_map(|r| {
        Piece::new(
            IN_REFERENCE,
            Some(r.number),
            &Inline::plain_text(&r.content),
        )
    }));
    let mut out = vec![head];
    out.extend(pack(body));
    out
}

/// Packs pieces in order into fragments of about [`FRAGMENT`] bytes (more for
/// a very long text, so there are at most [`MAX_FRAGMENTS`] - 1); a piece is
/// never cut.
fn pack(pieces: Vec<Piece>) -> Vec<Vec<Piece>> {
    let total: usize = pieces.iter().map(|p| p.text.len()).sum();
    let target = FRAGMENT.max(total.div_ceil(MAX_FRAGMENTS - 1));
    let mut out: Vec<Vec<Piece>> = Vec::new();
    let mut size = 0;
    for p in pieces {
        let len = p.text.len();
        let last = out.len() == MAX_FRAGMENTS - 1;
        match out.last_mut() {
            Some(f) if size + len <= target || last => f.push(p),
            _ => {
                out.push(vec![p]);
                size = 0;
            }
        }
        size += len;
    }
    out
}

/// The file of fragment `k` of the guideline at `url` (`dmsg/myelomatose-hdt/`):
/// `VEJVISER_SEARCH.text("<url>",k,[[place,(number,)text],...]);`.
pub fn script(url: &str, k: usize, pieces: &[Piece]) -> Vec<u8> {
    let list: Vec<Value> = pieces.iter().map(Piece::to_json).collect();
    format!(
        "VEJVISER_SEARCH.text({},{k},{});\n",
        serde_json::to_string(url).expect("a URL serialises"),
        Value::Array(list)
    )
    .into_bytes()
}

/// The path of fragment `k` under the guideline's folder.
pub fn file_name(k: usize) -> String {
    format!("{TEXT_DIR}/{k}.js")
}

/// How many fragments a guideline folder's files hold.
pub fn count(files: &[String]) -> usize {
    let prefix = format!("{TEXT_DIR}/");
    files
        .iter()
        .filter(|f| {
            f.strip_prefix(&prefix)
                .and_then(|n| n.strip_suffix(".js"))
                .is_some_and(|n| n.parse::<usize>().is_ok())
        })
        .count()
}

/// Reads the fragments of the guideline at `url` from the site at `root`.
/// `None` when one is missing or not as this module writes it.
pub fn read(root: &Path, url: &str, n: usize) -> Option<Vec<Vec<Piece>>> {
    (0..n)
        .map(|k| {
            let bytes = std::fs::read(root.join(url).join(file_name(k))).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?;
            let head = format!(
                "VEJVISER_SEARCH.text({},{k},",
                serde_json::to_string(url).ok()?
            );
            let json = text.strip_prefix(&head)?.strip_suffix(");\n")?;
            let list: Value = serde_json::from_str(json).ok()?;
            list.as_array()?.iter().map(Piece::from_json).collect()
        })
        .collect()
}

/// The full-text terms of a guideline (its evidence and references, fragment
/// 1 onward), each once: the fragment of its first occurrence in bits 2–7 and
/// where it occurs in bits 0 (evidence) and 1 (a reference).
pub fn full_terms(fragments: &[Vec<Piece>]) -> Terms {
    let mut out = Terms::default();
    for (k, f) in fragments.iter().enumerate().skip(1) {
        for p in f {
            let er = match p.place {
                IN_EVIDENCE => 1,
                IN_REFERENCE => 2,
                _ => continue,
            };
            // Most words are met again: a term is copied only the first time.
            each_term(&p.text, |t| match out.get_mut(t) {
                Some(b) => *b |= er,
                None => {
                    out.insert(t.to_string(), (k as u32) << 2 | er);
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(place: u32, len: usize) -> Piece {
        Piece {
            place,
            number: None,
            text: "x".repeat(len),
        }
    }

    #[test]
    fn pieces_are_packed_whole_into_at_most_64_fragments() {
        let f = pack((0..10).map(|_| piece(IN_EVIDENCE, 1500)).collect());
        assert_eq!(f.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2, 2, 2]);
        // 1 MB of text: fragments grow so there are at most 63 after fragment 0.
        let f = pack((0..1000).map(|_| piece(IN_EVIDENCE, 1000)).collect());
        assert!(f.len() < MAX_FRAGMENTS, "{}", f.len());
        assert_eq!(f.iter().map(Vec::len).sum::<usize>(), 1000);
        assert!(pack(Vec::new()).is_empty());
    }

    #[test]
    fn a_fragment_reads_back_as_written() {
        let pieces = vec![
            Piece::new(IN_RECOMMENDATION, Some(3), "Giv  \n\"x\" </script> æ").unwrap(),
            Piece::new(IN_EVIDENCE, None, "Tekst").unwrap(),
        ];
        assert_eq!(pieces[0].text, "Giv \"x\" </script> æ");
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dmsg/x/search");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("0.js"), script("dmsg/x/", 0, &pieces)).unwrap();
        assert_eq!(read(tmp.path(), "dmsg/x/", 1), Some(vec![pieces]));
        assert_eq!(
            read(tmp.path(), "dmsg/x/", 2),
            None,
            "fragment 1 is missing"
        );
    }

    #[test]
    fn full_terms_keep_the_first_fragment_and_every_place() {
        let p = |place, text: &str| Piece::new(place, Some(1), text).unwrap();
        let f = vec![
            vec![p(IN_RECOMMENDATION, "alfa")],
            vec![p(IN_EVIDENCE, "alfa beta")],
            vec![p(IN_EVIDENCE, "beta"), p(IN_REFERENCE, "beta gamma")],
        ];
        let t = full_terms(&f);
        assert_eq!(t["alfa"], 1 << 2 | 1);
        assert_eq!(t["beta"], 1 << 2 | 3);
        assert_eq!(t["gamma"], 2 << 2 | 2);
        assert_eq!(t.len(), 3);
    }
}
