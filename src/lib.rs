//! docspace-webhooks: manage and receive ONLYOFFICE DocSpace webhooks from JavaScript.
//!
//! This file is the wasm-bindgen surface only. The pure modules (`triggers`, `model`,
//! `envelope`, `error`, `input`, `options`, `client`, `retry`) compile and test natively; `js`
//! and `transport` are the thin layer that touches JavaScript.

pub mod client;
pub mod envelope;
pub mod error;
pub mod event;
pub mod group_status;
pub mod input;
pub mod model;
pub mod options;
#[cfg(feature = "portal")]
pub mod portal;
pub mod retry;
pub mod routes;
pub mod signature;
pub mod suggest;
pub mod text;
pub mod time;
pub mod triggers;
pub mod typescript;
pub mod url;
pub mod value;

mod js;
mod transport;

use crate::client::HttpRequest;
use crate::error::{DocSpaceError, ErrorKind};
use crate::options::ClientConfig;
use crate::value::View;
use js_sys::{Array, Function, Object};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TABLES: &str = include_str!("../pkg-template/types/tables.d.ts");

/// The class and option declarations are written by hand (wasm-bindgen cannot mark a trailing
/// argument optional or type a method precisely); tests check them against the runtime object.
#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = include_str!("../pkg-template/types/client.d.ts");

/// A DocSpace webhooks API client. Create one per portal and credentials; it is cheap to keep.
#[wasm_bindgen(skip_typescript)]
pub struct WebhooksClient {
    inner: Rc<Inner>,
}

struct Inner {
    config: ClientConfig,
    fetch: Option<Function>,
    hooks: transport::Hooks,
}

type JsResult = Result<JsValue, JsValue>;

/// The one place a Rust error becomes a rejected promise.
fn js_result(result: Result<JsValue, DocSpaceError>) -> JsResult {
    result.map_err(|error| js::to_js_error(&error))
}

/// Rust data (the normalised trigger list) as plain JS objects.
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, DocSpaceError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| DocSpaceError::new(ErrorKind::InvalidResponse, format!("could not convert the answer: {e}")))
}

