// The stand-in portal driven as the README's "The stand-in portal" says, in process (startPortal from the built
// package), with real receivers on 127.0.0.1: DocSpace's own permission cases, the guards,
// signed deliveries and their retry schedule, manual retries, 410, load.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startPortal } from "../../pkg/portal/index.mjs";
import { api, signedBy, startReceiver, tokenOf, waitFor, withPortal } from "./support.mjs";

const SECRET = "S3cret-Key!";
const hook = (receiver, extra = {}) => ({
  name: `hook-${Math.random().toString(36).slice(2)}`,
  uri: `${receiver.url}/in`,
  secretKey: SECRET,
  enabled: true,
  ssl: false,
  triggers: 256,
  ...extra,
});
/** Create, list and log: the calls every role's access is checked on. */
const createListAndLog = (receiver) => [
  ["POST", "/api/2.0/settings/webhook", hook(receiver)],
  ["GET", "/api/2.0/settings/webhook"],
  ["GET", "/api/2.0/settings/webhooks/log"],
];

describe("DocSpace's permission cases", () => {
  let portal;
  let receiver;
  before(async () => {
    portal = await startPortal({ allowLoopback: true });
    receiver = await startReceiver();
  });
  after(async () => {
    await portal.close();
    await receiver.close();
  });

  test("anonymous callers get 401 on create, list and log", async () => {
    const anonymous = api(portal);
    for (const [method, path, body] of createListAndLog(receiver)) {
      const { status, text } = await anonymous(method, path, body);
      assert.equal(status, 401);
      assert.equal(text, "", "the challenge has an empty body");
    }
  });

  test("room admins and users may create and list", async () => {
    for (const role of ["roomAdmin", "user"]) {
      const call = api(portal, tokenOf(portal, role));
      const created = await call("POST", "/api/2.0/settings/webhook", hook(receiver));
      assert.equal(created.status, 200, created.text);
      const listed = await call("GET", "/api/2.0/settings/webhook");
      assert.ok(listed.json.response.some((item) => item.configs.id === created.json.response.id));
    }
  });

  test("guests get 403 Access denied on create, list and log", async () => {
    const guest = api(portal, tokenOf(portal, "guest"));
    for (const [method, path, body] of createListAndLog(receiver)) {
      const { status, json } = await guest(method, path, body);
      assert.equal(status, 403);
      assert.equal(json.error.message, "Access denied");
    }
  });

  test("guests get the triggers array, every entry unavailable", async () => {
    const { status, json } = await api(portal, tokenOf(portal, "guest"))("GET", "/api/2.0/settings/webhook/triggers");
    assert.equal(status, 200);
    assert.equal(json.response.length, 37);
    assert.ok(json.response.every((t) => t.available === false));
  });

  test("user A cannot enable or delete user B's webhook, which stays intact", async () => {
    const userB = api(portal, tokenOf(portal, "roomAdmin"));
    const userA = api(portal, tokenOf(portal, "user"));
    const created = (await userB("POST", "/api/2.0/settings/webhook", hook(receiver))).json.response;
    const enable = await userA("PUT", "/api/2.0/settings/webhook/enable", { id: created.id, name: "x", uri: "x", enabled: false });
    assert.equal(enable.status, 403);
    const remove = await userA("DELETE", `/api/2.0/settings/webhook/${created.id}`);
    assert.equal(remove.status, 403);
    const mine = (await userB("GET", "/api/2.0/settings/webhook")).json.response.find((item) => item.configs.id === created.id);
    assert.equal(mine.configs.enabled, true);
  });

  test("a user creating with an admin-only trigger gets 400", async () => {
    const { status, json } = await api(portal, tokenOf(portal, "user"))(
      "POST",
      "/api/2.0/settings/webhook",
      hook(receiver, { triggers: 1 }),
    );
    assert.equal(status, 400);
    assert.equal(json.error.message, "Trigger is not available");
  });

  test("string triggers are a validation 400, as on the real server", async () => {
    const { status, json } = await api(portal, tokenOf(portal, "owner"))(
      "POST",
      "/api/2.0/settings/webhook",
      hook(receiver, { triggers: "FileUploaded" }),
    );
    assert.equal(status, 400);
    assert.equal(json.status, 1);
    assert.ok(json.response.errors["$.triggers"]);
  });

  test("malformed JSON, unknown routes and huge bodies get the server's shapes", async () => {
    const owner = api(portal, tokenOf(portal, "owner"));
    const malformed = await owner("POST", "/api/2.0/settings/webhook", "{nope");
    assert.equal(malformed.status, 400);
    assert.ok(malformed.json.response.errors.$);
    const unknown = await owner("GET", "/api/2.0/settings/nowhere");
    assert.equal(unknown.status, 404);
    assert.ok(unknown.json.error.message);
    const huge = await owner("POST", "/api/2.0/settings/webhook", JSON.stringify({ name: "x".repeat(2 << 20) }));
    assert.equal(huge.status, 413);
  });
});

