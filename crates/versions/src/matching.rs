//! Matching a version's recommendations to its previous version's, so ids
//! carry over: author pins first, then the best-scoring pairs, greedily.
//!
//! The score of a pair is the Dice similarity of their words (the text without
//! grades and markers) plus small bonuses for the same topic, the same grades,
//! the same Medicinrådet status and similar notes. A pair is a candidate only
//! when its words are at least [`MIN_TEXT`] alike and its score at least
//! [`MIN_SCORE`]; candidates are taken best first (ties: the pair whose
//! positions are closest, then the earliest), each recommendation at most once.
//! Numbers play no part, so renumbering never breaks a match.

use crate::text::{lowercase_into, Words};
use std::cell::OnceCell;
use vejviser_model::{Grade, IdPin, MedicinraadetStatus, Recommendation};

/// The least word similarity for two recommendations to be the same one.
pub const MIN_TEXT: f64 = 0.4;
/// The least score (similarity plus bonuses) for a match.
pub const MIN_SCORE: f64 = 0.5;
const TOPIC_BONUS: f64 = 0.1;
const GRADES_BONUS: f64 = 0.05;
const STATUS_BONUS: f64 = 0.05;
const NOTES_BONUS: f64 = 0.05;
/// Above this many pairs (hundreds of recommendations on each side, far beyond
/// any real guideline) only recommendations within [`WINDOW`] places of each
/// other are compared, so time stays linear in the input.
const MAX_PAIRS: usize = 250_000;
const WINDOW: usize = 64;

/// What matching compares of one recommendation.
pub(crate) struct Features<'a> {
    topic: String,
    words: Words,
    grades: Vec<Grade>,
    status: Option<MedicinraadetStatus>,
    /// The notes' words, read only for a pair whose texts are alike enough.
    notes: OnceCell<Words>,
    r: &'a Recommendation,
}

impl<'a> Features<'a> {
    /// The words are those of [`crate::text::tokens`] on the text without
    /// grades and markers, and on the notes.
    pub(crate) fn of(r: &'a Recommendation) -> Features<'a> {
        let mut topic = String::new();
        lowercase_into(r.topic.trim(), &mut topic);
        Features {
            topic,
            words: Words::of(r.statements.iter().map(|s| s.text.as_str())),
            grades: r.grades().collect(),
            status: r.medicinraadet.as_ref().map(|m| m.status),
            notes: OnceCell::new(),
            r,
        }
    }

    fn notes(&self) -> &Words {
        self.notes
            .get_or_init(|| Words::of(self.r.notes.iter().map(String::as_str)))
    }
}

/// How alike two recommendations are; `None` when they are not candidates.
pub(crate) fn score(a: &Features, b: &Features) -> Option<f64> {
    if a.words.dice_at_most(&b.words) < MIN_TEXT {
        return None;
    }
    let text = a.words.dice(&b.words);
    if text < MIN_TEXT {
        return None;
    }
    let mut s = text;
    if a.topic == b.topic {
        s += TOPIC_BONUS;
    }
    if a.grades == b.grades {
        s += GRADES_BONUS;
    }
    if a.status == b.status {
        s += STATUS_BONUS;
    }
    let (an, bn) = (a.notes(), b.notes());
    if !(an.is_empty() && bn.is_empty()) {
        s += NOTES_BONUS * an.dice(bn);
    }
    (s >= MIN_SCORE).then_some(s)
}

/// Which new recommendation continues which old one (indices into the two
/// versions' recommendation lists), and what the author's pins did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matching {
    /// `old_of[j]`: the old recommendation new recommendation `j` continues.
    pub old_of: Vec<Option<usize>>,
    /// New recommendations whose `[id: …]` names an id the old version lacks.
    pub unknown_pins: Vec<usize>,
}

/// Matches `new` to `old` (whose ids are `old_ids`, index-aligned).
pub fn match_recommendations(
    old: &[Recommendation],
    old_ids: &[String],
    new: &[Recommendation],
) -> Matching {
    let mut m = Matching {
        old_of: vec![None; new.len()],
        unknown_pins: Vec::new(),
    };
    let mut old_taken = vec![false; old.len()];
    let mut new_fixed = vec![false; new.len()];
    for (j, r) in new.iter().enumerate() {
        match &r.id_pin {
            Some(IdPin::Keep(id)) => {
                new_fixed[j] = true;
                match old_ids.iter().position(|o| o == id) {
                    Some(i) if !old_taken[i] => {
                        old_taken[i] = true;
                        m.old_of[j] = Some(i);
                    }
                    Some(_) => {}
                    None => m.unknown_pins.push(j),
                }
            }
            Some(IdPin::New) => new_fixed[j] = true,
            None => {}
        }
    }
    let fo: Vec<Features> = old.iter().map(Features::of).collect();
    let fnew: Vec<Features> = new.iter().map(Features::of).collect();
    let windowed = old.len().saturating_mul(new.len()) > MAX_PAIRS;
    let mut pairs: Vec<(f64, usize, usize, usize)> = Vec::new();
    for (j, b) in fnew.iter().enumerate() {
        if new_fixed[j] {
            continue;
        }
        for (i, a) in fo.iter().enumerate() {
            if old_taken[i] || (windowed && i.abs_diff(j) > WINDOW) {
                continue;
            }
            if let Some(s) = score(a, b) {
                // Distance in relative position breaks ties between equal texts.
                let dist = (i * new.len().max(1)).abs_diff(j * old.len().max(1));
                pairs.push((s, dist, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(x.1.cmp(&y.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
    for (_, _, i, j) in pairs {
        if !old_taken[i] && m.old_of[j].is_none() {
            old_taken[i] = true;
            m.old_of[j] = Some(i);
        }
    }
    m
}
