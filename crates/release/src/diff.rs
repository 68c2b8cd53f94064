//! A unified diff of two short texts (the front matter before and after a
//! release), for `vejviser release --dry-run`. Line-based, longest common
//! subsequence; meant for tens of lines, not whole files.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Same(usize, usize),
    Delete(usize),
    Insert(usize),
}

fn ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Deletions first, as diff(1) shows them.
            out.push(Op::Delete(i));
            i += 1;
        } else {
            out.push(Op::Insert(j));
            j += 1;
        }
    }
    out
}

/// `old` and `new` as a unified diff with `context` lines around each change;
/// `first_line` is the file line number of both texts' first line. Empty when equal.
pub fn unified(
    old: &str,
    new: &str,
    old_name: &str,
    new_name: &str,
    first_line: usize,
    context: usize,
) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = ops(&a, &b);
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], Op::Same(..)))
        .collect();
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut k = 0;
    while k < changes.len() {
        let start = changes[k].saturating_sub(context);
        let mut end = changes[k];
        while k < changes.len() && changes[k] <= end + 2 * context + 1 {
            end = changes[k];
            k += 1;
        }
        let end = (end + context).min(ops.len() - 1);
        let hunk = &ops[start..=end];
        // Where the hunk starts in each text: the first line it shows, or the line before.
        let old_start = hunk
            .iter()
            .find_map(|op| match op {
                Op::Same(i, _) | Op::Delete(i) => Some(*i),
                Op::Insert(_) => None,
            })
            .unwrap_or_else(|| {
                ops[..start]
                    .iter()
                    .filter(|op| !matches!(op, Op::Insert(_)))
                    .count()
            });
        let new_start = hunk
            .iter()
            .find_map(|op| match op {
                Op::Same(_, j) | Op::Insert(j) => Some(*j),
                Op::Delete(_) => None,
            })
            .unwrap_or_else(|| {
                ops[..start]
                    .iter()
                    .filter(|op| !matches!(op, Op::Delete(_)))
                    .count()
            });
        let old_len = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_len = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        let at = |s: usize, len: usize| {
            if len == 0 {
                first_line + s - 1
            } else {
                first_line + s
            }
        };
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            at(old_start, old_len),
            at(new_start, new_len)
        ));
        for op in hunk {
            match *op {
                Op::Same(i, _) => out.push_str(&format!(" {}\n", a[i])),
                Op::Delete(i) => out.push_str(&format!("-{}\n", a[i])),
                Op::Insert(j) => out.push_str(&format!("+{}\n", b[j])),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";
        assert_eq!(
            unified(old, new, "x", "y", 2, 1),
            "--- x\n+++ y\n@@ -4,3 +4,3 @@\n c\n-d\n+D\n e\n@@ -9,1 +9,2 @@\n h\n+i\n"
        );
    }

    #[test]
    fn nearby_changes_share_a_hunk_and_equal_texts_give_nothing() {
        let d = unified("1\n2\n3\n4\n", "1\nX\n3\nY\n", "o", "n", 1, 1);
        assert_eq!(d.matches("@@").count(), 2, "{d}");
        assert_eq!(unified("a\n", "a\n", "o", "n", 1, 3), "");
    }

    #[test]
    fn pure_insertions_at_the_start() {
        assert_eq!(
            unified("b\n", "a\nb\n", "o", "n", 1, 0),
            "--- o\n+++ n\n@@ -0,0 +1,1 @@\n+a\n"
        );
    }
}
