//! `WebhooksClient`, the class JS code creates. Every method turns its input into an
//! [`Operation`] (plain data: what to send and what to make of the answer) and hands it to the
//! one async path, [`run`]: one future type for all of them, so the wasm carries a single state
//! machine instead of one per method. Bad input becomes a rejected promise, never a throw.
//!
//! `webhooksLogs()` is a JavaScript async iterator (pkg-template/api.mjs) over a [`LogCursor`]:
//! the pure Rust pager decides which page comes next and when to stop.

use crate::error::{DocSpaceError, ErrorKind};
use crate::js;
use crate::operations::{self as ops, HttpRequest, LogFilter, LogPager, Rewrite};
use crate::options::{self, ClientConfig};
use crate::transport::{self, Call};
use crate::view::View;
use crate::{envelope, validate};
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

/// A DocSpace webhooks API client. Create one per portal and credentials; it is cheap to keep.
#[wasm_bindgen(skip_typescript)]
pub struct WebhooksClient {
    inner: Rc<Inner>,
}

struct Inner {
    config: ClientConfig,
    headers: transport::RequestHeaders,
    fetch: Option<Function>,
    hooks: transport::Hooks,
}

/// One operation of the client, as data.
enum Operation {
    /// One request, and what its `response` must be.
    Send(HttpRequest, Expect),
    /// `patchWebhook` and `enableWebhook`: read the list, then write what the change makes of the
    /// webhook's current state.
    Rewrite(u32, Rewrite),
    /// The next page of a `webhooksLogs()` walk.
    NextPage(Rc<RefCell<LogPager>>, Rc<LogFilter>),
}

/// What a successful answer's `response` must be, and what the caller gets of it.
enum Expect {
    Object,
    List(&'static str),
    Triggers,
    /// `getWebhooksLogs()`: `{ items, total, startIndex, count }`.
    LogPage(u32),
}

/// The one async path of every method.
async fn run(
    inner: Rc<Inner>,
    operation: Result<Operation, DocSpaceError>,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let call = match operation.and_then(|operation| Ok((inner.call(&options)?, operation))) {
        Ok((call, operation)) => call.execute(operation).await,
        Err(error) => Err(transport::Failure::from(error)),
    };
    call.map_err(|failure| js::to_js_error(&failure.error, failure.cause.as_ref()))
}

#[wasm_bindgen]
impl WebhooksClient {
    /// Validates `options` and creates a client; throws `DocSpaceError` (`invalid_input`) naming
    /// the bad option. No request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WebhooksClient, JsValue> {
        let config = options::parse(&options).map_err(|e| js::to_js_error(&e, None))?;
        let function = |key: &str| options.get(key).dyn_into::<Function>().ok();
        let hooks = transport::Hooks::new(function("onRequest"), function("onResponse"));
        let headers = transport::RequestHeaders::new(&config);
        Ok(WebhooksClient { inner: Rc::new(Inner { config, headers, fetch: function("fetch"), hooks }) })
    }

