//! Revision status of Danish national clinical guidelines.
//!
//! A published guideline is valid for five years from its professional approval and
//! names a planned update that must fall within that period (specification
//! `guideline-format.md`, section 9). This crate decides, for a given date, whether a
//! guideline is a [`Draft`](RevisionStatus::Draft), [`Current`](RevisionStatus::Current),
//! [`Due`](RevisionStatus::Due) for revision, [`Overdue`](RevisionStatus::Overdue) or
//! [`Expired`](RevisionStatus::Expired), and how many days remain or have passed.
//!
//! Everything here is a pure function: no I/O and no clock. The caller supplies every
//! date, including "today" (`as_of`), so results are reproducible and testable.
//!
//! ```
//! use chrono::NaiveDate;
//! use vejviser_revision::{revision, RevisionStatus, DEFAULT_DUE_WITHIN_DAYS};
//!
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let r = revision(
//!     Some(date(2026, 3, 3)),  // professional approval
//!     Some(date(2029, 2, 1)),  // planned update
//!     date(2029, 1, 2),        // as of
//!     DEFAULT_DUE_WITHIN_DAYS,
//! );
//! assert_eq!(r.status, RevisionStatus::Due);
//! assert_eq!(r.expires, Some(date(2031, 3, 3)));
//! assert_eq!(r.days_until_planned_update, Some(30));
//! ```

use std::fmt;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// Number of days before the planned update in which a guideline counts as
/// [`RevisionStatus::Due`] (the specification's 90-day horizon).
pub const DEFAULT_DUE_WITHIN_DAYS: u32 = 90;

/// Years a guideline stays valid after its professional approval.
pub const VALIDITY_YEARS: i32 = 5;

/// Language of a human-readable label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish (the default, as for guidelines).
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// The language code: `"da"` or `"en"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Parses a language code (`"da"` or `"en"`, ASCII case-insensitive, surrounding
    /// whitespace ignored).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        if code.eq_ignore_ascii_case("da") {
            Some(Lang::Da)
        } else if code.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// Where a guideline stands in its revision cycle on a given date.
///
/// The variants are declared from least to most urgent, so the derived [`Ord`] is the
/// order of urgency and agrees with [`RevisionStatus::urgency`]:
///
/// `Draft < Current < Due < Overdue < Expired`
///
/// A threshold test such as "fail on overdue or worse" is therefore simply
/// `status >= RevisionStatus::Overdue`. Serialises as the lower-case name
/// (`"draft"`, `"current"`, `"due"`, `"overdue"`, `"expired"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RevisionStatus {
    /// No professional approval yet: the guideline is being written. No revision clock runs.
    Draft,
    /// Approved, and neither due, overdue nor expired.
    Current,
    /// Within the horizon (90 days by default) before the planned update, up to and
    /// including the planned-update day itself.
    Due,
    /// Past the planned update, but still within five years of the professional approval.
    Overdue,
    /// Five years since the professional approval have run out (the expiry day itself
    /// included). The guideline must come off the website.
    Expired,
}

impl RevisionStatus {
    /// Every status, from least to most urgent.
    pub const ALL: [RevisionStatus; 5] = [
        RevisionStatus::Draft,
        RevisionStatus::Current,
        RevisionStatus::Due,
        RevisionStatus::Overdue,
        RevisionStatus::Expired,
    ];

    /// The machine name: `"draft"`, `"current"`, `"due"`, `"overdue"` or `"expired"`
    /// (the same as the serialised form).
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionStatus::Draft => "draft",
            RevisionStatus::Current => "current",
            RevisionStatus::Due => "due",
            RevisionStatus::Overdue => "overdue",
            RevisionStatus::Expired => "expired",
        }
    }

    /// Parses a machine name as returned by [`as_str`](Self::as_str), ASCII
    /// case-insensitive, surrounding whitespace ignored. Anything else gives `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s))
    }

    /// Human-readable label in Danish or English, for reports and the website.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RevisionStatus::Draft, Lang::Da) => "Udkast",
            (RevisionStatus::Draft, Lang::En) => "Draft",
            (RevisionStatus::Current, Lang::Da) => "Gældende",
            (RevisionStatus::Current, Lang::En) => "Current",
            (RevisionStatus::Due, Lang::Da) => "Skal revideres snart",
            (RevisionStatus::Due, Lang::En) => "Due for revision",
            (RevisionStatus::Overdue, Lang::Da) => "Revision overskredet",
            (RevisionStatus::Overdue, Lang::En) => "Overdue",
            (RevisionStatus::Expired, Lang::Da) => "Udløbet (over fem år)",
            (RevisionStatus::Expired, Lang::En) => "Expired (over five years)",
        }
    }

    /// Urgency from 0 (draft) to 4 (expired): draft 0, current 1, due 2, overdue 3,
    /// expired 4. Consistent with the derived [`Ord`].
    pub fn urgency(self) -> u8 {
        match self {
            RevisionStatus::Draft => 0,
            RevisionStatus::Current => 1,
            RevisionStatus::Due => 2,
            RevisionStatus::Overdue => 3,
            RevisionStatus::Expired => 4,
        }
    }
}

