//! [`View`] over `JsValue`: how the pure validation and decoding read JS values inside wasm.
//! Every read is one JS call, total: a throwing getter, proxy trap or revoked proxy reads as
//! absent / an opaque object, never as an exception unwinding through wasm.

use crate::view::{Kind, View};
use js_sys::{Array, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, with a throwing proxy trap caught rather than unwinding through wasm.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;
}

// The hot reads of [`View`] as one JS call each: a response list of 200 items would otherwise
// cost ~20 wasm→JS calls per item (one `typeof` probe per kind). Every function is total: a
// throwing getter, proxy trap or revoked proxy reads as absent / an opaque object.
#[wasm_bindgen(inline_js = r#"
// What a property read that threw gives: its own kind, so a throwing getter is refused, never
// taken for an absent option.
const UNREADABLE = Object.freeze(Object.create(null));
export function kindOf(v) {
  if (v === UNREADABLE) return 13;
  switch (typeof v) {
    case "undefined": return 0;
    case "boolean": return 2;
    case "number": return 3;
    case "bigint": return 4;
    case "string": return v.length > 1048576 ? 14 : 5;
    case "symbol": return 6;
    case "function": return 7;
  }
  if (v === null) return 1;
  try {
    if (Array.isArray(v)) return 8;
    if (Object.prototype.toString.call(v) === "[object Date]") return 9;
    const proto = Object.getPrototypeOf(v);
    // A plain object's prototype is null or Object.prototype, of any realm: the one object with
    // no prototype whose own constructor is Object.
    if (proto !== null && !(Object.getPrototypeOf(proto) === null && Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor.name === "Object")) return 11;
    Object.keys(v);
    return 10;
  } catch {
    return 12;
  }
}
export function field(o, k) {
  if (typeof o !== "object" || o === null) return undefined;
  try { return o[k]; } catch { return UNREADABLE; }
}
export function arrayLength(a) {
  try {
    if (!Array.isArray(a)) return 0;
    const n = a.length;
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch { return 0; }
}
export function item(a, i) {
  try { return Array.isArray(a) ? a[i] : undefined; } catch { return UNREADABLE; }
}
export function firstNonObject(a) {
  try {
    if (!Array.isArray(a)) return -1;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) return i;
    }
  } catch {}
  return -1;
}
export function parseJsonText(text) {
  return text.trim() === "" ? undefined : JSON.parse(text);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = kindOf)]
    fn kind_of(value: &JsValue) -> u8;
    fn field(value: &JsValue, key: &str) -> JsValue;
    /// `field` with the name as a JS string already made (see [`name`]).
    #[wasm_bindgen(js_name = field)]
    fn field_named(value: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = arrayLength)]
    fn array_length(value: &JsValue) -> f64;
    fn item(value: &JsValue, index: u32) -> JsValue;
    #[wasm_bindgen(js_name = firstNonObject)]
    fn first_non_object_at(value: &JsValue) -> i32;
    /// `JSON.parse` of a JS string without copying it through wasm memory: `undefined` for a
    /// blank body, an exception for one that is not JSON.
    #[wasm_bindgen(catch, js_name = parseJsonText)]
    pub fn parse_json_text(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// How many property names [`name`] keeps as JS strings, and how long one may be: enough for
/// every name the envelope and the DTOs read, never a store for names a server invents.
const KEPT_NAMES: usize = 48;
const KEPT_NAME_BYTES: usize = 24;

thread_local! {
    static NAMES: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The JS string for a property name, made once: a name passed as `&str` is decoded into a new
/// JS string on every read, which the engine then hashes to look the property up (~1.3 µs of a
/// call's CPU in Node for the dozen names an answer is read by). `None` for a name too long or
/// once the store is full; the caller then passes the `&str`.
fn name(key: &str) -> Option<JsValue> {
    if key.len() > KEPT_NAME_BYTES {
        return None;
    }
    NAMES.with(|names| {
        // A getter that calls back into wasm meanwhile finds the store busy and goes without it.
        let mut names = names.try_borrow_mut().ok()?;
        if let Some((_, js)) = names.iter().find(|(name, _)| **name == *key) {
            return Some(js.clone());
        }
        if names.len() == KEPT_NAMES {
            return None;
        }
        let js = JsValue::from_str(key);
        names.push((key.to_string(), js.clone()));
        Some(js)
    })
}

/// Whether `value`'s prototype can be read: a revoked proxy or a throwing `getPrototypeOf` trap
/// would make `instanceof` throw through wasm, so such values are only treated as opaque.
fn introspectable(value: &JsValue) -> bool {
    Reflect::get_prototype_of(value).is_ok()
}

/// `value instanceof T`, safe on hostile proxies.
pub fn instance_of<T: JsCast>(value: &JsValue) -> Option<T> {
    match value.is_object() && introspectable(value) {
        true => value.clone().dyn_into::<T>().ok(),
        false => None,
    }
}

impl View for JsValue {
    fn kind(&self) -> Kind {
        match kind_of(self) {
            0 => Kind::Undefined,
            1 => Kind::Null,
            2 => Kind::Bool,
            3 => Kind::Number,
            4 => Kind::BigInt,
            5 => Kind::String,
            6 => Kind::Symbol,
            7 => Kind::Function,
            8 => Kind::Array,
            9 => Kind::Date,
            10 => Kind::Object,
            11 => Kind::Instance,
            13 => Kind::Unreadable,
            14 => Kind::LongString,
            _ => Kind::Opaque,
        }
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn date_ms(&self) -> Option<f64> {
        instance_of::<js_sys::Date>(self).map(|date| date.get_time())
    }

    fn get(&self, key: &str) -> JsValue {
        match name(key) {
            Some(name) => field_named(self, &name),
            None => field(self, key),
        }
    }

    fn keys(&self) -> Vec<String> {
        if !self.is_object() || self.is_function() {
            return Vec::new();
        }
        object_keys(self).map(|keys| keys.iter().filter_map(|key| key.as_string()).collect()).unwrap_or_default()
    }

    fn len(&self) -> usize {
        array_length(self) as usize
    }

    fn first_non_object(&self) -> Option<usize> {
        usize::try_from(first_non_object_at(self)).ok()
    }

    fn at(&self, index: usize) -> JsValue {
        match u32::try_from(index) {
            Ok(index) => item(self, index),
            Err(_) => JsValue::UNDEFINED,
        }
    }
}
