//! Safe publishing and the incremental cache: build into a staging folder
//! beside the output, swap it in only on success, and remember which inputs
//! produced each guideline folder so the next build can reuse it.

use crate::{io, SiteError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The cache manifest, kept inside the published site.
pub const CACHE_FILE: &str = ".vejviser-cache.json";

/// A staging folder beside the output folder.
///
/// The site replaced by a build is not deleted but kept beside the output as
/// the *spare* (`.<out>.spare`), and the next build starts from it instead of
/// an empty folder. Unchanged files in it are hard links to the same files as
/// the live site, so a rebuild after a small edit creates and deletes almost
/// nothing: on ext4, creating a folder right after thousands of files were
/// deleted costs up to half a millisecond, which made deleting the old site
/// and building a new one from scratch the larger part of an incremental
/// rebuild. Files are never written in place in the staging folder (see
/// [`write_new`]), so a file shared with the live site is never changed.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    spare: PathBuf,
    recycled: bool,
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
        let spare = parent.join(format!(".{name}.spare"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        // Taking the spare is one rename, so two builds at once cannot share it.
        // Only a real folder is taken (a symlink named like it is left alone),
        // and anything in it that vejviser never makes (symlinks, sockets...) is
        // removed first, so no write can be led outside the staging folder.
        let recycled = spare.symlink_metadata().is_ok_and(|m| m.is_dir())
            && std::fs::rename(&spare, &tmp).is_ok()
            && remove_foreign(&tmp).is_ok();
        if !recycled {
            if tmp.symlink_metadata().is_ok() {
                std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
            }
            std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        }
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            spare,
            recycled,
            done: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Whether the staging folder started from the spare (and so may hold
    /// files the new site does not have; see [`Staging::prune`]).
    pub fn recycled(&self) -> bool {
        self.recycled
    }

    /// Removes everything in the staging folder that is not in `keep`
    /// (paths relative to it, `/`-separated) or a folder on the way to one.
    pub fn prune(&self, keep: &BTreeSet<String>) -> Result<(), SiteError> {
        let mut dirs: BTreeSet<&str> = BTreeSet::new();
        for f in keep {
            let mut rest = f.as_str();
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                rest = parent;
            }
        }
        let mut walk = walkdir::WalkDir::new(&self.tmp).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.tmp).to_path_buf();
                io(&path)(e.into())
            })?;
            let rel = entry
                .path()
                .strip_prefix(&self.tmp)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let is_dir = entry.file_type().is_dir();
            if is_dir && dirs.contains(rel.as_str()) || !is_dir && keep.contains(&rel) {
                continue;
            }
            if is_dir {
                walk.skip_current_dir();
                std::fs::remove_dir_all(entry.path()).map_err(io(entry.path()))?;
            } else {
                std::fs::remove_file(entry.path()).map_err(io(entry.path()))?;
            }
        }
        Ok(())
    }

    /// Keeps the staging folder as the spare; the old site stays as it was.
    pub fn abandon(mut self) {
        self.keep_as_spare();
    }

    fn keep_as_spare(&mut self) {
        if !self.done {
            self.done = true;
            if std::fs::rename(&self.tmp, &self.spare).is_err() {
                let _ = std::fs::remove_dir_all(&self.tmp);
            }
        }
    }

    /// Swaps the staging folder in: old site aside, new site in, old site kept
    /// as the spare for the next build.
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
        if had_old && std::fs::rename(&old, &self.spare).is_err() {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.keep_as_spare();
    }
}

