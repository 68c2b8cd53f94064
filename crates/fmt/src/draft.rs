//! A new guideline drafted from the template (`vejviser new`): the front
//! matter, every chapter and sub-heading the template has in the guideline's
//! language, a short hint under each saying what belongs there, and one worked
//! example each of a recommendation, an evidence block with a citation and a
//! reference.
//!
//! Hints are HTML comments, so an author sees them in the editor while the
//! rendered guideline never shows them. Nothing in a hint looks like a citation,
//! grade or Medicinrådet marker to the parser. The draft checks with no errors
//! and is already in `vejviser fmt` layout; what is left to write (empty
//! keywords and sections, the examples from `vejviser_template::examples`) is a
//! warning while it is a draft and an error once it is approved.

use toml_edit::{value, Array, DocumentMut};
use vejviser_model::{ChapterRole, Language};
use vejviser_template::examples::{
    Text, EVIDENCE, EVIDENCE_TARGET, RECOMMENDATION, REFERENCE, TOPIC,
};
use vejviser_template::{normalise_title, Template, Title};

/// What `vejviser new` was asked for.
#[derive(Debug, Clone)]
pub struct DraftSpec<'a> {
    pub title: &'a str,
    /// The group's key in `dmcg.toml`, e.g. `DMSG`.
    pub dmcg: &'a str,
    pub language: Language,
    pub template: &'a Template,
}

/// The version a new guideline will have when it is first approved.
pub const FIRST_VERSION: &str = "1.0";

macro_rules! text {
    ($da:expr, $en:expr) => {
        Text { da: $da, en: $en }
    };
}

fn chapter_hint(role: ChapterRole) -> Text {
    match role {
        ChapterRole::Changelog => text!(
            "Udfyldes, når retningslinjen opdateres: beskriv i en tabel, hvad der er ændret siden den forrige version (previous_version), med én række pr. ændring. En tom celle fortsætter rækken ovenfor. I en første version kan kapitlet stå tomt. Tabellen skrives sådan:",
            "Filled in when the guideline is updated: describe in a table what has changed since the previous version (previous_version), one row per change. An empty cell continues the row above. In a first version the chapter can stay empty. The table is written like this:"
        ),
        ChapterRole::Recommendations => text!(
            "Skriv hver anbefaling som et nummereret punkt under en emneoverskrift (##). Numrene fortsætter på tværs af emnerne: 1, 2, 3 … Skriv evidensgraden A, B, C eller D i parentes efter den sætning, den gælder for. Medicinrådets status står til sidst i punktet: ● for anbefalet, ●● for ikke anbefalet eller [Medicinrådet: ikke vurderet]. En anbefaling med betydelig merudgift markeres med [merudgift] til sidst. Noter skrives som punktopstilling under anbefalingen. Anbefalingen herunder er et eksempel, som skal erstattes.",
            "Write each recommendation as a numbered item under a topic heading (##). Numbers run on across topics: 1, 2, 3 … Write the evidence grade A, B, C or D in brackets after the sentence it grades. The Medicinrådet status goes at the end of the item: ● for recommended, ●● for not recommended, or [Medicinrådet: not assessed]. A recommendation with a significant extra cost gets [extra cost] at the end. Notes are a bullet list under the recommendation. The recommendation below is an example to replace."
        ),
        ChapterRole::Introduction => text!(
            "Giv baggrunden for retningslinjen: sygdommen, hvor mange der rammes i Danmark, og hvorfor emnet er vigtigt. De tre underafsnit er obligatoriske.",
            "Give the background of the guideline: the disease, how many people it affects in Denmark, and why the topic matters. The three sections are required."
        ),
        ChapterRole::Evidence => text!(
            "Gentag emnerne fra kapitel 2 som overskrifter på niveau 2. Hver anbefaling har sin evidensblok, som begynder med henvisningen [Anbefaling N], hvor teksten hentes fra kapitel 2, eller med anbefalingen gentaget ordret som et nummereret punkt. Derefter følger blokkens fire faste overskrifter på niveau 3.",
            "Repeat the topics of chapter 2 as level-2 headings. Each recommendation has its evidence block, which starts with the reference [Recommendation N], whose text is taken from chapter 2, or with the recommendation repeated word for word as a numbered item. The block's four fixed level-3 headings follow."
        ),
        ChapterRole::References => text!(
            "Referencelisten er en nummereret liste: punkt n er reference n, og i kapitel 4 henvises der til den med nummeret i parentes. Skriv referencerne i Vancouver-format som i eksemplet, der skal erstattes.",
            "The reference list is a numbered list: item n is reference n, and chapter 4 cites it by its number in brackets. Write the references in Vancouver style like the example, which is to be replaced."
        ),
        ChapterRole::Methods => text!(
            "Beskriv, hvordan retningslinjen er blevet til. Alle tolv underafsnit er obligatoriske; skriv det, hvis et afsnit ikke er relevant.",
            "Describe how the guideline was made. All twelve sections are required; say so if a section does not apply."
        ),
        ChapterRole::Monitoring => text!(
            "Beskriv, hvordan det følges, at retningslinjen efterleves, fx med indikatorer fra en klinisk kvalitetsdatabase.",
            "Describe how adherence to the guideline is monitored, e.g. with indicators from a clinical quality database."
        ),
        ChapterRole::Appendices => text!(
            "Valgfrit. Hvert bilag får en overskrift på niveau 2, fx ## Bilag 1 – Søgestrategi. Slet kapitlet, hvis der ikke er bilag.",
            "Optional. Each appendix gets a level-2 heading, e.g. ## Appendix 1 – Search strategy. Delete the chapter if there are no appendices."
        ),
        ChapterRole::About => text!(
            "Kapitlet skrives af vejviser.",
            "This chapter is written by vejviser."
        ),
    }
}

