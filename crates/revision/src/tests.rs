use super::*;
use proptest::prelude::*;
use RevisionStatus::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn status(approval: &str, planned: Option<&str>, as_of: &str, within: u32) -> RevisionStatus {
    revision(Some(d(approval)), planned.map(d), d(as_of), within).status
}

/// The example from the specification: approved 2026-03-03, planned update 2029-02-01.
/// Expiry 2031-03-03; the due window opens 90 days before, on 2028-11-03.
const P: &str = "2026-03-03";
const U: &str = "2029-02-01";

fn example(as_of: &str) -> Revision {
    revision(Some(d(P)), Some(d(U)), d(as_of), DEFAULT_DUE_WITHIN_DAYS)
}

// ---------------------------------------------------------------- status names

#[test]
fn as_str_and_parse_round_trip() {
    for s in RevisionStatus::ALL {
        assert_eq!(RevisionStatus::parse(s.as_str()), Some(s));
        assert_eq!(s.to_string(), s.as_str());
    }
    assert_eq!(RevisionStatus::parse(" Expired "), Some(Expired));
    assert_eq!(RevisionStatus::parse("OVERDUE"), Some(Overdue));
    assert_eq!(RevisionStatus::parse("never"), None);
    assert_eq!(RevisionStatus::parse(""), None);
    assert_eq!(RevisionStatus::parse("udløbet"), None);
}

#[test]
fn names_and_labels() {
    let expected = [
        (Draft, "draft", "Udkast", "Draft"),
        (Current, "current", "Gældende", "Current"),
        (Due, "due", "Skal revideres snart", "Due for revision"),
        (Overdue, "overdue", "Revision overskredet", "Overdue"),
        (
            Expired,
            "expired",
            "Udløbet (over fem år)",
            "Expired (over five years)",
        ),
    ];
    for (s, name, da, en) in expected {
        assert_eq!(s.as_str(), name);
        assert_eq!(s.label(Lang::Da), da);
        assert_eq!(s.label(Lang::En), en);
    }
}

#[test]
fn urgency_agrees_with_ord() {
    assert_eq!(
        RevisionStatus::ALL.map(RevisionStatus::urgency),
        [0, 1, 2, 3, 4]
    );
    assert!(Draft < Current && Current < Due && Due < Overdue && Overdue < Expired);
    for a in RevisionStatus::ALL {
        for b in RevisionStatus::ALL {
            assert_eq!(a.cmp(&b), a.urgency().cmp(&b.urgency()));
        }
    }
    assert_eq!(Expired.urgency(), 4);
    assert_eq!(Draft.urgency(), 0);
}

#[test]
fn lang() {
    assert_eq!(Lang::default(), Lang::Da);
    assert_eq!(Lang::parse("da"), Some(Lang::Da));
    assert_eq!(Lang::parse(" EN"), Some(Lang::En));
    assert_eq!(Lang::parse("de"), None);
    assert_eq!(Lang::En.as_str(), "en");
}

#[test]
fn serialises_lower_case() {
    let json = serde_json::to_value(example("2029-02-02")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "status": "overdue",
            "expires": "2031-03-03",
            "days_until_planned_update": -1,
            "days_until_expiry": 759,
            "days_overdue": 1,
        })
    );
    let draft = serde_json::to_value(revision(None, None, d("2026-01-01"), 90)).unwrap();
    assert_eq!(
        draft,
        serde_json::json!({
            "status": "draft",
            "expires": null,
            "days_until_planned_update": null,
            "days_until_expiry": null,
            "days_overdue": null,
        })
    );
    assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
}

// ---------------------------------------------------------------- dates

#[test]
fn expiry_is_fifth_anniversary() {
    assert_eq!(expiry_date(d("2026-03-03")), d("2031-03-03"));
    assert_eq!(expiry_date(d("2026-12-31")), d("2031-12-31"));
    assert_eq!(expiry_date(d("2026-01-01")), d("2031-01-01"));
}

#[test]
fn expiry_of_leap_day_approvals() {
    assert_eq!(expiry_date(d("2024-02-29")), d("2029-02-28"));
    assert_eq!(expiry_date(d("2020-02-29")), d("2025-02-28"));
    assert_eq!(expiry_date(d("2028-02-29")), d("2033-02-28"));
    assert_eq!(planned_update_limit(d("2024-02-29")), d("2029-02-28"));
}

#[test]
fn expiry_around_leap_day() {
    // 28 February and 1 March keep their day, in leap and common years alike.
    assert_eq!(expiry_date(d("2024-02-28")), d("2029-02-28"));
    assert_eq!(expiry_date(d("2024-03-01")), d("2029-03-01"));
    assert_eq!(expiry_date(d("2023-02-28")), d("2028-02-28"));
    assert_eq!(expiry_date(d("2023-03-01")), d("2028-03-01"));
    // The 28 Feb and 29 Feb 2024 approvals expire on the same day.
    assert_eq!(expiry_date(d("2024-02-28")), expiry_date(d("2024-02-29")));
}