#[wasm_bindgen]
impl WebhooksClient {
    /// Validates `options` and creates a client; throws `DocSpaceError` (`invalid_input`) naming
    /// the bad option. No request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WebhooksClient, JsValue> {
        let config = options::parse(&options).map_err(|e| js::to_js_error(&e))?;
        let function = |key: &str| options.get(key).dyn_into::<Function>().ok();
        let hooks = transport::Hooks {
            on_request: function("onRequest"),
            on_response: function("onResponse"),
            last_response: RefCell::new(JsValue::UNDEFINED),
        };
        let inner = Inner { config, fetch: function("fetch"), hooks };
        Ok(WebhooksClient { inner: Rc::new(inner) })
    }

    /// The normalised portal root this client talks to.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base_url.clone()
    }

    /// `{ method, url, attempt, status, headers, durationMs }` of the latest HTTP answer.
    #[wasm_bindgen(getter, js_name = lastResponse)]
    pub fn last_response(&self) -> JsValue {
        self.inner.hooks.last_response.borrow().clone()
    }

    /// A safe summary for logs: `{ baseUrl, auth, timeoutMs, retries }`, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let summary = Object::new();
        let config = &self.inner.config;
        js::set(&summary, "baseUrl", JsValue::from_str(&config.base_url));
        js::set(&summary, "auth", JsValue::from_str(config.auth.scheme()));
        js::set(&summary, "timeoutMs", JsValue::from(config.timeout_ms));
        js::set(&summary, "retries", JsValue::from(config.retries));
        summary.into()
    }

    /// `GET settings/webhook`: the webhooks the caller may see, each with its last status.
    #[wasm_bindgen(js_name = getTenantWebhooks)]
    pub async fn get_tenant_webhooks(&self, options: JsValue) -> JsResult {
        js_result(self.inner.list(&options).await)
    }

    /// `GET settings/webhook/triggers`, normalised to one array shape.
    #[wasm_bindgen(js_name = getWebhookTriggers)]
    pub async fn get_webhook_triggers(&self, options: JsValue) -> JsResult {
        js_result(
            async {
                let answer = self.inner.send(client::get_webhook_triggers(), &options).await?;
                to_js(&client::decode_triggers(&answer.response)?)
            }
            .await,
        )
    }

    /// `POST settings/webhook`.
    #[wasm_bindgen(js_name = createWebhook)]
    pub async fn create_webhook(&self, input: JsValue, options: JsValue) -> JsResult {
        js_result(async { self.inner.send_for_object(client::create_webhook(&input)?, &options).await }.await)
    }

    /// `PUT settings/webhook`: full replace.
    #[wasm_bindgen(js_name = updateWebhook)]
    pub async fn update_webhook(&self, input: JsValue, options: JsValue) -> JsResult {
        js_result(async { self.inner.send_for_object(client::update_webhook(&input)?, &options).await }.await)
    }

    /// Read–merge–write of the fields in `changes`.
    #[wasm_bindgen(js_name = patchWebhook)]
    pub async fn patch_webhook(&self, id: JsValue, changes: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let id = input::id(&id, "id")?;
                let changes = client::parse_changes(&changes)?;
                let current = self.inner.find(id, &options).await?;
                self.inner.send_for_object(client::merge_patch(id, &current, changes)?, &options).await
            }
            .await,
        )
    }

    /// `PUT settings/webhook/enable`.
    #[wasm_bindgen(js_name = enableWebhook)]
    pub async fn enable_webhook(&self, id: JsValue, enabled: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let id = input::id(&id, "id")?;
                let enabled = input::req_bool(&enabled, "enabled")?;
                let current = self.inner.find(id, &options).await?;
                self.inner.send_for_object(client::enable_webhook(id, &current, enabled)?, &options).await
            }
            .await,
        )
    }

    /// `DELETE settings/webhook/{id}`: resolves to the deleted webhook.
    #[wasm_bindgen(js_name = removeWebhook)]
    pub async fn remove_webhook(&self, id: JsValue, options: JsValue) -> JsResult {
        js_result(
            async { self.inner.send_for_object(client::remove_webhook(input::id(&id, "id")?), &options).await }.await,
        )
    }

    /// `GET settings/webhooks/log`: one page with `total`.
    #[wasm_bindgen(js_name = getWebhooksLogs)]
    pub async fn get_webhooks_logs(&self, filter: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let filter = client::parse_log_filter(&filter)?;
                let answer = self.inner.send(filter.request(filter.start_index, filter.count), &options).await?;
                let items = client::expect_object_list(answer.response, "log records")?;
                let count = items.len() as f64;
                let page = Object::new();
                js::set(&page, "items", items);
                js::set(&page, "total", JsValue::from(answer.total.unwrap_or(f64::from(filter.start_index) + count)));
                js::set(&page, "startIndex", JsValue::from(filter.start_index));
                js::set(&page, "count", JsValue::from(count));
                Ok(page.into())
            }
            .await,
        )
    }

    /// Every log record matching `filter`, page by page, as an async iterator. Never throws:
    /// a bad filter rejects the first `next()`.
    #[wasm_bindgen(js_name = webhooksLogs)]
    pub fn webhooks_logs(&self, filter: JsValue, options: JsValue) -> WebhookLogIterator {
        let filter = client::parse_log_filter(&filter);
        let pager =
            filter.as_ref().map(client::LogPager::new).unwrap_or_else(|_| client::LogPager::new(&Default::default()));
        WebhookLogIterator {
            inner: Rc::clone(&self.inner),
            options,
            state: RefCell::new(IteratorState { filter, pager, buffer: VecDeque::new(), seen: HashSet::new() }),
        }
    }

    /// `PUT settings/webhook/{id}/retry`: redelivers one log record; resolves to the new record.
    #[wasm_bindgen(js_name = retryWebhook)]
    pub async fn retry_webhook(&self, log_id: JsValue, options: JsValue) -> JsResult {
        js_result(
            async { self.inner.send_for_object(client::retry_webhook(input::id(&log_id, "logId")?), &options).await }
                .await,
        )
    }

    /// `PUT settings/webhook/retry`: redelivers several; resolves to the new records.
    #[wasm_bindgen(js_name = retryWebhooks)]
    pub async fn retry_webhooks(&self, log_ids: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let answer = self.inner.send(client::retry_webhooks(&log_ids)?, &options).await?;
                client::expect_object_list(answer.response, "new log records")
            }
            .await,
        )
    }
}

