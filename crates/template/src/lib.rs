//! The guideline template: which chapters a guideline has, in which order,
//! their Danish and English titles, required sub-headings, and the generated
//! chapter 9 text. Templates are TOML files in `schema/`; the current national
//! template is built in, so the binary works without the folder.

use serde::Deserialize;
use std::collections::BTreeMap;
use vejviser_model::{ChapterRole, Language};

pub mod examples;

/// The built-in templates, newest last.
pub const BUILTIN: &[(&str, &str)] =
    &[("sundk-1.0", include_str!("../../../schema/sundk-1.0.toml"))];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{file}: invalid template: {message}")]
    Invalid { file: String, message: String },
}

/// When a chapter must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Required {
    Always,
    Never,
    WithPreviousVersion,
}

/// A title in both template languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, from = "RawTitle")]
pub struct Title {
    pub da: String,
    pub en: String,
    /// Both titles normalised for loose matching, computed once.
    #[serde(skip)]
    keys: [String; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    da: String,
    en: String,
}

impl From<RawTitle> for Title {
    fn from(r: RawTitle) -> Self {
        Title::new(r.da, r.en)
    }
}

impl Title {
    pub fn new(da: String, en: String) -> Title {
        let keys = [normalise_title(&da), normalise_title(&en)];
        Title { da, en, keys }
    }

    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Da => &self.da,
            Language::En => &self.en,
        }
    }
    /// True when `written` is this title, loosely: case, a leading number and a
    /// parenthesised part are ignored, in either language.
    pub fn matches(&self, written: &str) -> bool {
        self.matches_key(&normalise_title(written))
    }

    /// Like [`Title::matches`] for a heading already passed through [`normalise_title`].
    pub fn matches_key(&self, key: &str) -> bool {
        !key.is_empty() && (key == self.keys[0] || key == self.keys[1])
    }
}

/// Index of the title a heading matches loosely (the heading is normalised once).
pub fn position_of(titles: &[Title], written: &str) -> Option<usize> {
    // Most headings are the template's title as it is written: then its key
    // is known without normalising (this runs for every heading of every file).
    let verbatim = titles.iter().find_map(|t| {
        [&t.da, &t.en]
            .into_iter()
            .zip(&t.keys)
            .find(|(title, _)| *title == written)
            .map(|(_, key)| key)
    });
    match verbatim {
        Some(key) => titles.iter().position(|t| t.matches_key(key)),
        None => {
            let key = normalise_title(written);
            titles.iter().position(|t| t.matches_key(&key))
        }
    }
}

impl Title {}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChapter {
    number: u32,
    role: String,
    da: String,
    en: String,
    required: Required,
    #[serde(default)]
    generated: bool,
    #[serde(default)]
    subheadings: Vec<Title>,
    #[serde(default)]
    block_subheadings: Vec<Title>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    name: String,
    #[serde(default)]
    required_keys: Vec<String>,
    chapter: Vec<RawChapter>,
    about: Title,
    #[serde(default)]
    about_cost: Option<Title>,
}

/// Front matter keys a template can require besides `title`, `dmcg` and
/// `version` (which every guideline has; VV0106).
pub const REQUIRABLE_KEYS: &[&str] = &["keywords"];

/// One chapter of the template.
#[derive(Debug, Clone)]
pub struct TemplateChapter {
    pub number: u32,
    pub role: ChapterRole,
    pub title: Title,
    pub required: Required,
    /// Written by vejviser, never by authors (chapter 9).
    pub generated: bool,
    /// Required level-2 headings, in order.
    pub subheadings: Vec<Title>,
    /// Level-3 headings inside each evidence block, in order.
    pub block_subheadings: Vec<Title>,
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    pub id: String,
    pub name: String,
    /// Front matter keys a guideline must fill in (VV0118), from [`REQUIRABLE_KEYS`].
    pub required_keys: Vec<String>,
    pub chapters: Vec<TemplateChapter>,
    /// The generated chapter 9 text (Markdown, with `{title}` etc. placeholders).
    pub about: Title,
    /// The sentence that takes the place of `{cost}` in chapter 9 when some
    /// recommendation carries the cost flag (nothing does otherwise).
    pub about_cost: Option<Title>,
}