describe("the receiver guard", () => {
  test("without --allow-loopback, http://localhost and 127.0.0.1 are refused, and the receiver is never probed", async () => {
    await withPortal({}, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      const port = new URL(receiver.url).port;
      const local = await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { uri: `http://localhost:${port}/in` }));
      assert.equal(local.status, 400);
      assert.equal(local.json.error.message, "URL resolves to a blacklisted IP address");
      const literal = await owner("POST", "/api/2.0/settings/webhook", hook(receiver));
      assert.equal(literal.json.error.message, "URL host is in the blacklist");
      assert.equal(receiver.received.length, 0, "no probe went out");
    });
  });

  test("every bypass form of a loopback receiver is refused for a user, on create and on a guest's update, with nothing reaching it", async () => {
    await withPortal({}, undefined, async (portal, receiver) => {
      const port = new URL(receiver.url).port;
      const forms = [
        `http://127.0.0.1:${port}\\@93.184.216.34/in`,
        `http://127.0.0.1:${port}\\@hooks.example.com/in`,
        `http://0x7f000001:${port}/in`,
        `http://2130706433:${port}/in`,
        `http://0177.0.0.1:${port}/in`,
        `http://017700000001:${port}/in`,
        `http://127.1:${port}/in`,
        `http://%31%32%37.0.0.1:${port}/in`,
        `http://127.0.0.1.:${port}/in`,
        `http://[::1]:${port}/in`,
        `http://[::ffff:127.0.0.1]:${port}/in`,
        `http://[::ffff:7f00:1]:${port}/in`,
        `http://93.184.216.34@127.0.0.1:${port}/in`,
        `http://user:pass@localhost:${port}/in`,
        `http:\\\\127.0.0.1:${port}\\in`,
      ];
      const user = api(portal, tokenOf(portal, "user"));
      const guest = api(portal, tokenOf(portal, "guest"));
      for (const uri of forms) {
        // Node's own WHATWG parser, which every connection in Node uses, agrees these are loopback.
        assert.match(new URL(uri).hostname, /^(127\.0\.0\.1|localhost|\[::1\]|\[::ffff:7f00:1\])$/, uri);
        const created = await user("POST", "/api/2.0/settings/webhook", hook(receiver, { uri }));
        assert.equal(created.status, 400, `${uri}: ${created.text}`);
        assert.match(created.json.error.message, /blacklist/, uri);
        const updated = await guest("PUT", "/api/2.0/settings/webhook", { id: 1, ...hook(receiver, { uri }) });
        assert.equal(updated.status, 400, `${uri} (guest update): ${updated.text}`);
      }
      assert.equal(receiver.received.length, 0, "no probe and no delivery reached the loopback receiver");
    });
  });

  test("with --allow-loopback a backslash URL connects where WHATWG parses it: the host before the backslash, the rest as path", async () => {
    await withPortal({ allowLoopback: true, timeScale: 0 }, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      const port = new URL(receiver.url).port;
      const uri = `http://127.0.0.1:${port}\\@93.184.216.34/in?x=1`;
      const created = await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { uri, enabled: true }));
      assert.equal(created.status, 200, created.text);
      await portal.emit("FileUploaded", { id: 1 });
      await waitFor(() => receiver.posts().length === 1, { what: "the delivery" });
      assert.deepEqual(
        receiver.received.map((r) => [r.method, r.url, r.headers.host]),
        [
          ["HEAD", "/@93.184.216.34/in?x=1", `127.0.0.1:${port}`],
          ["POST", "/@93.184.216.34/in?x=1", `127.0.0.1:${port}`],
        ],
      );
    });
  });

  test("the HEAD probe runs on create and enable; a failing one refuses", async () => {
    let probeStatus = 200;
    await withPortal(
      { allowLoopback: true },
      (req) => (req.method === "HEAD" ? probeStatus : 200),
      async (portal, receiver) => {
        const owner = api(portal, tokenOf(portal, "owner"));
        const created = await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { enabled: false }));
        assert.equal(created.status, 200);
        assert.equal(receiver.received.filter((r) => r.method === "HEAD").length, 1);
        probeStatus = 404;
        const { id, name, uri } = created.json.response;
        const enable = await owner("PUT", "/api/2.0/settings/webhook/enable", { id, name, uri, enabled: true });
        assert.equal(enable.status, 400);
        assert.match(enable.json.error.message, /^Webhook URL is not available/);
        const https = await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { ssl: true }));
        assert.equal(https.json.error.message, "HTTPS is required", "--allow-loopback lifts only the blacklist");
      },
    );
  });
});

