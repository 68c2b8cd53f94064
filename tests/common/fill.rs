//! A draft from `vejviser new` written out as its authors would: keywords,
//! every required section, and the examples replaced by a real (small)
//! guideline on high-dose therapy for myeloma. What is left of the skeleton is
//! its headings and the hints the authors did not delete.

use vejviser_template::examples::{EVIDENCE, RECOMMENDATION, REFERENCE};

/// The text written under each heading, in Danish and English.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("Formål", "Purpose", "At sikre ensartet udredning før højdosisbehandling med stamcellestøtte (HDT) på landets hæmatologiske afdelinger."),
    ("Patientgruppe", "Patient group", "Patienter under 70 år med nydiagnosticeret myelomatose, der er kandidater til HDT. Patienter med AL-amyloidose er ikke omfattet."),
    ("Målgruppe for brug af retningslinjen", "Intended users of the guideline", "Læger og sygeplejersker på hæmatologiske afdelinger."),
    ("Patientværdier og -præferencer", "Patient values and preferences", "De fleste patienter vægter en sikker stadieinddeling højere end ulempen ved en ekstra skanning."),
    ("Rationale", "Rationale", "Skanningen ændrer behandlingen hos en betydelig del af patienterne; derfor grad B."),
    ("Praktiske overvejelser", "Practical considerations", "PET-CT bør foretages inden for to uger efter diagnosen for ikke at forsinke behandlingen."),
    ("Litteratursøgning", "Literature search", "Søgning i PubMed og Embase 2010–2025 på myelomatose, PET-CT og stadieinddeling."),
    ("Litteraturgennemgang", "Literature review", "To forfattere gennemgik studierne uafhængigt af hinanden og fastsatte evidensniveauerne."),
    ("Sundhedsøkonomiske konsekvenser", "Health economic consequences", "Anbefalingen medfører ingen betydelig merudgift; skanningerne udføres allerede på de fleste afdelinger."),
    ("Formulering af anbefalinger", "Formulation of recommendations", "Anbefalingen blev formuleret på to møder i arbejdsgruppen og vedtaget i konsensus."),
    ("Afvikling af unødvendige behandlinger og procedurer", "Discontinuation of unnecessary treatments and procedures", "Konventionel røntgen af skelettet er overflødig, når der foretages PET-CT."),
    ("Interessentinvolvering", "Stakeholder involvement", "Myelomatoseforeningen har kommenteret udkastet."),
    ("Høring", "Consultation", "Retningslinjen var i høring i gruppens bestyrelse i marts 2026."),
    ("Godkendelse", "Approval", "Fagligt godkendt af Dansk Myelomatose Studiegruppe; administrativt godkendt af SundK."),
    ("Behov for yderligere forskning", "Need for further research", "Der mangler studier af PET-CT hos patienter over 70 år."),
    ("Forfattere og habilitet", "Authors and conflicts of interest", "Anne Jensen, overlæge, Rigshospitalet. Ingen interessekonflikter."),
    ("Plan for opdatering", "Plan for updating", "Retningslinjen opdateres senest i 2029, tidligere hvis nye studier ændrer evidensen."),
    ("Monitorering", "Monitoring", "Andelen af patienter med PET-CT før HDT følges i Dansk Myelomatose Database."),
];

const OWN_RECOMMENDATION: &str =
    "Patienter med nydiagnosticeret myelomatose, der er kandidater til HDT, bør have foretaget PET-CT før behandlingen (B)";
const OWN_EVIDENCE: &str = "I et prospektivt kohortestudie med 134 patienter ændrede PET-CT stadiet hos hver femte patient sammenlignet med røntgen af skelettet (1) [1b].";
const OWN_REFERENCE: &str = "Zamagni E, Nanni C, Patriarca F, et al. A prospective comparison of 18F-fluorodeoxyglucose positron emission tomography-computed tomography, magnetic resonance imaging and whole-body planar radiographs in the assessment of bone disease in newly diagnosed multiple myeloma. Haematologica. 2007;92(1):50-5.";

/// `draft` (a file `vejviser new` wrote) with everything written in.
pub fn fill(draft: &str) -> String {
    let en = draft.contains("language = \"en\"");
    let mut text = draft
        .replacen(
            "keywords = []",
            "keywords = [\"myelomatose\", \"højdosisbehandling\", \"PET-CT\"]",
            1,
        )
        .replacen(RECOMMENDATION.get_for(en), OWN_RECOMMENDATION, 1)
        .replacen(EVIDENCE.get_for(en), OWN_EVIDENCE, 1)
        .replacen(REFERENCE.get_for(en), OWN_REFERENCE, 1);
    for (da, english, written) in SECTIONS {
        let title = if en { english } else { da };
        // The heading, at any level (`# 7. Monitorering` too), then its hint.
        let Some(at) = text
            .lines()
            .scan(0, |pos, l| {
                let here = *pos;
                *pos += l.len() + 1;
                Some((here, l))
            })
            .find(|(_, l)| {
                l.starts_with('#')
                    && l.trim_start_matches('#')
                        .trim()
                        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                        .trim()
                        == *title
            })
            .map(|(pos, l)| pos + l.len())
        else {
            panic!("no heading `{title}` in the draft");
        };
        let rest = &text[at..];
        let hint_end = if rest.starts_with("\n\n<!--") {
            at + rest.find("-->").expect("hints are closed") + 3
        } else {
            at
        };
        text.replace_range(at..hint_end, &format!("\n\n{written}"));
    }
    text
}

trait ForLanguage {
    fn get_for(&self, en: bool) -> &'static str;
}

impl ForLanguage for vejviser_template::examples::Text {
    fn get_for(&self, en: bool) -> &'static str {
        if en {
            self.en
        } else {
            self.da
        }
    }
}
