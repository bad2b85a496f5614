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

/// The trigger table as the JSON text of `[name, dottedName, bit][]`, from which the entry builds
/// `Trigger` (`JSON.parse`). One string crosses into JS at start-up, where an array of arrays
/// took ~190 calls across the boundary, each a first call for V8 (names and dotted names are
/// ASCII identifiers, so nothing needs escaping).
#[wasm_bindgen(js_name = __triggerTable, skip_typescript)]
pub fn trigger_table() -> JsValue {
    JsValue::from_str(&trigger_table_json())
}

fn trigger_table_json() -> String {
    let mut json = String::with_capacity(triggers::TRIGGERS.len() * 48);
    for (index, def) in triggers::TRIGGERS.iter().enumerate() {
        json.push_str(if index == 0 { "[[\"" } else { ",[\"" });
        json.push_str(def.name);
        json.push_str("\",\"");
        json.push_str(def.dotted);
        json.push_str("\",");
        crate::text::push_decimal(&mut json, def.bit);
        json.push(']');
    }
    json.push(']');
    json
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_trigger_table_json_is_the_table() {
        let parsed: Vec<(String, String, u64)> = serde_json::from_str(&super::trigger_table_json()).unwrap();
        let expected: Vec<(String, String, u64)> = crate::triggers::TRIGGERS
            .iter()
            .map(|def| (def.name.to_string(), def.dotted.to_string(), def.bit))
            .collect();
        assert_eq!(parsed, expected);
        assert_eq!(parsed.iter().map(|row| row.2).max(), Some(1 << 35), "the highest bit, above 2^32, is exact");
    }
}
