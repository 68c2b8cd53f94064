//! Generated edits of real guidelines (the repository's samples; the corpus
//! with `VEJVISER_CORPUS`, see `measure_corpus`) and the difference and ids
//! each must give.

use super::*;
use vejviser_model::{Grade, MarkerForm, MedicinraadetMark, MedicinraadetStatus, Recommendation};

mod changelog_check;
mod heavy;

const SAMPLES: &[&str] = &[
    "guidelines/dmsg/myelomatose-hdt/guideline.md",
    "guidelines/dmsg/myelomatose-hdt/archive/1.5.md",
    "guidelines/dmg/adjuverende-behandling-melanom/guideline.md",
    "guidelines/dbcg/adjuvant-endocrine-therapy/guideline.md",
    "guidelines/dlcg/sbrt-tidligt-stadie-nsclc/guideline.md",
];

fn parse_file(path: &std::path::Path) -> Guideline {
    let text = std::fs::read_to_string(path).unwrap();
    let templates = vejviser_template::TemplateSet::builtin();
    vejviser_parse::parse_str(&path.display().to_string(), &text, &templates)
        .guideline
        .expect("the guideline parses")
}

fn samples() -> Vec<Guideline> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    SAMPLES.iter().map(|p| parse_file(&root.join(p))).collect()
}

/// One kind of generated edit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edit {
    /// A new recommendation first in chapter 2: every number moves up by one.
    Renumber,
    /// Every fourth word of one recommendation replaced, a clause added.
    Reword,
    /// One recommendation moved to another topic.
    Move,
    Grade,
    Marker,
    Cost,
    Notes,
    Add,
    Remove,
    /// One recommendation split in two at its middle.
    Split,
    /// One recommendation removed and a different one added in its place.
    Replace,
}

const EDITS: &[Edit] = &[
    Edit::Renumber,
    Edit::Reword,
    Edit::Move,
    Edit::Grade,
    Edit::Marker,
    Edit::Cost,
    Edit::Notes,
    Edit::Add,
    Edit::Remove,
    Edit::Split,
    Edit::Replace,
];

/// Real-sounding recommendations that none of the samples has, for `Replace`.
const DONORS: &[&str] = &[
    "Patienter med knoglesmerter bør tilbydes palliativ strålebehandling med en enkelt fraktion på 8 Gy",
    "Ved mistanke om rygmarvskompression bør der udføres akut MR-scanning af hele columna",
    "Bisfosfonat bør gives i mindst to år til alle patienter med knoglesygdom",
];

fn renumber(g: &mut Guideline) {
    for (i, r) in g.recommendations.iter_mut().enumerate() {
        r.number = i as u32 + 1;
    }
}

fn new_rec(topic: &str, text: &str) -> Recommendation {
    Recommendation {
        number: 0,
        topic: topic.to_string(),
        source: format!("{text} (B)"),
        statements: vec![vejviser_model::Statement {
            text: text.to_string(),
            grade: Some(Grade::B),
            span: Default::default(),
        }],
        medicinraadet: None,
        extra_cost: false,
        notes: Vec::new(),
        content: vec![vejviser_model::content::Inline::Text(text.to_string())],
        notes_content: Vec::new(),
        id_pin: None,
        span: Default::default(),
    }
}

/// Replaces every `nth` word of a text, deterministically, and adds a clause.
fn reword_text(text: &str, nth: usize, salt: usize) -> String {
    let mut out: Vec<String> = text
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if i % nth == nth - 1 {
                format!("omformuleret{}", (i + salt) % 97)
            } else {
                w.to_string()
            }
        })
        .collect();
    out.push("i samråd med patienten".to_string());
    out.join(" ")
}

