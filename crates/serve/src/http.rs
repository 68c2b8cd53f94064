//! Answering requests: files from the build folder (with the diagnostics
//! banner and the reload script added to HTML), the server's own endpoints,
//! and refusals for anything that tries to leave the build folder.

use crate::banner::{banner, Words, DANISH};
use crate::{Report, Shared, INTERNAL_PREFIX};
use std::path::{Path, PathBuf};

/// A response before it is sent.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// For redirects.
    pub(crate) location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            body: body.into(),
            location: None,
        }
    }
    fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body)
    }
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/__vejviser/version`: the build counter.
    Version,
    /// `/__vejviser/diagnostics`: the last report as JSON.
    Diagnostics,
    /// A path inside the build folder (relative, no `..`), and whether the
    /// request named a folder (ended in `/`).
    File { rel: PathBuf, slash: bool },
}

/// Answers one request; failures to send (the browser went away) are ignored.
pub(crate) fn handle(shared: &Shared, request: tiny_http::Request) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    let reply = if !host_allowed(host.as_deref(), shared.port) {
        // DNS rebinding: a page on another site that resolves its own name to
        // 127.0.0.1 must not read the preview.
        Reply::text(
            403,
            &format!(
                "The preview answers only requests for 127.0.0.1:{0}, localhost:{0} or [::1]:{0}.\n",
                shared.port
            ),
        )
    } else {
        match request.method() {
            tiny_http::Method::Get | tiny_http::Method::Head => respond(shared, request.url()),
            _ => Reply::text(405, "The preview only answers GET and HEAD.\n"),
        }
    };
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        ("Content-Type", reply.content_type.to_string()),
        // Always the newest build, never a cached one.
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    if let Some(location) = reply.location {
        headers.push(("Location", location));
    }
    for (name, value) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// Whether a request's `Host` header names this server: `127.0.0.1:PORT`,
/// `localhost:PORT` (any case) or `[::1]:PORT`, or the bare name when the
/// port is 80. Anything else may be another site's name resolved to this
/// machine (DNS rebinding).
pub(crate) fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    // The port follows the last `:` after the closing `]` of an IPv6 address.
    let tail_start = host.rfind(']').map_or(0, |i| i + 1);
    let (name, p) = match host[tail_start..].rfind(':') {
        Some(i) => (
            &host[..tail_start + i],
            host[tail_start + i + 1..].parse::<u16>().ok(),
        ),
        None => (host, Some(80)),
    };
    p == Some(port)
        && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

/// The reply to `GET url`.
pub(crate) fn respond(shared: &Shared, url: &str) -> Reply {
    let (version, report) = {
        let state = match shared.state.read() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        (state.version, state.report.clone())
    };
    let route = match resolve(url) {
        Ok(r) => r,
        Err(why) => return Reply::text(400, &format!("Bad request: {why}\n")),
    };
    let rel = match route {
        Route::Version => return Reply::text(200, &version.to_string()),
        Route::Diagnostics => {
            let body = serde_json::json!({
                "version": version,
                "building": report.is_none(),
                "report": report,
            });
            let mut bytes = serde_json::to_vec_pretty(&body).unwrap_or_default();
            bytes.push(b'\n');
            return Reply::new(200, "application/json", bytes);
        }
        Route::File { rel, slash } => {
            let path = shared.root.join(&rel);
            if path.is_dir() && !slash {
                // Relative links in the folder's index.html need the slash.
                let mut reply = Reply::text(301, "Moved to the folder's address.\n");
                reply.location = Some(folder_location(&rel));
                return reply;
            }
            rel
        }
    };
    let mut path = shared.root.join(&rel);
    if path.is_dir() {
        path.push("index.html");
    }
    match read_inside(&shared.root, &path) {
        Some(bytes) => {
            let content_type = content_type(&path);
            if content_type.starts_with("text/html") {
                let html = String::from_utf8_lossy(&bytes);
                let banner = report
                    .as_ref()
                    .filter(|r| r.has_news())
                    .map(|r| banner(r, true, Words::of_page(&html)));
                Reply::new(200, content_type, inject(&html, banner.as_deref(), version))
            } else {
                Reply::new(200, content_type, bytes)
            }
        }
        None => missing(url, &rel, version, report.as_ref()),
    }
}

/// The page for a path that has no file: still building, nothing built, or not found.
fn missing(url: &str, rel: &Path, version: u64, report: Option<&Report>) -> Reply {
    let bare = url.split(['?', '#']).next().unwrap_or("/");
    // The preview's own pages are in Danish, like the site's.
    let (status, title, text) = match report {
        None => (
            503,
            "Forhåndsvisningen bygges …",
            "Den første bygning er i gang; siden genindlæses, når den er færdig.".to_string(),
        ),
        Some(_) if rel.as_os_str().is_empty() => (
            404,
            "Intet at vise endnu",
            "Forhåndsvisningen har ingen sider endnu: bygningen lykkedes ikke. Ret det, der står ovenfor, og gem; siden genindlæses af sig selv.".to_string(),
        ),
        Some(_) => (
            404,
            "Siden findes ikke",
            format!("{} er ikke en del af forhåndsvisningen. <a href=\"/\">Gå til forsiden</a>.", escape(bare)),
        ),
    };
    let banner = report
        .filter(|r| r.has_news())
        .map(|r| banner(r, false, &DANISH));
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} – vejvisers forhåndsvisning</title></head>\n<body style=\"font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem\">\n<h1>{title}</h1>\n<p>{text}</p>\n</body>\n</html>\n"
    );
    Reply::new(
        status,
        "text/html; charset=utf-8",
        inject(&html, banner.as_deref(), version),
    )
}

/// Reads a file if it is a file inside `root` (also after following links).
fn read_inside(root: &Path, path: &Path) -> Option<Vec<u8>> {
    let root = root.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

/// Splits a request target into a route. The path is percent-decoded first,
/// then every segment is checked: `.`, `..`, backslashes, drive letters and
/// NUL are refused, so no request can name a file outside the build folder.
pub(crate) fn resolve(url: &str) -> Result<Route, &'static str> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err("the path must start with /");
    }
    let decoded = percent_decode(path).ok_or("the path is not valid percent-encoded UTF-8")?;
    if let Some(name) = decoded.strip_prefix(INTERNAL_PREFIX) {
        return match name {
            "version" => Ok(Route::Version),
            "diagnostics" => Ok(Route::Diagnostics),
            _ => Err("no such endpoint"),
        };
    }
    let mut rel = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Err("the path may not contain . or .. segments");
        }
        if segment.contains(['\\', '\0', ':']) {
            return Err("the path contains a character not allowed in a file name");
        }
        rel.push(segment);
    }
    Ok(Route::File {
        slash: decoded.ends_with('/'),
        rel,
    })
}

/// The address of a folder inside the preview, built from its checked path
/// (never from the request as sent): one leading slash and each segment
/// percent-encoded, so it is always path-absolute on this server (`//status`
/// would send the browser to the host `status`).
fn folder_location(rel: &Path) -> String {
    let mut out = String::from("/");
    for segment in rel.iter() {
        for b in segment.to_string_lossy().bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out.push('/');
    }
    out
}

