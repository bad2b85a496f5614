#!/usr/bin/env node
// The call-overhead benchmark's server, in its own process so its work never lands on the
// client's event loop. It answers the two read endpoints with realistic DocSpace envelopes,
// precomputed as Buffers so the server's cost is the same tiny constant for every client:
//   GET /<n>/api/2.0/settings/webhook                         → n webhook configs
//   GET /<n>/api/2.0/settings/webhooks/log?startIndex&count   → a page of n log rows, with total
// The first path segment picks n, so one server serves every list size (as a baseUrl path).
// Prints its URL as the first line; stops on SIGTERM.
import { createServer } from "node:http";
import { serveChild } from "./serve-child.mjs";

const CREATOR = { id: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d", displayName: "Mike Zanyatski", hasAvatar: false, isAnonim: false };

function config(id) {
  return {
    configs: {
      id,
      name: `Webhook ${id}`,
      uri: `https://hooks.example.com/docspace/${id}`,
      enabled: id % 3 !== 0,
      ssl: true,
      triggers: 384,
      targetId: id % 5 === 0 ? `room-${id}` : undefined,
      createdBy: CREATOR,
      createdOn: "2026-06-30T13:13:11+00:00",
      lastSuccessOn: "2026-06-30T13:14:02+00:00",
      lastFailureOn: id % 4 === 0 ? "2026-06-29T08:00:00+00:00" : undefined,
    },
    status: id % 4 === 0 ? 503 : 200,
  };
}

function logRow(id) {
  return {
    id,
    configName: "Webhook 7",
    configId: 7,
    trigger: 128,
    creationTime: "2026-06-30T10:13:11Z",
    method: "POST",
    route: "https://hooks.example.com/docspace/7",
    requestHeaders:
      '{"Accept":["*/*"],"x-docspace-signature-256":["sha256=0D4C9D09136103625379E0BC3AA6084E941EA2F2901A2C94FACEFE3A7F9688F3"]}',
    requestPayload: `{"event":{"id":${id},"createOn":"2026-06-30T10:13:11Z","trigger":"file.created","triggerId":128},"payload":{"id":42}}`,
    responseHeaders: '{"Server":["nginx"]}',
    responsePayload: "ok",
    status: 200,
    delivery: "2026-06-30T10:13:12Z",
  };
}

const envelope = (response, extra = {}) =>
  Buffer.from(
    JSON.stringify({ response, count: Array.isArray(response) ? response.length : 1, ...extra, links: [], status: 0, statusCode: 200 }),
  );

const lists = new Map(); // n → Buffer
const logs = new Map(); // `${n}/${start}/${count}` → Buffer
const rows = []; // log rows, built once up to the largest n asked for

function listBody(n) {
  if (!lists.has(n)) lists.set(n, envelope(Array.from({ length: n }, (_, i) => config(i + 1))));
  return lists.get(n);
}

function logBody(n, start, count) {
  const key = `${n}/${start}/${count}`;
  if (!logs.has(key)) {
    while (rows.length < n) rows.push(logRow(rows.length + 1));
    logs.set(key, envelope(rows.slice(start, Math.min(start + count, n)), { total: n }));
  }
  return logs.get(key);
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const [, size, ...rest] = url.pathname.split("/");
  const n = Number(size);
  const path = `/${rest.join("/")}`;
  let body;
  if (Number.isInteger(n) && n >= 0 && n <= 100_000) {
    if (path === "/api/2.0/settings/webhook") body = listBody(n);
    if (path === "/api/2.0/settings/webhooks/log") {
      const start = Number(url.searchParams.get("startIndex") ?? 0);
      const count = Number(url.searchParams.get("count") ?? 100);
      body = logBody(n, start, count);
    }
  }
  if (!body) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length }).end(body);
});

serveChild(server);
