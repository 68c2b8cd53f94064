//! The checker: the template's rules (spec section 8) applied to a parsed
//! guideline. Pure: the template, the group registry and the date come in as
//! input; the result is a list of diagnostics. Parse-level findings (bad
//! bytes, TOML, inline markers) come from the parser; this crate does the rest.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use vejviser_diagnostics::{Code, Diagnostic, Severity};
use vejviser_model::{ChapterRole, Guideline, Registry, Span};
use vejviser_revision::{expiry_date, revision, RevisionStatus};
use vejviser_template::{Required, Template};

/// What the checker needs besides the guideline.
pub struct CheckContext<'a> {
    pub template: &'a Template,
    /// The nearest `dmcg.toml`; `None` when there is none (VV0117).
    pub registry: Option<&'a Registry>,
    /// "Today" (from the binary's clock or `--as-of`).
    pub as_of: NaiveDate,
    pub due_within_days: u32,
    /// For files under `archive/`: the version their file name says.
    pub archived_as: Option<&'a str>,
    /// False when the front matter had errors: rules that need it are skipped.
    pub front_ok: bool,
}

struct Checker<'a> {
    g: &'a Guideline,
    cx: &'a CheckContext<'a>,
    out: Vec<Diagnostic>,
}

/// Checks one guideline against the template.
pub fn check(g: &Guideline, cx: &CheckContext) -> Vec<Diagnostic> {
    let mut c = Checker {
        g,
        cx,
        out: Vec::new(),
    };
    if cx.front_ok {
        c.front_matter();
        c.revision();
    }
    c.structure();
    c.recommendations();
    c.evidence();
    c.references();
    c.changelog();
    if cx.archived_as.is_none() {
        c.completeness();
    }
    if g.front.is_draft() {
        // Drafts may be incomplete: what is missing is a warning until approval.
        for d in &mut c.out {
            if matches!(
                d.code,
                Code::MissingChapter
                    | Code::MissingSubheading
                    | Code::MissingEvidence
                    | Code::NoRecommendations
                    | Code::MissingGrade
                    | Code::MissingRequiredKey
                    | Code::EmptySection
                    | Code::SkeletonPlaceholder
            ) {
                d.severity = Severity::Warning;
            }
        }
    }
    c.out
}

