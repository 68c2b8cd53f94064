//! Safe publishing and the incremental cache: build into a staging folder
//! beside the output, swap it in only on success, and remember which inputs
//! produced each guideline folder so the next build can reuse it.

use crate::{io, SiteError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The cache manifest, kept inside the published site.
pub const CACHE_FILE: &str = ".vejviser-cache.json";

/// A staging folder beside the output folder.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    done: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, SiteError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let tmp = parent.join(format!(".{name}.building-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            done: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Removes the staging folder; the old site stays as it was.
    pub fn abandon(mut self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
        self.done = true;
    }

    /// Swaps the staging folder in: old site aside, new site in, old site removed.
    pub fn commit(mut self) -> Result<(), SiteError> {
        let old = self.tmp.with_file_name(format!(
            "{}.old",
            self.tmp
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &old).map_err(io(&self.out))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(io(&self.out)(e));
        }
        self.done = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Entry {
    key: String,
    files: Vec<String>,
}

/// Which key produced which files in each guideline folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    entries: BTreeMap<String, Entry>,
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
            },
        );
    }

    pub fn write(&self, site: &Path) -> Result<(), SiteError> {
        let p = site.join(CACHE_FILE);
        let mut bytes = serde_json::to_vec_pretty(self).expect("cache serialises");
        bytes.push(b'\n');
        std::fs::write(&p, bytes).map_err(io(&p))
    }
}

/// Hard-links (or copies, across file systems) reused files into the new site.
pub fn link_files(from: &Path, to: &Path, files: &[String]) -> Result<(), SiteError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for f in files {
        let (a, b) = (from.join(f), to.join(f));
        if std::fs::hard_link(&a, &b).is_err() {
            std::fs::copy(&a, &b).map_err(io(&a))?;
        }
    }
    Ok(())
}
