//! The static search index, split into shards that the search page loads on
//! demand, so a phone downloads only what one query needs (issue 18).
//!
//! Every listed guideline gets a compact id (its place in the overview's
//! order). Its title, keywords, group, recommendation texts, evidence (chapter
//! 4) and references are folded ([`fold`]) and cut into terms ([`terms`]); each
//! term keeps the ids of the guidelines it occurs in and where (title, head
//! fields, recommendations, evidence, references), so the search page can rank
//! the hits and say where each matched.
//! The terms, sorted, are packed into shards of consecutive terms (a 64th of
//! the whole, between [`SHARD_MIN`] and [`SHARD_MAX`] bytes), so the terms a
//! word can match (those it starts) are in one shard or a few neighbours. A
//! small manifest lists each shard's first term, and the guideline table
//! (title, URL, group, version) is cut into chunks of [`TABLE_CHUNK`] rows,
//! loaded only for the hits shown. The evidence's and references' terms are
//! in full-text buckets by a hash of the term; each of their postings names the
//! fragment of the guideline's text ([`text`]) where the term first occurs, so
//! the page can show an excerpt for each hit. Every file is a script
//! (`VEJVISER_SEARCH.shard(…)`), so search also works opened from disk with no
//! server. An incremental build reads an unchanged guideline's terms back from
//! its fragments and rewrites only the buckets an edit changed (`patch`).
//! The format is documented in docs/site.md; `site-template/site/search.js` is
//! its reader and must fold and cut text exactly as this module does.

mod patch;
mod spill;
pub mod text;