/// Keeps only every `keep`-th word of each statement (`usize::MAX`: none), the rest replaced.
fn reword_keeping(r: &mut Recommendation, keep: usize) {
    for (k, s) in r.statements.iter_mut().enumerate() {
        s.text = s
            .text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| {
                if keep != usize::MAX && i % keep == 0 {
                    w.to_string()
                } else {
                    format!("nyt{}", (i + k) % 97)
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    r.source = text::text_of(r);
}

fn reword(r: &mut Recommendation, nth: usize) {
    let n = r.statements.len();
    for (k, s) in r.statements.iter_mut().enumerate() {
        s.text = reword_text(&s.text, nth, k);
        if k + 1 < n {
            s.text
                .truncate(s.text.len() - " i samråd med patienten".len());
        }
    }
    r.source = text::text_of(r);
}

/// The edited guideline and the expected difference: for each new
/// recommendation the old index it continues (or None: added), its expected
/// change and fields; and the old indices expected removed.
struct Expected {
    g: Guideline,
    old_of: Vec<Option<usize>>,
    fields: Vec<Vec<Field>>,
    removed: Vec<usize>,
}

/// Applies `edit` to recommendation `t` of `g`.
fn apply(g: &Guideline, edit: Edit, t: usize) -> Expected {
    let mut e = g.clone();
    let n = g.recommendations.len();
    let mut old_of: Vec<Option<usize>> = (0..n).map(Some).collect();
    let mut fields: Vec<Vec<Field>> = vec![Vec::new(); n];
    let mut removed = Vec::new();
    let r = &mut e.recommendations[t];
    match edit {
        Edit::Renumber => {
            let topic = g.recommendations[0].topic.clone();
            e.recommendations.insert(
                0,
                new_rec(&topic, "Nye patienter bør tilbydes en samtale om fertilitetsbevarende tiltag før behandlingsstart"),
            );
            old_of.insert(0, None);
            fields.insert(0, Vec::new());
        }
        Edit::Reword => {
            reword(r, 4);
            fields[t] = vec![Field::Text];
        }
        Edit::Move => {
            let other = g
                .topics()
                .into_iter()
                .find(|x| *x != r.topic)
                .unwrap_or("Et nyt emne")
                .to_string();
            r.topic = other;
            fields[t] = vec![Field::Topic];
        }
        Edit::Grade => {
            let s = &mut r.statements[0];
            s.grade = Some(if s.grade == Some(Grade::A) {
                Grade::C
            } else {
                Grade::A
            });
            fields[t] = vec![Field::Grade];
        }
        Edit::Marker => {
            let status = match r.medicinraadet.as_ref().map(|m| m.status) {
                Some(MedicinraadetStatus::NotRecommended) => MedicinraadetStatus::Recommended,
                _ => MedicinraadetStatus::NotRecommended,
            };
            r.medicinraadet = Some(MedicinraadetMark {
                status,
                form: MarkerForm::Explicit,
                written: String::new(),
                span: Default::default(),
            });
            fields[t] = vec![Field::Medicinraadet];
        }
        Edit::Cost => {
            r.extra_cost = !r.extra_cost;
            fields[t] = vec![Field::ExtraCost];
        }
        Edit::Notes => {
            r.notes
                .push("Behandlingen koordineres med egen læge.".into());
            fields[t] = vec![Field::Notes];
        }
        Edit::Add => {
            let topic = r.topic.clone();
            e.recommendations.insert(
                t + 1,
                new_rec(
                    &topic,
                    "Patienter bør tilbydes kontakt til en fast kontaktperson gennem hele forløbet",
                ),
            );
            old_of.insert(t + 1, None);
            fields.insert(t + 1, Vec::new());
        }
        Edit::Remove => {
            e.recommendations.remove(t);
            old_of.remove(t);
            fields.remove(t);
            removed.push(t);
        }
        Edit::Replace => {
            let topic = r.topic.clone();
            e.recommendations[t] = new_rec(&topic, DONORS[t % DONORS.len()]);
            old_of[t] = None;
            fields[t] = Vec::new();
            removed.push(t);
        }
        Edit::Split => {
            // The first half stays (changed text); the second half is new.
            let words: Vec<&str> = r
                .statements
                .iter()
                .flat_map(|s| s.text.split_whitespace())
                .collect();
            let cut = words.len().div_ceil(2);
            let (a, b) = (words[..cut].join(" "), words[cut..].join(" "));
            let mut second = new_rec(&r.topic, &b);
            second.statements[0].grade = r.statements.last().and_then(|s| s.grade);
            let first_grade = r.statements[0].grade;
            r.statements = vec![vejviser_model::Statement {
                text: a,
                grade: first_grade,
                span: Default::default(),
            }];
            let was: Vec<Grade> = g.recommendations[t].grades().collect();
            fields[t] = if was == [first_grade.unwrap_or(Grade::B)] {
                vec![Field::Text]
            } else {
                vec![Field::Text, Field::Grade]
            };
            e.recommendations.insert(t + 1, second);
            old_of.insert(t + 1, None);
            fields.insert(t + 1, Vec::new());
        }
    }
    renumber(&mut e);
    Expected {
        g: e,
        old_of,
        fields,
        removed,
    }
}

fn check_edit(g: &Guideline, edit: Edit, t: usize) -> Result<(), String> {
    let x = apply(g, edit, t);
    let h = history("DMSG", "slug", &[g, &x.g]);
    let d = h.diffs[1].as_ref().unwrap();
    let m = &h.matchings[1];
    let mut x = x;
    if edit == Edit::Split && m.old_of != x.old_of {
        // Which half of a split keeps the id is the matcher's call: the more
        // similar one. The other half is new either way.
        x.old_of.swap(t, t + 1);
        x.fields.swap(t, t + 1);
        if m.old_of == x.old_of {
            x.fields[t + 1] = d
                .for_new(t + 1)
                .map(|r| r.fields.clone())
                .unwrap_or_default();
            if !x.fields[t + 1].contains(&Field::Text) {
                return Err(format!(
                    "{edit:?} of {t}: the second half kept the id without a text change"
                ));
            }
        }
    }
    if m.old_of != x.old_of {
        return Err(format!(
            "{edit:?} of {t}: matched {:?}, expected {:?}",
            m.old_of, x.old_of
        ));
    }
    for (j, rc) in d
        .recommendations
        .iter()
        .filter(|r| r.new.is_some())
        .enumerate()
    {
        let want = match x.old_of[j] {
            None => Change::Added,
            Some(_) if x.fields[j].is_empty() => Change::Unchanged,
            Some(_) => Change::Changed,
        };
        if rc.change != want || rc.fields != x.fields[j] {
            return Err(format!(
                "{edit:?} of {t}: new {j} is {:?} {:?}, expected {want:?} {:?}",
                rc.change, rc.fields, x.fields[j]
            ));
        }
        if let Some(i) = x.old_of[j] {
            if h.ids[1][j] != h.ids[0][i] {
                return Err(format!("{edit:?} of {t}: new {j} lost its id"));
            }
        }
    }
    let removed: Vec<usize> = d
        .recommendations
        .iter()
        .filter(|r| r.change == Change::Removed)
        .filter_map(|r| r.old)
        .collect();
    if removed != x.removed {
        return Err(format!(
            "{edit:?} of {t}: removed {removed:?}, expected {:?}",
            x.removed
        ));
    }
    Ok(())
}

#[test]
fn every_generated_edit_of_every_sample_recommendation_gives_the_expected_difference() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for g in samples() {
        for &edit in EDITS {
            for t in 0..g.recommendations.len() {
                cases += 1;
                if let Err(e) = check_edit(&g, edit, t) {
                    failures.push(format!("{}: {e}", g.path));
                }
            }
        }
    }
    assert!(cases > 200, "{cases}");
    assert!(
        failures.is_empty(),
        "{} of {cases} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ids_survive_three_versions_of_edits() {
    for g in samples() {
        if g.recommendations.len() < 3 {
            continue;
        }
        // 1 → 2: a recommendation added first (all renumbered); 2 → 3: the
        // old first one reworded, and the old second one removed.
        let v2 = apply(&g, Edit::Renumber, 0).g;
        let v3a = apply(&v2, Edit::Reword, 1).g;
        let v3 = apply(&v3a, Edit::Remove, 2).g;
        let h = history("DMSG", "slug", &[&g, &v2, &v3]);
        assert_eq!(h.ids[1][1..], h.ids[0][..], "{}", g.path);
        assert_eq!(h.ids[2][1], h.ids[0][0], "{}", g.path);
        assert_eq!(h.ids[2][2..], h.ids[0][2..], "{}", g.path);
        assert!(!h.ids[0].contains(&h.ids[1][0]));
        // Every version's ids are distinct, and the same on every run.
        for ids in &h.ids {
            let set: HashSet<&String> = ids.iter().collect();
            assert_eq!(set.len(), ids.len());
        }
        assert_eq!(history("DMSG", "slug", &[&g, &v2, &v3]).ids, h.ids);
        assert_eq!(h.unchanged_since(2, 2), g.front.version);
        assert_eq!(h.unchanged_since(2, 1), v3.front.version);
    }
}

#[test]
fn pins_keep_and_break_matches() {
    let g = &samples()[0];
    let h1 = history("DMSG", "slug", &[g]);
    let mut v2 = g.clone();
    // Swap the texts of the first two recommendations and pin them back.
    v2.recommendations.swap(0, 1);
    renumber(&mut v2);
    let auto = history("DMSG", "slug", &[g, &v2]);
    assert_eq!(auto.ids[1][0], h1.ids[0][1], "text wins without pins");
    v2.recommendations[0].id_pin = Some(IdPin::Keep(h1.ids[0][0].clone()));
    v2.recommendations[1].id_pin = Some(IdPin::New);
    let h = history("DMSG", "slug", &[g, &v2]);
    assert_eq!(h.ids[1][0], h1.ids[0][0]);
    assert!(
        !h.ids[0].contains(&h.ids[1][1]),
        "a broken match gets a new id"
    );
    let d = h.diffs[1].as_ref().unwrap();
    assert_eq!(d.for_new(1).unwrap().change, Change::Added);
    assert!(d
        .recommendations
        .iter()
        .any(|r| r.change == Change::Removed && r.old == Some(1)));
    v2.recommendations[2].id_pin = Some(IdPin::Keep("rfindesikke".into()));
    let h = history("DMSG", "slug", &[g, &v2]);
    assert_eq!(h.ids[1][2], "rfindesikke");
    let diags = h.pin_diagnostics(1, &v2);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::UnknownRecommendationId);
}

/// How many reworded recommendations keep their id, over every recommendation
/// of `gs`: (kept, total). `edit` rewords one recommendation.
fn reword_survival(gs: &[Guideline], edit: impl Fn(&mut Recommendation)) -> (usize, usize) {
    let (mut kept, mut total) = (0, 0);
    for g in gs {
        for t in 0..g.recommendations.len() {
            let mut e = g.clone();
            edit(&mut e.recommendations[t]);
            let h = history("X", "y", &[g, &e]);
            total += 1;
            kept += usize::from(h.matchings[1].old_of[t] == Some(t));
        }
    }
    (kept, total)
}

#[test]
fn light_rewording_keeps_ids() {
    let s = samples();
    for nth in [3, 4, 5] {
        let (kept, total) = reword_survival(&s, |r| reword(r, nth));
        assert_eq!(kept, total, "every {nth}th word replaced");
    }
    // A recommendation rewritten from scratch is a new one.
    let (kept, _) = reword_survival(&s, |r| reword_keeping(r, usize::MAX));
    assert_eq!(kept, 0);
}

/// `VEJVISER_CORPUS=/path/to/corpus/guidelines cargo test -p vejviser-versions
/// -- --ignored measure_corpus --nocapture`: every generated edit on every
/// recommendation of the corpus, and how rewording wears matching down.
#[test]
#[ignore]
fn measure_corpus() {
    let Ok(root) = std::env::var("VEJVISER_CORPUS") else {
        println!("the samples (set VEJVISER_CORPUS to a corpus' guidelines folder for the corpus)");
        measure(samples());
        return;
    };
    let mut gs = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else if e.extension().is_some_and(|x| x == "md") {
                gs.push(parse_file(&e));
            }
        }
    }
    gs.sort_by(|a, b| a.path.cmp(&b.path));
    measure(gs);
}

fn measure(gs: Vec<Guideline>) {
    let recs: usize = gs.iter().map(|g| g.recommendations.len()).sum();
    println!("{} guidelines, {recs} recommendations", gs.len());
    for &edit in EDITS {
        let (mut ok, mut all) = (0, 0);
        for g in &gs {
            for t in 0..g.recommendations.len() {
                all += 1;
                ok += usize::from(check_edit(g, edit, t).is_ok());
            }
        }
        println!("| {edit:?} | {ok} / {all} |");
    }
    for nth in [5, 4, 3, 2] {
        let (kept, total) = reword_survival(&gs, |r| reword(r, nth));
        println!("| 1 in {nth} words replaced, a clause added | {kept} / {total} |");
    }
    for keep in [2, 3, 4, usize::MAX] {
        let (kept, total) = reword_survival(&gs, |r| reword_keeping(r, keep));
        let what = match keep {
            usize::MAX => "every word replaced".to_string(),
            k => format!("only 1 in {k} words kept"),
        };
        println!("| {what} | {kept} / {total} |");
    }
}
