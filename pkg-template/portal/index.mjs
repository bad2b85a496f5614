// startPortal(): the stand-in DocSpace portal. The Rust core (./wasm) decides everything the
// API does; this file is its node:http shell: CORS, the body limit, static files (the demo page
// and the browser build, on the same origin), a demo receiver (the inbox), and I/O.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createAgents, createDataWriter, createHost, createTimers, removeStaleTemps } from "./host.mjs";
import { checkTestHooks, createTestHooks, stubNetwork } from "./testing.mjs";

const require = createRequire(import.meta.url);
const { PortalCore } = require("./wasm/docspace_webhooks.js");
const here = fileURLToPath(new URL(".", import.meta.url));
const packageRoot = join(here, "..");

export const MAX_BODY_BYTES = 1 << 20;
const INBOX_LIMIT = 200;
/** Reusable answers kept at once (callers × URLs); all are dropped on the next change. */
const REUSED_LIMIT = 64;
const ROLES = ["owner", "admin", "roomAdmin", "user", "guest"];
const SEEDED = [
  ["owner", "Owen Owner", "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d"],
  ["admin", "Ada Admin", "1f5c2d7e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"],
  ["roomAdmin", "Rita RoomAdmin", "2a6d3e8f-4c5b-4d6e-9f70-8b9cad0e1f30"],
  ["user", "Uma User", "3b7e4f90-5d6c-4e7f-a081-9cadbe1f2041"],
  ["guest", "Gus Guest", "4c8f50a1-6e7d-4f80-b192-adbecf203152"],
];

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".mjs": "text/javascript",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** `retryRateLimit`: a boolean, or `{ limit?, windowMs? }` with a positive integer and duration. */
function checkRateLimit(value) {
  if (typeof value === "boolean") return;
  const shape = "must be true, false or { limit?: positive integer, windowMs?: positive number }";
  if (typeof value !== "object" || value === null) throw new Error(`retryRateLimit: ${shape}`);
  for (const key of Object.keys(value))
    if (key !== "limit" && key !== "windowMs") throw new Error(`retryRateLimit.${key}: unknown; ${shape}`);
  const { limit = 5, windowMs = 900_000 } = value;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`retryRateLimit.limit: ${shape}`);
  if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new Error(`retryRateLimit.windowMs: ${shape}`);
}

/** One user per role, with fresh random tokens. */
export function seedUsers() {
  return SEEDED.map(([role, displayName, id]) => ({
    id,
    displayName,
    role,
    token: `sk-${role.toLowerCase()}-${randomBytes(12).toString("hex")}`,
  }));
}

/** Checks a users list (from a config file or the caller); throws with a clear message. */
export function checkUsers(users) {
  if (!Array.isArray(users) || users.length === 0) throw new Error("users: must be a non-empty array");
  const tokens = new Set();
  const ids = new Set();
  users.forEach((user, index) => {
    const where = `users[${index}]`;
    if (typeof user !== "object" || user === null) throw new Error(`${where}: must be an object`);
    for (const key of ["id", "displayName", "role", "token"]) {
      if (typeof user[key] !== "string" || user[key] === "") throw new Error(`${where}.${key}: must be a non-empty string`);
    }
    if (!ROLES.includes(user.role)) throw new Error(`${where}.role: must be one of ${ROLES.join(", ")}`);
    if (tokens.has(user.token)) throw new Error(`${where}.token: used twice`);
    if (ids.has(user.id)) throw new Error(`${where}.id: used twice`);
    tokens.add(user.token);
    ids.add(user.id);
  });
  return users.map(({ id, displayName, role, token }) => ({ id, displayName, role, token }));
}

async function readData(file) {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return null;
    if (error.code === "EISDIR") throw new Error(`${file}: is a directory, not a data file; not starting`);
    throw new Error(`${file}: ${error.message}`);
  }
}

/** Why the data file cannot be written, in words (the error's own text names the temp file). */
function unwritable(error, file) {
  const dir = dirname(file);
  switch (error.code) {
    case "ENOENT":
      return existsSync(dir) ? `no file can be created in ${dir}` : `its directory ${dir} does not exist`;
    case "ENOTDIR":
      return `a part of ${dir} is not a directory`;
    case "EACCES":
    case "EPERM":
      return `no permission to create files in ${dir}`;
    case "EROFS":
      return `${dir} is on a read-only file system`;
    case "ENOSPC":
      return "the disk is full";
    default:
      return error.message;
  }
}

