//! The changelog check on real and generated versions: the samples' archive
//! against what its changelog says, how rows name recommendations, the
//! warnings both ways, and their wording in an English guideline.

use super::*;

#[test]
fn the_samples_archive_difference_is_what_the_changelog_describes() {
    let s = samples();
    let (old, new) = (&s[1], &s[0]);
    let h = history("DMSG", "myelomatose-hdt", &[old, new]);
    let d = h.diffs[1].as_ref().unwrap();
    type Row = (Option<u32>, Option<u32>, Change, Vec<Field>);
    let got: Vec<Row> = d
        .recommendations
        .iter()
        .map(|r| (r.old_number, r.new_number, r.change, r.fields.clone()))
        .collect();
    use Change::*;
    assert_eq!(
        got,
        vec![
            (
                Some(1),
                Some(1),
                Changed,
                vec![Field::Text, Field::Grade, Field::Notes]
            ),
            (
                Some(2),
                Some(2),
                Changed,
                vec![Field::Text, Field::ExtraCost]
            ),
            (None, Some(3), Added, vec![]),
            (
                Some(3),
                Some(4),
                Changed,
                vec![Field::Text, Field::Medicinraadet, Field::Notes]
            ),
            (Some(4), Some(5), Unchanged, vec![]),
            (None, Some(6), Added, vec![]),
            (Some(5), Some(7), Changed, vec![Field::Text]),
            (None, Some(8), Added, vec![]),
        ]
    );
    assert_eq!(h.last_professional_change(1), new.front.version);
    assert_eq!(h.unchanged_since(1, 4), old.front.version);
}

#[test]
fn changelog_rows_name_numbers_lists_and_ranges() {
    let row = |d: &str| vejviser_model::ChangelogRow {
        chapter: "2. Anbefalinger".into(),
        section: String::new(),
        description: d.into(),
        cells: Vec::new(),
        span: Default::default(),
    };
    assert_eq!(
        changelog::named_numbers(&row("Ny anbefaling 6 om x. Anbefaling 4 er præciseret.")),
        vec![4, 6]
    );
    assert_eq!(
        changelog::named_numbers(&row("Anbefalingerne 2, 3 og 5 er omskrevet")),
        vec![2, 3, 5]
    );
    assert_eq!(
        changelog::named_numbers(&row("Recommendations 6–8 are new")),
        vec![6, 7, 8]
    );
    assert_eq!(
        changelog::named_numbers(&row("Anbefalingsgraden er ændret i 2 afsnit")),
        Vec::<u32>::new()
    );
    assert_eq!(
        changelog::named_numbers(&row("Opdateret litteratur (2024)")),
        Vec::<u32>::new()
    );
}

#[test]
fn the_changelog_check_warns_both_ways() {
    let s = samples();
    let (old, new) = (&s[1], &s[0]);
    let h = history("DMSG", "myelomatose-hdt", &[old, new]);
    let d = h.diffs[1].as_ref().unwrap();
    // The sample's changelog names every change: no findings.
    assert!(changelog::check(old, new, d).is_empty());
    assert_eq!(changelog::unmentioned(d, &new.changelog), Vec::<u32>::new());
    // Without its sentences on 1 and 7, it names 2, 3, 4, 6 and 8.
    let mut new = new.clone();
    for row in &mut new.changelog {
        for gone in [
            " Anbefaling 1 omfatter nu også patienter mellem 70 og 75 år.",
            " Anbefaling 7: doseringen af lenalidomid er præciseret.",
        ] {
            row.description = row.description.replace(gone, "");
        }
    }
    let new = &new;
    let mut got: Vec<(Code, u32)> = changelog::check(old, new, d)
        .iter()
        .map(|x| (x.code, x.span().line))
        .collect();
    got.sort();
    let line = |n: u32| new.recommendation(n).unwrap().span.line;
    let mut want = vec![
        (Code::ChangelogMissesChange, line(1)),
        (Code::ChangelogMissesChange, line(7)),
    ];
    want.sort();
    assert_eq!(got, want);
    // A row naming recommendation 5 (old 4, unchanged) is a warning at that row.
    let mut named = new.clone();
    named.changelog[0]
        .description
        .push_str(" Anbefaling 5 er uændret.");
    let diags = changelog::check(old, &named, d);
    let row = diags
        .iter()
        .find(|x| x.code == Code::ChangelogNamesUnchanged)
        .expect("a warning for 5");
    assert_eq!(row.span(), named.changelog[0].span);
    // The sample is Danish: so are the findings.
    assert_eq!(
        row.message,
        "ændringsloggen nævner anbefaling 5, som er uændret siden version 1.5 (den havde nummer 4 i version 1.5)"
    );
    let missed: Vec<String> = changelog::check(old, new, d)
        .into_iter()
        .map(|x| x.message)
        .collect();
    assert_eq!(
        missed,
        vec![
            "anbefaling 1 er ændret (tekst; anbefalingsgrad A → A+C; noter), men ændringsloggen nævner den ikke",
            "anbefaling 7 (nummer 5 i version 1.5) er ændret (tekst), men ændringsloggen nævner den ikke",
        ]
    );
    assert_eq!(changelog::unmentioned(d, &new.changelog), vec![1, 7]);
}

#[test]
fn the_changelog_check_speaks_an_english_guidelines_language() {
    let s = samples();
    let old = &s[3];
    assert_eq!(old.front.language, vejviser_model::Language::En);
    // The next version: recommendation 1's grades lowered one step, the last removed,
    // and a changelog that names neither but names recommendation 2.
    let mut new = old.clone();
    for st in &mut new.recommendations[0].statements {
        st.grade = Some(match st.grade {
            Some(Grade::A) => Grade::B,
            Some(Grade::B) => Grade::C,
            _ => Grade::D,
        });
    }
    let last = old.recommendations.len();
    new.recommendations.pop();
    new.changelog.truncate(1);
    new.changelog[0].description = "Recommendation 2 is reworded.".to_string();
    let h = history("DBCG", "adjuvant-endocrine-therapy", &[old, &new]);
    let d = h.diffs[1].as_ref().unwrap();
    let mut got: Vec<(Code, String, Option<String>)> = changelog::check(old, &new, d)
        .into_iter()
        .map(|x| (x.code, x.message, x.help))
        .collect();
    got.sort();
    let v = old.front.version.to_string();
    let grades = |g: &Guideline| {
        g.recommendations[0]
            .grades()
            .map(|g| g.letter().to_string())
            .collect::<Vec<_>>()
            .join("+")
    };
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(
        got[0].1,
        format!(
            "recommendation 1 is changed (grade {} → {}), but the changelog does not mention it",
            grades(old),
            grades(&new)
        )
    );
    assert!(got[0].2.as_deref().unwrap().contains("Recommendation 1: …"));
    assert_eq!(
        got[1].1,
        format!("recommendation {last} of version {v} is removed, but the changelog does not mention it")
    );
    assert_eq!(got[2].0, Code::ChangelogNamesUnchanged);
    assert_eq!(
        got[2].1,
        format!("the changelog names recommendation 2, which is unchanged since version {v}")
    );
}
