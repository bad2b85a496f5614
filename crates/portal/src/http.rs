//! The HTTP face of the portal: who is calling, which handler a method and path go to, the retry
//! endpoints' rate limit, and every failure in the server's answer shapes (contract §3).

use crate::envelope::{ApiError, ErrorEnvelope, Link, SuccessEnvelope, ValidationProblem};
use crate::error::FieldErrors;
use crate::routes;
use crate::state::User;
use crate::{Io, Portal, RateLimit};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::rc::Rc;
use subtle::ConstantTimeEq;

/// An API request as the host read it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    /// The `Content-Type` header, which decides whether a body is read at all (§3.4).
    pub content_type: Option<String>,
    /// The full request URL, for the envelope's `links`.
    pub href: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// JSON text, or empty (the 401 challenge, a path that matches no route).
    pub body: String,
    /// Whether the state changed while this request was handled: a host that keeps a data
    /// file holds the answer until that change is on disk.
    pub changed: bool,
    /// Whether the same request (method, URL and `Authorization` header) gets this same answer
    /// for as long as the state does not change, so a host may answer it again without asking.
    pub reusable: bool,
}

impl Response {
    fn bare(status: u16) -> Self {
        Response { status, headers: Vec::new(), body: String::new(), changed: false, reusable: false }
    }
}

/// What a method and path lead to, as ASP.NET's routing decides before anything else runs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Endpoint {
    List,
    Create,
    Update,
    Enable,
    Triggers,
    RetryMany,
    Log,
    Events,
    Delete(u32),
    RetryOne(u32),
}

enum Routing {
    Found(Endpoint),
    /// A route's template matches, its method does not.
    WrongMethod,
    /// No template matches: the server answers a bare 404 before authentication.
    NoRoute,
}

impl Endpoint {
    /// The endpoints whose action binds a JSON body (`[FromBody]` under `[ApiController]`): any
    /// other content type, or none, is a 415 before model validation (§3.4).
    fn reads_body(self) -> bool {
        matches!(self, Endpoint::Create | Endpoint::Update | Endpoint::Enable | Endpoint::RetryMany | Endpoint::Events)
    }
}

/// `{id:int}`: what `int.TryParse` takes (an optional sign, then digits, within int32). A
/// negative id matches the route and no row (it maps above every id the portal hands out).
fn int_segment(text: &str) -> Option<u32> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i32>().ok().map(|n| n as u32)
}

fn routing(method: &str, path: &str) -> Routing {
    let fixed = match path {
        routes::WEBHOOK => Some(match method {
            "GET" => Some(Endpoint::List),
            "POST" => Some(Endpoint::Create),
            "PUT" => Some(Endpoint::Update),
            _ => None,
        }),
        routes::WEBHOOK_ENABLE => Some((method == "PUT").then_some(Endpoint::Enable)),
        routes::WEBHOOK_TRIGGERS => Some((method == "GET").then_some(Endpoint::Triggers)),
        routes::WEBHOOK_RETRY => Some((method == "PUT").then_some(Endpoint::RetryMany)),
        routes::WEBHOOKS_LOG => Some((method == "GET").then_some(Endpoint::Log)),
        "/stand-in/events" => Some((method == "POST").then_some(Endpoint::Events)),
        _ => None,
    };
    let with_id = || -> Option<Option<Endpoint>> {
        let rest = path.strip_prefix(routes::WEBHOOK)?.strip_prefix('/')?;
        if let Some(id) = rest.strip_suffix("/retry").and_then(int_segment) {
            return Some((method == "PUT").then_some(Endpoint::RetryOne(id)));
        }
        let id = int_segment(rest)?;
        Some((method == "DELETE").then_some(Endpoint::Delete(id)))
    };
    match fixed.or_else(with_id) {
        Some(Some(endpoint)) => Routing::Found(endpoint),
        Some(None) => Routing::WrongMethod,
        None => Routing::NoRoute,
    }
}

/// Whether ASP.NET's JSON input formatter reads a body of this type: `application/json`,
/// `text/json` or `application/*+json`, parameters aside.
fn is_json(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else { return false };
    let media = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    media == "application/json"
        || media == "text/json"
        || media.strip_prefix("application/").is_some_and(|sub| sub.ends_with("+json") && sub.len() > 5)
}

