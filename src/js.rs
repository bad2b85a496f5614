//! Turning a [`DocSpaceError`] into an instance of the package's JS `DocSpaceError` class, and
//! the few JS objects the client builds. ([`View`](crate::view::View) over `JsValue` lives in the
//! core crate, which the portal shares.)

use crate::error::{redact_text, DocSpaceError};
use crate::view::View;
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The JS `DocSpaceError` class, registered by the package's entry module before any export
    /// is handed out.
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// `new DocSpaceError(kind, message, { status, details, retryAfter, cause })`; a plain `Error` with
/// the same properties if no class was registered (the raw wasm-bindgen build used directly).
pub fn to_js_error(error: &DocSpaceError, cause: Option<&JsValue>) -> JsValue {
    let init = Object::new();
    if let Some(cause) = cause {
        set(&init, "cause", cause.clone());
    }
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
        for key in ["status", "retryAfter", "details", "cause"] {
            set(&plain, key, Reflect::get(&init, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED));
        }
        plain.into()
    })
}

/// A fallible export's answer as one value: what it made, or the error, which the JS caller throws
/// (`unwrap` in pkg-template/signature.mjs; no success value is an `Error`). An export returning
/// a `Result` or a `String` has a multi-value return, and for each such signature Node 20's V8
/// compiles a wrapper while it compiles the module (~90 µs each on a cold start, where the
/// generic wrapper serves every single-value one): see README, Performance.
pub fn value_or_error<T: Into<JsValue>>(result: Result<T, JsValue>) -> JsValue {
    result.map_or_else(|error| error, Into::into)
}

pub fn set(target: &JsValue, key: &str, value: JsValue) {
    // Setting a data property on an object we just created cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

/// Response headers as a plain `{ name: value }` object (names lower-case, as `Headers` gives them).
pub fn headers_object(headers: &web_sys::Headers) -> JsValue {
    let object = Object::new();
    if let Ok(Some(entries)) = js_sys::try_iter(headers) {
        for entry in entries.flatten() {
            let pair: Array = entry.unchecked_into();
            if let Some(name) = pair.get(0).as_string() {
                set(&object, &name, pair.get(1));
            }
        }
    }
    object.into()
}

/// `cause` as it may be shown: itself when none of its texts (message, stack, its own cause's
/// message) mentions a secret, otherwise a plain `Error` of the same name with the message
/// redacted (an injected `fetch` may put a request's header in its error).
pub fn redacted_error(cause: JsValue, secrets: &[&str]) -> JsValue {
    let texts = [cause.get("message"), cause.get("stack"), cause.get("cause").get("message")];
    let mentions = texts.iter().filter_map(View::string).any(|text| redact_text(&text, secrets) != text);
    if !mentions {
        return cause;
    }
    let message = redact_text(&cause.get("message").string().unwrap_or_default(), secrets);
    let copy = js_sys::Error::new(&message);
    copy.set_name(&cause.get("name").string().unwrap_or_else(|| "Error".to_string()));
    copy.into()
}
