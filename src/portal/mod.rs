//! The stand-in DocSpace portal's behaviour: the nine webhook endpoints with the contract's
//! envelopes, validation, permissions by role, the receiver guard and HEAD probe, the delivery
//! log, retries, the retry rate limit, and real signed deliveries with the server's retry
//! schedule and bookkeeping. All I/O (DNS, HTTP, timers, the data file) goes through [`Io`],
//! which the Node host implements in JS and the native tests fake.

pub mod binding;
pub mod delivery;
pub mod guard;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use crate::envelope::{ApiError, ErrorEnvelope, Link, SuccessEnvelope, ValidationProblem};
use crate::error::FieldErrors;
use crate::group_status;
use crate::model::{TriggerInfo, WebhookWithStatus};
use crate::routes;
use crate::signature;
use crate::triggers::{self, TRIGGERS};
use crate::url::{Host, Url};
use binding::WebhookDto;
use delivery::RetryState;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use state::{Config, LogRow, Role, State, User, SYSTEM_ACCOUNT};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;

pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A delivery the host sends: POST to `target`'s path and `Host`, connecting to the already
/// validated `address` (never resolving or parsing the URL again).
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub target: Url,
    pub address: IpAddr,
    pub verify_tls: bool,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub timeout_ms: f64,
}

/// The receiver's answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub status_text: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Why no answer came: .NET's `HttpRequestException` (network) or `TaskCanceledException` (timeout).
#[derive(Clone, Debug, PartialEq)]
pub enum SendError {
    Network(String),
    Timeout(String),
}

/// Everything the portal needs from its host.
pub trait Io: 'static {
    fn now_ms(&self) -> f64;
    /// Every address `host` resolves to.
    fn resolve(&self, host: &str) -> LocalBoxFuture<Result<Vec<IpAddr>, String>>;
    /// `HEAD` of `target`, connected to `address` (and only to it), no redirects, 10 s: the
    /// answer's status.
    fn probe(&self, target: &Url, address: IpAddr, verify_tls: bool) -> LocalBoxFuture<Result<u16, String>>;
    fn post(&self, request: Outgoing) -> LocalBoxFuture<Result<Answer, SendError>>;
    fn sleep(&self, ms: f64) -> LocalBoxFuture<()>;
    /// Runs a background task (a delivery) to completion.
    fn spawn(&self, task: LocalBoxFuture<()>);
    /// The state changed. A host that keeps a data file reads [`Portal::snapshot`] when it
    /// writes (coalescing bursts); serialising every change here would make each delivery
    /// cost O(state) and a batch of them quadratic.
    fn changed(&self);
    /// A line for a person watching the portal.
    fn log(&self, line: String);
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Lifts the private/loopback blacklist (the real portal's default refuses such receivers).
    pub allow_loopback: bool,
    /// Multiplies every delivery retry delay (0.01 makes the 31 s schedule 0.31 s).
    pub time_scale: f64,
    /// The retry endpoints' limit per user and path; off by default, as the server ships
    /// (`core.hosting.rateLimiterOptions.enable` is false in its configuration).
    pub retry_rate_limit: Option<RateLimit>,
    /// Per delivery attempt (the server's HttpClient default is 100 s).
    pub delivery_timeout_ms: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { allow_loopback: false, time_scale: 1.0, retry_rate_limit: None, delivery_timeout_ms: 100_000.0 }
    }
}

/// A sliding-window limit on the retry endpoints (contract §5.7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub limit: usize,
    pub window_ms: f64,
}