/// Hints for the template's sub-headings, found by their Danish title.
fn subheading_hint(title: &Title, lang: Language) -> String {
    let t = match normalise_title(&title.da).as_str() {
        "formål" => text!(
            "Beskriv kort, hvad retningslinjen skal opnå, fx ensartet udredning og behandling på landets afdelinger.",
            "Describe briefly what the guideline is meant to achieve, e.g. consistent diagnosis and treatment across the country's departments."
        ),
        "patientgruppe" => text!(
            "Afgræns patientgruppen: diagnose, stadie, alder og de grupper, der ikke er omfattet.",
            "Define the patient group: diagnosis, stage, age and the groups that are not covered."
        ),
        "målgruppe for brug af retningslinjen" => text!(
            "Angiv, hvem retningslinjen henvender sig til, fx læger og sygeplejersker på bestemte afdelinger.",
            "State who the guideline is for, e.g. doctors and nurses in particular departments."
        ),
        "litteratur og evidensgennemgang" => text!(
            "Gennemgå de studier, anbefalingen bygger på. Henvis til referencelisten med referencens nummer i parentes efter udsagnet og evidensniveauet i kantede parenteser, som i eksemplet herunder. Evidensniveauerne er 1a, 1b, 1c, 2a, 2b, 2c, 3a, 3b, 4 og 5.",
            "Review the studies the recommendation rests on. Cite the reference list with the reference's number in brackets after the statement and the evidence level in square brackets, as in the example below. The evidence levels are 1a, 1b, 1c, 2a, 2b, 2c, 3a, 3b, 4 and 5."
        ),
        "patientværdier og -præferencer" => text!(
            "Beskriv, hvordan patienter typisk vægter fordele og ulemper ved det, der anbefales.",
            "Describe how patients typically weigh the benefits and harms of what is recommended."
        ),
        "rationale" => text!(
            "Forklar, hvordan arbejdsgruppen er nået fra evidensen til anbefalingen og dens styrke.",
            "Explain how the working group got from the evidence to the recommendation and its strength."
        ),
        "praktiske overvejelser" => text!(
            "Beskriv, hvad der skal til for at følge anbefalingen i praksis, fx organisering, udstyr og kompetencer.",
            "Describe what it takes to follow the recommendation in practice, e.g. organisation, equipment and skills."
        ),
        "litteratursøgning" => text!(
            "Beskriv søgningen: databaser, søgeperiode, søgeord og afgrænsning. Den fulde søgestrategi kan stå i et bilag.",
            "Describe the search: databases, period, search terms and limits. The full search strategy can go in an appendix."
        ),
        "litteraturgennemgang" => text!(
            "Beskriv, hvordan litteraturen er udvalgt og vurderet, hvem der har gennemgået den, og hvordan evidensniveauerne er fastsat.",
            "Describe how the literature was selected and appraised, who reviewed it, and how the evidence levels were assigned."
        ),
        "sundhedsøkonomiske konsekvenser" => text!(
            "Beskriv, om anbefalingerne ændrer udgifterne, og anslå en eventuel betydelig merudgift. Anbefalinger med merudgift markeres også i kapitel 2.",
            "Describe whether the recommendations change costs, and estimate any significant extra cost. Recommendations with an extra cost are also flagged in chapter 2."
        ),
        "formulering af anbefalinger" => text!(
            "Beskriv, hvordan arbejdsgruppen er nået frem til anbefalingerne, fx møder og konsensusproces.",
            "Describe how the working group arrived at the recommendations, e.g. meetings and the consensus process."
        ),
        "afvikling af unødvendige behandlinger og procedurer" => text!(
            "Nævn behandlinger, undersøgelser eller procedurer, som retningslinjen fraråder eller gør overflødige.",
            "Name treatments, tests or procedures that the guideline advises against or makes unnecessary."
        ),
        "interessentinvolvering" => text!(
            "Beskriv, hvordan patienter, pårørende og andre faggrupper er inddraget.",
            "Describe how patients, relatives and other professions were involved."
        ),
        "høring" => text!(
            "Beskriv høringen: hvornår den fandt sted, hvem der er hørt, og hvor høringssvarene kan findes.",
            "Describe the consultation: when it took place, who was consulted, and where the responses can be found."
        ),
        "godkendelse" => text!(
            "Angiv, hvornår og af hvem retningslinjen er godkendt fagligt og administrativt. Datoerne står også øverst i filen.",
            "State when and by whom the guideline was approved professionally and administratively. The dates are also at the top of the file."
        ),
        "behov for yderligere forskning" => text!(
            "Beskriv de vigtigste spørgsmål, som evidensen ikke besvarer, og hvilke studier der er brug for.",
            "Describe the main questions the evidence does not answer and which studies are needed."
        ),
        "forfattere og habilitet" => text!(
            "Nævn forfatterne med titel og arbejdssted, og oplys om eventuelle interessekonflikter.",
            "List the authors with title and affiliation, and declare any conflicts of interest."
        ),
        "plan for opdatering" => text!(
            "Angiv, hvornår retningslinjen senest opdateres — højst fem år efter den faglige godkendelse — og hvad der kan give anledning til en tidligere opdatering.",
            "State when the guideline will be updated at the latest — at most five years after the professional approval — and what may prompt an earlier update."
        ),
        "version af retningslinjeskabelon" => text!(
            "Angiv den skabelon, retningslinjen er skrevet i. Sætningen herunder er udfyldt af vejviser.",
            "State the template the guideline is written in. The sentence below was filled in by vejviser."
        ),
        _ => {
            return match lang {
                Language::Da => format!("Skriv afsnittet „{}“.", title.da),
                Language::En => format!("Write the section “{}”.", title.en),
            }
        }
    };
    t.get(lang).to_string()
}

