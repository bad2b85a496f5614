// The receiver as users see it, run in Node (import and require) and in Chromium. The vectors
// come from node:crypto (tests/support/signature-vectors.mjs), never from this package.
import { deepEqual, equal, match, ok, throws } from "./assert.mjs";

const encoder = new TextEncoder();
/** A text JS can hold but UTF-8 cannot: signed as if the lone surrogate were U+FFFD. */
export const LONE_SURROGATE_BODY = '{"title":"half \ud83d of an emoji"}';
const MiB = 1 << 20;
/** A body source that counts what the reader pulls from it, and whether it was cancelled. */
function countingStream(totalBytes, chunkBytes = 64 * 1024) {
  const chunk = new Uint8Array(chunkBytes).fill(120);
  const tally = { pulled: 0, cancelled: false };
  tally.stream = new ReadableStream({
    pull(controller) {
      if (tally.pulled >= totalBytes) return controller.close();
      tally.pulled += chunk.byteLength;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      tally.cancelled = true;
    },
  });
  return tally;
}
/** Resolves when `release()` is called: an onEvent that is still running. */
function gate() {
  let release;
  const opened = new Promise((resolve) => (release = resolve));
  return { opened, release };
}
const signed = (vectors, extra = {}) =>
  new Request("http://receiver.test/hooks", {
    method: "POST",
    body: vectors.delivery,
    headers: { "content-type": "application/json; charset=utf-8", "x-docspace-signature-256": vectors.deliverySignature, ...extra },
  });