describe("deliveries", () => {
  test("signed POSTs that node:crypto verifies over the raw bytes, logged as 2xx", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      const created = (await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { triggers: 0 }))).json.response;
      const [logId] = await portal.emit("file.uploaded", { id: 42, title: "Отчёт <final>.docx" });
      const post = await waitFor(() => receiver.posts()[0], { what: "a delivery" });
      assert.ok(signedBy(SECRET, post), "the signature matches the raw body");
      assert.equal(post.headers.accept, "*/*");
      assert.equal(post.headers["content-type"], "application/json; charset=utf-8");
      const body = JSON.parse(post.raw.toString("utf8"));
      assert.deepEqual(body.event.id, logId);
      assert.equal(body.event.trigger, "file.uploaded");
      assert.equal(body.payload.title, "Отчёт <final>.docx");
      assert.ok(post.raw.toString("utf8").includes("\\u041E"), "non-ASCII is escaped like .NET's encoder");
      assert.deepEqual(body.webhook, { id: created.id, name: created.name, url: created.uri, triggers: ["*"] });
      const logs = await waitFor(async () => {
        const page = (await owner("GET", `/api/2.0/settings/webhooks/log?configId=${created.id}`)).json;
        return page.response[0]?.status === 200 && page;
      });
      assert.equal(logs.total, 1);
      assert.ok(logs.response[0].delivery);
    });
  });

  test("failures are retried on the scaled 1-2-4-8-16 s schedule, then logged with the failing status", async () => {
    await withPortal(
      { allowLoopback: true, timeScale: 0.02 },
      (req) => (req.method === "POST" ? 503 : 200),
      async (portal, receiver) => {
        const owner = api(portal, tokenOf(portal, "owner"));
        const created = (await owner("POST", "/api/2.0/settings/webhook", hook(receiver))).json.response;
        await portal.emit("FileUploaded", { id: 1 });
        const posts = await waitFor(() => receiver.posts().length === 6 && receiver.posts(), { what: "six attempts" });
        const gaps = posts.slice(1).map((post, i) => post.at - posts[i].at);
        [20, 40, 80, 160, 320].forEach((expected, i) =>
          assert.ok(gaps[i] >= expected * 0.9, `gap ${i + 1}: ${gaps[i].toFixed(1)} ms ≥ ${expected} ms`),
        );
        const bodies = posts.map((post) => JSON.parse(post.raw));
        assert.equal(new Set(bodies.map((b) => b.event.id)).size, 1, "automatic retries keep the event id");
        assert.deepEqual(
          bodies.map((b) => b.webhook.retryCount ?? 0),
          [0, 1, 2, 3, 4, 5],
        );
        assert.ok(
          posts.every((post) => signedBy(SECRET, post)),
          "each attempt is re-signed",
        );
        const row = await waitFor(async () =>
          (await owner("GET", `/api/2.0/settings/webhooks/log?configId=${created.id}`)).json.response.find((r) => r.status === 503),
        );
        assert.equal(row.responsePayload, "Response status code does not indicate success: 503 (Service Unavailable).");
        const [item] = (await owner("GET", "/api/2.0/settings/webhook")).json.response;
        assert.match(item.configs.lastFailureContent, /503/);
      },
    );
  });

  test("close() during a failing delivery leaves no retry timer behind", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const before = timers();
    let release;
    const answered = new Promise((resolve) => (release = resolve));
    const { startPortal } = await import("../../pkg/portal/index.mjs");
    const portal = await startPortal({ allowLoopback: true, log: () => {} });
    // The receiver answers 503 only once the portal is closed, so the retry is scheduled after close().
    const receiver = await startReceiver(async (req) => (req.method === "POST" ? (await answered, 503) : 200));
    try {
      const owner = api(portal, tokenOf(portal, "owner"));
      assert.equal((await owner("POST", "/api/2.0/settings/webhook", hook(receiver))).status, 200);
      await portal.emit("FileUploaded", { id: 1 });
      await waitFor(() => receiver.posts().length === 1, { what: "the first attempt" });
    } finally {
      await portal.close();
      release();
      await receiver.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(timers(), before, "no timer left by the closed portal");
  });

  test("a manual retry creates a new record with a new event id and delivers it", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      await owner("POST", "/api/2.0/settings/webhook", hook(receiver));
      const [first] = await portal.emit("FileUploaded", { id: 1 });
      await waitFor(() => receiver.posts().length === 1);
      const retried = await owner("PUT", `/api/2.0/settings/webhook/${first}/retry`);
      assert.equal(retried.status, 200);
      assert.ok(retried.json.response.id > first);
      await waitFor(() => receiver.posts().length === 2);
      const ids = receiver.posts().map((post) => JSON.parse(post.raw).event.id);
      assert.deepEqual(ids, [first, retried.json.response.id]);
      const log = (await owner("GET", "/api/2.0/settings/webhooks/log")).json;
      assert.equal(log.total, 2);
    });
  });

  test("410 Gone removes the webhook after the retries", async () => {
    await withPortal(
      { allowLoopback: true, timeScale: 0 },
      (req) => (req.method === "POST" ? 410 : 200),
      async (portal, receiver) => {
        const owner = api(portal, tokenOf(portal, "owner"));
        await owner("POST", "/api/2.0/settings/webhook", hook(receiver));
        await portal.emit("FileUploaded", { id: 1 });
        await waitFor(async () => (await owner("GET", "/api/2.0/settings/webhook")).json.response.length === 0, {
          what: "the webhook to go",
        });
        assert.equal(receiver.posts().length, 6);
      },
    );
  });

  test("targetId narrows a webhook to one entity", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      await owner("POST", "/api/2.0/settings/webhook", hook(receiver, { targetId: "42" }));
      assert.deepEqual(await portal.emit("FileUploaded", { id: 7 }), []);
      const [id] = await portal.emit("FileUploaded", { id: 42 });
      assert.ok(id);
      const post = await waitFor(() => receiver.posts()[0]);
      assert.deepEqual(JSON.parse(post.raw).webhook.target, { id: 42, type: "file" });
    });
  });

  test("a receiver that hangs or resets is logged failed and nothing crashes", async () => {
    let calls = 0;
    await withPortal(
      { allowLoopback: true, timeScale: 0, deliveryTimeoutMs: 100 },
      (req) => (req.method === "HEAD" ? 200 : ++calls % 2 ? "hang" : "reset"),
      async (portal, receiver) => {
        const owner = api(portal, tokenOf(portal, "owner"));
        const created = (await owner("POST", "/api/2.0/settings/webhook", hook(receiver))).json.response;
        await portal.emit("FileUploaded", { id: 1 });
        const row = await waitFor(
          async () =>
            (await owner("GET", `/api/2.0/settings/webhooks/log?configId=${created.id}`)).json.response.find((r) => r.responsePayload),
          { what: "the outcome" },
        );
        assert.ok([0, 500].includes(row.status), `status ${row.status}`);
        assert.equal((await owner("GET", "/api/2.0/settings/webhook")).status, 200, "the portal still answers");
      },
    );
  });
});

