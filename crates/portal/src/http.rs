//! The HTTP face of the portal: who is calling, which handler a method and path go to, the retry
//! endpoints' rate limit, and every failure in the server's answer shapes (contract §3).

use crate::envelope::{ApiError, ErrorEnvelope, Link, SuccessEnvelope, ValidationProblem};
use crate::error::FieldErrors;
use crate::routes;
use crate::state::User;
use crate::{Io, Portal, RateLimit};
use serde::Serialize;
use serde_json::value::RawValue;
use std::rc::Rc;

/// An API request as the host read it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    /// The full request URL, for the envelope's `links`.
    pub href: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// JSON text, or empty (the 401 challenge).
    pub body: String,
}

/// Why a request failed, in the shapes of contract §3.
pub(crate) enum Failure {
    /// An auth-pipeline answer with an empty body (401 challenge).
    Empty(u16),
    /// An exception: the `{error: …}` envelope.
    Exception(u16, String, &'static str),
    /// Model binding failed: the wrapped `ValidationProblemDetails`.
    Validation(FieldErrors),
    /// The retry endpoints' limiter: seconds until a slot frees up, and the limit.
    RateLimited { seconds: f64, limit: usize },
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

    pub(crate) fn caller(&self, authorization: Option<&str>) -> Option<User> {
        let header = authorization?.trim();
        let token = match header.get(..7) {
            Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => header.get(7..)?.trim(),
            _ => header,
        };
        self.state.borrow().users.iter().find(|user| !token.is_empty() && user.token == token).cloned()
    }

    /// Answers one request. Never fails: every problem is a response.
    pub async fn handle(self: &Rc<Self>, request: Request) -> Response {
        let path = request.path.trim_end_matches('/').to_ascii_lowercase();
        let method = request.method.to_ascii_uppercase();
        if path == "/stand-in/health" {
            return Response { status: 200, headers: json_type(), body: r#"{"ok":true}"#.into() };
        }
        let result = match self.caller(request.authorization.as_deref()) {
            None => Err(Failure::Empty(401)),
            Some(user) => self.route(&method, &path, &request, &user).await,
        };
        match result {
            Ok(success) => {
                let envelope = SuccessEnvelope {
                    response: success.response,
                    count: success.count,
                    total: success.total,
                    links: vec![Link { href: request.href.clone(), action: method }],
                    status: 0,
                    status_code: 200,
                };
                Response {
                    status: 200,
                    headers: json_type(),
                    body: serde_json::to_string(&envelope).unwrap_or_default(),
                }
            }
            Err(failure) => self.failure_response(failure, &request.href, &method),
        }
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
            Response { status, headers: json_type(), body }
        };
        match failure {
            Failure::Empty(status) => Response { status, headers: Vec::new(), body: String::new() },
            Failure::Exception(status, message, type_name) => exception(status, message, Some(type_name)),
            Failure::Validation(errors) => {
                let trace = self.traces.get() + 1;
                self.traces.set(trace);
                let problem = ValidationProblem::new(errors, format!("00-{trace:032x}-{trace:016x}-00"));
                let envelope = SuccessEnvelope {
                    response: problem,
                    count: 1,
                    total: None,
                    links: vec![Link { href: href.to_string(), action: method.to_string() }],
                    status: 1,
                    status_code: 400,
                };
                Response {
                    status: 400,
                    headers: json_type(),
                    body: serde_json::to_string(&envelope).unwrap_or_default(),
                }
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

    pub(crate) async fn route(
        self: &Rc<Self>,
        method: &str,
        path: &str,
        request: &Request,
        user: &User,
    ) -> Result<Success, Failure> {
        let webhook_id = |suffix: &str| -> Option<u32> {
            let rest = path.strip_prefix(&format!("{}/", routes::WEBHOOK))?;
            let digits = rest.strip_suffix(suffix)?;
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<i32>().ok())
                .flatten()
                .map(|n| n as u32)
        };
        match (method, path) {
            ("GET", routes::WEBHOOK) => self.list(user),
            ("POST", routes::WEBHOOK) => self.create(user, &request.body).await,
            ("PUT", routes::WEBHOOK) => self.update(user, &request.body).await,
            ("PUT", routes::WEBHOOK_ENABLE) => self.enable(user, &request.body).await,
            ("GET", routes::WEBHOOK_TRIGGERS) => self.trigger_list(user),
            ("PUT", routes::WEBHOOK_RETRY) => {
                self.rate_limit(user, path)?;
                self.retry_many(user, &request.body)
            }
            ("GET", routes::WEBHOOKS_LOG) => self.logs(user, &request.query),
            ("POST", "/stand-in/events") => self.event(user, &request.body),
            ("DELETE", _) if webhook_id("").is_some() => self.remove(user, webhook_id("").unwrap_or(0)),
            ("PUT", _) if webhook_id("/retry").is_some() => {
                self.rate_limit(user, path)?;
                self.retry_one(user, webhook_id("/retry").unwrap_or(0))
            }
            (
                _,
                routes::WEBHOOK
                | routes::WEBHOOK_ENABLE
                | routes::WEBHOOK_TRIGGERS
                | routes::WEBHOOK_RETRY
                | routes::WEBHOOKS_LOG
                | "/stand-in/events",
            ) => Err(Failure::Exception(
                405,
                format!("The {method} method is not allowed here"),
                "System.NotSupportedException",
            )),
            _ => Err(Failure::Exception(
                404,
                format!("No such endpoint: {method} {path}"),
                "ASC.Common.Web.ItemNotFoundException",
            )),
        }
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

pub(crate) fn json_type() -> Vec<(String, String)> {
    vec![("Content-Type".to_string(), "application/json; charset=utf-8".to_string())]
}
