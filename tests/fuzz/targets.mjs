// What the fuzz run calls: every public entry of the package, each with arguments built from
// the random stream (mostly valid shapes with hostile parts, sometimes wholly hostile values).
//
// A target is `{ name, weight, build(r) }`; `build` returns `{ shape, call, expect }` where
// `call()` is the timed part (it returns the value, or a promise of it, that the call gave) and
// `expect` names extra oracles the runner applies to the outcome (see run.mjs).
import { createHmac } from "node:crypto";
import { types } from "node:util";
import { signatureVectors } from "../support/signature-vectors.mjs";
import { around, hostile, REFUSE, refusal } from "./hostile.mjs";

/** The webhook secret the fuzz's valid inputs use: it must never appear in an error. */
export const SECRET = "Fz-Secret-9x!";

/** The portal's signature header for `body` (node:crypto, independent of the package). */
export const sign = (secret, body) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex").toUpperCase();

/** The shared test delivery (tests/support/signature-vectors.mjs) with event id `id`. */
const sample = JSON.parse(signatureVectors().delivery);
const delivery = (id) => JSON.stringify({ ...sample, event: { ...sample.event, id } });

/** A value for a scalar argument: the valid one, or a hostile one. */
function scalar(r, valid) {
  return r.chance(0.35) ? { value: valid, shape: JSON.stringify(valid) } : hostile(r);
}

/** An object argument: omitted, or `template` made hostile (./hostile.mjs `around`). */
function objectArg(r, template, omitChance = 0.1) {
  return r.chance(omitChance) ? { value: undefined, shape: "omitted" } : around(r, template);
}

const show = (args) => args.map((arg) => arg.shape).join(" | ");

/**
 * The targets, bound to `ctx`: `{ api, portalUrl, token, client, fetchCalls(), fetch }`, where
 * `client` is a valid client whose injected `fetch` counts calls.
 */