use crate::{Row, SiteError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use unicode_normalization::{is_nfd_quick, IsNormalized, UnicodeNormalization};

/// The format name written into the manifest.
pub const FORMAT: &str = "vejviser-search/3";
/// Bounds of a shard's size in bytes (it aims at a sixty-fourth of the whole).
pub const SHARD_MIN: usize = 512;
pub const SHARD_MAX: usize = 16 * 1024;
/// The mean size in bytes a full-text bucket (evidence and references) aims
/// at; their number is the power of two nearest the whole's size over this.
pub const FULL_SHARD: usize = 8 * 1024;
/// Rows of the guideline table per chunk file.
pub const TABLE_CHUNK: usize = 32;
/// Where the index lives, under the site root (beside `search/index.html`).
pub const DIR: &str = "search";

/// Where a term occurs in a guideline (bits of a posting).
const IN_TITLE: u32 = 1;
const IN_HEAD: u32 = 2;
const IN_RECOMMENDATION: u32 = 4;
const IN_EVIDENCE: u32 = 8;
const IN_REFERENCE: u32 = 16;
/// Bits of a prefix-index posting taken by the places above; the rest is the id gap.
const PLACE_BITS: u32 = 5;
/// Bits of a full-text posting below the id gap: the fragment of the term's
/// first occurrence (6 bits) and its places (evidence 1, a reference 2).
const FULL_BITS: u32 = 8;
/// The bits of the fragment number, as the manifest says.
const FRAGMENT_BITS: u32 = 6;

/// Folds text for search: lower case, æ ø å as ae oe aa, and accents removed
/// (canonical decomposition without the combining marks U+0300–U+036F), so
/// `Udløbet`, `udlobet` and `UDLØBET` meet as `udloebet`, and `Sjögren` as `sjogren`.
pub fn fold(s: &str) -> String {
    // `str::to_lowercase` lowers a final `Σ` to `ς`, by context: that text takes
    // the long way, so the result is always exactly the long way's.
    if s.contains('Σ') {
        return fold_by_steps(s);
    }
    // One pass, one copy: lower case character by character is `to_lowercase`
    // for everything but `Σ`, and ASCII (most of the text) needs no table.
    let mut out = String::with_capacity(s.len() + 8);
    let mut decomposes = false;
    let mut rest = s;
    while !rest.is_empty() {
        // A run of ASCII is copied and lowered at once.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        if ascii > 0 {
            let start = out.len();
            out.push_str(&rest[..ascii]);
            out[start..].make_ascii_lowercase();
            rest = &rest[ascii..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        rest = &rest[c.len_utf8()..];
        // The Danish letters, the most common of the rest, without the table.
        let danish = match c {
            'æ' | 'Æ' => "ae",
            'ø' | 'Ø' => "oe",
            'å' | 'Å' => "aa",
            _ => "",
        };
        if !danish.is_empty() {
            out.push_str(danish);
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'æ' => out.push_str("ae"),
                'ø' => out.push_str("oe"),
                'å' => out.push_str("aa"),
                l => {
                    decomposes |= l >= '\u{C0}';
                    out.push(l);
                }
            }
        }
    }
    // Below U+00C0 nothing decomposes: most Danish text (æ ø å done above)
    // skips the decomposition, with the same result. Text already in NFD (a
    // dash or a quotation mark is above U+00C0 too) only loses its accents.
    if !decomposes {
        return out;
    }
    if is_nfd_quick(out.chars()) == IsNormalized::Yes {
        out.retain(|c| !('\u{300}'..='\u{36f}').contains(&c));
        return out;
    }
    without_accents(&out)
}

/// [`fold`] as its definition reads: lower case, then the Danish letters, then
/// the accents.
fn fold_by_steps(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut danish = String::with_capacity(lower.len() + 8);
    for c in lower.chars() {
        match c {
            'æ' => danish.push_str("ae"),
            'ø' => danish.push_str("oe"),
            'å' => danish.push_str("aa"),
            c => danish.push(c),
        }
    }
    if danish.chars().all(|c| c < '\u{C0}') {
        return danish;
    }
    without_accents(&danish)
}

/// Canonical decomposition without the combining marks U+0300–U+036F.
fn without_accents(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// The search terms of a text: folded, cut at every character that is not a
/// letter or digit (Unicode `Alphabetic` or `Numeric`), words of at least two
/// characters.
pub fn terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(s, |t| out.push(t.to_string()));
    out
}

/// [`terms`] handed to `f` one by one, without a copy of each.
pub fn each_term(s: &str, mut f: impl FnMut(&str)) {
    let folded = fold(s);
    let mut rest = folded.as_str();
    while !rest.is_empty() {
        let end = word_end(rest);
        let w = &rest[..end];
        // At least two characters: bytes bound characters from above.
        if w.len() >= 2 && (w.len() > 4 || w.chars().nth(1).is_some()) {
            f(w)
        }
        // Past the word and the character that ended it.
        rest = &rest[end..];
        if let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Where the word at the start of `s` ends: at the first character that is
/// not a letter or digit (Unicode `Alphabetic` or `Numeric`), or the end.
/// ASCII, most of the text, is judged a byte at a time.
fn word_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                return i;
            }
            i += 1;
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            if !c.is_alphanumeric() {
                return i;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// A guideline's full-text terms with where they occur ([`text::full_terms`]);
/// hashed with FxHash, which is several times faster than SipHash on short
/// words (the order of a hash map never reaches a file).
pub type Terms = HashMap<String, u32, rustc_hash::FxBuildHasher>;

/// Postings of one term: (guideline id, bits), ids ascending. The bits are
/// the places in the prefix index, and in the full-text index the fragment
/// and places of [`text::full_terms`].
type Postings = Vec<(u32, u32)>;

/// Adds `place` for guideline `id` to `term`'s postings (guidelines come in
/// id order, so postings stay sorted).
fn post(index: &mut HashMap<String, Postings>, term: String, id: u32, place: u32) {
    let p = index.entry(term).or_default();
    match p.last_mut() {
        Some((last, places)) if *last == id => *places |= place,
        _ => p.push((id, place)),
    }
}

/// A listed guideline as the index takes it: its overview row, how many
/// fragments of text it has in the new site and had in the live one, and
/// whether its pages were made in this build (else its fragments are the
/// live site's, unchanged).
pub(crate) struct Listed<'a> {
    pub row: &'a Row,
    pub fragments: usize,
    pub old_fragments: usize,
    pub rendered: bool,
}

/// The previous build's index, as the site's cache remembers it: which
/// program made it, the guidelines in id order and the size of the full-text
/// index (which sets the number of buckets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    key: String,
    guidelines: Vec<String>,
    full_bytes: u64,
}

/// Where the index is built: the new site, the live one it replaces and
/// what the live one's index was.
pub(crate) struct Sites<'a> {
    pub staging: &'a Path,
    pub live: &'a Path,
    pub previous: Option<&'a State>,
    pub build_id: &'a str,
}

