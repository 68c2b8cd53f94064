//! The incremental cache, kept inside the published site: which inputs (a
//! key) produced each guideline folder's files, each source file's check
//! outcome, the feed's words for what changed, and what the search index was
//! made from. The next build reuses a folder whose key is unchanged.

use super::write_new;
use crate::SiteError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The cache manifest, kept inside the published site.
pub const CACHE_FILE: &str = ".vejviser-cache.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Entry {
    key: String,
    files: Vec<String>,
    /// The feed's words for what changed in a current version (made from
    /// every version of the guideline; the key covers them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changes: Option<String>,
}

/// Which key produced which files in each guideline folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    entries: BTreeMap<String, Entry>,
    /// Each source file's check outcome, by its path as shown.
    #[serde(default)]
    sources: BTreeMap<String, crate::outline::Remembered>,
    /// What the search index was made from (its buckets are patched next time).
    #[serde(default)]
    search: Option<crate::search::State>,
}

impl Cache {
    /// The previous build's cache (empty when there is none or it is unreadable).
    pub fn read(out: &Path) -> Cache {
        std::fs::read(out.join(CACHE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The files of `dir` if the previous build made them from the same key and they are all there.
    pub fn reusable(&self, out: &Path, dir: &str, key: u64) -> Option<Vec<String>> {
        let e = self.entries.get(dir)?;
        (e.key == format!("{key:016x}") && e.files.iter().all(|f| out.join(dir).join(f).is_file()))
            .then(|| e.files.clone())
    }

    pub fn insert(&mut self, dir: String, key: u64, files: Vec<String>) {
        self.entries.insert(
            dir,
            Entry {
                key: format!("{key:016x}"),
                files,
                changes: None,
            },
        );
    }

    /// The feed's words the previous build found for the version in `dir`,
    /// when it made that folder from the same key.
    pub fn changes(&self, dir: &str, key: u64) -> Option<Option<String>> {
        let e = self.entries.get(dir)?;
        (e.key == format!("{key:016x}")).then(|| e.changes.clone())
    }

    pub fn set_changes(&mut self, dir: &str, changes: Option<String>) {
        if let Some(e) = self.entries.get_mut(dir) {
            e.changes = changes;
        }
    }

    /// The check outcomes the previous build remembered.
    pub fn sources(&self) -> &BTreeMap<String, crate::outline::Remembered> {
        &self.sources
    }

    pub fn remember(&mut self, path: String, outcome: crate::outline::Remembered) {
        self.sources.insert(path, outcome);
    }

    /// The files the cache lists for `dir` (none when it has no entry).
    pub fn files_of(&self, dir: &str) -> &[String] {
        self.entries
            .get(dir)
            .map(|e| e.files.as_slice())
            .unwrap_or_default()
    }

    /// The search index the previous build made.
    pub fn search(&self) -> Option<&crate::search::State> {
        self.search.as_ref()
    }

    pub fn set_search(&mut self, state: crate::search::State) {
        self.search = Some(state);
    }

    /// Every file the cache lists, as paths relative to the site.
    pub fn files(&self) -> impl Iterator<Item = String> + '_ {
        self.entries
            .iter()
            .flat_map(|(dir, e)| e.files.iter().map(move |f| format!("{dir}/{f}")))
    }

    pub fn write(&self, site: &Path) -> Result<(), SiteError> {
        let p = site.join(CACHE_FILE);
        let mut bytes = serde_json::to_vec_pretty(self).expect("cache serialises");
        bytes.push(b'\n');
        write_new(&p, &bytes)
    }
}
