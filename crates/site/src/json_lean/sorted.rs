//! Compact JSON with every object's keys in sorted order, straight from a
//! `Serialize` value: the bytes `serde_json::to_vec(&serde_json::to_value(x))`
//! gives (its `Value` keeps an object's keys in a `BTreeMap`), without building
//! and dropping that tree (issue 13). Optionally without source positions: the
//! entries keyed `span` or `spans`, in every object, are left out.
//!
//! Each object's entries are written one after the other into one buffer;
//! when the object closes, they are put in key order (a later entry under the
//! same key wins, as in a map) if they are not in order already. Strings are
//! escaped as serde_json escapes them, eight bytes at a time where none needs
//! it (most of the file is author text); numbers are written by serde_json's
//! own formatter. The model has no `f32` (a `Value` would widen one to `f64`).

use serde::ser::{self, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::Error;

/// `value` as compact JSON with sorted keys; with `spans` false, without any
/// `span` or `spans` entry.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, spans: bool) -> Result<Vec<u8>, Error> {
    let mut sorted = Sorted {
        out: Vec::with_capacity(64 * 1024),
        spans,
        entries: Vec::new(),
        keys: Vec::new(),
        scratch: Vec::new(),
    };
    value.serialize(&mut sorted)?;
    Ok(sorted.out)
}

/// One entry of an open object: `"key":value` at `out[start..end]`, its key
/// (unescaped) at `keys[key.0..key.1]`.
struct Entry {
    start: usize,
    end: usize,
    key: (usize, usize),
}

struct Sorted {
    out: Vec<u8>,
    spans: bool,
    /// The entries of all open objects (each object's after its parent's).
    entries: Vec<Entry>,
    /// The unescaped keys of `entries`.
    keys: Vec<u8>,
    /// Reused to reorder an object's entries.
    scratch: Vec<u8>,
}

/// An open object: where its entries begin in `out`, `entries` and `keys`.
#[derive(Clone, Copy)]
struct Frame {
    out: usize,
    entries: usize,
    keys: usize,
}

impl Sorted {
    fn key_of(&self, e: &Entry) -> &[u8] {
        &self.keys[e.key.0..e.key.1]
    }

    fn kept(&self, e: &Entry) -> bool {
        self.spans || !matches!(self.key_of(e), b"span" | b"spans")
    }

    fn open(&mut self) -> Frame {
        self.out.push(b'{');
        Frame {
            out: self.out.len(),
            entries: self.entries.len(),
            keys: self.keys.len(),
        }
    }

    /// Starts an entry keyed `key`, up to its `:`.
    fn key(&mut self, frame: &Frame, key: &str) {
        if self.entries.len() > frame.entries {
            self.out.push(b',');
        }
        let start = self.out.len();
        write_str(&mut self.out, key);
        self.out.push(b':');
        let from = self.keys.len();
        self.keys.extend_from_slice(key.as_bytes());
        self.entries.push(Entry {
            start,
            end: 0,
            key: (from, self.keys.len()),
        });
    }

    /// Ends the entry being written. Objects inside its value added their
    /// entries after it and have taken them away again.
    fn end_value(&mut self) {
        let end = self.out.len();
        self.entries.last_mut().expect("an entry is open").end = end;
    }

    /// Writes the entries of the innermost object in key order, without
    /// source positions unless they are kept, and closes it.
    fn close(&mut self, frame: Frame) {
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
            let list = &entries[mine];
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
        self.out.push(b'}');
    }
}

