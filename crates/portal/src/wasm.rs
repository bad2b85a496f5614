//! The portal core as a wasm-bindgen class for its Node host (`pkg/portal/`): the host passes
//! an object with the I/O functions, and feeds HTTP requests in.

use super::state::{State, User};
use super::{Answer, Io, LocalBoxFuture, Outgoing, Portal, RateLimit, Request, Response, SendError, Settings};
use crate::url::{Host, Url};
use crate::view::View;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::future::Future;
use std::net::IpAddr;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The host object: `{ now, resolve, probe, post, sleep, changed, log }`.
pub struct JsIo {
    host: JsValue,
}

impl JsIo {
    fn function(&self, name: &str) -> Option<Function> {
        Reflect::get(&self.host, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()
    }

    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let function =
            self.function(name).ok_or_else(|| JsValue::from_str(&format!("the portal host has no {name}()")))?;
        function.apply(&self.host, &args.iter().collect::<Array>())
    }

    fn promise(&self, name: &str, args: &[JsValue]) -> LocalBoxFuture<Result<JsValue, JsValue>> {
        let started = self.call(name, args);
        Box::pin(async move { JsFuture::from(Promise::resolve(&started?)).await })
    }
}

fn set(target: &Object, key: &str, value: JsValue) {
    // Setting a data property on an object we just created cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

fn message(error: &JsValue) -> String {
    error.get("message").string().or_else(|| error.as_string()).unwrap_or_else(|| "unknown error".to_string())
}

fn pairs(headers: &[(String, String)]) -> JsValue {
    headers
        .iter()
        .map(|(name, value)| Array::of2(&JsValue::from_str(name), &JsValue::from_str(value)))
        .collect::<Array>()
        .into()
}

/// Where the host connects: `{ scheme, address, port, path, authority, servername, href }`.
/// The host uses these parts as they are: it never parses the URL itself.
fn target(url: &Url, address: IpAddr, verify_tls: bool) -> Object {
    let spec = Object::new();
    let servername = match &url.host {
        Host::Name(name) => JsValue::from_str(name),
        Host::V4(_) | Host::V6(_) => JsValue::NULL,
    };
    for (key, value) in [
        ("scheme", JsValue::from_str(&url.scheme)),
        ("address", JsValue::from_str(&address.to_string())),
        ("port", JsValue::from(url.effective_port())),
        ("path", JsValue::from_str(&url.path)),
        ("authority", JsValue::from_str(&url.authority())),
        ("servername", servername),
        ("href", JsValue::from_str(&url.href())),
        ("verifyTls", JsValue::from_bool(verify_tls)),
    ] {
        set(&spec, key, value);
    }
    spec
}

fn read_pairs(value: &JsValue) -> Vec<(String, String)> {
    (0..value.len())
        .filter_map(|i| {
            let pair = value.at(i);
            Some((pair.at(0).string()?, pair.at(1).string()?))
        })
        .collect()
}

impl Io for JsIo {
    fn now_ms(&self) -> f64 {
        self.call("now", &[]).ok().and_then(|n| n.as_f64()).unwrap_or_else(js_sys::Date::now)
    }

    fn resolve(&self, host: &str) -> LocalBoxFuture<Result<Vec<IpAddr>, String>> {
        let pending = self.promise("resolve", &[JsValue::from_str(host)]);
        Box::pin(async move {
            let list = pending.await.map_err(|e| message(&e))?;
            Ok((0..list.len()).filter_map(|i| list.at(i).string()?.parse().ok()).collect())
        })
    }

    fn probe(&self, url: &Url, address: IpAddr, verify_tls: bool) -> LocalBoxFuture<Result<u16, String>> {
        let pending = self.promise("probe", &[target(url, address, verify_tls).into()]);
        Box::pin(async move {
            let status = pending.await.map_err(|e| message(&e))?;
            status.as_f64().map(|n| n as u16).ok_or_else(|| "the probe gave no status".to_string())
        })
    }

    fn post(&self, request: Outgoing) -> LocalBoxFuture<Result<Answer, SendError>> {
        let spec = target(&request.target, request.address, request.verify_tls);
        for (key, value) in [
            ("headers", pairs(&request.headers)),
            ("body", JsValue::from_str(&request.body)),
            ("timeoutMs", JsValue::from_f64(request.timeout_ms)),
        ] {
            set(&spec, key, value);
        }
        let pending = self.promise("post", &[spec.into()]);
        Box::pin(async move {
            match pending.await {
                Ok(answer) => Ok(Answer {
                    status: answer.get("status").number().unwrap_or(0.0) as u16,
                    status_text: answer.get("statusText").string().unwrap_or_default(),
                    headers: read_pairs(&answer.get("headers")),
                    body: answer.get("body").string().unwrap_or_default(),
                }),
                Err(error) if error.get("kind").string().as_deref() == Some("timeout") => {
                    Err(SendError::Timeout(message(&error)))
                }
                Err(error) => Err(SendError::Network(message(&error))),
            }
        })
    }

    fn sleep(&self, ms: f64) -> LocalBoxFuture<()> {
        let pending = self.promise("sleep", &[JsValue::from_f64(ms)]);
        Box::pin(async move {
            let _ = pending.await;
        })
    }

    fn spawn(&self, task: LocalBoxFuture<()>) {
        wasm_bindgen_futures::spawn_local(task);
    }

    fn changed(&self) {
        let _ = self.call("changed", &[]);
    }

    fn persisted(&self) -> LocalBoxFuture<()> {
        // A host without a data file has nothing to wait for and answers undefined.
        match self.call("persisted", &[]) {
            Ok(pending) if !pending.is_undefined() && !pending.is_null() => {
                let pending = JsFuture::from(Promise::resolve(&pending));
                Box::pin(async move {
                    // A failed write was reported by the host; the delivery goes on regardless.
                    let _ = pending.await;
                })
            }
            _ => Box::pin(async {}),
        }
    }

    fn log(&self, line: String) {
        let _ = self.call("log", &[JsValue::from_str(&line)]);
    }
}

/// `application/x-www-form-urlencoded` decoding of a query string.
fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
            match (bytes.get(i), hex(i + 1), hex(i + 2)) {
                (Some(b'%'), Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                }
                (Some(byte), _, _) => {
                    out.push(*byte);
                    i += 1;
                }
                (None, _, _) => break,
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// `retryRateLimit`: `true` for the server's policy, `{ limit?, windowMs? }` to tune it (tests),
/// anything else off. The host has validated it.
fn rate_limit(value: &JsValue) -> Option<RateLimit> {
    let server = RateLimit::SERVER;
    match value.boolean() {
        Some(true) => Some(server),
        Some(false) => None,
        None if value.is_object() => Some(RateLimit {
            limit: value.get("limit").number().filter(|n| *n >= 1.0).map_or(server.limit, |n| n as usize),
            window_ms: value.get("windowMs").number().filter(|n| *n > 0.0).unwrap_or(server.window_ms),
        }),
        None => None,
    }
}

fn response_object(response: &Response) -> JsValue {
    let out = Object::new();
    set(&out, "status", JsValue::from(response.status));
    set(&out, "headers", pairs(&response.headers));
    set(&out, "body", JsValue::from_str(&response.body));
    set(&out, "changed", JsValue::from_bool(response.changed));
    set(&out, "reusable", JsValue::from_bool(response.reusable));
    out.into()
}

#[wasm_bindgen(skip_typescript)]
pub struct PortalCore {
    portal: Rc<Portal<JsIo>>,
}

#[wasm_bindgen]
impl PortalCore {
    /// `new PortalCore(host, settings, usersJson | null, stateJson | null)`. Throws for a data
    /// file that is not a portal state, so the host can refuse to start (and not overwrite it).
    #[wasm_bindgen(constructor)]
    pub fn new(
        host: JsValue,
        settings: JsValue,
        users: Option<String>,
        state: Option<String>,
    ) -> Result<PortalCore, JsValue> {
        let mut loaded = match state {
            Some(text) => State::from_json(&text).map_err(|e| js_sys::Error::new(&e))?,
            None => State::new(Vec::new()),
        };
        if let Some(text) = users {
            loaded.users =
                serde_json::from_str::<Vec<User>>(&text).map_err(|e| js_sys::Error::new(&format!("bad users: {e}")))?;
            loaded.check().map_err(|e| js_sys::Error::new(&e))?;
        }
        let defaults = Settings::default();
        let settings = Settings {
            allow_loopback: settings.get("allowLoopback").boolean().unwrap_or(defaults.allow_loopback),
            time_scale: settings
                .get("timeScale")
                .number()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .unwrap_or(defaults.time_scale),
            retry_rate_limit: rate_limit(&settings.get("retryRateLimit")),
            delivery_timeout_ms: settings
                .get("deliveryTimeoutMs")
                .number()
                .filter(|n| *n > 0.0)
                .unwrap_or(defaults.delivery_timeout_ms),
        };
        Ok(PortalCore { portal: Portal::new(JsIo { host }, settings, loaded) })
    }

    /// Answers one API request: `{ status, headers: [name, value][], body, changed, reusable }`, or a
    /// promise of it when the answer waits for I/O (the HEAD probe of a create, update or
    /// enable). Everything else (lists, the log, deletes, retries, events, every refusal) is
    /// answered at once, without a promise per request. `changed`: the state moved meanwhile,
    /// so a host with a data file holds the answer until that is on disk.
    #[allow(clippy::too_many_arguments)]
    pub fn respond(
        &self,
        method: String,
        path: String,
        query: String,
        authorization: Option<String>,
        content_type: Option<String>,
        href: String,
        body: String,
    ) -> JsValue {
        let request = Request { method, path, query: parse_query(&query), authorization, content_type, href, body };
        let portal = Rc::clone(&self.portal);
        let mut answer = Box::pin(async move { portal.handle(request).await });
        // Polled once here; a pending answer is polled again by the promise's executor, whose
        // waker then replaces this no-op one in whatever it waits on.
        match answer.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(response) => response_object(&response),
            Poll::Pending => {
                wasm_bindgen_futures::future_to_promise(async move { Ok(response_object(&answer.await)) }).into()
            }
        }
    }

    /// Fans an event out, as `POST /stand-in/events` does; returns the created log ids.
    pub fn emit(
        &self,
        actor: String,
        trigger: JsValue,
        data: String,
        target: Option<String>,
    ) -> Result<Vec<u32>, JsValue> {
        let bit = match trigger.as_string() {
            Some(name) => crate::triggers::by_name(&name).map(|def| def.bit),
            None => trigger.as_f64().map(|n| n as u64).and_then(crate::triggers::by_bit).map(|def| def.bit),
        }
        .filter(|bit| *bit != 0)
        .ok_or_else(|| {
            js_sys::Error::new("emit: trigger must be one event, like \"FileUploaded\", \"file.uploaded\" or 256")
        })?;
        let data =
            serde_json::from_str(&data).map_err(|e| js_sys::Error::new(&format!("emit: data is not JSON: {e}")))?;
        Ok(self.portal.emit(&actor, bit, data, target))
    }

    /// Whether an `Authorization` header value names a user (for the host's inbox routes).
    #[wasm_bindgen(js_name = isCaller)]
    pub fn is_caller(&self, authorization: Option<String>) -> bool {
        self.portal.is_caller(authorization.as_deref())
    }

    /// Test hook: replaces the whole state with `stateJson` (the data file's format), checked as
    /// a data file is.
    #[wasm_bindgen(js_name = replaceState)]
    pub fn replace_state(&self, state: String) -> Result<(), JsValue> {
        let state = State::from_json(&state).map_err(|e| js_sys::Error::new(&e))?;
        self.portal.replace_state(state);
        Ok(())
    }

    /// Test hook: answer the triggers list as servers before 3.7 did.
    #[wasm_bindgen(js_name = useLegacyTriggers)]
    pub fn use_legacy_triggers(&self, on: bool) {
        self.portal.use_legacy_triggers(on);
    }

    /// The whole state as JSON (what the data file holds).
    pub fn snapshot(&self) -> String {
        self.portal.snapshot()
    }

    /// The users as JSON.
    pub fn users(&self) -> String {
        serde_json::to_string(&self.portal.users()).unwrap_or_default()
    }
}
