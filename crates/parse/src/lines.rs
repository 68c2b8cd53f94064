//! Byte offsets to line/column positions in the whole source file.

use vejviser_model::Span;

/// Line starts of a text, so byte offsets map to 1-based line/column spans.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Lines before this text in the file (the front matter, for the body).
    line_offset: u32,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str, line_offset: u32) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        // A line ends at `\n`, and at a `\r` not followed by `\n`, as in
        // CommonMark: comrak's line numbers must land on the same lines.
        let b = text.as_bytes();
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', b)
                .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        LineIndex {
            starts,
            line_offset,
            len: text.len(),
        }
    }

    /// Span of a byte offset (clamped to the text).
    pub fn span(&self, offset: usize) -> Span {
        let offset = offset.min(self.len);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        Span::new(
            (line as u32) + 1 + self.line_offset,
            (offset - self.starts[line]) as u32 + 1,
        )
    }

    /// Byte offset of a comrak (line, column) inside this text (1-based, local lines).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let l = line.clamp(1, self.starts.len()) - 1;
        (self.starts[l] + column.saturating_sub(1)).min(self.len)
    }

    /// Byte offset of the start of a local line (1-based); one past the end for later lines.
    pub fn line_start(&self, line: usize) -> usize {
        if line == 0 {
            return 0;
        }
        self.starts.get(line - 1).copied().unwrap_or(self.len)
    }

    /// Byte offset of the end of a local line, without its newline.
    pub fn line_end(&self, line: usize) -> usize {
        match self.starts.get(line) {
            Some(&next) => next - 1,
            None => self.len,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_lines_and_byte_columns() {
        let idx = LineIndex::new("ab\næø\n\nx", 10);
        assert_eq!(idx.span(0), Span::new(11, 1));
        assert_eq!(idx.span(3), Span::new(12, 1));
        assert_eq!(idx.span(5), Span::new(12, 3));
        assert_eq!(idx.span(9), Span::new(14, 1));
        assert_eq!(idx.span(999), Span::new(14, 2));
        assert_eq!(idx.line_end(2), 7);
        assert_eq!(idx.line_start(3), 8);
    }
}