/** The answer to a change that was made but could not be written: the caller must not take it
 * as kept (it is lost if the portal stops before a later write succeeds). */
function unsavedAnswer(error, file) {
  const envelope = {
    error: {
      message: `The change was made but could not be saved to ${file} (${unwritable(error, file)}); it is lost if the portal stops`,
      type: "System.IO.IOException",
      stack: null,
      hresult: -2146232800,
    },
    status: 1,
    statusCode: 500,
  };
  return { status: 500, headers: [["Content-Type", "application/json; charset=utf-8"]], body: JSON.stringify(envelope), changed: true };
}

/**
 * Starts the portal. Resolves once it listens.
 * @param {import("./index.d.ts").PortalOptions} [options]
 */
export async function startPortal(options = {}) {
  const known = [
    "port",
    "host",
    "users",
    "allowLoopback",
    "timeScale",
    "dataFile",
    "retryRateLimit",
    "deliveryTimeoutMs",
    "log",
    "serveStatic",
    "testHooks",
    "allowedOrigins",
  ];
  for (const key of Object.keys(options))
    if (!known.includes(key)) throw new Error(`startPortal: unknown option ${key}; known: ${known.join(", ")}`);
  const {
    port = 0,
    host = "127.0.0.1",
    allowLoopback = false,
    timeScale = 1,
    dataFile,
    retryRateLimit = false,
    deliveryTimeoutMs = 100_000,
    log = () => {},
    serveStatic = true,
    testHooks = false,
    allowedOrigins = [],
  } = options;
  if (!Array.isArray(allowedOrigins) || allowedOrigins.some((origin) => typeof origin !== "string" || !/^https?:\/\/[^/]+$/.test(origin)))
    throw new Error('allowedOrigins: must be an array of origins like "http://localhost:5173"');
  if (!(Number.isFinite(timeScale) && timeScale >= 0)) throw new Error("timeScale: must be a number ≥ 0");
  checkRateLimit(retryRateLimit);
  checkTestHooks(testHooks);

  const data = dataFile ? await readData(dataFile) : null;
  if (data !== null && data.trim() === "")
    throw new Error(`${dataFile}: the data file is empty (truncated?); not starting, so it is not overwritten`);
  const givenUsers = options.users ? checkUsers(options.users) : null;
  const timers = createTimers();
  // Failed writes are reported once the portal runs; before, the start itself fails with the reason.
  let listening = false;
  const reportWriteError = (error) => listening && console.error(`docspace-webhooks-portal: could not write ${dataFile}: ${error.message}`);
  const writer = dataFile ? createDataWriter(dataFile, () => core.snapshot(), reportWriteError) : null;
  const sockets = new Set();
  const agents = createAgents();
  const deliveries = [];
  // Counts the core's changes: an answer the core calls reusable (a list) is answered again,
  // without asking the core, to the same method, URL and Authorization header until it moves.
  let stateVersion = 0;
  let reusedAt = 0;
  const reused = new Map();
  const changed = () => {
    stateVersion++;
    writer?.changed();
  };
  const realIo = createHost({ timers, changed, writer, log, sockets, agents });
  const hostIo = testHooks?.stubNetwork ? stubNetwork(realIo, deliveries) : realIo;
  let core;
  try {
    const users = givenUsers ?? (data === null ? seedUsers() : null);
    core = new PortalCore(hostIo, { allowLoopback, timeScale, retryRateLimit, deliveryTimeoutMs }, users && JSON.stringify(users), data);
  } catch (error) {
    throw new Error(`${dataFile ?? "portal"}: ${error.message}; not starting, so the file is not overwritten`);
  }
  if (writer) {
    // Written once before listening: a path the portal cannot write is refused now, not found
    // out after it has answered 200 to changes it could not keep; and the file gets mode 0600.
    await removeStaleTemps(dataFile);
    writer.changed();
    try {
      await writer.durable();
    } catch (error) {
      throw new Error(`${dataFile}: cannot write the data file: ${unwritable(error, dataFile)}; not starting`);
    }
  }
  const users = JSON.parse(core.users());
  const inbox = [];
  const testing = testHooks ? createTestHooks(core, deliveries) : null;
  let origins = new Set(); // filled in once the port is known

  const server = createServer((req, res) => {
    const fail = (error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error?.message ?? error));
    };
    try {
      // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3).
      const hasBody = req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
      const served = hasBody ? readBody(req).then((body) => serve(req, res, body)) : serve(req, res, "");
      if (served instanceof Promise) served.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  /** Answers one request; synchronously when nothing waits (a reused list, every refusal). */
  function serve(req, res, body) {
    const url = new URL(req.url, "http://portal");
    const origin = origins.has(req.headers.origin) ? req.headers.origin : null;
    if (req.method === "OPTIONS") return res.writeHead(204, corsHeaders(origin)).end();
    if (body === null) {
      const envelope = {
        error: { message: `Request body larger than ${MAX_BODY_BYTES} bytes`, type: null, stack: null, hresult: 0 },
        status: 1,
        statusCode: 413,
      };
      const headers = { ...corsHeaders(origin), "content-type": "application/json; charset=utf-8", connection: "close" };
      return res.writeHead(413, headers).end(JSON.stringify(envelope));
    }
    const { pathname } = url;
    if (pathname.startsWith("/api/") || (pathname.startsWith("/stand-in/") && !pathname.startsWith("/stand-in/inbox"))) {
      const reply = testing && pathname.startsWith("/api/") ? withFaults(req, res, url, body, origin) : answerApi(req, url, body);
      return reply instanceof Promise ? reply.then((settled) => send(res, settled, origin)) : send(res, reply, origin);
    }
    for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    if (pathname.startsWith("/stand-in/inbox")) return serveInbox(req, res, url, body);
    if (!serveStatic || (req.method !== "GET" && req.method !== "HEAD"))
      return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return serveFile(res, pathname);
  }

  /** Writes an API reply; headers in one object, so Node takes its fast path. */
  function send(res, reply, origin) {
    if (reply === null) return; // a test fault answered
    res.writeHead(reply.status, origin ? { ...reply.headers, ...corsHeaders(origin) } : reply.headers).end(reply.body);
  }

  /** With test hooks: a queued fault answers instead of the core, and every exchange is kept. */
  async function withFaults(req, res, url, body, origin) {
    // A fault's answer carries the same CORS headers as the portal's own would.
    const exchange = await testing.intercept(req, res, url, body, corsHeaders(origin));
    if (exchange === null) return null;
    const reply = await answerApi(req, url, body);
    testing.answered(exchange, reply);
    return reply;
  }

  /** The core's answer to an API request as `{ status, headers, body }` (or a promise of it),
   * held until any change it made is on disk, and reused while the core says it may be. */
  function answerApi(req, url, body) {
    const href = `http://${req.headers.host ?? "portal"}${req.url}`;
    const { authorization = null, "content-type": contentType = null } = req.headers;
    const key = `${authorization}\n${href}`;
    if (req.method === "GET" && reusedAt === stateVersion) {
      const reply = reused.get(key);
      if (reply) return reply;
    }
    const answer = core.respond(req.method, url.pathname, url.search, authorization, contentType, href, body);
    if (answer instanceof Promise) return answer.then(held);
    return answer.changed && writer ? held(answer) : replyOf(answer, key);
  }

  /** A change is answered once it is on disk: a 200 means kept, even if the process dies next. */
  async function held(answer) {
    if (!(answer.changed && writer)) return replyOf(answer, null);
    return writer.durable().then(
      () => replyOf(answer, null),
      (error) => replyOf(unsavedAnswer(error, dataFile), null),
    );
  }

  function replyOf(answer, key) {
    // A known length, not chunked encoding: one write per answer. `vary` because the CORS
    // headers added per request depend on Origin.
    const headers = { vary: "origin", "content-length": Buffer.byteLength(answer.body) };
    for (const [name, value] of answer.headers) headers[name] = value;
    const reply = { status: answer.status, headers, body: answer.body };
    if (answer.reusable && key !== null) {
      if (reusedAt !== stateVersion || reused.size >= REUSED_LIMIT) reused.clear();
      reusedAt = stateVersion;
      reused.set(key, reply);
    }
    return reply;
  }

  /** A demo receiver on the portal itself: `POST /stand-in/inbox/<name>[?status=503]` records
   * the delivery and answers `status` (default 200); the HEAD probe always passes;
   * `GET /stand-in/inbox` lists what arrived. */
  function serveInbox(req, res, url, body) {
    // Reading or clearing what receivers got (bodies, signatures) takes a user's token; the
    // portal's own deliveries and probes need none, like any receiver.
    if ((req.method === "GET" || req.method === "DELETE") && !core.isCaller(req.headers.authorization ?? null)) {
      return res.writeHead(401, { "www-authenticate": "Bearer" }).end();
    }
    if (req.method === "GET") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(inbox));
    if (req.method === "DELETE") {
      inbox.length = 0;
      return res.writeHead(204).end();
    }
    const status = Number(url.searchParams.get("status") ?? 200);
    if (req.method === "POST") {
      inbox.unshift({
        at: new Date().toISOString(),
        path: url.pathname,
        status,
        signature: req.headers["x-docspace-signature-256"] ?? null,
        headers: req.headers,
        body,
      });
      inbox.length = Math.min(inbox.length, INBOX_LIMIT);
    }
    if (req.method === "HEAD") return res.writeHead(200).end();
    const answer = Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
    return res.writeHead(answer, { "content-type": "text/plain" }).end("received");
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on("data", (chunk) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  }

  async function serveFile(res, rawPathname) {
    // Decoded first, so that every check below sees the path the file system will see.
    let pathname;
    try {
      pathname = decodeURIComponent(rawPathname);
    } catch {
      return res.writeHead(400, { "content-type": "text/plain" }).end("bad path");
    }
    if (pathname.includes("\0")) return res.writeHead(400, { "content-type": "text/plain" }).end("bad path");
    // "/" and the demo's files from www/; "/pkg/…" from the package itself (the browser build).
    const [root, relative] = pathname.startsWith("/pkg/")
      ? [packageRoot, pathname.slice(5)]
      : [join(packageRoot, "www"), pathname.slice(1) || "index.html"];
    const file = normalize(join(root, relative));
    if (!file.startsWith(normalize(root) + sep)) return res.writeHead(403).end();
    const inPackage = relative === "" ? "" : file.slice(normalize(root).length + 1);
    const allowedInPackage = ["browser.mjs", "api.mjs", "receiver.mjs", "signature.mjs", `web${sep}`];
    if (root === packageRoot && !allowedInPackage.some((prefix) => inPackage === prefix || inPackage.startsWith(prefix))) {
      return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" }).end(data);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  }

  await new Promise((resolve, reject) => {
    server.once("error", (error) => reject(error.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is already in use`) : error));
    server.listen(port, host, resolve);
  });
  listening = true;
  const address = server.address();
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  // The portal's own origin (under each loopback name) and the ones the caller allowed: no other
  // web page may read what the portal answers.
  origins = new Set([
    url,
    `http://localhost:${address.port}`,
    `http://127.0.0.1:${address.port}`,
    `http://[::1]:${address.port}`,
    ...allowedOrigins,
  ]);

  return {
    url,
    users,
    /** Fans an event out to the subscribed webhooks; resolves to the created log ids. */
    async emit(trigger, data = {}, { targetId, as } = {}) {
      const actor = users.find((user) => user.id === as || user.role === (as ?? "owner")) ?? users[0];
      const ids = Array.from(core.emit(actor.id, trigger, JSON.stringify(data), targetId ?? null));
      // As over HTTP: resolved once the new rows are on disk.
      if (ids.length && writer) {
        await writer.durable().catch((error) => {
          throw new Error(`the event's log rows could not be saved to ${dataFile}: ${unwritable(error, dataFile)}`);
        });
      }
      return ids;
    },
    /** What the demo inbox received, newest first. */
    inbox: () => inbox.slice(),
    /** The whole state, as the data file holds it. */
    snapshot: () => JSON.parse(core.snapshot()),
    /** With `testHooks`: faults, request capture, seeding (see ./testing.mjs). */
    ...(testing && { testing: testing.api }),
    async close() {
      timers.cancelAll();
      await new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agents.http.destroy();
        agents.https.destroy();
      });
      await writer?.flush();
    },
  };
}

/** CORS headers for the allowed origins only (`origin` null otherwise): a page elsewhere
 * cannot read any answer. */
function corsHeaders(origin) {
  if (origin === null) return { vary: "origin" };
  return {
    vary: "origin",
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
    "access-control-allow-headers": "authorization, accept, content-type",
    "access-control-expose-headers": "retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
  };
}
