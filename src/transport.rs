//! Runs an [`HttpRequest`] through `fetch`: auth header, per-attempt timeout, the caller's
//! `AbortSignal`, retries with backoff, and the envelope. The call binds the *global* `fetch`
//! (or the injected one), so the same wasm works in Node, browsers and workers; the global one
//! gets the URL and a web-sys `RequestInit`, an injected one the `Request` it is documented to
//! take. (gloo-net, which this used to build requests with, makes two `Request`s and a `URL`
//! per call, a quarter of a call's CPU in Node; its `send`/`text` panic when a promise rejects
//! with something that is not an `Error`, and its `Headers` throw on hostile values.)
//!
//! What crosses into wasm per call is kept small: the request body stays the JS string
//! `JSON.stringify` made, the answer's text is parsed where it is, the summary that
//! `onResponse` and `lastResponse` show is only built when one of them asks, and the answer is
//! awaited through [`settle`](crate::settle) (no closures made per attempt).

use crate::envelope::{self, Body, Success};
use crate::error::{redact_text, DocSpaceError, ErrorKind};
use crate::js;
use crate::operations::{HttpRequest, Method, RequestBody};
use crate::options::{ClientConfig, Credentials};
use crate::retry::{self, Attempt};
use crate::settle::{self, Wait};
use crate::view::{Kind, View};
use docspace_webhooks_core::js_view;
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, called with the URL and the init (a `Request` made first would be
    /// built twice: undici makes its own from whatever it is given).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
}

// One attempt's JS side, in as few calls as possible: it replaced a timer object, five
// RequestInit setters, a [response, text] array read item by item and a call to end the timer
// (with the settle callback, a call's own CPU in Node fell from 29-33 to 25-26 µs, fetch
// answering from memory; see README, Performance). Rust still builds the request, calls
// `fetch` and decides what the answer means; this only holds what one attempt needs.
#[wasm_bindgen(inline_js = r#"
export class AttemptState {
  constructor(ms, caller) {
    this.controller = new AbortController();
    this.caller = caller;
    this.abort = () => this.controller.abort();
    this.timer = setTimeout(this.abort, ms);
    caller?.addEventListener("abort", this.abort, { once: true });
    this.status = -1;
    this.headers = undefined;
  }
  // The fetch init: a fresh object with its own copy of the headers, so a fetch wrapper that
  // writes into them never leaves a header behind for the next request.
  init(method, headers, body, credentials) {
    const init = { method, headers: Object.assign({}, headers), signal: this.controller.signal };
    if (body !== undefined) init.body = body;
    if (credentials !== undefined) init.credentials = credentials;
    return init;
  }
  // Settles the wait `key` (src/settle.rs) with the answer's whole text, once what fetch
  // returned has answered and its body has been read, or with what was thrown; the answer's
  // status and headers stay here. Something without a numeric status leaves status at -1
  // (for Rust to report). The timer and the listening end with the attempt, either way.
  answer(pending, key, settle) {
    Promise.resolve(pending)
      .then((response) => {
        let status;
        try {
          status = response.status;
        } catch {}
        if (typeof status !== "number") return undefined;
        this.status = status;
        this.headers = response.headers;
        return response.text();
      })
      .finally(() => this.end())
      .then(
        (text) => settle(key, text),
        (error) => settle(-key - 1, error),
      );
  }
  // The attempt is over: no timer, no listening. answer() ends it; Rust ends it when fetch
  // threw before there was anything to answer.
  end() {
    clearTimeout(this.timer);
    this.caller?.removeEventListener("abort", this.abort);
  }
  get timedOut() {
    return this.controller.signal.aborted;
  }
}
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
"#)]
extern "C" {
    /// One attempt: its timer (it aborts the attempt's signal after `ms`, or when the caller's
    /// signal aborts), its fetch init, and what the answer was.
    type AttemptState;
    #[wasm_bindgen(catch, constructor)]
    fn new(ms: u32, caller: Option<&AbortSignal>) -> Result<AttemptState, JsValue>;
    /// `{ method, headers (a copy), signal, body?, credentials? }`.
    #[wasm_bindgen(method)]
    fn init(
        this: &AttemptState,
        method: &str,
        headers: &Object,
        body: Option<&JsValue>,
        credentials: Option<&str>,
    ) -> RequestInit;
    /// Settles the wait `key` with the whole text of the answer to `pending` (what fetch
    /// returned), or with what was thrown; ends the attempt's timer.
    #[wasm_bindgen(method)]
    fn answer(this: &AttemptState, pending: &JsValue, key: f64, settle: &JsValue);
    /// The answer's HTTP status, or -1 when fetch resolved to something that is not a Response.
    #[wasm_bindgen(method, getter)]
    fn status(this: &AttemptState) -> i32;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &AttemptState) -> web_sys::Headers;
    /// Stops the timer and the listening, when `answer` will not be called.
    #[wasm_bindgen(method)]
    fn end(this: &AttemptState);
    /// Whether the attempt's own signal aborted (its timer, or the caller's signal).
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &AttemptState) -> bool;
    /// Resolves after `ms`; rejects as soon as `signal` aborts.
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;
}

