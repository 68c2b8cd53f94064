//! `--base-url`: the site's public address, put in front of every address in
//! `feed.xml` and `sitemap.xml` (formats that require absolute URLs) and of
//! the links on `404.html`. It is checked before anything is built.

/// What is wrong with a base URL: `Err` when it is not an address at all (the
/// build refuses it), `Ok(Some(warning))` when it is one but feed readers and
/// search engines would not take it as the site's public address, `Ok(None)`
/// for `https://host/…` and for `http://localhost…` (a local preview). A
/// `file:///folder/` address (a copy browsed from disk) gets a warning.
pub fn check(url: &str) -> Result<Option<String>, String> {
    if url.is_empty() {
        return Err(
            "is empty; give the site's public address, e.g. https://retningslinjer.example.dk/"
                .into(),
        );
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(*c))
    {
        return Err(format!(
            "holds {c:?}, which an address cannot; give the site's public address, e.g. https://retningslinjer.example.dk/"
        ));
    }
    if url.contains(['?', '#']) {
        return Err("has a query or fragment (`?`, `#`); page addresses are added after it".into());
    }
    let head = url.split('/').next().unwrap_or("");
    let Some((scheme, _)) = head.split_once(':') else {
        return Ok(Some(relative_warning()));
    };
    if url.starts_with("//") {
        return Ok(Some(relative_warning()));
    }
    let scheme = scheme.to_ascii_lowercase();
    // A copy of the site browsed from disk (a local check, the accessibility
    // test): its 404 page and feed point into that folder.
    if scheme == "file" {
        return if url.starts_with("file:///") {
            Ok(Some("is a file: address: the feed, sitemap and 404 page will point into this folder on this machine only; publish with the site's public https:// address".into()))
        } else {
            Err("is a `file:` address without a path: write it as file:///folder/".into())
        };
    }
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "is a `{scheme}:` address; the site's address starts with https://"
        ));
    }
    let Some(rest) = url
        .get(scheme.len() + 1..)
        .and_then(|r| r.strip_prefix("//"))
    else {
        return Err(format!(
            "is not an address: {scheme}: is followed by //host/"
        ));
    };
    let host = rest.split('/').next().unwrap_or("");
    let name = host_name(host);
    if name.is_empty() {
        return Err("has no host name: write it as https://host/".into());
    }
    let local = matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    );
    if scheme == "http" && !local {
        return Ok(Some(
            "is http://, not https://: feed readers and search engines would link to the site unencrypted".into(),
        ));
    }
    Ok(None)
}

/// The host without user info or port.
fn host_name(host: &str) -> &str {
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.split(':').next().unwrap_or(host)
}

fn relative_warning() -> String {
    "is not an absolute address: feed.xml and sitemap.xml will hold relative addresses, which those formats forbid (feed readers and search engines skip them); give the site's public address, e.g. --base-url https://retningslinjer.example.dk/".into()
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn public_https_and_local_http_addresses_pass() {
        for ok in [
            "https://retningslinjer.example.dk/",
            "https://retningslinjer.example.dk",
            "HTTPS://x.dk/sub/dir/",
            "https://x.dk:8443/",
            "http://localhost:8000/",
            "http://127.0.0.1/",
            "http://[::1]:4000/",
        ] {
            assert_eq!(check(ok), Ok(None), "{ok}");
        }
    }

    #[test]
    fn relative_and_plain_http_addresses_are_warned_about() {
        for warn in [
            "/",
            "/retningslinjer/",
            "retningslinjer/",
            "//x.dk/",
            "http://x.dk/",
            "file:///tmp/public/",
        ] {
            assert!(
                matches!(check(warn), Ok(Some(_))),
                "{warn}: {:?}",
                check(warn)
            );
        }
        assert!(check("/").unwrap().unwrap().contains("relative"));
        assert!(check("http://x.dk/").unwrap().unwrap().contains("https"));
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        for bad in [
            "",
            "javascript:alert(1)",
            "ftp://x.dk/",
            "file:public/",
            "https://",
            "https:///x",
            "https:x.dk",
            "https://x.dk/a b",
            "https://x.dk/\"><script>",
            "https://x.dk/?q=1",
            "https://x.dk/#top",
            "mailto:a@b.dk",
            "https://x.dk/\n",
        ] {
            assert!(check(bad).is_err(), "{bad:?}: {:?}", check(bad));
        }
    }
}
