//! The `Trigger` object's data and helpers, for the package's entry modules (not part of the
//! typed API): the entry builds `Trigger` from the Rust table, so JS never keeps a copy.

use crate::error::DocSpaceError;
use crate::js;
use crate::triggers;
use crate::validate;
use crate::view::View;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

/// Registers the JS `DocSpaceError` class every error is created from.
#[wasm_bindgen(js_name = __setErrorClass, skip_typescript)]
pub fn set_error_class(class: Function) {
    js::set_error_class(class);
}

/// The trigger table as `[name, dottedName, bit][]`, from which the entry builds `Trigger`.
#[wasm_bindgen(js_name = __triggerTable, skip_typescript)]
pub fn trigger_table() -> Array {
    triggers::TRIGGERS
        .iter()
        .map(|def| {
            Array::of3(&JsValue::from_str(def.name), &JsValue::from_str(def.dotted), &JsValue::from_f64(def.bit as f64))
        })
        .collect()
}

/// `Trigger.names(mask)`: the names, or the error to throw (one value: see [`js::value_or_error`]).
#[wasm_bindgen(js_name = __triggerNames, skip_typescript)]
pub fn trigger_names_or_error(mask: JsValue) -> JsValue {
    js::value_or_error(trigger_names(mask))
}

/// The names of the bits set in `mask`.
pub fn trigger_names(mask: JsValue) -> Result<Array, JsValue> {
    let mask = match mask.number() {
        Some(n) => triggers::check_mask_number("mask", n),
        None => Err(validate::wrong_type("mask", "a number", mask.kind())),
    }
    .map_err(|e| js::to_js_error(&e, None))?;
    Ok(triggers::names(mask).into_iter().map(JsValue::from_str).collect())
}

/// `Trigger.mask(input)`: the mask, or the error to throw (one value: see [`js::value_or_error`]).
#[wasm_bindgen(js_name = __triggerMask, skip_typescript)]
pub fn trigger_mask_or_error(input: JsValue) -> JsValue {
    js::value_or_error(trigger_mask(input))
}

/// The mask of a trigger list (names, dotted names, bits) or a mask number.
pub fn trigger_mask(input: JsValue) -> Result<f64, JsValue> {
    validate::triggers_mask(&input, "triggers")
        .map(|mask| mask as f64)
        .map_err(|e: DocSpaceError| js::to_js_error(&e, None))
}
