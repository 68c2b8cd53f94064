//! The site's own settings, owned by the secretariat: `site.toml` in the
//! guidelines folder, beside the group registry `dmcg.toml`. It holds what
//! the accessibility statement (tilgængelighedserklæring) says that the
//! build cannot know by itself: who publishes the site, how well it conforms,
//! what is known not to be accessible, and whom to contact (the date of the
//! last assessment is the build's date, given to the build); and the
//! publishing policy for archived versions: which formats each keeps.

use crate::SiteError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file's name in the guidelines folder.
pub const SITE_CONFIG_FILE: &str = "site.toml";

/// `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The accessibility statement's facts; without them the site has no statement.
    #[serde(default)]
    pub accessibility: Option<Accessibility>,
    /// What each archived version publishes.
    #[serde(default)]
    pub archive: Archive,
}

/// `[archive]`: which formats an archived version (one a newer version
/// replaced) publishes besides its full page, its page of changes and the
/// page pointing into its recommendations, which it always has. Both `true`
/// unless the secretariat turns one off, to keep a large archive small: the
/// full PDF is about a third of an archived version's bytes and
/// `guideline.json` a quarter (README, issue 18). A format turned off is
/// neither written nor linked; every version's source stays in the
/// guidelines folder (`archive/<version>.md`), from which `vejviser build`
/// makes it again. The current version and a withdrawn guideline's last
/// version always publish every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    /// The full PDF of each archived version.
    #[serde(default = "yes")]
    pub pdf: bool,
    /// The machine-readable `guideline.json` of each archived version.
    #[serde(default = "yes")]
    pub json: bool,
}

impl Default for Archive {
    fn default() -> Archive {
        Archive {
            pdf: true,
            json: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// `[accessibility]`: the statement's facts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// The public body responsible for the site ("Sekretariatet for …").
    pub owner: String,
    /// How well the site meets WCAG 2.1 AA: `full`, `partial` or `none`.
    pub conformance: Conformance,
    /// When the statement was first prepared.
    #[serde(deserialize_with = "date")]
    pub prepared: NaiveDate,
    /// Who assessed the site: `self`, `third-party` or `other`.
    pub assessment: Assessment,
    /// How the site was assessed, in words.
    pub method: Text,
    /// The statement's official copy in Digitaliseringsstyrelsen's WAS-Tool
    /// (`https://www.was.digst.dk/…`), when there is one.
    #[serde(default)]
    pub official: Option<String>,
    /// Where to send feedback on accessibility.
    pub contact: Contact,
    /// Content that is not (yet) accessible, in both languages.
    #[serde(default)]
    pub exceptions: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Conformance {
    Full,
    Partial,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assessment {
    #[serde(rename = "self")]
    SelfAssessment,
    ThirdParty,
    Other,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
    /// The law asks for a telephone as well as a written contact.
    pub phone: String,
}

/// A text in Danish and English, since the statement is published in both
/// (an exception: what is not accessible, and why; the assessment method).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub da: String,
    pub en: String,
}

fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let v = toml::value::Datetime::deserialize(d)?;
    match (v.date, v.time) {
        (Some(date), None) => {
            NaiveDate::from_ymd_opt(i32::from(date.year), date.month.into(), date.day.into())
                .ok_or_else(|| serde::de::Error::custom("not a date in the calendar"))
        }
        _ => Err(serde::de::Error::custom(
            "expected a date without a time, like 2026-12-01",
        )),
    }
}

/// Reads `site.toml` from the guidelines folder: `Ok(None)` when there is none.
pub fn load(guidelines: &Path) -> Result<Option<SiteConfig>, SiteError> {
    let path = guidelines.join(SITE_CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(crate::io(&path)(e)),
    };
    parse(&path.display().to_string(), &text).map(Some)
}

/// Parses and validates the text of a `site.toml`; `shown` names it in errors.
pub fn parse(shown: &str, text: &str) -> Result<SiteConfig, SiteError> {
    let at = |span: Option<std::ops::Range<usize>>| {
        let line = span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(l) => format!("{shown}:{l}"),
            None => shown.to_string(),
        }
    };
    let config: SiteConfig = toml::from_str(text).map_err(|e| SiteError::Config {
        path: at(e.span()),
        message: e.message().to_string(),
    })?;
    let Some(a) = &config.accessibility else {
        return Ok(config);
    };
    let bad = |what: &str, message: &str| SiteError::Config {
        path: shown.to_string(),
        message: format!("accessibility.{what}: {message}"),
    };
    for (what, value) in [
        ("owner", &a.owner),
        ("contact.name", &a.contact.name),
        ("contact.email", &a.contact.email),
    ] {
        if value.trim().is_empty() {
            return Err(bad(what, "must not be empty"));
        }
    }
    if !is_email(&a.contact.email) {
        return Err(bad(
            "contact.email",
            "must be an e-mail address like tilgaengelighed@example.dk",
        ));
    }
    let phone = &a.contact.phone;
    if !phone.chars().any(|c| c.is_ascii_digit())
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'))
    {
        return Err(bad(
            "contact.phone",
            "digits, spaces, '+' and '-' only, like +45 33 92 33 00",
        ));
    }
    let texts = std::iter::once(("method".to_string(), &a.method)).chain(
        a.exceptions
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("exceptions[{i}]"), e)),
    );
    for (what, t) in texts {
        if t.da.trim().is_empty() || t.en.trim().is_empty() {
            return Err(bad(&what, "needs a text in both `da` and `en`"));
        }
    }
    if let Some(url) = &a.official {
        let rest = url.strip_prefix("https://").unwrap_or("");
        if rest.is_empty()
            || !rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
        {
            return Err(bad(
                "official",
                "must be an https:// address like https://www.was.digst.dk/retningslinjer-example-dk",
            ));
        }
    }
    Ok(config)
}

