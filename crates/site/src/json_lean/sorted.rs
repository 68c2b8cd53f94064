//! Compact JSON with every object's keys in sorted order, straight from a
//! `Serialize` value: the bytes `serde_json::to_vec(&serde_json::to_value(x))`
//! gives (its `Value` keeps an object's keys in a `BTreeMap`), without building
//! and dropping that tree (issue 13). Optionally without source positions: the
//! entries keyed `span` or `spans`, in every object, are left out.
//!
//! It is a `serde_json` [`Formatter`], so strings, numbers and escapes are
//! written by serde_json's own compact formatter. Each object's entries are
//! written one after the other into one buffer; when the object closes, they
//! are put in key order (a later entry under the same key wins, as in a map)
//! if they are not in order already. The model has no `f32` (a `Value` would
//! widen one to `f64` and print it differently).

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use std::io;

/// `value` as compact JSON with sorted keys; with `spans` false, without any
/// `span` or `spans` entry.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, spans: bool) -> serde_json::Result<Vec<u8>> {
    let mut sorted = Sorted {
        out: Vec::with_capacity(64 * 1024),
        spans,
        ..Sorted::default()
    };
    // Everything is written to `sorted.out`; serde_json's own writer stays empty.
    let mut unused = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut unused, &mut sorted);
    value.serialize(&mut ser)?;
    debug_assert!(unused.is_empty(), "all output goes through the formatter");
    Ok(sorted.out)
}

/// One entry of an open object: `"key":value` at `out[start..end]`, its key
/// (unescaped) at `keys[key.0..key.1]`.
struct Entry {
    start: usize,
    end: usize,
    key: (usize, usize),
}

/// An open object: where its entries begin in `out`, `entries` and `keys`.
struct Frame {
    out: usize,
    entries: usize,
    keys: usize,
}

#[derive(Default)]
struct Sorted {
    out: Vec<u8>,
    spans: bool,
    /// The open objects, innermost last.
    frames: Vec<Frame>,
    /// The entries of all open objects (each object's after its parent's).
    entries: Vec<Entry>,
    /// The unescaped keys of `entries`.
    keys: Vec<u8>,
    /// Where the entry being written starts (after its comma).
    entry_start: usize,
    /// Reused to reorder an object's entries.
    scratch: Vec<u8>,
}

impl Sorted {
    fn key_of(&self, e: &Entry) -> &[u8] {
        &self.keys[e.key.0..e.key.1]
    }

    fn kept(&self, e: &Entry) -> bool {
        self.spans || !matches!(self.key_of(e), b"span" | b"spans")
    }

    /// Writes the entries of the innermost object in key order, without
    /// source positions unless they are kept.
    fn close(&mut self) {
        let frame = self.frames.pop().expect("an object is open");
        let mine = frame.entries..self.entries.len();
        let in_order = self.entries[mine.clone()]
            .windows(2)
            .all(|w| self.key_of(&w[0]) < self.key_of(&w[1]))
            && self.entries[mine.clone()].iter().all(|e| self.kept(e));
        if !in_order {
            let mut entries = std::mem::take(&mut self.entries);
            // Stable: among equal keys the last written is the one kept.
            entries[mine.clone()].sort_by(|a, b| self.key_of(a).cmp(self.key_of(b)));
            self.scratch.clear();
            self.scratch.extend_from_slice(&self.out[frame.out..]);
            self.out.truncate(frame.out);
            let list = &entries[mine.clone()];
            let mut first = true;
            for (i, e) in list.iter().enumerate() {
                let replaced = list
                    .get(i + 1)
                    .is_some_and(|next| self.key_of(next) == self.key_of(e));
                if replaced || !self.kept(e) {
                    continue;
                }
                if !first {
                    self.out.push(b',');
                }
                first = false;
                let (s, t) = (e.start - frame.out, e.end - frame.out);
                self.out.extend_from_slice(&self.scratch[s..t]);
            }
            self.entries = entries;
        }
        self.entries.truncate(frame.entries);
        self.keys.truncate(frame.keys);
    }
}

/// Writes to the buffer, whatever writer serde_json hands over.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $name<W: ?Sized + io::Write>(&mut self, _: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            CompactFormatter.$name(&mut self.out $(, $arg)*)
        }
    )*};
}

impl Formatter for &mut Sorted {
    forward! {
        write_null();
        write_bool(v: bool);
        write_i8(v: i8);
        write_i16(v: i16);
        write_i32(v: i32);
        write_i64(v: i64);
        write_i128(v: i128);
        write_u8(v: u8);
        write_u16(v: u16);
        write_u32(v: u32);
        write_u64(v: u64);
        write_u128(v: u128);
        write_f32(v: f32);
        write_f64(v: f64);
        write_number_str(v: &str);
        begin_string();
        end_string();
        write_string_fragment(v: &str);
        write_char_escape(v: CharEscape);
        write_byte_array(v: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        write_raw_fragment(v: &str);
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.push(b'{');
        self.frames.push(Frame {
            out: self.out.len(),
            entries: self.entries.len(),
            keys: self.keys.len(),
        });
        Ok(())
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        _: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            self.out.push(b',');
        }
        self.entry_start = self.out.len();
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        // The key as written: a JSON string, escaped only when it has to be.
        let written = &self.out[self.entry_start..];
        let from = self.keys.len();
        match written {
            [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
                self.keys.extend_from_slice(inner)
            }
            _ => {
                let key: String = serde_json::from_slice(written).map_err(io::Error::other)?;
                self.keys.extend_from_slice(key.as_bytes());
            }
        }
        // The entry's end is known when its value is written; objects inside
        // the value add their entries after this one and take them away again.
        self.entries.push(Entry {
            start: self.entry_start,
            end: self.out.len(),
            key: (from, self.keys.len()),
        });
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.push(b':');
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let end = self.out.len();
        self.entries.last_mut().expect("an entry is open").end = end;
        Ok(())
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.close();
        self.out.push(b'}');
        Ok(())
    }
}
