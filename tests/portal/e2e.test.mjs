// End to end, as a user's integration test would run: the package's WebhooksClient manages
// webhooks on the stand-in portal, the portal delivers real signed POSTs, and a receiver built
// with createWebhookHandler handles them. Every API exchange is checked against the spec.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { WebhooksClient, Trigger, createWebhookHandler, computeWebhookSignature } from "../../pkg/index.mjs";
import { startPortal } from "../../pkg/portal/index.mjs";
import { createValidator } from "../support/openapi.mjs";
import { tokenOf, waitFor } from "./support.mjs";

const SECRET = "Rotating-Secret-1";
const validator = createValidator();
const violations = [];
let portal;
let receiverUrl;
let server;
const handled = [];
let failNext = 0;

/** A fetch that checks what the client sends and what the portal answers against the spec. */
async function checkedFetch(request) {
  const url = new URL(request.url);
  const body = request.method === "GET" || request.method === "DELETE" ? "" : await request.clone().text();
  const exchange = { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body };
  violations.push(...validator.checkRequest(exchange).map((v) => `request: ${v}`));
  const response = await fetch(request);
  const text = await response.clone().text();
  violations.push(...validator.checkResponse({ ...exchange, status: response.status, body: text }).map((v) => `response: ${v}`));
  return response;
}

before(async () => {
  portal = await startPortal({ allowLoopback: true, timeScale: 0.01 });
  const handler = createWebhookHandler({
    secrets: [SECRET, "Older-Secret-0"],
    onError: () => {},
    onEvent(event) {
      if (failNext > 0) {
        failNext -= 1;
        throw new Error("the receiver's database is down");
      }
      handled.push(event);
    },
  });
  server = http.createServer(handler.node).listen(0, "127.0.0.1");
  await once(server, "listening");
  receiverUrl = `http://127.0.0.1:${server.address().port}/docspace`;
});

after(async () => {
  await portal.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (role = "owner") => new WebhooksClient({ baseUrl: portal.url, token: tokenOf(portal, role), fetch: checkedFetch });

test("a full cycle: create, deliver, observe, retry, patch, disable, delete", async () => {
  const owner = client();
  const created = await owner.createWebhook({
    name: "e2e",
    uri: receiverUrl,
    secretKey: SECRET,
    ssl: false,
    triggers: ["FileUploaded", "folder.downloaded"],
  });
  assert.equal(created.triggers, Trigger.FileUploaded + Trigger.FolderDownloaded);
  assert.deepEqual(
    (await owner.getTenantWebhooks()).map(({ configs, status }) => [configs.id, status]),
    [[created.id, 0]],
  );

  // The receiver fails the first attempt: the portal retries with the same event id, and the
  // handler processes the event once.
  failNext = 1;
  const [logId] = await portal.emit("FolderDownloaded", { id: 9, title: "Q3" });
  await waitFor(() => handled.length === 1, { what: "the delivery" });
  assert.equal(handled[0].trigger, "folder.downloaded");
  assert.equal(handled[0].event.id, logId);
  assert.equal(handled[0].event.triggerId, 2 ** 35);
  assert.equal(handled[0].payload.title, "Q3");
  assert.equal(handled[0].webhook.retryCount, 1, "the second attempt carries retryCount");

  const page = await waitFor(async () => {
    const logs = await owner.getWebhooksLogs({ configId: created.id, groupStatus: "Status2xx" });
    return logs.total === 1 && logs;
  });
  assert.equal(page.items[0].status, 200);
  assert.equal((await owner.getTenantWebhooks())[0].status, 200);

  const again = await owner.retryWebhook(logId);
  await waitFor(() => handled.length === 2, { what: "the manual retry" });
  assert.equal(handled[1].event.id, again.id, "a manual retry arrives with a new event id");

  const all = [];
  for await (const row of owner.webhooksLogs({ configId: created.id })) all.push(row.id);
  assert.deepEqual(all, [again.id, logId]);

  const patched = await owner.patchWebhook(created.id, { name: "e2e renamed", triggers: "All" });
  assert.equal(patched.name, "e2e renamed");
  assert.equal(patched.triggers, 0);
  assert.equal(patched.uri, receiverUrl);

  await owner.enableWebhook(created.id, false);
  assert.deepEqual(await portal.emit("FileUploaded", { id: 1 }), [], "disabled webhooks get nothing");
  const enabled = await owner.enableWebhook(created.id, true);
  assert.equal(enabled.enabled, true);

  const removed = await owner.removeWebhook(created.id);
  assert.equal(removed.name, "e2e renamed");
  assert.deepEqual(await owner.getTenantWebhooks(), []);
  assert.deepEqual(violations, [], "every exchange matched the OpenAPI spec");
});

test("the portal's errors reach the client as typed DocSpaceErrors", async () => {
  const user = client("user");
  const refused = await user
    .createWebhook({ name: "x", uri: receiverUrl, secretKey: SECRET, ssl: false, triggers: "UserCreated" })
    .catch((e) => e);
  assert.equal(refused.kind, "http");
  assert.equal(refused.status, 400);
  assert.equal(refused.message, "Trigger is not available");
  const guest = await client("guest")
    .getTenantWebhooks()
    .catch((e) => e);
  assert.deepEqual([guest.status, guest.message], [403, "Access denied"]);
  const triggers = await client("guest").getWebhookTriggers();
  assert.ok(triggers.every((t) => t.available === false));
  const weak = await client()
    .createWebhook({ name: "weak", uri: receiverUrl, secretKey: "abc", ssl: false, triggers: "All" })
    .catch((e) => e);
  // The client applies the portal's default password policy itself, before sending anything.
  assert.deepEqual(
    [weak.kind, weak.message],
    ["invalid_input", "secretKey: must be at least 8 characters (the portal's password policy), got 3"],
  );
});

test("a forged delivery is refused by the receiver, a validly signed one accepted", async () => {
  const body = JSON.stringify({ event: { id: 999999, trigger: "file.created", triggerId: 128 }, payload: { id: 1 }, webhook: { id: 1 } });
  const before = handled.length;
  const forged = await fetch(receiverUrl, {
    method: "POST",
    body,
    headers: { "x-docspace-signature-256": computeWebhookSignature("Attacker-Key-1", body) },
  });
  assert.equal(forged.status, 401);
  const rotated = await fetch(receiverUrl, {
    method: "POST",
    body,
    headers: { "x-docspace-signature-256": computeWebhookSignature("Older-Secret-0", body) },
  });
  assert.equal(rotated.status, 200, "the older secret still verifies during rotation");
  assert.equal(handled.length, before + 1);
});
