//! Waiting in Rust for a JS promise without making closures per wait. `JsFuture` makes two
//! `Closure::once` per promise (each a JS function, a `FinalizationRegistry` entry, and their
//! teardown); a call waits for one promise per attempt, and those closures cost 1.4-4 µs of its
//! ~30 µs of CPU in Node (measured with fetch answering from memory). Here one callback, made
//! once, settles every wait: the JS side is handed the callback and the wait's key, and calls
//! `settle(key, value)` (or `settle(-key - 1, reason)`).
//!
//! A slot's generation changes whenever it is freed, so a settle that arrives for a wait already
//! gone (dropped before its promise settled) is ignored instead of settling another one.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;

/// The waits in progress, as plain data (tested natively with numbers for values).
struct Waits<T> {
    slots: Vec<Slot<T>>,
    free: Vec<usize>,
}

struct Slot<T> {
    generation: u32,
    state: State<T>,
}

enum State<T> {
    Free,
    Waiting(Option<Waker>),
    Settled(Result<T, T>),
}

impl<T> Waits<T> {
    const fn new() -> Self {
        Waits { slots: Vec::new(), free: Vec::new() }
    }

    /// A new wait: `(slot, generation)`.
    fn begin(&mut self) -> (u32, u32) {
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot { generation: 0, state: State::Free });
            self.slots.len() - 1
        });
        let slot = &mut self.slots[index];
        slot.state = State::Waiting(None);
        // Slots never outnumber the waits alive at once, far below u32::MAX.
        (index as u32, slot.generation)
    }

    fn slot(&mut self, index: u32, generation: u32) -> Option<&mut Slot<T>> {
        self.slots.get_mut(index as usize).filter(|slot| slot.generation == generation)
    }

    /// Records the outcome; returns the waker to wake (outside any borrow). A settle for a wait
    /// already gone, or a second settle, changes nothing.
    fn settle(&mut self, index: u32, generation: u32, outcome: Result<T, T>) -> Option<Waker> {
        let slot = self.slot(index, generation)?;
        match std::mem::replace(&mut slot.state, State::Free) {
            State::Waiting(waker) => {
                slot.state = State::Settled(outcome);
                waker
            }
            other => {
                slot.state = other;
                None
            }
        }
    }

    /// The outcome, once settled (the slot is freed); `None` while waiting (the waker is kept).
    /// `Some(None)` for a wait already finished.
    fn poll(&mut self, index: u32, generation: u32, waker: &Waker) -> Option<Option<Result<T, T>>> {
        let Some(slot) = self.slot(index, generation) else { return Some(None) };
        match std::mem::replace(&mut slot.state, State::Free) {
            State::Settled(outcome) => {
                self.release(index);
                Some(Some(outcome))
            }
            State::Waiting(_) | State::Free => {
                slot.state = State::Waiting(Some(waker.clone()));
                None
            }
        }
    }

    /// Frees the slot of a wait that is dropped, unless it was freed already.
    fn end(&mut self, index: u32, generation: u32) {
        if self.slot(index, generation).is_some() {
            self.release(index);
        }
    }

    fn release(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        slot.state = State::Free;
        slot.generation = (slot.generation + 1) % GENERATIONS;
        self.free.push(index as usize);
    }
}

thread_local! {
    static WAITS: RefCell<Waits<JsValue>> = const { RefCell::new(Waits::new()) };
    /// The one callback every wait is settled through; it lives as long as the module. Two
    /// arguments (the wait's key, the value): a closure of four made wasm-bindgen keep ~1.4 KB of
    /// call shims more.
    static SETTLE: Closure<dyn FnMut(f64, JsValue)> = Closure::new(settle);
}

/// Slot and generation as one number the JS side hands back: `slot + generation × 2³²`, exact in
/// a double while the generation (which wraps at 2²⁰) stays below 2²¹.
const SLOT_SPAN: f64 = 4_294_967_296.0;
const GENERATIONS: u32 = 1 << 20;

fn key(index: u32, generation: u32) -> f64 {
    f64::from(index) + f64::from(generation) * SLOT_SPAN
}

