//! Safe publishing and the incremental cache: build into a staging folder
//! beside the output, swap it in only on success, and remember which inputs
//! produced each guideline folder so the next build can reuse it.
//!
//! The guarantees (docs/site.md states them for users):
//! - `--out` is checked before anything moves: never the guidelines tree, a
//!   folder inside it or above it, a file, a symbolic link, or a folder with
//!   content that vejviser did not make ([`check_out`]).
//! - The swap is one atomic `renameat2(RENAME_EXCHANGE)` on Linux: at every
//!   moment the output folder is either the whole old site or the whole new
//!   one. Elsewhere (or on a file system without the exchange) it falls back
//!   to two renames, with a moment in between when the output folder is missing.
//! - The spare is only ever a site that was published before and carries
//!   [`MARK_FILE`]; a failed build's staging folder is deleted, never kept, so
//!   a full disk is freed again when the build that filled it fails.
//! - Folders left by a killed build (`.<out>.building-<pid>`) are deleted by
//!   the next build, never published.

use crate::{io, SiteError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod cache;
pub use cache::{Cache, CACHE_FILE};

/// Marks a folder as a site (or staging folder) that vejviser made: only a
/// folder with this file (or a cache file, from sites made before the mark)
/// is ever replaced, kept as the spare or recycled.
pub const MARK_FILE: &str = ".vejviser-site";

const MARK_TEXT: &[u8] =
    b"This folder is a site built by vejviser. `vejviser site` replaces it as a whole.\n";

/// Whether `dir` is a real folder that vejviser made (holds the mark or a cache file).
fn is_ours(dir: &Path) -> bool {
    dir.symlink_metadata().is_ok_and(|m| m.is_dir())
        && [MARK_FILE, CACHE_FILE].iter().any(|f| {
            dir.join(f)
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_file())
        })
}

/// Refuses an output folder that publishing could damage, before anything
/// moves: the guidelines folder itself, a folder inside it or above it (the
/// swap moves the output folder aside as a whole), a file, a symbolic link,
/// or an existing folder with content that vejviser did not make.
pub fn check_out(guidelines: &Path, out: &Path) -> Result<(), SiteError> {
    let usage = |why: String| Err(SiteError::Usage(format!("--out {}: {why}", out.display())));
    let (Ok(g), Ok(o)) = (
        vejviser_load::resolve(guidelines),
        vejviser_load::resolve(out),
    ) else {
        return usage("cannot resolve the path".into());
    };
    if o.parent().is_none() || o.file_name().is_none() {
        return usage("a site cannot be published to the root folder".into());
    }
    if o == g {
        return usage(format!("is the guidelines folder {}; the site is published to a folder of its own, e.g. --out public", guidelines.display()));
    }
    if o.starts_with(&g) {
        return usage(format!(
            "is inside the guidelines folder {}; publish outside it, e.g. --out public",
            guidelines.display()
        ));
    }
    if g.starts_with(&o) {
        return usage(format!("holds the guidelines folder {}; publishing replaces the output folder as a whole, so choose a folder of its own, e.g. --out public", guidelines.display()));
    }
    match out.symlink_metadata() {
        Err(_) => Ok(()),
        Ok(m) if m.file_type().is_symlink() => {
            usage("is a symbolic link; name the folder it points to, or a new folder".into())
        }
        Ok(m) if !m.is_dir() => {
            usage("is a file, not a folder; choose a folder for the site".into())
        }
        Ok(_) => {
            let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
            if empty || is_ours(out) {
                Ok(())
            } else {
                usage(format!("is a folder that vejviser did not make (it has no {MARK_FILE}); publishing replaces it as a whole, so choose a new or empty folder"))
            }
        }
    }
}

/// Whether the process `pid` is running (a folder named after it may be in use).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists (EPERM: it does, another user's).
    // SAFETY: kill(2) with signal 0 sends nothing.
    unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM }
}

#[cfg(not(unix))]
fn alive(pid: u32) -> bool {
    pid != std::process::id()
}

