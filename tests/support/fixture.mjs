// A test fixture that answers like the DocSpace webhook endpoints (contract §3, §5): the
// envelopes, the empty 401, CORS for cross-origin browser tests, and scripted faults. It is a
// test tool with fault injection, not the stand-in portal.
//
//   const fx = await startFixture();          // 127.0.0.1, random port
//   fx.fault({ status: 503 });                 // the next API request gets this
//   await fx.close();
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

export const TOKENS = { owner: "sk-owner-fixture-token", user: "sk-user-fixture-token" };

const OWNER = { id: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d", displayName: "Mike Zanyatski", hasAvatar: false, isAnonim: false };

function seedWebhooks() {
  return [
    {
      configs: {
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
      status: 200,
    },
    {
      configs: {
        id: 8,
        name: "Downloads",
        uri: "https://hooks.example.com/downloads",
        enabled: false,
        ssl: true,
        triggers: 2 ** 34 + 2 ** 35,
        createdBy: OWNER,
        createdOn: "2026-07-01T08:00:00+00:00",
      },
      status: 0,
    },
  ];
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
 * @param {{ port?: number, host?: string, static?: Record<string, string> }} options
 *   `static` maps URL prefixes (e.g. "/pkg/") to directories served as files.
 */
export async function startFixture({ port = 0, host = "127.0.0.1", static: mounts = {} } = {}) {
  const state = { webhooks: seedWebhooks(), requests: [], faults: [] };

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
    state.requests.push({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });

    const fault = state.faults.shift();
    if (fault && (await applyFault(fault, req, res, url))) return;

    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!Object.values(TOKENS).includes(token)) return res.writeHead(401).end();

    if (req.method === "GET" && url.pathname === "/api/2.0/settings/webhook") {
      return envelope(res, req, url, state.webhooks);
    }
    return res.writeHead(404).end();
  }

  async function applyFault(fault, req, res, url) {
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.destroy) {
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined && fault.body === undefined) return false; // a pure delay
    const headers = { "content-type": fault.contentType ?? "application/json; charset=utf-8", ...fault.headers };
    const status = fault.status ?? 200;
    const text = typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body ?? errorBody(status, "Injected failure"));
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
    /** Queues a fault for the next API request: { status, body, headers, contentType, delayMs, destroy }. */
    fault(...faults) {
      state.faults.push(...faults);
    },
    reset() {
      state.webhooks = seedWebhooks();
      state.requests.length = 0;
      state.faults.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function cors(res) {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("access-control-allow-headers", "authorization, accept, content-type");
  res.setHeader("access-control-expose-headers", "retry-after");
}

// `count` is 1 for the async-list endpoints on the real server, whatever their length (§3.1).
export function envelope(res, req, url, response, { count = 1, ...extra } = {}) {
  const body = { response, count, ...extra, links: [{ href: url.href, action: req.method }], status: 0, statusCode: 200 };
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

export function errorBody(statusCode, message) {
  return { error: { message, type: "System.Exception", stack: "   at Fixture", hresult: -2146233088 }, status: 1, statusCode };
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