impl fmt::Display for RevisionStatus {
    /// Writes the machine name ([`as_str`](Self::as_str)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `date` moved by `years` whole years (negative moves back), keeping month and day.
///
/// 29 February becomes 28 February when the target year is not a leap year. If the
/// target year lies outside the range chrono can represent, the result saturates at
/// [`NaiveDate::MAX`] (moving forward) or [`NaiveDate::MIN`] (moving back).
pub fn add_years_clamped(date: NaiveDate, years: i32) -> NaiveDate {
    let saturated = if years >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    };
    let Some(year) = date.year().checked_add(years) else {
        return saturated;
    };
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        // Only 29 February can be missing in another year of the range.
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), date.day() - 1))
        .unwrap_or(saturated)
}

/// The expiry date: the fifth anniversary of the professional approval. An approval on
/// 29 February expires on 28 February. From this day on the guideline is
/// [`RevisionStatus::Expired`].
pub fn expiry_date(professional_approval: NaiveDate) -> NaiveDate {
    add_years_clamped(professional_approval, VALIDITY_YEARS)
}

/// The latest allowed planned update: the same day as [`expiry_date`]. A
/// `planned_update` must be on or before this date (the checker reports one that is
/// later); a guideline planned exactly on the limit goes from due straight to expired.
pub fn planned_update_limit(professional_approval: NaiveDate) -> NaiveDate {
    expiry_date(professional_approval)
}

/// First day of the "due" window: `planned_update - due_within_days`, saturating at
/// [`NaiveDate::MIN`].
pub fn due_from(planned_update: NaiveDate, due_within_days: u32) -> NaiveDate {
    planned_update
        .checked_sub_days(Days::new(u64::from(due_within_days)))
        .unwrap_or(NaiveDate::MIN)
}

/// A guideline's revision status on a date, with the day counts a report needs.
///
/// All day counts are calendar days, `None` for a draft (no revision clock runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The status on the `as_of` date.
    pub status: RevisionStatus,
    /// The expiry date ([`expiry_date`] of the professional approval); `None` for a draft.
    pub expires: Option<NaiveDate>,
    /// `planned_update - as_of`: positive before, 0 on the day, negative when past.
    /// `None` for a draft or when there is no planned update.
    pub days_until_planned_update: Option<i64>,
    /// `expires - as_of`: positive before, 0 on the expiry day (already expired),
    /// negative when past. `None` for a draft.
    pub days_until_expiry: Option<i64>,
    /// `as_of - deadline`, where the deadline is the earlier of the planned update and
    /// the expiry date (the expiry date alone when there is no planned update).
    ///
    /// Positive: days since the first deadline that was missed. For an overdue guideline
    /// that is the days since the planned update; for an expired one the days since the
    /// planned update, or since the expiry if the planned update is later or missing.
    /// Zero on the deadline day itself (due, or expired if the deadline is the expiry).
    /// Negative: the number of days left until the deadline (due and current).
    /// `None` for a draft.
    pub days_overdue: Option<i64>,
}

/// The status of a guideline on `as_of`.
///
/// `professional_approval` `None` means a draft. `planned_update` `None` on an approved
/// guideline (which the checker reports as an error) means there is no planned-update
/// horizon: only the expiry applies, so the guideline is current until it expires.
/// `due_within_days` is the horizon before the planned update, normally
/// [`DEFAULT_DUE_WITHIN_DAYS`]; 0 makes only the planned-update day itself due.
///
/// Rules, first match wins (E = [`expiry_date`], U = planned update, D = `as_of`):
///
/// | status  | when |
/// |---------|------|
/// | draft   | no professional approval |
/// | expired | D ≥ E |
/// | overdue | D > U |
/// | due     | U − `due_within_days` ≤ D ≤ U |
/// | current | otherwise |
///
/// For a fixed guideline the status never becomes less urgent as `as_of` moves forward.
pub fn revision(
    professional_approval: Option<NaiveDate>,
    planned_update: Option<NaiveDate>,
    as_of: NaiveDate,
    due_within_days: u32,
) -> Revision {
    let Some(approval) = professional_approval else {
        return Revision {
            status: RevisionStatus::Draft,
            expires: None,
            days_until_planned_update: None,
            days_until_expiry: None,
            days_overdue: None,
        };
    };
    let expires = expiry_date(approval);

    let status = if as_of >= expires {
        RevisionStatus::Expired
    } else {
        match planned_update {
            Some(update) if as_of > update => RevisionStatus::Overdue,
            Some(update) if as_of >= due_from(update, due_within_days) => RevisionStatus::Due,
            _ => RevisionStatus::Current,
        }
    };

    let deadline = planned_update.map_or(expires, |update| update.min(expires));
    Revision {
        status,
        expires: Some(expires),
        days_until_planned_update: planned_update.map(|update| days_between(as_of, update)),
        days_until_expiry: Some(days_between(as_of, expires)),
        days_overdue: Some(days_between(deadline, as_of)),
    }
}

/// `to - from` in days.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

#[cfg(test)]
mod tests;