impl Checker<'_> {
    fn push(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.out
            .push(Diagnostic::new(code, &self.g.path, span, message).help(help));
    }

    fn front_matter(&mut self) {
        let f = &self.g.front;
        let sp = f.spans;
        match self.cx.registry {
            None => self.push(
                Code::MissingRegistry,
                sp.dmcg,
                "no group registry (dmcg.toml) was found above this file",
                "create guidelines/dmcg.toml with a table per group, e.g. [DMSG] name = \"…\"",
            ),
            Some(reg) if reg.get(&f.dmcg).is_none() => {
                let near: Vec<&str> = reg
                    .groups
                    .keys()
                    .filter(|k| k.eq_ignore_ascii_case(&f.dmcg))
                    .map(|k| k.as_str())
                    .collect();
                let help = match near.first() {
                    Some(k) => format!("did you mean `{k}`? Group keys are case-sensitive"),
                    None => format!(
                        "known groups: {}",
                        reg.groups.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                let msg = format!("group `{}` is not in dmcg.toml", f.dmcg);
                self.push(Code::UnknownGroup, sp.dmcg, msg, help);
            }
            _ => {}
        }
        if let Some(prev) = f.previous_version {
            if prev >= f.version {
                let (msg, help) = vejviser_diagnostics::versions::previous_not_lower(
                    f.language,
                    &prev.to_string(),
                    &f.version.to_string(),
                );
                self.push(
                    Code::PreviousVersionNotLower,
                    sp.previous_version,
                    msg,
                    help,
                );
            }
        }
        if let Some(stem) = self.cx.archived_as {
            if stem != f.version.to_string() {
                let (msg, help) = vejviser_diagnostics::versions::archive_version_mismatch(
                    f.language,
                    stem,
                    &f.version.to_string(),
                );
                self.push(Code::ArchiveVersionMismatch, sp.version, msg, help);
            }
        }
        let prof = f.professional_approval.as_ref();
        let adm = f.administrative_approval.as_ref();
        for a in [prof, adm].into_iter().flatten() {
            if a.date > self.cx.as_of {
                self.push(
                    Code::ApprovalInFuture,
                    a.span,
                    format!(
                        "the approval date {} is in the future (today is {})",
                        a.date, self.cx.as_of
                    ),
                    "approval dates record what has happened; check the year and month",
                );
            }
        }
        match (prof, adm) {
            (Some(p), Some(a)) if a.date < p.date => {
                self.push(Code::AdministrativeBeforeProfessional, a.span, format!("administrative approval {} is before professional approval {}", a.date, p.date), "the secretariat approves after the group; check both dates");
            }
            (None, Some(a)) => self.push(Code::AdministrativeWithoutProfessional, a.span, "administrative approval on a guideline without professional approval", "add professional_approval, or remove administrative_approval while the guideline is a draft"),
            _ => {}
        }
        if let Some(p) = prof {
            match f.planned_update {
                None => self.push(
                    Code::MissingPlannedUpdate,
                    p.span,
                    "an approved guideline needs a planned_update",
                    format!(
                        "add e.g. planned_update = {} (at most five years after the approval)",
                        expiry_date(p.date)
                    ),
                ),
                Some(u) if u <= p.date => self.push(
                    Code::PlannedUpdateBeforeApproval,
                    sp.planned_update,
                    format!(
                        "planned_update {u} is not after the professional approval {}",
                        p.date
                    ),
                    "the planned update is a date after the approval",
                ),
                Some(u) if u > expiry_date(p.date) => self.push(
                    Code::PlannedUpdateBeyondLimit,
                    sp.planned_update,
                    format!(
                        "planned_update {u} is beyond the five-year limit ({})",
                        expiry_date(p.date)
                    ),
                    format!("plan the update on or before {}", expiry_date(p.date)),
                ),
                _ => {}
            }
        }
    }

    fn revision(&mut self) {
        let f = &self.g.front;
        if self.cx.archived_as.is_some() {
            return;
        }
        let Some(p) = &f.professional_approval else {
            return;
        };
        let r = revision(
            Some(p.date),
            f.planned_update,
            self.cx.as_of,
            self.cx.due_within_days,
        );
        let at = if f.planned_update.is_some() {
            f.spans.planned_update
        } else {
            p.span
        };
        match r.status {
            RevisionStatus::Due => self.push(
                Code::RevisionDue,
                at,
                format!(
                    "the planned update {} is {} days away",
                    f.planned_update.map(|d| d.to_string()).unwrap_or_default(),
                    r.days_until_planned_update.unwrap_or(0)
                ),
                "plan the revision with the group, or re-approve with a new planned_update",
            ),
            RevisionStatus::Overdue => self.push(
                Code::RevisionOverdue,
                at,
                format!(
                    "the planned update {} passed {} days ago",
                    f.planned_update.map(|d| d.to_string()).unwrap_or_default(),
                    -r.days_until_planned_update.unwrap_or(0)
                ),
                "revise the guideline, or re-approve it with a new planned_update",
            ),
            RevisionStatus::Expired => self.push(
                Code::RevisionExpired,
                p.span,
                format!(
                    "five years have passed since the professional approval {} (expired {})",
                    p.date,
                    r.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
                "the guideline must come off the website until it is professionally re-approved",
            ),
            _ => {}
        }
    }

    fn structure(&mut self) {
        let g = self.g;
        let t = self.cx.template;
        let lang = g.front.language;
        let mut seen: BTreeMap<u32, Span> = BTreeMap::new();
        let mut last = 0;
        for ch in &g.chapters {
            let (Some(role), Some(num)) = (ch.role, ch.number) else {
                let titles: Vec<String> = t
                    .chapters
                    .iter()
                    .filter(|c| !c.generated)
                    .map(|c| format!("{}. {}", c.number, c.title.get(lang)))
                    .collect();
                self.push(
                    Code::UnknownChapter,
                    ch.span,
                    format!("`{}` is not a chapter of the template", ch.title),
                    format!(
                        "level-1 headings are the template's chapters: {}; use `##` for a section",
                        titles.join(", ")
                    ),
                );
                continue;
            };
            let tc = t
                .chapter(role)
                .expect("chapter roles come from this template");
            if tc.generated {
                self.push(
                    Code::GeneratedChapterWritten,
                    ch.span,
                    format!("chapter {num} `{}` is generated by vejviser", ch.title),
                    "delete this chapter from the source; vejviser writes it from the template",
                );
                continue;
            }
            if let Some(first) = seen.get(&num) {
                let msg = format!(
                    "chapter {num} `{}` appears again (first at line {})",
                    ch.title, first.line
                );
                self.push(
                    Code::DuplicateChapter,
                    ch.span,
                    msg,
                    "merge the two chapters into one",
                );
                continue;
            }
            seen.insert(num, ch.span);
            if num < last {
                self.push(
                    Code::ChapterOutOfOrder,
                    ch.span,
                    format!("chapter {num} `{}` comes after chapter {last}", ch.title),
                    "chapters follow the template's order; move this chapter up",
                );
            }
            last = last.max(num);
            self.subheadings(ch, tc);
        }
        for tc in &t.chapters {
            let required = match tc.required {
                Required::Always => true,
                // A missing changelog is reported by its own rule (VV0501).
                Required::WithPreviousVersion | Required::Never => false,
            };
            if required && !seen.contains_key(&tc.number) {
                let at = g
                    .chapters
                    .iter()
                    .find(|c| c.number.is_some_and(|n| n > tc.number))
                    .map(|c| c.span)
                    .or_else(|| g.chapters.last().map(|c| c.span))
                    .unwrap_or(g.front.spans.block);
                self.push(
                    Code::MissingChapter,
                    at,
                    format!("chapter {} `{}` is missing", tc.number, tc.title.get(lang)),
                    format!(
                        "add `# {}. {}` here, in template order",
                        tc.number,
                        tc.title.get(lang)
                    ),
                );
            }
        }
    }

    fn subheadings(
        &mut self,
        ch: &vejviser_model::Chapter,
        tc: &vejviser_template::TemplateChapter,
    ) {
        if tc.subheadings.is_empty() {
            return;
        }
        let lang = self.g.front.language;
        let mut found: Vec<usize> = Vec::new();
        for s in ch.sections.iter().filter(|s| s.level == 2) {
            match vejviser_template::position_of(&tc.subheadings, &s.title) {
                Some(i) => {
                    if found.last().is_some_and(|&l| l > i) {
                        self.push(
                            Code::SubheadingOutOfOrder,
                            s.span,
                            format!("`{}` is out of template order", s.title),
                            format!(
                                "the order is: {}",
                                tc.subheadings
                                    .iter()
                                    .map(|t| t.get(lang))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        );
                    }
                    found.push(i);
                }
                None => self.push(
                    Code::UnknownSubheading,
                    s.span,
                    format!(
                        "`{}` is not a sub-heading of chapter {}",
                        s.title, tc.number
                    ),
                    format!(
                        "the template's sub-headings are: {}; use `###` for your own sub-sections",
                        tc.subheadings
                            .iter()
                            .map(|t| t.get(lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
        }
        for (i, t) in tc.subheadings.iter().enumerate() {
            if !found.contains(&i) {
                self.push(
                    Code::MissingSubheading,
                    ch.span,
                    format!("chapter {} has no `{}` sub-heading", tc.number, t.get(lang)),
                    format!(
                        "add `## {}` to the chapter, even if only to say that nothing applies",
                        t.get(lang)
                    ),
                );
            }
        }
    }

    fn recommendations(&mut self) {
        let g = self.g;
        let Some(ch) = g.chapter(ChapterRole::Recommendations) else {
            return;
        };
        if g.recommendations.is_empty() {
            self.push(Code::NoRecommendations, ch.span, "chapter 2 has no recommendations", "write each recommendation as a numbered list item under a topic heading, e.g. `## Behandling` then `1. … (B)`");
        }
        let mut expected = 1;
        for r in &g.recommendations {
            if r.number != expected {
                let what = if r.number < expected {
                    "repeats an earlier number"
                } else {
                    "leaves a gap"
                };
                self.push(Code::NumberingNotContinuous, r.span, format!("recommendation {} {what}: expected {expected}", r.number), format!("number recommendations 1, 2, 3 … across topics; start this topic's list at {expected}."));
            }
            expected = r.number + 1;
            // A grade written `(b)` is already VV0303 at its place.
            if r.grades().next().is_none() && !vejviser_parse::has_lowercase_grade(&r.source) {
                self.push(
                    Code::MissingGrade,
                    r.span,
                    format!("recommendation {} has no evidence grade", r.number),
                    "put (A), (B), (C) or (D) after the sentence it grades",
                );
            }
        }
    }

    fn evidence(&mut self) {
        let g = self.g;
        if g.chapter(ChapterRole::Evidence).is_none() {
            return;
        }
        let lang = g.front.language;
        let block_heads: &[vejviser_template::Title] = self
            .cx
            .template
            .chapter(ChapterRole::Evidence)
            .map(|c| c.block_subheadings.as_slice())
            .unwrap_or_default();
        let ref_numbers: BTreeSet<u32> = g.references.iter().map(|r| r.number).collect();
        let mut covered = BTreeSet::new();
        for b in &g.evidence {
            for t in &b.targets {
                let Some(rec) = g.recommendation(t.number) else {
                    self.push(
                        Code::UnknownRecommendation,
                        t.span,
                        format!("there is no recommendation {} in chapter 2", t.number),
                        "check the number against chapter 2",
                    );
                    continue;
                };
                covered.insert(t.number);
                if t.repeated.is_some() {
                    // Compared as trees: the same words, grades, marker and cost flag.
                    if !vejviser_model::content::same_text(&t.content, &rec.content) {
                        self.out.push(
                            Diagnostic::new(
                                Code::RepeatedTextDiffers,
                                &g.path,
                                t.span,
                                format!(
                                    "recommendation {} differs from chapter 2 (line {})",
                                    t.number, rec.span.line
                                ),
                            )
                            .help(format!(
                                "chapter 2 says: {}\nrepeat it exactly, or write `[{} {}]` instead",
                                rec.source,
                                if lang == vejviser_model::Language::En {
                                    "Recommendation"
                                } else {
                                    "Anbefaling"
                                },
                                t.number
                            )),
                        );
                    }
                }
                if t.repeated.is_some() {
                    self.repeated_notes(t, rec);
                }
                if !b.topic.is_empty() && !rec.topic.is_empty() && b.topic != rec.topic {
                    self.push(Code::TopicMismatch, t.span, format!("recommendation {} is under topic `{}` in chapter 2 but `{}` here", t.number, rec.topic, b.topic), "chapter 4's topics repeat chapter 2's; move the evidence block under the right topic");
                }
            }
            // Template sub-parts of the block, in order.
            if !block_heads.is_empty() {
                let idx: Vec<Option<usize>> = b
                    .parts
                    .iter()
                    .map(|p| vejviser_template::position_of(block_heads, &p.title))
                    .collect();
                let missing: Vec<&str> = block_heads
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !idx.contains(&Some(*i)))
                    .map(|(_, h)| h.get(lang))
                    .collect();
                let ordered = idx
                    .iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .all(|w| w[0] < w[1]);
                if !missing.is_empty() || !ordered {
                    let msg = if missing.is_empty() {
                        "the evidence block's sub-headings are out of order".to_string()
                    } else {
                        format!(
                            "the evidence block lacks {}",
                            missing
                                .iter()
                                .map(|m| format!("`### {m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    let order = block_heads
                        .iter()
                        .map(|h| h.get(lang))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.push(
                        Code::EvidenceSubheading,
                        b.span,
                        msg,
                        format!(
                            "each evidence block has the level-3 headings {order}, in that order"
                        ),
                    );
                }
            }
            for c in &b.citations {
                for n in &c.references {
                    if !ref_numbers.contains(n) {
                        self.push(
                            Code::UnresolvedCitation,
                            c.span,
                            format!("citation ({n}) refers to no reference"),
                            match (g.references.first(), g.references.last()) {
                                (Some(a), Some(b)) => format!(
                                    "chapter 5 numbers its references {}–{}; check the number",
                                    a.number, b.number
                                ),
                                _ => "chapter 5 has no references yet; add the reference there"
                                    .to_string(),
                            },
                        );
                    }
                }
                if let Some(bad) = &c.invalid_level {
                    self.push(
                        Code::InvalidEvidenceLevel,
                        c.span,
                        format!("`[{bad}]` is not an evidence level"),
                        "valid levels are 1a 1b 1c 2a 2b 2c 3a 3b 4 5",
                    );
                }
            }
            let best_tier = b
                .citations
                .iter()
                .filter_map(|c| c.level.map(|l| l.tier))
                .min();
            for t in &b.targets {
                let Some(grade) = g.recommendation(t.number).and_then(|r| r.strongest_grade())
                else {
                    continue;
                };
                let need = grade.weakest_supporting_tier();
                if need < 5 && best_tier.is_none_or(|tier| tier > need) {
                    let found = match best_tier {
                        Some(t) => format!("the best cited evidence is level {t}"),
                        None => "no evidence level is cited".to_string(),
                    };
                    self.push(Code::GradeStrongerThanEvidence, t.span, format!("recommendation {} is graded {} but {found}", t.number, grade.letter()), format!("grade {} needs a level {} study cited in this block (e.g. `(3) [{}a]`), or lower the grade", grade.letter(), if need == 1 { "1".to_string() } else { format!("{need} or better") }, need.min(3)));
                }
            }
        }
        for r in &g.recommendations {
            if !covered.contains(&r.number) {
                let short = if lang == vejviser_model::Language::En {
                    "Recommendation"
                } else {
                    "Anbefaling"
                };
                self.push(Code::MissingEvidence, r.span, format!("recommendation {} has no evidence block in chapter 4", r.number), format!("add a block under `## {}` in chapter 4 starting with the recommendation repeated, or `[{short} {}]`", r.topic, r.number));
            }
        }
    }

    /// Notes under a recommendation repeated in chapter 4 are chapter 2's notes:
    /// one that differs, or exists only here, would be lost (the page shows
    /// chapter 2's), so it is a finding at its own line.
    fn repeated_notes(
        &mut self,
        t: &vejviser_model::EvidenceTarget,
        rec: &vejviser_model::Recommendation,
    ) {
        use vejviser_model::content::Block;
        let plain = |b: &[Block]| {
            Block::plain_text(b)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let theirs: Vec<String> = rec.notes_content.iter().map(|n| plain(n)).collect();
        for note in &t.notes {
            let text = plain(note);
            if !theirs.contains(&text) {
                let line = note.first().map(|b| b.span()).unwrap_or(t.span);
                self.push(
                    Code::RepeatedTextDiffers,
                    line,
                    format!("this note under recommendation {} is not in chapter 2 (line {}), so it would not be shown", t.number, rec.span.line),
                    "write the note under the recommendation in chapter 2 (the page shows chapter 2's notes), or move it into the evidence text below",
                );
            }
        }
    }

    fn references(&mut self) {
        let g = self.g;
        let cited: BTreeSet<u32> = g
            .evidence
            .iter()
            .flat_map(|b| {
                b.citations
                    .iter()
                    .flat_map(|c| c.references.iter().copied())
            })
            .collect();
        for r in &g.references {
            if !cited.contains(&r.number) {
                self.push(
                    Code::UncitedReference,
                    r.span,
                    format!("reference {} is never cited", r.number),
                    format!("cite it in chapter 4 as ({}), or remove it", r.number),
                );
            }
        }
    }

    fn changelog(&mut self) {
        let g = self.g;
        let Some(prev) = g.front.previous_version else {
            return;
        };
        let ch = g.chapter(ChapterRole::Changelog);
        if ch.is_none() || g.changelog.is_empty() {
            let at = ch
                .map(|c| c.span)
                .or_else(|| g.chapters.first().map(|c| c.span))
                .unwrap_or(g.front.spans.previous_version);
            let lang = g.front.language;
            let title = self
                .cx
                .template
                .chapter(ChapterRole::Changelog)
                .map(|c| c.title.get(lang).to_string())
                .unwrap_or_default();
            let prev = prev.to_string();
            let (msg, help) = if ch.is_none() {
                vejviser_diagnostics::versions::no_changelog(lang, &prev, &title)
            } else {
                vejviser_diagnostics::versions::empty_changelog(lang, &prev, &title)
            };
            self.push(Code::MissingChangelog, at, msg, help);
        }
    }
}

/// Only the front matter rules (known group, approval dates, planned update,
/// versions) on a front matter alone, for callers that read nothing else: the
/// revision report. Same codes and messages as [`check`]; no revision warnings.
pub fn check_front_matter(
    path: &str,
    front: &vejviser_model::FrontMatter,
    registry: Option<&Registry>,
    as_of: NaiveDate,
    archived_as: Option<&str>,
) -> Vec<Diagnostic> {
    // The front matter rules never consult the template or the body, so an
    // empty body and the built-in template stand in for them.
    static BUILTIN: std::sync::OnceLock<vejviser_template::TemplateSet> =
        std::sync::OnceLock::new();
    let g = Guideline {
        path: path.to_string(),
        front: front.clone(),
        template: String::new(),
        chapters: Vec::new(),
        changelog: Vec::new(),
        recommendations: Vec::new(),
        evidence: Vec::new(),
        references: Vec::new(),
    };
    let cx = CheckContext {
        template: BUILTIN
            .get_or_init(vejviser_template::TemplateSet::builtin)
            .newest(),
        registry,
        as_of,
        due_within_days: 0,
        archived_as,
        front_ok: true,
    };
    let mut c = Checker {
        g: &g,
        cx: &cx,
        out: Vec::new(),
    };
    c.front_matter();
    c.out
}

mod complete;
#[cfg(test)]
mod tests;