// The examples (topic, recommendation, evidence, reference) are
// `vejviser_template::examples`: the checker looks for exactly those (VV0213).
const CHANGELOG_TABLE: Text = text!(
    "| Kapitel | Afsnit | Beskrivelse af ændring |\n|---|---|---|\n| 2. Anbefalinger | Behandling | Ny anbefaling 3 om … |",
    "| Chapter | Section | Description of change |\n|---|---|---|\n| 2. Recommendations | Treatment | New recommendation 3 on … |"
);
const FRONT_NOTE: Text = text!(
    "# Et udkast: retningslinjen er et udkast, indtil sekretariatet registrerer den\n# faglige godkendelse med `vejviser release`. Tekst mellem <!-- og --> er vejledning\n# til forfatterne og vises ikke i den færdige retningslinje.\n",
    "# A draft: the guideline is a draft until the secretariat records its professional\n# approval with `vejviser release`. Text between <!-- and --> is guidance for the\n# authors and is not shown in the published guideline.\n"
);
/// The draft note [`draft`] ends the front matter with, in each language:
/// `vejviser release` removes it when it records the approval.
pub const DRAFT_NOTES: [&str; 2] = [FRONT_NOTE.da, FRONT_NOTE.en];

const KEYWORDS_NOTE: Text = text!(
    "  # søgeord til indeksering, fx [\"myelomatose\", \"højdosisbehandling\"]",
    "  # index terms, e.g. [\"breast cancer\", \"endocrine therapy\"]"
);

