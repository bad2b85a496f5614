//! The portal against a fake host: DNS, probes and receivers scripted, time advanced by sleeps.

use super::*;
use crate::io::{Answer, Outgoing, SendError};
use crate::state::{Role, State, User};
use crate::url::Url;
use crate::{routes, Request, Response};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::future::Future;
use std::net::IpAddr;
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct Fake {
    now: Cell<f64>,
    dns: RefCell<HashMap<String, Vec<IpAddr>>>,
    probes: RefCell<HashMap<String, Result<u16, String>>>,
    probed: RefCell<Vec<(String, IpAddr)>>,
    answers: RefCell<VecDeque<Result<Answer, SendError>>>,
    sent: RefCell<Vec<Outgoing>>,
    sleeps: RefCell<Vec<f64>>,
    tasks: RefCell<Vec<LocalBoxFuture<()>>>,
    saves: Cell<usize>,
    lines: RefCell<Vec<String>>,
    /// Sleeps give way once, so that deliveries in flight interleave as they do in time.
    yielding_sleeps: Cell<bool>,
    /// While set, the data file lags behind: `persisted()` waits until it is cleared.
    unwritten: Rc<Cell<bool>>,
}

/// Pending on its first poll, ready on the next.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

fn block_on<T>(future: impl Future<Output = T>) -> T {
    let mut future = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the fake host answers at once; nothing should wait"),
    }
}

impl Io for Rc<Fake> {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn resolve(&self, host: &str) -> LocalBoxFuture<Result<Vec<IpAddr>, String>> {
        let found = self.dns.borrow().get(host).cloned().ok_or_else(|| format!("getaddrinfo ENOTFOUND {host}"));
        Box::pin(async move { found })
    }
    fn probe(&self, url: &Url, address: IpAddr, _verify: bool) -> LocalBoxFuture<Result<u16, String>> {
        self.probed.borrow_mut().push((url.href(), address));
        let answer = self.probes.borrow().get(&url.href()).cloned().unwrap_or(Ok(200));
        Box::pin(async move { answer })
    }
    fn post(&self, request: Outgoing) -> LocalBoxFuture<Result<Answer, SendError>> {
        self.sent.borrow_mut().push(request);
        let answer = self.answers.borrow_mut().pop_front().unwrap_or(Ok(Answer {
            status: 200,
            body: "ok".into(),
            ..Answer::default()
        }));
        Box::pin(async move { answer })
    }
    fn sleep(&self, ms: f64) -> LocalBoxFuture<()> {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + ms);
        if self.yielding_sleeps.get() {
            return Box::pin(YieldOnce(false));
        }
        Box::pin(async {})
    }
    fn spawn(&self, task: LocalBoxFuture<()>) {
        self.tasks.borrow_mut().push(task);
    }
    fn changed(&self) {
        self.saves.set(self.saves.get() + 1);
    }
    fn persisted(&self) -> LocalBoxFuture<()> {
        let unwritten = Rc::clone(&self.unwritten);
        Box::pin(std::future::poll_fn(move |_| if unwritten.get() { Poll::Pending } else { Poll::Ready(()) }))
    }
    fn log(&self, line: String) {
        self.lines.borrow_mut().push(line);
    }
}

fn user(id: &str, role: Role) -> User {
    User {
        id: format!("00000000-0000-4000-8000-00000000000{id}"),
        display_name: format!("{role:?}"),
        role,
        token: format!("token-{id}"),
    }
}

fn parsed(response: Response) -> (u16, Value) {
    let json = if response.body.is_empty() { Value::Null } else { serde_json::from_str(&response.body).unwrap() };
    (response.status, json)
}

struct Harness {
    fake: Rc<Fake>,
    portal: Rc<Portal<Rc<Fake>>>,
}

impl Harness {
    fn new(settings: Settings) -> Self {
        let fake = Rc::new(Fake::default());
        fake.now.set(1_782_813_600_000.0);
        fake.dns.borrow_mut().insert("hooks.example.com".into(), vec!["93.184.216.34".parse().unwrap()]);
        fake.dns.borrow_mut().insert("localhost".into(), vec!["127.0.0.1".parse().unwrap()]);
        let users = vec![
            user("1", Role::Owner),
            user("2", Role::Admin),
            user("3", Role::RoomAdmin),
            user("4", Role::User),
            user("5", Role::Guest),
            user("6", Role::User),
        ];
        let portal = Portal::new(Rc::clone(&fake), settings, State::new(users));
        Harness { fake, portal }
    }

    fn call(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
        let authorization = token.map(|t| format!("Bearer {t}"));
        parsed(self.respond(method, path, authorization.as_deref(), Some("application/json; charset=utf-8"), body))
    }

    /// A request with exactly these `Authorization` and `Content-Type` headers.
    fn respond(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &str,
    ) -> Response {
        let href = format!("http://portal.test{path}");
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let request = Request {
            method: method.into(),
            path: path.into(),
            query,
            authorization: authorization.map(str::to_string),
            content_type: content_type.map(str::to_string),
            href,
            body: body.into(),
        };
        block_on(self.portal.handle(request))
    }

