//! Every fixed text a renderer prints, in Danish and English. Renderers never
//! write their own wording: a label missing here is a label to add here, so the
//! HTML pages and the PDF always say the same thing.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use vejviser_model::{EvidenceLevel, Grade, Language, MedicinraadetStatus};

/// The fixed texts of one language. Texts with `{…}` placeholders are filled in
/// by the view (or, for `page_of`, by the PDF renderer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// The document type on the front page.
    pub doc_type: &'static str,
    pub quick_guide: &'static str,
    /// One line under the quick guide's title saying what it is.
    pub quick_guide_intro: &'static str,
    pub full_guideline: &'static str,
    /// Where an archived version's quick guide is read: chapter 2 of its full page.
    pub quick_guide_in_full: &'static str,
    pub pdf_full: &'static str,
    pub pdf_quick: &'static str,
    pub group: &'static str,
    pub contact: &'static str,
    pub version: &'static str,
    pub professional_approval: &'static str,
    pub administrative_approval: &'static str,
    pub planned_update: &'static str,
    pub keywords: &'static str,
    pub not_approved: &'static str,
    pub not_set: &'static str,
    pub recommendations: &'static str,
    pub recommendation: &'static str,
    /// A recommendation new in this version.
    pub change_new: &'static str,
    /// A recommendation changed since the previous version; the fields follow.
    pub change_changed: &'static str,
    /// Followed by a version number.
    pub unchanged_since: &'static str,
    /// The quick guide's filter to new and changed recommendations.
    pub only_changes: &'static str,
    /// "Sidst fagligt ændret": the last version whose recommendations changed.
    pub last_professional_change: &'static str,
    /// Followed by a version number: the link to the page of changes.
    pub changes_since: &'static str,
    pub contents: &'static str,
    /// `{n}` is the page number, `{m}` the page count.
    pub page_of: &'static str,
    pub draft: &'static str,
    pub draft_notice: &'static str,
    pub legend: &'static str,
    pub grade_legend_title: &'static str,
    /// Spoken before a grade badge's letter: "Anbefalingsgrad A".
    pub grade: &'static str,
    pub status_legend_title: &'static str,
    pub evidence_level: &'static str,
    /// The short word shown in a citation's level link: "niveau 1b".
    pub evidence_level_short: &'static str,
    pub evidence_levels_title: &'static str,
    pub extra_cost: &'static str,
    /// What the cost flag means, for the legend.
    pub extra_cost_explained: &'static str,
    pub appendix: &'static str,
    pub cost_appendix_title: &'static str,
    pub cost_appendix_intro: &'static str,
    pub earlier_versions: &'static str,
    pub current_version: &'static str,
    pub not_current: &'static str,
    /// "erstattet af version {version} ({date})": which version replaced an archived one.
    pub replaced_by: &'static str,
    /// Without a date: "erstattet af version {version}".
    pub replaced_by_undated: &'static str,
    /// The one-line running head of an overdue guideline's PDF pages.
    pub status_line_overdue: &'static str,
    /// The one-line running head of an expired guideline's PDF pages.
    pub status_line_expired: &'static str,
    pub go_to_current: &'static str,
    pub withdrawn: &'static str,
    /// `{date}`: the planned update.
    pub status_due: &'static str,
    /// `{date}`: the planned update.
    pub status_overdue: &'static str,
    /// `{date}`: the expiry date; `{approved}`: the professional approval.
    pub status_expired: &'static str,
    pub see_evidence: &'static str,
    pub supports: &'static str,
    pub changelog_chapter: &'static str,
    pub changelog_section: &'static str,
    pub changelog_description: &'static str,
    pub skip_to_content: &'static str,
    pub back_to_top: &'static str,
    pub notes: &'static str,
    pub references: &'static str,
    pub medicinraadet: &'static str,
    /// Stands in for a picture the PDF does not show: "[billede: alt]".
    pub image: &'static str,
    /// The publisher line at the top of every page.
    pub site_name: &'static str,
    pub breadcrumbs: &'static str,
    /// The first breadcrumb: the site's overview of every guideline.
    pub all_guidelines: &'static str,
    /// The quick guide's disclosure of the front page facts, followed by the version.
    pub about_version: &'static str,
    /// On the quick PDF: where the current version is; followed by the address.
    pub current_version_at: &'static str,
    /// The footer link to the site's accessibility statement.
    pub accessibility: &'static str,
}

