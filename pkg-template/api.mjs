// The public API assembly, shared by the Node and browser entries: install(wasm, mac) wires a
// wasm build to the JavaScript half of the API (the DocSpaceError class, which a Rust struct
// cannot extend Error for; the `Trigger` object built from the Rust table; webhooksLogs() as an
// async iterator; the receiver's functions over the platform's HMAC) and returns every public
// export. scripts/build.mjs bundles this file (with receiver.mjs and signature.mjs) into api.cjs
// for the CommonJS entry.
import { makeReceiver } from "./receiver.mjs";
import { makeChecks, makeSignatures, unwrap, wasmMac } from "./signature.mjs";

/** Every failure of the package: branch on `kind`. */
export class DocSpaceError extends Error {
  constructor(kind, message, init = {}) {
    // A network failure keeps the error `fetch` rejected with as its `cause`.
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "DocSpaceError";
    this.kind = kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.details !== undefined) this.details = init.details;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }

  toJSON() {
    const { name, kind, status, message, details, retryAfter } = this;
    return { name, kind, status, message, details, retryAfter };
  }
}

/**
 * Every record of the log matching `filter`, page by page, newest first: the Rust pager decides
 * which page is next and when to stop; a record that shifts into a later page while new ones
 * arrive is not yielded twice. A bad filter rejects the first `next()`.
 *
 * The iterator is written out rather than an async generator: a generator pays two promise hops
 * per record on top of the `for await` (1.8 ms per 10,000 records against 0.7 ms for this,
 * measured in Node 20). It behaves as the generator did: nothing happens before the first
 * `next()`; calls made without waiting are answered in order; an error rejects one `next()` and
 * ends the walk; `return()` and `throw()` end it and free the cursor.
 */
function webhooksLogs(filter, options) {
  let cursor = null;
  let page = [];
  let at = 0;
  let finished = false;
  // Steps asked for and not yet done (reading a page, ending the walk), and the promise that
  // settles once the last of them has: a call made meanwhile waits its turn.
  let pending = 0;
  let queue = Promise.resolve();
  // The log comes newest first, so ids usually fall: an id below every one yielded so far cannot
  // be a repeat, and needs no set (a Set of 10,000 ids cost a fifth of the walk's overhead). The
  // first id that does not fall switches to the set, built from all yielded.
  let lowest = Infinity;
  const yielded = [];
  let seen = null;

  /** The next record of the page in hand that was not yielded before, or null. */
  const fromPage = () => {
    while (at < page.length) {
      const item = page[at++];
      const id = item.id;
      if (typeof id === "number") {
        if (seen === null && id < lowest) {
          lowest = id;
          yielded.push(id);
        } else {
          seen ??= new Set(yielded);
          if (seen.has(id)) continue;
          seen.add(id);
        }
      }
      return { value: item, done: false };
    }
    return null;
  };
  const finish = () => {
    finished = true;
    page = [];
    cursor?.free();
    cursor = null;
  };
  const advance = async () => {
    for (;;) {
      const ready = fromPage();
      if (ready !== null) return ready;
      if (finished) return done();
      try {
        cursor ??= unwrap(this.__logCursor(filter));
        if (!cursor.more) {
          finish();
          return done();
        }
        page = await this.__nextPage(cursor, options);
        at = 0;
      } catch (error) {
        finish();
        throw error;
      }
    }
  };
  /** Runs `step` after every step already asked for, as the generator queued its calls. */
  const after = (step) => {
    pending++;
    const result = queue.then(async () => {
      try {
        return await step();
      } finally {
        // Before the caller hears back: its next call may take the fast path again.
        pending--;
      }
    });
    queue = result.then(ignore, ignore);
    return result;
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (pending === 0) {
        // The common case: a record of the page already read, without waiting for anything.
        const ready = fromPage();
        if (ready !== null) return Promise.resolve(ready);
        if (finished) return Promise.resolve(done());
      }
      return after(advance);
    },
    return(value) {
      return after(() => {
        finish();
        return { value, done: true };
      });
    },
    throw(error) {
      return after(() => {
        finish();
        throw error;
      });
    },
  };
}

// A fresh result each time, as a generator gives: what a caller does with one cannot reach the next.
const done = () => ({ value: undefined, done: true });
const ignore = () => {};

/**
 * Wires the wasm exports to the JS classes and returns the public API. `mac` computes the
 * receiver's HMAC: node:crypto's in Node, the wasm's elsewhere (signature.mjs).
 */
export function install(wasm, mac = wasmMac(wasm)) {
  wasm.__setErrorClass(DocSpaceError);

  const Trigger = {};
  const triggerNames = new Set();
  for (const [name, dotted, bit] of JSON.parse(wasm.__triggerTable())) {
    Trigger[name] = bit;
    triggerNames.add(name).add(dotted);
  }
  Object.defineProperties(Trigger, {
    names: { value: (mask) => unwrap(wasm.__triggerNames(mask)) },
    mask: { value: (triggers) => unwrap(wasm.__triggerMask(triggers)) },
  });
  Object.freeze(Trigger);

  Object.defineProperty(wasm.WebhooksClient.prototype, "webhooksLogs", { value: webhooksLogs, writable: true, configurable: true });

  const inspect = Symbol.for("nodejs.util.inspect.custom");
  wasm.WebhooksClient.prototype[inspect] = function () {
    return `WebhooksClient ${JSON.stringify(this.toJSON())}`;
  };

  const checks = makeChecks(wasm, DocSpaceError);
  const signatures = makeSignatures(mac, wasm, checks, triggerNames);
  return {
    WebhooksClient: wasm.WebhooksClient,
    DocSpaceError,
    Trigger,
    ...signatures,
    ...makeReceiver(signatures, checks),
  };
}
