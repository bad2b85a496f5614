//! Runs an [`HttpRequest`] through `fetch`: auth header, per-attempt timeout, the caller's
//! `AbortSignal`, retries with backoff, and the envelope. The request is built with gloo-net;
//! the call itself binds the *global* `fetch` (or the injected one), so the same wasm works in
//! Node, browsers and workers. We do not use gloo-net's `send`/`text`: they panic when a
//! promise rejects with something that is not an `Error` (e.g. `abort("stop")`).

use crate::envelope::{self, Body, Success};
use crate::error::{DocSpaceError, ErrorKind};
use crate::js;
use crate::operations::{HttpRequest, Method};
use crate::options::ClientConfig;
use crate::retry::{self, Attempt};
use crate::view::View;
use docspace_webhooks_core::js_view;
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestCredentials};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// How much of a foreign body an error message quotes.
const EXCERPT_CHARS: usize = 200;

/// The client's optional observers of its HTTP traffic.
#[derive(Default)]
pub struct Hooks {
    /// Called with `{ method, url, attempt }` before each attempt.
    pub on_request: Option<Function>,
    /// Called with the response summary (see [`response_info`]) after each answer.
    pub on_response: Option<Function>,
    /// The latest response summary, for `client.lastResponse`.
    pub last_response: RefCell<JsValue>,
}

impl Hooks {
    fn notify(hook: &Option<Function>, info: &JsValue) {
        if let Some(hook) = hook {
            // A throwing observer must not break the call it observes.
            let _ = hook.call1(&JsValue::UNDEFINED, info);
        }
    }
}

/// Everything one call needs besides the request.
pub struct Call<'a> {
    pub config: &'a ClientConfig,
    pub fetch: Option<&'a Function>,
    pub hooks: &'a Hooks,
    pub signal: Option<&'a AbortSignal>,
    pub timeout_ms: u32,
}

/// What one attempt produced: an HTTP answer, or a failure without one.
enum Outcome {
    Answer { status: u16, body: Body<JsValue>, retry_after: Option<f64> },
    Failed { attempt: Attempt, error: DocSpaceError },
}

