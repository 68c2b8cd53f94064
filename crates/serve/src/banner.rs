//! The preview box: the diagnostics banner `vejviser serve` puts on top of each
//! page it sends, in the page's language (Danish, or English on an English
//! guideline's pages). Its own words are translated; the checker's findings are
//! English, like the terminal's, and marked `lang="en"` on a Danish page.

use crate::http::escape;
use crate::Report;
use std::fmt::Write as _;

/// The preview box's own words in one language. The findings it lists are the
/// checker's, in English like the terminal's, and marked `lang="en"` on a Danish page.
pub(crate) struct Words {
    lang: &'static str,
    preview: &'static str,
    not_rebuilt: &'static str,
    /// Followed by the counts and a colon.
    found: &'static str,
    error: (&'static str, &'static str),
    warning: (&'static str, &'static str),
    and: &'static str,
    /// `{n}`: how many more.
    more: &'static str,
    last_good: &'static str,
}

pub(crate) const DANISH: Words = Words {
    lang: "da",
    preview: "Forhåndsvisning",
    not_rebuilt: "Forhåndsvisningen blev ikke bygget igen.",
    found: "Kontrollen fandt",
    error: ("fejl", "fejl"),
    warning: ("advarsel", "advarsler"),
    and: "og",
    more: "… og {n} til; <code>vejviser check</code> viser dem alle.",
    last_good: "Herunder er den seneste version, der kunne bygges. Gem en rettet fil, så opdateres siden af sig selv.",
};

pub(crate) const ENGLISH: Words = Words {
    lang: "en",
    preview: "Preview",
    not_rebuilt: "The preview was not rebuilt.",
    found: "The check found",
    error: ("error", "errors"),
    warning: ("warning", "warnings"),
    and: "and",
    more: "… and {n} more; <code>vejviser check</code> lists them all.",
    last_good:
        "Below is the last version that built. Save a fixed file and this page updates by itself.",
};

impl Words {
    /// The words for a page: English on an English guideline's page, else Danish.
    pub(crate) fn of_page(html: &str) -> &'static Words {
        let head = &html[..html.len().min(512)];
        if head.contains("<html lang=\"en") {
            &ENGLISH
        } else {
            &DANISH
        }
    }
}

/// The diagnostics banner. `over_last_good`: it sits over pages from an
/// earlier build (say so when the latest one failed).
pub(crate) fn banner(report: &Report, over_last_good: bool, w: &Words) -> String {
    let errors = report.errors();
    let warnings = report.warnings();
    let failed = !report.ok;
    let class = if failed || errors > 0 {
        "vv-error"
    } else {
        "vv-warning"
    };
    // The checker's own texts (headline, findings, notes) are English.
    let en = if w.lang == "en" { "" } else { " lang=\"en\"" };
    let mut s = String::new();
    s.push_str(BANNER_STYLE);
    let _ = write!(
        s,
        "<div id=\"vejviser-preview\" class=\"{class}\" role=\"status\" aria-live=\"polite\" lang=\"{}\">",
        w.lang
    );
    let mut summary = Vec::new();
    if errors > 0 {
        summary.push(plural(errors, w.error.0, w.error.1));
    }
    if warnings > 0 {
        summary.push(plural(warnings, w.warning.0, w.warning.1));
    }
    let mut lead = String::new();
    if let Some(h) = &report.headline {
        let _ = write!(lead, "<span{en}>{}</span>", escape(h));
    } else if failed {
        lead.push_str(w.not_rebuilt);
    }
    if !summary.is_empty() {
        if !lead.is_empty() {
            lead.push(' ');
        }
        let _ = write!(
            lead,
            "{} {}:",
            w.found,
            summary.join(&format!(" {} ", w.and))
        );
    }
    let _ = write!(s, "<p><strong>{}:</strong> {lead}</p>", w.preview);
    if !report.diagnostics.is_empty() {
        let _ = write!(s, "<ul{en}>");
        for d in report.diagnostics.iter().take(crate::LISTED) {
            let _ = write!(
                s,
                "<li class=\"vv-{sev}\"><code>{file}:{line}:{col}</code> <b>{sev}[{code}]</b>: {msg}",
                sev = d.severity.as_str(),
                file = escape(&d.file),
                line = d.line,
                col = d.column,
                code = d.code.as_str(),
                msg = escape(&d.message),
            );
            if let Some(help) = &d.help {
                let _ = write!(s, "<br><small>help: {}</small>", escape(help));
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>");
        if let Some(more) = report.diagnostics.len().checked_sub(crate::LISTED) {
            if more > 0 {
                let _ = write!(s, "<p>{}</p>", w.more.replace("{n}", &more.to_string()));
            }
        }
    }
    if !report.notes.is_empty() {
        let _ = write!(s, "<ul{en}>");
        for n in &report.notes {
            let _ = write!(s, "<li>{}</li>", escape(n));
        }
        s.push_str("</ul>");
    }
    if failed && over_last_good {
        let _ = write!(s, "<p>{}</p>", w.last_good);
    }
    s.push_str("</div>\n");
    s
}

const BANNER_STYLE: &str = "<style>#vejviser-preview{font:15px/1.45 system-ui,sans-serif;margin:0;padding:.75rem 1rem;border-bottom:3px solid;position:relative;z-index:1000}#vejviser-preview.vv-error{background:#fdecea;border-color:#b3261e;color:#3b0a07}#vejviser-preview.vv-warning{background:#fff8e1;border-color:#a86b00;color:#3a2800}#vejviser-preview p{margin:.25rem 0}#vejviser-preview ul{margin:.25rem 0;padding-left:1.25rem}#vejviser-preview code{font-family:ui-monospace,monospace}#vejviser-preview li.vv-error b{color:#b3261e}#vejviser-preview li.vv-warning b{color:#8a5800}</style>\n";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejviser_diagnostics::{Code, Diagnostic, Span};

    #[test]
    fn the_banner_escapes_guideline_text_and_shows_line_numbers() {
        let d = Diagnostic::new(
            Code::ALL[0],
            "g/<script>.md",
            Span::new(12, 3),
            "bad <img src=x onerror=alert(1)> & more",
        )
        .help("write \"this\"");
        let report = Report {
            ok: false,
            headline: None,
            diagnostics: vec![d],
            notes: vec!["<b>note</b>".into()],
        };
        let b = banner(&report, true, &ENGLISH);
        assert!(b.contains("g/&lt;script&gt;.md:12:3"), "{b}");
        assert!(b.contains("bad &lt;img src=x onerror=alert(1)&gt; &amp; more"));
        assert!(b.contains("&quot;this&quot;"));
        assert!(b.contains("&lt;b&gt;note&lt;/b&gt;"));
        assert!(!b.contains("<img") && !b.contains("<script>.md"));
        assert!(b.contains("last version that built"));
        // On a Danish page the box's own words are Danish and the checker's
        // English findings are marked as English.
        let b = banner(&report, true, &DANISH);
        assert!(b.contains("<strong>Forhåndsvisning:</strong>"), "{b}");
        assert!(b.contains("Kontrollen fandt 1 fejl:"), "{b}");
        assert!(b.contains("seneste version, der kunne bygges"), "{b}");
        assert!(b.contains("<ul lang=\"en\"><li class=\"vv-error\">"), "{b}");
        assert!(!b.contains("The check found") && !b.contains("last version that built"));
        let danish = "<!doctype html><html lang=\"da\"><body></body></html>";
        let english = "<!doctype html><html lang=\"en\"><body></body></html>";
        assert_eq!(Words::of_page(danish).lang, "da");
        assert_eq!(Words::of_page(english).lang, "en");
    }
}