    /// Runs the deliveries to their end, round-robin: each task up to its next sleep in turn.
    fn run_deliveries(&self) {
        let mut running: Vec<LocalBoxFuture<()>> = Vec::new();
        loop {
            running.extend(self.fake.tasks.borrow_mut().drain(..));
            if running.is_empty() {
                break;
            }
            running.retain_mut(|task| task.as_mut().poll(&mut Context::from_waker(Waker::noop())).is_pending());
        }
    }

    fn create(&self, token: &str, name: &str, triggers: u64) -> (u16, Value) {
        let body = json!({ "name": name, "uri": "https://hooks.example.com/in", "secretKey": "S3cret-Key!", "enabled": true, "ssl": true, "triggers": triggers });
        self.call("POST", routes::WEBHOOK, Some(token), &body.to_string())
    }
}

#[test]
fn anonymous_callers_get_an_empty_401() {
    let h = Harness::new(Settings::default());
    for (method, path) in [("POST", routes::WEBHOOK), ("GET", routes::WEBHOOK), ("GET", routes::WEBHOOKS_LOG)] {
        assert_eq!(h.call(method, path, None, "{}"), (401, Value::Null));
        assert_eq!(h.call(method, path, Some("nope"), "{}"), (401, Value::Null));
    }
    assert_eq!(h.call("GET", "/stand-in/health", None, "").0, 200);
}

#[test]
fn room_admins_and_users_create_and_list_their_own() {
    let h = Harness::new(Settings::default());
    let (status, created) = h.create("token-3", "room admin's", 384);
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["response"]["createdBy"]["id"], "00000000-0000-4000-8000-000000000003");
    assert_eq!(h.create("token-4", "user's", 256).0, 200);
    let (_, own) = h.call("GET", routes::WEBHOOK, Some("token-4"), "");
    assert_eq!(own["response"].as_array().unwrap().len(), 1, "users see their own");
    let (_, all) = h.call("GET", routes::WEBHOOK, Some("token-1"), "");
    assert_eq!(all["response"].as_array().unwrap().len(), 2, "the owner sees all");
    assert_eq!(all["response"][0]["status"], 0);
    assert_eq!(all["count"], 1, "the async-list quirk (§3.1)");
    assert!(all["response"][0]["configs"].get("secretKey").is_none());
}

#[test]
fn guests_are_refused_but_see_the_triggers() {
    let h = Harness::new(Settings::default());
    for (method, path) in [("GET", routes::WEBHOOK), ("GET", routes::WEBHOOKS_LOG)] {
        let (status, body) = h.call(method, path, Some("token-5"), "");
        assert_eq!((status, body["error"]["message"].as_str()), (403, Some("Access denied")));
    }
    let (status, body) = h.create("token-5", "guest", 256);
    assert_eq!((status, body["error"]["message"].as_str()), (403, Some("Access denied")));
    let (status, triggers) = h.call("GET", routes::WEBHOOK_TRIGGERS, Some("token-5"), "");
    assert_eq!(status, 200);
    assert_eq!(triggers["count"], 37);
    assert!(triggers["response"].as_array().unwrap().iter().all(|t| t["available"] == false));
    let (_, as_user) = h.call("GET", routes::WEBHOOK_TRIGGERS, Some("token-4"), "");
    assert_eq!(as_user["response"][1], json!({ "id": 1, "name": "user.created", "available": false }));
}

#[test]
fn users_cannot_touch_each_others_webhooks() {
    let h = Harness::new(Settings::default());
    let (_, created) = h.create("token-6", "B's", 256);
    let id = created["response"]["id"].as_u64().unwrap();
    let enable = json!({ "id": id, "name": "x", "uri": "x", "enabled": false }).to_string();
    assert_eq!(h.call("PUT", routes::WEBHOOK_ENABLE, Some("token-4"), &enable).0, 403);
    assert_eq!(h.call("DELETE", &routes::webhook(id as u32), Some("token-4"), "").0, 403);
    let (_, list) = h.call("GET", routes::WEBHOOK, Some("token-6"), "");
    assert_eq!(list["response"][0]["configs"]["enabled"], true, "B's webhook is intact");
    assert_eq!(h.call("DELETE", &routes::webhook(999), Some("token-4"), "").0, 404);
}