/// The index files: made in this build (path under the site root, bytes),
/// and the live site's files that are unchanged (to be linked), with the
/// state the next build starts from.
pub(crate) struct Index {
    pub files: Vec<(String, Vec<u8>)>,
    /// Files already written to the new site (path under the site root).
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub state: State,
}

/// The head terms of a guideline (title, group, keywords, recommendations),
/// in the order they were written, with where.
fn head_terms(r: &Row) -> Vec<(String, u32)> {
    let mut head = Vec::new();
    let mut add = |text: &str, place: u32| head.extend(terms(text).into_iter().map(|t| (t, place)));
    add(&r.title, IN_TITLE);
    add(&r.group, IN_HEAD);
    add(&r.dmcg, IN_HEAD);
    for k in &r.keywords {
        add(k, IN_HEAD);
    }
    for rec in &r.recommendations {
        add(rec, IN_RECOMMENDATION);
    }
    head
}

/// The full-text terms of a listed guideline, read back from its fragments
/// under `root`. A guideline kept from a site made before the fragments
/// (`--keep-going`) has none, and no full text in the index.
fn read_full_terms(root: &Path, url: &str, fragments: usize) -> Result<Terms, SiteError> {
    if fragments == 0 {
        return Ok(Terms::default());
    }
    text::read(root, url, fragments)
        .map(|f| text::full_terms(&f))
        .ok_or_else(|| SiteError::Render {
            path: format!("{url}{}", text::TEXT_DIR),
            message: "the guideline's search text could not be read back".into(),
        })
}

/// The index files for `listed` (the overview's rows, in its order). When
/// the live site's index was made by the same program for the same
/// guidelines in the same order, only the full-text buckets holding terms of
/// the guidelines made anew are rewritten ([`patch`]); otherwise every
/// guideline's full-text terms are read back from its fragments.
pub(crate) fn index(listed: &[Listed], sites: &Sites) -> Result<Index, SiteError> {
    let key = {
        let mut h = std::hash::DefaultHasher::new();
        FORMAT.hash(&mut h);
        sites.build_id.hash(&mut h);
        format!("{:016x}", h.finish())
    };
    let guidelines: Vec<String> = listed.iter().map(|l| l.row.url.clone()).collect();
    // Title, group, keywords and recommendations: matched by prefix as one types.
    // Hash maps while posting (a B-tree's string comparisons were most of the
    // index's time); sorted once at the end, so the files are the same.
    let mut index: HashMap<String, Postings> = HashMap::new();
    for (id, l) in listed.iter().enumerate() {
        for (t, place) in head_terms(l.row) {
            post(&mut index, t, id as u32, place);
        }
    }
    let mut out = Vec::new();
    let shards = pack_index(index.into_iter().collect());
    let previous = sites
        .previous
        .filter(|p| p.key == key && p.guidelines == guidelines);
    // The index files already written to the new site (a build from scratch's buckets).
    let mut written = Vec::new();
    let (full_files, unchanged, full_bytes, n) =
        match previous.and_then(|p| patch::patch(listed, sites, p)) {
            Some(patched) => patched,
            None => {
                // Made in bounded memory and written as each bucket is made.
                // Inside the new site, so a killed build's spill files go with its
                // staging folder (the next build deletes it); removed before the swap.
                let spill_in = sites.staging;
                let (total, n) = spill::full_index(
                    listed,
                    sites.staging,
                    spill_in,
                    spill::PARTITIONS,
                    &mut |b, entries| {
                        let (name, bytes) = bucket_file(b, entries);
                        crate::swap::write_or_link(sites.live, sites.staging, &name, &bytes)?;
                        written.push(name);
                        Ok(())
                    },
                )?;
                (Vec::new(), Vec::new(), total, n)
            }
        };
    let keys: Vec<String> = shards.iter().map(|(k, _)| k.clone()).collect();
    let rows: Vec<&Row> = listed.iter().map(|l| l.row).collect();
    let chunks = rows.len().div_ceil(TABLE_CHUNK);
    let manifest = json!({
        "format": FORMAT,
        "guidelines": rows.len(),
        "table_chunk": TABLE_CHUNK,
        "table_files": chunks,
        "shards": keys,
        "full_shards": n,
        "fragment_bits": FRAGMENT_BITS,
    });
    out.push((
        format!("{DIR}/manifest.js"),
        script("manifest", None, &manifest.to_string()),
    ));
    for (n, (_, entries)) in shards.iter().enumerate() {
        let body = format!("{{{}}}", entries.join(","));
        out.push((format!("{DIR}/s/{n}.js"), script("shard", Some(n), &body)));
    }
    out.extend(full_files);
    for (n, chunk) in rows.chunks(TABLE_CHUNK).enumerate() {
        let table: Vec<serde_json::Value> = chunk
            .iter()
            .map(|r| json!([r.title, r.url, r.dmcg, r.version]))
            .collect();
        let body = serde_json::to_string(&table).expect("the table serialises");
        out.push((format!("{DIR}/t/{n}.js"), script("table", Some(n), &body)));
    }
    Ok(Index {
        files: out,
        written,
        unchanged,
        state: State {
            key,
            guidelines,
            full_bytes,
        },
    })
}

