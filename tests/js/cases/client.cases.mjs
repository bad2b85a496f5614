// The client's behaviour as users see it, written once and run in several hosts: Node through
// `import`, Node through `require`, and headless Chromium (cross-origin to the portal).
//
// Each case gets `{ api, portal }`: `api` is the package's exports, `portal` is the stand-in
// portal with its test hooks (tests/support/test-portal.mjs) as the bridge shows it:
// `{ url, tokens, fault(...faults), requests(), … }` (async where the host needs a bridge).
import { deepEqual, equal, match, ok, rejects, throws } from "./assert.mjs";
// The field names (and near misses) the fuzz uses: one list for both.
import { KEYS } from "../../fuzz/hostile.mjs";

const client = (api, portal, extra = {}) => new api.WebhooksClient({ baseUrl: portal.url, token: portal.tokens.owner, ...extra });

export const cases = {
  async "getTenantWebhooks returns the unwrapped, typed list"({ api, portal }) {
    const list = await client(api, portal).getTenantWebhooks();
    equal(list.length, 2);
    equal(list[0].configs.name, "Production Webhook");
    equal(list[0].status, 200);
    deepEqual(api.Trigger.names(list[0].configs.triggers), ["FileCreated", "FileUploaded"]);
    equal(list[1].configs.triggers, 2 ** 34 + 2 ** 35, "bits above 2^32 stay exact:");
    equal(list[1].status, 0);
  },

  async "the public classes carry their own names in every build (the browser one is minified)"({ api, portal }) {
    equal(api.WebhooksClient.name, "WebhooksClient");
    equal(client(api, portal).constructor.name, "WebhooksClient");
    equal(api.DocSpaceError.name, "DocSpaceError");
    const error = await rejects(client(api, portal, { token: "sk-not-a-real-token" }).getTenantWebhooks());
    equal(error.constructor.name, "DocSpaceError");
  },

  async "requests carry the bearer token and ask for JSON"({ api, portal }) {
    await client(api, portal).getTenantWebhooks();
    const [request] = (await portal.requests()).slice(-1);
    equal(request.method, "GET");
    equal(request.path, "/api/2.0/settings/webhook");
    equal(request.headers.authorization, `Bearer ${portal.tokens.owner}`);
    equal(request.headers.accept, "application/json");
  },

  async "a rejected token rejects with an http DocSpaceError, without the token"({ api, portal }) {
    const error = await rejects(client(api, portal, { token: "sk-not-a-real-token" }).getTenantWebhooks());
    ok(error instanceof api.DocSpaceError, "instanceof DocSpaceError");
    ok(error instanceof Error, "instanceof Error");
    equal(error.name, "DocSpaceError");
    equal(error.kind, "http");
    equal(error.status, 401);
    match(error.message, /^Unauthorized/);
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack]) {
      ok(!text.includes("sk-not-a-real-token"), "the token must not leak");
    }
  },

  async "the server's error message and status come through"({ api, portal }) {
    await portal.fault({
      status: 403,
      body: {
        error: { message: "Access denied", type: "System.Security.SecurityException", stack: "at …", hresult: -2146233078 },
        status: 1,
        statusCode: 403,
      },
    });
    const error = await rejects(client(api, portal).getTenantWebhooks());
    equal(error.kind, "http");
    equal(error.status, 403);
    equal(error.message, "Access denied");
  },

  async "an error envelope inside HTTP 200 is still an error"({ api, portal }) {
    await portal.fault({
      status: 200,
      body: { error: { message: "Boom", type: null, stack: null, hresult: 0 }, status: 1, statusCode: 500 },
    });
    const error = await rejects(client(api, portal).getTenantWebhooks());
    equal(error.kind, "http");
    equal(error.status, 500);
    equal(error.message, "Boom");
  },

  async "a non-JSON 200 is an invalid_response"({ api, portal }) {
    await portal.fault({ status: 200, body: "<html>captive portal</html>", contentType: "text/html" });
    const error = await rejects(client(api, portal).getTenantWebhooks());
    equal(error.kind, "invalid_response");
    match(error.message, /text\/html: <html>captive portal<\/html>/);
  },

  async "503 then success is retried for a read"({ api, portal }) {
    await portal.fault({ status: 503 }, { status: 502 });
    const list = await client(api, portal).getTenantWebhooks();
    equal(list.length, 2);
  },

  async "a connection closed mid-request is a network error, and a read retries past it"({ api, portal }) {
    // Chromium itself resends an idempotent request once on a reset connection: close a few.
    await portal.fault(...Array(5).fill({ destroy: true }));
    const error = await rejects(client(api, portal, { retries: 0 }).getTenantWebhooks());
    await portal.clearFaults();
    equal(error.kind, "network");
    match(error.message, /^could not reach the portal \(GET http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/settings\/webhook\)/);
    await portal.fault({ destroy: true });
    equal((await client(api, portal).getTenantWebhooks()).length, 2);
  },

  async "retries: 0 surfaces the first 503"({ api, portal }) {
    await portal.fault({ status: 503 });
    const error = await rejects(client(api, portal, { retries: 0 }).getTenantWebhooks());
    equal(error.status, 503);
  },

  async "a slow answer times out per attempt"({ api, portal }) {
    await portal.fault({ delayMs: 400, status: 200, body: { response: [], status: 0, statusCode: 200 } });
    const error = await rejects(client(api, portal, { retries: 0 }).getTenantWebhooks({ timeoutMs: 50 }));
    equal(error.kind, "timeout");
    match(error.message, /no answer within 50 ms/);
  },

  async "an AbortSignal aborts the call"({ api, portal }) {
    await portal.fault({ delayMs: 400, status: 200, body: { response: [], status: 0, statusCode: 200 } });
    const controller = new AbortController();
    const pending = client(api, portal).getTenantWebhooks({ signal: controller.signal });
    setTimeout(() => controller.abort("user navigated away"), 20);
    const error = await rejects(pending);
    equal(error.kind, "aborted");
    match(error.message, /user navigated away/);
  },

  async "an already aborted signal rejects at once"({ api, portal }) {
    const error = await rejects(client(api, portal).getTenantWebhooks({ signal: AbortSignal.abort() }));
    equal(error.kind, "aborted");
  },

  async "an injected fetch is used instead of the global one"({ api, portal }) {
    const seen = [];
    const fetch = (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return globalThis.fetch(request);
    };
    const list = await client(api, portal, { fetch }).getTenantWebhooks();
    equal(list.length, 2);
    deepEqual(seen, ["GET /api/2.0/settings/webhook"]);
  },

  async "the credentials option reaches fetch as its credentials mode"({ api, portal }) {
    // The fetch answers itself: an "include" request to another origin would need the portal's
    // CORS to allow credentials, which is not what this checks.
    const envelope = JSON.stringify({ response: [], count: 0, status: 0, statusCode: 200 });
    for (const credentials of ["include", "same-origin", "omit"]) {
      let seen;
      const fetch = async (request) => {
        seen = request.credentials;
        return new Response(envelope, { status: 200, headers: { "content-type": "application/json" } });
      };
      deepEqual(await client(api, portal, { fetch, credentials }).getTenantWebhooks(), []);
      equal(seen, credentials);
    }
  },

  async "a fetch that rejects with a non-Error is a network error, not a crash"({ api, portal }) {
    const fetch = () => Promise.reject("offline");
    const error = await rejects(client(api, portal, { fetch, retries: 0 }).getTenantWebhooks());
    equal(error.kind, "network");
    match(error.message, /offline/);
    // The instance still works afterwards.
    equal((await client(api, portal).getTenantWebhooks()).length, 2);
  },

  async "a fetch that resolves to something other than a Response is a network error"({ api, portal }) {
    for (const answer of [undefined, 42, {}, { status: "200" }]) {
      const fetch = async () => answer;
      const error = await rejects(client(api, portal, { fetch, retries: 0 }).getTenantWebhooks());
      equal(error.kind, "network");
      match(error.message, /resolved to something that is not a Response/);
    }
    // A Response-like object is read the way a Response is: its status, headers and text.
    const fake = { status: 200, headers: new Headers(), text: async () => '{"response":[],"status":0,"statusCode":200}' };
    const watched = client(api, portal, { fetch: async () => fake, retries: 0 });
    deepEqual(await watched.getTenantWebhooks(), []);
    equal(watched.lastResponse.status, 200);
  },

  async "bad constructor options throw invalid_input naming the option"({ api, portal }) {
    const bad = [
      [undefined, /^options:/],
      ["https://portal.example.com", /^options:/],
      [{ token: "t" }, /^baseUrl: is required/],
      [{ baseUrl: "ftp://portal", token: "t" }, /^baseUrl: must use http or https/],
      [{ baseUrl: "not a url", token: "t" }, /^baseUrl:/],
      [{ baseUrl: portal.url, token: "" }, /^token: must not be empty/],
      [{ baseUrl: portal.url }, /^token: one of token, basic or credentials is required/],
      [{ baseUrl: portal.url, token: "t", tokne: "t" }, /^tokne: unknown option/],
      [{ baseUrl: portal.url, token: "t", retries: 99 }, /^retries:/],
      [{ baseUrl: `https://${"x".repeat(3000)}.example`, token: "t" }, /^baseUrl: must be at most 2048 characters/],
      [{ baseUrl: portal.url, token: "t", onRequest: "console.log" }, /^onRequest: must be a function/],
      [{ baseUrl: portal.url, token: "t", onResponse: {} }, /^onResponse: must be a function/],
      [new Map([["baseUrl", portal.url]]), /^options: must be an object like .*, got an object of a class/],
    ];
    for (const [options, pattern] of bad) {
      const error = throws(() => new api.WebhooksClient(options), `new WebhooksClient(${JSON.stringify(options)})`);
      ok(error instanceof api.DocSpaceError, "instanceof DocSpaceError");
      equal(error.kind, "invalid_input");
      match(error.message, pattern);
    }
  },

  async "operations reject instead of throwing on bad call options"({ api, portal }) {
    const c = client(api, portal);
    let promise;
    try {
      promise = c.getTenantWebhooks({ timeoutMs: -1 });
    } catch {
      ok(false, "must not throw synchronously");
    }
    const error = await rejects(promise);
    equal(error.kind, "invalid_input");
    match(error.message, /^options\.timeoutMs/);
    equal((await rejects(c.getTenantWebhooks({ signal: "stop" }))).kind, "invalid_input");
  },

  async "the client never shows its credentials"({ api, portal }) {
    const c = new api.WebhooksClient({ baseUrl: portal.url + "/", basic: { user: "admin@example.com", password: "hunter2-pass" } });
    equal(c.baseUrl, portal.url);
    deepEqual(c.toJSON(), { baseUrl: portal.url, auth: "basic", timeoutMs: 30000, retries: 2 });
    ok(!JSON.stringify(c).includes("hunter2"));
  },

  async "Trigger constants, names and masks"({ api }) {
    const { Trigger } = api;
    equal(Trigger.FileUploaded, 256);
    equal(Trigger.All, 0);
    equal(Trigger.FolderDownloaded, 34359738368);
    equal(Object.keys(Trigger).length, 37);
    ok(Object.isFrozen(Trigger));
    equal(Trigger.mask(["FileCreated", "file.uploaded", Trigger.AgentCreated]), 128 + 256 + 2 ** 31);
    equal(Trigger.mask("*"), 0);
    deepEqual(Trigger.names(0), ["All"]);
    deepEqual(Trigger.names(2 ** 35 + 1), ["UserCreated", "FolderDownloaded"]);
    const error = throws(() => Trigger.mask("fileUploaded"));
    equal(error.kind, "invalid_input");
    match(error.message, /did you mean "FileUploaded"/);
    equal(throws(() => Trigger.mask([])).kind, "invalid_input");
    equal(throws(() => Trigger.names(-1)).kind, "invalid_input");
  },

  async "getWebhookTriggers lists all 37 with availability and exact high bits"({ api, portal }) {
    const list = await client(api, portal).getWebhookTriggers();
    equal(list.length, 37);
    deepEqual(list[0], { id: 0, name: "*", key: "All", available: true });
    const downloads = list.find((t) => t.key === "FolderDownloaded");
    equal(downloads.id, 2 ** 35);
    equal(downloads.name, "folder.downloaded");
    equal(list.find((t) => t.key === "UserCreated").available, true);
    const asUser = await client(api, portal, { token: portal.tokens.user }).getWebhookTriggers();
    equal(asUser.find((t) => t.key === "UserCreated").available, false);
  },

  async "getWebhookTriggers normalises the map of servers before 3.7"({ api, portal }) {
    await portal.useLegacyTriggers();
    const list = await client(api, portal).getWebhookTriggers();
    equal(list.length, 29, "* and the 28 events up to room.copied:");
    deepEqual(list[9], { id: 256, name: "file.uploaded", key: "FileUploaded" });
    ok(
      list.every((t) => !("available" in t)),
      "old servers say nothing about availability",
    );
  },

  async "createWebhook sends the numeric mask and resolves to the new webhook"({ api, portal }) {
    const created = await client(api, portal).createWebhook({
      name: "Uploads",
      uri: "https://hooks.example.com/uploads",
      secretKey: "S3cret-Key!",
      triggers: [api.Trigger.FileUploaded, "room.created", "FolderDownloaded"],
    });
    equal(created.name, "Uploads");
    equal(created.triggers, 256 + 4194304 + 2 ** 35);
    equal(created.enabled, true, "enabled defaults to true:");
    equal(created.ssl, true, "ssl defaults to true:");
    ok(!("secretKey" in created), "the server never returns the secret");
    const [request] = (await portal.requests()).slice(-1);
    deepEqual(JSON.parse(request.body), {
      name: "Uploads",
      uri: "https://hooks.example.com/uploads",
      secretKey: "S3cret-Key!",
      enabled: true,
      ssl: true,
      triggers: 256 + 4194304 + 2 ** 35,
    });
    equal(request.headers["content-type"], "application/json");
    const list = await client(api, portal).getTenantWebhooks();
    ok(
      list.some((item) => item.configs.id === created.id && item.status === 0),
      "listed, never delivered",
    );
  },

  async "createWebhook surfaces the server's refusals and is never retried"({ api, portal }) {
    const input = { name: "Production Webhook", uri: "https://hooks.example.com/docspace", secretKey: "S3cret-Key!", triggers: "All" };
    const duplicate = await rejects(client(api, portal).createWebhook(input));
    equal(duplicate.status, 400);
    equal(duplicate.message, "Webhook with the same name and payload URL already exists");
    const sent = (await portal.requests()).length;
    const weak = await rejects(client(api, portal).createWebhook({ ...input, name: "Weak", secretKey: "abc" }));
    equal(weak.kind, "invalid_input", "the portal's default password policy is checked before sending");
    match(weak.message, /^secretKey: must be at least 8 characters/);
    ok(!weak.message.includes("abc"), "the secret is not echoed");
    const before = (await portal.requests()).length;
    equal(before, sent, "nothing was sent for the weak secret");
    await portal.fault({ status: 503 });
    const unavailable = await rejects(client(api, portal).createWebhook({ ...input, name: "Other" }));
    equal(unavailable.status, 503);
    equal((await portal.requests()).length, before + 1, "one attempt only: a retry could meet the duplicate check");
  },

  async "updateWebhook replaces the whole webhook, keeping the secret when none is given"({ api, portal }) {
    const updated = await client(api, portal).updateWebhook({
      id: 7,
      name: "Renamed",
      uri: "https://hooks.example.com/v2",
      enabled: false,
      ssl: true,
      triggers: "All",
    });
    equal(updated.name, "Renamed");
    equal(updated.triggers, 0);
    equal(updated.enabled, false);
    const [request] = (await portal.requests()).slice(-1);
    deepEqual(JSON.parse(request.body), {
      id: 7,
      name: "Renamed",
      uri: "https://hooks.example.com/v2",
      enabled: false,
      ssl: true,
      triggers: 0,
    });
    const missing = await rejects(
      client(api, portal).updateWebhook({ id: 999, name: "n", uri: "https://h/x", enabled: true, ssl: true, triggers: "All" }),
    );
    equal(missing.status, 404);
    equal(missing.message, "The record could not be found");
  },

  async "patchWebhook changes only what is given and never sends a secret it was not given"({ api, portal }) {
    const before = (await portal.requests()).length;
    const patched = await client(api, portal).patchWebhook(7, { name: "Only the name" });
    equal(patched.name, "Only the name");
    equal(patched.uri, "https://hooks.example.com/docspace");
    equal(patched.triggers, 384);
    equal(patched.enabled, true);
    const sent = (await portal.requests()).slice(before);
    deepEqual(
      sent.map((r) => r.method),
      ["GET", "PUT"],
    );
    deepEqual(JSON.parse(sent[1].body), {
      id: 7,
      name: "Only the name",
      uri: "https://hooks.example.com/docspace",
      enabled: true,
      ssl: true,
      triggers: 384,
    });
    const rotated = await client(api, portal).patchWebhook(8, { secretKey: "N3w-Secret-Key", triggers: ["FileDownloaded"] });
    equal(rotated.triggers, 2 ** 34);
    equal(JSON.parse((await portal.requests()).at(-1).body).secretKey, "N3w-Secret-Key");
    const unknown = await rejects(client(api, portal).patchWebhook(999, { enabled: false }));
    equal(unknown.status, 404);
    equal((await portal.requests()).at(-1).method, "GET", "nothing was written");
  },

  async "enableWebhook sends what the server's validation needs and changes nothing else"({ api, portal }) {
    const enabled = await client(api, portal).enableWebhook(8, true);
    equal(enabled.enabled, true);
    equal(enabled.triggers, 2 ** 34 + 2 ** 35);
    deepEqual(JSON.parse((await portal.requests()).at(-1).body), {
      id: 8,
      name: "Downloads",
      uri: "https://hooks.example.com/downloads",
      enabled: true,
    });
    const disabled = await client(api, portal).enableWebhook(8, false);
    equal(disabled.enabled, false);
  },

  async "removeWebhook resolves to the deleted webhook, and a second delete is a 404"({ api, portal }) {
    const removed = await client(api, portal).removeWebhook(8);
    equal(removed.id, 8);
    equal(removed.name, "Downloads");
    equal((await portal.requests()).at(-1).path, "/api/2.0/settings/webhook/8");
    ok(!(await client(api, portal).getTenantWebhooks()).some((item) => item.configs.id === 8), "gone from the list");
    const again = await rejects(client(api, portal).removeWebhook(8));
    equal(again.status, 404);
  },

  async "a user cannot touch another user's webhook"({ api, portal }) {
    const asUser = client(api, portal, { token: portal.tokens.user });
    equal((await asUser.getTenantWebhooks()).length, 0, "non-admins see only their own");
    const denied = await rejects(asUser.removeWebhook(7));
    equal(denied.status, 403);
    equal(denied.message, "Access denied");
    equal((await client(api, portal).getTenantWebhooks()).length, 2, "the owner's webhooks are intact");
  },

  async "getWebhooksLogs encodes filters as the server reads them and exposes total"({ api, portal }) {
    const page = await client(api, portal).getWebhooksLogs({ configId: 7, groupStatus: ["Status4xx", "Status5xx"], count: 1 });
    equal(page.total, 2);
    equal(page.count, 1);
    equal(page.startIndex, 0);
    equal(page.items[0].id, 103, "newest first");
    equal(page.items[0].configName, "Production Webhook");
    deepEqual((await portal.requests()).at(-1).query, { configId: "7", groupStatus: "24", count: "1" });
    const delivered = await client(api, portal).getWebhooksLogs({
      deliveryFrom: new Date("2026-06-30T00:00:00Z"),
      deliveryTo: "2026-07-01T12:00:00+02:00",
      trigger: "FileCreated",
    });
    deepEqual(
      delivered.items.map((row) => row.id),
      [105, 101],
    );
    deepEqual((await portal.requests()).at(-1).query, {
      deliveryFrom: "2026-06-30T00:00:00.000",
      deliveryTo: "2026-07-01T10:00:00.000",
      trigger: "128",
    });
    const second = await client(api, portal).getWebhooksLogs({ startIndex: 3, count: 2 });
    deepEqual(
      second.items.map((row) => row.id),
      [102, 101],
    );
    equal(second.total, 5);
  },

  async "webhooksLogs iterates every page once, and break stops fetching"({ api, portal }) {
    await portal.seedLogs(245);
    const before = (await portal.requests()).length;
    const ids = [];
    for await (const row of client(api, portal).webhooksLogs({ configId: 7 })) ids.push(row.id);
    equal(ids.length, 250);
    equal(new Set(ids).size, 250, "no record twice");
    ok(
      ids.every((id, i) => i === 0 || id < ids[i - 1]),
      "newest first",
    );
    const pages = (await portal.requests()).slice(before);
    deepEqual(
      pages.map((r) => r.query.startIndex ?? "0"),
      ["0", "100", "200"],
    );
    const count = (await portal.requests()).length;
    for await (const row of client(api, portal).webhooksLogs({ count: 10 })) {
      ok(row.id > 0);
      break;
    }
    equal((await portal.requests()).length, count + 1, "one page fetched, then nothing");
  },

  async "webhooksLogs yields a record once when new ones push it into the next page, in any id order"({ api, portal }) {
    // A log served page by page from `rows`, newest first; `arrive` runs before each page after
    // the first, as if deliveries happened while the caller walked the log.
    const walk = async (rows, arrive) => {
      let pages = 0;
      const fetch = async (request) => {
        const url = new URL(request.url);
        const start = Number(url.searchParams.get("startIndex") ?? 0);
        const count = Number(url.searchParams.get("count"));
        if (pages++ > 0) arrive(rows);
        const page = rows.slice(start, start + count).map((id) => ({ id, configId: 7, status: 200 }));
        const body = { response: page, count: page.length, total: rows.length, status: 0, statusCode: 200 };
        return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
      };
      const ids = [];
      for await (const row of client(api, portal, { fetch }).webhooksLogs({ count: 2 })) ids.push(row.id);
      return ids;
    };
    // Two new records before the second page push 10 and 9 into it again.
    deepEqual(await walk([10, 9, 8, 7, 6], (rows) => rows.length === 5 && rows.unshift(12, 11)), [10, 9, 8, 7, 6]);
    // Ids that do not fall (a log not ordered by id) still come once each.
    deepEqual(await walk([5, 9, 7, 3], (rows) => rows.length === 4 && rows.unshift(1)), [5, 9, 7, 3]);
  },

  async "webhooksLogs answers next() calls made without waiting in order, and return() or throw() ends the walk"({ api, portal }) {
    await portal.seedLogs(25);
    const before = (await portal.requests()).length;
    const walk = client(api, portal).webhooksLogs({ count: 10 });
    equal(walk[Symbol.asyncIterator](), walk);
    equal((await portal.requests()).length, before, "nothing is fetched before the first next()");
    // Twelve calls at once span two pages: each answer is the record after the previous one.
    const steps = await Promise.all(Array.from({ length: 12 }, () => walk.next()));
    ok(steps.every((step) => step.done === false));
    const ids = steps.map((step) => step.value.id);
    ok(
      ids.every((id, i) => i === 0 || id < ids[i - 1]),
      `newest first, each once: ${ids}`,
    );
    equal((await portal.requests()).length, before + 2, "two pages read");
    // return() queued behind a next() still in flight: the next() gets its record, then the end.
    const [last, ended] = await Promise.all([walk.next(), walk.return("bye")]);
    equal(last.done, false);
    ok(last.value.id < ids[11]);
    deepEqual(ended, { value: "bye", done: true });
    const end = await walk.next();
    deepEqual(end, { value: undefined, done: true });
    // Each end is its own object, as a generator's: what a caller does with one stays there.
    ok(!Object.isFrozen(end) && end !== (await walk.next()), "a fresh result per next()");
    equal((await portal.requests()).length, before + 2, "nothing fetched after return()");

    const thrown = client(api, portal).webhooksLogs({ count: 10 });
    ok((await thrown.next()).value.id > 0);
    const reason = new Error("stop");
    equal(await rejects(thrown.throw(reason)), reason);
    deepEqual(await thrown.next(), { value: undefined, done: true });
  },

  async "webhooksLogs never throws: a bad filter rejects the first step"({ api, portal }) {
    const iterator = client(api, portal).webhooksLogs({ count: 500 });
    const error = await rejects(iterator.next());
    equal(error.kind, "invalid_input");
    match(error.message, /^filter\.count/);
    deepEqual(await iterator.next(), { value: undefined, done: true });
    equal((await portal.requests()).length, 0);
  },

  async "retryWebhook creates a new record and is never retried automatically"({ api, portal }) {
    const fresh = await client(api, portal).retryWebhook(102);
    ok(fresh.id > 105, "a new record id");
    equal(fresh.status, 0);
    equal(fresh.trigger, 256);
    equal((await portal.requests()).at(-1).path, "/api/2.0/settings/webhook/102/retry");
    const before = (await portal.requests()).length;
    await portal.fault({ status: 502 });
    equal((await rejects(client(api, portal).retryWebhook(102))).status, 502);
    equal((await portal.requests()).length, before + 1);
    equal((await rejects(client(api, portal).retryWebhook(999))).status, 404);
  },

  async "retryWebhooks sends each id once and resolves to the new records"({ api, portal }) {
    const rows = await client(api, portal).retryWebhooks([101, 102, 101, 999]);
    equal(rows.length, 2, "the portal skips ids it does not know");
    deepEqual(JSON.parse((await portal.requests()).at(-1).body), { ids: [101, 102, 999] });
  },

  async "a validation 400 carries the server's field errors in details"({ api, portal }) {
    const problem = {
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "One or more validation errors occurred.",
      status: 400,
      errors: { Uri: ["The Uri field is required."] },
      traceId: "00-x-00",
    };
    await portal.fault({ status: 400, body: { response: problem, count: 1, links: [], status: 1, statusCode: 400 } });
    const error = await rejects(client(api, portal).getTenantWebhooks());
    equal(error.kind, "http");
    equal(error.status, 400);
    deepEqual(error.details, { Uri: ["The Uri field is required."] });
    equal(error.message, "Validation failed: Uri: The Uri field is required.");
  },

  async "429 surfaces retryAfter instead of retrying, unless the wait is short"({ api, portal }) {
    const body = { error: { message: "Too many requests", type: null, stack: null, hresult: 0 }, status: 1, statusCode: 429 };
    await portal.fault({ status: 429, headers: { "retry-after": "60" }, body });
    const before = (await portal.requests()).length;
    const error = await rejects(client(api, portal).getTenantWebhooks());
    equal(error.status, 429);
    equal(error.retryAfter, 60);
    equal((await portal.requests()).length, before + 1);
    await portal.fault({ status: 429, headers: { "retry-after": "1" }, body });
    equal((await client(api, portal).getTenantWebhooks()).length, 2, "a 1 s wait is waited out");
  },

  async "hooks and lastResponse show the traffic without credentials"({ api, portal }) {
    const seen = [];
    const c = client(api, portal, {
      onRequest: (info) => seen.push(["request", info]),
      onResponse: (info) => seen.push(["response", info]),
    });
    equal(c.lastResponse, undefined);
    await portal.fault({ status: 503 });
    await c.getTenantWebhooks();
    deepEqual(
      seen.map(([what, info]) => `${what} ${info.attempt}${info.status ? ` ${info.status}` : ""}`),
      ["request 1", "response 1 503", "request 2", "response 2 200"],
    );
    equal(seen[0][1].method, "GET");
    equal(seen[0][1].url, `${portal.url}/api/2.0/settings/webhook`);
    equal(c.lastResponse.status, 200);
    equal(c.lastResponse.headers["content-type"], "application/json; charset=utf-8");
    ok(c.lastResponse.durationMs >= 0);
    ok(!JSON.stringify(seen).includes(portal.tokens.owner), "no token in what observers see");
    const throwing = client(api, portal, {
      onRequest: () => {
        throw new Error("observer bug");
      },
    });
    equal((await throwing.getTenantWebhooks()).length, 2, "a throwing observer does not break the call");
  },

  async "server texts that echo a credential are redacted"({ api, portal }) {
    await portal.fault({
      status: 500,
      body: { error: { message: `token ${portal.tokens.owner} rejected`, type: "X", stack: "s", hresult: 1 }, status: 1, statusCode: 500 },
    });
    const error = await rejects(client(api, portal, { retries: 0 }).getTenantWebhooks());
    equal(error.message, "token [redacted] rejected");
  },

  async "a network failure keeps fetch's error as its cause, redacted when it names a credential"({ api, portal }) {
    const plain = new TypeError("fetch failed");
    const failed = await rejects(client(api, portal, { retries: 0, fetch: () => Promise.reject(plain) }).getTenantWebhooks());
    equal(failed.kind, "network");
    equal(failed.cause, plain, "the very error fetch rejected with");
    const token = portal.tokens.owner;
    const leaky = () => Promise.reject(new Error(`proxy refused Authorization: Bearer ${token}`));
    const redacted = await rejects(client(api, portal, { retries: 0, fetch: leaky }).getTenantWebhooks());
    ok(redacted.cause instanceof Error, "a cause is kept");
    equal(redacted.cause.message, "proxy refused Authorization: Bearer [redacted]");
    for (const text of [redacted.message, redacted.cause.message, String(redacted.cause), redacted.cause.stack, JSON.stringify(redacted)]) {
      ok(!text.includes(token), `no token in ${text}`);
    }
  },

  async "every secret the client was given is redacted, also from an answer that echoes the request"({ api, portal }) {
    const token = portal.tokens.owner;
    const echo = async (request) => {
      const sent = `${request.headers.get("authorization")} ${await request.text()}`;
      const body = { error: { message: `rejected ${sent}`, type: "X", stack: "s", hresult: 1 }, status: 1, statusCode: 500 };
      return new Response(JSON.stringify(body), { status: 500, headers: { "content-type": "application/json" } });
    };
    const input = { name: "n", uri: "https://hooks.example.com/x", secretKey: "Echoed-Secret-1", triggers: "All" };
    const error = await rejects(client(api, portal, { retries: 0, fetch: echo }).createWebhook(input));
    equal(error.status, 500);
    match(error.message, /^rejected Bearer \[redacted\] \{"name":"n"/);
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack, JSON.stringify(error.details ?? {})]) {
      ok(!text.includes("Echoed-Secret-1") && !text.includes(token), `no secret in ${text}`);
    }
    // A token at the edge of the 200-character excerpt of a non-JSON answer is redacted before
    // the excerpt is cut, so no prefix of it survives.
    const html = async () => new Response(`${"x".repeat(192)}${token}`, { status: 200, headers: { "content-type": "text/html" } });
    const cut = await rejects(client(api, portal, { retries: 0, fetch: html }).getTenantWebhooks());
    equal(cut.kind, "invalid_response");
    ok(!cut.message.includes(token.slice(0, 6)), `no part of the token in ${cut.message}`);
  },

  async "bad input rejects with invalid_input naming the field, and sends nothing"({ api, portal }) {
    const c = client(api, portal);
    const hook = { name: "n", uri: "https://hooks.example.com/x", secretKey: "S3cret-Key!", triggers: "All" };
    const update = { id: 7, name: "n", uri: "https://hooks.example.com/x", enabled: true, ssl: true, triggers: "All" };
    const matrix = [
      // createWebhook
      [() => c.createWebhook(), /^input: must be an object/],
      [() => c.createWebhook(null), /^input: must be an object/],
      [() => c.createWebhook("hook"), /^input: must be an object/],
      [() => c.createWebhook([]), /^input: must be an object/],
      [() => c.createWebhook({ ...hook, name: undefined }), /^name: is required/],
      [() => c.createWebhook({ ...hook, name: "" }), /^name: must not be empty/],
      [() => c.createWebhook({ ...hook, name: "   " }), /^name: must not be empty/],
      [() => c.createWebhook({ ...hook, name: 42 }), /^name: must be a string, got a number/],
      [() => c.createWebhook({ ...hook, name: "x".repeat(51) }), /^name: must be at most 50/],
      [() => c.createWebhook({ ...hook, name: "x".repeat(100_000) }), /^name: must be at most 50 characters, got 100000/],
      [() => c.createWebhook({ ...hook, uri: undefined }), /^uri: is required/],
      [() => c.createWebhook({ ...hook, uri: "hooks.example.com" }), /^uri: must be an absolute http\(s\) URL/],
      [() => c.createWebhook({ ...hook, uri: "ftp://hooks.example.com" }), /^uri: must use http or https/],
      [() => c.createWebhook({ ...hook, uri: "javascript://alert(1)" }), /^uri: must use http or https/],
      [() => c.createWebhook({ ...hook, uri: "http://hooks.example.com" }), /^uri: must use https while ssl is true/],
      [() => c.createWebhook({ ...hook, ssl: false, uri: "http://127.0.0.1:9\\@93.184.216.34/" }), /^uri: must not contain a backslash/],
      [
        () => c.createWebhook({ ...hook, ssl: false, uri: "http://0x7f000001/" }),
        /^uri: must write an IPv4 host in its usual dotted form \(127\.0\.0\.1\)/,
      ],
      [() => c.createWebhook({ ...hook, ssl: false, uri: "http://93.184.216.34@127.0.0.1/" }), /^uri: must not contain user@ credentials/],
      [() => c.createWebhook({ ...hook, ssl: false, uri: "http://[::ffff:127.0.0.1]/" }), /^uri: must not wrap an IPv4 address in IPv6/],
      [() => c.createWebhook({ ...hook, uri: "https:// spaced.example.com" }), /^uri: must not contain spaces/],
      [() => c.createWebhook({ ...hook, uri: "https://" }), /^uri: must include a host name/],
      [() => c.createWebhook({ ...hook, uri: new URL("https://hooks.example.com") }), /^uri: must be a string, got an object/],
      [() => c.createWebhook({ ...hook, secretKey: undefined }), /^secretKey: is required/],
      [() => c.createWebhook({ ...hook, secretKey: "" }), /^secretKey: must not be empty/],
      [() => c.createWebhook({ ...hook, secretKey: "with space" }), /^secretKey: must be printable ASCII/],
      [() => c.createWebhook({ ...hook, secretKey: "пароль-secret" }), /^secretKey: must be printable ASCII/],
      [() => c.createWebhook({ ...hook, secretKey: "k".repeat(31) }), /^secretKey: must be at most 30/],
      [() => c.createWebhook({ ...hook, secretKey: 12345678 }), /^secretKey: must be a string/],
      [() => c.createWebhook({ ...hook, triggers: undefined }), /^triggers: is required/],
      [
        () => c.createWebhook({ ...hook, triggers: "FileUpload" }),
        /^triggers: unknown trigger "FileUpload"; did you mean "FileUploaded"\?/,
      ],
      [() => c.createWebhook({ ...hook, triggers: "" }), /^triggers: unknown trigger ""/],
      [() => c.createWebhook({ ...hook, triggers: [] }), /^triggers: an empty trigger list/],
      [() => c.createWebhook({ ...hook, triggers: ["All", "FileUploaded"] }), /^triggers: "All" means every event/],
      [() => c.createWebhook({ ...hook, triggers: ["FileCreated", null] }), /^triggers\[1\]: must be a trigger name or number, got null/],
      [() => c.createWebhook({ ...hook, triggers: -1 }), /^triggers: a trigger mask must be a non-negative integer/],
      [() => c.createWebhook({ ...hook, triggers: 1.5 }), /^triggers: a trigger mask must be a non-negative integer/],
      [() => c.createWebhook({ ...hook, triggers: NaN }), /^triggers: a trigger mask must be a non-negative integer/],
      [() => c.createWebhook({ ...hook, triggers: 2 ** 53 }), /^triggers: a trigger mask must not exceed/],
      [
        () => c.createWebhook({ ...hook, triggers: 256n }),
        /^triggers: must be a trigger name, a Trigger constant, or an array of them, got a bigint/,
      ],
      [() => c.createWebhook({ ...hook, triggers: { FileUploaded: true } }), /^triggers: must be a trigger name/],
      [() => c.createWebhook({ ...hook, enabled: "true" }), /^enabled: must be a boolean, got a string/],
      [() => c.createWebhook({ ...hook, ssl: 1 }), /^ssl: must be a boolean, got a number/],
      [() => c.createWebhook({ ...hook, targetId: "" }), /^targetId: must not be empty/],
      [() => c.createWebhook({ ...hook, targetId: 42 }), /^targetId: must be a string, got a number/],
      [() => c.createWebhook({ ...hook, targetId: "t".repeat(256) }), /^targetId: must be at most 255/],
      [() => c.createWebhook({ ...hook, trigger: "All" }), /^input\.trigger: unknown option; did you mean "triggers"\?/],
      [() => c.createWebhook({ ...hook, secret: "x" }), /^input\.secret: unknown option/],
      // updateWebhook
      [() => c.updateWebhook({ ...update, id: undefined }), /^id: is required/],
      [() => c.updateWebhook({ ...update, id: 0 }), /^id: must be an integer from 1 to 2147483647, got 0/],
      [() => c.updateWebhook({ ...update, id: -7 }), /^id: must be an integer from 1/],
      [() => c.updateWebhook({ ...update, id: 7.5 }), /^id: must be an integer from 1/],
      [() => c.updateWebhook({ ...update, id: NaN }), /^id: must be an integer from 1/],
      [() => c.updateWebhook({ ...update, id: 2 ** 53 }), /^id: must be an integer from 1/],
      [() => c.updateWebhook({ ...update, id: "7" }), /^id: must be an integer, got a string/],
      [() => c.updateWebhook({ ...update, enabled: undefined }), /^enabled: is required/],
      [() => c.updateWebhook({ ...update, ssl: undefined }), /^ssl: is required/],
      [() => c.updateWebhook({ ...update, triggers: undefined }), /^triggers: is required/],
      [() => c.updateWebhook({ ...update, secretKey: "" }), /^secretKey: must not be empty/],
      // patchWebhook
      [() => c.patchWebhook(undefined, { name: "x" }), /^id: is required/],
      [() => c.patchWebhook("7", { name: "x" }), /^id: must be an integer, got a string/],
      [() => c.patchWebhook(7), /^changes: must be an object/],
      [() => c.patchWebhook(7, {}), /^changes: must change at least one field/],
      [() => c.patchWebhook(7, { nmae: "x" }), /^changes\.nmae: unknown option; did you mean "name"\?/],
      [() => c.patchWebhook(7, { name: "" }), /^name: must not be empty/],
      [() => c.patchWebhook(7, { triggers: "Nope" }), /^triggers: unknown trigger/],
      // enableWebhook, removeWebhook, retries
      [() => c.enableWebhook(7), /^enabled: is required/],
      [() => c.enableWebhook(7, "yes"), /^enabled: must be a boolean/],
      [() => c.enableWebhook(null, true), /^id: is required/],
      [() => c.removeWebhook(), /^id: is required/],
      [() => c.removeWebhook(-1), /^id: must be an integer from 1/],
      [() => c.removeWebhook(Infinity), /^id: must be an integer from 1/],
      [() => c.removeWebhook({ id: 7 }), /^id: must be an integer, got an object/],
      [() => c.retryWebhook(0), /^logId: must be an integer from 1/],
      [() => c.retryWebhook("102"), /^logId: must be an integer, got a string/],
      [() => c.retryWebhooks(), /^logIds: must be an array/],
      [() => c.retryWebhooks([]), /^logIds: must not be empty/],
      [() => c.retryWebhooks([101, "102"]), /^logIds\[1\]: must be an integer, got a string/],
      [() => c.retryWebhooks(101), /^logIds: must be an array/],
      [() => c.retryWebhooks(Object.assign([], { length: 2 ** 32 - 1 })), /^logIds: must have at most 1000 entries/],
      [() => c.createWebhook({ ...hook, triggers: Object.assign([], { length: 4e9 }) }), /^triggers: must have at most 1000 entries/],
      // getWebhooksLogs
      [() => c.getWebhooksLogs("configId=7"), /^filter: must be an object/],
      [() => c.getWebhooksLogs({ count: 0 }), /^filter\.count: must be an integer from 1 to 100/],
      [() => c.getWebhooksLogs({ count: 101 }), /^filter\.count: must be an integer from 1 to 100/],
      [() => c.getWebhooksLogs({ startIndex: -5 }), /^filter\.startIndex/],
      [() => c.getWebhooksLogs({ configId: 0 }), /^filter\.configId/],
      [() => c.getWebhooksLogs({ eventId: "1" }), /^filter\.eventId: must be an integer, got a string/],
      [() => c.getWebhooksLogs({ deliveryFrom: "yesterday" }), /^filter\.deliveryFrom: must be a Date or an ISO-8601 time/],
      [() => c.getWebhooksLogs({ deliveryFrom: new Date("nope") }), /^filter\.deliveryFrom: must be a valid Date/],
      [() => c.getWebhooksLogs({ deliveryTo: 1719741600000 }), /^filter\.deliveryTo: must be a Date or an ISO-8601 string, got a number/],
      [
        () => c.getWebhooksLogs({ deliveryFrom: "2026-07-02", deliveryTo: "2026-07-01" }),
        /^filter\.deliveryTo: must not be before deliveryFrom/,
      ],
      [() => c.getWebhooksLogs({ groupStatus: "5xx" }), /^filter\.groupStatus: unknown group status "5xx"/],
      [() => c.getWebhooksLogs({ groupStatus: 64 }), /^filter\.groupStatus: must be an integer from 0 to 31/],
      [() => c.getWebhooksLogs({ groupStatus: [] }), /^filter\.groupStatus: must not be an empty list/],
      [() => c.getWebhooksLogs({ trigger: 384 }), /^filter\.trigger: filters by one event type/],
      [() => c.getWebhooksLogs({ trigger: ["FileCreated"] }), /^filter\.trigger: must be one trigger name or bit/],
      [() => c.getWebhooksLogs({ userId: "me" }), /^filter\.userId: must be a user id/],
      [() => c.getWebhooksLogs({ hookUri: "" }), /^filter\.hookUri: must not be empty/],
      [() => c.getWebhooksLogs({ config: 7 }), /^filter\.config: unknown option; did you mean "configId"\?/],
      // per-call options
      [() => c.getTenantWebhooks({ signal: {} }), /^options\.signal: must be an AbortSignal, got an object/],
      [() => c.getTenantWebhooks({ timeoutMs: 0 }), /^options\.timeoutMs/],
      [() => c.getTenantWebhooks({ timeout: 5 }), /^options\.timeout: unknown option; did you mean "timeoutMs"\?/],
      [() => c.getTenantWebhooks(5), /^options: must be an object/],
      // A getter that throws is refused, never read as an absent option (the call would go on
      // without the caller's timeout or signal).
      [
        () =>
          c.getTenantWebhooks(
            Object.defineProperty({}, "timeoutMs", {
              enumerable: true,
              get: () => {
                throw new Error("getter");
              },
            }),
          ),
        /^options\.timeoutMs: must be a number, got a property that throws when read/,
      ],
      // Objects of a class are not options: their inherited properties (an Error's name) must
      // not rename a webhook, and a proxy that cannot be read is refused, not read as empty.
      [() => c.patchWebhook(7, new Error("boom")), /^changes: must be an object like .*, got an object of a class/],
      [() => c.createWebhook(new Map([["name", "x"]])), /^input: must be an object like .*, got an object of a class/],
      [() => c.updateWebhook(Promise.resolve(update)), /^input: must be an object like .*, got an object of a class/],
      [() => c.getWebhooksLogs(new Set()), /^filter: must be an object like .*, got an object of a class/],
      // A prototype with no prototype of its own is not Object.prototype unless it is one.
      [
        () => c.createWebhook(Object.create(Object.create(null, { name: { value: "inherited" } }))),
        /^input: must be an object like .*, got an object of a class/,
      ],
      // A string no field comes near is refused by its length, never copied into wasm.
      [() => c.createWebhook({ ...hook, name: "n".repeat(2 ** 20 + 1) }), /^name: is over a million characters long/],
      [
        () =>
          c.getTenantWebhooks(
            new Proxy(
              {},
              {
                ownKeys: () => {
                  throw new Error("trap");
                },
              },
            ),
          ),
        /^options: must be an object like .*, got an object whose properties cannot be read/,
      ],
    ];
    ok(matrix.length >= 60, `${matrix.length} cases`);
    for (const [call, pattern] of matrix) {
      let promise;
      try {
        promise = call();
      } catch (error) {
        throw new Error(`threw synchronously instead of rejecting: ${call} → ${error.message}`);
      }
      const error = await rejects(promise, `expected ${call} to reject`);
      ok(error instanceof api.DocSpaceError, `${call}: a DocSpaceError`);
      equal(error.kind, "invalid_input", `${call}:`);
      match(error.message, pattern, `${call}:`);
      ok(!error.message.includes("S3cret-Key!") && !error.message.includes("with space"), `${call}: no secret in ${error.message}`);
    }
    equal((await portal.requests()).length, 0, "no request reached the portal");
  },

  async "arbitrary JS values never crash the wasm, and the client keeps working"({ api, portal }) {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (list) => list[Math.floor(random() * list.length)];
    const hostile = [
      new Proxy([], {
        get: () => {
          throw new Error("array get trap");
        },
      }),
      new Proxy(
        {},
        {
          getPrototypeOf: () => {
            throw new Error("prototype trap");
          },
        },
      ),
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error("ownKeys trap");
          },
          get: () => {
            throw new Error("get trap");
          },
        },
      ),
      Object.defineProperty({}, "name", {
        enumerable: true,
        get: () => {
          throw new Error("getter");
        },
      }),
      Object.create(null),
      Symbol("s"),
      10n ** 30n,
      () => {},
      new Date(NaN),
      new Map([["name", "x"]]),
      new Uint8Array(4),
      "x".repeat(10_000),
      "\u0000\uFFFF\uD800",
      -0,
      Number.MAX_VALUE,
      NaN,
    ];
    const leaf = () =>
      pick([
        undefined,
        null,
        true,
        false,
        0,
        7,
        -1,
        2 ** 35,
        1.5,
        "",
        "All",
        "FileUploaded",
        "https://h/x",
        "S3cret-Key!",
        new Date(),
        ...hostile,
      ]);
    const value = (depth = 0) => {
      const roll = random();
      if (depth > 2 || roll < 0.5) return leaf();
      if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(KEYS), value(depth + 1)]));
    };
    const c = client(api, portal, { retries: 0 });
    const methods = [
      "getTenantWebhooks",
      "getWebhookTriggers",
      "createWebhook",
      "updateWebhook",
      "patchWebhook",
      "enableWebhook",
      "removeWebhook",
      "getWebhooksLogs",
      "retryWebhook",
      "retryWebhooks",
    ];
    const kinds = new Set();
    for (let i = 0; i < 400; i++) {
      const method = pick(methods);
      const args = [value(), value(), value()];
      try {
        await c[method](...args);
      } catch (error) {
        ok(error instanceof api.DocSpaceError, `${method}: got ${error?.name}: ${error?.message}`);
        kinds.add(error.kind);
      }
      try {
        new api.WebhooksClient(value());
      } catch (error) {
        ok(error instanceof api.DocSpaceError, `constructor: got ${error?.name}: ${error?.message}`);
      }
      try {
        for await (const row of c.webhooksLogs(value(), value())) {
          ok(typeof row === "object");
          break;
        }
      } catch (error) {
        ok(error instanceof api.DocSpaceError, `webhooksLogs: got ${error?.name}: ${error?.message}`);
      }
    }
    ok(kinds.has("invalid_input"), `hostile input was refused as invalid_input (kinds seen: ${[...kinds]})`);
    // The generated calls may have created or removed webhooks: the instance answers with what
    // the portal now holds, which the owner's own listing agrees with.
    const ids = (list) => list.map((item) => item.configs.id);
    deepEqual(ids(await c.getTenantWebhooks()), ids(await client(api, portal).getTenantWebhooks()), "the instance still answers");
    equal((await client(api, portal).getWebhookTriggers()).length, 37);
  },
};