    /// The normalised portal root this client talks to.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> JsValue {
        JsValue::from_str(&self.inner.config.base_url)
    }

    /// `{ method, url, attempt, status, headers, durationMs }` of the latest HTTP answer, built
    /// when asked for.
    #[wasm_bindgen(getter, js_name = lastResponse)]
    pub fn last_response(&self) -> JsValue {
        self.inner.hooks.last_response()
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
    pub fn get_tenant_webhooks(&self, options: JsValue) -> Promise {
        self.start(Ok(Operation::Send(ops::get_tenant_webhooks(), Expect::List("webhooks"))), options)
    }

    /// `GET settings/webhook/triggers`, normalised to one array shape.
    #[wasm_bindgen(js_name = getWebhookTriggers)]
    pub fn get_webhook_triggers(&self, options: JsValue) -> Promise {
        self.start(Ok(Operation::Send(ops::get_webhook_triggers(), Expect::Triggers)), options)
    }

    /// `POST settings/webhook`.
    #[wasm_bindgen(js_name = createWebhook)]
    pub fn create_webhook(&self, input: JsValue, options: JsValue) -> Promise {
        self.start(ops::create_webhook(&input).map(|request| Operation::Send(request, Expect::Object)), options)
    }

    /// `PUT settings/webhook`: full replace.
    #[wasm_bindgen(js_name = updateWebhook)]
    pub fn update_webhook(&self, input: JsValue, options: JsValue) -> Promise {
        self.start(ops::update_webhook(&input).map(|request| Operation::Send(request, Expect::Object)), options)
    }

    /// Read–merge–write of the fields in `changes`.
    #[wasm_bindgen(js_name = patchWebhook)]
    pub fn patch_webhook(&self, id: JsValue, changes: JsValue, options: JsValue) -> Promise {
        let operation = validate::id(&id, "id")
            .and_then(|id| Ok(Operation::Rewrite(id, Rewrite::Patch(ops::parse_changes(&changes)?))));
        self.start(operation, options)
    }

    /// `PUT settings/webhook/enable`.
    #[wasm_bindgen(js_name = enableWebhook)]
    pub fn enable_webhook(&self, id: JsValue, enabled: JsValue, options: JsValue) -> Promise {
        let operation = validate::id(&id, "id")
            .and_then(|id| Ok(Operation::Rewrite(id, Rewrite::Enable(validate::req_bool(&enabled, "enabled")?))));
        self.start(operation, options)
    }

    /// `DELETE settings/webhook/{id}`: resolves to the deleted webhook.
    #[wasm_bindgen(js_name = removeWebhook)]
    pub fn remove_webhook(&self, id: JsValue, options: JsValue) -> Promise {
        let operation = validate::id(&id, "id").map(|id| Operation::Send(ops::remove_webhook(id), Expect::Object));
        self.start(operation, options)
    }

    /// `GET settings/webhooks/log`: one page with `total`.
    #[wasm_bindgen(js_name = getWebhooksLogs)]
    pub fn get_webhooks_logs(&self, filter: JsValue, options: JsValue) -> Promise {
        let operation = ops::parse_log_filter(&filter).map(|filter| {
            let request = filter.request(filter.start_index, filter.count);
            Operation::Send(request, Expect::LogPage(filter.start_index))
        });
        self.start(operation, options)
    }

    /// `PUT settings/webhook/{id}/retry`: redelivers one log record; resolves to the new record.
    #[wasm_bindgen(js_name = retryWebhook)]
    pub fn retry_webhook(&self, log_id: JsValue, options: JsValue) -> Promise {
        let operation =
            validate::id(&log_id, "logId").map(|id| Operation::Send(ops::retry_webhook(id), Expect::Object));
        self.start(operation, options)
    }

    /// `PUT settings/webhook/retry`: redelivers several; resolves to the new records.
    #[wasm_bindgen(js_name = retryWebhooks)]
    pub fn retry_webhooks(&self, log_ids: JsValue, options: JsValue) -> Promise {
        let operation =
            ops::retry_webhooks(&log_ids).map(|request| Operation::Send(request, Expect::List("new log records")));
        self.start(operation, options)
    }

    /// For `webhooksLogs()`: validates `filter` and starts a walk; returns the cursor, or the
    /// `invalid_input` error for the caller to throw (one value: see [`js::value_or_error`]).
    #[wasm_bindgen(js_name = __logCursor)]
    pub fn log_cursor(&self, filter: JsValue) -> JsValue {
        js::value_or_error(ops::parse_log_filter(&filter).map_err(|e| js::to_js_error(&e, None)).map(|filter| {
            let pager = LogPager::new(&filter);
            LogCursor { filter: Rc::new(filter), pager: Rc::new(RefCell::new(pager)) }
        }))
    }

    /// For `webhooksLogs()`: the items of the cursor's next page (an empty array at the end).
    #[wasm_bindgen(js_name = __nextPage)]
    pub fn next_page(&self, cursor: &LogCursor, options: JsValue) -> Promise {
        let operation = Operation::NextPage(Rc::clone(&cursor.pager), Rc::clone(&cursor.filter));
        self.start(Ok(operation), options)
    }
}

