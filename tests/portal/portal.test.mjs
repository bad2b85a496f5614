// The stand-in portal driven as the README's "The stand-in portal" says, in process (startPortal
// from the built package), with real receivers on 127.0.0.1: the Node host in front of the core,
// local exposure, the receiver guard, signed deliveries and their retry schedule, manual
// retries, 410, load.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
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
// The permission rules, model binding and answer shapes are the Rust core's and are tested once,
// natively (crates/portal/src/tests.rs). Over HTTP, what is checked is what the Node host could
// get wrong: that it hands the caller's credentials and body to the core unchanged, answers with
// the core's status, headers and body, and refuses oversized bodies itself.
describe("the Node host in front of the core", () => {
  test("credentials, bodies and the core's answers pass through unchanged; oversized bodies are the host's 413", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const anonymous = await api(portal)("GET", "/api/2.0/settings/webhook");
      assert.deepEqual([anonymous.status, anonymous.text], [401, ""], "the challenge has an empty body");
      const guest = await api(portal, tokenOf(portal, "guest"))("GET", "/api/2.0/settings/webhook");
      assert.deepEqual([guest.status, guest.json.error.message], [403, "Access denied"]);
      const owner = api(portal, tokenOf(portal, "owner"));
      const created = await owner("POST", "/api/2.0/settings/webhook", hook(receiver));
      assert.equal(created.status, 200, created.text);
      assert.equal(created.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(created.headers.get("content-length"), String(Buffer.byteLength(created.text)));
      const listed = await owner("GET", "/api/2.0/settings/webhook");
      assert.ok(listed.json.response.some((item) => item.configs.id === created.json.response.id));
      const malformed = await owner("POST", "/api/2.0/settings/webhook", "{nope");
      assert.deepEqual([malformed.status, malformed.json.status, Object.keys(malformed.json.response.errors)], [400, 1, ["$"]]);
      const huge = await owner("POST", "/api/2.0/settings/webhook", JSON.stringify({ name: "x".repeat(2 << 20) }));
      assert.equal(huge.status, 413);
    });
  });
});

describe("the Node host's reused list answers", () => {
  test("a list answered again never outlives a change, nor reaches another caller or origin", async () => {
    const failing = (entry) => (entry.method === "HEAD" ? 200 : 503);
    await withPortal({ allowLoopback: true, timeScale: 0 }, failing, async (portal, receiver) => {
      const owner = api(portal, tokenOf(portal, "owner"));
      const user = api(portal, tokenOf(portal, "user"));
      const list = async (caller) => (await caller("GET", "/api/2.0/settings/webhook")).json.response;
      assert.deepEqual([await list(owner), await list(owner)], [[], []]);
      const created = await owner("POST", "/api/2.0/settings/webhook", hook(receiver));
      assert.deepEqual(
        (await list(owner)).map((item) => item.configs.id),
        [created.json.response.id],
        "a create is seen at once",
      );
      assert.deepEqual(await list(user), [], "another caller's list is their own");
      await user("POST", "/api/2.0/settings/webhook", hook(receiver, { triggers: 0 }));
      assert.equal((await list(user)).length, 1);
      // Deliveries change the state with no request: the list follows them too.
      await owner("POST", "/stand-in/events", { trigger: "FileUploaded", data: { id: 1 } });
      await waitFor(async () => (await list(owner)).every((item) => item.status === 503), { what: "the failure code in the list" });
      const read = (origin) =>
        fetch(`${portal.url}/api/2.0/settings/webhook`, { headers: { origin, authorization: `Bearer ${tokenOf(portal, "owner")}` } });
      assert.equal((await read(portal.url)).headers.get("access-control-allow-origin"), portal.url);
      assert.equal((await read("http://evil.example")).headers.get("access-control-allow-origin"), null, "CORS is decided per request");
    });
  });

  test("the request's Content-Type reaches the core: other types are the server's 415", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal, receiver) => {
      const headers = { authorization: `Bearer ${tokenOf(portal, "owner")}`, "content-type": "text/plain" };
      const answer = await fetch(`${portal.url}/api/2.0/settings/webhook`, {
        method: "POST",
        headers,
        body: JSON.stringify(hook(receiver)),
      });
      assert.equal(answer.status, 415);
      assert.equal((await answer.json()).response.title, "Unsupported Media Type");
    });
  });
});

describe("local exposure: what another web page or a plain user can reach", () => {
  test("only the portal's own origin (and allowedOrigins) may read answers cross-origin", async () => {
    await withPortal({ allowedOrigins: ["http://localhost:5173"] }, undefined, async (portal) => {
      const read = (origin) =>
        fetch(`${portal.url}/api/2.0/settings/webhook`, { headers: { origin, authorization: `Bearer ${tokenOf(portal, "owner")}` } });
      const port = new URL(portal.url).port;
      for (const origin of [portal.url, `http://localhost:${port}`, "http://localhost:5173"]) {
        assert.equal((await read(origin)).headers.get("access-control-allow-origin"), origin, origin);
      }
      for (const origin of ["http://evil.example", `http://localhost:${Number(port) + 1}`, "null"]) {
        assert.equal((await read(origin)).headers.get("access-control-allow-origin"), null, origin);
        const preflight = await fetch(`${portal.url}/stand-in/inbox`, { method: "OPTIONS", headers: { origin } });
        assert.equal(preflight.headers.get("access-control-allow-origin"), null, `${origin} preflight`);
      }
    });
  });

  test("the demo inbox needs a token to be read or cleared, not to receive", async () => {
    await withPortal({ allowLoopback: true }, undefined, async (portal) => {
      assert.equal((await fetch(`${portal.url}/stand-in/inbox/demo`, { method: "POST", body: "{}" })).status, 200);
      assert.equal((await fetch(`${portal.url}/stand-in/inbox`)).status, 401);
      assert.equal((await fetch(`${portal.url}/stand-in/inbox`, { method: "DELETE" })).status, 401);
      assert.equal(portal.inbox().length, 1, "an anonymous DELETE cleared nothing");
      const guest = await api(portal, tokenOf(portal, "guest"))("GET", "/stand-in/inbox");
      assert.equal(guest.status, 200);
      assert.equal(guest.json.length, 1);
    });
  });

  test("only owners and admins may fan events out", async () => {
    await withPortal({}, undefined, async (portal) => {
      for (const role of ["roomAdmin", "user", "guest"]) {
        const answer = await api(portal, tokenOf(portal, role))("POST", "/stand-in/events", { trigger: "FileUploaded" });
        assert.deepEqual([answer.status, answer.json.error.message], [403, "Access denied"], role);
      }
      for (const role of ["owner", "admin"]) {
        assert.equal((await api(portal, tokenOf(portal, role))("POST", "/stand-in/events", { trigger: "FileUploaded" })).status, 200, role);
      }
    });
  });

  test("static paths are decoded before the allow-list sees them", async () => {
    await withPortal({}, undefined, async (portal) => {
      assert.equal((await fetch(`${portal.url}/pkg/browser.mjs`)).status, 200);
      assert.equal((await fetch(`${portal.url}/pkg/package.json`)).status, 404, "not on the list");
      for (const path of [
        "/pkg/web/..%2fpackage.json",
        "/pkg/web/..%2Findex.cjs",
        "/pkg/web/..%2F..%2Fpackage.json",
        "/pkg/web%2f..%2fportal%2fwasm%2fdocspace_webhooks.js",
        "/%2e%2e/%2e%2e/etc/passwd",
      ]) {
        const status = (await fetch(portal.url + path)).status;
        assert.ok(status === 403 || status === 404, `${path}: ${status}`);
      }
    });
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