export const cases = {
  "verifyWebhookSignature accepts the portal's signature in either case and any body form"({ api, vectors }) {
    const { verifyWebhookSignature: verify } = api;
    const { secret, delivery, deliverySignature: signature } = vectors;
    ok(verify(secret, delivery, signature), "upper-case hex, string body");
    ok(verify(secret, delivery, signature.toLowerCase()), "lower-case hex");
    ok(verify(secret, delivery, `  ${signature}\t`), "surrounding whitespace");
    ok(verify(secret, encoder.encode(delivery), signature), "Uint8Array body");
    ok(verify(secret, encoder.encode(delivery).buffer, signature), "ArrayBuffer body");
    ok(verify(["An-Old-Secret", secret], delivery, signature), "rotation: the right secret second");
    ok(verify(secret, "", vectors.empty), "empty body");
    ok(verify(secret, "x".repeat(vectors.big.length), vectors.big.signature), "1 MiB body");
  },

  "of more secrets than the receiver keeps keyed, each verifies only its own signature, in any order"({ api, vectors }) {
    const { manySecrets, delivery } = vectors;
    for (const round of [manySecrets, [...manySecrets].reverse(), manySecrets]) {
      for (const [index, { secret, signature }] of round.entries()) {
        ok(api.verifyWebhookSignature(secret, delivery, signature), `${secret}: its own signature`);
        const other = round[(index + 1) % round.length];
        ok(!api.verifyWebhookSignature(secret, delivery, other.signature), `${secret}: not ${other.secret}'s`);
        equal(api.computeWebhookSignature(secret, delivery), signature, `${secret}: computed`);
      }
    }
  },

  "verifyWebhookSignature refuses everything that is not the portal's signature"({ api, vectors }) {
    const { verifyWebhookSignature: verify } = api;
    const { secret, delivery, deliverySignature: signature } = vectors;
    ok(!verify("s3cret-Key!", delivery, signature), "wrong secret");
    ok(!verify(secret, delivery.replace("Production", "Productiom"), signature), "one byte changed");
    ok(!verify(secret, delivery + " ", signature), "one byte added");
    ok(!verify(secret, JSON.stringify(JSON.parse(delivery), null, 1), signature), "re-serialised JSON");
    ok(!verify(secret, delivery, signature.slice("sha256=".length)), "hex without sha256=");
    ok(!verify(secret, delivery, signature.replace("sha256=", "sha1=")), "another algorithm");
    ok(!verify(secret, delivery, signature.slice(0, -1)), "a digit short");
    ok(!verify(secret, delivery, ""), "empty header");
    ok(!verify(secret, delivery, undefined), "missing header");
    ok(!verify(secret, delivery, null), "null header");
    ok(!verify(["An-Old-Secret"], delivery, signature), "rotation without the right secret");
  },

  "bad secrets and parsed bodies throw a DocSpaceError naming the argument"({ api, vectors }) {
    const cases = [
      [
        () => api.verifyWebhookSignature(undefined, vectors.delivery, vectors.deliverySignature),
        /^secret: must be the webhook's secret key/,
      ],
      [() => api.verifyWebhookSignature("", vectors.delivery, vectors.deliverySignature), /^secret: must not be empty/],
      [() => api.verifyWebhookSignature([], vectors.delivery, vectors.deliverySignature), /^secret: must list at least one secret/],
      // A key DocSpace could never have stored (it keeps ≤ 50 characters) is refused before any hashing.
      [
        () => api.verifyWebhookSignature(["S3cret-Key!", "k".repeat(10 * 2 ** 20)], vectors.delivery, vectors.deliverySignature),
        /^secret\[1\]: must be at most 1024 characters \(DocSpace keeps at most 50\), got 10485760/,
      ],
      [
        () => api.verifyWebhookSignature(["ok", 5], vectors.delivery, vectors.deliverySignature),
        /^secret\[1\]: must be the webhook's secret key/,
      ],
      [
        () => api.verifyWebhookSignature(vectors.secret, JSON.parse(vectors.delivery), vectors.deliverySignature),
        /^rawBody: .*not parsed JSON/,
      ],
      [() => api.verifyWebhookSignature(vectors.secret, 42, vectors.deliverySignature), /^rawBody: must be the raw body/],
      [() => api.computeWebhookSignature(null, "x"), /^secret:/],
    ];
    for (const [call, pattern] of cases) {
      const error = throws(call, String(call));
      ok(error instanceof api.DocSpaceError, `${call}: DocSpaceError`);
      equal(error.kind, "invalid_input");
      match(error.message, pattern);
      ok(!error.message.includes(vectors.secret), "the secret is not echoed");
    }
  },

  "computeWebhookSignature gives exactly what the portal sends"({ api, vectors }) {
    equal(api.computeWebhookSignature(vectors.secret, vectors.delivery), vectors.deliverySignature);
    equal(api.computeWebhookSignature(vectors.secret, encoder.encode(vectors.delivery)), vectors.deliverySignature);
    equal(api.computeWebhookSignature(vectors.secret, ""), vectors.empty);
    equal(api.computeWebhookSignature(vectors.secret, LONE_SURROGATE_BODY), vectors.loneSurrogate, "a lone surrogate signs as U+FFFD");
    ok(api.verifyWebhookSignature(vectors.secret, LONE_SURROGATE_BODY, vectors.loneSurrogate), "and verifies");
    // Bodies of every size class the browser's encoder buffer sees: reused, grown, bypassed.
    for (const size of [10, 5000, 100_000]) {
      const text = "é".repeat(size);
      const bytes = encoder.encode(text);
      equal(api.computeWebhookSignature(vectors.secret, text), api.computeWebhookSignature(vectors.secret, bytes), `${size} characters`);
    }
  },

  "parseWebhookEvent verifies, then gives a typed event"({ api, vectors }) {
    const event = api.parseWebhookEvent(vectors.delivery, vectors.deliverySignature, vectors.secret);
    equal(event.trigger, "file.uploaded");
    equal(event.event.id, 1234);
    equal(event.event.triggerId, api.Trigger.FileUploaded);
    equal(event.payload.title, "Отчёт 2026 — “final”.docx");
    deepEqual(event.webhook.triggers, ["file.uploaded"]);
    const newer = api.parseWebhookEvent(vectors.unknownTrigger.body, vectors.unknownTrigger.signature, [vectors.secret]);
    equal(newer.trigger, "unknown", "a trigger newer than the package parses, as unknown");
    equal(newer.event.trigger, "space.teleported");
    equal(newer.event.triggerId, 2 ** 36);
  },

  "parseWebhookEvent tells a bad signature from a bad body"({ api, vectors }) {
    const forged = throws(() => api.parseWebhookEvent(vectors.delivery, vectors.deliverySignature, "Wrong-Secret"));
    equal(forged.kind, "invalid_input");
    ok(forged.details.signature, "details.signature");
    const missing = throws(() => api.parseWebhookEvent(vectors.delivery, undefined, vectors.secret));
    match(missing.message, /^signature: is missing/);
    const notDelivery = throws(() => api.parseWebhookEvent(vectors.notADelivery.body, vectors.notADelivery.signature, vectors.secret));
    ok(notDelivery.details.rawBody, "details.rawBody");
    match(notDelivery.message, /no "event" object/);
  },

  async "createWebhookHandler answers the probe, delivers once, refuses forgeries"({ api, vectors }) {
    const events = [];
    const handler = api.createWebhookHandler({ secret: vectors.secret, onEvent: (event) => events.push(event) });
    equal((await handler(new Request("http://receiver.test/hooks", { method: "HEAD" }))).status, 200, "HEAD probe");
    const first = await handler(signed(vectors));
    equal(first.status, 200);
    deepEqual(await first.json(), { ok: true });
    const retried = await handler(signed(vectors));
    deepEqual(await retried.json(), { ok: true, duplicate: true });
    equal(events.length, 1, "the portal's automatic retry (same event id) is dropped");
    equal(events[0].payload.title, "Отчёт 2026 — “final”.docx");
    const forged = await handler(signed(vectors, { "x-docspace-signature-256": vectors.empty }));
    equal(forged.status, 401);
    equal((await handler(signed(vectors, { "x-docspace-signature-256": "" }))).status, 401);
    equal(events.length, 1, "onEvent never ran for a forgery");
    equal((await handler(new Request("http://receiver.test/hooks"))).status, 405);
  },

  async "createWebhookHandler: 413 for big bodies, 400 for non-deliveries, 500 and a retry when onEvent throws"({ api, vectors }) {
    let calls = 0;
    const errors = [];
    const handler = api.createWebhookHandler({
      secret: vectors.secret,
      maxBodyBytes: 1000,
      onError: (error) => errors.push(error.message),
      onEvent: () => {
        calls += 1;
        if (calls === 1) throw new Error("database down");
      },
    });
    const big = new Request("http://receiver.test/hooks", {
      method: "POST",
      body: "x".repeat(1001),
      headers: { "x-docspace-signature-256": vectors.empty },
    });
    equal((await handler(big)).status, 413);
    const junk = new Request("http://receiver.test/hooks", {
      method: "POST",
      body: vectors.notADelivery.body,
      headers: { "x-docspace-signature-256": vectors.notADelivery.signature },
    });
    equal((await handler(junk)).status, 400);
    equal((await handler(signed(vectors))).status, 500);
    deepEqual(errors, ["database down"]);
    equal((await handler(signed(vectors))).status, 200, "the retry of a failed delivery is handled, not dropped");
    equal(calls, 2);
  },

  async "createWebhookHandler takes several secrets and a custom dedupe store"({ api, vectors }) {
    const claimed = [];
    const store = { claim: async (id) => (claimed.includes(id) ? false : (claimed.push(id), true)), release: async () => {} };
    const handler = api.createWebhookHandler({ secrets: ["Next-Secret-1", vectors.secret], dedupe: store, onEvent: () => {} });
    equal((await handler(signed(vectors))).status, 200);
    deepEqual(claimed, [1234]);
    const noDedupe = api.createWebhookHandler({ secret: vectors.secret, dedupe: false, onEvent: () => {} });
    deepEqual(await (await noDedupe(signed(vectors))).json(), { ok: true });
    deepEqual(await (await noDedupe(signed(vectors))).json(), { ok: true });
  },

  "createWebhookHandler checks its options"({ api }) {
    const cases = [
      [undefined, /^options:/],
      [{ onEvent() {} }, /^secret: give either secret or secrets/],
      [{ secret: "a", secrets: ["b"], onEvent() {} }, /^secret: give either/],
      [{ secret: "", onEvent() {} }, /^secret: must not be empty/],
      [{ secret: "S3cret" }, /^onEvent: must be a function/],
      [{ secret: "S3cret", onEvent() {}, maxBodyBytes: 0 }, /^maxBodyBytes:/],
      [{ secret: "S3cret", onEvent() {}, dedupe: {} }, /^dedupe:/],
      [{ secret: "S3cret", onEvent() {}, onevent() {} }, /^onevent: unknown option/],
      // The caller's object may throw when read, or not be a plain object: always invalid_input.
      [new Map([["secret", "S3cret"]]), /^options: must be an object like \{ secret, onEvent \}, got an object of a class/],
      [
        Object.defineProperty({ onEvent() {} }, "secret", {
          enumerable: true,
          get: () => {
            throw new Error("getter");
          },
        }),
        /^secret: could not be read/,
      ],
      [
        {
          secrets: [
            Object.defineProperty([], 0, {
              get: () => {
                throw new Error("index");
              },
            }),
          ][0],
          onEvent() {},
        },
        /^secret/,
      ],
      [{ secret: "S3cret", onEvent() {}, onError: "log" }, /^onError: must be a function, got a string/],
      [{ secret: "S3cret", onEvent() {}, dedupeWindowMs: Symbol("ms") }, /^dedupeWindowMs: must be a positive number/],
      [{ secret: "S3cret", onEvent() {}, ["x".repeat(100_000)]: 1 }, /^x{40}…: unknown option/],
    ];
    for (const [options, pattern] of cases) {
      const error = throws(() => api.createWebhookHandler(options));
      equal(error.kind, "invalid_input");
      match(error.message, pattern);
    }
  },

  async "the fetch-style handler answers what is not a Request with 400, never a rejection"({ api }) {
    const reported = [];
    const handler = api.createWebhookHandler({ secret: "S3cret-Key!", onEvent() {}, onError: (error) => reported.push(error) });
    for (const request of [undefined, null, "POST /hooks", {}, { method: "POST" }]) {
      const response = await handler(request);
      ok(response instanceof Response, `an answer for ${String(request)}`);
      equal(response.status, 400);
    }
    equal(reported.length, 5, "each is reported to onError");
  },

  async "createWebhookHandler stops reading at maxBodyBytes a streamed body without Content-Length"({ api, vectors }) {
    let calls = 0;
    const handler = api.createWebhookHandler({ secret: vectors.secret, maxBodyBytes: 1000, onEvent: () => (calls += 1) });
    const source = countingStream(64 * MiB);
    const request = new Request("http://receiver.test/hooks", {
      method: "POST",
      body: source.stream,
      duplex: "half",
      headers: { "x-docspace-signature-256": vectors.empty },
    });
    equal(request.headers.get("content-length"), null, "no declared length");
    const response = await handler(request);
    equal(response.status, 413);
    ok(source.pulled < MiB, `pulled ${source.pulled} bytes of a 64 MiB stream`);
    ok(source.cancelled, "the body stream is cancelled");
    equal(calls, 0);
  },

  async "createWebhookHandler answers 409 to a repeat of an event still being handled, never 200"({ api, vectors }) {
    const running = gate();
    let calls = 0;
    const handler = api.createWebhookHandler({
      secret: vectors.secret,
      onError: () => {},
      onEvent: async () => {
        calls += 1;
        await running.opened;
      },
    });
    const first = handler(signed(vectors));
    const repeat = await handler(signed(vectors));
    equal(repeat.status, 409, "the portal must try again later: the first attempt may still fail");
    ok(Number(repeat.headers.get("retry-after")) > 0, "Retry-After");
    running.release();
    equal((await first).status, 200);
    deepEqual(await (await handler(signed(vectors))).json(), { ok: true, duplicate: true }, "once done, a repeat is a duplicate");
    equal(calls, 1);
  },

  async "createWebhookHandler answers 503 when its dedupe store fails (fail-closed), and handles with fail-open"({ api, vectors }) {
    const failing = [
      [
        "throws",
        () => ({
          claim: () => {
            throw new Error("store down");
          },
          release() {},
        }),
      ],
      [
        "rejects",
        () => ({
          claim: async () => {
            throw new Error("store down");
          },
          release() {},
        }),
      ],
    ];
    for (const [how, store] of failing) {
      const reports = [];
      let calls = 0;
      const closed = api.createWebhookHandler({
        secret: vectors.secret,
        dedupe: store(),
        onError: (error, context) => reports.push([error.message, context.stage, context.eventId]),
        onEvent: () => (calls += 1),
      });
      const response = await closed(signed(vectors));
      equal(response.status, 503, `a store that ${how}`);
      ok(Number(response.headers.get("retry-after")) > 0, "Retry-After");
      deepEqual(reports, [["store down", "claim", 1234]]);
      equal(calls, 0, "fail-closed: onEvent does not run");
      const open = api.createWebhookHandler({
        secret: vectors.secret,
        dedupe: store(),
        onStoreError: "fail-open",
        onError: () => {},
        onEvent: () => (calls += 1),
      });
      deepEqual(await (await open(signed(vectors))).json(), { ok: true });
      equal(calls, 1, "fail-open: onEvent runs anyway");
    }
    const error = throws(() => api.createWebhookHandler({ secret: "S3cret", onEvent() {}, onStoreError: "open" }));
    match(error.message, /^onStoreError: must be one of fail-closed, fail-open/);
  },

  async "createWebhookHandler still answers when the store fails after onEvent"({ api, vectors }) {
    const reports = [];
    let fail = true;
    const store = {
      claim: () => true,
      complete: () => Promise.reject(new Error("complete failed")),
      release: () => Promise.reject(new Error("release failed")),
    };
    const handler = api.createWebhookHandler({
      secret: vectors.secret,
      dedupe: store,
      onError: (error, context) => reports.push(`${context.stage}: ${error.message}`),
      onEvent: () => {
        if (fail) throw new Error("handler failed");
      },
    });
    equal((await handler(signed(vectors))).status, 500, "onEvent threw: 500, whatever release did");
    fail = false;
    equal((await handler(signed(vectors))).status, 200, "onEvent ran: 200, even if the store could not record it");
    deepEqual(reports, ["release: release failed", "onEvent: handler failed", "complete: complete failed"]);
  },

  async "createWebhookHandler without dedupe handles every copy and reports nothing"({ api, vectors }) {
    const reports = [];
    let calls = 0;
    const handler = api.createWebhookHandler({
      secret: vectors.secret,
      dedupe: false,
      onError: (error, context) => reports.push(`${context.stage}: ${error.message}`),
      onEvent: () => (calls += 1),
    });
    for (let i = 0; i < 2; i++) deepEqual(await (await handler(signed(vectors))).json(), { ok: true });
    equal(calls, 2);
    deepEqual(reports, []);
  },

  "createWebhookHandler checks secrets exactly as verifyWebhookSignature does"({ api }) {
    const bad = [null, 5, "", [], ["ok", 5], ["ok", ""], new Array(17).fill("Some-Secret"), {}, new Date(0)];
    for (const value of bad) {
      const expected = throws(() => api.verifyWebhookSignature(value, "", ""));
      for (const option of ["secret", "secrets"]) {
        const error = throws(() => api.createWebhookHandler({ [option]: value, onEvent() {} }), `${option}: ${String(value)}`);
        ok(error instanceof api.DocSpaceError);
        equal(error.kind, "invalid_input");
        equal(error.message, expected.message);
        deepEqual(error.details, expected.details);
      }
    }
  },
};