impl RateLimit {
    /// The server's policy when enabled: 5 requests per 15 minutes.
    pub const SERVER: RateLimit = RateLimit { limit: 5, window_ms: 15.0 * 60.0 * 1000.0 };
}

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
enum Failure {
    /// An auth-pipeline answer with an empty body (401 challenge).
    Empty(u16),
    /// An exception: the `{error: …}` envelope.
    Exception(u16, String, &'static str),
    /// Model binding failed: the wrapped `ValidationProblemDetails`.
    Validation(FieldErrors),
    /// The retry endpoints' limiter: seconds until a slot frees up, and the limit.
    RateLimited { seconds: f64, limit: usize },
}

fn denied() -> Failure {
    Failure::Exception(403, "Access denied".into(), "System.Security.SecurityException")
}

fn not_found() -> Failure {
    Failure::Exception(404, "The record could not be found".into(), "ASC.Common.Web.ItemNotFoundException")
}

fn bad(message: impl Into<String>) -> Failure {
    Failure::Exception(400, message.into(), "System.ArgumentException")
}

/// A successful `response`, its `count`, and the log's `total`.
struct Success {
    /// Already JSON: serialised once, straight from the DTOs (no `Value` tree in between).
    response: Box<RawValue>,
    count: u64,
    total: Option<u64>,
}

fn ok<T: Serialize>(response: &T) -> Result<Success, Failure> {
    let response = serde_json::value::to_raw_value(response)
        .map_err(|e| Failure::Exception(500, e.to_string(), "System.Exception"))?;
    Ok(Success { response, count: 1, total: None })
}

/// How a receiver URL failed the checks the sender repeats before each delivery.
enum UrlProblem {
    Blacklisted(String),
    Other(String),
}

pub struct Portal<I: Io> {
    io: I,
    settings: Settings,
    state: RefCell<State>,
    limits: RefCell<HashMap<String, VecDeque<f64>>>,
    traces: Cell<u64>,
}

impl<I: Io> Portal<I> {
    pub fn new(io: I, settings: Settings, state: State) -> Rc<Self> {
        Rc::new(Portal {
            io,
            settings,
            state: RefCell::new(state),
            limits: RefCell::new(HashMap::new()),
            traces: Cell::new(0),
        })
    }

    pub fn snapshot(&self) -> String {
        serde_json::to_string(&*self.state.borrow()).unwrap_or_default()
    }

    pub fn users(&self) -> Vec<User> {
        self.state.borrow().users.clone()
    }

    fn save(&self) {
        self.io.changed();
    }