/// Removes everything under `root` that is neither a folder nor a regular file.
fn remove_foreign(root: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(std::io::Error::from)?;
        let t = entry.file_type();
        if !t.is_dir() && !t.is_file() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` as a new file: whatever was at `path` is removed
/// first, so a hard link shared with the live site is replaced, not changed.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    remove_any(path)?;
    std::fs::write(path, bytes).map_err(io(path))
}

/// Creates `dir` and its parents, replacing a file that stands in the way
/// (a recycled staging folder may hold one where the new site has a folder).
pub fn ensure_dir(dir: &Path) -> Result<(), SiteError> {
    if dir.is_dir() {
        return Ok(());
    }
    if std::fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut at = PathBuf::new();
    for part in dir.components() {
        at.push(part);
        if at.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&at).map_err(io(&at))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))
}

fn remove_any(path: &Path) -> Result<(), SiteError> {
    match path.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path).map_err(io(path)),
        Ok(_) => std::fs::remove_file(path).map_err(io(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
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
    /// Each source file's check outcome, by its path as shown.
    #[serde(default)]
    sources: BTreeMap<String, crate::outline::Remembered>,
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

    /// The check outcomes the previous build remembered.
    pub fn sources(&self) -> &BTreeMap<String, crate::outline::Remembered> {
        &self.sources
    }

    pub fn remember(&mut self, path: String, outcome: crate::outline::Remembered) {
        self.sources.insert(path, outcome);
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

/// Hard-links (or copies, across file systems) reused files into the new site.
/// A file that is already the same file as the one in the live site (a
/// recycled staging folder) is left alone.
pub fn link_files(from: &Path, to: &Path, files: &[String]) -> Result<(), SiteError> {
    ensure_dir(to)?;
    for f in files {
        let (a, b) = (from.join(f), to.join(f));
        if same_file(&a, &b) {
            continue;
        }
        remove_any(&b)?;
        if std::fs::hard_link(&a, &b).is_err() {
            std::fs::copy(&a, &b).map_err(io(&a))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (a.metadata(), b.symlink_metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    //! The spare must be invisible: whatever a build starts from, the published
    //! site is exactly what the build put in it, and the live site never changes
    //! until the swap.
    use super::*;
    use proptest::prelude::*;

    /// Paths a site may have; some are files in one tree and folders in another.
    const PATHS: &[&str] = &[
        "index.html",
        "a/f",
        "a/g",
        "a/x",
        "a/x/f",
        "b/f",
        "b/c/f",
        "x",
    ];

    /// A site: file path to content. A path never lies under another file.
    type Site = BTreeMap<String, u8>;

    fn site() -> impl Strategy<Value = Site> {
        proptest::collection::btree_map(0..PATHS.len(), 0u8..3, 0..PATHS.len()).prop_map(|m| {
            let mut s = Site::new();
            for (i, c) in m {
                let p = PATHS[i];
                let clash = s.keys().any(|q: &String| {
                    p.starts_with(&format!("{q}/")) || q.starts_with(&format!("{p}/"))
                });
                if !clash {
                    s.insert(p.to_string(), c);
                }
            }
            s
        })
    }

    fn read_site(root: &Path) -> Site {
        walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap()[0])
            })
            .collect()
    }

    /// One build the way `build` does it: files equal to the live ones are
    /// linked, others written new; stale entries pruned; then swap or abandon.
    fn publish(out: &Path, want: &Site, live: &Site, fail: bool) {
        let staging = Staging::new(out).unwrap();
        for (path, &c) in want {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            let target = staging.path().join(dir);
            if live.get(path) == Some(&c) {
                link_files(&out.join(dir), &target, &[name.to_string()]).unwrap();
            } else {
                ensure_dir(&target).unwrap();
                write_new(&target.join(name), &[c]).unwrap();
            }
        }
        if staging.recycled() {
            staging.prune(&want.keys().cloned().collect()).unwrap();
        }
        // Nothing so far has touched the live site.
        if out.exists() {
            assert_eq!(
                &read_site(out),
                live,
                "the live site changed before the swap"
            );
        }
        if fail {
            staging.abandon();
        } else {
            staging.commit().unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn a_site_built_from_the_spare_is_exactly_the_site_wanted(
            builds in proptest::collection::vec((site(), proptest::bool::weighted(0.2)), 1..7)
        ) {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("public");
            let mut live: Option<Site> = None;
            for (want, fail) in &builds {
                let before = live.clone().unwrap_or_default();
                publish(&out, want, &before, *fail);
                if !*fail {
                    live = Some(want.clone());
                }
                match &live {
                    Some(l) => prop_assert_eq!(&read_site(&out), l),
                    None => prop_assert!(!out.exists()),
                }
            }
        }
    }
}