#[test]
fn add_years_clamped_cases() {
    assert_eq!(add_years_clamped(d("2020-02-29"), 4), d("2024-02-29"));
    assert_eq!(add_years_clamped(d("2020-02-29"), 1), d("2021-02-28"));
    assert_eq!(add_years_clamped(d("2020-02-29"), -1), d("2019-02-28"));
    assert_eq!(add_years_clamped(d("2020-02-29"), 0), d("2020-02-29"));
    assert_eq!(add_years_clamped(d("2021-07-15"), -5), d("2016-07-15"));
    assert_eq!(add_years_clamped(NaiveDate::MAX, 5), NaiveDate::MAX);
    assert_eq!(add_years_clamped(NaiveDate::MIN, -5), NaiveDate::MIN);
    assert_eq!(add_years_clamped(d("2020-01-01"), i32::MAX), NaiveDate::MAX);
    assert_eq!(add_years_clamped(d("2020-01-01"), i32::MIN), NaiveDate::MIN);
}

#[test]
fn planned_update_limit_is_expiry() {
    for p in ["2026-03-03", "2024-02-29", "2023-03-01", "2000-12-31"] {
        assert_eq!(planned_update_limit(d(p)), expiry_date(d(p)));
    }
}

#[test]
fn due_from_cases() {
    assert_eq!(due_from(d(U), 90), d("2028-11-03"));
    assert_eq!(due_from(d(U), 0), d(U));
    assert_eq!(due_from(d("2024-03-31"), 31), d("2024-02-29"));
    assert_eq!(due_from(d(U), u32::MAX), NaiveDate::MIN);
}

// ---------------------------------------------------------------- boundaries

#[test]
fn draft_without_approval() {
    for planned in [None, Some(d(U))] {
        for as_of in ["2020-01-01", "2029-02-01", "2040-01-01"] {
            let r = revision(None, planned, d(as_of), DEFAULT_DUE_WITHIN_DAYS);
            assert_eq!(
                r,
                Revision {
                    status: Draft,
                    expires: None,
                    days_until_planned_update: None,
                    days_until_expiry: None,
                    days_overdue: None,
                }
            );
        }
    }
}

#[test]
fn due_window_start() {
    // U − 90 days = 2028-11-03.
    assert_eq!(example("2028-11-02").status, Current);
    assert_eq!(example("2028-11-03").status, Due);
    assert_eq!(example("2028-11-04").status, Due);
}

#[test]
fn planned_update_day() {
    assert_eq!(example("2029-01-31").status, Due);
    assert_eq!(example("2029-02-01").status, Due);
    assert_eq!(example("2029-02-02").status, Overdue);
}

#[test]
fn expiry_day() {
    assert_eq!(example("2031-03-02").status, Overdue);
    assert_eq!(example("2031-03-03").status, Expired);
    assert_eq!(example("2031-03-04").status, Expired);
    assert_eq!(example("2050-01-01").status, Expired);
}

#[test]
fn current_from_approval_and_before() {
    assert_eq!(example("2026-03-03").status, Current);
    assert_eq!(example("2027-06-01").status, Current);
    // Asked about a date before the approval: the rules still apply as written.
    assert_eq!(example("2025-01-01").status, Current);
}

#[test]
fn day_counts_around_boundaries() {
    let counts = |as_of| {
        let r = example(as_of);
        (
            r.status,
            r.days_until_planned_update.unwrap(),
            r.days_until_expiry.unwrap(),
            r.days_overdue.unwrap(),
        )
    };
    // Planned update to expiry: 2029-02-01 .. 2031-03-03 is 760 days.
    assert_eq!(counts("2028-11-02"), (Current, 91, 851, -91));
    assert_eq!(counts("2028-11-03"), (Due, 90, 850, -90));
    assert_eq!(counts("2029-02-01"), (Due, 0, 760, 0));
    assert_eq!(counts("2029-02-02"), (Overdue, -1, 759, 1));
    assert_eq!(counts("2031-03-02"), (Overdue, -759, 1, 759));
    // Expired: days_overdue still counts from the planned update, the first deadline missed.
    assert_eq!(counts("2031-03-03"), (Expired, -760, 0, 760));
    assert_eq!(counts("2031-03-04"), (Expired, -761, -1, 761));
    assert_eq!(example("2031-03-03").expires, Some(d("2031-03-03")));
}

