//! A read-only view of a JavaScript value, so that input validation and envelope decoding are
//! written once, run in wasm straight on `JsValue` (a few property reads, no conversion of whole
//! responses), and are unit-tested natively on [`Plain`].

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The JavaScript type of a value, as validation messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Undefined,
    Null,
    Bool,
    Number,
    BigInt,
    String,
    Symbol,
    Function,
    Array,
    Date,
    /// A plain object: `{…}`, `Object.create(null)`, `JSON.parse`'s (of any realm).
    Object,
    /// An object of some class: a `Map`, `Set`, `Error`, `Promise`, `URL`… Its inherited
    /// properties (an `Error`'s `name`) must not be read as options.
    Instance,
    /// A proxy whose traps throw, or a revoked one: nothing can be read from it.
    Opaque,
    /// A property whose getter (or proxy trap) threw when it was read.
    Unreadable,
    /// A string of more than 2^20 UTF-16 units: no option or field of the API is near that, and
    /// refusing it by its length never copies it into wasm.
    LongString,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Undefined => "undefined",
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::BigInt => "a bigint",
            Kind::String => "a string",
            Kind::Symbol => "a symbol",
            Kind::Function => "a function",
            Kind::Array => "an array",
            Kind::Date => "a Date",
            Kind::Object => "an object",
            Kind::Instance => "an object of a class (not a plain object)",
            Kind::Opaque => "an object whose properties cannot be read",
            Kind::Unreadable => "a property that throws when read",
            Kind::LongString => "a string of over a million characters",
        }
    }

    /// `undefined` and `null` both mean "not given" for optional fields.
    pub fn is_absent(self) -> bool {
        matches!(self, Kind::Undefined | Kind::Null)
    }
}

/// What validation and decoding need to read from a JS value.
pub trait View: Sized {
    fn kind(&self) -> Kind;
    fn boolean(&self) -> Option<bool>;
    fn number(&self) -> Option<f64>;
    fn string(&self) -> Option<String>;
    /// Milliseconds since the epoch of a `Date` (NaN for an invalid date).
    fn date_ms(&self) -> Option<f64>;
    /// A property; `undefined` when absent or when `self` is not an object.
    fn get(&self, key: &str) -> Self;
    /// Own enumerable keys of an object, in order.
    fn keys(&self) -> Vec<String>;
    /// Length of an array (0 for anything else).
    fn len(&self) -> usize;
    fn at(&self, index: usize) -> Self;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of the first item of an array that is not a plain object, `None` when every
    /// item is one (a JS value answers this in one call, not one per item).
    fn first_non_object(&self) -> Option<usize> {
        (0..self.len()).find(|&index| self.at(index).kind() != Kind::Object)
    }
}

/// An owned JS-like value: what native tests feed to code written against [`View`].
/// Deserializes from any serde format (tests parse JSON text with `serde_json`).
#[derive(Clone, Debug, PartialEq)]
pub enum Plain {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    BigInt,
    String(String),
    Symbol,
    Function,
    Array(Vec<Plain>),
    Date(f64),
    Object(Vec<(String, Plain)>),
}

impl Plain {
    /// An object from key/value pairs (keeps their order).
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Plain)>) -> Plain {
        Plain::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn str(text: &str) -> Plain {
        Plain::String(text.to_string())
    }
}

impl View for Plain {
    fn kind(&self) -> Kind {
        match self {
            Plain::Undefined => Kind::Undefined,
            Plain::Null => Kind::Null,
            Plain::Bool(_) => Kind::Bool,
            Plain::Number(_) => Kind::Number,
            Plain::BigInt => Kind::BigInt,
            Plain::String(_) => Kind::String,
            Plain::Symbol => Kind::Symbol,
            Plain::Function => Kind::Function,
            Plain::Array(_) => Kind::Array,
            Plain::Date(_) => Kind::Date,
            Plain::Object(_) => Kind::Object,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Plain::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Plain::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn string(&self) -> Option<String> {
        match self {
            Plain::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn date_ms(&self) -> Option<f64> {
        match self {
            Plain::Date(ms) => Some(*ms),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Plain {
        match self {
            Plain::Object(pairs) => {
                pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or(Plain::Undefined)
            }
            _ => Plain::Undefined,
        }
    }

    fn keys(&self) -> Vec<String> {
        match self {
            Plain::Object(pairs) => pairs.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Plain::Array(items) => items.len(),
            _ => 0,
        }
    }

    fn at(&self, index: usize) -> Plain {
        match self {
            Plain::Array(items) => items.get(index).cloned().unwrap_or(Plain::Undefined),
            _ => Plain::Undefined,
        }
    }
}

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Plain, D::Error> {
        deserializer.deserialize_any(PlainVisitor)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Plain;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Plain, E> {
        Ok(Plain::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Plain, E> {
        Ok(Plain::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Plain, E> {
        Ok(Plain::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Plain, E> {
        Ok(Plain::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Plain, E> {
        Ok(Plain::String(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Plain, E> {
        Ok(Plain::Null)
    }
    fn visit_none<E>(self) -> Result<Plain, E> {
        Ok(Plain::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
        Plain::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Plain, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Plain::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Plain, A::Error> {
        let mut pairs = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Plain>()? {
            pairs.push((key, value));
        }
        Ok(Plain::Object(pairs))
    }
}

/// A JS-like value from JSON text, for the core's tests.
#[cfg(test)]
pub(crate) fn json(text: &str) -> Plain {
    serde_json::from_str(text).unwrap()
}