    fn caller(&self, authorization: Option<&str>) -> Option<User> {
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

    fn failure_response(&self, failure: Failure, href: &str, method: &str) -> Response {
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

    async fn route(
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

    /// `CheckAdminPermissionsAsync`: admins may act on everything, guests on nothing, others on
    /// what they created.
    fn admin(&self, user: &User) -> Result<bool, Failure> {
        match user.role {
            Role::Guest => Err(denied()),
            role => Ok(role.is_admin()),
        }
    }

    fn rate_limit(&self, user: &User, path: &str) -> Result<(), Failure> {
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

    fn list(&self, user: &User) -> Result<Success, Failure> {
        let admin = self.admin(user)?;
        let state = self.state.borrow();
        let items: Vec<WebhookWithStatus> = state
            .configs
            .iter()
            .filter(|config| admin || config.created_by == user.id)
            .map(|config| WebhookWithStatus {
                configs: state.webhook_dto(config),
                status: state.last_status(config.id),
            })
            .collect();
        ok(&items)
    }

    fn trigger_list(&self, user: &User) -> Result<Success, Failure> {
        let role = user.role.trigger_role();
        let list: Vec<TriggerInfo> = TRIGGERS
            .iter()
            .map(|def| TriggerInfo {
                id: def.bit,
                name: def.dotted.into(),
                key: None,
                available: Some(def.available_for(role)),
            })
            .collect();
        let mut success = ok(&list)?;
        success.count = list.len() as u64;
        // The server's DTO is {name, id, available}: `key` is the client's addition.
        Ok(success)
    }

    /// `CheckWebhook` (contract §5.2 step 3): trigger availability, the secret, the URL and the
    /// HEAD probe, in the server's order.
    async fn check_webhook(&self, user: &User, dto: &WebhookDto, creation: bool) -> Result<(), Failure> {
        if dto.triggers != 0 && triggers::first_unavailable(dto.triggers, user.role.trigger_role()).is_some() {
            return Err(bad("Trigger is not available"));
        }
        match dto.secret_key.as_deref() {
            None if creation => {
                return Err(Failure::Exception(
                    400,
                    "Value cannot be null. (Parameter 'secret')".into(),
                    "System.ArgumentNullException",
                ))
            }
            Some(secret) if creation || !secret.is_empty() => guard::check_password(secret).map_err(bad)?,
            _ => {}
        }
        let (target, address) = self.check_url(&dto.uri, dto.ssl).await.map_err(|problem| match problem {
            UrlProblem::Blacklisted(message) | UrlProblem::Other(message) => bad(message),
        })?;
        match self.io.probe(&target, address, dto.ssl).await {
            Ok(status) if (200..300).contains(&status) => Ok(()),
            Ok(_) => Err(bad("Webhook URL is not available. HEAD request is not response 200 http status.")),
            Err(message) => Err(Failure::Exception(500, message, "System.Net.Http.HttpRequestException")),
        }
    }

    /// `UrlValidator`: the URL rules, then every address the host stands for (the literal itself,
    /// or all that DNS gives) against the blacklist. Returns the parsed URL and the one address a
    /// connection may use.
    async fn check_url(&self, uri: &str, require_https: bool) -> Result<(Url, IpAddr), UrlProblem> {
        let url = guard::parse_url(uri, require_https).map_err(UrlProblem::Other)?;
        let refused = |address: &IpAddr| !self.settings.allow_loopback && guard::blacklisted(*address);
        let address = match &url.host {
            Host::V4(ip) => IpAddr::V4(*ip),
            Host::V6(ip) => IpAddr::V6(*ip),
            Host::Name(name) => {
                let addresses = self.io.resolve(name).await.unwrap_or_default();
                if addresses.iter().any(refused) {
                    return Err(UrlProblem::Blacklisted("URL resolves to a blacklisted IP address".into()));
                }
                return match addresses.first() {
                    Some(address) => Ok((url, *address)),
                    None => Err(UrlProblem::Other(format!("DNS resolution failed for {name}"))),
                };
            }
        };
        if refused(&address) {
            return Err(UrlProblem::Blacklisted("URL host is in the blacklist".into()));
        }
        Ok((url, address))
    }

    async fn create(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, false).map_err(Failure::Validation)?;
        self.admin(user)?;
        self.check_webhook(user, &dto, true).await?;
        let mut state = self.state.borrow_mut();
        if state.configs.iter().any(|c| c.name == dto.name && c.uri == dto.uri) {
            return Err(bad("Webhook with the same name and payload URL already exists"));
        }
        let config = Config {
            id: state.next_config_id,
            name: dto.name,
            uri: dto.uri,
            secret_key: dto.secret_key.unwrap_or_default(),
            enabled: dto.enabled,
            ssl: dto.ssl,
            triggers: dto.triggers,
            target_id: dto.target_id,
            created_by: user.id.clone(),
            created_on: self.io.now_ms(),
            modified_by: None,
            modified_on: None,
            last_failure_on: None,
            last_failure_content: None,
            last_success_on: None,
        };
        state.next_config_id += 1;
        let dto = state.webhook_dto(&config);
        state.configs.push(config);
        drop(state);
        self.save();
        ok(&dto)
    }

    /// The config a non-admin may touch: 404 when it does not exist, 403 when it is not theirs.
    fn owned(&self, user: &User, id: u32) -> Result<Config, Failure> {
        let config = self.state.borrow().config(id).cloned().ok_or_else(not_found)?;
        if !self.admin(user)? && config.created_by != user.id {
            return Err(denied());
        }
        Ok(config)
    }

    async fn update(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, true).map_err(Failure::Validation)?;
        // The server validates (and probes) before it looks the config up (contract §5.3).
        self.check_webhook(user, &dto, false).await?;
        let id = dto.id.unwrap_or(0);
        self.owned(user, id)?;
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let config = state.config_mut(id).ok_or_else(not_found)?;
        config.name = dto.name;
        config.uri = dto.uri;
        config.enabled = dto.enabled;
        config.ssl = dto.ssl;
        config.triggers = dto.triggers;
        config.target_id = dto.target_id;
        if let Some(secret) = dto.secret_key.filter(|s| !s.is_empty()) {
            config.secret_key = secret;
        }
        config.modified_by.get_or_insert_with(|| user.id.clone());
        config.modified_on = Some(now);
        let config = config.clone();
        let dto = state.webhook_dto(&config);
        drop(state);
        self.save();
        ok(&dto)
    }

    async fn enable(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, true).map_err(Failure::Validation)?;
        let id = dto.id.unwrap_or(0);
        let config = self.owned(user, id)?;
        if dto.enabled {
            // Enabling re-runs the checks on the *stored* values; disabling never does.
            let stored = WebhookDto {
                id: Some(id),
                name: config.name.clone(),
                uri: config.uri.clone(),
                secret_key: Some(config.secret_key.clone()),
                enabled: true,
                ssl: config.ssl,
                triggers: config.triggers,
                target_id: config.target_id.clone(),
            };
            self.check_webhook(user, &stored, false).await?;
        }
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let config = state.config_mut(id).ok_or_else(not_found)?;
        config.enabled = dto.enabled;
        config.modified_by.get_or_insert_with(|| user.id.clone());
        config.modified_on = Some(now);
        let config = config.clone();
        let dto = state.webhook_dto(&config);
        drop(state);
        self.save();
        ok(&dto)
    }

    fn remove(&self, user: &User, id: u32) -> Result<Success, Failure> {
        self.owned(user, id)?;
        let mut state = self.state.borrow_mut();
        let config = state.remove_config(id).ok_or_else(not_found)?;
        let dto = state.webhook_dto(&config);
        drop(state);
        self.save();
        ok(&dto)
    }

    fn logs(&self, user: &User, query: &[(String, String)]) -> Result<Success, Failure> {
        let query = binding::bind_log_query(query).map_err(Failure::Validation)?;
        let admin = self.admin(user)?;
        let user_filter = if admin { query.user_id.clone() } else { Some(user.id.to_ascii_lowercase()) };
        let state = self.state.borrow();
        let mut rows: Vec<&LogRow> = state
            .logs
            .iter()
            .filter(|row| {
                let Some(config) = state.config(row.config_id) else { return false };
                user_filter.as_ref().is_none_or(|id| config.created_by.eq_ignore_ascii_case(id))
                    && query.config_id.is_none_or(|id| row.config_id == id)
                    && query.event_id.is_none_or(|id| row.id == id)
                    && query.hook_uri.as_ref().is_none_or(|uri| &config.uri == uri)
                    && (query.trigger == 0 || row.trigger == query.trigger)
                    && group_status::matches(query.group_status, row.status)
                    && query.delivery_from.is_none_or(|from| row.delivery.is_some_and(|d| d >= from))
                    && query.delivery_to.is_none_or(|to| row.delivery.is_some_and(|d| d <= to))
            })
            .collect();
        rows.sort_by_key(|row| std::cmp::Reverse(row.id));
        let total = rows.len() as u64;
        let page: Vec<_> =
            rows.into_iter().skip(query.start_index).take(query.count).map(|row| state.log_dto(row, true)).collect();
        let mut success = ok(&page)?;
        success.total = Some(total);
        Ok(success)
    }

    /// A new row copying an old one's config, trigger and payload (contract §5.7).
    fn copy_row(&self, user: &User, row: &LogRow) -> LogRow {
        let mut state = self.state.borrow_mut();
        let copy = LogRow {
            id: state.next_log_id,
            config_id: row.config_id,
            trigger: row.trigger,
            uid: user.id.clone(),
            creation_time: self.io.now_ms(),
            request_headers: None,
            request_payload: row.request_payload.clone(),
            response_headers: None,
            response_payload: None,
            status: 0,
            delivery: None,
        };
        state.next_log_id += 1;
        state.logs.push(copy.clone());
        copy
    }

    fn retry_one(self: &Rc<Self>, user: &User, log_id: u32) -> Result<Success, Failure> {
        if log_id == 0 {
            return Err(bad("Id"));
        }
        let row = self.state.borrow().logs.iter().find(|row| row.id == log_id).cloned().ok_or_else(not_found)?;
        let admin = self.admin(user)?;
        let owner = self.state.borrow().config(row.config_id).map(|c| c.created_by.clone());
        if !admin && owner.as_deref() != Some(user.id.as_str()) {
            return Err(denied());
        }
        let copy = self.copy_row(user, &row);
        self.save();
        self.start_delivery(copy.id);
        let dto = self.state.borrow().log_dto(&copy, false);
        ok(&dto)
    }

    fn retry_many(self: &Rc<Self>, user: &User, body: &str) -> Result<Success, Failure> {
        let ids = binding::bind_retry(body).map_err(Failure::Validation)?;
        let admin = self.admin(user)?;
        let ids = ids.ok_or_else(|| {
            Failure::Exception(
                500,
                "Object reference not set to an instance of an object.".into(),
                "System.NullReferenceException",
            )
        })?;
        let mut copies = Vec::new();
        for id in ids {
            let row = self.state.borrow().logs.iter().find(|row| i64::from(row.id) == id).cloned();
            let Some(row) = row else { continue };
            let owner = self.state.borrow().config(row.config_id).map(|c| c.created_by.clone());
            if !admin && owner.as_deref() != Some(user.id.as_str()) {
                continue;
            }
            copies.push(self.copy_row(user, &row));
        }
        self.save();
        for copy in &copies {
            self.start_delivery(copy.id);
        }
        let state = self.state.borrow();
        let dtos: Vec<_> = copies.iter().map(|copy| state.log_dto(copy, false)).collect();
        ok(&dtos)
    }

    /// `POST /stand-in/events`: `{trigger, data?, targetId?}` → the created log ids.
    fn event(self: &Rc<Self>, user: &User, body: &str) -> Result<Success, Failure> {
        let map = binding::object(body, "StandInEvent").map_err(Failure::Validation)?;
        let def = match binding::property(&map, "trigger") {
            Some(Value::String(name)) => triggers::by_name(name),
            Some(Value::Number(n)) => n.as_u64().and_then(triggers::by_bit),
            _ => None,
        }
        .filter(|def| def.bit != 0)
        .ok_or_else(|| {
            bad("trigger must be one event: a C# name (\"FileUploaded\"), a dotted name (\"file.uploaded\") or its bit")
        })?;
        let data = match binding::property(&map, "data") {
            None | Some(Value::Null) => json!({}),
            Some(value @ Value::Object(_)) => value.clone(),
            Some(_) => return Err(bad("data must be an object: the entity the event is about")),
        };
        let target = match binding::property(&map, "targetId") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(bad("targetId must be a string")),
        };
        let ids = self.emit(&user.id, def.bit, data, target);
        ok(&ids)
    }