#[test]
fn creation_rules_of_the_real_server() {
    let h = Harness::new(Settings::default());
    let (status, body) = h.create("token-4", "admin-only", 1);
    assert_eq!((status, body["error"]["message"].as_str()), (400, Some("Trigger is not available")));
    let local = json!({ "name": "local", "uri": "http://localhost:8080/in", "secretKey": "S3cret-Key!", "ssl": false });
    let (status, body) = h.call("POST", routes::WEBHOOK, Some("token-1"), &local.to_string());
    assert_eq!((status, body["error"]["message"].as_str()), (400, Some("URL resolves to a blacklisted IP address")));
    let literal = json!({ "name": "l", "uri": "http://127.0.0.1:9/in", "secretKey": "S3cret-Key!" });
    assert_eq!(
        h.call("POST", routes::WEBHOOK, Some("token-1"), &literal.to_string()).1["error"]["message"],
        "URL host is in the blacklist"
    );
    let names = json!({ "name": "n", "uri": "https://hooks.example.com/in", "secretKey": "S3cret-Key!", "triggers": "FileUploaded" });
    let (status, body) = h.call("POST", routes::WEBHOOK, Some("token-1"), &names.to_string());
    assert_eq!((status, body["status"].as_u64(), body["statusCode"].as_u64()), (400, Some(1), Some(400)));
    assert!(body["response"]["errors"]["$.triggers"].is_array());
    let no_secret = json!({ "name": "n", "uri": "https://hooks.example.com/in" });
    assert_eq!(
        h.call("POST", routes::WEBHOOK, Some("token-1"), &no_secret.to_string()).1["error"]["message"],
        "Value cannot be null. (Parameter 'secret')"
    );
    let http_ssl =
        json!({ "name": "n", "uri": "http://hooks.example.com/in", "secretKey": "S3cret-Key!", "ssl": true });
    assert_eq!(
        h.call("POST", routes::WEBHOOK, Some("token-1"), &http_ssl.to_string()).1["error"]["message"],
        "HTTPS is required"
    );
    h.fake.probes.borrow_mut().insert("https://hooks.example.com/down".into(), Ok(404));
    let down = json!({ "name": "n", "uri": "https://hooks.example.com/down", "secretKey": "S3cret-Key!" });
    assert!(h.call("POST", routes::WEBHOOK, Some("token-1"), &down.to_string()).1["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Webhook URL is not available"));
    assert_eq!(h.create("token-1", "dup", 0).0, 200);
    assert_eq!(
        h.create("token-1", "dup", 0).1["error"]["message"],
        "Webhook with the same name and payload URL already exists"
    );
    let defaults = json!({ "name": "d", "uri": "https://hooks.example.com/in", "secretKey": "S3cret-Key!" });
    let (_, made) = h.call("POST", routes::WEBHOOK, Some("token-1"), &defaults.to_string());
    assert_eq!(
        (&made["response"]["enabled"], &made["response"]["ssl"], &made["response"]["triggers"]),
        (&json!(false), &json!(false), &json!(0))
    );
}

#[test]
fn loopback_receivers_need_the_flag_which_lifts_only_the_blacklist() {
    let h = Harness::new(Settings { allow_loopback: true, ..Settings::default() });
    let local = json!({ "name": "local", "uri": "http://127.0.0.1:9/in", "secretKey": "S3cret-Key!", "ssl": false });
    assert_eq!(h.call("POST", routes::WEBHOOK, Some("token-1"), &local.to_string()).0, 200);
    let ssl = json!({ "name": "local2", "uri": "http://127.0.0.1:9/in", "secretKey": "S3cret-Key!", "ssl": true });
    assert_eq!(
        h.call("POST", routes::WEBHOOK, Some("token-1"), &ssl.to_string()).1["error"]["message"],
        "HTTPS is required"
    );
}

/// Every way of writing a loopback or private address that an outside attack tried (or that URL
/// parsers are known to read differently): refused for a plain user on create, and no probe
/// reaches them through a guest's update either.
const SSRF_FORMS: [&str; 16] = [
    "http://127.0.0.1:9\\@93.184.216.34/in",
    "http://127.0.0.1:9\\@hooks.example.com/in",
    "http://0x7f000001/in",
    "http://2130706433/in",
    "http://0177.0.0.1/in",
    "http://017700000001/in",
    "http://127.1/in",
    "http://%31%32%37.0.0.1/in",
    "http://127.0.0.1./in",
    "http://[::1]/in",
    "http://[::ffff:127.0.0.1]/in",
    "http://[::ffff:7f00:1]/in",
    "http://93.184.216.34@127.0.0.1/in",
    "http://user:pass@10.0.0.1/in",
    "http://localhost:9/in",
    "http:\\\\192.168.1.1\\in",
];

#[test]
fn the_receiver_guard_reads_the_url_as_the_connection_does() {
    let h = Harness::new(Settings::default());
    for form in SSRF_FORMS {
        let hook = json!({ "name": "ssrf", "uri": form, "secretKey": "S3cret-Key!", "ssl": false });
        let (status, answer) = h.call("POST", routes::WEBHOOK, Some("token-4"), &hook.to_string());
        let message = answer["error"]["message"].as_str().unwrap_or_default().to_string();
        assert_eq!(status, 400, "{form}: {answer}");
        assert!(message.contains("blacklist"), "{form}: {message}");
        let update = json!({ "id": 1, "name": "ssrf", "uri": form, "secretKey": "S3cret-Key!", "ssl": false });
        assert_eq!(h.call("PUT", routes::WEBHOOK, Some("token-5"), &update.to_string()).0, 400, "{form}");
    }
    assert!(h.fake.probed.borrow().is_empty(), "probed: {:?}", h.fake.probed.borrow());
    // A public address written plainly still passes, and is what the probe connects to.
    let fine = json!({ "name": "fine", "uri": "http://93.184.216.34/in", "secretKey": "S3cret-Key!", "ssl": false });
    assert_eq!(h.call("POST", routes::WEBHOOK, Some("token-4"), &fine.to_string()).0, 200);
    assert_eq!(
        *h.fake.probed.borrow(),
        vec![("http://93.184.216.34/in".to_string(), "93.184.216.34".parse().unwrap())]
    );
}

