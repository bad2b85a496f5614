// The receiver's `.node` form on real node:http and Express servers (Node-only; the Web form
// runs in both hosts through cases/receiver.cases.mjs).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import express from "express";
import { createWebhookHandler, verifyWebhookSignature } from "../../pkg/index.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";

const vectors = signatureVectors();
const MiB = 1 << 20;
const servers = [];
after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

async function listen(app, server = http.createServer(app)) {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${server.address().port}/docspace`;
}

/** A server for `handler.node` that counts the bytes it read from its connections. */
async function countingServer(handler) {
  const server = http.createServer(handler);
  const read = { bytes: 0 };
  server.on("connection", (socket) => socket.on("close", () => (read.bytes += socket.bytesRead)));
  const url = await listen(null, server);
  return { port: server.address().port, url, read };
}

/**
 * A POST over a raw socket: the head, then up to `bodyBytes` of body (chunked when `chunked`),
 * written as fast as the server reads, until it answers and closes. Resolves to what the
 * server answered and how much body this client managed to send.
 */
function rawPost(port, { headers, bodyBytes, chunked = false }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    let sent = 0;
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close after sending ${sent} body bytes`));
    }, 20_000);
    socket.on("data", (data) => (answer += data));
    socket.on("error", () => {}); // the server may reset the connection while we write
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      resolve({ status: Number(answer.match(/^HTTP\/1\.1 (\d+)/)?.[1]), head: answer.split("\r\n\r\n")[0].toLowerCase(), sent });
    });
    const lines = ["POST /docspace HTTP/1.1", "host: 127.0.0.1", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (chunked) lines.push("transfer-encoding: chunked");
    socket.write(lines.join("\r\n") + "\r\n\r\n");
    const piece = Buffer.alloc(64 * 1024, "x");
    const framed = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
    (async () => {
      while (!closed && sent < bodyBytes && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(framed)) await Promise.race([once(socket, "drain"), once(socket, "close")]);
      }
    })().catch(() => {});
  });
}

const post = (url, body, signature = vectors.deliverySignature) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-docspace-signature-256": signature } });

test("node:http: probe, delivery, duplicate, forgery, oversize", async () => {
  const events = [];
  const url = await listen(createWebhookHandler({ secret: vectors.secret, maxBodyBytes: 4096, onEvent: (e) => events.push(e) }).node);
  assert.equal((await fetch(url, { method: "HEAD" })).status, 200);
  assert.equal((await post(url, vectors.delivery)).status, 200);
  assert.deepEqual(await (await post(url, vectors.delivery)).json(), { ok: true, duplicate: true });
  assert.equal((await post(url, vectors.delivery, vectors.empty)).status, 401);
  assert.equal((await post(url, "x".repeat(5000), vectors.empty)).status, 413);
  assert.equal(events.length, 1);
  assert.equal(events[0].payload.title, "Отчёт 2026 — “final”.docx", "multi-byte UTF-8 survives");
});

test("node:http: a declared Content-Length over the limit gets 413 at once, and nothing more is read", async () => {
  const { port, read } = await countingServer(createWebhookHandler({ secret: vectors.secret, maxBodyBytes: 4096, onEvent() {} }).node);
  // The head only: the answer must come before any body byte is sent.
  const early = await rawPost(port, { headers: { "content-length": 64 * MiB, "x-docspace-signature-256": vectors.empty }, bodyBytes: 0 });
  assert.equal(early.status, 413);
  assert.match(early.head, /\r\nconnection: close\r\n/);
  const streamed = await rawPost(port, {
    headers: { "content-length": 64 * MiB, "x-docspace-signature-256": vectors.empty },
    bodyBytes: 64 * MiB,
  });
  assert.equal(streamed.status, 413);
  assert.ok(streamed.sent < 16 * MiB, `the client could send ${streamed.sent} bytes of 64 MiB`);
  assert.ok(read.bytes < 4 * MiB, `the server read ${read.bytes} bytes`);
});