pub const DANISH: Labels = Labels {
    doc_type: "Klinisk retningslinje",
    quick_guide: "Kvikguide",
    quick_guide_intro: "Retningslinjens anbefalinger. Begrundelser, evidens og referencer står i den fulde retningslinje.",
    full_guideline: "Hele retningslinjen",
    quick_guide_in_full: "Kvikguiden til en tidligere version er kapitlet med anbefalingerne i hele retningslinjen",
    pdf_full: "Hele retningslinjen (PDF)",
    pdf_quick: "Anbefalingerne til udskrift (PDF)",
    group: "Udarbejdet af",
    contact: "Kontakt",
    version: "Version",
    professional_approval: "Faglig godkendelse",
    administrative_approval: "Administrativ godkendelse",
    planned_update: "Planlagt opdatering",
    keywords: "Indeksering",
    not_approved: "Endnu ikke godkendt",
    not_set: "Ikke fastsat",
    recommendations: "Anbefalinger",
    recommendation: "Anbefaling",
    change_new: "Ny",
    change_changed: "Ændret",
    unchanged_since: "Uændret siden version",
    only_changes: "Vis kun nye og ændrede anbefalinger",
    last_professional_change: "Sidst fagligt ændret",
    changes_since: "Ændringer siden version",
    contents: "Indhold",
    page_of: "Side {n} af {m}",
    draft: "Udkast",
    draft_notice: "Udkast – ikke godkendt og ikke til klinisk brug.",
    legend: "Signaturforklaring",
    grade_legend_title: "Anbefalingernes styrke",
    grade: "Anbefalingsgrad",
    status_legend_title: "Medicinrådets status",
    evidence_level: "Evidensniveau",
    evidence_level_short: "niveau",
    evidence_levels_title: "Evidensniveauer",
    extra_cost: "Betydelig merudgift",
    extra_cost_explained: "Anbefalingen kan medføre en betydelig merudgift. Disse anbefalinger er samlet i et bilag til den fulde retningslinje.",
    appendix: "Bilag",
    cost_appendix_title: "Anbefalinger med betydelig merudgift",
    cost_appendix_intro: "Følgende anbefalinger kan medføre en betydelig merudgift. Listen er dannet ud fra anbefalingerne i kapitel 2.",
    earlier_versions: "Tidligere versioner",
    current_version: "Gældende version",
    not_current: "Dette er ikke den gældende version",
    replaced_by: "erstattet af version {version} ({date})",
    replaced_by_undated: "erstattet af version {version}",
    status_line_overdue: "Revision overskredet {date} – trækkes tilbage {expires}",
    status_line_expired: "Udløbet {date} – trukket tilbage, indtil den er godkendt på ny",
    go_to_current: "Gå til den gældende version",
    withdrawn: "Retningslinjen er trukket tilbage, indtil den er godkendt på ny.",
    status_due: "Planlagt opdatering nærmer sig: {date}",
    status_overdue: "Planlagt opdatering overskredet: {date}. Retningslinjen trækkes tilbage {expires}, hvis den ikke er godkendt fagligt på ny inden da.",
    status_expired: "Udløbet {date}: der er gået mere end fem år siden den faglige godkendelse ({approved}).",
    see_evidence: "Se evidensgrundlaget",
    supports: "Evidens for",
    changelog_chapter: "Kapitel",
    changelog_section: "Afsnit",
    changelog_description: "Beskrivelse af ændring",
    skip_to_content: "Spring til indholdet",
    back_to_top: "Til toppen",
    notes: "Bemærkninger",
    references: "Referencer",
    medicinraadet: "Medicinrådet",
    image: "billede",
    site_name: "Kliniske retningslinjer på kræftområdet",
    breadcrumbs: "Brødkrummer",
    all_guidelines: "Kliniske retningslinjer",
    about_version: "Om version",
    current_version_at: "Den gældende version findes på",
    accessibility: "Tilgængelighedserklæring",
};

