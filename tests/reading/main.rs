//! What a clinician sees first, in Debian's headless Chromium (playwright-core,
//! `tests/a11y/layout.js`), on the site fixture:
//!
//! - on a phone (375 × 667) every quick guide's first recommendation starts on
//!   the first screen, below the banners that say a guideline is overdue,
//!   expired, archived or a draft; the front page facts are behind a disclosure;
//! - the overview, group and status tables show the Status column inside the
//!   window without scrolling at 1024 and 1280 px, and on a phone every cell of
//!   every row (as a card) is shown inside the window at a readable width;
//! - the changelog's description is inside the window, readable, at 375 and 1280 px;
//! - the search page's one hit says where it matched, with an excerpt of whole words.
//!
//! And, without a browser: a table that claims a sort order (`aria-sort`) has
//! its rows in that order; every page of a quick PDF says where the current
//! version is and which version it is; readers see one date format.
//!
//! Needs chromium, node and `npm ci` in `tests/a11y`; without them the browser
//! test says SKIPPED, unless `VEJVISER_REQUIRE_BROWSER` is set, when it fails.
//!
//! The Chromium-measured layout and search are in `in_view`; the checks
//! without a browser in `text`.

#[path = "../common/browser.rs"]
mod browser;

mod in_view;
mod text;

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::Path;

const AS_OF: &str = "2026-11-23";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The site fixture with drafts, built into `out` (no PDFs: only pages are measured).
fn site(out: &Path) {
    site_with(out, &["--no-pdf", "--drafts"]);
}

/// The site fixture built into `out` at the example address, with `flags`.
fn site_with(out: &Path, flags: &[&str]) {
    cargo_bin_cmd!("vejviser")
        .args(["site", "--as-of", AS_OF])
        .args(flags)
        .args(["--base-url", "https://retningslinjer.example.dk/"])
        .arg("--guidelines")
        .arg(root().join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// The pages with the overview tables: measured in Chromium (`in_view`) and
/// their sort claims checked (`text`).
const TABLE_PAGES: &[&str] = &[
    "index.html",
    "dmg/index.html",
    "dmsg/index.html",
    "status/index.html",
];