/// How much of a foreign body an error message quotes.
const EXCERPT_CHARS: usize = 200;

/// A failed call: the error, and the JS error behind it when there was one (a network failure
/// keeps the `TypeError` that `fetch` rejected with, as the `DocSpaceError`'s `cause`).
pub struct Failure {
    pub error: DocSpaceError,
    pub cause: Option<JsValue>,
}

impl From<DocSpaceError> for Failure {
    fn from(error: DocSpaceError) -> Self {
        Failure { error, cause: None }
    }
}

/// One answered attempt, kept as the JS objects it came in: the summary is built from them only
/// when `lastResponse` is read or `onResponse` is set.
struct Exchange {
    method: Method,
    url: String,
    attempt: u32,
    status: u16,
    /// The answer's headers, not the `Response`: a kept `Response` would keep its body stream and
    /// the fetch's bookkeeping alive until the next call (in Node 6-19 µs of CPU a call on
    /// loopback, measured against keeping the `Response`). A `Response`'s headers are
    /// immutable, so reading them later gives what reading them now would.
    headers: web_sys::Headers,
    duration_ms: f64,
}

impl Exchange {
    /// `{ method, url, attempt }`, the part `onRequest` sees.
    fn request_info(method: Method, url: &str, attempt: u32) -> Object {
        let info = Object::new();
        js::set(&info, "method", JsValue::from_str(method.as_str()));
        js::set(&info, "url", JsValue::from_str(url));
        js::set(&info, "attempt", JsValue::from(attempt));
        info
    }

    /// `{ method, url, attempt, status, headers, durationMs }`: a fresh object each time, so what
    /// an observer keeps does not change under it.
    fn summary(&self) -> JsValue {
        let info = Exchange::request_info(self.method, &self.url, self.attempt);
        js::set(&info, "status", JsValue::from(self.status));
        js::set(&info, "headers", js::headers_object(&self.headers));
        js::set(&info, "durationMs", JsValue::from(self.duration_ms));
        info.into()
    }
}

/// The client's optional observers of its HTTP traffic, and the latest answer.
pub struct Hooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
    last: RefCell<Option<Exchange>>,
}

impl Hooks {
    pub fn new(on_request: Option<Function>, on_response: Option<Function>) -> Self {
        Hooks { on_request, on_response, last: RefCell::new(None) }
    }

    /// `client.lastResponse`.
    pub fn last_response(&self) -> JsValue {
        self.last.borrow().as_ref().map_or(JsValue::UNDEFINED, Exchange::summary)
    }

    fn notify(hook: &Function, info: &JsValue) {
        // A throwing observer must not break the call it observes.
        let _ = hook.call1(&JsValue::UNDEFINED, info);
    }
}

/// The request headers of a client, built once (its credentials never change); each attempt's
/// init gets its own copy.
pub struct RequestHeaders {
    plain: Object,
    json: Object,
}

impl RequestHeaders {
    pub fn new(config: &ClientConfig) -> Self {
        let plain = Object::new();
        js::set(&plain, "accept", JsValue::from_str("application/json"));
        if let Some(authorization) = config.auth.header() {
            js::set(&plain, "authorization", JsValue::from(authorization));
        }
        let json = Object::assign(&Object::new(), &plain);
        js::set(&json, "content-type", JsValue::from_str("application/json"));
        RequestHeaders { plain, json }
    }

    /// The headers for a request with or without a JSON body (the attempt copies them).
    fn for_request(&self, with_json_body: bool) -> &Object {
        if with_json_body {
            &self.json
        } else {
            &self.plain
        }
    }
}

/// Everything one call needs besides the request.
pub struct Call<'a> {
    pub config: &'a ClientConfig,
    pub headers: &'a RequestHeaders,
    pub fetch: Option<&'a Function>,
    pub hooks: &'a Hooks,
    pub signal: Option<AbortSignal>,
    pub timeout_ms: u32,
}

/// What one attempt produced: an HTTP answer, or a failure without one.
enum Outcome {
    Answer { status: u16, body: Body<JsValue>, retry_after: Option<f64> },
    Failed { attempt: Attempt, failure: Failure },
}