#[test]
fn deliveries_connect_to_the_checked_address_and_path() {
    let h = Harness::new(Settings { allow_loopback: true, ..Settings::default() });
    let hook = json!({ "name": "bs", "uri": "http://127.0.0.1:9\\@93.184.216.34/in?x=1#f", "secretKey": "S3cret-Key!", "ssl": false, "enabled": true });
    assert_eq!(h.call("POST", routes::WEBHOOK, Some("token-1"), &hook.to_string()).0, 200);
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":256,"data":{"id":1}}"#);
    h.run_deliveries();
    let sent = h.fake.sent.borrow();
    let target = &sent[0].target;
    assert_eq!(sent[0].address, "127.0.0.1".parse::<IpAddr>().unwrap());
    assert_eq!((target.authority(), target.path.as_str()), ("127.0.0.1:9".to_string(), "/@93.184.216.34/in?x=1"));
}

#[test]
fn update_replaces_and_enable_validates_like_the_server() {
    let h = Harness::new(Settings::default());
    let (_, created) = h.create("token-1", "p", 384);
    let id = created["response"]["id"].as_u64().unwrap();
    let update = json!({ "id": id, "name": "renamed", "uri": "https://hooks.example.com/in" });
    let (status, updated) = h.call("PUT", routes::WEBHOOK, Some("token-1"), &update.to_string());
    assert_eq!(status, 200);
    assert_eq!(
        (&updated["response"]["enabled"], &updated["response"]["triggers"]),
        (&json!(false), &json!(0)),
        "omitted means the default: a full replace"
    );
    assert_eq!(updated["response"]["modifiedBy"]["id"], "00000000-0000-4000-8000-000000000001");
    let missing_name = json!({ "id": id, "enabled": true });
    let (status, body) = h.call("PUT", routes::WEBHOOK_ENABLE, Some("token-1"), &missing_name.to_string());
    assert_eq!((status, body["status"].as_u64()), (400, Some(1)), "the enable body needs name and uri too");
    let enable = json!({ "id": id, "name": "x", "uri": "x", "enabled": true });
    let (_, enabled) = h.call("PUT", routes::WEBHOOK_ENABLE, Some("token-1"), &enable.to_string());
    assert_eq!((&enabled["response"]["enabled"], &enabled["response"]["name"]), (&json!(true), &json!("renamed")));
    let ghost = json!({ "id": 999, "name": "x", "uri": "https://hooks.example.com/in" });
    assert_eq!(h.call("PUT", routes::WEBHOOK, Some("token-1"), &ghost.to_string()).0, 404);
}

#[test]
fn deliveries_are_signed_retried_on_the_scaled_schedule_and_booked() {
    let h = Harness::new(Settings { time_scale: 0.01, ..Settings::default() });
    h.create("token-1", "files", 256);
    let fail = |status: u16| Ok(Answer { status, status_text: String::new(), headers: vec![], body: "no".into() });
    h.fake.answers.borrow_mut().extend([fail(503), fail(500), Err(SendError::Network("connection refused".into()))]);
    let (status, emitted) = h.call(
        "POST",
        "/stand-in/events",
        Some("token-1"),
        r#"{"trigger":"file.uploaded","data":{"id":42,"title":"a.docx"}}"#,
    );
    assert_eq!(status, 200, "{emitted}");
    let row_id = emitted["response"][0].as_u64().unwrap();
    h.run_deliveries();
    let sent = h.fake.sent.borrow();
    assert_eq!(sent.len(), 4, "three failures, then success");
    assert_eq!(*h.fake.sleeps.borrow(), vec![10.0, 20.0, 40.0]);
    let last = sent.last().unwrap();
    let header = &last.headers.iter().find(|(name, _)| name == signature::HEADER).unwrap().1;
    assert!(signature::verify(&["S3cret-Key!"], last.body.as_bytes(), header));
    let body: Value = serde_json::from_str(&last.body).unwrap();
    assert_eq!(
        (body["event"]["id"].as_u64(), body["event"]["trigger"].as_str()),
        (Some(row_id), Some("file.uploaded"))
    );
    assert_eq!(body["webhook"]["retryCount"], 3);
    assert_eq!(body["webhook"]["lastFailureContent"], "connection refused");
    drop(sent);
    let (_, logs) = h.call("GET", routes::WEBHOOKS_LOG, Some("token-1"), "");
    assert_eq!(logs["total"], 1);
    assert_eq!((&logs["response"][0]["status"], &logs["response"][0]["configName"]), (&json!(200), &json!("files")));
    assert!(logs["response"][0]["delivery"].is_string());
    let (_, list) = h.call("GET", routes::WEBHOOK, Some("token-1"), "");
    assert_eq!(list["response"][0]["status"], 200);
    assert!(list["response"][0]["configs"]["lastSuccessOn"].is_string());
}