impl Inner {
    /// Validates the per-call options and runs the request.
    async fn send(&self, request: HttpRequest, options: &JsValue) -> Result<envelope::Success<JsValue>, DocSpaceError> {
        let settings = client::parse_call_options(options)?;
        let signal = match settings.has_signal {
            true => {
                let value = options.get("signal");
                match js::instance_of::<web_sys::AbortSignal>(&value) {
                    Some(signal) => Some(signal),
                    None => return Err(input::wrong_type("options.signal", "an AbortSignal", value.kind())),
                }
            }
            false => None,
        };
        let call = transport::Call {
            config: &self.config,
            fetch: self.fetch.as_ref(),
            hooks: &self.hooks,
            signal: signal.as_ref(),
            timeout_ms: settings.timeout_ms.unwrap_or(self.config.timeout_ms),
        };
        call.run(&request).await
    }

    async fn send_for_object(&self, request: HttpRequest, options: &JsValue) -> Result<JsValue, DocSpaceError> {
        let answer = self.send(request, options).await?;
        client::expect_object_response(answer.response, "the answer")
    }

    async fn list(&self, options: &JsValue) -> Result<JsValue, DocSpaceError> {
        let answer = self.send(client::get_tenant_webhooks(), options).await?;
        client::expect_object_list(answer.response, "webhooks")
    }

    /// The current `configs` of webhook `id`, as the list shows it to these credentials.
    async fn find(&self, id: u32, options: &JsValue) -> Result<JsValue, DocSpaceError> {
        client::find_webhook(&self.list(options).await?, id)
    }
}

/// The async iterator of `webhooksLogs()`: `next()` reads the log page by page. Records that
/// shift into a later page while new ones arrive are not yielded twice.
#[wasm_bindgen(skip_typescript)]
pub struct WebhookLogIterator {
    inner: Rc<Inner>,
    options: JsValue,
    state: RefCell<IteratorState>,
}

struct IteratorState {
    filter: Result<client::LogFilter, DocSpaceError>,
    pager: client::LogPager,
    buffer: VecDeque<JsValue>,
    seen: HashSet<u64>,
}

fn iterator_result(value: JsValue, done: bool) -> JsValue {
    let result = Object::new();
    js::set(&result, "value", value);
    js::set(&result, "done", JsValue::from_bool(done));
    result.into()
}

#[wasm_bindgen]
impl WebhookLogIterator {
    /// The next record, fetching the next page when needed.
    pub async fn next(&self) -> JsResult {
        js_result(self.advance().await)
    }

    /// Ends the iteration early (`break` in `for await`).
    #[wasm_bindgen(js_name = "return")]
    pub async fn finish(&self) -> JsResult {
        self.state.borrow_mut().pager.finish();
        Ok(iterator_result(JsValue::UNDEFINED, true))
    }
}

