//! The headless browser the page tests drive: Debian's chromium and node with
//! the npm packages of tests/a11y (playwright-core, axe-core), pinned by its lockfile.

use std::path::{Path, PathBuf};

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// chromium, node and the installed npm `packages`, or why not.
fn tools(packages: &[&str]) -> Result<(PathBuf, PathBuf), String> {
    let chromium = ["/usr/bin/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| on_path("chromium"))
        .ok_or("chromium is not installed (Debian: apt-get install -y chromium)")?;
    let node =
        on_path("node").ok_or("node is not installed (Debian: apt-get install -y nodejs npm)")?;
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules");
    for package in packages {
        if !modules.join(package).join("package.json").is_file() {
            return Err(format!(
                "{package} is not installed (run `npm ci` in tests/a11y)"
            ));
        }
    }
    Ok((chromium, node))
}

/// (chromium, node) for `test`, or `None` after saying SKIPPED when they are
/// missing; with `VEJVISER_REQUIRE_BROWSER` set (CI sets it) missing tools fail
/// the test instead, so it can never pass by skipping.
pub fn browser_or_skip(test: &str, packages: &[&str]) -> Option<(PathBuf, PathBuf)> {
    match tools(packages) {
        Ok(t) => Some(t),
        Err(why) if std::env::var_os("VEJVISER_REQUIRE_BROWSER").is_none() => {
            eprintln!("SKIPPED {test}: {why}");
            None
        }
        Err(why) => panic!("VEJVISER_REQUIRE_BROWSER is set but {why}"),
    }
}
