//! Helpers shared by the integration tests.

use std::process::Command;

/// The PDF with every object written out plainly (no object streams, streams
/// uncompressed), as qpdf's QDF form, for tests that look at the objects; `None` (and a
/// SKIPPED note) when qpdf is not installed.
#[allow(dead_code)]
pub fn expanded(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let src = dir.path().join("in.pdf");
    let dst = dir.path().join("out.pdf");
    std::fs::write(&src, pdf).ok()?;
    match Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&src)
        .arg(&dst)
        .status()
    {
        Ok(s) if s.success() || s.code() == Some(3) => {}
        Ok(s) => panic!("qpdf --qdf failed: {s}"),
        Err(_) => {
            eprintln!("SKIPPED: qpdf not installed");
            return None;
        }
    }
    let bytes = std::fs::read(&dst).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
