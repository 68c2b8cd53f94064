//! `vejviser diff`'s three outputs (text, Markdown, JSON) of one comparison.
//! Guideline text is untrusted: text and Markdown pass it through the one
//! terminal policy ([`vejviser_diagnostics::terminal_safe`]), so a crafted
//! recommendation cannot drive the terminal. Text and Markdown speak the
//! guideline's language, in the words of the version findings
//! ([`vejviser_diagnostics::versions`]); JSON is the same in both.

use crate::changelog;
use crate::diff::{describe, text_diff, Change, Diff, RecChange};
use crate::text::Piece;
use serde::Serialize;
use std::fmt::Write;
use vejviser_diagnostics::versions::{self as wording, Fate};
use vejviser_model::{Guideline, Language, Recommendation};

/// Two versions and their difference, as `vejviser diff` shows them.
pub struct Comparison<'a> {
    pub old: &'a Guideline,
    pub new: &'a Guideline,
    pub diff: &'a Diff,
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn fate_of(c: Change) -> Fate {
    match c {
        Change::Added => Fate::Added,
        Change::Removed => Fate::Removed,
        Change::Changed => Fate::Changed,
        Change::Unchanged => Fate::Unchanged,
    }
}

impl Comparison<'_> {
    /// The language the summaries speak: the (newer) guideline's.
    fn lang(&self) -> Language {
        self.new.front.language
    }
    fn old_rec(&self, r: &RecChange) -> Option<&Recommendation> {
        r.old.map(|i| &self.old.recommendations[i])
    }
    fn new_rec(&self, r: &RecChange) -> Option<&Recommendation> {
        r.new.map(|j| &self.new.recommendations[j])
    }
    fn unmentioned(&self) -> Vec<u32> {
        changelog::unmentioned(self.diff, &self.new.changelog)
    }
    fn what(&self, r: &RecChange) -> String {
        match (self.old_rec(r), self.new_rec(r)) {
            (Some(a), Some(b)) if r.change == Change::Changed => r
                .fields
                .iter()
                .map(|f| describe(*f, a, b, self.lang()))
                .collect::<Vec<_>>()
                .join("; "),
            _ => String::new(),
        }
    }
    fn heading(&self, r: &RecChange) -> String {
        wording::recommendation_heading(
            self.lang(),
            r.new_number,
            r.old_number,
            &self.old.front.version.to_string(),
        )
    }

    /// Plain text for the terminal: `[-removed-]{+added+}` marks words.
    pub fn text(&self) -> String {
        let mut o = String::new();
        self.summary(&mut o, false);
        for r in &self.diff.recommendations {
            let sign = match r.change {
                Change::Added => '+',
                Change::Removed => '-',
                Change::Changed => '~',
                Change::Unchanged => '=',
            };
            let word = wording::fate(self.lang(), fate_of(r.change));
            let what = self.what(r);
            let what = if what.is_empty() {
                String::new()
            } else {
                format!(": {what}")
            };
            let _ = writeln!(
                o,
                "\n{sign} {} [{}] {word}{}",
                self.heading(r),
                r.id,
                clean(&what)
            );
            let body = match (self.old_rec(r), self.new_rec(r), r.change) {
                (Some(a), Some(b), Change::Changed) => text_diff(a, b)
                    .iter()
                    .map(|p| match p {
                        Piece::Same(t) => clean(t),
                        Piece::Removed(t) => format!("[-{}-]", clean(t)),
                        Piece::Added(t) => format!("{{+{}+}}", clean(t)),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                (_, Some(b), Change::Added) => clean(&b.plain_text()),
                (Some(a), _, Change::Removed) => clean(&a.plain_text()),
                _ => continue,
            };
            let _ = writeln!(o, "    {body}");
        }
        self.references(&mut o, false);
        o
    }

    /// Markdown: ~~removed~~ and **added** words, a list per recommendation.
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        self.summary(&mut o, true);
        for r in &self.diff.recommendations {
            let what = self.what(r);
            let word = wording::capitalised(wording::fate(self.lang(), fate_of(r.change)));
            let label = match r.change {
                Change::Changed => format!("**{word}**: {}", clean(&what)),
                Change::Unchanged => word,
                _ => format!("**{word}**"),
            };
            let _ = writeln!(
                o,
                "\n### {} `{}`\n\n{label}\n",
                wording::capitalised(&self.heading(r)),
                r.id
            );
            let body = match (self.old_rec(r), self.new_rec(r), r.change) {
                (Some(a), Some(b), Change::Changed) => text_diff(a, b)
                    .iter()
                    .map(|p| match p {
                        Piece::Same(t) => clean(t),
                        Piece::Removed(t) => format!("~~{}~~", clean(t)),
                        Piece::Added(t) => format!("**{}**", clean(t)),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                (_, Some(b), Change::Added) => clean(&b.plain_text()),
                (Some(a), _, Change::Removed) => format!("~~{}~~", clean(&a.plain_text())),
                _ => continue,
            };
            let _ = writeln!(o, "> {body}");
        }
        self.references(&mut o, true);
        o
    }

    fn summary(&self, o: &mut String, md: bool) {
        let c = self.diff.counts();
        let (v0, v1) = (self.old.front.version, self.new.front.version);
        if md {
            let _ = writeln!(
                o,
                "## {}: version {v0} → {v1}\n",
                clean(&self.new.front.title)
            );
        } else {
            let _ = writeln!(o, "{} ({} → {})", clean(&self.new.path), v0, v1);
        }
        let lang = self.lang();
        let counts = wording::counts(lang, c.added, c.removed, c.changed, c.unchanged);
        let _ = writeln!(o, "{}", wording::diff_counts(lang, &counts));
        let un = self.unmentioned();
        if !un.is_empty() {
            let _ = writeln!(
                o,
                "{}{}",
                if md { "\n" } else { "" },
                wording::capitalised(&wording::changelog_omits(lang, &un))
            );
        }
    }

    fn references(&self, o: &mut String, md: bool) {
        let refs = &self.diff.references;
        if refs.added.is_empty() && refs.removed.is_empty() {
            return;
        }
        let _ = writeln!(
            o,
            "\n{}{}",
            if md { "### " } else { "" },
            wording::reference_counts(self.lang(), refs.added.len(), refs.removed.len())
        );
        if md {
            o.push('\n');
        }
        for (sign, list) in [('+', &refs.added), ('-', &refs.removed)] {
            for r in list {
                let t = clean(&r.text);
                if md {
                    let t = if sign == '-' { format!("~~{t}~~") } else { t };
                    let _ = writeln!(o, "- {sign} {}. {t}", r.number);
                } else {
                    let _ = writeln!(o, "{sign} {}. {t}", r.number);
                }
            }
        }
    }

    /// The JSON document of the issue: versions and paths, each recommendation's
    /// id, numbers, change and fields, references and the changelog's omissions.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Side<'a> {
            version: String,
            path: &'a str,
        }
        #[derive(Serialize)]
        struct Changelog {
            unmentioned: Vec<u32>,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            old: Side<'a>,
            new: Side<'a>,
            summary: crate::diff::Counts,
            recommendations: &'a [RecChange],
            references: &'a crate::diff::References,
            changelog: Changelog,
        }
        let mut s = serde_json::to_string_pretty(&Doc {
            old: Side {
                version: self.old.front.version.to_string(),
                path: &self.old.path,
            },
            new: Side {
                version: self.new.front.version.to_string(),
                path: &self.new.path,
            },
            summary: self.diff.counts(),
            recommendations: &self.diff.recommendations,
            references: &self.diff.references,
            changelog: Changelog {
                unmentioned: self.unmentioned(),
            },
        })
        .expect("the difference serialises");
        s.push('\n');
        s
    }
}
