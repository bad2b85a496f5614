//! The receiver's exports: verify, compute and parse signed deliveries. The HMAC and the
//! delivery check are the core's (`signature`, `event`); this is their JS boundary. The
//! request handling around them (`createWebhookHandler`) is JavaScript: pkg-template/receiver.mjs.

use crate::error::DocSpaceError;
use crate::js;
use crate::signature;
use crate::validate;
use crate::view::{self, View};
use crate::{event, triggers};
use docspace_webhooks_core::js_view;
use wasm_bindgen::prelude::*;

/// The most secrets one verification tries (rotation needs two or three).
const MAX_SECRETS: usize = 16;

fn secrets_of(value: &JsValue) -> Result<Vec<Vec<u8>>, DocSpaceError> {
    const FIELD: &str = "secret";
    let one = |item: &JsValue, field: &str| match item.as_string() {
        Some(secret) if !secret.is_empty() => Ok(secret.into_bytes()),
        Some(_) => Err(DocSpaceError::invalid_input(field, "must not be empty")),
        None => Err(validate::wrong_type(field, "the webhook's secret key (a string)", item.kind())),
    };
    match value.kind() {
        view::Kind::Array if value.is_empty() => {
            Err(DocSpaceError::invalid_input(FIELD, "must list at least one secret"))
        }
        view::Kind::Array if value.len() > MAX_SECRETS => {
            Err(DocSpaceError::invalid_input(FIELD, format!("must list at most {MAX_SECRETS} secrets")))
        }
        view::Kind::Array => (0..value.len()).map(|i| one(&value.at(i), &format!("{FIELD}[{i}]"))).collect(),
        _ => Ok(vec![one(value, FIELD)?]),
    }
}

/// The raw body as bytes: a string (encoded as UTF-8, as the portal sent it) or the bytes.
fn body_of(value: &JsValue) -> Result<Vec<u8>, DocSpaceError> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(bytes) = js_view::instance_of::<js_sys::Uint8Array>(value) {
        return Ok(bytes.to_vec());
    }
    if let Some(buffer) = js_view::instance_of::<js_sys::ArrayBuffer>(value) {
        return Ok(js_sys::Uint8Array::new(&buffer).to_vec());
    }
    let hint = match value.kind() {
        view::Kind::Object => ": pass the raw body, not parsed JSON (re-serialised JSON does not match the signature)",
        _ => "",
    };
    Err(DocSpaceError::invalid_input(
        "rawBody",
        format!("must be the raw body as a string, Uint8Array or Buffer, got {}{hint}", value.kind().describe()),
    ))
}

/// `verifyWebhookSignature(secretOrSecrets, rawBody, headerValue)`: true when the
/// `x-docspace-signature-256` value signs the body with one of the secrets. A missing or
/// malformed header is `false`; unusable secrets or bodies throw `invalid_input`.
#[wasm_bindgen(js_name = verifyWebhookSignature, skip_typescript)]
pub fn verify_webhook_signature(secrets: JsValue, raw_body: JsValue, header: JsValue) -> Result<bool, JsValue> {
    let check = || -> Result<bool, DocSpaceError> {
        let secrets = secrets_of(&secrets)?;
        let body = body_of(&raw_body)?;
        Ok(header.as_string().is_some_and(|header| signature::verify(&secrets, &body, &header)))
    };
    check().map_err(|e| js::to_js_error(&e))
}

/// `computeWebhookSignature(secret, rawBody)`: `sha256=<UPPER HEX>`, exactly as the portal signs.
#[wasm_bindgen(js_name = computeWebhookSignature, skip_typescript)]
pub fn compute_webhook_signature(secret: JsValue, raw_body: JsValue) -> Result<String, JsValue> {
    let compute = || -> Result<String, DocSpaceError> {
        let secret = secrets_of(&secret)?;
        let secret = secret.first().ok_or_else(|| DocSpaceError::invalid_input("secret", "is required"))?;
        Ok(signature::compute(secret, &body_of(&raw_body)?))
    };
    compute().map_err(|e| js::to_js_error(&e))
}

/// `parseWebhookEvent(rawBody, headerValue, secretOrSecrets)`: verifies, then parses. Throws
/// `invalid_input` with `details.signature` for a bad or missing signature and
/// `details.rawBody` for a body that is not a delivery.
#[wasm_bindgen(js_name = parseWebhookEvent, skip_typescript)]
pub fn parse_webhook_event(raw_body: JsValue, header: JsValue, secrets: JsValue) -> Result<JsValue, JsValue> {
    let parse = || -> Result<JsValue, DocSpaceError> {
        let secrets = secrets_of(&secrets)?;
        let body = body_of(&raw_body)?;
        let Some(header) = header.as_string().filter(|h| !h.trim().is_empty()) else {
            return Err(DocSpaceError::invalid_input(
                "signature",
                format!("is missing: the request has no {} header", signature::HEADER),
            ));
        };
        if !signature::verify(&secrets, &body, &header) {
            return Err(DocSpaceError::invalid_input(
                "signature",
                "does not match: the body was altered, or the secret is not this webhook's",
            ));
        }
        let text = String::from_utf8(body).map_err(|_| DocSpaceError::invalid_input("rawBody", "is not UTF-8 text"))?;
        let delivery =
            js_sys::JSON::parse(&text).map_err(|_| DocSpaceError::invalid_input("rawBody", "is not JSON"))?;
        let trigger = event::check(&delivery)?;
        let known = triggers::by_name(&trigger).is_some();
        js::set(&delivery, "trigger", JsValue::from_str(if known { &trigger } else { "unknown" }));
        Ok(delivery)
    };
    parse().map_err(|e| js::to_js_error(&e))
}
