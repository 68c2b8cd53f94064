//! Writing files so that a reader never sees half a file: the bytes go to a
//! temporary file in the same folder, are flushed to disk, and the temporary
//! file is then renamed (replacing) or hard-linked (creating) into place.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A temporary file next to its target, removed on drop unless renamed away.
pub struct TempFile {
    path: PathBuf,
    done: bool,
}

impl TempFile {
    /// Creates `.<name>.<pid>.<n>.tmp` next to `target` holding `bytes`, with the
    /// permissions of `target` when it exists (the default for new files otherwise).
    pub fn write_next_to(target: &Path, bytes: &[u8]) -> io::Result<TempFile> {
        let dir = parent(target);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut n = 0u32;
        let (mut file, path) = loop {
            let path = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => break (f, path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        };
        let tmp = TempFile { path, done: false };
        file.write_all(bytes)?;
        if let Ok(meta) = fs::metadata(target) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        Ok(tmp)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file over `target` (atomic on one file system).
    pub fn replace(mut self, target: &Path) -> io::Result<()> {
        self.replace_with(target, |a, b| fs::rename(a, b))
    }

    /// As [`TempFile::replace`] with the rename step given (tests make it fail).
    pub fn replace_with(
        &mut self,
        target: &Path,
        rename: impl FnOnce(&Path, &Path) -> io::Result<()>,
    ) -> io::Result<()> {
        rename(&self.path, target)?;
        self.done = true;
        sync_dir(parent(target));
        Ok(())
    }

    /// Puts the file at `target` only if nothing is there yet.
    pub fn create(self, target: &Path) -> io::Result<()> {
        match fs::hard_link(&self.path, target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            // File systems without hard links: check, then rename (not atomic, but never clobbers knowingly).
            Err(_) if target.symlink_metadata().is_ok() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the file already exists",
                ))
            }
            Err(_) => {
                let mut this = self;
                return this.replace_with(target, |a, b| fs::rename(a, b));
            }
        }
        sync_dir(parent(target));
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Flushes a folder's entries (the rename itself) to disk where the OS allows it.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Replaces `path` with `bytes` atomically, keeping its permissions.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    TempFile::write_next_to(path, bytes)?.replace(path)
}

/// Creates `path` with `bytes`; fails with `AlreadyExists` and writes nothing if it exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.symlink_metadata().is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the file already exists",
        ));
    }
    TempFile::write_next_to(path, bytes)?.create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn replace_and_create_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("guideline.md");
        create_new(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        let e = create_new(&p, b"two").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&p).unwrap(), b"one");
        replace(&p, b"three").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.md");
        fs::write(&p, "x").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        replace(&p, b"y").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.md");
        fs::write(&p, "old").unwrap();
        let mut t = TempFile::write_next_to(&p, b"new").unwrap();
        let e = t
            .replace_with(&p, |_, _| Err(io::Error::other("disk full")))
            .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        drop(t);
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }
}