/// The file of full-text bucket `n`.
fn bucket_file(n: usize, entries: &[String]) -> (String, Vec<u8>) {
    let body = format!("{{{}}}", entries.join(","));
    (format!("{DIR}/f/{n}.js"), script("full", Some(n), &body))
}

/// Calls `f` with each listed guideline's id and full-text terms, in id
/// order. The terms are found on all threads, a batch at a time, so only a
/// batch's term sets are held.
fn each_guideline_terms(
    listed: &[Listed],
    root: &Path,
    mut f: impl FnMut(u32, Terms) -> Result<(), SiteError>,
) -> Result<(), SiteError> {
    const BATCH: usize = 64;
    for (b, batch) in listed.chunks(BATCH).enumerate() {
        let found: Vec<Result<Terms, SiteError>> = batch
            .par_iter()
            .map(|l| read_full_terms(root, &l.row.url, l.fragments))
            .collect();
        for (k, terms) in found.into_iter().enumerate() {
            f((b * BATCH + k) as u32, terms?)?;
        }
    }
    Ok(())
}

/// The whole full-text index in memory, read back from every listed
/// guideline's fragments: its buckets' entries and its size in bytes. The
/// reference [`spill::full_index`] is tested against.
#[cfg(test)]
fn full_index(listed: &[Listed], root: &Path) -> Result<(Vec<Vec<String>>, u64), SiteError> {
    let mut full: HashMap<String, Postings> = HashMap::new();
    each_guideline_terms(listed, root, |id, terms| {
        for (t, bits) in terms {
            full.entry(t).or_default().push((id, bits));
        }
        Ok(())
    })?;
    Ok(buckets(full.into_iter().collect()))
}

/// The full-text index in buckets by a hash of the term ([`bucket`]), about
/// [`FULL_SHARD`] bytes each ([`bucket_count`]): a whole word is looked up in
/// exactly one file, and the manifest needs only their number, however large
/// the site. Also the index's size in bytes.
#[cfg(test)]
fn buckets(index: BTreeMap<String, Postings>) -> (Vec<Vec<String>>, u64) {
    let encoded = entries(index, FULL_BITS);
    let total: u64 = encoded.iter().map(|(_, e)| e.len() as u64 + 1).sum();
    let n = bucket_count(total);
    let mut out = vec![Vec::new(); n];
    for (t, e) in encoded {
        out[bucket(&t, n)].push(e);
    }
    (out, total)
}

/// How many full-text buckets an index of `total` bytes has: the power of two
/// nearest `total / FULL_SHARD` (between 1/√2 and √2 times it), so the number
/// changes seldom as guidelines are edited and an edit rewrites only the
/// buckets of the terms it changed.
fn bucket_count(total: u64) -> usize {
    let x = total.div_ceil(FULL_SHARD as u64).max(1);
    let k = 63 - x.leading_zeros(); // 2^k <= x < 2^(k+1)
                                    // Round up when x >= 2^k * sqrt(2), that is x^2 >= 2^(2k+1).
    let up = u128::from(x) * u128::from(x) >= 1u128 << (2 * k + 1);
    1usize << (k + u32::from(up))
}

