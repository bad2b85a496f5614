//! What the portal needs from its host: DNS, the HEAD probe, deliveries, timers, background
//! tasks, persistence and a log. The Node host implements it in JS (`wasm.rs` bridges the
//! two); the native tests fake it. Nothing behind this trait decides anything.

use crate::url::Url;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

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
    /// Resolves once every change so far is in the data file (at once when there is none).
    fn persisted(&self) -> LocalBoxFuture<()>;
    /// A line for a person watching the portal.
    fn log(&self, line: String);
}