test("node:http: a chunked body without Content-Length stops being read at the limit", async () => {
  let calls = 0;
  const { port, read } = await countingServer(
    createWebhookHandler({ secret: vectors.secret, maxBodyBytes: 4096, onEvent: () => (calls += 1) }).node,
  );
  const result = await rawPost(port, { headers: { "x-docspace-signature-256": vectors.empty }, bodyBytes: 64 * MiB, chunked: true });
  assert.equal(result.status, 413);
  assert.match(result.head, /\r\nconnection: close\r\n/);
  assert.ok(result.sent < 16 * MiB, `the client could send ${result.sent} bytes of 64 MiB`);
  assert.ok(read.bytes < 4 * MiB, `the server read ${read.bytes} bytes`);
  assert.equal(calls, 0);
});

test("fetch-style: a declared Content-Length over the limit is refused without pulling the body", async () => {
  let pulled = 0;
  const body = new ReadableStream({
    pull(controller) {
      pulled += 65536;
      controller.enqueue(new Uint8Array(65536));
    },
  });
  const handler = createWebhookHandler({ secret: vectors.secret, maxBodyBytes: 4096, onEvent() {} });
  const request = new Request("http://receiver.test/docspace", {
    method: "POST",
    body,
    duplex: "half",
    headers: { "content-length": String(64 * MiB) },
  });
  assert.equal(request.headers.get("content-length"), String(64 * MiB));
  assert.equal((await handler(request)).status, 413);
  assert.ok(pulled <= 65536, `pulled ${pulled} bytes`);
});

test("node:http: a failing dedupe store gets 503 (fail-closed) or is bypassed (fail-open), never a dropped request", async () => {
  const store = { claim: () => Promise.reject(new Error("redis down")), release() {} };
  const events = [];
  const errors = [];
  const common = {
    secret: vectors.secret,
    dedupe: store,
    onError: (error, { stage }) => errors.push(`${stage}: ${error.message}`),
    onEvent: (e) => events.push(e),
  };
  const closed = await listen(createWebhookHandler(common).node);
  const refused = await post(closed, vectors.delivery);
  assert.equal(refused.status, 503);
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  assert.equal(events.length, 0);
  const open = await listen(createWebhookHandler({ ...common, onStoreError: "fail-open" }).node);
  assert.deepEqual(await (await post(open, vectors.delivery)).json(), { ok: true });
  assert.equal(events.length, 1);
  assert.deepEqual(errors, ["claim: redis down", "claim: redis down"]);
});

test("Express: works with no body parser and with express.raw, refuses express.json clearly", async () => {
  for (const parser of [null, express.raw({ type: "*/*" })]) {
    const events = [];
    const app = express();
    if (parser) app.use(parser);
    app.all("/docspace", createWebhookHandler({ secret: vectors.secret, onEvent: (e) => events.push(e) }).node);
    const url = await listen(app);
    assert.equal((await fetch(url, { method: "HEAD" })).status, 200);
    assert.equal((await post(url, vectors.delivery)).status, 200);
    assert.equal(events.length, 1);
  }
  const errors = [];
  const app = express();
  app.use(express.json());
  app.all("/docspace", createWebhookHandler({ secret: vectors.secret, onEvent() {}, onError: (e) => errors.push(e.message) }).node);
  const url = await listen(app);
  const response = await post(url, vectors.delivery);
  assert.equal(response.status, 500);
  assert.match((await response.json()).error, /already parsed by a body parser/);
  assert.equal(errors.length, 1);
});

test("verifyWebhookSignature takes Node Buffers", () => {
  assert.equal(verifyWebhookSignature(vectors.secret, Buffer.from(vectors.delivery), vectors.deliverySignature), true);
  assert.equal(verifyWebhookSignature(vectors.secret, Buffer.from(vectors.delivery + "x"), vectors.deliverySignature), false);
});