#[test]
fn leap_day_approval_status() {
    // Approved 2024-02-29, expires 2029-02-28.
    let p = "2024-02-29";
    let planned = Some("2028-06-01");
    assert_eq!(status(p, planned, "2029-02-27", 90), Overdue);
    assert_eq!(status(p, planned, "2029-02-28", 90), Expired);
    assert_eq!(status(p, planned, "2029-03-01", 90), Expired);
    let r = revision(Some(d(p)), planned.map(d), d("2029-02-27"), 90);
    assert_eq!(r.days_until_expiry, Some(1));
    assert_eq!(r.expires, Some(d("2029-02-28")));

    // Approved 2020-02-29, expires 2025-02-28.
    assert_eq!(status("2020-02-29", None, "2025-02-27", 90), Current);
    assert_eq!(status("2020-02-29", None, "2025-02-28", 90), Expired);
}

#[test]
fn approval_on_28_february_and_1_march() {
    // 2024-02-28 expires 2029-02-28; 2024-03-01 expires 2029-03-01.
    assert_eq!(status("2024-02-28", None, "2029-02-27", 90), Current);
    assert_eq!(status("2024-02-28", None, "2029-02-28", 90), Expired);
    assert_eq!(status("2024-03-01", None, "2029-02-28", 90), Current);
    assert_eq!(status("2024-03-01", None, "2029-03-01", 90), Expired);
    // 2023-03-01 expires 2028-03-01, so the leap day 2028-02-29 is its last valid day.
    assert_eq!(status("2023-03-01", None, "2028-02-29", 90), Current);
    assert_eq!(status("2023-03-01", None, "2028-03-01", 90), Expired);
}

#[test]
fn planned_update_beyond_the_limit() {
    // Approved 2020-01-15 (expires 2025-01-15), planned update 2026-01-01: invalid, but
    // the expiry still wins; the due window never opens before expiry here.
    let (p, u) = ("2020-01-15", Some("2026-01-01"));
    assert_eq!(status(p, u, "2025-01-14", 90), Current);
    assert_eq!(status(p, u, "2025-01-15", 90), Expired);
    assert_eq!(status(p, u, "2025-12-01", 90), Expired);
    assert_eq!(status(p, u, "2026-01-01", 90), Expired);
    assert_eq!(status(p, u, "2026-01-02", 90), Expired);
    // The due window would open 2025-10-03, after expiry: a wide one reaches back.
    assert_eq!(status(p, u, "2025-01-14", 400), Due);
    let r = revision(Some(d(p)), u.map(d), d("2025-01-20"), 90);
    // days_overdue counts from the expiry, the earlier deadline.
    assert_eq!(r.days_overdue, Some(5));
    assert_eq!(r.days_until_expiry, Some(-5));
    assert_eq!(r.days_until_planned_update, Some(346));
}

#[test]
fn planned_update_on_the_limit() {
    // Planned update exactly on the expiry date: due until the day before, then expired
    // (expired wins over due on the shared day); never overdue.
    let (p, u) = ("2026-03-03", Some("2031-03-03"));
    assert_eq!(status(p, u, "2030-12-02", 90), Current);
    assert_eq!(status(p, u, "2030-12-03", 90), Due);
    assert_eq!(status(p, u, "2031-03-02", 90), Due);
    assert_eq!(status(p, u, "2031-03-03", 90), Expired);
    let r = revision(Some(d(p)), u.map(d), d("2031-03-03"), 90);
    assert_eq!(r.days_overdue, Some(0));
}

#[test]
fn due_within_zero() {
    assert_eq!(status(P, Some(U), "2029-01-31", 0), Current);
    assert_eq!(status(P, Some(U), "2029-02-01", 0), Due);
    assert_eq!(status(P, Some(U), "2029-02-02", 0), Overdue);
}

#[test]
fn due_within_other_horizons() {
    assert_eq!(status(P, Some(U), "2029-01-02", 30), Due);
    assert_eq!(status(P, Some(U), "2029-01-01", 30), Current);
    // A horizon reaching back past the approval makes the whole life "due".
    assert_eq!(status(P, Some(U), "2026-03-03", 5000), Due);
    assert_eq!(status(P, Some(U), "2026-03-03", u32::MAX), Due);
}

#[test]
fn planned_update_missing() {
    // Only the expiry applies: current until the expiry day, never due or overdue.
    for as_of in ["2026-03-03", "2029-02-02", "2031-01-01", "2031-03-02"] {
        let r = revision(Some(d(P)), None, d(as_of), DEFAULT_DUE_WITHIN_DAYS);
        assert_eq!(r.status, Current, "{as_of}");
        assert_eq!(r.days_until_planned_update, None);
    }
    let r = revision(Some(d(P)), None, d("2031-03-02"), 90);
    assert_eq!(r.days_until_expiry, Some(1));
    assert_eq!(r.days_overdue, Some(-1));
    let r = revision(Some(d(P)), None, d("2031-03-03"), 90);
    assert_eq!(r.status, Expired);
    assert_eq!(r.days_overdue, Some(0));
    assert_eq!(r.expires, Some(d("2031-03-03")));
}