#[test]
fn exhausted_failures_410_and_disabled_configs() {
    let h = Harness::new(Settings { time_scale: 0.0, ..Settings::default() });
    h.create("token-1", "failing", 0);
    let gone = Ok(Answer { status: 410, status_text: "Gone".into(), headers: vec![], body: String::new() });
    h.fake.answers.borrow_mut().extend(std::iter::repeat_n(gone, 6));
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"RoomCreated"}"#);
    h.run_deliveries();
    assert_eq!(h.fake.sent.borrow().len(), 6, "every non-2xx is retried, 410 included");
    let (_, list) = h.call("GET", routes::WEBHOOK, Some("token-1"), "");
    assert_eq!(list["response"].as_array().unwrap().len(), 0, "410 deletes the webhook");

    h.create("token-1", "off", 0);
    let (_, list) = h.call("GET", routes::WEBHOOK, Some("token-1"), "");
    let id = list["response"][0]["configs"]["id"].as_u64().unwrap();
    let disable = json!({ "id": id, "name": "x", "uri": "x", "enabled": false });
    h.call("PUT", routes::WEBHOOK_ENABLE, Some("token-1"), &disable.to_string());
    let (_, emitted) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"RoomCreated"}"#);
    assert_eq!(emitted["response"], json!([]), "disabled webhooks get no events");
}

#[test]
fn manual_retries_create_new_rows_and_are_rate_limited_when_the_limit_is_on() {
    let h = Harness::new(Settings { retry_rate_limit: Some(RateLimit::SERVER), ..Settings::default() });
    h.create("token-1", "r", 0);
    let (_, emitted) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":256,"data":{"id":1}}"#);
    h.run_deliveries();
    let first = emitted["response"][0].as_u64().unwrap() as u32;
    let (status, again) = h.call("PUT", &routes::webhook_retry(first), Some("token-1"), "");
    assert_eq!(status, 200);
    assert!(again["response"]["id"].as_u64().unwrap() > u64::from(first));
    assert!(again["response"].get("configName").is_none(), "absent in retry answers (§5.7)");
    h.run_deliveries();
    let bodies: Vec<Value> = h.fake.sent.borrow().iter().map(|s| serde_json::from_str(&s.body).unwrap()).collect();
    assert_ne!(bodies[0]["event"]["id"], bodies[1]["event"]["id"], "a manual retry is a new event id");
    for _ in 0..4 {
        assert_eq!(h.call("PUT", &routes::webhook_retry(first), Some("token-1"), "").0, 200);
    }
    let (status, limited) = h.call("PUT", &routes::webhook_retry(first), Some("token-1"), "");
    assert_eq!((status, limited["statusCode"].as_u64()), (429, Some(429)));
    let (_, batch) =
        h.call("PUT", routes::WEBHOOK_RETRY, Some("token-1"), &json!({ "Ids": [first, 9999] }).to_string());
    assert_eq!(batch["response"].as_array().unwrap().len(), 1, "unknown ids are skipped");
    assert_eq!(h.call("PUT", routes::WEBHOOK_RETRY, Some("token-1"), r#"{"ids":null}"#).0, 500);
    assert_eq!(h.call("PUT", &routes::webhook_retry(0), Some("token-1"), "").1["error"]["message"], "Id");
}

#[test]
fn the_retry_rate_limit_is_off_by_default_and_tunable() {
    let retries = |settings: Settings| {
        let h = Harness::new(settings);
        h.create("token-1", "r", 0);
        let (_, emitted) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":256,"data":{"id":1}}"#);
        let first = emitted["response"][0].as_u64().unwrap() as u32;
        let statuses: Vec<u16> =
            (0..8).map(|_| h.call("PUT", &routes::webhook_retry(first), Some("token-1"), "").0).collect();
        h.fake.now.set(h.fake.now.get() + 1_000.0);
        (statuses, h.call("PUT", &routes::webhook_retry(first), Some("token-1"), "").0)
    };
    assert_eq!(retries(Settings::default()), (vec![200; 8], 200), "the server ships with the limiter off");
    let tuned = Settings { retry_rate_limit: Some(RateLimit { limit: 2, window_ms: 500.0 }), ..Settings::default() };
    assert_eq!(retries(tuned), (vec![200, 200, 429, 429, 429, 429, 429, 429], 200), "a slot frees after the window");
}

#[test]
fn the_log_pages_and_filters() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "l", 0);
    for i in 0..7 {
        h.call(
            "POST",
            "/stand-in/events",
            Some("token-1"),
            &format!(r#"{{"trigger":"FileCreated","data":{{"id":{i}}}}}"#),
        );
    }
    h.fake.answers.borrow_mut().extend(std::iter::repeat_n(Ok(Answer { status: 503, ..Answer::default() }), 6));
    h.run_deliveries();
    let (_, page) = h.call("GET", &format!("{}?count=3&startIndex=2", routes::WEBHOOKS_LOG), Some("token-1"), "");
    assert_eq!(page["total"], 7);
    let ids: Vec<u64> = page["response"].as_array().unwrap().iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [5, 4, 3], "newest first");
    let (_, failed) = h.call("GET", &format!("{}?groupStatus=16", routes::WEBHOOKS_LOG), Some("token-1"), "");
    assert_eq!(failed["total"], 1);
    let (status, bad) = h.call("GET", &format!("{}?count=500", routes::WEBHOOKS_LOG), Some("token-1"), "");
    assert_eq!((status, bad["response"]["errors"]["Count"].is_array()), (400, true));
    let (_, other) = h.call("GET", routes::WEBHOOKS_LOG, Some("token-4"), "");
    assert_eq!(other["total"], 0, "non-admins see their own webhooks' rows only");
}

