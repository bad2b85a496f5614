//! When the client tries again, and how long it waits first.
//!
//! Only idempotent calls are retried (reads, and the full-replace / enable PUTs and DELETE):
//! never create (a retry after a lost answer meets the server's duplicate check) and never the
//! retry endpoints (each call creates log rows, and the route is rate-limited).

/// How one attempt ended, as far as retrying cares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attempt {
    /// The portal answered with this HTTP status; `retry_after` seconds from a 429.
    Answered { status: u16, retry_after: Option<f64> },
    /// No HTTP answer (refused, reset, DNS, CORS).
    NetworkError,
    /// The attempt ran past `timeoutMs`.
    TimedOut,
}

/// The longest `Retry-After` the client waits out by itself; longer ones reach the caller.
pub const MAX_RETRY_AFTER_WAIT_S: f64 = 5.0;
const BASE_DELAY_MS: f64 = 300.0;
const MAX_DELAY_MS: f64 = 5_000.0;

/// The delay before the next attempt, or `None` to stop. `attempts_done` counts attempts so far
/// (≥ 1); `random` is uniform in [0, 1) and spreads clients out ("equal jitter").
pub fn next_delay_ms(
    idempotent: bool,
    attempts_done: u32,
    max_retries: u32,
    outcome: Attempt,
    random: f64,
) -> Option<f64> {
    if !idempotent || attempts_done > max_retries {
        return None;
    }
    match outcome {
        Attempt::Answered { status: 502..=504, .. } | Attempt::NetworkError | Attempt::TimedOut => {
            let exponential =
                (BASE_DELAY_MS * 2f64.powi(attempts_done.saturating_sub(1).min(16) as i32)).min(MAX_DELAY_MS);
            Some(exponential * (0.5 + random.clamp(0.0, 1.0) / 2.0))
        }
        // Wait out a short rate-limit window as told; a long one is the caller's decision.
        Attempt::Answered { status: 429, retry_after: Some(seconds) } if seconds <= MAX_RETRY_AFTER_WAIT_S => {
            Some(seconds.max(0.0) * 1000.0)
        }
        Attempt::Answered { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GATEWAY: Attempt = Attempt::Answered { status: 503, retry_after: None };

    #[test]
    fn only_idempotent_calls_retry_and_only_as_often_as_allowed() {
        assert_eq!(next_delay_ms(false, 1, 2, GATEWAY, 0.5), None);
        assert!(next_delay_ms(true, 1, 2, GATEWAY, 0.5).is_some());
        assert!(next_delay_ms(true, 2, 2, GATEWAY, 0.5).is_some());
        assert_eq!(next_delay_ms(true, 3, 2, GATEWAY, 0.5), None);
        assert_eq!(next_delay_ms(true, 1, 0, GATEWAY, 0.5), None);
    }

    #[test]
    fn retryable_outcomes() {
        for outcome in [
            Attempt::Answered { status: 502, retry_after: None },
            Attempt::Answered { status: 504, retry_after: None },
            Attempt::NetworkError,
            Attempt::TimedOut,
        ] {
            assert!(next_delay_ms(true, 1, 2, outcome, 0.0).is_some(), "{outcome:?}");
        }
        for status in [200, 400, 401, 403, 404, 409, 500, 501] {
            assert_eq!(
                next_delay_ms(true, 1, 2, Attempt::Answered { status, retry_after: None }, 0.0),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        assert_eq!(next_delay_ms(true, 1, 10, GATEWAY, 0.0), Some(150.0));
        assert_eq!(next_delay_ms(true, 1, 10, GATEWAY, 1.0), Some(300.0));
        assert_eq!(next_delay_ms(true, 2, 10, GATEWAY, 1.0), Some(600.0));
        assert_eq!(next_delay_ms(true, 10, 10, GATEWAY, 1.0), Some(MAX_DELAY_MS));
    }

    #[test]
    fn rate_limits_are_waited_out_only_when_short() {
        let short = Attempt::Answered { status: 429, retry_after: Some(2.0) };
        let long = Attempt::Answered { status: 429, retry_after: Some(60.0) };
        let unknown = Attempt::Answered { status: 429, retry_after: None };
        assert_eq!(next_delay_ms(true, 1, 2, short, 0.3), Some(2000.0));
        assert_eq!(next_delay_ms(true, 1, 2, long, 0.3), None);
        assert_eq!(next_delay_ms(true, 1, 2, unknown, 0.3), None);
        assert_eq!(next_delay_ms(false, 1, 2, short, 0.3), None);
    }
}
