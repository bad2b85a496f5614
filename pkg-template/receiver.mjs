// createWebhookHandler: the receiving endpoint around parseWebhookEvent (signature.mjs). It
// speaks the Web-standard Request/Response and, through `.node`, node:http and Express; it uses
// no Node module, so the same code runs in workers and browsers.
import { readable, SIGNATURE_HEADER } from "./signature.mjs";

const DEFAULT_MAX_BODY = 1 << 20;
const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
const MEMORY_LIMIT = 10_000;
/** Seconds a client should wait before trying a delivery again that got 409 or 503. */
const RETRY_AFTER_SECONDS = "5";
const STORE_POLICIES = ["fail-closed", "fail-open"];

/**
 * Event ids of the last `windowMs` (at most MEMORY_LIMIT, oldest forgotten first), each either
 * being handled or handled: the same contract as a shared store, for one process.
 */
function memoryStore(windowMs) {
  const seen = new Map(); // id -> { at, done }
  return {
    claim(id) {
      const now = Date.now();
      for (const [old, entry] of seen) {
        if (now - entry.at < windowMs && seen.size < MEMORY_LIMIT) break;
        seen.delete(old);
      }
      const entry = seen.get(id);
      if (entry) return entry.done ? false : "in-flight";
      seen.set(id, { at: now, done: false });
      return true;
    },
    complete(id) {
      const entry = seen.get(id);
      if (entry) entry.done = true;
    },
    release(id) {
      seen.delete(id);
    },
  };
}

