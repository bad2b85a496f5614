// startPortal(): the stand-in DocSpace portal. The Rust core (./wasm) decides everything the
// API does; this file is its node:http shell: CORS, the body limit, static files (the demo page
// and the browser build, on the same origin), a demo receiver (the inbox), and I/O.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createDataWriter, createHost, createTimers } from "./host.mjs";
import { checkTestHooks, createTestHooks, stubNetwork } from "./testing.mjs";

const require = createRequire(import.meta.url);
const { PortalCore } = require("./wasm/docspace_webhooks.js");
const here = fileURLToPath(new URL(".", import.meta.url));
const packageRoot = join(here, "..");

export const MAX_BODY_BYTES = 1 << 20;
const INBOX_LIMIT = 200;
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
    throw new Error(`${file}: ${error.message}`);
  }
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
  const writer = dataFile ? createDataWriter(dataFile, () => core.snapshot()) : null;
  const sockets = new Set();
  const deliveries = [];
  const realIo = createHost({ timers, writer, log, sockets });
  const hostIo = testHooks?.stubNetwork ? stubNetwork(realIo, deliveries) : realIo;
  let core;
  try {
    const users = givenUsers ?? (data === null ? seedUsers() : null);
    core = new PortalCore(hostIo, { allowLoopback, timeScale, retryRateLimit, deliveryTimeoutMs }, users && JSON.stringify(users), data);
  } catch (error) {
    throw new Error(`${dataFile ?? "portal"}: ${error.message}; not starting, so the file is not overwritten`);
  }
  if (writer && data === null) writer.changed();
  const users = JSON.parse(core.users());
  const inbox = [];
  const testing = testHooks ? createTestHooks(core, deliveries) : null;
  let origins = new Set(); // filled in once the port is known

  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error?.message ?? error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  async function serve(req, res) {
    const url = new URL(req.url, "http://portal");
    cors(req, res, origins);
    if (req.method === "OPTIONS") return res.writeHead(204).end();
    const body = await readBody(req);
    if (body === null) {
      const envelope = {
        error: { message: `Request body larger than ${MAX_BODY_BYTES} bytes`, type: null, stack: null, hresult: 0 },
        status: 1,
        statusCode: 413,
      };
      return res.writeHead(413, { "content-type": "application/json; charset=utf-8", connection: "close" }).end(JSON.stringify(envelope));
    }
    if (url.pathname.startsWith("/stand-in/inbox")) return serveInbox(req, res, url, body);
    if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/stand-in/")) {
      const exchange = testing && url.pathname.startsWith("/api/") ? await testing.intercept(req, res, url, body) : undefined;
      if (exchange === null) return; // a test fault answered
      const href = `http://${req.headers.host ?? "portal"}${req.url}`;
      const answer = await core.handle(req.method, url.pathname, url.search, req.headers.authorization ?? null, href, body);
      const headers = Object.fromEntries(answer.headers);
      // A known length, not chunked encoding: one write per answer.
      if (answer.status !== 204 && answer.status !== 304) headers["content-length"] = Buffer.byteLength(answer.body);
      if (exchange) testing.answered(exchange, { status: answer.status, headers, body: answer.body });
      return res.writeHead(answer.status, headers).end(answer.body);
    }
    if (!serveStatic || (req.method !== "GET" && req.method !== "HEAD"))
      return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return serveFile(res, url.pathname);
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
      return Array.from(core.emit(actor.id, trigger, JSON.stringify(data), targetId ?? null));
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
      });
      await writer?.flush();
    },
  };
}

/** CORS headers for the allowed origins only; a page elsewhere cannot read any answer. */
function cors(req, res, origins) {
  res.setHeader("vary", "origin");
  if (!origins.has(req.headers.origin)) return;
  res.setHeader("access-control-allow-origin", req.headers.origin);
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("access-control-allow-headers", "authorization, accept, content-type");
  res.setHeader("access-control-expose-headers", "retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset");
}