/// `%XX` decoding; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a built file, by its extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

/// Adds the banner at the top of `<body>` and the reload script before
/// `</body>` (or at the ends of the document when it has no body tags).
pub(crate) fn inject(html: &str, banner: Option<&str>, version: u64) -> String {
    let script = reload_script(version);
    let mut out = String::with_capacity(html.len() + script.len() + banner.map_or(0, str::len));
    let lower = html.to_ascii_lowercase();
    let body_start = lower
        .find("<body")
        .filter(|&i| {
            // `<body>` or `<body …>`, not `<bodyguard>`.
            matches!(
                lower.as_bytes().get(i + 5),
                Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
            )
        })
        .and_then(|i| lower[i..].find('>').map(|j| i + j + 1));
    let body_end = lower
        .rfind("</body")
        .filter(|&e| body_start.is_none_or(|s| e >= s));
    let (head, rest) = match body_start {
        Some(s) => html.split_at(s),
        None => ("", html),
    };
    out.push_str(head);
    if let Some(b) = banner {
        out.push_str(b);
    }
    match body_end {
        Some(e) => {
            let e = e - head.len();
            out.push_str(&rest[..e]);
            out.push_str(&script);
            out.push_str(&rest[e..]);
        }
        None => {
            out.push_str(rest);
            out.push_str(&script);
        }
    }
    out
}