pub const ENGLISH: Labels = Labels {
    doc_type: "Clinical guideline",
    quick_guide: "Quick guide",
    quick_guide_intro: "The guideline's recommendations. Rationale, evidence and references are in the full guideline.",
    full_guideline: "Full guideline",
    quick_guide_in_full: "The quick guide of an earlier version is the chapter of recommendations in the full guideline",
    pdf_full: "Full guideline (PDF)",
    pdf_quick: "Recommendations for printing (PDF)",
    group: "Written by",
    contact: "Contact",
    version: "Version",
    professional_approval: "Professional approval",
    administrative_approval: "Administrative approval",
    planned_update: "Planned update",
    keywords: "Keywords",
    not_approved: "Not yet approved",
    not_set: "Not set",
    recommendations: "Recommendations",
    recommendation: "Recommendation",
    change_new: "New",
    change_changed: "Changed",
    unchanged_since: "Unchanged since version",
    only_changes: "Show only new and changed recommendations",
    last_professional_change: "Last professional change",
    changes_since: "Changes since version",
    contents: "Contents",
    page_of: "Page {n} of {m}",
    draft: "Draft",
    draft_notice: "Draft – not approved and not for clinical use.",
    legend: "Legend",
    grade_legend_title: "Strength of recommendations",
    grade: "Grade",
    status_legend_title: "Danish Medicines Council (Medicinrådet) status",
    evidence_level: "Level of evidence",
    evidence_level_short: "level",
    evidence_levels_title: "Levels of evidence",
    extra_cost: "Significant extra cost",
    extra_cost_explained: "The recommendation may lead to a significant extra cost. These recommendations are collected in an appendix to the full guideline.",
    appendix: "Appendix",
    cost_appendix_title: "Recommendations with significant extra cost",
    cost_appendix_intro: "The following recommendations may lead to a significant extra cost. The list is generated from the recommendations in chapter 2.",
    earlier_versions: "Earlier versions",
    current_version: "Current version",
    not_current: "This is not the current version",
    replaced_by: "replaced by version {version} ({date})",
    replaced_by_undated: "replaced by version {version}",
    status_line_overdue: "Update overdue since {date} – to be withdrawn {expires}",
    status_line_expired: "Expired {date} – withdrawn until re-approved",
    go_to_current: "Go to the current version",
    withdrawn: "This guideline has been withdrawn pending re-approval.",
    status_due: "Planned update approaching: {date}",
    status_overdue: "Planned update overdue: {date}. The guideline will be withdrawn on {expires} unless it is professionally re-approved before then.",
    status_expired: "Expired {date}: more than five years have passed since the professional approval ({approved}).",
    see_evidence: "See the evidence",
    supports: "Evidence for",
    changelog_chapter: "Chapter",
    changelog_section: "Section",
    changelog_description: "Description of change",
    skip_to_content: "Skip to content",
    back_to_top: "Back to top",
    notes: "Notes",
    references: "References",
    medicinraadet: "Medicinrådet",
    image: "image",
    site_name: "Clinical guidelines in cancer care",
    breadcrumbs: "Breadcrumbs",
    all_guidelines: "Clinical guidelines",
    about_version: "About version",
    current_version_at: "The current version is at",
    accessibility: "Accessibility statement",
};

impl Labels {
    pub fn for_language(lang: Language) -> &'static Labels {
        match lang {
            Language::Da => &DANISH,
            Language::En => &ENGLISH,
        }
    }
}

/// A date as the national template writes it: "3. marts 2025", "3 March 2025".
pub fn long_date(date: NaiveDate, lang: Language) -> String {
    const DA: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = date.month0() as usize;
    match lang {
        Language::Da => format!("{}. {} {}", date.day(), DA[m], date.year()),
        Language::En => format!("{} {} {}", date.day(), EN[m], date.year()),
    }
}