impl WebhooksClient {
    fn start(&self, operation: Result<Operation, DocSpaceError>, options: JsValue) -> Promise {
        future_to_promise(run(Rc::clone(&self.inner), operation, options))
    }
}

/// Where a `webhooksLogs()` walk is: the validated filter and the pager.
#[wasm_bindgen(skip_typescript)]
pub struct LogCursor {
    filter: Rc<LogFilter>,
    pager: Rc<RefCell<LogPager>>,
}

#[wasm_bindgen]
impl LogCursor {
    /// Whether another page may hold records.
    #[wasm_bindgen(getter)]
    pub fn more(&self) -> bool {
        !self.pager.borrow().is_done()
    }
}

impl Inner {
    /// The per-call settings (`{ signal, timeoutMs }`), checked.
    fn call(&self, options: &JsValue) -> Result<Call<'_>, DocSpaceError> {
        let settings = ops::parse_call_options(options)?;
        let signal = match settings.has_signal {
            true => {
                let value = options.get("signal");
                match docspace_webhooks_core::js_view::instance_of::<web_sys::AbortSignal>(&value) {
                    Some(signal) => Some(signal),
                    None => return Err(validate::wrong_type("options.signal", "an AbortSignal", value.kind())),
                }
            }
            false => None,
        };
        Ok(Call {
            config: &self.config,
            headers: &self.headers,
            fetch: self.fetch.as_ref(),
            hooks: &self.hooks,
            signal,
            timeout_ms: settings.timeout_ms.unwrap_or(self.config.timeout_ms),
        })
    }
}

impl Call<'_> {
    async fn execute(&self, operation: Operation) -> Result<JsValue, transport::Failure> {
        match operation {
            Operation::Send(request, expect) => {
                let answer = self.run(&request).await?;
                Ok(expect.check(answer)?)
            }
            Operation::Rewrite(id, rewrite) => {
                let list = self.run(&ops::get_tenant_webhooks()).await?;
                let list = ops::expect_object_list(list.response, "webhooks")?;
                let write = rewrite.request(id, &ops::find_webhook(&list, id)?)?;
                let answer = self.run(&write).await?;
                Ok(ops::expect_object_response(answer.response, "the answer")?)
            }
            Operation::NextPage(pager, filter) => {
                // The pager is never borrowed across the await: the next page is read first.
                let request = pager.borrow().next_request(&filter);
                let Some(request) = request else { return Ok(js_sys::Array::new().into()) };
                let answer = self.run(&request).await;
                let mut pager = pager.borrow_mut();
                let page = answer.and_then(|answer| {
                    let items = ops::expect_object_list(answer.response, "log records")?;
                    Ok((items, answer.total))
                });
                match page {
                    Ok((items, total)) => {
                        pager.after_page(items.len(), total);
                        Ok(items)
                    }
                    Err(failure) => {
                        pager.finish();
                        Err(failure)
                    }
                }
            }
        }
    }
}

impl Expect {
    fn check(self, answer: envelope::Success<JsValue>) -> Result<JsValue, DocSpaceError> {
        match self {
            Expect::Object => ops::expect_object_response(answer.response, "the answer"),
            Expect::List(what) => ops::expect_object_list(answer.response, what),
            Expect::Triggers => to_js(&ops::decode_triggers(&answer.response)?),
            Expect::LogPage(start_index) => {
                let items = ops::expect_object_list(answer.response, "log records")?;
                let count = items.len() as f64;
                let page = Object::new();
                js::set(&page, "items", items);
                js::set(&page, "total", JsValue::from(answer.total.unwrap_or(f64::from(start_index) + count)));
                js::set(&page, "startIndex", JsValue::from(start_index));
                js::set(&page, "count", JsValue::from(count));
                Ok(page.into())
            }
        }
    }
}

/// Rust data (the normalised trigger list) as plain JS objects.
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, DocSpaceError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| DocSpaceError::new(ErrorKind::InvalidResponse, format!("could not convert the answer: {e}")))
}
