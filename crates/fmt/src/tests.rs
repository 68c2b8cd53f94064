use super::*;
use vejviser_template::TemplateSet;

const MESSY: &str = "+++\n\nversion = \"1.0\"  # first version\ndmcg = \"DMSG\"\n# The title as on the front page\ntitle = \"T\"\n+++   \n\n\n# Anbefalinger\n## Behandling\n1. Gør A (B)\n1. Gør B (C)\n   - en note\n\n\n# 4 Evidensgrundlag\n\n## Behandling\n\n[Anbefaling 1]\n### Rationale\nTekst (1) [1b].\n\n| a | bb |\n|:-|-:|\n| ccc | d |\n# Referencer\n\n1. Ref.\n1. Ref 2.\n";

#[test]
fn a_messy_file_is_laid_out() {
    let set = TemplateSet::builtin();
    let out = format_checked("g.md", MESSY, &set).unwrap();
    assert!(out.changed);
    assert_eq!(
        out.text,
        "+++\n# The title as on the front page\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"  # first version\n+++\n\n# 2. Anbefalinger\n\n## Behandling\n\n1. Gør A (B)\n1. Gør B (C)\n   - en note\n\n# 4. Evidensgrundlag\n\n## Behandling\n\n[Anbefaling 1]\n\n### Rationale\n\nTekst (1) [1b].\n\n| a   |  bb |\n| :-- | --: |\n| ccc |   d |\n\n# 5. Referencer\n\n1. Ref.\n1. Ref 2.\n"
    );
    let again = format_checked("g.md", &out.text, &set).unwrap();
    assert!(!again.changed, "{}", again.text);
}

#[test]
fn crlf_and_bom_are_normalised() {
    let set = TemplateSet::builtin();
    let text = "\u{feff}+++\r\ntitle = \"T\"\r\n+++\r\n\r\n# 3. Introduktion\r\n\r\nTekst.\r\n";
    let out = format_checked("g.md", text, &set).unwrap();
    assert_eq!(
        out.text,
        "+++\ntitle = \"T\"\n+++\n\n# 3. Introduktion\n\nTekst.\n"
    );
}

#[test]
fn files_without_front_matter_or_with_bad_toml_are_refused_with_a_line() {
    let set = TemplateSet::builtin();
    let e = format_checked("g.md", "# 2. Anbefalinger\n", &set).unwrap_err();
    assert!(matches!(e, FmtError::NoFrontMatter { .. }), "{e}");
    let e = format_checked("g.md", "+++\ntitle = \"T\"\nversion = \n+++\n", &set).unwrap_err();
    match e {
        FmtError::FrontMatter { line, .. } => assert_eq!(line, 3),
        other => panic!("{other}"),
    }
}

#[test]
fn formatted_files_are_returned_unchanged() {
    let set = TemplateSet::builtin();
    let text = "+++\ntitle = \"T\"\n+++\n\n# 3. Introduktion\n\nTekst.\n";
    let out = format_checked("g.md", text, &set).unwrap();
    assert!(!out.changed);
    assert_eq!(out.text, text);
}

#[test]
fn a_change_of_meaning_is_caught() {
    let set = TemplateSet::builtin();
    let a = vejviser_parse::parse_str(
        "g.md",
        "+++\ntitle = \"T\"\n+++\n\n# 5. Referencer\n\n1. A.\n",
        &set,
    );
    let b = vejviser_parse::parse_str(
        "g.md",
        "+++\ntitle = \"T\"\n+++\n\n# 5. Referencer\n\n1. B.\n",
        &set,
    );
    let what = meaning::difference(&a, &b).unwrap();
    assert!(what.contains("A.") && what.contains("B."), "{what}");
    let c = vejviser_parse::parse_str(
        "g.md",
        "+++\ntitle = \"T\"\n+++\n\n\n# 5. Referencer\n1. A.\n",
        &set,
    );
    assert_eq!(meaning::difference(&a, &c), None);
}

#[test]
fn drafts_are_already_formatted() {
    let set = TemplateSet::builtin();
    for language in [vejviser_model::Language::Da, vejviser_model::Language::En] {
        let text = draft::draft(&draft::DraftSpec {
            title: "T",
            dmcg: "DMSG",
            language,
            template: set.newest(),
        });
        let out = format_checked("g.md", &text, &set).unwrap();
        assert!(!out.changed, "{language:?}:\n{}", out.text);
    }
}
