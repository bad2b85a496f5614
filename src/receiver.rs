//! The receiver's wasm half: HMAC-SHA256 for browsers and workers (synchronous, which
//! `crypto.subtle.sign` is not) and the check of a delivery's shape. The argument checks and the
//! parsing are JavaScript (pkg-template/signature.mjs), which has the body already; in Node the
//! HMAC comes from node:crypto instead. The request handling around them
//! (`createWebhookHandler`) is pkg-template/receiver.mjs.

use crate::js;
use crate::view::View;
use crate::{event, signature};
use wasm_bindgen::prelude::*;

/// Whether `digest` is the HMAC of the text `body` under `key`, compared in constant time. (One
/// key per call: the usual single secret crosses as one string, not as an array of them.)
#[wasm_bindgen(js_name = __matchesText, skip_typescript)]
pub fn matches_text(key: &str, body: &str, digest: &[u8]) -> bool {
    signature::matches(&[key], body.as_bytes(), digest)
}

/// [`matches_text`] for a body given as bytes.
#[wasm_bindgen(js_name = __matchesBytes, skip_typescript)]
pub fn matches_bytes(key: &str, body: &[u8], digest: &[u8]) -> bool {
    signature::matches(&[key], body, digest)
}

/// The upper-case hex HMAC of the text `body` under `key`, as the portal signs.
#[wasm_bindgen(js_name = __signText, skip_typescript)]
pub fn sign_text(key: &str, body: &str) -> String {
    signature::hex_digest(key.as_bytes(), body.as_bytes())
}

/// [`sign_text`] for a body given as bytes.
#[wasm_bindgen(js_name = __signBytes, skip_typescript)]
pub fn sign_bytes(key: &str, body: &[u8]) -> String {
    signature::hex_digest(key.as_bytes(), body)
}

/// How messages name a JS value's type ("an array", "an object of a class (not a plain
/// object)"…): the core's one classification, for the receiver's checks in JS as for the client's.
#[wasm_bindgen(js_name = __describe, skip_typescript)]
pub fn describe(value: JsValue) -> String {
    value.kind().describe().to_string()
}

/// Checks that a parsed body is a DocSpace delivery; its dotted trigger name, or `invalid_input`
/// naming what is wrong.
#[wasm_bindgen(js_name = __checkDelivery, skip_typescript)]
pub fn check_delivery(delivery: JsValue) -> Result<String, JsValue> {
    event::check(&delivery).map_err(|e| js::to_js_error(&e, None))
}