impl Call<'_> {
    /// Runs `request` to a decoded envelope, retrying idempotent calls as `retry` allows.
    pub async fn run(&self, request: &HttpRequest) -> Result<Success<JsValue>, DocSpaceError> {
        self.run_unredacted(request).await.map_err(|error| error.redact(&self.config.auth.secrets()))
    }

    async fn run_unredacted(&self, request: &HttpRequest) -> Result<Success<JsValue>, DocSpaceError> {
        let body = match &request.body {
            Some(body) => Some(json_text(body)?),
            None => None,
        };
        let mut attempts = 0;
        loop {
            self.check_not_aborted()?;
            attempts += 1;
            let outcome = self.attempt(request, body.as_deref(), attempts).await;
            let (attempt, result) = match outcome {
                Outcome::Answer { status, body, retry_after } => {
                    (Attempt::Answered { status, retry_after }, envelope::decode(status, body, retry_after))
                }
                Outcome::Failed { attempt, error } => (attempt, Err(error)),
            };
            if result.is_ok() {
                return result;
            }
            let aborted = matches!(&result, Err(e) if e.kind == ErrorKind::Aborted);
            let delay = retry::next_delay_ms(
                request.idempotent,
                attempts,
                self.config.retries,
                attempt,
                js_sys::Math::random(),
            );
            match delay {
                Some(ms) if !aborted => self.sleep(ms).await?,
                _ => return result,
            }
        }
    }

    fn check_not_aborted(&self) -> Result<(), DocSpaceError> {
        match self.signal {
            Some(signal) if signal.aborted() => Err(aborted_error(signal)),
            _ => Ok(()),
        }
    }

    async fn attempt(&self, request: &HttpRequest, body: Option<&str>, attempt: u32) -> Outcome {
        let controller = match AbortController::new() {
            Ok(controller) => controller,
            Err(_) => return failed(Attempt::NetworkError, "AbortController is not available in this runtime"),
        };
        // Both the timer and the caller's signal abort this attempt's controller; which one
        // fired is told apart afterwards by looking at the caller's signal.
        let abort = match Reflect::get(&controller, &JsValue::from_str("abort")) {
            Ok(function) => function.unchecked_into::<Function>().bind0(&controller),
            Err(_) => return failed(Attempt::NetworkError, "AbortController.abort is not available"),
        };
        let timer = set_timeout(&abort, f64::from(self.timeout_ms));
        if let Some(signal) = self.signal {
            let _ = signal.add_event_listener_with_callback("abort", &abort);
        }
        let outcome = self.exchange(request, body, &controller.signal(), attempt).await;
        clear_timeout(&timer);
        if let Some(signal) = self.signal {
            let _ = signal.remove_event_listener_with_callback("abort", &abort);
        }
        match outcome {
            Ok(answer) => answer,
            Err(cause) => self.classify_failure(request, &controller, &cause),
        }
    }

    /// Sends the request and reads the whole answer; `Err` carries what the JS side threw.
    async fn exchange(
        &self,
        request: &HttpRequest,
        body: Option<&str>,
        signal: &AbortSignal,
        attempt: u32,
    ) -> Result<Outcome, JsValue> {
        let web_request = match self.build(request, body, signal) {
            Ok(web_request) => web_request,
            Err(error) => return Ok(Outcome::Failed { attempt: Attempt::NetworkError, error }),
        };
        let started = js_sys::Date::now();
        let url = web_request.url();
        // Observers get fresh objects: what they keep does not change under them.
        let describe = || {
            let info = Object::new();
            js::set(&info, "method", JsValue::from_str(request.method.as_str()));
            js::set(&info, "url", JsValue::from_str(&url));
            js::set(&info, "attempt", JsValue::from(attempt));
            info
        };
        Hooks::notify(&self.hooks.on_request, &describe().into());
        let pending = match self.fetch {
            Some(fetch) => fetch.call1(&JsValue::UNDEFINED, &web_request)?,
            None => global_fetch(&web_request)?,
        };
        let response = JsFuture::from(Promise::resolve(&pending)).await?;
        if response.get("status").number().is_none() {
            return Ok(failed(
                Attempt::NetworkError,
                "the fetch function resolved to something that is not a Response",
            ));
        }
        let response: web_sys::Response = response.unchecked_into();
        let status = response.status();
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let retry_after =
            header("retry-after").and_then(|value| envelope::parse_retry_after(&value, js_sys::Date::now()));
        let content_type = header("content-type").unwrap_or_default();
        // The body stays a JS string: parsed where it is, not copied into wasm and back.
        let text = JsFuture::from(response.text()?).await?;

        let summary = describe();
        js::set(&summary, "status", JsValue::from(status));
        js::set(&summary, "headers", headers_object(&response.headers()));
        js::set(&summary, "durationMs", JsValue::from(js_sys::Date::now() - started));
        let summary: JsValue = summary.into();
        self.hooks.last_response.replace(summary.clone());
        Hooks::notify(&self.hooks.on_response, &summary);

        Ok(Outcome::Answer { status, body: parse_body(&text, content_type), retry_after })
    }

    fn build(
        &self,
        request: &HttpRequest,
        body: Option<&str>,
        signal: &AbortSignal,
    ) -> Result<web_sys::Request, DocSpaceError> {
        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Put => HttpMethod::PUT,
            Method::Delete => HttpMethod::DELETE,
        };
        let url = format!("{}{}", self.config.base_url, request.path);
        let mut builder =
            RequestBuilder::new(&url).method(method).header("Accept", "application/json").abort_signal(Some(signal));
        if !request.query.is_empty() {
            builder = builder.query(request.query.iter().map(|(key, value)| (*key, value.as_str())));
        }
        if let Some(authorization) = self.config.auth.header() {
            builder = builder.header("Authorization", &authorization);
        }
        if let Some(credentials) = self.config.credentials {
            builder = builder.credentials(match credentials {
                crate::options::Credentials::Include => RequestCredentials::Include,
                crate::options::Credentials::SameOrigin => RequestCredentials::SameOrigin,
                crate::options::Credentials::Omit => RequestCredentials::Omit,
            });
        }
        let built = match body {
            Some(json) => builder.header("Content-Type", "application/json").body(json),
            None => builder.build(),
        };
        built.map(Into::into).map_err(|error| {
            DocSpaceError::new(ErrorKind::InvalidInput, format!("could not build the request for {url}: {error}"))
        })
    }

    fn classify_failure(&self, request: &HttpRequest, controller: &AbortController, cause: &JsValue) -> Outcome {
        let target = format!("{} {}{}", request.method.as_str(), self.config.base_url, request.path);
        if let Some(signal) = self.signal.filter(|signal| signal.aborted()) {
            return Outcome::Failed { attempt: Attempt::NetworkError, error: aborted_error(signal) };
        }
        if controller.signal().aborted() {
            let error =
                DocSpaceError::new(ErrorKind::Timeout, format!("no answer within {} ms ({target})", self.timeout_ms));
            return Outcome::Failed { attempt: Attempt::TimedOut, error };
        }
        let error = DocSpaceError::new(
            ErrorKind::Network,
            format!("could not reach the portal ({target}): {}", describe_js_error(cause)),
        );
        Outcome::Failed { attempt: Attempt::NetworkError, error }
    }

    /// Waits `ms` before the next attempt; the caller's signal cuts the wait short.
    async fn sleep(&self, ms: f64) -> Result<(), DocSpaceError> {
        let mut reject_on_abort: Option<Function> = None;
        let wait = Promise::new(&mut |resolve, reject| {
            set_timeout(&resolve, ms);
            if let Some(signal) = self.signal {
                let _ = signal.add_event_listener_with_callback("abort", &reject);
                reject_on_abort = Some(reject);
            }
        });
        let woke = JsFuture::from(wait).await;
        if let (Some(signal), Some(reject)) = (self.signal, reject_on_abort) {
            let _ = signal.remove_event_listener_with_callback("abort", &reject);
        }
        match woke {
            Ok(_) => Ok(()),
            Err(_) => {
                Err(self.signal.map(aborted_error).unwrap_or_else(|| DocSpaceError::new(ErrorKind::Aborted, "aborted")))
            }
        }
    }
}

