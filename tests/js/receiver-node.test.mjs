// The receiver's `.node` form on real node:http and Express servers (Node-only; the Web form
// runs in both hosts through cases/receiver.cases.mjs).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import express from "express";
import { createWebhookHandler, verifyWebhookSignature } from "../../pkg/index.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";

const vectors = signatureVectors();
const servers = [];
after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

async function listen(app) {
  const server = http.createServer(app);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${server.address().port}/docspace`;
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
