//! Turning a [`DocSpaceError`] into an instance of the package's JS `DocSpaceError` class.
//! ([`View`](crate::view::View) over `JsValue` lives in the core crate, which the portal shares.)

use crate::error::DocSpaceError;
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

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