describe("load", () => {
  test("100 concurrent creates get 100 distinct ids", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => owner("POST", "/api/2.0/settings/webhook", hook(receiver, { name: `load-${i}` }))),
      );
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(new Set(results.map((r) => r.json.response.id)).size, 100);
    });
  });

  test("500 events with 20% failing attempts: each delivered once or logged failed, none lost", async () => {
    let attempts = 0;
    await withPortal(
      { allowLoopback: true, timeScale: 0.001 },
      (req) => (req.method === "HEAD" ? 200 : ++attempts % 5 === 0 ? 500 : 200),
      async (portal, receiver) => {
        const owner = api(portal, tokenOf(portal, "owner"));
        const created = (await owner("POST", "/api/2.0/settings/webhook", hook(receiver))).json.response;
        const ids = [];
        for (let i = 0; i < 500; i++) ids.push(...(await portal.emit("FileUploaded", { id: i })));
        assert.equal(ids.length, 500);
        const rows = await waitFor(
          async () => {
            const all = [];
            for (let start = 0; start < 500; start += 100)
              all.push(...(await owner("GET", `/api/2.0/settings/webhooks/log?configId=${created.id}&startIndex=${start}`)).json.response);
            return all.every((row) => row.status !== 0) && all;
          },
          { timeoutMs: 30_000, what: "every delivery to finish" },
        );
        assert.equal(rows.length, 500);
        const successes = new Map();
        for (const post of receiver.posts()) {
          const id = JSON.parse(post.raw).event.id;
          if (post.status === 200) successes.set(id, (successes.get(id) ?? 0) + 1);
        }
        for (const row of rows) {
          assert.equal(row.status, 200, `event ${row.id} ends delivered (its failed attempts were retried)`);
          assert.ok(row.delivery, "a success has a delivery time");
          assert.equal(successes.get(row.id), 1, `event ${row.id} was delivered exactly once`);
        }
        assert.ok(receiver.posts().length > 500, "some attempts failed and were retried");
      },
    );
  });
});