impl Template {
    pub fn parse(file: &str, text: &str) -> Result<Template, TemplateError> {
        let invalid = |message: String| TemplateError::Invalid {
            file: file.to_string(),
            message,
        };
        let raw: RawTemplate = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut chapters = Vec::new();
        for c in raw.chapter {
            let role = ChapterRole::parse(&c.role)
                .ok_or_else(|| invalid(format!("unknown chapter role `{}`", c.role)))?;
            chapters.push(TemplateChapter {
                number: c.number,
                role,
                title: Title::new(c.da, c.en),
                required: c.required,
                generated: c.generated,
                subheadings: c.subheadings,
                block_subheadings: c.block_subheadings,
            });
        }
        if chapters.windows(2).any(|w| w[0].number >= w[1].number) {
            return Err(invalid("chapter numbers must increase".into()));
        }
        if let Some(k) = raw
            .required_keys
            .iter()
            .find(|k| !REQUIRABLE_KEYS.contains(&k.as_str()))
        {
            return Err(invalid(format!(
                "required_keys: `{k}` cannot be required (possible: {})",
                REQUIRABLE_KEYS.join(", ")
            )));
        }
        Ok(Template {
            id: raw.id,
            name: raw.name,
            required_keys: raw.required_keys,
            chapters,
            about: raw.about,
            about_cost: raw.about_cost,
        })
    }

    /// The template chapter a level-1 heading names, matched loosely.
    pub fn match_chapter(&self, heading: &str) -> Option<&TemplateChapter> {
        let key = normalise_title(heading);
        self.chapters.iter().find(|c| c.title.matches_key(&key))
    }

    pub fn chapter(&self, role: ChapterRole) -> Option<&TemplateChapter> {
        self.chapters.iter().find(|c| c.role == role)
    }

    /// Chapter 9's text for a guideline, placeholders filled in; `{cost}` becomes the
    /// template's cost sentence only when the guideline has cost-flagged
    /// recommendations, so chapter 9 never promises an appendix that is not there.
    pub fn about_text(
        &self,
        lang: Language,
        title: &str,
        dmcg: &str,
        version: &str,
        extra_cost: bool,
    ) -> String {
        let cost = match (&self.about_cost, extra_cost) {
            (Some(c), true) => c.get(lang),
            _ => "",
        };
        self.about
            .get(lang)
            .replace("{cost}", cost)
            .replace("{title}", title)
            .replace("{dmcg}", dmcg)
            .replace("{version}", version)
            .replace("{template}", &self.name)
    }
}

/// The templates known to a run: the built-in ones plus any `schema/*.toml`.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    templates: BTreeMap<String, Template>,
    newest: String,
}

impl TemplateSet {
    /// Only the templates compiled into vejviser.
    pub fn builtin() -> TemplateSet {
        let mut set = TemplateSet {
            templates: BTreeMap::new(),
            newest: String::new(),
        };
        for (id, text) in BUILTIN {
            let t = Template::parse(&format!("schema/{id}.toml"), text)
                .expect("built-in template is valid (tested)");
            set.insert(t);
        }
        set
    }

    /// Adds or replaces a template (a `schema/` file overrides the built-in copy).
    pub fn insert(&mut self, t: Template) {
        if compare_ids(&t.id, &self.newest).is_gt() || self.newest.is_empty() {
            self.newest = t.id.clone();
        }
        self.templates.insert(t.id.clone(), t);
    }

    pub fn get(&self, id: &str) -> Option<&Template> {
        self.templates.get(id)
    }

    pub fn newest(&self) -> &Template {
        &self.templates[&self.newest]
    }

    /// The template for a guideline's `template` key (`None`: the newest).
    pub fn resolve(&self, id: Option<&str>) -> Option<&Template> {
        match id {
            None => Some(self.newest()),
            Some(id) => self.get(id),
        }
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(|s| s.as_str())
    }
}

