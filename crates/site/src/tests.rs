use super::*;

#[test]
fn only_plain_folder_names_become_urls() {
    assert!(safe_segment("dmsg"));
    assert!(safe_segment("myelomatose-hdt"));
    for bad in ["", "..", ".hidden", "-x", "Ø", "a b", "a/b", "x<y"] {
        assert!(!safe_segment(bad), "{bad}");
    }
}

#[test]
fn xml_is_escaped() {
    // Characters XML forbids are replaced visibly, as model::safe::xml_text does.
    assert_eq!(
        pages::xml_escape("a<b>&\"'\u{1}\u{FFFF}]]>"),
        "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}\u{FFFD}]]&gt;"
    );
}