/// The one symbol each Medicinrådet status is shown with, everywhere, always beside its
/// words ([`status_label`]). The shapes differ (a tick, a cross, a question mark), so the
/// statuses never differ by colour or count alone: the author's `●`/`●●` markers are
/// input syntax, not what a reader is shown.
pub fn status_symbol(status: MedicinraadetStatus) -> &'static str {
    match status {
        MedicinraadetStatus::Recommended => "✓",
        MedicinraadetStatus::NotRecommended => "✗",
        MedicinraadetStatus::NotAssessed => "?",
    }
}

/// A stable machine key for a status (CSS classes, JSON).
pub fn status_key(status: MedicinraadetStatus) -> &'static str {
    match status {
        MedicinraadetStatus::Recommended => "recommended",
        MedicinraadetStatus::NotRecommended => "not-recommended",
        MedicinraadetStatus::NotAssessed => "not-assessed",
    }
}

/// What a status means, in the visible words printed beside every marked recommendation
/// and in the legend.
pub fn status_label(status: MedicinraadetStatus, lang: Language) -> &'static str {
    match (status, lang) {
        (MedicinraadetStatus::Recommended, Language::Da) => "Anbefalet af Medicinrådet",
        (MedicinraadetStatus::NotRecommended, Language::Da) => "Ikke anbefalet af Medicinrådet",
        (MedicinraadetStatus::NotAssessed, Language::Da) => "Ikke vurderet af Medicinrådet",
        (MedicinraadetStatus::Recommended, Language::En) => {
            "Recommended by the Danish Medicines Council"
        }
        (MedicinraadetStatus::NotRecommended, Language::En) => {
            "Not recommended by the Danish Medicines Council"
        }
        (MedicinraadetStatus::NotAssessed, Language::En) => {
            "Not assessed by the Danish Medicines Council"
        }
    }
}

/// What a grade of recommendation means (Oxford Centre for Evidence-Based Medicine).
pub fn grade_description(grade: Grade, lang: Language) -> &'static str {
    match (grade, lang) {
        (Grade::A, Language::Da) => "Stærkeste anbefaling: konsistente studier på evidensniveau 1.",
        (Grade::B, Language::Da) => {
            "Konsistente studier på evidensniveau 2 eller 3, eller ekstrapolation fra niveau 1."
        }
        (Grade::C, Language::Da) => {
            "Studier på evidensniveau 4, eller ekstrapolation fra niveau 2 eller 3."
        }
        (Grade::D, Language::Da) => {
            "Svageste anbefaling: evidensniveau 5 (ekspertudtalelse), eller inkonsistente eller inkonklusive studier."
        }
        (Grade::A, Language::En) => "Strongest recommendation: consistent level 1 studies.",
        (Grade::B, Language::En) => {
            "Consistent level 2 or 3 studies, or extrapolations from level 1 studies."
        }
        (Grade::C, Language::En) => {
            "Level 4 studies, or extrapolations from level 2 or 3 studies."
        }
        (Grade::D, Language::En) => {
            "Weakest recommendation: level 5 evidence (expert opinion), or inconsistent or inconclusive studies."
        }
    }
}