/** The chunks as one Uint8Array. */
function concat(chunks, size) {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A Web `Request`'s body, read chunk by chunk; null (and the stream cancelled) past `limit`. */
async function readRequestBody(request, limit) {
  if (Number(request.headers.get("content-length")) > limit) {
    request.body?.cancel().catch(() => {});
    return null;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks, size);
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

/** A node:http request's body; null past `limit`, after which nothing more is read. */
export function readNodeBody(req, limit) {
  if (Number(req.headers["content-length"]) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const stop = (result) => {
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", reject);
      resolve(result);
    };
    const onData = (chunk) => {
      const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > limit) {
        req.pause?.();
        stop(null);
      } else chunks.push(bytes);
    };
    const onEnd = () => stop(concat(chunks, size));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

export function makeReceiver(signatures, checks) {
  const { invalid, describe } = checks;

  function createWebhookHandler(options) {
    // The options are the caller's object: its getters and proxy traps may throw, and a class's
    // object (a Map…) is not options. Every read is checked, nothing is converted implicitly.
    const kind = describe(options);
    if (kind !== "an object") throw invalid("options", `must be an object like { secret, onEvent }, got ${kind}`);
    const known = ["secret", "secrets", "onEvent", "dedupe", "dedupeWindowMs", "maxBodyBytes", "onError", "onStoreError"];
    for (const key of Object.keys(options)) {
      if (!known.includes(key))
        throw invalid(key.length > 40 ? `${key.slice(0, 40)}…` : key, `unknown option; known options: ${known.join(", ")}`);
    }
    const read = (key, fallback) => {
      const value = readable(() => options[key], key, invalid);
      return value === undefined ? fallback : value;
    };
    const secret = read("secret");
    const secrets = read("secrets");
    const onEvent = read("onEvent");
    const dedupe = read("dedupe", true);
    const dedupeWindowMs = read("dedupeWindowMs", DEFAULT_WINDOW_MS);
    const maxBodyBytes = read("maxBodyBytes", DEFAULT_MAX_BODY);
    const onStoreError = read("onStoreError", "fail-closed");
    const userOnError = read("onError");
    if ((secret === undefined) === (secrets === undefined)) throw invalid("secret", "give either secret or secrets");
    const keys = checks.secrets(secrets === undefined ? secret : secrets);
    if (typeof onEvent !== "function") throw invalid("onEvent", `must be a function, got ${describe(onEvent)}`);
    if (userOnError !== undefined && typeof userOnError !== "function")
      throw invalid("onError", `must be a function, got ${describe(userOnError)}`);
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) throw invalid("maxBodyBytes", "must be a positive integer");
    if (typeof dedupeWindowMs !== "number" || !(dedupeWindowMs > 0))
      throw invalid("dedupeWindowMs", "must be a positive number of milliseconds");
    if (!STORE_POLICIES.includes(onStoreError)) throw invalid("onStoreError", `must be one of ${STORE_POLICIES.join(", ")}`);
    const store = dedupe === true ? memoryStore(dedupeWindowMs) : dedupe === false ? null : dedupe;
    if (store !== null) {
      const method = (name) => readable(() => store[name], `dedupe.${name}`, invalid);
      if (typeof store !== "object" || typeof method("claim") !== "function" || typeof method("release") !== "function") {
        throw invalid("dedupe", "must be true, false, or a store with claim(id) and release(id)");
      }
      if (method("complete") !== undefined && typeof method("complete") !== "function") {
        throw invalid("dedupe", "complete, when given, must be a function");
      }
    }
    const onError = userOnError ?? ((error, context) => console.error(`docspace-webhooks: ${context.stage} failed:`, error));
    // Nothing a user's onError throws may turn an answer into a rejected handler.
    const report = (error, context) => {
      try {
        onError(error, context);
      } catch (thrown) {
        console.error("docspace-webhooks: onError threw:", thrown);
      }
    };

    // Verification and parsing in one place, so their implementation can change under the handler.
    const verifiedEvent = (body, signature) => signatures.parseWebhookEvent(body, signature, keys);

    /**
     * The store's verdict on `id`: "claimed" (handle it, then tell the store), "unclaimed"
     * (handle it, no store to tell), "duplicate", "in-flight" or "store-down".
     */
    async function claim(id) {
      if (!store) return "unclaimed";
      try {
        const claimed = await store.claim(id);
        return claimed === "in-flight" ? "in-flight" : claimed ? "claimed" : "duplicate";
      } catch (error) {
        report(error, { stage: "claim", eventId: id });
        return onStoreError === "fail-open" ? "unclaimed" : "store-down";
      }
    }

    /** Tells the store how handling ended; a store failure here is reported, never answered. */
    async function settle(id, stage) {
      try {
        if (stage === "release") await store.release(id);
        else await store.complete?.(id);
      } catch (error) {
        report(error, { stage, eventId: id });
      }
    }

    /** The whole decision, transport aside: `{ status, body, headers? }` for one request. */
    async function decide(method, signature, readBody) {
      if (method === "HEAD") return { status: 200, body: "" }; // the portal's probe on create/enable
      if (method !== "POST")
        return { status: 405, body: { error: "only POST deliveries (and HEAD probes)" }, headers: { allow: "POST, HEAD" } };
      const body = await readBody();
      if (body === null) return { status: 413, body: { error: `body larger than ${maxBodyBytes} bytes` }, tooLarge: true };
      let event;
      try {
        event = verifiedEvent(body, signature);
      } catch (error) {
        if (error?.details?.signature) return { status: 401, body: { error: error.message } };
        return { status: 400, body: { error: error?.message ?? String(error) } };
      }
      const id = event.event.id;
      const verdict = await claim(id);
      const later = { "retry-after": RETRY_AFTER_SECONDS };
      if (verdict === "duplicate") return { status: 200, body: { ok: true, duplicate: true } };
      if (verdict === "in-flight") return { status: 409, body: { error: `event ${id} is being handled; retry later` }, headers: later };
      if (verdict === "store-down") return { status: 503, body: { error: "the dedupe store failed; retry later" }, headers: later };
      const claimed = verdict === "claimed";
      try {
        await onEvent(event);
      } catch (error) {
        if (claimed) await settle(id, "release");
        report(error, { stage: "onEvent", eventId: id });
        return { status: 500, body: { error: "the handler failed; the portal will retry" } };
      }
      if (claimed) await settle(id, "complete");
      return { status: 200, body: { ok: true } };
    }

    /** decide(), but always an answer: whatever escapes it is a 500. */
    async function answer(method, signature, readBody) {
      try {
        return await decide(method, signature, readBody);
      } catch (error) {
        report(error, { stage: "request" });
        return { status: 500, body: { error: error?.message ?? String(error) } };
      }
    }

    const respond = (result) => {
      const headers = { "content-type": "application/json", ...result.headers };
      return new Response(result.body === "" ? null : JSON.stringify(result.body), { status: result.status, headers });
    };

    async function handler(request) {
      let method;
      let signature;
      try {
        method = request.method;
        signature = request.headers.get(SIGNATURE_HEADER);
      } catch (error) {
        report(error, { stage: "request" });
        return respond({ status: 400, body: { error: "not a fetch Request: the handler takes (request: Request)" } });
      }
      return respond(await answer(method, signature, () => readRequestBody(request, maxBodyBytes)));
    }

    handler.node = async function node(req, res) {
      const readBody = () => {
        // Express with express.raw() (Buffer) or express.text() (string) has read it already.
        if (req.body instanceof Uint8Array || typeof req.body === "string") {
          const size = typeof req.body === "string" ? new TextEncoder().encode(req.body).byteLength : req.body.byteLength;
          return size > maxBodyBytes ? null : req.body;
        }
        if (req.body !== undefined) {
          throw invalid(
            "rawBody",
            'was already parsed by a body parser: mount the handler before express.json(), or use express.raw({ type: "*/*" })',
          );
        }
        return readNodeBody(req, maxBodyBytes);
      };
      const signature = [req.headers[SIGNATURE_HEADER]].flat()[0];
      const result = await answer(req.method, signature, readBody);
      res.statusCode = result.status;
      res.setHeader("content-type", "application/json");
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      // The rest of an oversized body is never read: the connection ends with this answer.
      if (result.tooLarge) res.setHeader("connection", "close");
      res.end(result.body === "" ? undefined : JSON.stringify(result.body));
    };

    return handler;
  }

  return { createWebhookHandler };
}
