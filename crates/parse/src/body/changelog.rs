//! Chapter 1's changelog table, row by row.

use super::*;

pub(super) fn split_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

pub(super) fn changelog(ctx: &Ctx, items: &[Item], out: &mut Body, diags: &mut Vec<Diagnostic>) {
    let Some(table) = items.iter().find(|it| it.kind == Kind::Table) else {
        return;
    };
    let header = split_row(ctx.lines(table.start, table.start).0);
    let names: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let da = ["kapitel", "afsnit", "beskrivelse af ændring"];
    let en = ["chapter", "section", "description of change"];
    if names != da && names != en {
        let (msg, help) =
            vejviser_diagnostics::versions::changelog_columns(ctx.lang, &header.join(" | "));
        diags.push(
            Diagnostic::new(
                Code::ChangelogColumns,
                ctx.path,
                ctx.span(table.start, table.col),
                msg,
            )
            .help(help),
        );
    }
    let tree_rows: &[Vec<Vec<Inline>>] = match table.blocks.first() {
        Some(Block::Table { rows, .. }) => rows,
        _ => &[],
    };
    let mut tree_rows = tree_rows.iter();
    for line in table.start + 2..=table.end {
        let (text, base) = ctx.lines(line, line);
        if text.trim().is_empty() {
            continue;
        }
        let written = split_row(text);
        let mut cells: Vec<Vec<Inline>> = tree_rows.next().cloned().unwrap_or_default();
        // A table keeps as many cells as its header has; a description with a
        // `|` in it keeps the rest as written rather than losing it.
        if written.len() > cells.len() && !cells.is_empty() {
            let extra = written[cells.len()..].join(" | ");
            if let Some(last) = cells.last_mut() {
                last.push(Inline::Text(format!(" | {extra}")));
            }
        }
        let mut w = written.into_iter();
        out.changelog.push(ChangelogRow {
            chapter: w.next().unwrap_or_default(),
            section: w.next().unwrap_or_default(),
            description: w.collect::<Vec<_>>().join(" | "),
            cells,
            span: ctx.idx.span(base),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_on_unescaped_pipes() {
        assert_eq!(split_row("| 2 | a \\| b | c |"), vec!["2", "a | b", "c"]);
        assert_eq!(split_row("|  | x |"), vec!["", "x"]);
    }
}