export function makeTargets(ctx) {
  const { api } = ctx;
  const whyRefuse = (value) => refusal(value, types.isProxy);

  const templates = {
    clientOptions: () => ({ baseUrl: ctx.portalUrl, token: ctx.token, retries: 0, timeoutMs: 5000, fetch: ctx.fetch }),
    requestOptions: () => ({ signal: new AbortController().signal, timeoutMs: 5000 }),
    webhookInput: () => ({
      name: "Fuzz hook",
      uri: "https://hooks.example.com/fuzz",
      secretKey: SECRET,
      triggers: ["FileUploaded", "room.created"],
      enabled: true,
      ssl: true,
      targetId: "42",
    }),
    webhookUpdate: () => ({
      id: 8,
      name: "Downloads",
      uri: "https://hooks.example.com/downloads",
      enabled: true,
      ssl: true,
      triggers: "All",
      secretKey: SECRET,
    }),
    changes: () => ({ name: "Renamed", triggers: ["FileCreated"], enabled: false }),
    logFilter: () => ({
      configId: 7,
      count: 10,
      startIndex: 0,
      groupStatus: ["Status4xx", "Status5xx"],
      trigger: "FileUploaded",
      deliveryFrom: "2026-06-01T00:00:00Z",
      deliveryTo: new Date("2026-08-01T00:00:00Z"),
    }),
    handlerOptions: () => ({
      secret: SECRET,
      onEvent: () => {},
      onError: () => {},
      dedupe: true,
      dedupeWindowMs: 60_000,
      maxBodyBytes: 4096,
      onStoreError: "fail-closed",
    }),
  };

  /** A method of the valid client: `args(r)` gives its arguments, the last being the per-call options. */
  const method = (name, weight, args, objectArgs = []) => ({
    name,
    weight,
    build(r) {
      const own = args(r);
      const built = [...own, objectArg(r, templates.requestOptions, 0.4)];
      if (r.chance(0.03)) built.push(hostile(r)); // an extra argument
      const values = built.map((arg) => arg.value);
      // Arguments that must be plain objects (or absent) for the call to be allowed through.
      const refused = [...objectArgs, own.length].map((i) => [i, whyRefuse(values[i])]).find(([, why]) => why);
      return {
        shape: show(built),
        call: () => ctx.client[name](...values),
        expect: {
          async: true,
          countsRequests: true,
          mustRefuse: refused ? { ...refused[1], why: `argument ${refused[0]}: ${refused[1].why}` } : null,
        },
      };
    },
  });

  const id = (r) => scalar(r, r.pick([7, 8]));

  /** A receiver function, given what it takes of (secret, raw body, header); `result` checks a return. */
  const receiver = (name, weight, order, result) => ({
    name,
    weight,
    build(r) {
      const args = order(receiverArgs(r));
      return { shape: show(args), call: () => api[name](...args.map((arg) => arg.value)), expect: { result } };
    },
  });

  const targets = [
    {
      name: "new WebhooksClient",
      weight: 8,
      build(r) {
        const options = objectArg(r, templates.clientOptions, 0.05);
        const tryCall = r.chance(0.3);
        return {
          shape: options.shape + (tryCall ? " (then getTenantWebhooks)" : ""),
          call: async () => {
            const client = new api.WebhooksClient(options.value);
            // Whatever was accepted must give a working client: its summary, and a call.
            JSON.stringify(client.toJSON());
            void client.baseUrl;
            void client.lastResponse;
            if (tryCall) await client.getTenantWebhooks({ timeoutMs: 2000 });
            return client;
          },
          expect: { accepted: () => checkAcceptedOptions(options.value, whyRefuse) },
        };
      },
    },
    method("getTenantWebhooks", 4, () => []),
    method("getWebhookTriggers", 3, () => []),
    method("createWebhook", 10, (r) => [objectArg(r, templates.webhookInput)], [0]),
    method("updateWebhook", 8, (r) => [objectArg(r, templates.webhookUpdate)], [0]),
    method("patchWebhook", 8, (r) => [id(r), objectArg(r, templates.changes)], [1]),
    method("enableWebhook", 5, (r) => [id(r), scalar(r, r.chance(0.5))]),
    method("removeWebhook", 4, (r) => [id(r)]),
    method("getWebhooksLogs", 10, (r) => [objectArg(r, templates.logFilter, 0.2)], [0]),
    method("retryWebhook", 4, (r) => [scalar(r, r.pick([1, 2, 3]))]),
    method("retryWebhooks", 4, (r) => [r.chance(0.4) ? { value: [1, 2], shape: "[1, 2]" } : hostile(r)]),
    {
      name: "webhooksLogs",
      weight: 8,
      build(r) {
        const filter = objectArg(r, templates.logFilter, 0.2);
        const options = objectArg(r, templates.requestOptions, 0.4);
        const twice = r.chance(0.2);
        const [filterWhy, optionsWhy] = [filter.value, options.value].map(whyRefuse);
        return {
          shape: `${filter.shape} | ${options.shape}${twice ? " (two next() at once)" : ""}`,
          call: async () => {
            const iterator = ctx.client.webhooksLogs(filter.value, options.value);
            if (typeof iterator?.[Symbol.asyncIterator] !== "function") throw new TypeError("webhooksLogs() gave no async iterator");
            try {
              const steps = twice ? [iterator.next(), iterator.next()] : [iterator.next()];
              return await Promise.all(steps);
            } finally {
              await iterator.return?.();
            }
          },
          expect: {
            countsRequests: true,
            mustRefuse: filterWhy
              ? { ...filterWhy, why: `filter: ${filterWhy.why}` }
              : optionsWhy && { ...optionsWhy, why: `options: ${optionsWhy.why}` },
          },
        };
      },
    },
    {
      name: "client summaries",
      weight: 1,
      build() {
        return {
          shape: "toJSON, baseUrl, lastResponse, util.inspect",
          call: () => {
            const { client } = ctx;
            return [JSON.stringify(client.toJSON()), client.baseUrl, client.lastResponse, String(client), ctx.inspect(client)];
          },
          expect: {},
        };
      },
    },
    {
      name: "Trigger.mask",
      weight: 6,
      build(r) {
        const arg = r.chance(0.3) ? around(r, () => ["FileUploaded", "room.created"]) : hostile(r);
        return { shape: arg.shape, call: () => api.Trigger.mask(arg.value), expect: { result: isMask } };
      },
    },
    {
      name: "Trigger.names",
      weight: 4,
      build(r) {
        const arg = r.chance(0.3) ? scalar(r, r.pick([0, 384, 2 ** 34 + 2 ** 35, 2 ** 53 - 1])) : hostile(r);
        return { shape: arg.shape, call: () => api.Trigger.names(arg.value), expect: { result: isNameList } };
      },
    },
    receiver(
      "verifyWebhookSignature",
      6,
      ([secret, body, header]) => [secret, body, header],
      (value) => typeof value === "boolean",
    ),
    receiver(
      "computeWebhookSignature",
      4,
      ([secret, body]) => [secret, body],
      (value) => /^sha256=[0-9A-F]{64}$/.test(value),
    ),
    receiver(
      "parseWebhookEvent",
      6,
      ([secret, body, header]) => [body, header, secret],
      (value) => typeof value?.event === "object",
    ),
    {
      name: "createWebhookHandler",
      weight: 5,
      build(r) {
        const options = objectArg(r, templates.handlerOptions, 0.05);
        const request = r.chance(0.5) ? hostileRequest(r, ctx) : null;
        const incoming = request?.value();
        return {
          shape: options.shape + (request ? ` (then ${request.shape})` : ""),
          call: async () => {
            const handler = api.createWebhookHandler(options.value);
            if (typeof handler !== "function" || typeof handler.node !== "function") throw new TypeError("no handler function");
            return request ? handle(handler, incoming, request.real) : handler;
          },
          expect: { accepted: () => checkAcceptedHandlerOptions(options.value, whyRefuse), handled: isResponse },
        };
      },
    },
    {
      name: "handler(request)",
      weight: 8,
      build(r) {
        const request = hostileRequest(r, ctx);
        const incoming = request.value();
        return {
          shape: request.shape,
          call: () => handle(ctx.handler, incoming, request.real),
          expect: { handled: isResponse },
        };
      },
    },
  ];
  return targets;
}

