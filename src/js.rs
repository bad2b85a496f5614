//! The JS side of the pure modules: [`View`] over `JsValue`, and turning a [`DocSpaceError`]
//! into an instance of the package's JS `DocSpaceError` class.

use crate::error::DocSpaceError;
use crate::value::{Kind, View};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, with a throwing proxy trap caught rather than unwinding through wasm.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;
}

/// Whether `value`'s prototype can be read: a revoked proxy or a throwing `getPrototypeOf` trap
/// would make `instanceof` and `Array.isArray` throw through wasm, so such values are only
/// ever treated as opaque objects.
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
        if self.is_undefined() {
            Kind::Undefined
        } else if self.is_null() {
            Kind::Null
        } else if self.as_bool().is_some() {
            Kind::Bool
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if self.is_string() {
            Kind::String
        } else if self.is_bigint() {
            Kind::BigInt
        } else if self.is_symbol() {
            Kind::Symbol
        } else if self.is_function() {
            Kind::Function
        } else if !introspectable(self) {
            Kind::Object
        } else if Array::is_array(self) {
            Kind::Array
        } else if self.is_instance_of::<js_sys::Date>() {
            Kind::Date
        } else {
            Kind::Object
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
        if !self.is_object() {
            return JsValue::UNDEFINED;
        }
        // A throwing getter or proxy reads as absent rather than escaping as a JS exception.
        Reflect::get(self, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn keys(&self) -> Vec<String> {
        if !self.is_object() || self.is_function() {
            return Vec::new();
        }
        object_keys(self).map(|keys| keys.iter().filter_map(|key| key.as_string()).collect()).unwrap_or_default()
    }

    fn len(&self) -> usize {
        match self.kind() {
            // Through Reflect: an array proxy's trap may throw; a bogus length reads as 0.
            Kind::Array => {
                self.get("length").number().filter(|n| *n >= 0.0 && n.fract() == 0.0).map_or(0, |n| n as usize)
            }
            _ => 0,
        }
    }

    fn at(&self, index: usize) -> JsValue {
        match (self.kind(), u32::try_from(index)) {
            // Reflect, not `array[i]`: an array proxy's get trap may throw.
            (Kind::Array, Ok(index)) => Reflect::get_u32(self, index).unwrap_or(JsValue::UNDEFINED),
            _ => JsValue::UNDEFINED,
        }
    }
}

thread_local! {
    /// The JS `DocSpaceError` class, registered by the package's entry module before any export
    /// is handed out.
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// `new DocSpaceError(kind, message, { status, details, retryAfter })`; a plain `Error` with the
/// same properties if no class was registered (the raw wasm-bindgen build used directly).
pub fn to_js_error(error: &DocSpaceError) -> JsValue {
    let init = Object::new();
    set(&init, "status", error.status.map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    set(&init, "retryAfter", error.retry_after.map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    if let Some(details) = &error.details {
        let map = Object::new();
        for (field, messages) in details {
            let list: Array = messages.iter().map(|m| JsValue::from_str(m)).collect();
            set(&map, field, list.into());
        }
        set(&init, "details", map.into());
    }
    let kind = JsValue::from_str(error.kind.as_str());
    let message = JsValue::from_str(&error.message);
    let constructed = ERROR_CLASS.with(|slot| {
        slot.borrow().as_ref().and_then(|class| Reflect::construct(class, &Array::of3(&kind, &message, &init)).ok())
    });
    constructed.unwrap_or_else(|| {
        let plain = js_sys::Error::new(&error.message);
        plain.set_name("DocSpaceError");
        set(&plain, "kind", kind);
        for key in ["status", "retryAfter", "details"] {
            set(&plain, key, Reflect::get(&init, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED));
        }
        plain.into()
    })
}

pub fn set(target: &JsValue, key: &str, value: JsValue) {
    // Setting a data property on an object we just created cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}
