//! Editing the front matter for a release with `toml_edit`: only the keys a
//! release sets change; every other key, value, comment and blank line stays as
//! written. A replaced value keeps its trailing comment; a removed key's comment
//! lines move to the key below it, so no comment is lost.

use chrono::{Datelike, NaiveDate};
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};
use vejviser_fmt::frontmatter::{is_ordered, sort_keys};
use vejviser_model::Version;

/// An approval to record: when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApproval {
    pub date: NaiveDate,
    pub by: String,
}

/// What happens to one front matter key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Set(T),
    Remove,
}

/// The front matter changes of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterEdit {
    pub version: Version,
    /// Set when the current version is archived.
    pub previous_version: Option<Version>,
    pub professional_approval: Change<NewApproval>,
    pub administrative_approval: Change<NewApproval>,
    pub planned_update: Change<NaiveDate>,
}

fn toml_date(d: NaiveDate) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// Sets `key` to `new`, keeping the old value's surrounding spaces and comment.
fn set_value(table: &mut Table, key: &str, new: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
        Some(item) => *item = Item::Value(new),
        None => {
            table.insert(key, Item::Value(new));
        }
    }
}

fn set_approval(table: &mut Table, key: &str, a: &NewApproval) {
    if let Some(Item::Table(section)) = table.get_mut(key) {
        // Written as a `[section]`: edit its two keys in place.
        set_value(section, "date", Value::from(toml_date(a.date)));
        set_value(section, "by", Value::from(a.by.as_str()));
        return;
    }
    let mut inline = InlineTable::new();
    inline.insert("date", Value::from(toml_date(a.date)));
    inline.insert("by", Value::from(a.by.as_str()));
    inline.fmt();
    set_value(table, key, Value::InlineTable(inline));
}

/// Removes `key`; comment lines above it move to the next key (or the end).
fn remove(doc: &mut DocumentMut, key: &str) {
    let table = doc.as_table_mut();
    let comments = match table.get(key) {
        None => return,
        Some(Item::Table(t)) => t
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .map(String::from),
        Some(_) => table
            .key(key)
            .and_then(|k| k.leaf_decor().prefix())
            .and_then(|p| p.as_str())
            .map(String::from),
    };
    let next = {
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        keys.iter()
            .position(|k| k == key)
            .and_then(|i| keys.get(i + 1).cloned())
    };
    table.remove(key);
    let Some(comments) = comments.filter(|c| c.contains('#')) else {
        return;
    };
    let comments = comments.trim_start_matches(['\n', ' ', '\t']);
    match next.as_deref() {
        Some(n) if !table.get(n).is_some_and(Item::is_table) => {
            if let Some(mut k) = table.key_mut(n) {
                let old = k
                    .leaf_decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_string();
                k.leaf_decor_mut().set_prefix(format!("{comments}{old}"));
            }
        }
        _ => {
            let trailing = doc.trailing().as_str().unwrap_or("").to_string();
            doc.set_trailing(format!("{comments}{trailing}"));
        }
    }
}

