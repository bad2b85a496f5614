//! The receiver's wasm half: HMAC-SHA256 for browsers and workers (synchronous, which
//! `crypto.subtle.sign` is not) and the check of a delivery's shape. The argument checks and the
//! parsing are JavaScript (pkg-template/signature.mjs), which has the body already; in Node the
//! HMAC comes from node:crypto instead. The request handling around them
//! (`createWebhookHandler`) is pkg-template/receiver.mjs.

use crate::js;
use crate::view::View;
use crate::{event, signature};
use wasm_bindgen::prelude::*;

/// Whether `digest` is the HMAC of `body` under `key`, compared in constant time. (One key per
/// call: the usual single secret crosses as one string, not as an array of them. A text body is
/// encoded to UTF-8 by the caller, once for all its keys: see `wasmMac` in signature.mjs.)
#[wasm_bindgen(js_name = __matchesBytes, skip_typescript)]
pub fn matches_bytes(key: &str, body: &[u8], digest: &[u8]) -> bool {
    signature::matches(&[key], body, digest)
}

/// The upper-case hex HMAC of `body` under `key`, as the portal signs. (The exports here return
/// JS strings, not `String`s: see [`js::value_or_error`] for why no export has a multi-value
/// return.)
#[wasm_bindgen(js_name = __signBytes, skip_typescript)]
pub fn sign_bytes(key: &str, body: &[u8]) -> JsValue {
    JsValue::from_str(&signature::hex_digest(key.as_bytes(), body))
}

/// How messages name a JS value's type ("an array", "an object of a class (not a plain
/// object)"…): the core's one classification, for the receiver's checks in JS as for the client's.
#[wasm_bindgen(js_name = __describe, skip_typescript)]
pub fn describe(value: JsValue) -> JsValue {
    JsValue::from_str(value.kind().describe())
}

/// Checks that a parsed body is a DocSpace delivery; its dotted trigger name, or `invalid_input`
/// naming what is wrong (returned, for the caller to throw).
#[wasm_bindgen(js_name = __checkDelivery, skip_typescript)]
pub fn check_delivery(delivery: JsValue) -> JsValue {
    js::value_or_error(event::check(&delivery).map_err(|e| js::to_js_error(&e, None)))
}
