//! The stand-in DocSpace portal's behaviour: the nine webhook endpoints with the contract's
//! envelopes, validation, permissions by role, the receiver guard and HEAD probe, the delivery
//! log, retries, the retry rate limit, and real signed deliveries with the server's retry
//! schedule and bookkeeping. All I/O (DNS, HTTP, timers, the data file) goes through [`Io`],
//! which the Node host implements in JS and the native tests fake.

pub mod api;
pub mod binding;
pub mod delivery;
pub mod guard;
pub mod http;
pub mod io;
mod listing;
pub mod sender;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// The core's modules, under the names the portal's modules use.
#[cfg(target_arch = "wasm32")]
pub(crate) use docspace_webhooks_core::view;
pub(crate) use docspace_webhooks_core::{
    envelope, error, group_status, guid, model, routes, signature, time, triggers, url,
};

pub use http::{Request, Response};
pub use io::{Answer, Io, LocalBoxFuture, Outgoing, SendError};
use state::{State, User};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

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

pub struct Portal<I: Io> {
    io: I,
    settings: Settings,
    state: RefCell<State>,
    limits: RefCell<HashMap<String, VecDeque<f64>>>,
    traces: Cell<u64>,
    /// Answer the triggers list as servers before 3.7 did (a test hook).
    legacy_triggers: Cell<bool>,
    /// Counts the changes of the state: an answer made while it moved waits for the data file.
    version: Cell<u64>,
    /// The users' token digests and the version they were taken at (constant-time sign-in).
    token_digests: RefCell<(u64, Vec<[u8; 32]>)>,
}

impl<I: Io> Portal<I> {
    pub fn new(io: I, settings: Settings, state: State) -> Rc<Self> {
        Rc::new(Portal {
            io,
            settings,
            state: RefCell::new(state),
            limits: RefCell::new(HashMap::new()),
            traces: Cell::new(0),
            legacy_triggers: Cell::new(false),
            version: Cell::new(0),
            token_digests: RefCell::new((u64::MAX, Vec::new())),
        })
    }

    /// Replaces everything the portal holds (users, webhooks, log) and forgets the rate-limit
    /// windows: the test hooks' seeding. Deliveries in flight for rows that no longer exist stop
    /// at their next step.
    pub fn replace_state(&self, state: State) {
        *self.state.borrow_mut() = state;
        self.limits.borrow_mut().clear();
        self.save();
    }

    /// From now on, answer `GET …/webhook/triggers` as servers 3.1–3.6 did: a map from dotted name
    /// to bit, of the events those versions had (up to `room.copied`), without availability.
    pub fn use_legacy_triggers(&self, on: bool) {
        self.legacy_triggers.set(on);
    }

    pub fn snapshot(&self) -> String {
        serde_json::to_string(&*self.state.borrow()).unwrap_or_default()
    }

    pub fn users(&self) -> Vec<User> {
        self.state.borrow().users.clone()
    }

    /// How many times the state has changed: the host's data file is current once it has
    /// written a snapshot taken at this version.
    pub fn version(&self) -> u64 {
        self.version.get()
    }

    fn save(&self) {
        self.version.set(self.version.get() + 1);
        self.io.changed();
    }
}

#[cfg(test)]
mod tests;