/// `key` for a fulfilled promise, `-key - 1` for a rejected one.
fn settle(signed_key: f64, value: JsValue) {
    let ok = signed_key >= 0.0;
    let key = if ok { signed_key } else { -signed_key - 1.0 };
    // `as` saturates (and maps NaN to 0): a key the JS side never sent finds no wait.
    let (index, generation) = ((key % SLOT_SPAN) as u32, (key / SLOT_SPAN) as u32);
    let outcome = if ok { Ok(value) } else { Err(value) };
    let waker = WAITS.with(|waits| waits.borrow_mut().settle(index, generation, outcome));
    // Outside the borrow: waking queues the task, which polls later.
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// A wait for one promise's outcome, settled through [`with_callback`]'s function with
/// [`Wait::key`].
pub struct Wait {
    index: u32,
    generation: u32,
}

impl Wait {
    pub fn begin() -> Wait {
        let (index, generation) = WAITS.with(|waits| waits.borrow_mut().begin());
        Wait { index, generation }
    }

    /// What the JS side passes back to the callback: the wait's key (see [`settle`]).
    pub fn key(&self) -> f64 {
        key(self.index, self.generation)
    }
}

/// The function the JS side calls once the promise settles: `(key, value)` when it fulfils,
/// `(-key - 1, reason)` when it rejects.
pub fn with_callback<R>(f: impl FnOnce(&JsValue) -> R) -> R {
    SETTLE.with(|callback| f(callback.as_ref()))
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match WAITS.with(|waits| waits.borrow_mut().poll(self.index, self.generation, cx.waker())) {
            Some(Some(outcome)) => Poll::Ready(outcome),
            // Polled again after it finished: nothing is left to give.
            Some(None) => Poll::Ready(Err(JsValue::UNDEFINED)),
            None => Poll::Pending,
        }
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        // try_borrow_mut: a drop during a panic's unwinding must not panic again.
        WAITS.with(|waits| {
            if let Ok(mut waits) = waits.try_borrow_mut() {
                waits.end(self.index, self.generation);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_wait_gets_what_its_promise_settled_with_and_its_task_is_woken() {
        let mut waits = Waits::<u32>::new();
        let count = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let (slot, generation) = waits.begin();
        assert_eq!(waits.poll(slot, generation, &waker), None);
        waits.settle(slot, generation, Ok(7)).expect("the waker kept by the poll").wake();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(waits.poll(slot, generation, &waker), Some(Some(Ok(7))));

        // Settled before it was first polled (nothing to wake yet), and with a rejection.
        let (slot, generation) = waits.begin();
        assert!(waits.settle(slot, generation, Err(8)).is_none());
        assert_eq!(waits.poll(slot, generation, Waker::noop()), Some(Some(Err(8))));
    }

    #[test]
    fn keys_carry_slot_and_generation_exactly() {
        for (index, generation) in [(0, 0), (7, 3), (u32::MAX, GENERATIONS - 1)] {
            let key = key(index, generation);
            assert_eq!(((key % SLOT_SPAN) as u32, (key / SLOT_SPAN) as u32), (index, generation));
            let rejected = -key - 1.0;
            assert_eq!(-rejected - 1.0, key);
        }
    }

    #[test]
    fn a_settle_for_a_wait_already_gone_settles_nothing_else() {
        let mut waits = Waits::<u32>::new();
        let stale = waits.begin();
        waits.end(stale.0, stale.1);
        // The freed slot is taken again, under a new generation.
        let fresh = waits.begin();
        assert_eq!(fresh.0, stale.0);
        assert_ne!(fresh.1, stale.1);
        assert!(waits.settle(stale.0, stale.1, Ok(1)).is_none());
        assert_eq!(waits.poll(fresh.0, fresh.1, Waker::noop()), None);
        waits.settle(fresh.0, fresh.1, Ok(2));
        // A second settle of the same wait keeps the first outcome.
        assert!(waits.settle(fresh.0, fresh.1, Ok(3)).is_none());
        assert_eq!(waits.poll(fresh.0, fresh.1, Waker::noop()), Some(Some(Ok(2))));
        // Polled after it finished, ended twice, settles for slots that never were: no panic.
        assert_eq!(waits.poll(fresh.0, fresh.1, Waker::noop()), Some(None));
        waits.end(fresh.0, fresh.1);
        assert!(waits.settle(u32::MAX, 0, Ok(4)).is_none());
        assert_eq!(waits.free.len(), 1, "the one slot is free once");
    }
}
