//! What a guideline says, apart from how its source is laid out: the parsed
//! model as JSON without source positions, with Markdown fields replaced by
//! their rendered HTML and prose fields by their words. Two sources with the
//! same meaning render and check the same.

use serde_json::Value;
use vejviser_model::Guideline;
use vejviser_parse::Parsed;

/// Fields holding Markdown blocks: compared by their rendered HTML.
const MARKDOWN: &[&str] = &["intro", "markdown", "lead", "notes"];
/// Source positions and the file name say where, not what.
const POSITIONS: &[&str] = &["span", "path"];

/// The meaning of a parsed guideline as a JSON value.
pub fn meaning(g: &Guideline) -> Value {
    let mut v = serde_json::to_value(g).expect("the model serialises to JSON");
    normalise(&mut v, None);
    v
}

fn normalise(v: &mut Value, key: Option<&str>) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !POSITIONS.contains(&k.as_str()));
            for (k, val) in map.iter_mut() {
                normalise(val, Some(k));
            }
        }
        Value::Array(items) => {
            for item in items {
                normalise(item, key);
            }
        }
        Value::String(s) => {
            *s = if key.is_some_and(|k| MARKDOWN.contains(&k)) {
                html(s)
            } else {
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            };
        }
        _ => {}
    }
}

/// Markdown rendered as the site would (raw HTML included, so comments count).
pub fn html(markdown: &str) -> String {
    let mut o = vejviser_parse::comrak_options();
    o.render.r#unsafe = true;
    comrak::markdown_to_html(markdown, &o)
}

/// How two parses of a file differ in meaning, if they do: the model, or the
/// findings (by code and severity; messages may quote line numbers).
pub fn difference(before: &Parsed, after: &Parsed) -> Option<String> {
    match (&before.guideline, &after.guideline) {
        (Some(a), Some(b)) => {
            let (a, b) = (meaning(a), meaning(b));
            if a != b {
                return Some(first_difference(&a, &b, String::new()));
            }
        }
        (None, None) => {}
        _ => return Some("the file no longer parses".into()),
    }
    let codes = |p: &Parsed| {
        let mut c: Vec<(&str, &str)> = p
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.severity.as_str()))
            .collect();
        c.sort();
        c
    };
    let (a, b) = (codes(before), codes(after));
    (a != b).then(|| format!("findings {a:?} became {b:?}"))
}

/// The JSON path of the first difference, for the error message.
fn first_difference(a: &Value, b: &Value, path: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) if va == vb => {}
                    Some(vb) => return first_difference(va, vb, format!("{path}.{k}")),
                    None => return format!("{path}.{k} disappeared"),
                }
            }
            format!("{path} gained a field")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if va != vb {
                    return first_difference(va, vb, format!("{path}[{i}]"));
                }
            }
            path
        }
        (Value::Array(x), Value::Array(y)) => {
            format!("{path} had {} entries, now {}", x.len(), y.len())
        }
        _ => format!("{path} was {a}, now {b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_does_not_change_html_but_words_do() {
        assert_eq!(
            html("| a | b |\n|---|---|\n| 1 | 2 |\n\n\n\ntext"),
            html("| a   | b   |\n| --- | --- |\n| 1   | 2   |\n\ntext")
        );
        assert_ne!(html("text"), html("test"));
        assert_ne!(html("```\na\n\nb\n```"), html("```\na\nb\n```"));
    }
}