/// Deletes what killed builds left beside `out`: `.<name>.building-<pid>`
/// (and `….old`) folders of processes no longer running.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.building-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !alive(pid) && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Swaps two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them like rename(2).
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

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
///
/// A build that fails deletes its staging folder: the spare is only ever a
/// site that was live, and a build that failed for lack of space gives the
/// space back.
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
        remove_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}.building-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.spare"));
        if tmp.symlink_metadata().is_ok() {
            remove_any(&tmp)?;
        }
        // Taking the spare is one rename, so two builds at once cannot share it.
        // Only a real folder that vejviser made is taken (a symlink or anything
        // else named like it is left alone), and anything in it that vejviser
        // never makes (symlinks, sockets...) is removed first, so no write can be
        // led outside the staging folder.
        let recycled = is_ours(&spare)
            && std::fs::rename(&spare, &tmp).is_ok()
            && remove_foreign(&tmp).is_ok();
        if !recycled {
            if tmp.symlink_metadata().is_ok() {
                remove_any(&tmp)?;
            }
            std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        }
        let staging = Staging {
            out: out.to_path_buf(),
            tmp,
            spare,
            recycled,
            done: false,
        };
        write_new(&staging.tmp.join(MARK_FILE), MARK_TEXT)?;
        Ok(staging)
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
    /// The mark and the cache file are always kept.
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
            if is_dir && dirs.contains(rel.as_str())
                || !is_dir && (keep.contains(&rel) || rel == MARK_FILE || rel == CACHE_FILE)
            {
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

    /// Deletes the staging folder; the old site stays as it was.
    pub fn abandon(mut self) {
        self.discard();
    }

    fn discard(&mut self) {
        if !self.done {
            self.done = true;
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }

    /// Swaps the staging folder in, in one atomic step where the system
    /// allows it, and keeps the old site as the spare for the next build.
    pub fn commit(mut self) -> Result<(), SiteError> {
        if self.out.symlink_metadata().is_err() {
            std::fs::rename(&self.tmp, &self.out).map_err(io(&self.out))?;
            self.done = true;
            return Ok(());
        }
        match exchange(&self.tmp, &self.out) {
            Ok(()) => {
                // The staging folder's name now holds the old site.
                self.done = true;
                self.retire(&self.tmp);
                Ok(())
            }
            Err(e) if exchange_unsupported(&e) => self.commit_in_two_renames(),
            Err(e) => Err(io(&self.out)(e)),
        }
    }

    /// The fallback: old site aside, new site in. Between the two renames the
    /// output folder is missing; a kill there leaves the new site in the
    /// staging folder and the old one in `….old`, both deleted by the next build.
    fn commit_in_two_renames(&mut self) -> Result<(), SiteError> {
        let mut old = self.tmp.clone().into_os_string();
        old.push(".old");
        let old = PathBuf::from(old);
        std::fs::rename(&self.out, &old).map_err(io(&self.out))?;
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            let _ = std::fs::rename(&old, &self.out);
            return Err(io(&self.out)(e));
        }
        self.done = true;
        self.retire(&old);
        Ok(())
    }

    /// Keeps a replaced site as the spare, or deletes it when the spare's
    /// name is taken.
    fn retire(&self, old: &Path) {
        if self.spare.symlink_metadata().is_ok() || std::fs::rename(old, &self.spare).is_err() {
            let _ = std::fs::remove_dir_all(old);
        }
    }
}

fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(code) if code == libc::EINVAL || code == libc::ENOSYS) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.discard();
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
    use std::io::Write;
    // Nothing is there in a build from scratch: creating the file exclusively
    // is then the only call (a cold build writes thousands). Anything in the
    // way (a file, maybe a link shared with the live site, a symbolic link, a
    // folder) makes that fail, and is removed first.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => f.write_all(bytes).map_err(io(path)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            remove_any(path)?;
            std::fs::write(path, bytes).map_err(io(path))
        }
        Err(e) => Err(io(path)(e)),
    }
}

/// Puts `bytes` at `rel` in the staging folder: as a link to the live site's
/// file when that has the same bytes (so an unchanged file is neither deleted
/// nor created: see [`Staging`]), else as a new file.
pub fn write_or_link(
    live: &Path,
    staging: &Path,
    rel: &str,
    bytes: &[u8],
) -> Result<(), SiteError> {
    let (old, new) = (live.join(rel), staging.join(rel));
    let same = old
        .symlink_metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(&old).is_ok_and(|b| b == bytes);
    if let Some(parent) = new.parent() {
        ensure_dir(parent)?;
    }
    if !same {
        return write_new(&new, bytes);
    }
    if same_file(&old, &new) {
        return Ok(());
    }
    remove_any(&new)?;
    if std::fs::hard_link(&old, &new).is_err() {
        std::fs::write(&new, bytes).map_err(io(&new))?;
    }
    Ok(())
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
        // A file in a folder of its own (the page of changes, `aendringer/index.html`).
        if let Some(parent) = b.parent().filter(|p| *p != to) {
            ensure_dir(parent)?;
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
mod tests;