/// What an Oxford level of evidence means.
pub fn level_description(level: EvidenceLevel, lang: Language) -> &'static str {
    let da = lang == Language::Da;
    match (level.tier, level.sub) {
        (1, b'a') if da => "Systematisk oversigt over randomiserede kontrollerede forsøg",
        (1, b'a') => "Systematic review of randomised controlled trials",
        (1, b'b') if da => "Randomiseret kontrolleret forsøg",
        (1, b'b') => "Individual randomised controlled trial",
        (1, _) if da => "Alt-eller-intet-studier",
        (1, _) => "All-or-none studies",
        (2, b'a') if da => "Systematisk oversigt over kohortestudier",
        (2, b'a') => "Systematic review of cohort studies",
        (2, b'b') if da => "Kohortestudie eller randomiseret forsøg af lav kvalitet",
        (2, b'b') => "Individual cohort study or low-quality randomised trial",
        (2, _) if da => "Outcome-forskning og økologiske studier",
        (2, _) => "Outcomes research and ecological studies",
        (3, b'a') if da => "Systematisk oversigt over case-kontrol-studier",
        (3, b'a') => "Systematic review of case-control studies",
        (3, _) if da => "Case-kontrol-studie",
        (3, _) => "Individual case-control study",
        (4, _) if da => "Case-serier og kohorte- og case-kontrol-studier af lav kvalitet",
        (4, _) => "Case series and poor-quality cohort and case-control studies",
        _ if da => "Ekspertudtalelse uden eksplicit kritisk vurdering",
        _ => "Expert opinion without explicit critical appraisal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_language() {
        let da = Labels::for_language(Language::Da);
        let en = Labels::for_language(Language::En);
        assert_eq!(da.doc_type, "Klinisk retningslinje");
        assert_eq!(en.doc_type, "Clinical guideline");
        assert_eq!(da.keywords, "Indeksering");
        assert_eq!(en.keywords, "Keywords");
        assert_eq!(da.page_of, "Side {n} af {m}");
        assert_eq!(en.page_of, "Page {n} of {m}");
        assert_eq!(da.draft, "Udkast");
        assert_eq!(en.extra_cost, "Significant extra cost");
        assert_eq!(da.earlier_versions, "Tidligere versioner");
        assert_eq!(en.not_current, "This is not the current version");
    }

    #[test]
    fn every_label_is_translated() {
        // Serialised side by side, the two languages have the same keys and no
        // empty text; a text equal in both is fine only for a few shared words.
        let da = serde_json_like(&DANISH);
        let en = serde_json_like(&ENGLISH);
        assert_eq!(da.len(), en.len());
        let shared = ["version", "medicinraadet"];
        for ((k, a), (_, b)) in da.iter().zip(en.iter()) {
            assert!(!a.is_empty() && !b.is_empty(), "{k} is empty");
            assert!(
                a != b || shared.contains(&k.as_str()),
                "{k} is not translated"
            );
        }
    }

    /// The labels as (field, text) pairs, via their `Debug` form (no JSON dependency).
    fn serde_json_like(l: &Labels) -> Vec<(String, String)> {
        let dbg = format!("{l:#?}");
        dbg.lines()
            .filter_map(|line| {
                let (k, v) = line.trim().split_once(": ")?;
                Some((
                    k.to_string(),
                    v.trim_end_matches(',').trim_matches('"').to_string(),
                ))
            })
            .collect()
    }

    #[test]
    fn dates_read_like_the_template() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        assert_eq!(long_date(d, Language::Da), "3. marts 2025");
        assert_eq!(long_date(d, Language::En), "3 March 2025");
    }

    #[test]
    fn one_distinct_symbol_per_status() {
        use MedicinraadetStatus::*;
        let all = [Recommended, NotRecommended, NotAssessed];
        let symbols: std::collections::BTreeSet<_> =
            all.iter().map(|s| status_symbol(*s)).collect();
        assert_eq!(symbols.len(), 3);
        assert_eq!(status_symbol(Recommended), "✓");
        assert_eq!(status_symbol(NotRecommended), "✗");
        // Words, not symbols, carry the meaning; "not recommended" is never a longer
        // run of the "recommended" symbol.
        assert!(!status_symbol(NotRecommended).contains(status_symbol(Recommended)));
        assert_eq!(
            status_label(NotRecommended, Language::Da),
            "Ikke anbefalet af Medicinrådet"
        );
        assert_eq!(
            status_label(NotAssessed, Language::Da),
            "Ikke vurderet af Medicinrådet"
        );
    }

    #[test]
    fn every_level_has_a_description() {
        for l in EvidenceLevel::ALL.split(' ') {
            let l = EvidenceLevel::parse(l).unwrap();
            assert!(!level_description(l, Language::Da).is_empty());
        }
        let one_c = EvidenceLevel::parse("1c").unwrap();
        assert_eq!(
            level_description(one_c, Language::En),
            "All-or-none studies"
        );
    }
}
