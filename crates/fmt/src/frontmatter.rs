//! The front matter's key order. Keys are sorted into the documented order with
//! `toml_edit`, which keeps every comment, value and spacing as written: a
//! comment line belongs to the key below it and moves with that key.

use toml_edit::{DocumentMut, Item, Table};

/// The order of front matter keys (docs/format.md). Unknown keys — an error for
/// the checker — keep their relative order after these.
pub const KEY_ORDER: &[&str] = &[
    "title",
    "dmcg",
    "version",
    "language",
    "template",
    "keywords",
    "previous_version",
    "professional_approval",
    "administrative_approval",
    "planned_update",
];

/// A key's place in [`KEY_ORDER`] (unknown keys after all known ones).
pub fn rank(key: &str) -> usize {
    KEY_ORDER
        .iter()
        .position(|k| *k == key)
        .unwrap_or(KEY_ORDER.len())
}

/// The front matter TOML is invalid; `offset` is a byte offset into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlSyntaxError {
    pub offset: usize,
    pub message: String,
}

/// True when the table's keys already appear in [`KEY_ORDER`].
pub fn is_ordered(table: &Table) -> bool {
    let values: Vec<usize> = table
        .iter()
        .filter(|(_, item)| !item.is_table())
        .map(|(k, _)| rank(k))
        .collect();
    let mut tables: Vec<(isize, usize)> = table
        .iter()
        .filter_map(|(k, item)| {
            item.as_table()
                .map(|t| (t.position().unwrap_or(0), rank(k)))
        })
        .collect();
    tables.sort();
    values.windows(2).all(|w| w[0] <= w[1]) && tables.windows(2).all(|w| w[0].1 <= w[1].1)
}

/// Sorts a table's keys into [`KEY_ORDER`] (stable), sub-tables included.
pub fn sort_keys(table: &mut Table) {
    table.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b)));
    // `[section]` tables print by their document position, not map order.
    let mut positions: Vec<isize> = table
        .iter()
        .filter_map(|(_, item)| item.as_table().and_then(|t| t.position()))
        .collect();
    positions.sort();
    let mut next = positions.into_iter();
    for (_, item) in table.iter_mut() {
        if let Item::Table(t) = item {
            if t.position().is_some() {
                t.set_position(next.next());
            }
        }
    }
}

/// The front matter TOML with its keys in [`KEY_ORDER`] and no blank lines at
/// either end. Text already in order comes back unchanged.
pub fn order_keys(toml: &str) -> Result<String, TomlSyntaxError> {
    let trimmed = trim_blank_lines(toml);
    let doc: DocumentMut = trimmed.parse().map_err(|e: toml_edit::TomlError| {
        let lead = toml.len() - toml.trim_start_matches(['\n', ' ', '\t', '\r']).len();
        let lead = toml[..lead].rfind('\n').map(|i| i + 1).unwrap_or(0);
        TomlSyntaxError {
            offset: lead + e.span().map(|s| s.start).unwrap_or(0),
            message: e.message().trim().to_string(),
        }
    })?;
    let mut out = if is_ordered(doc.as_table()) {
        trimmed.to_string()
    } else {
        let mut doc = doc;
        sort_keys(doc.as_table_mut());
        doc.to_string()
    };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Drops whitespace-only lines at the start and end (not comments).
fn trim_blank_lines(s: &str) -> &str {
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    let s = &s[start..];
    let mut end = s.len();
    while end > 0 {
        let line_start = s[..end]
            .trim_end_matches('\n')
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        if s[line_start..end].trim().is_empty() {
            end = line_start;
        } else {
            break;
        }
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_and_comments_move_with_their_key() {
        let toml = "version = \"2.0\"   # bump on release\n# The group, as in dmcg.toml\ndmcg = \"DMSG\"\ntitle = \"T\"\nplanned_update = 2029-02-01\nkeywords = [\"a\"]\n";
        let out = order_keys(toml).unwrap();
        assert_eq!(
            out,
            "title = \"T\"\n# The group, as in dmcg.toml\ndmcg = \"DMSG\"\nversion = \"2.0\"   # bump on release\nkeywords = [\"a\"]\nplanned_update = 2029-02-01\n"
        );
        assert_eq!(order_keys(&out).unwrap(), out);
    }

    #[test]
    fn ordered_text_is_unchanged_but_blank_ends_are_trimmed() {
        let toml = "\n\ntitle   =   \"T\"\n\ndmcg = 'X'  \n  \n\n";
        assert_eq!(
            order_keys(toml).unwrap(),
            "title   =   \"T\"\n\ndmcg = 'X'  \n"
        );
    }

    #[test]
    fn section_tables_are_ordered_too() {
        let toml = "title = \"T\"\n[administrative_approval]\ndate = 2026-04-07\nby = \"S\"\n[professional_approval]\ndate = 2026-03-03\nby = \"G\"\n";
        let out = order_keys(toml).unwrap();
        let p = out.find("[professional_approval]").unwrap();
        let a = out.find("[administrative_approval]").unwrap();
        assert!(p < a, "{out}");
        assert_eq!(order_keys(&out).unwrap(), out);
    }

    #[test]
    fn unknown_keys_go_last_in_their_order() {
        let out = order_keys("zeta = 1\ntitle = \"T\"\nalpha = 2\n").unwrap();
        assert_eq!(out, "title = \"T\"\nzeta = 1\nalpha = 2\n");
    }

    #[test]
    fn syntax_errors_have_an_offset() {
        let e = order_keys("title = \"T\"\nversion = \n").unwrap_err();
        assert!(e.offset >= 12, "{e:?}");
        assert!(!e.message.is_empty());
    }
}