#[test]
fn a_receiver_that_became_blacklisted_is_deleted_before_sending() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "moved", 0);
    h.fake.dns.borrow_mut().insert("hooks.example.com".into(), vec!["10.0.0.7".parse().unwrap()]);
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    assert!(h.fake.sent.borrow().is_empty(), "nothing is sent");
    assert_eq!(h.call("GET", routes::WEBHOOK, Some("token-1"), "").1["response"], json!([]));
}

#[test]
fn unknown_routes_and_methods() {
    let h = Harness::new(Settings::default());
    assert_eq!(h.call("GET", "/api/2.0/settings/nothing", Some("token-1"), "").0, 404);
    assert_eq!(h.call("PATCH", routes::WEBHOOK, Some("token-1"), "").0, 405);
    assert_eq!(h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"All"}"#).0, 400);
    assert!(h.fake.saves.get() == 0, "nothing changed, nothing written");
}

#[test]
fn only_owners_and_admins_may_fan_events_out() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "all", 0);
    let event = r#"{"trigger":256,"data":{"id":1}}"#;
    for token in ["token-3", "token-4", "token-5"] {
        let (status, answer) = h.call("POST", "/stand-in/events", Some(token), event);
        assert_eq!((status, answer["error"]["message"].as_str()), (403, Some("Access denied")), "{token}");
    }
    assert!(h.fake.tasks.borrow().is_empty(), "no delivery started");
    for token in ["token-1", "token-2"] {
        assert_eq!(h.call("POST", "/stand-in/events", Some(token), event).0, 200, "{token}");
    }
    assert!(h.portal.is_caller(Some("Bearer token-5")) && !h.portal.is_caller(Some("Bearer nobody")));
}

fn failing(status: u16) -> Result<Answer, SendError> {
    Ok(Answer { status, status_text: String::new(), headers: vec![], body: "no".into() })
}

#[test]
fn a_webhook_whose_deliveries_all_failed_is_listed_with_the_failure_code() {
    let h = Harness::new(Settings { time_scale: 0.0, ..Settings::default() });
    h.create("token-1", "failing", 0);
    let status = || h.call("GET", routes::WEBHOOK, Some("token-1"), "").1["response"][0]["status"].clone();
    assert_eq!(status(), 0, "no delivery yet");
    h.fake.answers.borrow_mut().extend(std::iter::repeat_n(failing(503), 6));
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    assert_eq!(status(), 503, "the newest row, though none has a delivery time");
    h.fake.answers.borrow_mut().extend(std::iter::repeat_n(failing(404), 6));
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    assert_eq!(status(), 404, "the newest of the failed rows");
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    h.fake.answers.borrow_mut().extend(std::iter::repeat_n(failing(500), 6));
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    assert_eq!(status(), 200, "a delivered row sorts before every row without a delivery time (MySQL)");
}