    /// Fans an event out to the enabled webhooks subscribed to it (and to its target), records a
    /// log row for each, and starts their deliveries. Returns the new log ids.
    pub fn emit(self: &Rc<Self>, actor: &str, bit: u64, data: Value, target: Option<String>) -> Vec<u32> {
        let Some(def) = triggers::by_bit(bit) else { return Vec::new() };
        let entity = target.clone().or_else(|| match data.get("id") {
            Some(Value::String(id)) => Some(id.clone()),
            Some(Value::Number(id)) => Some(id.to_string()),
            _ => None,
        });
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let subscribed: Vec<Config> = state
            .configs
            .iter()
            .filter(|c| c.enabled && (c.triggers == 0 || c.triggers & bit != 0))
            .filter(|c| c.target_id.as_ref().is_none_or(|wanted| entity.as_ref() == Some(wanted)))
            .cloned()
            .collect();
        let mut ids = Vec::new();
        for config in subscribed {
            let id = state.next_log_id;
            state.next_log_id += 1;
            let payload = delivery::initial_payload(id, now, actor, def, &data, &config, entity.as_deref());
            state.logs.push(LogRow {
                id,
                config_id: config.id,
                trigger: bit,
                uid: actor.to_string(),
                creation_time: now,
                request_headers: None,
                request_payload: payload.to_string(),
                response_headers: None,
                response_payload: None,
                status: 0,
                delivery: None,
            });
            ids.push(id);
        }
        drop(state);
        self.save();
        for id in &ids {
            self.start_delivery(*id);
        }
        ids
    }

