//! Reading input files safely: only regular files, never through a symbolic link,
//! never blocking on a named pipe, the size checked before reading and the read
//! bounded, so no file can stall or exhaust a build (issue 15). Also the head-only
//! read of a guideline's front matter, for the revision report.

use std::path::Path;

/// Why a guideline file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("is a symbolic link; vejviser does not read guidelines through links (put the file or folder itself here)")]
    Symlink,
    #[error("is a folder, not a file")]
    Folder,
    #[error("is not a regular file (a named pipe, socket or device)")]
    Special,
    #[error("is missing: this guideline folder has no guideline.md (was it renamed?)")]
    Missing,
    #[error("is {:.1} MB; guidelines are at most {} MB", *.size as f64 / 1_048_576.0, .limit / 1_048_576)]
    TooLarge { size: u64, limit: usize },
    #[error("cannot be read: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return ReadError::Symlink;
        }
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(e),
        }
    }
}

fn regular(meta: &std::fs::Metadata) -> Result<(), ReadError> {
    let t = meta.file_type();
    if t.is_symlink() {
        Err(ReadError::Symlink)
    } else if t.is_dir() {
        Err(ReadError::Folder)
    } else if !t.is_file() {
        Err(ReadError::Special)
    } else {
        Ok(())
    }
}

/// Opens a regular file, never through a symbolic link and never blocking
/// on a named pipe, and returns it with its size.
pub(crate) fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    regular(&std::fs::symlink_metadata(path)?)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The path may have changed since it was looked at.
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    regular(&meta)?;
    Ok((f, meta.len()))
}

/// Reads a file vejviser takes as input (a guideline, `dmcg.toml`, a
/// template): only a regular file, not through a symbolic link, its size
/// checked before reading and at most `limit` bytes read (so `/dev/zero`, a
/// named pipe or a 1 GB file cannot stall or exhaust a build).
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let (f, size) = open_regular(path)?;
    if size > limit as u64 {
        return Err(ReadError::TooLarge { size, limit });
    }
    // The whole file in one read (and one more to see its end): read_to_end on a
    // `Take` knows no size and reads 8, 16, 32 KB…, five reads of a guideline,
    // each waiting on the disk when the file is not in the page cache.
    let mut buf = vec![0; size as usize + 1];
    let mut len = 0;
    let mut f = f.take(limit as u64 + 1);
    loop {
        if len == buf.len() {
            // The file grew since its size was read: on, up to the limit.
            buf.resize((len * 2).min(limit + 1).max(len + 1), 0);
        }
        match f.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    buf.truncate(len);
    if buf.len() > limit {
        return Err(ReadError::TooLarge {
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// [`read_limited`] with the guideline size limit ([`vejviser_parse::MAX_FILE_BYTES`]).
pub fn read_guideline(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_limited(path, vejviser_parse::MAX_FILE_BYTES)
}

/// [`read_limited`] as UTF-8 text, for the registry and templates.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_guideline(path)?)
        .map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// Reads up to the closing `+++` line (or the whole file when small or unclosed).
pub(crate) fn read_head(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let (mut f, size) = open_regular(path)?;
    if size > vejviser_parse::MAX_FILE_BYTES as u64 {
        return Err(ReadError::TooLarge {
            size,
            limit: vejviser_parse::MAX_FILE_BYTES,
        });
    }
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let n = f.read(&mut chunk)?;
        if n == 0 {
            return Ok(buf);
        }
        let from = buf.len().saturating_sub(5);
        buf.extend_from_slice(&chunk[..n]);
        // Stop once a line holding `+++` after the first line has been read.
        if buf.len() > 4 {
            if let Some(end) = find_closing(&buf, from.max(4)) {
                buf.truncate(end);
                return Ok(buf);
            }
        }
        if buf.len() > vejviser_parse::MAX_FILE_BYTES {
            return Ok(buf);
        }
    }
}

fn find_closing(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = buf[i..].windows(4).position(|w| w == b"\n+++") {
        let at = i + p + 1;
        let rest = &buf[at + 3..];
        let line_end = rest.iter().position(|&b| b == b'\n');
        match line_end {
            Some(e) if rest[..e].iter().all(|b| b.is_ascii_whitespace()) => {
                return Some(at + 3 + e + 1)
            }
            None => return None,
            _ => i = at,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_line_is_found_after_the_first() {
        let b = b"+++\ntitle = \"x\"\n+++\n# body\n";
        assert_eq!(find_closing(b, 4), Some(20));
        assert_eq!(find_closing(b"+++\na = 1\n+++", 4), None);
    }
}