/// An HTML comment holding a hint, wrapped for reading in an editor.
fn hint(text: &str) -> String {
    let mut out = String::from("<!--");
    let mut col = out.len();
    for word in text.split(' ') {
        if col + 1 + word.chars().count() > 88 && col > 4 {
            out.push_str("\n    ");
            col = 4;
        } else {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.chars().count();
    }
    out.push_str(" -->");
    out
}

fn front_matter(spec: &DraftSpec) -> String {
    let mut doc = DocumentMut::new();
    doc["title"] = value(spec.title);
    doc["dmcg"] = value(spec.dmcg);
    doc["version"] = value(FIRST_VERSION);
    doc["language"] = value(spec.language.code());
    doc["template"] = value(spec.template.id.as_str());
    doc["keywords"] = value(Array::new());
    if let Some(v) = doc["keywords"].as_value_mut() {
        v.decor_mut().set_suffix(KEYWORDS_NOTE.get(spec.language));
    }
    doc.set_trailing(FRONT_NOTE.get(spec.language));
    doc.to_string()
}

/// The text of a new draft guideline.
pub fn draft(spec: &DraftSpec) -> String {
    let lang = spec.language;
    let mut blocks: Vec<String> = Vec::new();
    for ch in spec.template.chapters.iter().filter(|c| !c.generated) {
        blocks.push(format!("# {}. {}", ch.number, ch.title.get(lang)));
        let mut chapter_hint = hint(chapter_hint(ch.role).get(lang));
        if ch.role == ChapterRole::Changelog {
            chapter_hint =
                chapter_hint.replace(" -->", &format!("\n\n{}\n-->", CHANGELOG_TABLE.get(lang)));
        }
        blocks.push(chapter_hint);
        match ch.role {
            ChapterRole::Recommendations => {
                blocks.push(format!("## {}", TOPIC.get(lang)));
                blocks.push(format!("1. {}", RECOMMENDATION.get(lang)));
            }
            ChapterRole::Evidence => {
                blocks.push(format!("## {}", TOPIC.get(lang)));
                blocks.push(EVIDENCE_TARGET.get(lang).to_string());
                for (i, sub) in ch.block_subheadings.iter().enumerate() {
                    blocks.push(format!("### {}", sub.get(lang)));
                    blocks.push(hint(&subheading_hint(sub, lang)));
                    if i == 0 {
                        blocks.push(EVIDENCE.get(lang).to_string());
                    }
                }
            }
            ChapterRole::References => blocks.push(format!("1. {}", REFERENCE.get(lang))),
            _ => {}
        }
        for sub in &ch.subheadings {
            blocks.push(format!("## {}", sub.get(lang)));
            blocks.push(hint(&subheading_hint(sub, lang)));
            if normalise_title(&sub.da) == "version af retningslinjeskabelon" {
                blocks.push(match lang {
                    Language::Da => format!(
                        "Retningslinjen er skrevet i skabelonen {} ({}).",
                        spec.template.name, spec.template.id
                    ),
                    Language::En => format!(
                        "The guideline is written in the template {} ({}).",
                        spec.template.name, spec.template.id
                    ),
                });
            }
        }
    }
    format!(
        "+++\n{}+++\n\n{}\n",
        front_matter(spec),
        blocks.join("\n\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejviser_template::TemplateSet;

    fn parse(text: &str) -> vejviser_parse::Parsed {
        vejviser_parse::parse_str("guideline.md", text, &TemplateSet::builtin())
    }

    #[test]
    fn drafts_parse_cleanly_in_both_languages() {
        let set = TemplateSet::builtin();
        for lang in [Language::Da, Language::En] {
            let text = draft(&DraftSpec {
                title: "Et \"citat\" og en \\ skråstreg",
                dmcg: "DMSG",
                language: lang,
                template: set.newest(),
            });
            let p = parse(&text);
            assert!(p.diagnostics.is_empty(), "{lang:?}: {:#?}", p.diagnostics);
            let g = p.guideline.unwrap();
            assert_eq!(g.front.title, "Et \"citat\" og en \\ skråstreg");
            assert_eq!(g.front.language, lang);
            assert!(g.front.is_draft());
            assert_eq!(g.recommendations.len(), 1);
            assert_eq!(
                g.recommendations[0].strongest_grade(),
                Some(vejviser_model::Grade::B)
            );
            assert_eq!(g.evidence.len(), 1);
            assert_eq!(g.evidence[0].targets[0].number, 1);
            assert_eq!(g.evidence[0].parts.len(), 4);
            // Exactly the one example citation: hints must not look like citations.
            let cites: Vec<_> = g.evidence.iter().flat_map(|b| &b.citations).collect();
            assert_eq!(cites.len(), 1);
            assert_eq!(cites[0].references, vec![1]);
            assert_eq!(g.references.len(), 1);
            assert!(g.changelog.is_empty());
            // Every non-generated chapter, in order.
            let numbers: Vec<u32> = g.chapters.iter().filter_map(|c| c.number).collect();
            assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6, 7, 8]);
            let methods = g.chapter(ChapterRole::Methods).unwrap();
            assert_eq!(methods.sections.len(), 12);
        }
    }

    #[test]
    fn hints_are_wrapped_comments() {
        let h = hint(&"ord ".repeat(60));
        assert!(h.starts_with("<!-- ord") && h.ends_with(" -->"));
        assert!(h.lines().all(|l| l.chars().count() <= 92), "{h}");
    }
}