/// Why a request failed, in the shapes of contract §3.
pub(crate) enum Failure {
    /// An exception: the `{error: …}` envelope.
    Exception(u16, String, &'static str),
    /// Model binding failed: the wrapped `ValidationProblemDetails`.
    Validation(FieldErrors),
    /// The retry endpoints' limiter: seconds until a slot frees up, and the limit.
    RateLimited { seconds: f64, limit: usize },
    /// A body endpoint called without a JSON content type.
    UnsupportedMediaType,
}

pub(crate) fn denied() -> Failure {
    Failure::Exception(403, "Access denied".into(), "System.Security.SecurityException")
}

pub(crate) fn not_found() -> Failure {
    Failure::Exception(404, "The record could not be found".into(), "ASC.Common.Web.ItemNotFoundException")
}

pub(crate) fn bad(message: impl Into<String>) -> Failure {
    Failure::Exception(400, message.into(), "System.ArgumentException")
}

/// A successful `response`, its `count`, and the log's `total`.
pub(crate) struct Success {
    /// Already JSON: serialised once, straight from the DTOs (no `Value` tree in between).
    pub(crate) response: Box<RawValue>,
    pub(crate) count: u64,
    pub(crate) total: Option<u64>,
}

pub(crate) fn ok<T: Serialize>(response: &T) -> Result<Success, Failure> {
    let response = serde_json::value::to_raw_value(response)
        .map_err(|e| Failure::Exception(500, e.to_string(), "System.Exception"))?;
    Ok(Success { response, count: 1, total: None })
}

impl<I: Io> Portal<I> {
    /// Whether `authorization` names a user of this portal (the host's own routes ask).
    pub fn is_caller(&self, authorization: Option<&str>) -> bool {
        self.caller(authorization).is_some()
    }

    /// The user an `Authorization` header names, picked as the server's handlers do (contract
    /// §4). Only `Bearer sk-…` (that exact, case-sensitive prefix; the rest trimmed) reaches
    /// the API-key handler. Anything else goes to the cookie / personal-token handler, which
    /// trims the value and, when it contains `Bearer`, drops its first seven characters; that
    /// handler knows no API keys, so an `sk-…` token it is given is refused. The stand-in's
    /// users with `sk-…` tokens are API keys; other tokens act as personal access tokens (bare,
    /// or after exactly `Bearer `).
    pub(crate) fn caller(&self, authorization: Option<&str>) -> Option<User> {
        let header = authorization.filter(|header| !header.is_empty())?;
        let token = match header.strip_prefix("Bearer ").map(str::trim) {
            Some(key) if key.starts_with("sk-") => key,
            _ => {
                let value = header.trim();
                let value = if value.contains("Bearer") { value.get("Bearer ".len()..)? } else { value };
                if value.starts_with("sk-") {
                    return None;
                }
                value
            }
        };
        if token.is_empty() {
            return None;
        }
        self.user_with_token(token)
    }

    /// The user holding `token`, compared in constant time: SHA-256 digests of equal length,
    /// every user compared, so the time taken does not tell how much of a guess was right.
    fn user_with_token(&self, token: &str) -> Option<User> {
        let wanted = Sha256::digest(token.as_bytes());
        let state = self.state.borrow();
        let mut digests = self.token_digests.borrow_mut();
        if digests.0 != self.version.get() || digests.1.len() != state.users.len() {
            *digests = (
                self.version.get(),
                state.users.iter().map(|user| Sha256::digest(user.token.as_bytes()).into()).collect(),
            );
        }
        let mut found = None;
        for (user, digest) in state.users.iter().zip(&digests.1) {
            let same: bool = digest[..].ct_eq(&wanted[..]).into();
            if same && found.is_none() {
                found = Some(user);
            }
        }
        found.cloned()
    }

    /// Answers one request. Never fails: every problem is a response.
    pub async fn handle(self: &Rc<Self>, request: Request) -> Response {
        let path = request.path.trim_end_matches('/').to_ascii_lowercase();
        let method = request.method.to_ascii_uppercase();
        if path == "/stand-in/health" {
            return Response {
                status: 200,
                headers: json_type(),
                body: r#"{"ok":true}"#.into(),
                changed: false,
                reusable: false,
            };
        }
        let endpoint = match routing(&method, &path) {
            Routing::NoRoute => return Response::bare(404),
            Routing::WrongMethod => None,
            Routing::Found(endpoint) => Some(endpoint),
        };
        let before = self.version.get();
        let Some(user) = self.caller(request.authorization.as_deref()) else {
            return Response::bare(401);
        };
        let result = match endpoint {
            None => Err(Failure::Exception(
                405,
                format!("The {method} method is not allowed here"),
                "System.NotSupportedException",
            )),
            Some(endpoint) if endpoint.reads_body() && !is_json(request.content_type.as_deref()) => {
                Err(Failure::UnsupportedMediaType)
            }
            Some(endpoint) => self.dispatch(endpoint, &path, &request, &user).await,
        };
        let mut response = match result {
            Ok(success) => self.success_response(success, &request.href, &method),
            Err(failure) => self.failure_response(failure, &request.href, &method),
        };
        response.changed = self.version.get() != before;
        // A list depends on the caller and the state only (a page polling it costs one
        // serialisation per change, not one per request).
        response.reusable = endpoint == Some(Endpoint::List) && response.status == 200 && !response.changed;
        response
    }

