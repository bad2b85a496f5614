// A test fixture that answers like the DocSpace webhook endpoints (contract §3, §5): the three
// envelope shapes, the empty 401, validation where the real server validates (so a client that
// sends what a real server would refuse fails here too), CORS for cross-origin browser tests,
// and scripted faults. Every request it gets and every answer it gives is checked against the
// OpenAPI extract; problems land in `state.violations`. It is a test tool, not the stand-in portal.
//
//   const fx = await startFixture();          // 127.0.0.1, random port
//   fx.fault({ status: 503 });                 // the next API request gets this
//   await fx.close();
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { createValidator } from "./openapi.mjs";

export const TOKENS = { owner: "sk-owner-fixture-token", user: "sk-user-fixture-token" };

const OWNER = { id: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d", displayName: "Mike Zanyatski", hasAvatar: false, isAnonim: false };
const USER = { id: "5b1f6c1e-2d7a-4c39-8a0e-3f1d2c4b5a69", displayName: "Nadia User", hasAvatar: false, isAnonim: false };
const PEOPLE = { [TOKENS.owner]: { ...OWNER, admin: true }, [TOKENS.user]: { ...USER, admin: false } };

const BASE = "/api/2.0/settings";
const TRIGGER_TABLE = loadTriggerTable();

/** [name, dotted, bit] rows from the built package: the Rust table, not a copy of it. */
function loadTriggerTable() {
  try {
    return createRequire(import.meta.url)("../../pkg/node/docspace_webhooks.js").__triggerTable();
  } catch {
    return [["All", "*", 0]];
  }
}

function seed() {
  const webhooks = [
    {
      config: {
        id: 7,
        name: "Production Webhook",
        uri: "https://hooks.example.com/docspace",
        enabled: true,
        ssl: true,
        triggers: 384,
        createdBy: OWNER,
        createdOn: "2026-06-30T13:13:11+00:00",
        lastSuccessOn: "2026-06-30T13:14:02+00:00",
      },
      secret: "S3cret-Key!",
      status: 200,
    },
    {
      config: {
        id: 8,
        name: "Downloads",
        uri: "https://hooks.example.com/downloads",
        enabled: false,
        ssl: true,
        triggers: 2 ** 34 + 2 ** 35,
        createdBy: OWNER,
        createdOn: "2026-07-01T08:00:00+00:00",
      },
      secret: "An0ther-Secret",
      status: 0,
    },
  ];
  const logs = [
    logRow(101, 7, 128, 200, "2026-06-30T10:13:11Z", "2026-06-30T10:13:12Z"),
    logRow(102, 7, 256, 503, "2026-06-30T11:00:00Z", null),
    logRow(103, 7, 256, 404, "2026-06-30T12:00:00Z", null),
    logRow(104, 7, 128, 0, "2026-06-30T13:00:00Z", null),
    logRow(105, 7, 128, 204, "2026-07-01T09:00:00Z", "2026-07-01T09:00:01Z"),
  ];
  return { webhooks, logs, nextId: 9, nextLogId: 106 };
}

function logRow(id, configId, trigger, status, creationTime, delivery) {
  const payload = JSON.stringify({
    event: { id, createOn: creationTime, trigger: "file.created", triggerId: trigger },
    payload: { id: 42 },
  });
  return {
    id,
    configId,
    trigger,
    creationTime,
    requestHeaders: JSON.stringify({
      Accept: ["*/*"],
      "x-docspace-signature-256": ["sha256=0D4C9D09136103625379E0BC3AA6084E941EA2F2901A2C94FACEFE3A7F9688F3"],
    }),
    requestPayload: payload,
    ...(delivery
      ? { responseHeaders: JSON.stringify({ Server: ["nginx"] }), responsePayload: "ok", delivery }
      : { responsePayload: `Response status code does not indicate success: ${status}.` }),
    status,
  };
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * @param {{ port?: number, host?: string, static?: Record<string, string>, legacyTriggers?: boolean }} options
 *   `static` maps URL prefixes (e.g. "/pkg/") to directories served as files.
 */
export async function startFixture({ port = 0, host = "127.0.0.1", static: mounts = {} } = {}) {
  const validator = createValidator();
  const state = { ...seed(), requests: [], faults: [], violations: [], legacyTriggers: false };

  const server = createServer(async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error?.stack ?? error));
    }
  });

  async function handle(req, res) {
    const url = new URL(req.url, `http://${req.headers.host}`);
    cors(res);
    if (req.method === "OPTIONS") return res.writeHead(204).end();

    if (!url.pathname.startsWith("/api/")) {
      // The longest matching prefix wins, so "/" can serve a page beside "/pkg/".
      const mount = Object.keys(mounts)
        .filter((prefix) => url.pathname.startsWith(prefix))
        .sort((a, b) => b.length - a.length)[0];
      if (mount !== undefined) return serveFile(res, mounts[mount], url.pathname.slice(mount.length));
      return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }

    const body = await readBody(req);
    const request = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    state.requests.push(request);
    for (const problem of validator.checkRequest(request)) state.violations.push(`request: ${problem}`);

    const fault = state.faults.shift();
    if (fault && (await applyFault(fault, req, res))) return;

    const answer = route(request, url);
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    if (answer.checked !== false) {
      for (const problem of validator.checkResponse({ method: req.method, path: url.pathname, status: answer.status, body: text })) {
        state.violations.push(`response: ${problem}`);
      }
    }
    const headers = text ? { "content-type": "application/json; charset=utf-8" } : {};
    res.writeHead(answer.status, headers).end(text);
  }

  /** The API itself: returns `{ status, body }`. */
  function route({ method, path, query, headers, body }, url) {
    const token = (headers.authorization ?? "").replace(/^Bearer /, "");
    const me = PEOPLE[token];
    if (!me) return { status: 401 }; // the challenge: an empty body (contract §3.5)
    // `count` is 1 for the async-list endpoints on the real server, whatever their length (§3.1).
    const ok = (response, extra = {}) => ({
      status: 200,
      body: { response, count: 1, ...extra, links: [{ href: url.href, action: method }], status: 0, statusCode: 200 },
    });
    const visible = (hook) => me.admin || hook.config.createdBy.id === me.id;

    if (method === "GET" && path === `${BASE}/webhook`) {
      return ok(state.webhooks.filter(visible).map((hook) => ({ configs: hook.config, status: hook.status })));
    }
    if (method === "GET" && path === `${BASE}/webhook/triggers`) {
      if (state.legacyTriggers) {
        // v3.1–3.6: a name → bit map, up to room.copied; the 3.7 spec does not describe it.
        const map = Object.fromEntries(TRIGGER_TABLE.filter(([, , bit]) => bit <= 2 ** 27).map(([, dotted, bit]) => [dotted, bit]));
        return { ...ok(map), checked: false };
      }
      const list = TRIGGER_TABLE.map(([, dotted, bit]) => ({ name: dotted, id: bit, available: me.admin || bit !== 1 }));
      return ok(list, { count: list.length });
    }
    if (method === "POST" && path === `${BASE}/webhook`) {
      const [dto, problem] = parseDto(body, { requireId: false });
      if (problem) return problem;
      if (dto.secretKey == null) return exception(400, "Value cannot be null. (Parameter 'secret')");
      const check = checkWebhook(dto);
      if (check) return check;
      if (state.webhooks.some((hook) => hook.config.name === dto.name && hook.config.uri === dto.uri)) {
        return exception(400, "Webhook with the same name and payload URL already exists");
      }
      const config = {
        id: state.nextId++,
        name: dto.name,
        uri: dto.uri,
        enabled: dto.enabled ?? false,
        ssl: dto.ssl ?? false,
        triggers: dto.triggers ?? 0,
        ...(dto.targetId ? { targetId: dto.targetId } : {}),
        createdBy: { id: me.id, displayName: me.displayName, hasAvatar: false, isAnonim: false },
        createdOn: new Date().toISOString(),
      };
      state.webhooks.push({ config, secret: dto.secretKey, status: 0 });
      return ok(config);
    }
    if (method === "PUT" && path === `${BASE}/webhook`) {
      const [dto, problem] = parseDto(body, { requireId: true });
      if (problem) return problem;
      const check = checkWebhook(dto);
      if (check) return check;
      const hook = state.webhooks.find((h) => h.config.id === Number(dto.id));
      if (!hook) return exception(404, "The record could not be found");
      if (!visible(hook)) return exception(403, "Access denied");
      const { targetId, ...kept } = hook.config;
      hook.config = {
        ...kept,
        name: dto.name,
        uri: dto.uri,
        enabled: dto.enabled ?? false,
        ssl: dto.ssl ?? false,
        triggers: dto.triggers ?? 0,
        ...(dto.targetId ? { targetId: dto.targetId } : {}),
        modifiedBy: hook.config.modifiedBy ?? { id: me.id, displayName: me.displayName, hasAvatar: false, isAnonim: false },
        modifiedOn: new Date().toISOString(),
      };
      if (dto.secretKey) hook.secret = dto.secretKey;
      return ok(hook.config);
    }
    if (method === "PUT" && path === `${BASE}/webhook/enable`) {
      const [dto, problem] = parseDto(body, { requireId: true });
      if (problem) return problem;
      const hook = state.webhooks.find((h) => h.config.id === Number(dto.id));
      if (!hook) return exception(404, "The record could not be found");
      if (!visible(hook)) return exception(403, "Access denied");
      hook.config = { ...hook.config, enabled: dto.enabled ?? false, modifiedOn: new Date().toISOString() };
      return ok(hook.config);
    }
    let match = path.match(/^\/api\/2\.0\/settings\/webhook\/(\d+)$/);
    if (method === "DELETE" && match) {
      const index = state.webhooks.findIndex((h) => h.config.id === Number(match[1]));
      if (index < 0) return exception(404, "The record could not be found");
      if (!visible(state.webhooks[index])) return exception(403, "Access denied");
      const [hook] = state.webhooks.splice(index, 1);
      state.logs = state.logs.filter((row) => row.configId !== hook.config.id); // MySQL cascades (contract-check §1)
      return ok(hook.config);
    }
    if (method === "GET" && path === `${BASE}/webhooks/log`) {
      const count = query.count === undefined ? 100 : Number(query.count);
      if (!Number.isInteger(count) || count < 1 || count > 100)
        return validation({ Count: ["The field Count must be between 1 and 100."] });
      const start = Number(query.startIndex ?? 0);
      const matching = filterLogs(query, visible);
      const page = matching
        .slice(start, start + count)
        .map(({ configId, ...row }) => ({ ...row, configName: state.webhooks.find((h) => h.config.id === configId)?.config.name }));
      return ok(page, { total: matching.length });
    }
    match = path.match(/^\/api\/2\.0\/settings\/webhook\/(\d+)\/retry$/);
    if (method === "PUT" && match) {
      const id = Number(match[1]);
      if (id === 0) return exception(400, "Id");
      const row = state.logs.find((r) => r.id === id);
      if (!row) return exception(404, "The record could not be found");
      const hook = state.webhooks.find((h) => h.config.id === row.configId);
      if (!hook || !visible(hook)) return exception(403, "Access denied");
      return ok(retried(row));
    }
    if (method === "PUT" && path === `${BASE}/webhook/retry`) {
      let ids;
      try {
        ({ ids } = JSON.parse(body));
      } catch {
        return validation({ $: ["The JSON value could not be converted."] });
      }
      if (!Array.isArray(ids)) return exception(500, "Object reference not set to an instance of an object.");
      const rows = ids
        .map((id) => state.logs.find((r) => r.id === id))
        .filter((row) => row && visible(state.webhooks.find((h) => h.config.id === row.configId) ?? { config: { createdBy: {} } }));
      return ok(rows.map(retried));
    }
    return { status: 404, checked: false };
  }

  function retried(row) {
    const copy = {
      id: state.nextLogId++,
      configId: row.configId,
      trigger: row.trigger,
      creationTime: new Date().toISOString(),
      requestPayload: row.requestPayload,
      status: 0,
    };
    state.logs.push(copy);
    const { configId, ...shown } = copy;
    return shown;
  }

  function filterLogs(query, visible) {
    const time = (text) => Date.parse(text.endsWith("Z") ? text : `${text}Z`);
    const group = Number(query.groupStatus ?? 0);
    const classOf = (status) => (status === 0 ? 1 : status >= 500 ? 16 : status >= 400 ? 8 : status >= 300 ? 4 : status >= 200 ? 2 : 0);
    return state.logs
      .filter((row) => {
        const hook = state.webhooks.find((h) => h.config.id === row.configId);
        if (!hook || !visible(hook)) return false;
        if (query.configId && row.configId !== Number(query.configId)) return false;
        if (query.eventId && row.id !== Number(query.eventId)) return false;
        if (query.trigger && Number(query.trigger) !== 0 && row.trigger !== Number(query.trigger)) return false;
        if (query.hookUri && hook.config.uri !== query.hookUri) return false;
        if (group && classOf(row.status) && !(group & classOf(row.status))) return false;
        if (query.deliveryFrom && !(row.delivery && time(row.delivery) >= time(query.deliveryFrom))) return false;
        if (query.deliveryTo && !(row.delivery && time(row.delivery) <= time(query.deliveryTo))) return false;
        return true;
      })
      .sort((a, b) => b.id - a.id);
  }

  async function applyFault(fault, req, res) {
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.destroy) {
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined && fault.body === undefined) return false; // a pure delay
    const headers = { "content-type": fault.contentType ?? "application/json; charset=utf-8", ...fault.headers };
    const status = fault.status ?? 200;
    const text = typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body ?? exceptionBody(status, "Injected failure"));
    res.writeHead(status, headers).end(text);
    return true;
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    tokens: TOKENS,
    state,
    /** Queues faults for the next API requests: { status, body, headers, contentType, delayMs, destroy }. */
    fault(...faults) {
      state.faults.push(...faults);
    },
    /** Adds `count` log rows for webhook `configId` (for paging tests). */
    seedLogs(count, configId = 7) {
      for (let i = 0; i < count; i++)
        state.logs.push(
          logRow(
            state.nextLogId++,
            configId,
            128,
            i % 3 === 0 ? 503 : 200,
            "2026-07-02T00:00:00Z",
            i % 3 === 0 ? null : "2026-07-02T00:00:01Z",
          ),
        );
    },
    /** Answers the triggers endpoint as servers before 3.7 did (a name → bit map). */
    useLegacyTriggers(on = true) {
      state.legacyTriggers = on;
    },
    /** One entry point for remote control (the browser tests call it through Playwright). */
    control(name, args = []) {
      if (name === "requests") return state.requests;
      if (name === "clearFaults") {
        state.faults.length = 0;
        return null;
      }
      if (!["fault", "seedLogs", "useLegacyTriggers"].includes(name)) throw new Error(`unknown fixture control ${name}`);
      return this[name](...args) ?? null;
    },
    reset() {
      Object.assign(state, seed(), { legacyTriggers: false });
      state.requests.length = 0;
      state.faults.length = 0;
      state.violations.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Model binding as ASP.NET does it for these DTOs: [Required] strings, numeric enums, ints. */
function parseDto(body, { requireId }) {
  let dto;
  try {
    dto = JSON.parse(body);
  } catch {
    return [null, validation({ $: ["'<' is an invalid start of a value."] })];
  }
  if (typeof dto !== "object" || dto === null || Array.isArray(dto))
    return [null, validation({ $: ["The JSON value could not be converted."] })];
  const errors = {};
  for (const [key, label] of [
    ["name", "Name"],
    ["uri", "Uri"],
  ]) {
    if (typeof dto[key] !== "string" || dto[key].trim() === "") errors[label] = [`The ${label} field is required.`];
  }
  if (typeof dto.name === "string" && dto.name.length > 50) errors.Name = ["The field Name must be a string with a maximum length of 50."];
  if (dto.triggers !== undefined && typeof dto.triggers !== "number")
    errors["$.triggers"] = ["The JSON value could not be converted to ASC.Webhooks.Core.WebhookTrigger."];
  for (const key of ["enabled", "ssl"])
    if (dto[key] !== undefined && typeof dto[key] !== "boolean")
      errors[`$.${key}`] = ["The JSON value could not be converted to System.Boolean."];
  if (requireId && dto.id === undefined)
    errors.$ = ["JSON deserialization for type 'UpdateWebhooksConfigRequestsDto' was missing required properties including: 'id'."];
  if (Object.keys(errors).length) return [null, validation(errors)];
  return [dto, null];
}

function checkWebhook(dto) {
  if (!/^https?:\/\//i.test(dto.uri)) return exception(400, "Invalid URL scheme. Only http and https are allowed");
  if (dto.ssl && !/^https:\/\//i.test(dto.uri)) return exception(400, "HTTPS is required");
  if (dto.secretKey && !/^[\x21-\x7e]{8,30}$/.test(dto.secretKey))
    return exception(400, "Password must contain from 8 to 30 characters, only latin letters, no spaces");
  return null;
}

function validation(errors) {
  const response = {
    type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    title: "One or more validation errors occurred.",
    status: 400,
    errors,
    traceId: "00-fixture-00",
  };
  return { status: 400, body: { response, count: 1, links: [], status: 1, statusCode: 400 }, checked: false };
}

export function exceptionBody(statusCode, message) {
  return { error: { message, type: "System.ArgumentException", stack: "   at Fixture", hresult: -2147024809 }, status: 1, statusCode };
}

function exception(status, message) {
  return { status, body: exceptionBody(status, message) };
}

function cors(res) {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("access-control-allow-headers", "authorization, accept, content-type");
  res.setHeader("access-control-expose-headers", "retry-after");
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function serveFile(res, dir, relative) {
  const path = normalize(join(dir, relative || "index.html"));
  if (!path.startsWith(normalize(dir))) return res.writeHead(403).end();
  try {
    const data = await readFile(path.endsWith("/") ? join(path, "index.html") : path);
    res.writeHead(200, { "content-type": MIME[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" }).end(data);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}
