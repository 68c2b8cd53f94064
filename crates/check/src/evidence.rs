//! The evidence rules: chapter 4 gives evidence for every recommendation of
//! chapter 2, under the template's headings, with graded citations, and what it
//! repeats of a recommendation says the same as chapter 2.

use std::collections::BTreeSet;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::ChapterRole;

use crate::Checker;

impl Checker<'_> {
    pub(crate) fn evidence(&mut self) {
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
}