/// The front matter TOML after a release. Keys written in the documented order
/// stay in it (new keys go to their place); otherwise new keys are appended.
pub fn edit(toml: &str, e: &FrontMatterEdit) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = toml.parse()?;
    let ordered = is_ordered(doc.as_table());
    let root = doc.as_table_mut();
    set_value(root, "version", Value::from(e.version.to_string()));
    if let Some(prev) = e.previous_version {
        set_value(root, "previous_version", Value::from(prev.to_string()));
    }
    for (key, change) in [
        ("professional_approval", &e.professional_approval),
        ("administrative_approval", &e.administrative_approval),
    ] {
        match change {
            Change::Keep => {}
            Change::Set(a) => set_approval(doc.as_table_mut(), key, a),
            Change::Remove => remove(&mut doc, key),
        }
    }
    match e.planned_update {
        Change::Keep => {}
        Change::Set(d) => set_value(
            doc.as_table_mut(),
            "planned_update",
            Value::from(toml_date(d)),
        ),
        Change::Remove => remove(&mut doc, "planned_update"),
    }
    if ordered {
        sort_keys(doc.as_table_mut());
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const FRONT: &str = "title = \"T\"   # required\ndmcg = \"DMSG\"\n# bumped by the secretariat\nversion = \"2.0\"  # MAJOR.MINOR\nkeywords = [\"a\"]\nprevious_version = \"1.5\"\n# the group's approval\nprofessional_approval = { date = 2025-03-03, by = \"DMSG\" }\nadministrative_approval = { date = 2025-04-07, by = \"SundK\" }\nplanned_update = 2028-03-01 # three years\n";

    #[test]
    fn a_release_sets_keys_and_keeps_comments() {
        let out = edit(
            FRONT,
            &FrontMatterEdit {
                version: Version::parse("2.1").unwrap(),
                previous_version: Version::parse("2.0"),
                professional_approval: Change::Set(NewApproval {
                    date: d("2026-05-01"),
                    by: "DMSG".into(),
                }),
                administrative_approval: Change::Set(NewApproval {
                    date: d("2026-06-01"),
                    by: "SundK RLF".into(),
                }),
                planned_update: Change::Set(d("2029-05-01")),
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "title = \"T\"   # required\ndmcg = \"DMSG\"\n# bumped by the secretariat\nversion = \"2.1\"  # MAJOR.MINOR\nkeywords = [\"a\"]\nprevious_version = \"2.0\"\n# the group's approval\nprofessional_approval = { date = 2026-05-01, by = \"DMSG\" }\nadministrative_approval = { date = 2026-06-01, by = \"SundK RLF\" }\nplanned_update = 2029-05-01 # three years\n"
        );
    }

    #[test]
    fn removed_keys_hand_their_comments_on() {
        let out = edit(
            FRONT,
            &FrontMatterEdit {
                version: Version::parse("2.1").unwrap(),
                previous_version: Version::parse("2.0"),
                professional_approval: Change::Remove,
                administrative_approval: Change::Remove,
                planned_update: Change::Remove,
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "title = \"T\"   # required\ndmcg = \"DMSG\"\n# bumped by the secretariat\nversion = \"2.1\"  # MAJOR.MINOR\nkeywords = [\"a\"]\nprevious_version = \"2.0\"\n# the group's approval\n"
        );
    }

    #[test]
    fn new_keys_go_to_their_place_in_an_ordered_front_matter() {
        let out = edit(
            "title = \"T\"\ndmcg = \"X\"\nversion = \"1.0\"\nlanguage = \"da\"\n",
            &FrontMatterEdit {
                version: Version::parse("1.0").unwrap(),
                previous_version: None,
                professional_approval: Change::Set(NewApproval {
                    date: d("2026-05-01"),
                    by: "X".into(),
                }),
                administrative_approval: Change::Keep,
                planned_update: Change::Set(d("2029-05-01")),
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "title = \"T\"\ndmcg = \"X\"\nversion = \"1.0\"\nlanguage = \"da\"\nprofessional_approval = { date = 2026-05-01, by = \"X\" }\nplanned_update = 2029-05-01\n"
        );
        // Unordered front matter: appended, the author's order untouched.
        let out = edit(
            "version = \"1.0\"\ntitle = \"T\"\n",
            &FrontMatterEdit {
                version: Version::parse("1.1").unwrap(),
                previous_version: Version::parse("1.0"),
                professional_approval: Change::Keep,
                administrative_approval: Change::Keep,
                planned_update: Change::Keep,
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "version = \"1.1\"\ntitle = \"T\"\nprevious_version = \"1.0\"\n"
        );
    }

    #[test]
    fn section_tables_are_edited_in_place() {
        let out = edit(
            "title = \"T\"\nversion = \"1.0\"\n\n[professional_approval]\ndate = 2024-01-01 # old\nby = \"X\"\n",
            &FrontMatterEdit {
                version: Version::parse("1.0").unwrap(),
                previous_version: None,
                professional_approval: Change::Set(NewApproval { date: d("2026-05-01"), by: "Y \"Z\"".into() }),
                administrative_approval: Change::Keep,
                planned_update: Change::Keep,
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "title = \"T\"\nversion = \"1.0\"\n\n[professional_approval]\ndate = 2026-05-01 # old\nby = 'Y \"Z\"'\n"
        );
    }
}