    fn start_delivery(self: &Rc<Self>, row_id: u32) {
        let portal = Rc::clone(self);
        self.io.spawn(Box::pin(async move { portal.deliver(row_id).await }));
    }

    /// The sender (contract §8): up to 6 attempts, 1–16 s apart (scaled), re-validating the URL
    /// and re-signing each time, then the bookkeeping of §8.5.
    async fn deliver(self: Rc<Self>, row_id: u32) {
        let mut retry =
            RetryState { attempt: 0, previous_retry_on: None, first_request: self.io.now_ms(), last_failure: None };
        let mut outcome: Option<Result<Answer, SendError>> = None;
        let mut last_headers = Vec::new();
        for attempt in 1..=1 + delivery::REPEAT_COUNT {
            if attempt > 1 {
                self.io.sleep(delivery::retry_delay_ms(attempt) * self.settings.time_scale).await;
            }
            let found = {
                let state = self.state.borrow();
                state
                    .logs
                    .iter()
                    .find(|row| row.id == row_id)
                    .and_then(|row| Some((row.clone(), state.config(row.config_id)?.clone())))
            };
            let Some((row, config)) = found else { return };
            let (target, address) = match self.check_url(&config.uri, config.ssl).await {
                Ok(checked) => checked,
                Err(problem) => return self.refuse_receiver(&config, problem),
            };
            retry.attempt = attempt;
            let now = self.io.now_ms();
            let body = delivery::attempt_body(&row.request_payload, row_id, &retry, now, config.last_success_on);
            let headers = vec![
                ("Accept".to_string(), "*/*".to_string()),
                (signature::HEADER.to_string(), signature::compute(config.secret_key.as_bytes(), body.as_bytes())),
            ];
            self.update_row(row_id, |row| {
                row.request_payload = body.clone();
                row.request_headers = Some(delivery::headers_json(&headers));
            });
            let mut sent_headers = headers.clone();
            sent_headers.push(("Content-Type".to_string(), "application/json; charset=utf-8".to_string()));
            let request = Outgoing {
                target,
                address,
                verify_tls: config.ssl,
                headers: sent_headers,
                body,
                timeout_ms: self.settings.delivery_timeout_ms,
            };
            let result = self.io.post(request).await;
            let trigger = triggers::by_bit(row.trigger).map_or("?", |def| def.dotted);
            let shown = match &result {
                Ok(answer) => answer.status.to_string(),
                Err(SendError::Network(_)) => "no answer".into(),
                Err(SendError::Timeout(_)) => "timeout".into(),
            };
            self.io.log(format!(
                "delivery {row_id} {trigger} → webhook {} {}: {shown} (attempt {attempt})",
                config.id, config.uri
            ));
            let success = matches!(&result, Ok(answer) if (200..300).contains(&answer.status));
            retry.previous_retry_on = Some(now);
            retry.last_failure = match &result {
                Ok(answer) => Some(delivery::status_failure(answer.status, &answer.status_text)),
                Err(SendError::Network(message) | SendError::Timeout(message)) => Some(message.clone()),
            };
            last_headers = headers;
            outcome = Some(result);
            if success {
                break;
            }
        }
        if let Some(outcome) = outcome {
            self.book(row_id, outcome, &last_headers);
        }
    }