/**
 * Runs a handler, which must always answer (README: "it never rejects"): `{ handled }` with
 * its answer, or `{ rejected, real }` when it rejected (`real`: the request was a real Request).
 */
async function handle(handler, request, real) {
  try {
    return { handled: await handler(request) };
  } catch (error) {
    return { rejected: error, real };
  }
}

function isMask(value) {
  return Number.isSafeInteger(value) && value >= 0;
}

function isNameList(value) {
  return Array.isArray(value) && value.every((name) => typeof name === "string");
}

function isResponse(value) {
  return value instanceof Response && value.status >= 200 && value.status <= 599;
}

/** What a constructor that accepted `options` should have refused (issue 16 item 8), or null. */
function checkAcceptedOptions(options, whyRefuse) {
  const types = {
    baseUrl: "string",
    token: "string",
    retries: "number",
    timeoutMs: "number",
    fetch: "function",
    onRequest: "function",
    onResponse: "function",
  };
  return whyRefuse(options) ?? wrongTypes(options, types) ?? prefixed("options.basic", whyRefuse(options.basic));
}

/** What createWebhookHandler should have refused, or null. */
function checkAcceptedHandlerOptions(options, whyRefuse) {
  return whyRefuse(options) ?? wrongTypes(options, { onEvent: "function", onError: "function" });
}

/** The first of `types` (key → typeof) that `options` has with another type, as a refusal. */
function wrongTypes(options, types) {
  if (options === undefined || options === null) return null;
  for (const [key, type] of Object.entries(types)) {
    const value = options[key]; // readable: whyRefuse checked every own property
    if (value !== undefined && value !== null && typeof value !== type)
      return { category: REFUSE, why: `options.${key} is not a ${type} but ${describeType(value)}` };
  }
  return null;
}

function describeType(value) {
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

function prefixed(field, refusal) {
  return refusal && { ...refusal, why: `${field}: ${refusal.why}` };
}

/** Secret(s), raw body and signature header: valid ones, near misses and hostile values. */
function receiverArgs(r) {
  const body = delivery(r.int(1e9));
  const secret = r.pick([
    () => ({ value: SECRET, shape: "secret" }),
    () => ({ value: ["old-secret", SECRET], shape: "[old, secret]" }),
    () => ({ value: Array(17).fill(SECRET), shape: "17 secrets" }),
    () => hostile(r),
    () => around(r, () => ["old-secret", SECRET]),
  ])();
  const raw = r.pick([
    () => ({ value: body, shape: "delivery (string)" }),
    () => ({ value: new TextEncoder().encode(body), shape: "delivery (Uint8Array)" }),
    () => ({ value: Buffer.from(body), shape: "delivery (Buffer)" }),
    () => ({ value: new TextEncoder().encode(body).buffer, shape: "delivery (ArrayBuffer)" }),
    () => ({ value: body.slice(0, -1), shape: "truncated delivery" }),
    () => ({ value: "{}", shape: '"{}"' }),
    () => ({ value: new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), shape: "invalid UTF-8 bytes" }),
    () => hostile(r),
    () => hostile(r),
  ])();
  let signed;
  try {
    signed = sign(SECRET, typeof raw.value === "string" || raw.value instanceof Uint8Array ? raw.value : body);
  } catch {
    signed = sign(SECRET, body); // a proxy or a detached buffer: sign the delivery instead
  }
  const header = r.pick([
    () => ({ value: signed, shape: "its signature" }),
    () => ({ value: signed.toLowerCase(), shape: "its signature, lower case" }),
    () => ({ value: `  ${signed}  `, shape: "its signature, padded" }),
    () => ({ value: sign("wrong-secret", body), shape: "a wrong signature" }),
    () => ({ value: `${signed}, ${signed}`, shape: "two signatures" }),
    () => hostile(r),
  ])();
  return [secret, raw, header];
}