#[test]
fn authorization_reaches_a_user_only_in_the_forms_the_server_accepts() {
    let h = Harness::new(Settings::default());
    let key = User { token: "sk-owner-0123456789abcdef".into(), ..user("7", Role::Owner) };
    let personal = User { token: "pat-personal-token".into(), ..user("8", Role::Admin) };
    h.portal.replace_state(State::new(vec![key, personal]));
    let cases: [(&str, u16); 17] = [
        // API keys: only `Bearer sk-…`, the prefix exactly so; the rest is trimmed.
        ("Bearer sk-owner-0123456789abcdef", 200),
        ("Bearer    sk-owner-0123456789abcdef  ", 200),
        ("sk-owner-0123456789abcdef", 401),
        ("bearer sk-owner-0123456789abcdef", 401),
        ("BEARER sk-owner-0123456789abcdef", 401),
        ("bEaReR   sk-owner-0123456789abcdef", 401),
        ("Bearer\tsk-owner-0123456789abcdef", 401),
        ("Bearer sk-owner-0123456789abcdeF", 401),
        ("Bearer sk-owner-0123456789abcde", 401),
        ("Bearer ", 401),
        ("Bearer", 401),
        ("", 401),
        // Personal tokens: bare, or after exactly `Bearer `.
        ("pat-personal-token", 200),
        ("Bearer pat-personal-token", 200),
        ("Bearer  pat-personal-token", 401),
        ("bEaReR   pat-personal-token", 401),
        ("bearer pat-personal-token", 401),
    ];
    for (header, expected) in cases {
        let (status, body) = parsed(h.respond("GET", routes::WEBHOOK, Some(header), None, ""));
        assert_eq!(status, expected, "{header:?}: {body}");
        if expected == 401 {
            assert_eq!(body, Value::Null, "{header:?}: the challenge has no body");
        }
    }
    assert!(h.portal.is_caller(Some("Bearer sk-owner-0123456789abcdef")));
    assert!(!h.portal.is_caller(Some("sk-owner-0123456789abcdef")));
}

#[test]
fn a_410_deletes_the_webhook_while_its_other_deliveries_run_their_attempts_to_the_end() {
    let h = Harness::new(Settings { time_scale: 0.0, ..Settings::default() });
    h.fake.yielding_sleeps.set(true);
    h.create("token-1", "gone", 0);
    // Two deliveries in flight, attempts interleaved: the first always meets 410, the second 503.
    h.fake.answers.borrow_mut().extend((0..6).flat_map(|_| [failing(410), failing(503)]));
    let (_, first) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    let (_, second) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    let second = second["response"][0].as_u64().unwrap();
    assert!(first["response"][0].as_u64().unwrap() < second);
    h.run_deliveries();
    let sent = h.fake.sent.borrow();
    assert_eq!(sent.len(), 12, "the second delivery's sixth attempt still goes out after the 410 deleted the webhook");
    let last: Value = serde_json::from_str(&sent[11].body).unwrap();
    assert_eq!((last["event"]["id"].as_u64(), last["webhook"]["retryCount"].as_u64()), (Some(second), Some(5)));
    drop(sent);
    assert_eq!(h.call("GET", routes::WEBHOOK, Some("token-1"), "").1["response"], json!([]));
    assert_eq!(h.call("GET", routes::WEBHOOKS_LOG, Some("token-1"), "").1["total"], 0, "nothing was booked back");
    assert!(h.fake.lines.borrow().iter().any(|line| line.contains("nothing left to book")));
}

#[test]
fn a_path_that_matches_no_route_is_a_bare_404_before_authentication() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "kept", 0);
    for (method, path) in [
        ("DELETE", "/api/2.0/settings/webhook/abc"),
        ("DELETE", "/api/2.0/settings/webhook/99999999999"),
        ("DELETE", "/api/2.0/settings/webhook/1.0"),
        ("PUT", "/api/2.0/settings/webhook/abc/retry"),
        ("GET", "/api/2.0/settings/nothing"),
    ] {
        for token in [Some("token-1"), None] {
            let response = h.respond(method, path, token.map(|t| format!("Bearer {t}")).as_deref(), None, "");
            assert_eq!((response.status, response.body.as_str()), (404, ""), "{method} {path} {token:?}");
        }
    }
    // An int that names nothing matches the route: the record is missing (JSON 404).
    let (status, body) = h.call("DELETE", "/api/2.0/settings/webhook/-5", Some("token-1"), "");
    assert_eq!((status, body["error"]["message"].as_str()), (404, Some("The record could not be found")));
    assert_eq!(h.call("GET", "/api/2.0/settings/webhook/1", Some("token-1"), "").0, 405, "the route, another method");
    assert_eq!(h.call("GET", routes::WEBHOOK, Some("token-1"), "").1["response"].as_array().unwrap().len(), 1);
}

#[test]
fn logged_response_headers_are_the_server_s_response_headers_only() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "headers", 0);
    let headers = [
        ("content-type", "text/plain; charset=utf-8"),
        ("Content-Length", "2"),
        ("date", "Tue, 30 Jun 2026 10:13:11 GMT"),
        ("connection", "keep-alive"),
        ("x-receiver-id", "r1"),
    ];
    h.fake.answers.borrow_mut().push_back(Ok(Answer {
        status: 200,
        status_text: "OK".into(),
        headers: headers.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
        body: "ok".into(),
    }));
    h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    h.run_deliveries();
    let (_, log) = h.call("GET", routes::WEBHOOKS_LOG, Some("token-1"), "");
    assert_eq!(
        log["response"][0]["responseHeaders"],
        r#"{"Date":["Tue, 30 Jun 2026 10:13:11 GMT"],"Connection":["keep-alive"],"x-receiver-id":["r1"]}"#
    );
}