/// `s` as a JSON string, escaped exactly as serde_json escapes it: `"`, `\`
/// and the control characters below U+0020, nothing else.
fn write_str(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// Where the first of the eight bytes (little-endian) that is below 0x20,
    /// `"` or `\` is, as a bit mask whose lowest set bit is exact (the
    /// borrows these tricks leave only mark bytes above the first).
    fn special(w: u64) -> u64 {
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | zero(w ^ (ONES * 0x22))
            | zero(w ^ (ONES * 0x5C))
    }
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mask = special(u64::from_le_bytes(word.try_into().expect("eight bytes")));
            if mask == 0 {
                i += 8;
                continue;
            }
            i += (mask.trailing_zeros() / 8) as usize;
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..0x20 => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                b"0123456789abcdef"[(b >> 4) as usize],
                b"0123456789abcdef"[(b & 0xF) as usize],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A number written by serde_json's compact formatter (into a `Vec`, which
/// cannot fail).
macro_rules! number {
    ($($name:ident $write:ident $ty:ty;)*) => {$(
        fn $name(self, v: $ty) -> Result<(), Error> {
            CompactFormatter.$write(&mut self.out, v).map_err(Error::io)
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Sorted {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    number! {
        serialize_i8 write_i8 i8;
        serialize_i16 write_i16 i16;
        serialize_i32 write_i32 i32;
        serialize_i64 write_i64 i64;
        serialize_i128 write_i128 i128;
        serialize_u8 write_u8 u8;
        serialize_u16 write_u16 u16;
        serialize_u32 write_u32 u32;
        serialize_u64 write_u64 u64;
        serialize_u128 write_u128 u128;
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        CompactFormatter
            .write_f32(&mut self.out, v)
            .map_err(Error::io)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        CompactFormatter
            .write_f64(&mut self.out, v)
            .map_err(Error::io)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let frame = self.open();
        self.key(&frame, variant);
        v.serialize(&mut *self)?;
        self.end_value();
        self.close(frame);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Error> {
        self.out.push(b'[');
        Ok(Seq {
            ser: self,
            first: true,
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Error> {
        let frame = self.open();
        self.key(&frame, variant);
        self.out.push(b'[');
        Ok(Seq {
            ser: self,
            first: true,
            variant: Some(frame),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Error> {
        let frame = self.open();
        Ok(Object {
            ser: self,
            frame,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a>, Error> {
        let outer = self.open();
        self.key(&outer, variant);
        let frame = self.open();
        Ok(Object {
            ser: self,
            frame,
            variant: Some(outer),
        })
    }
}

/// An array being written; for a tuple variant, inside its one-entry object.
struct Seq<'a> {
    ser: &'a mut Sorted,
    first: bool,
    variant: Option<Frame>,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        if !self.first {
            self.ser.out.push(b',');
        }
        self.first = false;
        v.serialize(&mut *self.ser)
    }

    fn finish(self) -> Result<(), Error> {
        self.ser.out.push(b']');
        if let Some(outer) = self.variant {
            self.ser.end_value();
            self.ser.close(outer);
        }
        Ok(())
    }
}

macro_rules! seq {
    ($($trait:ident $method:ident;)*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.element(v)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

seq! {
    SerializeSeq serialize_element;
    SerializeTuple serialize_element;
    SerializeTupleStruct serialize_field;
    SerializeTupleVariant serialize_field;
}

/// An object being written; for a struct variant, inside its one-entry object.
struct Object<'a> {
    ser: &'a mut Sorted,
    frame: Frame,
    variant: Option<Frame>,
}

impl Object<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), Error> {
        self.ser.key(&self.frame, key);
        v.serialize(&mut *self.ser)?;
        self.ser.end_value();
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        self.ser.close(self.frame);
        if let Some(outer) = self.variant {
            self.ser.end_value();
            self.ser.close(outer);
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    /// A key is whatever serde_json accepts as one: a string, or a number or
    /// `bool` written as a string.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let ser = &mut *self.ser;
        if ser.entries.len() > self.frame.entries {
            ser.out.push(b',');
        }
        let start = ser.out.len();
        key.serialize(&mut *ser)?;
        let from = ser.keys.len();
        match &ser.out[start..] {
            [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
                ser.keys.extend_from_slice(inner)
            }
            written @ [b'"', ..] => {
                let key: String = serde_json::from_slice(written)?;
                ser.keys.extend_from_slice(key.as_bytes());
            }
            written @ [b'-' | b'0'..=b'9' | b't' | b'f', ..] => {
                ser.keys.extend_from_slice(written);
                ser.out.insert(start, b'"');
                ser.out.push(b'"');
            }
            _ => return Err(ser::Error::custom("key must be a string")),
        }
        ser.out.push(b':');
        ser.entries.push(Entry {
            start,
            end: 0,
            key: (from, ser.keys.len()),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(&mut *self.ser)?;
        self.ser.end_value();
        Ok(())
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        v: &V,
    ) -> Result<(), Error> {
        self.serialize_key(key)?;
        self.serialize_value(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    /// What the same value gives through a `serde_json::Value`.
    fn through_value<T: Serialize>(x: &T) -> String {
        String::from_utf8(serde_json::to_vec(&serde_json::to_value(x).unwrap()).unwrap()).unwrap()
    }

    fn straight<T: Serialize>(x: &T) -> String {
        String::from_utf8(to_vec(x, true).unwrap()).unwrap()
    }

    #[test]
    fn every_character_escaped_as_serde_json_does_at_any_offset() {
        let mut chars: Vec<char> = (0..0x80u8).map(char::from).collect();
        chars.extend(['\u{7F}', 'æ', 'ø', '–', '\u{2028}', '\u{FEFF}', '😀']);
        let all: String = chars.iter().chain(chars.iter().rev()).collect();
        assert_eq!(straight(&all), through_value(&all));
        for c in chars {
            for pad in 0..17 {
                let s = format!("{}{c}{}", "a".repeat(pad), "b".repeat(16 - pad));
                assert_eq!(straight(&s), through_value(&s), "{c:?} after {pad}");
            }
        }
    }

    #[test]
    fn every_shape_of_value_as_through_a_value() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, String),
            Struct { z: bool, a: Option<char> },
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct All {
            list: Vec<E>,
            numbers: (i8, i64, u64, i128, f64, f64),
            unit: (),
            unit_struct: Unit,
            by_number: BTreeMap<i32, bool>,
            by_bool: BTreeMap<bool, u8>,
            by_char: BTreeMap<char, u8>,
            escaped_keys: BTreeMap<String, u8>,
        }
        let x = All {
            list: vec![
                E::Unit,
                E::New(1),
                E::Tuple(2, "to".into()),
                E::Struct { z: true, a: None },
                E::Struct {
                    z: false,
                    a: Some('"'),
                },
            ],
            numbers: (-8, i64::MIN, u64::MAX, -1, 0.1, f64::NAN),
            unit: (),
            unit_struct: Unit,
            by_number: BTreeMap::from([(-10, true), (9, false), (10, true)]),
            by_bool: BTreeMap::from([(true, 1), (false, 0)]),
            by_char: BTreeMap::from([('b', 1), ('\n', 0)]),
            escaped_keys: BTreeMap::from([
                ("\"q".into(), 1),
                ("\u{1f}".into(), 2),
                ("p".into(), 3),
            ]),
        };
        assert_eq!(straight(&x), through_value(&x));
        assert!(to_vec(&BTreeMap::from([((1, 2), 3)]), true).is_err());
    }
}