impl Call<'_> {
    /// Runs `request` to a decoded envelope, retrying idempotent calls as `retry` allows. Every
    /// credential of the client and any secret the request carries is redacted from the error,
    /// and a `cause` that mentions one is replaced by a redacted copy.
    pub async fn run(&self, request: &HttpRequest) -> Result<Success<JsValue>, Failure> {
        let mut secrets = self.config.auth.secrets();
        if let Some(RequestBody::Webhook(body)) = &request.body {
            secrets.extend(body.secret_key.as_deref());
        }
        self.run_unredacted(request, &secrets).await.map_err(|Failure { error, cause }| Failure {
            error: error.redact(&secrets),
            cause: cause.map(|cause| js::redacted_error(cause, &secrets)),
        })
    }

    async fn run_unredacted(&self, request: &HttpRequest, secrets: &[&str]) -> Result<Success<JsValue>, Failure> {
        let body = match &request.body {
            Some(body) => Some(json_text(body)?),
            None => None,
        };
        let mut attempts = 0;
        loop {
            self.check_not_aborted()?;
            attempts += 1;
            let (attempt, result) = match self.attempt(request, body.as_ref(), attempts, secrets).await {
                Outcome::Answer { status, body, retry_after } => (
                    Attempt::Answered { status, retry_after },
                    envelope::decode(status, body, retry_after).map_err(Failure::from),
                ),
                Outcome::Failed { attempt, failure } => (attempt, Err(failure)),
            };
            let failure = match result {
                Ok(success) => return Ok(success),
                Err(failure) => failure,
            };
            let delay = match failure.error.kind {
                ErrorKind::Aborted => None,
                _ => retry::next_delay_ms(
                    request.idempotent,
                    attempts,
                    self.config.retries,
                    attempt,
                    js_sys::Math::random(),
                ),
            };
            match delay {
                Some(ms) => self.sleep(ms).await?,
                None => return Err(failure),
            }
        }
    }

    fn check_not_aborted(&self) -> Result<(), DocSpaceError> {
        match &self.signal {
            Some(signal) if signal.aborted() => Err(aborted_error(signal)),
            _ => Ok(()),
        }
    }

    async fn attempt(&self, request: &HttpRequest, body: Option<&JsValue>, attempt: u32, secrets: &[&str]) -> Outcome {
        let js = match AttemptState::new(self.timeout_ms, self.signal.as_ref()) {
            Ok(js) => js,
            Err(_) => return failed(Attempt::NetworkError, "AbortController is not available in this runtime"),
        };
        match self.exchange(request, body, &js, attempt, secrets).await {
            Ok(answer) => answer,
            Err(cause) => self.classify_failure(request, &js, cause),
        }
    }

    /// Sends the request and reads the whole answer; `Err` carries what the JS side threw.
    async fn exchange(
        &self,
        request: &HttpRequest,
        body: Option<&JsValue>,
        js: &AttemptState,
        attempt: u32,
        secrets: &[&str],
    ) -> Result<Outcome, JsValue> {
        let url = self.url(request);
        let credentials = self.config.credentials.map(Credentials::as_str);
        let init = js.init(request.method.as_str(), self.headers.for_request(body.is_some()), body, credentials);
        let started = js_sys::Date::now();
        if let Some(hook) = &self.hooks.on_request {
            Hooks::notify(hook, &Exchange::request_info(request.method, &url, attempt).into());
        }
        let sent = match self.fetch {
            // An injected fetch is called as fetch(request), as documented.
            Some(fetch) => web_sys::Request::new_with_str_and_init(&url, &init)
                .and_then(|request| fetch.call1(&JsValue::UNDEFINED, &request)),
            None => global_fetch(&url, &init),
        };
        let pending = sent.inspect_err(|_| js.end())?;
        // The body stays a JS string: parsed where it is, not copied into wasm and back.
        let wait = Wait::begin();
        settle::with_callback(|settle| js.answer(&pending, wait.key(), settle));
        let text = wait.await?;
        let Ok(status) = u16::try_from(js.status()) else {
            return Ok(failed(
                Attempt::NetworkError,
                "the fetch function resolved to something that is not a Response",
            ));
        };
        let headers = js.headers();
        let header = |name: &str| headers.get(name).ok().flatten();
        let now = js_sys::Date::now();
        // Only a 429's wait is used (for its retry and its error): other answers skip the read.
        let retry_after = match status {
            429 => header("retry-after").and_then(|value| envelope::parse_retry_after(&value, now)),
            _ => None,
        };
        let body = parse_body(&text, || header("content-type").unwrap_or_default(), secrets);
        let exchange = Exchange { method: request.method, url, attempt, status, headers, duration_ms: now - started };
        if let Some(hook) = &self.hooks.on_response {
            Hooks::notify(hook, &exchange.summary());
        }
        self.hooks.last.replace(Some(exchange));
        Ok(Outcome::Answer { status, body, retry_after })
    }

    /// The portal root, the path, and the query as `URLSearchParams` writes it.
    fn url(&self, request: &HttpRequest) -> String {
        let mut url = crate::text::concat(&[&self.config.base_url, &request.path]);
        for (index, (key, value)) in request.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            form_encode(value, &mut url);
        }
        url
    }

    fn classify_failure(&self, request: &HttpRequest, js: &AttemptState, cause: JsValue) -> Outcome {
        let target = format!("{} {}{}", request.method.as_str(), self.config.base_url, request.path);
        if let Some(signal) = self.signal.as_ref().filter(|signal| signal.aborted()) {
            return Outcome::Failed { attempt: Attempt::NetworkError, failure: aborted_error(signal).into() };
        }
        if js.timed_out() {
            let error =
                DocSpaceError::new(ErrorKind::Timeout, format!("no answer within {} ms ({target})", self.timeout_ms));
            return Outcome::Failed { attempt: Attempt::TimedOut, failure: error.into() };
        }
        let error = DocSpaceError::new(
            ErrorKind::Network,
            format!("could not reach the portal ({target}): {}", describe_js_error(&cause)),
        );
        let cause = cause.is_object().then_some(cause);
        Outcome::Failed { attempt: Attempt::NetworkError, failure: Failure { error, cause } }
    }

    /// Waits `ms` before the next attempt; the caller's signal cuts the wait short.
    async fn sleep(&self, ms: f64) -> Result<(), DocSpaceError> {
        match JsFuture::from(sleep(ms, self.signal.as_ref())).await {
            Ok(_) => Ok(()),
            Err(_) => Err(self
                .signal
                .as_ref()
                .map(aborted_error)
                .unwrap_or_else(|| DocSpaceError::new(ErrorKind::Aborted, "aborted"))),
        }
    }
}

