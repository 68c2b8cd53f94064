//! Versions that explain themselves: a stable id for every recommendation,
//! carried from version to version; the difference between two versions; and
//! the check that chapter 1's changelog mentions what changed.
//!
//! Pure: the caller reads the versions (the current file and the archive it
//! points to through `previous_version`) and passes them in, oldest first.
//! docs/versions.md explains the matching and how well it works.

pub mod changelog;
pub mod diff;
pub mod id;
pub mod matching;
pub mod render;
pub mod text;

pub use diff::{Change, Counts, Diff, Field, RecChange};
pub use matching::{match_recommendations, Matching};
pub use text::Piece;

use std::collections::HashSet;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{Guideline, IdPin, Version};

/// One recommendation of a version as its pages show it: its stable id, what
/// happened to it since the previous version (`None` in a first version), the
/// fields that changed, and the version since which it has stood unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub id: String,
    pub change: Option<Change>,
    pub fields: Vec<Field>,
    pub unchanged_since: Version,
}

/// The ids of a guideline's versions and the differences between neighbours.
#[derive(Debug, Clone)]
pub struct History {
    /// `ids[k][j]`: the id of recommendation `j` (index) of version `k`, oldest first.
    pub ids: Vec<Vec<String>>,
    /// `matchings[k]`: version `k` matched to version `k - 1` (empty for the first).
    pub matchings: Vec<Matching>,
    /// `diffs[k]`: version `k - 1` → `k` (`None` for the first).
    pub diffs: Vec<Option<Diff>>,
    /// The versions' numbers, oldest first.
    pub versions: Vec<Version>,
}

/// Gives every recommendation of every version its id and computes each
/// version's difference from the one before. `versions` runs oldest first,
/// each the `previous_version` of the next; `group` is the `dmcg` key and
/// `slug` the guideline's folder name.
pub fn history(group: &str, slug: &str, versions: &[&Guideline]) -> History {
    history_comparing(group, slug, versions, true)
}

/// [`history`] without comparing the versions' references: each diff's
/// `references` is empty. For the changelog check, which reads only the
/// recommendations (references are most of what a comparison reads).
pub fn recommendation_history(group: &str, slug: &str, versions: &[&Guideline]) -> History {
    history_comparing(group, slug, versions, false)
}

fn history_comparing(
    group: &str,
    slug: &str,
    versions: &[&Guideline],
    references: bool,
) -> History {
    let mut taken: HashSet<String> = HashSet::new();
    let mut h = History {
        ids: Vec::with_capacity(versions.len()),
        matchings: Vec::with_capacity(versions.len()),
        diffs: Vec::with_capacity(versions.len()),
        versions: versions.iter().map(|g| g.front.version).collect(),
    };
    for (k, g) in versions.iter().enumerate() {
        let m = match k {
            0 => Matching {
                old_of: vec![None; g.recommendations.len()],
                unknown_pins: Vec::new(),
            },
            _ => match_recommendations(
                &versions[k - 1].recommendations,
                &h.ids[k - 1],
                &g.recommendations,
            ),
        };
        // Pinned ids are reserved first, so a derived id never takes one.
        for r in &g.recommendations {
            if let Some(IdPin::Keep(id)) = &r.id_pin {
                taken.insert(id.clone());
            }
        }
        let mut ids = Vec::with_capacity(g.recommendations.len());
        for (j, r) in g.recommendations.iter().enumerate() {
            let id = match (m.old_of[j], &r.id_pin) {
                (Some(i), _) => h.ids[k - 1][i].clone(),
                (None, Some(IdPin::Keep(id))) => id.clone(),
                (None, _) => id::derive_from_texts(
                    group,
                    slug,
                    r.statements.iter().map(|s| s.text.as_str()),
                    &taken,
                ),
            };
            taken.insert(id.clone());
            ids.push(id);
        }
        let d = (k > 0).then(|| {
            let (old, old_ids) = (versions[k - 1], &h.ids[k - 1]);
            match references {
                true => diff::diff(old, old_ids, g, &ids, &m),
                false => Diff {
                    recommendations: diff::recommendation_changes(old, old_ids, g, &ids, &m),
                    references: Default::default(),
                },
            }
        });
        h.ids.push(ids);
        h.matchings.push(m);
        h.diffs.push(d);
    }
    h
}

impl History {
    /// The newest version's ids.
    pub fn current_ids(&self) -> &[String] {
        self.ids.last().map(Vec::as_slice).unwrap_or(&[])
    }

    /// Version `k`'s recommendations as its pages show them, in its order.
    pub fn standings(&self, k: usize) -> Vec<Standing> {
        self.ids[k]
            .iter()
            .enumerate()
            .map(|(j, id)| {
                let rc = self.diffs[k].as_ref().and_then(|d| d.for_new(j));
                Standing {
                    id: id.clone(),
                    change: rc.map(|r| r.change),
                    fields: rc.map(|r| r.fields.clone()).unwrap_or_default(),
                    unchanged_since: self.unchanged_since(k, j),
                }
            })
            .collect()
    }

    /// The first version since which recommendation `j` of version `k` has
    /// stood unchanged (its own version when it is new or changed in `k`).
    pub fn unchanged_since(&self, k: usize, j: usize) -> Version {
        let (mut k, mut j) = (k, j);
        while let Some(Some(d)) = self.diffs.get(k) {
            match d.for_new(j) {
                Some(rc) if rc.change == Change::Unchanged => {
                    j = rc.old.unwrap_or(0);
                    k -= 1;
                }
                _ => break,
            }
        }
        self.versions[k]
    }

    /// The last version up to `k` whose recommendations changed (any added,
    /// removed or changed) — the "Sidst fagligt ændret" version; the first
    /// version when none did since.
    pub fn last_professional_change(&self, k: usize) -> Version {
        (1..=k)
            .rev()
            .find(|&v| {
                self.diffs[v]
                    .as_ref()
                    .is_some_and(Diff::professional_change)
            })
            .map_or(self.versions[0], |v| self.versions[v])
    }

    /// Warnings for `[id: …]` pins in version `k` that name no recommendation of the version before.
    pub fn pin_diagnostics(&self, k: usize, g: &Guideline) -> Vec<Diagnostic> {
        if k == 0 {
            return Vec::new();
        }
        let prev = self.versions[k - 1];
        self.matchings[k]
            .unknown_pins
            .iter()
            .map(|&j| {
                let r = &g.recommendations[j];
                let id = match &r.id_pin {
                    Some(IdPin::Keep(id)) => id.as_str(),
                    _ => "",
                };
                Diagnostic::new(
                    Code::UnknownRecommendationId,
                    &g.path,
                    r.span,
                    format!(
                        "recommendation {} is pinned to the id `{id}`, which no recommendation of version {prev} has",
                        r.number
                    ),
                )
                .help(format!("`vejviser diff` lists version {prev}'s ids; correct the id, or write `[id: ny]` if the recommendation is new"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