/// Response headers as a plain `{ name: value }` object (names lower-case, as `Headers` gives them).
fn headers_object(headers: &web_sys::Headers) -> JsValue {
    let object = Object::new();
    if let Ok(Some(entries)) = js_sys::try_iter(headers) {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let Some(name) = pair.get(0).as_string() {
                js::set(&object, &name, pair.get(1));
            }
        }
    }
    object.into()
}

fn failed(attempt: Attempt, message: &str) -> Outcome {
    Outcome::Failed { attempt, error: DocSpaceError::new(ErrorKind::Network, message) }
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
    if let Some(text) = value.as_string() {
        return excerpt(&text);
    }
    let mut text =
        value.get("message").string().filter(|m| !m.is_empty()).unwrap_or_else(|| "unknown error".to_string());
    let cause = value.get("cause");
    let code = cause.get("code").string().or_else(|| value.get("code").string());
    let cause_message = cause.get("message").string().filter(|m| *m != text);
    match (code, cause_message) {
        (Some(code), Some(message)) => text = format!("{text} ({code}: {message})"),
        (Some(code), None) => text = format!("{text} ({code})"),
        (None, Some(message)) => text = format!("{text} ({message})"),
        (None, None) => {}
    }
    excerpt(&text)
}

fn excerpt(text: &str) -> String {
    let mut short: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        short.push('…');
    }
    short
}

fn parse_body(text: &JsValue, content_type: String) -> Body<JsValue> {
    match js_view::parse_json_text(text) {
        Ok(json) if json.is_undefined() => Body::Empty,
        Ok(json) => Body::Json(json),
        Err(_) => Body::NotJson { excerpt: excerpt(text.as_string().unwrap_or_default().trim()), content_type },
    }
}

/// The request body as JSON text. Numbers stay JS numbers (masks up to 2^53 are exact).
fn json_text(body: &impl serde::Serialize) -> Result<String, DocSpaceError> {
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|error| {
        DocSpaceError::new(ErrorKind::InvalidInput, format!("could not encode the request body: {error}"))
    })?;
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| DocSpaceError::new(ErrorKind::InvalidInput, "could not encode the request body"))
}