    fn success_response(&self, success: Success, href: &str, method: &str) -> Response {
        let envelope = SuccessEnvelope {
            response: success.response,
            count: success.count,
            total: success.total,
            links: vec![Link { href: href.to_string(), action: method.to_string() }],
            status: 0,
            status_code: 200,
        };
        enveloped(200, &envelope)
    }

    pub(crate) fn failure_response(&self, failure: Failure, href: &str, method: &str) -> Response {
        let exception = |status: u16, message: String, type_name: Option<&str>| {
            let stack =
                type_name.map(|_| "   at ASC.Web.Api.Controllers.Settings.WebhooksController (stand-in)".to_string());
            let error = ApiError {
                message,
                type_name: type_name.map(str::to_string),
                stack,
                hresult: if type_name.is_some() { -2146233088 } else { 0 },
            };
            let body =
                serde_json::to_string(&ErrorEnvelope { error, status: 1, status_code: status }).unwrap_or_default();
            Response { status, headers: json_type(), body, changed: false, reusable: false }
        };
        match failure {
            Failure::Exception(status, message, type_name) => exception(status, message, Some(type_name)),
            // Both are the success shape around ASP.NET's problem details (§3.4). Only a
            // ValidationProblemDetails moves the envelope's status fields; [ApiController]'s 415
            // keeps `status: 0, statusCode: 200` under its HTTP 415.
            Failure::Validation(errors) => {
                let problem = ValidationProblem::new(errors, self.next_trace());
                enveloped(400, &problem_envelope(problem, href, method, 1, 400))
            }
            Failure::UnsupportedMediaType => {
                let problem = serde_json::json!({
                    "type": "https://tools.ietf.org/html/rfc9110#section-15.5.16",
                    "title": "Unsupported Media Type",
                    "status": 415,
                    "traceId": self.next_trace(),
                });
                enveloped(415, &problem_envelope(problem, href, method, 0, 200))
            }
            Failure::RateLimited { seconds, limit } => {
                let mut response = exception(429, "Too many requests".into(), None);
                let wait = seconds.ceil().max(1.0).to_string();
                response.headers.extend([
                    ("Retry-After".to_string(), wait.clone()),
                    ("X-RateLimit-Limit".to_string(), limit.to_string()),
                    ("X-RateLimit-Remaining".to_string(), "0".to_string()),
                    ("X-RateLimit-Reset".to_string(), wait),
                ]);
                response
            }
        }
    }

    async fn dispatch(
        self: &Rc<Self>,
        endpoint: Endpoint,
        path: &str,
        request: &Request,
        user: &User,
    ) -> Result<Success, Failure> {
        match endpoint {
            Endpoint::List => self.list(user),
            Endpoint::Create => self.create(user, &request.body).await,
            Endpoint::Update => self.update(user, &request.body).await,
            Endpoint::Enable => self.enable(user, &request.body).await,
            Endpoint::Triggers => self.trigger_list(user),
            Endpoint::RetryMany => {
                self.rate_limit(user, path)?;
                self.retry_many(user, &request.body)
            }
            Endpoint::Log => self.logs(user, &request.query),
            Endpoint::Events => self.event(user, &request.body),
            Endpoint::Delete(id) => self.remove(user, id),
            Endpoint::RetryOne(id) => {
                self.rate_limit(user, path)?;
                self.retry_one(user, id)
            }
        }
    }

    fn next_trace(&self) -> String {
        let trace = self.traces.get() + 1;
        self.traces.set(trace);
        format!("00-{trace:032x}-{trace:016x}-00")
    }

    pub(crate) fn rate_limit(&self, user: &User, path: &str) -> Result<(), Failure> {
        let Some(RateLimit { limit, window_ms }) = self.settings.retry_rate_limit else {
            return Ok(());
        };
        let now = self.io.now_ms();
        let mut limits = self.limits.borrow_mut();
        let window = limits.entry(format!("{}|{path}", user.id)).or_default();
        while window.front().is_some_and(|at| now - at >= window_ms) {
            window.pop_front();
        }
        if window.len() >= limit {
            let oldest = window.front().copied().unwrap_or(now);
            return Err(Failure::RateLimited { seconds: (oldest + window_ms - now) / 1000.0, limit });
        }
        window.push_back(now);
        Ok(())
    }
}

fn problem_envelope<T>(problem: T, href: &str, method: &str, status: u8, status_code: u16) -> SuccessEnvelope<T> {
    SuccessEnvelope {
        response: problem,
        count: 1,
        total: None,
        links: vec![Link { href: href.to_string(), action: method.to_string() }],
        status,
        status_code,
    }
}

fn enveloped<T: Serialize>(status: u16, envelope: &SuccessEnvelope<T>) -> Response {
    Response {
        status,
        headers: json_type(),
        body: serde_json::to_string(envelope).unwrap_or_default(),
        changed: false,
        reusable: false,
    }
}

pub(crate) fn json_type() -> Vec<(String, String)> {
    vec![("Content-Type".to_string(), "application/json; charset=utf-8".to_string())]
}
