//! The full-text index of a build from scratch, made in bounded memory
//! (issue 18). The index of ten times the national corpus holds millions of
//! terms; kept in one hash map it took over half a gigabyte. Instead:
//!
//! 1. each guideline's terms (read back from its fragments, in id order) are
//!    appended to one of [`PARTITIONS`] spill files, chosen by the same hash
//!    as the buckets ([`bucket`]), so every term's postings are in one file,
//!    in id order;
//! 2. each spill file alone is turned into its terms' sorted, encoded entries
//!    (a sixty-fourth of the index in memory at a time), written to a second
//!    file, while the index's size, which sets the number of buckets, is summed;
//! 3. the buckets are made from those: with at least [`PARTITIONS`] buckets
//!    (both powers of two) bucket `b` holds exactly the terms of partition
//!    `b % PARTITIONS`, already in term order; a smaller index (under about
//!    0.7 MB) is sorted whole in memory.
//!
//! Every bucket is handed to `emit` as soon as it is made, so no more than one
//! partition's entries are held. The files are byte for byte those of the
//! in-memory index (the unit tests compare both ways on one input). The spill
//! files live in a temporary folder inside the new site's staging folder and
//! are removed when the index is done, or when a build fails (a killed
//! build's staging folder goes with them at the next build).

use super::{bucket, bucket_count, each_guideline_terms, entry, Listed, Postings, FULL_BITS};
use crate::SiteError;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What receives each bucket as it is made: its number and entries.
pub(super) type Emit<'a> = dyn FnMut(usize, &[String]) -> Result<(), SiteError> + 'a;

/// How many spill files the postings are spread over: a power of two.
pub(super) const PARTITIONS: usize = 64;

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> SiteError + '_ {
    move |e| SiteError::Render {
        path: path.display().to_string(),
        message: format!("the search index's temporary file: {e}"),
    }
}

/// Makes the full-text index of `listed` from their fragments under `root`,
/// spilling to a temporary folder in `spill_in`, with `partitions` spill files
/// (a power of two; [`PARTITIONS`] outside tests). Calls `emit` once for each
/// bucket number `0..n` with its entries in term order; returns the index's
/// size in bytes and `n`.
pub(super) fn full_index(
    listed: &[Listed],
    root: &Path,
    spill_in: &Path,
    partitions: usize,
    emit: &mut Emit,
) -> Result<(u64, usize), SiteError> {
    let dir = tempfile::Builder::new()
        .prefix(".vejviser-search-")
        .tempdir_in(spill_in)
        .map_err(io_error(spill_in))?;
    let raw: Vec<PathBuf> = (0..partitions)
        .map(|p| dir.path().join(format!("{p}.raw")))
        .collect();
    spill_postings(listed, root, &raw)?;
    // Each partition's entries, sorted and encoded, and its bytes in the index.
    let sizes: Vec<u64> = raw
        .par_iter()
        .map(|path| encode_partition(path))
        .collect::<Result<_, _>>()?;
    let total: u64 = sizes.iter().sum();
    let n = bucket_count(total);
    if n >= partitions {
        // Bucket b's terms are exactly partition b % partitions's, in order.
        for (p, path) in raw.iter().enumerate() {
            let mut by_bucket: Vec<Vec<String>> = vec![Vec::new(); n / partitions];
            for (term, e) in read_encoded(&encoded_path(path))? {
                by_bucket[bucket(&term, n) / partitions].push(e);
            }
            for (k, entries) in by_bucket.iter().enumerate() {
                emit(k * partitions + p, entries)?;
            }
        }
    } else {
        let mut all = Vec::new();
        for path in &raw {
            all.extend(read_encoded(&encoded_path(path))?);
        }
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = vec![Vec::new(); n];
        for (term, e) in all {
            out[bucket(&term, n)].push(e);
        }
        for (b, entries) in out.iter().enumerate() {
            emit(b, entries)?;
        }
    }
    dir.close().map_err(io_error(spill_in))?;
    Ok((total, n))
}

/// Pass 1: every guideline's full-text terms, in id order, appended to the
/// spill file of their partition as `id, bits, length` (u32, little-endian)
/// and the term's bytes.
fn spill_postings(listed: &[Listed], root: &Path, raw: &[PathBuf]) -> Result<(), SiteError> {
    let mut files: Vec<BufWriter<std::fs::File>> = raw
        .iter()
        .map(|p| {
            std::fs::File::create(p)
                .map(|f| BufWriter::with_capacity(64 * 1024, f))
                .map_err(io_error(p))
        })
        .collect::<Result<_, _>>()?;
    each_guideline_terms(listed, root, |id, terms| {
        for (t, bits) in terms {
            let p = bucket(&t, raw.len());
            let len = u32::try_from(t.len()).unwrap_or(u32::MAX);
            let w = &mut files[p];
            w.write_all(&id.to_le_bytes())
                .and_then(|()| w.write_all(&bits.to_le_bytes()))
                .and_then(|()| w.write_all(&len.to_le_bytes()))
                .and_then(|()| w.write_all(&t.as_bytes()[..len as usize]))
                .map_err(io_error(&raw[p]))?;
        }
        Ok(())
    })?;
    for (w, p) in files.iter_mut().zip(raw) {
        w.flush().map_err(io_error(p))?;
    }
    Ok(())
}

fn encoded_path(raw: &Path) -> PathBuf {
    raw.with_extension("enc")
}

/// Pass 2: one partition's postings read back, grouped by term (in id order,
/// as spilled), sorted by term and encoded, one `term\tentry` per line (terms
/// are letters and digits, entries hold no tab or newline); returns the bytes
/// they take in the index, as [`super::buckets`] counts them.
fn encode_partition(raw: &Path) -> Result<u64, SiteError> {
    let bytes = std::fs::read(raw).map_err(io_error(raw))?;
    let mut terms: HashMap<&str, Postings> = HashMap::new();
    let mut at = 0;
    let corrupt = || SiteError::Render {
        path: raw.display().to_string(),
        message: "the search index's temporary file was cut short".into(),
    };
    while at < bytes.len() {
        let word = |i: usize| -> Result<u32, SiteError> {
            bytes
                .get(i..i + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_le_bytes)
                .ok_or_else(corrupt)
        };
        let (id, bits, len) = (word(at)?, word(at + 4)?, word(at + 8)? as usize);
        let term = bytes
            .get(at + 12..at + 12 + len)
            .and_then(|t| std::str::from_utf8(t).ok())
            .ok_or_else(corrupt)?;
        terms.entry(term).or_default().push((id, bits));
        at += 12 + len;
    }
    let mut sorted: Vec<(&str, Postings)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let out = encoded_path(raw);
    let mut w = BufWriter::new(std::fs::File::create(&out).map_err(io_error(&out))?);
    let mut total = 0;
    for (term, postings) in &sorted {
        let e = entry(term, postings, FULL_BITS);
        total += e.len() as u64 + 1;
        writeln!(w, "{term}\t{e}").map_err(io_error(&out))?;
    }
    w.flush().map_err(io_error(&out))?;
    drop(w);
    std::fs::remove_file(raw).map_err(io_error(raw))?;
    Ok(total)
}

/// A partition's encoded entries, (term, entry), in term order.
fn read_encoded(path: &Path) -> Result<Vec<(String, String)>, SiteError> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    let out = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(t, e)| (t.to_string(), e.to_string()))
        .collect();
    std::fs::remove_file(path).map_err(io_error(path))?;
    Ok(out)
}