/**
 * A request for the fetch-style handler: a real `Request` with hostile method, headers or body;
 * a Request-like object with throwing parts; or any hostile value. `value()` builds it (a body
 * can be read once, so each call gets its own).
 */
function hostileRequest(r, ctx) {
  const url = "http://127.0.0.1/hooks";
  const roll = r.next();
  if (roll < 0.7) {
    const method = r.pick(["POST", "POST", "POST", "POST", "HEAD", "GET", "PUT", "DELETE", "OPTIONS", "PATCH"]);
    const body = delivery(r.int(1e9));
    const kinds = [
      ["signed delivery", () => body, sign(SECRET, body)],
      ["signed delivery, wrong signature", () => body, sign("wrong-secret", body)],
      ["signed delivery, no signature", () => body, null],
      ["signed delivery, 1 MiB signature", () => body, "sha256=" + "A".repeat(1 << 20)],
      ["signed non-delivery", () => '{"hello":"world"}', sign(SECRET, '{"hello":"world"}')],
      ["signed non-JSON", () => "not json", sign(SECRET, "not json")],
      ["signed invalid UTF-8", () => new Uint8Array([0xff, 0xfe]), sign(SECRET, new Uint8Array([0xff, 0xfe]))],
      ["signed empty body", () => "", sign(SECRET, "")],
      ["body over maxBodyBytes", () => "x".repeat(8192), sign(SECRET, "x".repeat(8192))],
      ["a 1 MiB body", () => ctx.bigBody, "sha256=00"],
      ["a stream that errors", () => erroringStream(), sign(SECRET, body)],
      ["a stream of strings", () => stringStream(body), sign(SECRET, body)],
    ];
    const [shape, makeBody, signature] = r.pick(kinds);
    const withBody = method !== "GET" && method !== "HEAD";
    return {
      shape: `${method} ${shape}`,
      real: true,
      value: () => {
        const headers = new Headers({ "content-type": "application/json" });
        if (signature !== null) headers.set("x-docspace-signature-256", signature);
        return new Request(url, { method, headers, body: withBody ? makeBody() : undefined, duplex: "half" });
      },
    };
  }
  if (roll < 0.85) {
    const likes = [
      [
        "Request-like with a throwing method getter",
        () => Object.defineProperty({ headers: new Headers() }, "method", { get: throwing("method") }),
      ],
      ["Request-like whose headers.get throws", () => ({ method: "POST", headers: { get: throwing("headers.get") }, body: null })],
      ["Request-like without headers", () => ({ method: "POST" })],
      [
        "Request-like with a throwing body getter",
        () => Object.defineProperty({ method: "POST", headers: new Headers() }, "body", { get: throwing("body") }),
      ],
      [
        "Request-like whose body.getReader throws",
        () => ({ method: "POST", headers: new Headers(), body: { getReader: throwing("getReader"), cancel: async () => {} } }),
      ],
      [
        "Proxy(every trap throws) of a Request",
        () => new Proxy(new Request(url, { method: "POST", body: "{}" }), { get: throwing("get trap") }),
      ],
    ];
    const [shape, make] = r.pick(likes);
    return { shape, real: false, value: make };
  }
  const value = hostile(r);
  return { shape: `not a Request: ${value.shape}`, real: false, value: () => value.value };
}

function throwing(what) {
  return () => {
    throw new Error(`fuzz: ${what} throws`);
  };
}

function erroringStream() {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) controller.error(new Error("fuzz: the stream failed"));
      else controller.enqueue(new TextEncoder().encode('{"event":'));
      sent = true;
    },
  });
}

function stringStream(text) {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(text);
      controller.close();
    },
  });
}
