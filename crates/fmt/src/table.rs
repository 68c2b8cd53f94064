//! GFM table alignment: every row gets leading and trailing pipes and cells are
//! padded to their column's display width, following the column's alignment.
//! Cells are split exactly as GFM does (on unescaped `|`, even inside code), and
//! each row keeps the number of cells the author wrote.

use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    None,
    Left,
    Center,
    Right,
}

/// Splits a row into trimmed cells as written (escapes kept).
fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in t.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => {
                out.push(t[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = t[start..].trim();
    // A closing pipe ends the row; it does not open an empty cell.
    if !last.is_empty() || start == 0 {
        out.push(last);
    }
    out
}

fn alignment(delim: &str) -> Align {
    match (
        delim.starts_with(':'),
        delim.ends_with(':') && delim.len() > 1,
    ) {
        (true, true) => Align::Center,
        (true, false) => Align::Left,
        (false, true) => Align::Right,
        (false, false) => Align::None,
    }
}

fn pad(cell: &str, width: usize, align: Align) -> String {
    let room = width.saturating_sub(cell.width());
    let (left, right) = match align {
        Align::Right => (room, 0),
        Align::Center => (room / 2, room - room / 2),
        Align::None | Align::Left => (0, room),
    };
    format!("{}{cell}{}", " ".repeat(left), " ".repeat(right))
}

fn delimiter(width: usize, align: Align) -> String {
    let w = width.max(3);
    match align {
        Align::None => "-".repeat(w),
        Align::Left => format!(":{}", "-".repeat(w - 1)),
        Align::Right => format!("{}:", "-".repeat(w - 1)),
        Align::Center => format!(":{}:", "-".repeat(w - 2)),
    }
}

/// The table's lines (header, delimiter row, body rows) aligned.
pub fn align(src: &[String]) -> Vec<String> {
    if src.len() < 2 {
        return src.to_vec();
    }
    let rows: Vec<Vec<&str>> = src.iter().map(|l| cells(l)).collect();
    let aligns: Vec<Align> = rows[1].iter().map(|d| alignment(d)).collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![3usize; columns];
    for (r, row) in rows.iter().enumerate() {
        if r == 1 {
            continue;
        }
        for (c, cell) in row.iter().enumerate() {
            widths[c] = widths[c].max(cell.width());
        }
    }
    let align_of = |c: usize| aligns.get(c).copied().unwrap_or(Align::None);
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            let cells: Vec<String> = (0..row.len())
                .map(|c| {
                    if r == 1 {
                        delimiter(widths[c], align_of(c))
                    } else {
                        pad(row[c], widths[c], align_of(c))
                    }
                })
                .collect();
            format!("| {} |", cells.join(" | "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let src: Vec<String> = s.lines().map(String::from).collect();
        align(&src).join("\n")
    }

    #[test]
    fn cells_are_padded_to_the_widest() {
        assert_eq!(
            run("| Kapitel | Afsnit | Beskrivelse af ændring |\n|---|---|---|\n| 2. Anbefalinger | | Ny |"),
            "| Kapitel         | Afsnit | Beskrivelse af ændring |\n| --------------- | ------ | ---------------------- |\n| 2. Anbefalinger |        | Ny                     |"
        );
    }

    #[test]
    fn alignment_markers_are_kept() {
        assert_eq!(
            run("a|b|c\n:-|:-:|-:\nxxxx|y|z"),
            "| a    |  b  |   c |\n| :--- | :-: | --: |\n| xxxx |  y  |   z |"
        );
    }

    #[test]
    fn escaped_pipes_and_ragged_rows() {
        assert_eq!(
            run("| a \\| b | c |\n|---|---|\n| x |\n| 1 | 2 | 3 |"),
            "| a \\| b | c   |\n| ------ | --- |\n| x      |\n| 1      | 2   | 3   |"
        );
    }

    #[test]
    fn aligned_tables_stay_as_they_are() {
        let t = "| ø   | x   |\n| --- | --- |\n| æøå | ●●  |";
        assert_eq!(run(t), t);
    }
}
