// In-process static server for the browser tests and benchmarks: serves a directory plus a few
// in-memory routes (harness and bench pages, a stub API), on 127.0.0.1 at a port the OS picks.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const MIME = {
  ".mjs": "text/javascript",
  ".js": "text/javascript",
  ".wasm": "application/wasm", // instantiateStreaming refuses anything else
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".json": "application/json",
};

// Cross-origin isolation lifts performance.now() from 100 µs to 5 µs resolution in Chromium;
// no-store keeps every load honest about fetching (each load also gets a fresh context).
const HEADERS = {
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * `routes` maps a path ("/bench.html") to `{ type, body }` or to `(req, res) => void`;
 * anything else is looked up under `root`. Resolves to `{ url, close }`.
 */
export async function startStaticServer({ root, routes = {} }) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const route = routes[path];
    if (typeof route === "function") return route(req, res);
    if (route) return send(res, 200, route.type, route.body);
    const file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(res, 403, "text/plain", "forbidden");
    try {
      send(res, 200, MIME[extname(file)] ?? "application/octet-stream", await readFile(file));
    } catch {
      send(res, 404, "text/plain", "not found");
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
        server.close(() => ok());
      }),
  };
}

export function send(res, status, type, body) {
  res.writeHead(status, { ...HEADERS, "content-type": type });
  res.end(body);
}
