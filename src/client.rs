//! `WebhooksClient`, the class JS code creates: its methods validate their input into an
//! operation (`operations`), run it through the transport, and check the answer. The log
//! iterator of `webhooksLogs()` is here too.

use crate::envelope;
use crate::error::{DocSpaceError, ErrorKind};
use crate::js;
use crate::operations::{self as ops, HttpRequest};
use crate::options::{self, ClientConfig};
use crate::transport;
use crate::validate;
use crate::view::View;
use docspace_webhooks_core::js_view;
use js_sys::{Function, Object};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
                let answer = self.inner.send(ops::get_webhook_triggers(), &options).await?;
                to_js(&ops::decode_triggers(&answer.response)?)
            }
            .await,
        )
    }

    /// `POST settings/webhook`.
    #[wasm_bindgen(js_name = createWebhook)]
    pub async fn create_webhook(&self, input: JsValue, options: JsValue) -> JsResult {
        js_result(async { self.inner.send_for_object(ops::create_webhook(&input)?, &options).await }.await)
    }

    /// `PUT settings/webhook`: full replace.
    #[wasm_bindgen(js_name = updateWebhook)]
    pub async fn update_webhook(&self, input: JsValue, options: JsValue) -> JsResult {
        js_result(async { self.inner.send_for_object(ops::update_webhook(&input)?, &options).await }.await)
    }

    /// Read–merge–write of the fields in `changes`.
    #[wasm_bindgen(js_name = patchWebhook)]
    pub async fn patch_webhook(&self, id: JsValue, changes: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let id = validate::id(&id, "id")?;
                let changes = ops::parse_changes(&changes)?;
                let current = self.inner.find(id, &options).await?;
                self.inner.send_for_object(ops::merge_patch(id, &current, changes)?, &options).await
            }
            .await,
        )
    }

    /// `PUT settings/webhook/enable`.
    #[wasm_bindgen(js_name = enableWebhook)]
    pub async fn enable_webhook(&self, id: JsValue, enabled: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let id = validate::id(&id, "id")?;
                let enabled = validate::req_bool(&enabled, "enabled")?;
                let current = self.inner.find(id, &options).await?;
                self.inner.send_for_object(ops::enable_webhook(id, &current, enabled)?, &options).await
            }
            .await,
        )
    }

    /// `DELETE settings/webhook/{id}`: resolves to the deleted webhook.
    #[wasm_bindgen(js_name = removeWebhook)]
    pub async fn remove_webhook(&self, id: JsValue, options: JsValue) -> JsResult {
        js_result(
            async { self.inner.send_for_object(ops::remove_webhook(validate::id(&id, "id")?), &options).await }.await,
        )
    }

    /// `GET settings/webhooks/log`: one page with `total`.
    #[wasm_bindgen(js_name = getWebhooksLogs)]
    pub async fn get_webhooks_logs(&self, filter: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let filter = ops::parse_log_filter(&filter)?;
                let answer = self.inner.send(filter.request(filter.start_index, filter.count), &options).await?;
                let items = ops::expect_object_list(answer.response, "log records")?;
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
        let filter = ops::parse_log_filter(&filter);
        let pager = filter.as_ref().map(ops::LogPager::new).unwrap_or_else(|_| ops::LogPager::new(&Default::default()));
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
            async { self.inner.send_for_object(ops::retry_webhook(validate::id(&log_id, "logId")?), &options).await }
                .await,
        )
    }

    /// `PUT settings/webhook/retry`: redelivers several; resolves to the new records.
    #[wasm_bindgen(js_name = retryWebhooks)]
    pub async fn retry_webhooks(&self, log_ids: JsValue, options: JsValue) -> JsResult {
        js_result(
            async {
                let answer = self.inner.send(ops::retry_webhooks(&log_ids)?, &options).await?;
                ops::expect_object_list(answer.response, "new log records")
            }
            .await,
        )
    }
}

impl Inner {
    /// Validates the per-call options and runs the request.
    async fn send(&self, request: HttpRequest, options: &JsValue) -> Result<envelope::Success<JsValue>, DocSpaceError> {
        let settings = ops::parse_call_options(options)?;
        let signal = match settings.has_signal {
            true => {
                let value = options.get("signal");
                match js_view::instance_of::<web_sys::AbortSignal>(&value) {
                    Some(signal) => Some(signal),
                    None => return Err(validate::wrong_type("options.signal", "an AbortSignal", value.kind())),
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
        ops::expect_object_response(answer.response, "the answer")
    }

    async fn list(&self, options: &JsValue) -> Result<JsValue, DocSpaceError> {
        let answer = self.send(ops::get_tenant_webhooks(), options).await?;
        ops::expect_object_list(answer.response, "webhooks")
    }

    /// The current `configs` of webhook `id`, as the list shows it to these credentials.
    async fn find(&self, id: u32, options: &JsValue) -> Result<JsValue, DocSpaceError> {
        ops::find_webhook(&self.list(options).await?, id)
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
    filter: Result<ops::LogFilter, DocSpaceError>,
    pager: ops::LogPager,
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
                        state.filter = Ok(ops::LogFilter::default());
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
                    ops::expect_object_list(answer.response, "log records").map(|items| (items, answer.total))
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