    fn update_row(&self, row_id: u32, change: impl FnOnce(&mut LogRow)) {
        if let Some(row) = self.state.borrow_mut().logs.iter_mut().find(|row| row.id == row_id) {
            change(row);
        }
    }

    /// Before sending, a receiver that now fails the URL checks is dropped: deleted when
    /// blacklisted, disabled otherwise (contract §8.2). Nothing is sent.
    fn refuse_receiver(&self, config: &Config, problem: UrlProblem) {
        let mut state = self.state.borrow_mut();
        match problem {
            UrlProblem::Blacklisted(message) => {
                state.remove_config(config.id);
                self.io.log(format!("webhook {} deleted: {message}", config.id));
            }
            UrlProblem::Other(message) => {
                if let Some(stored) = state.config_mut(config.id) {
                    stored.enabled = false;
                }
                self.io.log(format!("webhook {} disabled: {message}", config.id));
            }
        }
        drop(state);
        self.save();
    }

    /// The outcome of the last attempt, written to the row and the config (contract §8.5).
    fn book(&self, row_id: u32, outcome: Result<Answer, SendError>, headers: &[(String, String)]) {
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let Some(config_id) = state.logs.iter().find(|row| row.id == row_id).map(|row| row.config_id) else { return };
        let (status, content, http_failure) = match &outcome {
            Ok(answer) if (200..300).contains(&answer.status) => (answer.status, None, false),
            Ok(answer) => (answer.status, Some(delivery::status_failure(answer.status, &answer.status_text)), true),
            Err(SendError::Network(message)) => (0, Some(message.clone()), true),
            Err(SendError::Timeout(message)) => (500, Some(message.clone()), false),
        };
        if let Some(row) = state.logs.iter_mut().find(|row| row.id == row_id) {
            row.status = status;
            row.request_headers = Some(delivery::headers_json(headers));
            match (&outcome, &content) {
                (Ok(answer), None) => {
                    row.delivery = Some(now);
                    row.response_headers = Some(delivery::headers_json(&answer.headers));
                    row.response_payload = Some(answer.body.clone());
                }
                (_, Some(message)) => row.response_payload = Some(message.clone()),
                _ => {}
            }
        }
        if status == 410 {
            state.remove_config(config_id);
            self.io.log(format!("webhook {config_id} deleted: its receiver answered 410 Gone"));
        } else if let Some(config) = state.config_mut(config_id) {
            match content {
                None => config.last_success_on = Some(now),
                Some(message) => {
                    config.last_failure_on = Some(now);
                    config.last_failure_content = Some(message);
                    let since = config.last_success_on.unwrap_or(config.created_on);
                    if http_failure && now - since > delivery::TRUSTED_MS {
                        config.enabled = false;
                        self.io.log(format!(
                            "webhook {config_id} disabled: more than 3 days without a successful delivery"
                        ));
                    }
                }
            }
            config.modified_on = Some(now);
            config.modified_by.get_or_insert_with(|| SYSTEM_ACCOUNT.to_string());
        }
        drop(state);
        self.save();
    }
}

fn json_type() -> Vec<(String, String)> {
    vec![("Content-Type".to_string(), "application/json; charset=utf-8".to_string())]
}

#[cfg(test)]
mod tests;
