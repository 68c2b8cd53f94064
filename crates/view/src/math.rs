//! Inline math as text: what the PDF typesets and what the web page gives as
//! the formula's text alternative, so both say the same thing. `10^{-5}`
//! reads `10⁻⁵`, `\beta_2` reads `β₂`, `PS \geq 2` reads `PS ≥ 2`.
//!
//! Only the small part of LaTeX that thresholds and doses use is understood:
//! relations and operators, Greek letters, super- and subscripts, `\text{…}`
//! and braces. A command it does not know stays as written.

/// The text of a LaTeX formula with real super- and subscript characters.
pub fn math_text(latex: &str) -> String {
    let chars: Vec<char> = latex.chars().collect();
    let mut out = String::with_capacity(latex.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                if name.is_empty() {
                    // `\%`, `\,`, `\ `, `\{`: the character (a thin space for `\,`).
                    match chars.get(i + 1) {
                        Some(',') | Some(';') | Some(' ') => out.push('\u{2009}'),
                        Some(&other) => out.push(other),
                        None => out.push('\\'),
                    }
                    i += 2;
                    continue;
                }
                i += 1 + name.len();
                match name.as_str() {
                    "text" | "mathrm" | "textrm" | "mathit" | "mathbf" | "operatorname" => {
                        let (inner, next) = group(&chars, i);
                        out.push_str(&math_text(&inner));
                        i = next;
                    }
                    other => match command(other) {
                        Some(s) => out.push_str(s),
                        None => {
                            out.push('\\');
                            out.push_str(other);
                        }
                    },
                }
            }
            '^' | '_' => {
                let (inner, next) = group(&chars, i + 1);
                let text = math_text(&inner);
                let script = if c == '^' { superscript } else { subscript };
                let mapped: Option<String> = if text.is_empty() {
                    None
                } else {
                    text.chars().map(script).collect()
                };
                match mapped {
                    Some(s) => out.push_str(&s),
                    None => {
                        out.push(c);
                        out.push('(');
                        out.push_str(&text);
                        out.push(')');
                    }
                }
                i = next;
            }
            '{' | '}' => i += 1,
            '~' => {
                out.push('\u{a0}');
                i += 1;
            }
            '-' => {
                out.push('−');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The group at `i`: `{…}` (balanced) or one character; and the index after it.
fn group(chars: &[char], mut i: usize) -> (String, usize) {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    match chars.get(i) {
        Some('{') => {
            let mut depth = 0;
            let start = i + 1;
            while i < chars.len() {
                match chars[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return (chars[start..i].iter().collect(), i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            (
                chars[start.min(chars.len())..].iter().collect(),
                chars.len(),
            )
        }
        Some('\\') => {
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let len = 1 + name.len().max(1);
            (
                chars[i..(i + len).min(chars.len())].iter().collect(),
                i + len,
            )
        }
        Some(&c) => (c.to_string(), i + 1),
        None => (String::new(), i),
    }
}

fn command(name: &str) -> Option<&'static str> {
    Some(match name {
        "geq" | "ge" => "≥",
        "leq" | "le" => "≤",
        "neq" | "ne" => "≠",
        "lt" => "<",
        "gt" => ">",
        "times" => "×",
        "cdot" => "·",
        "pm" => "±",
        "approx" => "≈",
        "sim" => "∼",
        "infty" => "∞",
        "to" | "rightarrow" => "→",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "Delta" => "Δ",
        "epsilon" => "ε",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "pi" => "π",
        "sigma" => "σ",
        "chi" => "χ",
        "quad" => "\u{2003}",
        "degree" | "circ" => "°",
        "%" => "%",
        _ => return None,
    })
}

fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'n' => 'ⁿ',
        'i' => 'ⁱ',
        '°' => '°',
        _ => return None,
    })
}

fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'o' => 'ₒ',
        'x' => 'ₓ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_as_a_clinician_writes_them() {
        assert_eq!(math_text("PS \\geq 2"), "PS ≥ 2");
        assert_eq!(math_text("< 10^{-5}"), "< 10⁻⁵");
        assert_eq!(math_text("\\geq 0,07\\%"), "≥ 0,07%");
        assert_eq!(math_text("\\beta_2"), "β₂");
        assert_eq!(math_text("P < 0,001"), "P < 0,001");
        assert_eq!(math_text("200 mg/m^2"), "200 mg/m²");
        assert_eq!(math_text("x^{ab}"), "x^(ab)");
        assert_eq!(math_text("\\text{ml/min}"), "ml/min");
        assert_eq!(math_text("\\unknown x"), "\\unknown x");
        assert_eq!(math_text("{"), "");
        assert_eq!(math_text("^"), "^()");
    }
}