/// Polls the build counter every half second and reloads on a new build.
/// The version the page was served at is built in, so a build that finishes
/// between serving and the first poll is not missed.
fn reload_script(version: u64) -> String {
    format!(
        "<script>/* vejviser serve: reload on rebuild */(function(){{var v=\"{version}\";function poll(){{fetch(\"{INTERNAL_PREFIX}version\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}}).then(function(t){{if(t.trim()!==v){{location.reload()}}else{{setTimeout(poll,500)}}}},function(){{setTimeout(poll,1000)}})}}setTimeout(poll,500)}})();</script>\n"
    )
}

/// Escapes text for HTML content and attribute values (the one policy in `model::safe`).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    vejviser_model::safe::html_escape(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Shared, State};
    use std::sync::RwLock;
    use vejviser_diagnostics::{Code, Diagnostic, Span};

    fn file(rel: &str, slash: bool) -> Route {
        Route::File {
            rel: PathBuf::from(rel),
            slash,
        }
    }

    #[test]
    fn paths_resolve_inside_the_build_folder() {
        assert_eq!(resolve("/"), Ok(file("", true)));
        assert_eq!(resolve("/full.html"), Ok(file("full.html", false)));
        assert_eq!(
            resolve("/dmsg/myelomatose-hdt/"),
            Ok(file("dmsg/myelomatose-hdt", true))
        );
        assert_eq!(
            resolve("/dmsg//x.pdf?download=1#p2"),
            Ok(file("dmsg/x.pdf", false))
        );
        assert_eq!(resolve("/a%20b.html"), Ok(file("a b.html", false)));
        assert_eq!(resolve("/%C3%A6.html"), Ok(file("æ.html", false)));
        assert_eq!(resolve("/__vejviser/version"), Ok(Route::Version));
        assert_eq!(resolve("/__vejviser/diagnostics"), Ok(Route::Diagnostics));
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/..%5cCargo.toml",
            "/a%00.html",
            "/C:/Windows/win.ini",
            "/./index.html",
            "relative.html",
            "http://example.org/",
            "/%zz",
            "/%ff.html",
            "/__vejviser/../../x",
        ] {
            assert!(resolve(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_end_and_the_banner_after_its_start() {
        let html = "<!DOCTYPE html><html><head><title>x</title></head><BODY class=\"page\"><p>text</p></Body></html>";
        let out = inject(html, Some("<div id=\"b\"></div>"), 7);
        let banner = out.find("<div id=\"b\">").unwrap();
        let body = out.find("<BODY class=\"page\">").unwrap();
        let script = out.find("<script>").unwrap();
        let text = out.find("<p>text</p>").unwrap();
        let end = out.find("</Body>").unwrap();
        assert!(
            body < banner && banner < text && text < script && script < end,
            "{out}"
        );
        assert!(out.contains("var v=\"7\""));
        assert!(out.ends_with("</html>"));
        // Without body tags the page still gets both.
        let out = inject("<p>bare</p>", Some("<div id=\"b\"></div>"), 1);
        assert!(
            out.starts_with("<div id=\"b\">") && out.contains("<script>"),
            "{out}"
        );
        // No banner: the page is unchanged apart from the script.
        let out = inject(html, None, 3);
        assert_eq!(out.replace(&reload_script(3), ""), html);
    }

    fn shared(dir: &Path, report: Option<Report>) -> Shared {
        Shared {
            port: 8000,
            root: dir.to_path_buf(),
            state: RwLock::new(State { version: 4, report }),
        }
    }

    #[test]
    fn files_folders_and_missing_pages() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("preview");
        std::fs::create_dir_all(root.join("dmsg/g")).unwrap();
        std::fs::write(
            root.join("index.html"),
            "<html><body><p>quick</p></body></html>",
        )
        .unwrap();
        std::fs::write(root.join("dmsg/g/index.html"), "<body>g</body>").unwrap();
        std::fs::write(root.join("g.pdf"), b"%PDF-1.7").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        let s = shared(&root, Some(Report::ok(vec![])));

        let r = respond(&s, "/");
        assert_eq!(
            (r.status, r.content_type),
            (200, "text/html; charset=utf-8")
        );
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("<p>quick</p>") && body.contains("/__vejviser/version"));
        assert!(
            !body.contains("vejviser-preview"),
            "no banner for a clean build"
        );

        let r = respond(&s, "/g.pdf");
        assert_eq!(
            (r.status, r.content_type, r.body.as_slice()),
            (200, "application/pdf", &b"%PDF-1.7"[..])
        );

        let r = respond(&s, "/dmsg/g");
        assert_eq!((r.status, r.location.as_deref()), (301, Some("/dmsg/g/")));
        assert_eq!(respond(&s, "/dmsg/g/").status, 200);

        assert_eq!(respond(&s, "/../secret.txt").status, 400);
        assert_eq!(respond(&s, "/%2e%2e/secret.txt").status, 400);
        let r = respond(&s, "/nope.html");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8(r.body)
            .unwrap()
            .contains("/__vejviser/version"));
        assert_eq!(respond(&s, "/__vejviser/version").body, b"4");

        // Before the first build: a page that waits for it.
        let s = shared(&tmp.path().join("empty"), None);
        assert_eq!(respond(&s, "/").status, 503);
    }

    #[test]
    fn a_failed_build_shows_its_diagnostics_over_the_last_good_page() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("index.html"), "<body><p>old</p></body>").unwrap();
        let d = Diagnostic::new(Code::ALL[0], "guideline.md", Span::new(7, 1), "broken");
        let report = Report {
            ok: false,
            diagnostics: vec![d],
            ..Report::default()
        };
        let s = shared(tmp.path(), Some(report));
        let body = String::from_utf8(respond(&s, "/").body).unwrap();
        assert!(body.contains("guideline.md:7:1"), "{body}");
        assert!(body.contains("<p>old</p>"));
        let json: serde_json::Value =
            serde_json::from_slice(&respond(&s, "/__vejviser/diagnostics").body).unwrap();
        assert_eq!(json["report"]["diagnostics"][0]["line"], 7);
        assert_eq!(json["report"]["ok"], false);
    }

    #[test]
    fn only_this_servers_own_host_names_are_answered() {
        for ok in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LocalHost:8000",
            "[::1]:8000",
        ] {
            assert!(host_allowed(Some(ok), 8000), "{ok}");
        }
        for bad in [
            None,
            Some(""),
            Some("evil.example:8000"),
            Some("127.0.0.1:8001"),
            Some("localhost"),
            Some("127.0.0.1.evil.example:8000"),
            Some("[::1]:8001"),
            Some("[::2]:8000"),
            Some("::1:8000"),
            Some("localhost:8000:8000"),
            Some("localhost:"),
        ] {
            assert!(!host_allowed(bad, 8000), "{bad:?}");
        }
        assert!(host_allowed(Some("localhost"), 80));
    }

    #[test]
    fn a_folder_redirect_never_leaves_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("status")).unwrap();
        let shared = shared(tmp.path(), None);
        for url in [
            "//status",
            "///status",
            "/status",
            "/%2F%2Fstatus",
            "//status?x=//y",
        ] {
            let r = respond(&shared, url);
            assert_eq!(
                (r.status, r.location.as_deref()),
                (301, Some("/status/")),
                "{url}"
            );
        }
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("site.js", "text/javascript; charset=utf-8"),
            ("search.json", "application/json"),
            ("feed.xml", "application/xml"),
            ("x.SVG", "image/svg+xml"),
            ("f.woff2", "font/woff2"),
            ("f.ttf", "font/ttf"),
            ("p.png", "image/png"),
            ("g.pdf", "application/pdf"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(f)), t, "{f}");
        }
    }
}
