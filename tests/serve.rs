//! `vejviser serve` as an author uses it: start on a free port, fetch the
//! pages over HTTP, edit the guideline and see the new text and the reload
//! signal, save a broken file and see its error with the line number while the
//! server keeps answering, fix it, delete it, stop with Ctrl-C. Bad input:
//! a port in use, an unwritable temporary folder, a path that is no guideline,
//! requests that try to leave the preview folder.
//!
//! Every server runs in a guard that kills it on drop, so a failing test
//! never leaves one behind; every wait is bounded.

mod common;
use assert_cmd::cargo::cargo_bin_cmd;
use common::copy_dir;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-01-01";
// Generous: the test machine may be busy with other builds; a pass never waits this long.
const WAIT: Duration = Duration::from_secs(90);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the sample guidelines in a temporary folder.
fn sample_tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    copy_dir(&repo().join("guidelines"), &g);
    (tmp, g)
}

/// A running `vejviser serve`, killed when dropped.
struct Serve {
    child: Child,
    stderr: Arc<Mutex<String>>,
    port: u16,
}

impl Serve {
    fn start(args: &[&str], tmpdir: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vejviser"))
            .arg("serve")
            .args(args)
            .args(["--port", "0", "--as-of", AS_OF])
            .env("TMPDIR", tmpdir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let mut serve = Serve {
            child,
            stderr,
            port: 0,
        };
        let log = serve.wait_for_log("(Ctrl-C to stop)");
        let url = log
            .lines()
            .find(|l| l.starts_with("serving "))
            .and_then(|l| l.split("http://127.0.0.1:").nth(1))
            .unwrap_or_else(|| panic!("no URL printed:\n{log}"));
        serve.port = url.split('/').next().unwrap().parse().unwrap();
        serve
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until stderr contains `needle`; returns all of stderr.
    fn wait_for_log(&mut self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Give the reader thread a moment to collect the last lines.
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "serve exited ({status}) before printing {needle:?}:\n{}",
                    self.log()
                );
            }
            assert!(start.elapsed() < WAIT, "no {needle:?} in:\n{log}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = http_get(self.port, path);
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn version(&self) -> String {
        let (status, body) = self.get("/__vejviser/version");
        assert_eq!(status, 200);
        body
    }

    /// Polls `path` until `pred` holds for the body; returns it.
    fn wait_for_page(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if pred(&body) {
                return body;
            }
            assert!(
                start.elapsed() < WAIT,
                "{path} never showed {what}; last body:\n{body}\nlog:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.0 GET over a plain socket (1.0: the body comes whole, not in
/// chunks, and the server closes the connection): (status, headers, body).
fn http_get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head, raw[split + 4..].to_vec())
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn preview_follows_edits_survives_broken_saves_and_stops_cleanly() {
    let (tmp, g) = sample_tree();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let folder = g.join("dmsg/myelomatose-hdt");
    let file = folder.join("guideline.md");
    let mut serve = Serve::start(&[folder.to_str().unwrap()], &tmpdir);

    // The quick guide, the full page and the PDFs, with the reload script.
    let quick = serve.wait_for_page("/", "the quick guide", |b| b.contains("myelomatose"));
    assert!(quick.contains("Højdosisbehandling ved myelomatose (EKSEMPEL)"));
    assert!(quick.contains("/__vejviser/version"), "no reload script");
    assert!(
        !quick.contains("id=\"vejviser-preview\""),
        "a clean build has no banner"
    );
    let (status, full) = serve.get("/full.html");
    assert_eq!(status, 200);
    assert!(full.contains("Evidensgrundlag"));
    let (status, head, pdf) = http_get(serve.port, "/myelomatose-hdt-2.0.pdf");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/pdf"), "{head}");
    assert!(pdf.starts_with(b"%PDF-"));
    let (status, head, _) = http_get(serve.port, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");

    // An edit: the version counter moves (the page reloads on that) and the page has the new text.
    let v1 = serve.version();
    edit(&file, "(EKSEMPEL)", "(RETTET UDGAVE)");
    serve.wait_for_page("/__vejviser/version", "a new version", |v| v != v1);
    serve.wait_for_page("/", "the edit", |b| b.contains("(RETTET UDGAVE)"));
    serve.wait_for_log("rebuilt in");

    // A broken save: the error with its line number on top of the last good page.
    let v2 = serve.version();
    edit(&file, "version = \"2.0\"", "version = \"to-nul\"");
    serve.wait_for_page("/__vejviser/version", "a new version", |v| v != v2);
    let page = serve.wait_for_page("/", "the diagnostics banner", |b| {
        b.contains("id=\"vejviser-preview\"")
    });
    assert!(
        page.contains("guideline.md:4:11"),
        "no line number:\n{page}"
    );
    assert!(page.contains("error[VV0109]"));
    assert!(page.contains("(RETTET UDGAVE)"), "the last good page stays");
    // The fixture guideline is Danish: the preview box speaks Danish.
    assert!(page.contains("seneste version, der kunne bygges"), "{page}");
    let (status, json) = serve.get("/__vejviser/diagnostics");
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["report"]["ok"], false);
    assert_eq!(json["report"]["diagnostics"][0]["line"], 4);
    assert_eq!(json["report"]["diagnostics"][0]["code"], "VV0109");
    serve.wait_for_log("guideline.md:4:11: error[VV0109]");
    assert_eq!(serve.get("/full.html").0, 200, "the server still answers");

    // Guideline text is untrusted: markup in it is shown, not run.
    edit(
        &file,
        "version = \"to-nul\"",
        "version = \"<script>alert(1)</script>\"",
    );
    let page = serve.wait_for_page("/", "the escaped error", |b| b.contains("alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));

    // Fixed: the banner goes away and the page is rebuilt.
    edit(
        &file,
        "version = \"<script>alert(1)</script>\"",
        "version = \"2.0\"",
    );
    let page = serve.wait_for_page("/", "the recovered page", |b| {
        !b.contains("id=\"vejviser-preview\"")
    });
    assert!(page.contains("(RETTET UDGAVE)"));

    // Deleted while served: the page says so and the server keeps running; back again, it recovers.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    serve.wait_for_page("/", "the deletion", |b| b.contains("was deleted"));
    assert_eq!(serve.get("/__vejviser/version").0, 200);
    std::fs::write(&file, text.replace("(RETTET UDGAVE)", "(TILBAGE)")).unwrap();
    serve.wait_for_page("/", "the restored file", |b| {
        b.contains("(TILBAGE)") && !b.contains("was deleted")
    });

    // Ctrl-C: a line, exit status 0, the temporary build folder removed.
    #[cfg(unix)]
    {
        let pid = serve.child.id().to_string();
        let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(killed.success());
        let start = Instant::now();
        let status = loop {
            if let Some(status) = serve.child.try_wait().unwrap() {
                break status;
            }
            assert!(start.elapsed() < WAIT, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "exit status {status}");
        serve.wait_for_log("stopped");
        let left: Vec<_> = std::fs::read_dir(&tmpdir).unwrap().collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }
}

#[test]
fn requests_cannot_leave_the_preview_folder() {
    let (tmp, g) = sample_tree();
    let serve = Serve::start(
        &[g.join("dmsg/myelomatose-hdt").to_str().unwrap(), "--no-pdf"],
        tmp.path(),
    );
    serve.wait_for_page("/", "the quick guide", |b| b.contains("myelomatose"));
    for path in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/..%5c..%5cetc%5cpasswd",
    ] {
        let (status, body) = serve.get(path);
        assert!(
            status == 400 || status == 404,
            "{path}: status {status}: {body}"
        );
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    let (status, body) = serve.get("/no-such-page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Siden findes ikke"), "{body}");
    // Only 127.0.0.1 is served.
    let log = serve.log();
    assert!(log.contains("http://127.0.0.1:"), "{log}");
}

#[test]
fn the_whole_site_with_a_broken_guideline_left_out_and_listed() {
    let (tmp, g) = sample_tree();
    let serve = Serve::start(&[g.to_str().unwrap(), "--no-pdf"], tmp.path());
    serve.wait_for_page("/", "the overview", |b| b.contains("myelomatose-hdt"));
    let (status, page) = serve.get("/dmsg/myelomatose-hdt/");
    assert_eq!(status, 200);
    assert!(page.contains("Højdosisbehandling ved myelomatose"));
    // A folder without the slash is redirected, so relative links work.
    let (status, head, _) = http_get(serve.port, "/dmsg/myelomatose-hdt");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /dmsg/myelomatose-hdt/"), "{head}");
    // The page of changes at its folder address (issue 17).
    let (status, page) = serve.get("/dmsg/myelomatose-hdt/aendringer/");
    assert_eq!(status, 200);
    assert!(page.contains("Ændringer siden version 1.5"), "{page}");

    let v = serve.version();
    edit(
        &g.join("dmsg/myelomatose-hdt/guideline.md"),
        "version = \"2.0\"",
        "version = \"x\"",
    );
    serve.wait_for_page("/__vejviser/version", "a new version", |n| n != v);
    let overview = serve.wait_for_page("/", "the banner", |b| b.contains("left out"));
    assert!(overview.contains("guideline.md:4:11"), "{overview}");
    assert!(overview.contains("VV0109"));
    // The other guidelines are still there.
    assert_eq!(serve.get("/dbcg/adjuvant-endocrine-therapy/").0, 200);

    // A warning in a guideline that builds is listed too, with its line.
    let f = g.join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    let text = std::fs::read_to_string(&f).unwrap();
    let last = text
        .lines()
        .position(|l| l.starts_with("12. Fletcher"))
        .unwrap();
    edit(
        &f,
        "\n\n# 6. Methods",
        "\n13. Æbelø P. Never cited. Ugeskr Laeger. 2024;1:1-2.\n\n# 6. Methods",
    );
    let overview = serve.wait_for_page("/", "the warning", |b| b.contains("VV0404"));
    assert!(
        overview.contains(&format!(
            "adjuvant-endocrine-therapy/guideline.md:{}:1",
            last + 2
        )),
        "{overview}"
    );
}

/// One HTTP/1.1 GET with the `Host` header given as is (`None`: no header): (status, head).
fn get_with_host(port: u16, path: &str, host: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let head = raw.split("\r\n\r\n").next().unwrap_or("").to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head)
}

/// DNS rebinding: a page on another site whose name resolves to 127.0.0.1
/// must not read the preview, so only requests naming this server by its
/// loopback address or `localhost` and its port are answered. A folder
/// redirect never leaves the server (`//dmsg` is not the host `dmsg`).
#[test]
fn only_requests_for_this_server_are_answered_and_redirects_stay_on_it() {
    let (tmp, g) = sample_tree();
    let serve = Serve::start(&[g.to_str().unwrap(), "--no-pdf"], tmp.path());
    serve.wait_for_page("/", "the overview", |b| b.contains("myelomatose-hdt"));
    let port = serve.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_with_host(port, "/", Some(&host)).0, 200, "{host}");
    }
    for host in [
        Some(format!("evil.example:{port}")),
        Some(format!("127.0.0.1.evil.example:{port}")),
        Some(format!("localhost.evil.example:{port}")),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        Some("evil.example".to_string()),
        Some(String::new()),
        None,
    ] {
        let (status, head) = get_with_host(port, "/", host.as_deref());
        assert_eq!(status, 403, "{host:?}: {head}");
        assert_eq!(
            get_with_host(port, "/__vejviser/version", host.as_deref()).0,
            403,
            "{host:?}"
        );
    }
    for path in ["/dmsg", "//dmsg", "///dmsg", "/%2Fdmsg"] {
        let (status, head) = get_with_host(port, path, Some(&format!("127.0.0.1:{port}")));
        assert_eq!(status, 301, "{path}: {head}");
        assert!(head.contains("\r\nLocation: /dmsg/"), "{path}: {head}");
        assert!(!head.contains("Location: //"), "{path}: {head}");
    }
}

/// Runs `vejviser serve` that must fail at once with exit status 2; its stderr.
fn serve_fails(args: &[&std::ffi::OsStr], tmpdir: &Path) -> String {
    let out = cargo_bin_cmd!("vejviser")
        .arg("serve")
        .args(args)
        .env("TMPDIR", tmpdir)
        .timeout(WAIT)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    err
}

#[test]
fn a_port_in_use_is_named_with_a_way_out() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (tmp, g) = sample_tree();
    let folder = g.join("dmsg/myelomatose-hdt");
    let err = serve_fails(
        &[folder.as_os_str(), "--port".as_ref(), port.as_ref()],
        tmp.path(),
    );
    assert!(err.contains(&format!("port {port}")), "{err}");
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn an_unwritable_temporary_folder_is_a_clear_error() {
    let (tmp, g) = sample_tree();
    let folder = g.join("dmsg/myelomatose-hdt");
    let err = serve_fails(
        &[folder.as_os_str(), "--port".as_ref(), "0".as_ref()],
        &tmp.path().join("no/such/folder"),
    );
    assert!(err.contains("cannot create a temporary folder"), "{err}");
    assert!(err.contains("TMPDIR"), "{err}");
}

#[test]
fn a_path_that_is_no_guideline_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let err = serve_fails(
        &[tmp.path().as_os_str(), "--port".as_ref(), "0".as_ref()],
        tmp.path(),
    );
    assert!(err.contains("no guideline.md"), "{err}");
    assert!(err.contains("dmcg.toml"), "{err}");
}