impl WebhookLogIterator {
    async fn advance(&self) -> Result<JsValue, DocSpaceError> {
        loop {
            // Never hold the state borrowed across an await.
            let request = {
                let mut state = self.state.borrow_mut();
                if let Some(item) = state.buffer.pop_front() {
                    return Ok(iterator_result(item, false));
                }
                let next = match &state.filter {
                    Ok(filter) => state.pager.next_request(filter),
                    Err(error) => {
                        let error = error.clone();
                        state.pager.finish();
                        state.filter = Ok(client::LogFilter::default());
                        return Err(error);
                    }
                };
                match next {
                    Some(request) => request,
                    None => return Ok(iterator_result(JsValue::UNDEFINED, true)),
                }
            };
            let page = match self.inner.send(request, &self.options).await {
                Ok(answer) => {
                    client::expect_object_list(answer.response, "log records").map(|items| (items, answer.total))
                }
                Err(error) => Err(error),
            };
            let mut state = self.state.borrow_mut();
            let (items, total) = match page {
                Ok(page) => page,
                Err(error) => {
                    state.pager.finish();
                    return Err(error);
                }
            };
            state.pager.after_page(items.len(), total);
            for index in 0..items.len() {
                let item = items.at(index);
                let fresh = match item.get("id").number() {
                    Some(id) => state.seen.insert(id.to_bits()),
                    None => true,
                };
                if fresh {
                    state.buffer.push_back(item);
                }
            }
        }
    }
}

// ---- Receiving deliveries (types: pkg-template/types/receiver.d.ts). ----

#[wasm_bindgen(typescript_custom_section)]
const TS_RECEIVER: &str = include_str!("../pkg-template/types/receiver.d.ts");

/// The most secrets one verification tries (rotation needs two or three).
const MAX_SECRETS: usize = 16;

fn secrets_of(value: &JsValue) -> Result<Vec<Vec<u8>>, DocSpaceError> {
    const FIELD: &str = "secret";
    let one = |item: &JsValue, field: &str| match item.as_string() {
        Some(secret) if !secret.is_empty() => Ok(secret.into_bytes()),
        Some(_) => Err(DocSpaceError::invalid_input(field, "must not be empty")),
        None => Err(input::wrong_type(field, "the webhook's secret key (a string)", item.kind())),
    };
    match value.kind() {
        value::Kind::Array if value.is_empty() => {
            Err(DocSpaceError::invalid_input(FIELD, "must list at least one secret"))
        }
        value::Kind::Array if value.len() > MAX_SECRETS => {
            Err(DocSpaceError::invalid_input(FIELD, format!("must list at most {MAX_SECRETS} secrets")))
        }
        value::Kind::Array => (0..value.len()).map(|i| one(&value.at(i), &format!("{FIELD}[{i}]"))).collect(),
        _ => Ok(vec![one(value, FIELD)?]),
    }
}

/// The raw body as bytes: a string (encoded as UTF-8, as the portal sent it) or the bytes.
fn body_of(value: &JsValue) -> Result<Vec<u8>, DocSpaceError> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(bytes) = js::instance_of::<js_sys::Uint8Array>(value) {
        return Ok(bytes.to_vec());
    }
    if let Some(buffer) = js::instance_of::<js_sys::ArrayBuffer>(value) {
        return Ok(js_sys::Uint8Array::new(&buffer).to_vec());
    }
    let hint = match value.kind() {
        value::Kind::Object => ": pass the raw body, not parsed JSON (re-serialised JSON does not match the signature)",
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

// ---- Internal exports for the package's entry modules (not part of the typed API). ----

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

/// `Trigger.names(mask)`.
#[wasm_bindgen(js_name = __triggerNames, skip_typescript)]
pub fn trigger_names(mask: JsValue) -> Result<Array, JsValue> {
    let mask = match mask.number() {
        Some(n) => triggers::check_mask_number("mask", n),
        None => Err(input::wrong_type("mask", "a number", mask.kind())),
    }
    .map_err(|e| js::to_js_error(&e))?;
    Ok(triggers::names(mask).into_iter().map(JsValue::from_str).collect())
}

/// `Trigger.mask(input)`.
#[wasm_bindgen(js_name = __triggerMask, skip_typescript)]
pub fn trigger_mask(input: JsValue) -> Result<f64, JsValue> {
    input::triggers_mask(&input, "triggers").map(|mask| mask as f64).map_err(|e: DocSpaceError| js::to_js_error(&e))
}