/// An address safe to put after `mailto:`: one `@`, a dot in the domain, and
/// nothing that could end the attribute or start another URL part.
fn is_email(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    };
    ok(user) && ok(domain) && domain.contains('.') && !domain.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[accessibility]
owner = "Sekretariatet"
conformance = "partial"
prepared = 2026-12-01
assessment = "self"
method = { da = "Automatiske test.", en = "Automated tests." }
contact = { name = "Sekretariatet", email = "tilgaengelighed@example.dk", phone = "+45 12 34 56 78" }
exceptions = [{ da = "PDF-filerne er ikke tagget.", en = "The PDF files are not tagged." }]
"#;

    #[test]
    fn reads_the_statements_facts() {
        let c = parse("site.toml", GOOD).unwrap();
        let a = c.accessibility.unwrap();
        assert_eq!(a.conformance, Conformance::Partial);
        assert_eq!(a.assessment, Assessment::SelfAssessment);
        assert_eq!(a.prepared, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(a.exceptions.len(), 1);
        // Archived versions keep every format unless told otherwise.
        assert_eq!(c.archive, Archive::default());
        assert!(c.archive.pdf && c.archive.json);
    }

    #[test]
    fn reads_the_archive_policy_alone_or_with_the_statement() {
        let lean = parse("site.toml", "[archive]\npdf = false\n").unwrap();
        assert!(lean.accessibility.is_none());
        assert_eq!(
            lean.archive,
            Archive {
                pdf: false,
                json: true
            }
        );
        let both = parse("site.toml", &format!("{GOOD}\n[archive]\njson = false\n")).unwrap();
        assert!(both.accessibility.is_some());
        assert!(both.archive.pdf && !both.archive.json);
        let e = parse("g/site.toml", "[archive]\npage = false\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g/site.toml:2: "), "{e}");
        assert!(e.contains("page"), "{e}");
        let e = parse("site.toml", "[archive]\npdf = \"no\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("site.toml:2"), "{e}");
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let e = parse("g/site.toml", &GOOD.replace("\"partial\"", "\"mostly\""))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g/site.toml:4: "), "{e}");
        assert!(e.contains("mostly"), "{e}");
        let e = parse(
            "site.toml",
            &GOOD.replace("tilgaengelighed@example.dk", "x\\\" onclick=\\\"y@a.dk"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("accessibility.contact.email"), "{e}");
        let e = parse(
            "site.toml",
            &GOOD.replace("2026-12-01", "2026-12-01T10:00:00"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("without a time"), "{e}");
        let e = parse("site.toml", &GOOD.replace("owner", "owners"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("site.toml:3"), "{e}");
        let e = parse(
            "site.toml",
            &GOOD.replace("en = \"The PDF files are not tagged.\"", "en = \" \""),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("exceptions[0]"), "{e}");
        let e = parse("site.toml", &GOOD.replace("+45 12 34 56 78", "ring"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("contact.phone"), "{e}");
        let e = parse(
            "site.toml",
            &GOOD.replace(
                "[accessibility]",
                "[accessibility]\nofficial = \"javascript:x\"",
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("accessibility.official"), "{e}");
    }

    #[test]
    fn only_plain_addresses_are_emails() {
        assert!(is_email("a.b-c@sub.example.dk"));
        for bad in [
            "",
            "a",
            "a@b",
            "@b.dk",
            "a@.dk",
            "a b@c.dk",
            "a@b.dk?x=1",
            "a@b@c.dk",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