/// `value` as `application/x-www-form-urlencoded` writes it: the unreserved characters as they
/// are, a space as `+`, every other byte of its UTF-8 as `%XX`.
fn form_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
}

fn failed(attempt: Attempt, message: &str) -> Outcome {
    Outcome::Failed { attempt, failure: DocSpaceError::new(ErrorKind::Network, message).into() }
}

fn aborted_error(signal: &AbortSignal) -> DocSpaceError {
    let reason = signal.reason();
    let detail = if reason.is_undefined() || reason.get("name").string().as_deref() == Some("AbortError") {
        String::new()
    } else {
        format!(": {}", describe_js_error(&reason))
    };
    DocSpaceError::new(ErrorKind::Aborted, format!("the request was aborted{detail}"))
}

/// A short text for whatever JS threw: `message (cause.code: cause.message)`.
fn describe_js_error(value: &JsValue) -> String {
    // A string of over a million characters is never copied in just to be cut.
    let text_of = |value: &JsValue| (value.kind() == Kind::String).then(|| value.string()).flatten();
    match value.kind() {
        Kind::LongString => return "(a text of over a million characters)".to_string(),
        Kind::String => return excerpt(&value.string().unwrap_or_default()),
        _ => {}
    }
    let mut text =
        text_of(&value.get("message")).filter(|m| !m.is_empty()).unwrap_or_else(|| "unknown error".to_string());
    let cause = value.get("cause");
    let code = text_of(&cause.get("code")).or_else(|| text_of(&value.get("code")));
    let cause_message = text_of(&cause.get("message")).filter(|m| *m != text);
    match (code, cause_message) {
        (Some(code), Some(message)) => text = format!("{text} ({code}: {message})"),
        (Some(code), None) => text = format!("{text} ({code})"),
        (None, Some(message)) => text = format!("{text} ({message})"),
        (None, None) => {}
    }
    excerpt(&text)
}

fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

/// The answer's body: JSON parsed in JS, or for anything else an excerpt for the message. The
/// text is redacted before it is cut, so that a cut never leaves half a secret behind.
fn parse_body(text: &JsValue, content_type: impl FnOnce() -> String, secrets: &[&str]) -> Body<JsValue> {
    match js_view::parse_json_text(text) {
        Ok(json) if json.is_undefined() => Body::Empty,
        Ok(json) => Body::Json(json),
        Err(_) => {
            let text = redact_text(text.as_string().unwrap_or_default().trim(), secrets);
            Body::NotJson { excerpt: excerpt(&text), content_type: content_type() }
        }
    }
}

/// The request body as the JS string `JSON.stringify` returns; it is handed to the request as it
/// is. Numbers stay JS numbers (masks up to 2^53 are exact).
fn json_text(body: &impl serde::Serialize) -> Result<JsValue, DocSpaceError> {
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|error| {
        DocSpaceError::new(ErrorKind::InvalidInput, format!("could not encode the request body: {error}"))
    })?;
    js_sys::JSON::stringify(&value)
        .map(JsValue::from)
        .map_err(|_| DocSpaceError::new(ErrorKind::InvalidInput, "could not encode the request body"))
}