#[test]
fn body_endpoints_refuse_other_content_types_with_415() {
    let h = Harness::new(Settings::default());
    let (_, made) = h.create("token-1", "typed", 0);
    let id = made["response"]["id"].as_u64().unwrap();
    let hook = json!({ "name": "n", "uri": "https://hooks.example.com/in", "secretKey": "S3cret-Key!" }).to_string();
    let update = json!({ "id": id, "name": "n", "uri": "https://hooks.example.com/in" }).to_string();
    let saves = h.fake.saves.get();
    let bodies = [
        ("POST", routes::WEBHOOK, hook.as_str()),
        ("PUT", routes::WEBHOOK, update.as_str()),
        ("PUT", routes::WEBHOOK_ENABLE, update.as_str()),
        ("PUT", routes::WEBHOOK_RETRY, r#"{"ids":[]}"#),
        ("POST", "/stand-in/events", r#"{"trigger":"FileCreated"}"#),
    ];
    for (method, path, body) in bodies {
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            None,
        ] {
            let (status, answer) = parsed(h.respond(method, path, Some("Bearer token-1"), content_type, body));
            assert_eq!(status, 415, "{method} {path} {content_type:?}: {answer}");
            assert_eq!(answer["response"]["title"], "Unsupported Media Type");
            assert_eq!(answer["response"]["status"], 415);
            assert_eq!((answer["status"].as_u64(), answer["statusCode"].as_u64()), (Some(0), Some(200)));
        }
        // Authentication comes first.
        assert_eq!(parsed(h.respond(method, path, None, Some("text/plain"), body)).0, 401);
    }
    assert_eq!(h.fake.saves.get(), saves, "nothing changed");
    for content_type in
        ["application/json", "Application/JSON; charset=utf-8", "text/json", "application/merge-patch+json"]
    {
        assert_eq!(
            parsed(h.respond("PUT", routes::WEBHOOK, Some("Bearer token-1"), Some(content_type), &update)).0,
            200,
            "{content_type}"
        );
    }
    // Endpoints that bind no body take any type, or none.
    assert_eq!(parsed(h.respond("GET", routes::WEBHOOK, Some("Bearer token-1"), Some("text/plain"), "")).0, 200);
    assert_eq!(parsed(h.respond("DELETE", &routes::webhook(id as u32), Some("Bearer token-1"), None, "")).0, 200);
}

#[test]
fn answers_say_whether_the_state_changed_and_lists_follow_every_change() {
    let h = Harness::new(Settings::default());
    let changed = |method: &str, path: &str, body: &str| {
        h.respond(method, path, Some("Bearer token-1"), Some("application/json"), body).changed
    };
    let hook =
        json!({ "name": "c", "uri": "https://hooks.example.com/in", "secretKey": "S3cret-Key!", "enabled": true });
    assert!(!changed("GET", routes::WEBHOOK, ""));
    assert!(changed("POST", routes::WEBHOOK, &hook.to_string()));
    assert!(!changed("POST", routes::WEBHOOK, &hook.to_string()), "a refused duplicate changes nothing");
    let list = |token: &str| h.call("GET", routes::WEBHOOK, Some(token), "").1["response"].as_array().unwrap().len();
    assert_eq!((list("token-1"), list("token-4")), (1, 0), "each caller gets their own list");
    assert!(changed("POST", "/stand-in/events", r#"{"trigger":"FileCreated"}"#));
    h.create("token-1", "second", 0);
    assert_eq!(list("token-1"), 2, "a cached list never outlives a change");
    let (_, linked) = h.call("GET", &format!("{}?x=1", routes::WEBHOOK), Some("token-1"), "");
    assert_eq!(linked["links"][0]["href"], "http://portal.test/api/2.0/settings/webhook?x=1", "links name the request");
    let (_, plain) = h.call("GET", routes::WEBHOOK, Some("token-1"), "");
    assert_eq!(plain["links"][0]["href"], "http://portal.test/api/2.0/settings/webhook");
    assert!(changed("DELETE", &routes::webhook(1), ""));
    assert_eq!(list("token-1"), 1);
}

#[test]
fn no_delivery_leaves_before_its_row_is_in_the_data_file() {
    let h = Harness::new(Settings::default());
    h.create("token-1", "durable", 0);
    h.fake.unwritten.set(true);
    let (status, _) = h.call("POST", "/stand-in/events", Some("token-1"), r#"{"trigger":"FileCreated"}"#);
    assert_eq!(status, 200);
    let mut tasks: Vec<_> = h.fake.tasks.borrow_mut().drain(..).collect();
    assert_eq!(tasks.len(), 1);
    for _ in 0..3 {
        assert!(tasks[0].as_mut().poll(&mut Context::from_waker(Waker::noop())).is_pending());
    }
    assert!(h.fake.sent.borrow().is_empty(), "an event id a crash could hand out again never leaves");
    h.fake.unwritten.set(false);
    assert!(tasks[0].as_mut().poll(&mut Context::from_waker(Waker::noop())).is_ready());
    assert_eq!(h.fake.sent.borrow().len(), 1);
}
