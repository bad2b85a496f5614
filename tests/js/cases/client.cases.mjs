// The client's behaviour as users see it, written once and run in several hosts: Node through
// `import`, Node through `require`, and headless Chromium (cross-origin to the fixture).
//
// Each case gets `{ api, fixture }`: `api` is the package's exports, `fixture` is
// `{ url, tokens, fault(...faults), requests() }` (async where the host needs a bridge).
import { deepEqual, equal, match, ok, rejects, throws } from "./assert.mjs";

const client = (api, fixture, extra = {}) => new api.WebhooksClient({ baseUrl: fixture.url, token: fixture.tokens.owner, ...extra });

export const cases = {
  async "getTenantWebhooks returns the unwrapped, typed list"({ api, fixture }) {
    const list = await client(api, fixture).getTenantWebhooks();
    equal(list.length, 2);
    equal(list[0].configs.name, "Production Webhook");
    equal(list[0].status, 200);
    deepEqual(api.Trigger.names(list[0].configs.triggers), ["FileCreated", "FileUploaded"]);
    equal(list[1].configs.triggers, 2 ** 34 + 2 ** 35, "bits above 2^32 stay exact:");
    equal(list[1].status, 0);
  },

  async "requests carry the bearer token and ask for JSON"({ api, fixture }) {
    await client(api, fixture).getTenantWebhooks();
    const [request] = (await fixture.requests()).slice(-1);
    equal(request.method, "GET");
    equal(request.path, "/api/2.0/settings/webhook");
    equal(request.headers.authorization, `Bearer ${fixture.tokens.owner}`);
    equal(request.headers.accept, "application/json");
  },

  async "a rejected token rejects with an http DocSpaceError, without the token"({ api, fixture }) {
    const error = await rejects(client(api, fixture, { token: "sk-not-a-real-token" }).getTenantWebhooks());
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

  async "the server's error message and status come through"({ api, fixture }) {
    await fixture.fault({
      status: 403,
      body: {
        error: { message: "Access denied", type: "System.Security.SecurityException", stack: "at …", hresult: -2146233078 },
        status: 1,
        statusCode: 403,
      },
    });
    const error = await rejects(client(api, fixture).getTenantWebhooks());
    equal(error.kind, "http");
    equal(error.status, 403);
    equal(error.message, "Access denied");
  },

  async "an error envelope inside HTTP 200 is still an error"({ api, fixture }) {
    await fixture.fault({
      status: 200,
      body: { error: { message: "Boom", type: null, stack: null, hresult: 0 }, status: 1, statusCode: 500 },
    });
    const error = await rejects(client(api, fixture).getTenantWebhooks());
    equal(error.kind, "http");
    equal(error.status, 500);
    equal(error.message, "Boom");
  },

  async "a non-JSON 200 is an invalid_response"({ api, fixture }) {
    await fixture.fault({ status: 200, body: "<html>captive portal</html>", contentType: "text/html" });
    const error = await rejects(client(api, fixture).getTenantWebhooks());
    equal(error.kind, "invalid_response");
    match(error.message, /text\/html: <html>captive portal<\/html>/);
  },

  async "503 then success is retried for a read"({ api, fixture }) {
    await fixture.fault({ status: 503 }, { status: 502 });
    const list = await client(api, fixture).getTenantWebhooks();
    equal(list.length, 2);
  },

  async "retries: 0 surfaces the first 503"({ api, fixture }) {
    await fixture.fault({ status: 503 });
    const error = await rejects(client(api, fixture, { retries: 0 }).getTenantWebhooks());
    equal(error.status, 503);
  },

  async "a slow answer times out per attempt"({ api, fixture }) {
    await fixture.fault({ delayMs: 400, status: 200, body: { response: [], status: 0, statusCode: 200 } });
    const error = await rejects(client(api, fixture, { retries: 0 }).getTenantWebhooks({ timeoutMs: 50 }));
    equal(error.kind, "timeout");
    match(error.message, /no answer within 50 ms/);
  },

  async "an AbortSignal aborts the call"({ api, fixture }) {
    await fixture.fault({ delayMs: 400, status: 200, body: { response: [], status: 0, statusCode: 200 } });
    const controller = new AbortController();
    const pending = client(api, fixture).getTenantWebhooks({ signal: controller.signal });
    setTimeout(() => controller.abort("user navigated away"), 20);
    const error = await rejects(pending);
    equal(error.kind, "aborted");
    match(error.message, /user navigated away/);
  },

  async "an already aborted signal rejects at once"({ api, fixture }) {
    const error = await rejects(client(api, fixture).getTenantWebhooks({ signal: AbortSignal.abort() }));
    equal(error.kind, "aborted");
  },

  async "an injected fetch is used instead of the global one"({ api, fixture }) {
    const seen = [];
    const fetch = (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return globalThis.fetch(request);
    };
    const list = await client(api, fixture, { fetch }).getTenantWebhooks();
    equal(list.length, 2);
    deepEqual(seen, ["GET /api/2.0/settings/webhook"]);
  },

  async "a fetch that rejects with a non-Error is a network error, not a crash"({ api, fixture }) {
    const fetch = () => Promise.reject("offline");
    const error = await rejects(client(api, fixture, { fetch, retries: 0 }).getTenantWebhooks());
    equal(error.kind, "network");
    match(error.message, /offline/);
    // The instance still works afterwards.
    equal((await client(api, fixture).getTenantWebhooks()).length, 2);
  },

  async "bad constructor options throw invalid_input naming the option"({ api, fixture }) {
    const bad = [
      [undefined, /^options:/],
      ["https://portal.example.com", /^options:/],
      [{ token: "t" }, /^baseUrl: is required/],
      [{ baseUrl: "ftp://portal", token: "t" }, /^baseUrl: must use http or https/],
      [{ baseUrl: "not a url", token: "t" }, /^baseUrl:/],
      [{ baseUrl: fixture.url, token: "" }, /^token: must not be empty/],
      [{ baseUrl: fixture.url }, /^token: one of token, basic or credentials is required/],
      [{ baseUrl: fixture.url, token: "t", tokne: "t" }, /^tokne: unknown option/],
      [{ baseUrl: fixture.url, token: "t", retries: 99 }, /^retries:/],
    ];
    for (const [options, pattern] of bad) {
      const error = throws(() => new api.WebhooksClient(options), `new WebhooksClient(${JSON.stringify(options)})`);
      ok(error instanceof api.DocSpaceError, "instanceof DocSpaceError");
      equal(error.kind, "invalid_input");
      match(error.message, pattern);
    }
  },

  async "operations reject instead of throwing on bad call options"({ api, fixture }) {
    const c = client(api, fixture);
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

  async "the client never shows its credentials"({ api, fixture }) {
    const c = new api.WebhooksClient({ baseUrl: fixture.url + "/", basic: { user: "admin@example.com", password: "hunter2-pass" } });
    equal(c.baseUrl, fixture.url);
    deepEqual(c.toJSON(), { baseUrl: fixture.url, auth: "basic", timeoutMs: 30000, retries: 2 });
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
};