#[test]
fn planned_update_before_approval() {
    // Invalid input (the checker reports it), but handled by the same rules.
    let (p, u) = ("2026-03-03", Some("2026-01-01"));
    assert_eq!(status(p, u, "2026-03-03", 90), Overdue);
    assert_eq!(status(p, u, "2031-03-03", 90), Expired);
}

#[test]
fn extreme_dates_do_not_panic() {
    let r = revision(
        Some(NaiveDate::MAX),
        Some(NaiveDate::MAX),
        NaiveDate::MIN,
        u32::MAX,
    );
    assert_eq!(r.status, Due);
    assert_eq!(r.expires, Some(NaiveDate::MAX));
    let r = revision(
        Some(NaiveDate::MIN),
        Some(NaiveDate::MIN),
        NaiveDate::MAX,
        0,
    );
    assert_eq!(r.status, Expired);
    assert!(r.days_overdue.unwrap() > 0);
}

// ---------------------------------------------------------------- properties

/// Dates between 1990 and 2060.
fn date() -> impl Strategy<Value = NaiveDate> {
    let lo = d("1990-01-01").num_days_from_ce();
    let hi = d("2060-12-31").num_days_from_ce();
    (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// An approval and a planned update a little before up to well beyond the limit.
fn guideline() -> impl Strategy<Value = (Option<NaiveDate>, Option<NaiveDate>)> {
    (
        proptest::option::weighted(0.9, date()),
        proptest::option::weighted(0.9, -400i64..2500),
    )
        .prop_map(|(p, offset)| {
            let u = match (p, offset) {
                (Some(p), Some(o)) => p.checked_add_signed(chrono::TimeDelta::days(o)),
                _ => None,
            };
            (p, u)
        })
}

proptest! {
    #[test]
    fn status_is_monotone_in_as_of(
        (p, u) in guideline(),
        a in date(),
        b in date(),
        within in 0u32..400,
    ) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let s1 = revision(p, u, early, within).status;
        let s2 = revision(p, u, late, within).status;
        prop_assert!(s1 <= s2, "{s1:?} on {early} but {s2:?} on {late}");
    }

    #[test]
    fn status_is_monotone_in_horizon(
        (p, u) in guideline(),
        as_of in date(),
        w1 in 0u32..400,
        w2 in 0u32..400,
    ) {
        let (narrow, wide) = if w1 <= w2 { (w1, w2) } else { (w2, w1) };
        prop_assert!(revision(p, u, as_of, narrow).status <= revision(p, u, as_of, wide).status);
    }

    #[test]
    fn matches_the_rule_table((p, u) in guideline(), as_of in date(), within in 0u32..400) {
        let r = revision(p, u, as_of, within);
        let Some(p) = p else {
            prop_assert_eq!(r.status, Draft);
            prop_assert_eq!(r.expires, None);
            return Ok(());
        };
        let e = expiry_date(p);
        let expected = if as_of >= e {
            Expired
        } else if u.is_some_and(|u| as_of > u) {
            Overdue
        } else if u.is_some_and(|u| (u - as_of).num_days() <= i64::from(within)) {
            Due
        } else {
            Current
        };
        prop_assert_eq!(r.status, expected);
        prop_assert_eq!(r.expires, Some(e));
        prop_assert_eq!(r.days_until_expiry, Some((e - as_of).num_days()));
        prop_assert_eq!(r.days_until_planned_update, u.map(|u| (u - as_of).num_days()));
        let overdue = r.days_overdue.unwrap();
        match r.status {
            Overdue => prop_assert_eq!(Some(overdue), r.days_until_planned_update.map(|x| -x)),
            Expired => prop_assert!(overdue >= 0),
            Due | Current => prop_assert!(overdue <= 0),
            Draft => unreachable!(),
        }
    }

    #[test]
    fn expiry_is_five_years_on(p in date()) {
        let e = expiry_date(p);
        prop_assert_eq!(e.year(), p.year() + VALIDITY_YEARS);
        prop_assert_eq!(e.month(), p.month());
        if p.month() == 2 && p.day() == 29 {
            prop_assert_eq!(e.day(), 28);
        } else {
            prop_assert_eq!(e.day(), p.day());
        }
        let days = (e - p).num_days();
        prop_assert!((1825..=1827).contains(&days), "{} days", days);
    }
}