/// Orders template ids by their trailing version numbers (`sundk-1.10` > `sundk-1.9`).
fn compare_ids(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<u64> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect()
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// Lower-case, drop a leading chapter number (`2.`, `2`), a parenthesised part
/// and surrounding punctuation, and collapse whitespace.
pub fn normalise_title(s: &str) -> String {
    let s = s.trim();
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit());
    let s = s.strip_prefix('.').unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim_matches(|c: char| c == ' ' || c == ':' || c == '.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short cut for a title written as the template writes it finds what
    /// normalising finds, for every sub-heading list of the template.
    #[test]
    fn position_of_a_verbatim_title_is_its_loose_position() {
        let set = TemplateSet::builtin();
        let loose = |titles: &[Title], w: &str| {
            let key = normalise_title(w);
            titles.iter().position(|t| t.matches_key(&key))
        };
        for ch in &set.newest().chapters {
            for titles in [&ch.subheadings, &ch.block_subheadings] {
                for t in titles.iter() {
                    for w in [t.da.as_str(), t.en.as_str()] {
                        assert_eq!(position_of(titles, w), loose(titles, w), "{w}");
                        assert!(position_of(titles, w).is_some(), "{w}");
                        let other = format!("  {}: ", w.to_uppercase());
                        assert_eq!(position_of(titles, &other), loose(titles, w), "{other}");
                    }
                }
            }
        }
        let none: &[Title] = &[];
        assert_eq!(position_of(none, "Rationale"), None);
    }

    #[test]
    fn builtin_template_is_valid_and_complete() {
        let set = TemplateSet::builtin();
        let t = set.newest();
        assert_eq!(t.id, "sundk-1.0");
        assert_eq!(t.chapters.len(), 9);
        assert_eq!(
            t.chapter(ChapterRole::Methods).unwrap().subheadings.len(),
            12
        );
        assert_eq!(
            t.chapter(ChapterRole::Evidence)
                .unwrap()
                .block_subheadings
                .len(),
            4
        );
        assert!(t.chapter(ChapterRole::About).unwrap().generated);
        assert_eq!(t.required_keys, vec!["keywords".to_string()]);
    }

    #[test]
    fn only_known_keys_can_be_required() {
        let text = BUILTIN[0].1.replace(
            "required_keys = [\"keywords\"]",
            "required_keys = [\"colour\"]",
        );
        let err = Template::parse("schema/x.toml", &text).unwrap_err();
        assert!(
            err.to_string().contains("`colour` cannot be required"),
            "{err}"
        );
    }

    #[test]
    fn chapter_titles_match_loosely() {
        let set = TemplateSet::builtin();
        let t = set.newest();
        for h in [
            "2. Anbefalinger (centrale budskaber)",
            "Anbefalinger",
            "2 anbefalinger",
            "ANBEFALINGER (centrale budskaber)",
            "Recommendations (key messages)",
            "2. Recommendations",
        ] {
            assert_eq!(
                t.match_chapter(h).map(|c| c.number),
                Some(2),
                "heading {h:?}"
            );
        }
        assert_eq!(t.match_chapter("1. Nyt siden sidst").unwrap().number, 1);
        assert!(t.match_chapter("Diskussion").is_none());
        assert!(t.match_chapter("").is_none());
    }

    #[test]
    fn newest_template_by_version_number() {
        assert!(compare_ids("sundk-1.10", "sundk-1.9").is_gt());
        let mut set = TemplateSet::builtin();
        let mut t = set.newest().clone();
        t.id = "sundk-1.1".into();
        set.insert(t);
        assert_eq!(set.newest().id, "sundk-1.1");
        assert_eq!(set.resolve(None).unwrap().id, "sundk-1.1");
        assert_eq!(set.resolve(Some("sundk-1.0")).unwrap().id, "sundk-1.0");
    }

    #[test]
    fn about_text_is_filled_in() {
        let set = TemplateSet::builtin();
        let text = set
            .newest()
            .about_text(Language::En, "T", "DMSG", "2.0", false);
        assert!(text.contains("DMSG"));
        assert!(!text.contains('{'));
        assert!(
            !text.contains("appendix"),
            "no cost appendix promised: {text}"
        );
        let with_cost = set
            .newest()
            .about_text(Language::En, "T", "DMSG", "2.0", true);
        assert!(with_cost.contains("appendix"), "{with_cost}");
    }

    #[test]
    fn chapter_9_states_the_national_points() {
        // Not legally binding; used in supervisory, complaint and compensation cases to
        // judge care given with "omhu og samvittighedsfuldhed"; deviations documented in
        // the patient record; AGREE II, GRADE and RIGHT; approved administratively by
        // SundK's Retningslinjefunktionen.
        let set = TemplateSet::builtin();
        let da = set
            .newest()
            .about_text(Language::Da, "T", "DMSG", "2.0", false);
        for needle in [
            "ikke juridisk bindende",
            "tilsyns-, klage- og erstatningssager",
            "omhu og samvittighedsfuldhed",
            "patientjournalen",
            "AGREE II",
            "GRADE",
            "RIGHT",
            "Retningslinjefunktionen i SundK",
        ] {
            assert!(
                da.contains(needle),
                "{needle} missing from chapter 9:\n{da}"
            );
        }
        let en = set
            .newest()
            .about_text(Language::En, "T", "DMSG", "2.0", false);
        for needle in [
            "not legally binding",
            "supervisory, complaint and compensation",
            "omhu og samvittighedsfuldhed",
            "patient record",
            "AGREE II",
            "GRADE",
            "RIGHT",
            "Retningslinjefunktionen",
        ] {
            assert!(
                en.contains(needle),
                "{needle} missing from chapter 9:\n{en}"
            );
        }
    }
}
