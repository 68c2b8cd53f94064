//! The author's `[id: …]` instruction at the end of a recommendation (see
//! docs/format.md): read from the end of the recommendation's content tree,
//! where markers and the cost flag sit, and taken out of the tree, so it is
//! never shown and a repetition in chapter 4 need not repeat it.

use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::content::Inline;
use vejviser_model::{IdPin, Span};

/// The `[id: …]` at the end of `text`, as (byte offset, inner text), if any.
fn trailing_pin(text: &str) -> Option<(usize, &str)> {
    let t = text.trim_end();
    let inner_end = t.strip_suffix(']')?.len();
    let open = t[..inner_end].rfind('[')?;
    let inner = &t[open + 1..inner_end];
    let (key, value) = inner.split_once(':')?;
    key.trim()
        .eq_ignore_ascii_case("id")
        .then_some((open, value.trim()))
}

fn pin_of(value: &str) -> Option<IdPin> {
    if value.eq_ignore_ascii_case("ny") || value.eq_ignore_ascii_case("new") {
        return Some(IdPin::New);
    }
    IdPin::valid_id(value).then(|| IdPin::Keep(value.to_string()))
}

/// Takes the `[id: …]` out of a recommendation's content: the last text node
/// before any trailing markers and cost flag. An instruction that names no
/// valid id is an error at the recommendation (`at`); it is taken out all the same.
pub fn take(
    content: &mut Vec<Inline>,
    path: &str,
    at: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<IdPin> {
    let mut k = content.len();
    while k > 0 {
        match &content[k - 1] {
            Inline::Marker(_) | Inline::CostFlag { .. } => k -= 1,
            Inline::Text(t) if t.trim().is_empty() => k -= 1,
            _ => break,
        }
    }
    let Some(Inline::Text(t)) = content.get(k.checked_sub(1)?) else {
        return None;
    };
    let (open, value) = trailing_pin(t)?;
    let pin = pin_of(value);
    if pin.is_none() {
        let written = t[open..].trim_end().to_string();
        diags.push(
            Diagnostic::new(Code::InvalidIdPin, path, at, format!("`{written}` does not name a recommendation id"))
                .help("write `[id: ` and the id shown on the previous version's page (lower-case letters, digits and hyphens, starting with a letter), or `[id: ny]` for a new recommendation"),
        );
    }
    let kept = t[..open].trim_end().to_string();
    if kept.is_empty() {
        content.remove(k - 1);
    } else {
        content[k - 1] = Inline::Text(kept);
    }
    pin
}

/// `source` without a trailing `[id: …]` (before any markers), for the text
/// shown as written and compared between chapters 2 and 4.
pub fn strip_from_source(source: &str) -> String {
    let mut s = source.trim_end().to_string();
    // Trailing markers and flags stay where they are; the instruction may sit before them.
    let tail_start = {
        let mut end = s.len();
        loop {
            let t = s[..end].trim_end();
            if let Some(rest) = t.strip_suffix('●') {
                end = rest.trim_end_matches('●').len();
            } else if t.ends_with(']') {
                match t.rfind('[') {
                    Some(open) if trailing_pin(t).is_none() => end = open,
                    _ => break,
                }
            } else {
                break;
            }
        }
        end
    };
    if let Some((open, _)) = trailing_pin(&s[..tail_start]) {
        let after = s[tail_start..].to_string();
        s.truncate(open);
        let s2 = s.trim_end().to_string();
        return if after.trim().is_empty() {
            s2
        } else {
            format!("{s2} {}", after.trim())
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_come_out_of_the_source_wherever_the_marks_are() {
        assert_eq!(strip_from_source("Giv X (B) [id: rabc123]"), "Giv X (B)");
        assert_eq!(
            strip_from_source("Giv X (B) [id: ny] ● [merudgift]"),
            "Giv X (B) ● [merudgift]"
        );
        assert_eq!(strip_from_source("Giv X (B) ●"), "Giv X (B) ●");
        assert_eq!(pin_of("ny"), Some(IdPin::New));
        assert_eq!(pin_of("Bad_Id"), None);
    }
}