/// A term's entry in an index file: `"term":postings`.
fn entry(term: &str, postings: &Postings, shift: u32) -> String {
    let mut s = String::with_capacity(term.len() + 4 + 4 * postings.len());
    // A term is letters and digits ([`each_term`]): nothing in it is escaped,
    // but a term from elsewhere still gets JSON's escaping.
    if term.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        s.push_str(&serde_json::to_string(term).expect("a term serialises"));
    } else {
        s.push('"');
        s.push_str(term);
        s.push('"');
    }
    s.push(':');
    encode_into(&mut s, postings, shift);
    s
}

/// Each term with its index entry, `"term":postings`, in term order.
fn entries(index: BTreeMap<String, Postings>, shift: u32) -> Vec<(String, String)> {
    index
        .into_iter()
        .map(|(t, p)| {
            let e = entry(&t, &p, shift);
            (t, e)
        })
        .collect()
}

/// Which of `n` full-text buckets holds `term`: FNV-1a (32 bit) of its UTF-8
/// bytes, modulo `n`. search.js computes the same.
pub fn bucket(term: &str, n: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % n.max(1)
}

/// The sorted terms of an index, encoded and packed into shards (key, entries).
fn pack_index(index: BTreeMap<String, Postings>) -> Vec<(String, Vec<String>)> {
    let encoded = entries(index, PLACE_BITS);
    pack(&encoded)
        .into_iter()
        .map(|(k, entries)| (k, entries.into_iter().map(str::to_string).collect()))
        .collect()
}

/// `VEJVISER_SEARCH.<call>(<n>,<json>);` — a script, so it loads from disk too.
fn script(call: &str, n: Option<usize>, json: &str) -> Vec<u8> {
    let n = n.map(|n| format!("{n},")).unwrap_or_default();
    format!("VEJVISER_SEARCH.{call}({n}{json});\n").into_bytes()
}

/// A term's postings as a JSON array of numbers, each `gap << shift | bits`,
/// where `gap` is the id minus the previous id (the first: the id itself):
/// `shift` is [`PLACE_BITS`] in the prefix index, [`FULL_BITS`] in the full text.
#[cfg(test)]
fn encode(p: &Postings, shift: u32) -> String {
    let mut s = String::new();
    encode_into(&mut s, p, shift);
    s
}

/// A term's postings (as `encode` gives them), appended to `s`: the numbers
/// are written without a `String` each.
fn encode_into(s: &mut String, p: &Postings, shift: u32) {
    let mut digits = itoa::Buffer::new();
    s.push('[');
    let mut last = 0;
    for (i, &(id, places)) in p.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(digits.format((u64::from(id - last) << shift) | u64::from(places)));
        last = id;
    }
    s.push(']');
}

/// Packs the sorted (term, entry) pairs into shards of about a sixty-fourth of
/// the whole, between [`SHARD_MIN`] and [`SHARD_MAX`] bytes (a term is never
/// cut). Each shard is keyed by its first term, the first by `""`: shard `i`
/// holds the terms from its key up to the next shard's key.
fn pack(entries: &[(String, String)]) -> Vec<(String, Vec<&str>)> {
    let total: usize = entries.iter().map(|(_, e)| e.len() + 1).sum();
    let target = (total / 64).clamp(SHARD_MIN, SHARD_MAX);
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    let mut size = 0;
    for (term, entry) in entries {
        match out.last_mut() {
            Some((_, shard)) if size + entry.len() < target => shard.push(entry),
            _ => {
                let key = if out.is_empty() {
                    String::new()
                } else {
                    term.clone()
                };
                out.push((key, vec![entry]));
                size = 0;
            }
        }
        size += entry.len() + 1;
    }
    if out.is_empty() {
        out.push((String::new(), Vec::new()));
    }
    out
}

#[cfg(test)]
mod tests;
