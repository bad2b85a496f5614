// The stand-in portal's test hooks (`startPortal({ testHooks: true })`): what integration tests
// of code that talks to DocSpace need besides a faithful server. Off unless asked for; the CLI
// never turns them on.
//
//   portal.testing.fault({ status: 503 }, { delayMs: 400 })  the next API requests, one each
//   portal.testing.requests()                                what reached the API, in order
//   portal.testing.seed(state)                               replace users, webhooks and log
//   portal.testing.useLegacyTriggers()                       answer triggers as servers < 3.7
//
// With `testHooks: { stubNetwork: true }` no traffic leaves the process: every host name
// resolves to 203.0.113.10 (a documentation address), HEAD probes answer 200 and deliveries
// answer 200 "ok" (they are recorded in `deliveries()`); the portal's own checks still run.

/** The documentation address (RFC 5737) every name resolves to with a stubbed network. */
export const STUB_ADDRESS = "203.0.113.10";

const FAULT_KEYS = ["status", "body", "headers", "contentType", "delayMs", "destroy"];

/** Checks the `testHooks` option: `true`, or `{ stubNetwork?: boolean }`. */
export function checkTestHooks(value) {
  if (value === undefined || typeof value === "boolean") return;
  if (typeof value !== "object" || value === null || Object.keys(value).some((key) => key !== "stubNetwork")) {
    throw new Error("testHooks: must be true, false or { stubNetwork?: boolean }");
  }
}

/** The I/O a stubbed network gives the portal core in place of DNS and HTTP. */
export function stubNetwork(host, deliveries) {
  return {
    ...host,
    resolve: async () => [STUB_ADDRESS],
    probe: async () => 200,
    post: async (target) => {
      deliveries.push({ url: target.href, headers: Object.fromEntries(target.headers), body: target.body });
      return { status: 200, statusText: "OK", headers: [["Content-Type", "text/plain"]], body: "ok" };
    },
  };
}

export function createTestHooks(core, deliveries) {
  const faults = [];
  const exchanges = [];

  /** A fault the host applies instead of (or before) the portal's own answer; `cors`: the CORS
   * headers the portal's answer would have carried. */
  async function apply(fault, req, res, cors) {
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.destroy) {
      req.socket.destroy();
      return { status: 0, headers: {}, body: "" };
    }
    if (fault.status === undefined && fault.body === undefined) return null; // only a delay
    const status = fault.status ?? 200;
    const headers = { "content-type": fault.contentType ?? "application/json; charset=utf-8", ...fault.headers };
    const body =
      typeof fault.body === "string"
        ? fault.body
        : JSON.stringify(
            fault.body ?? {
              error: { message: "Injected failure", type: "System.Exception", stack: null, hresult: 0 },
              status: 1,
              statusCode: status,
            },
          );
    res.writeHead(status, { ...headers, ...cors }).end(body);
    return { status, headers, body };
  }

  return {
    /**
     * Called by the host for every API request before the portal answers it; resolves to true
     * when a fault answered instead.
     */
    async intercept(req, res, url, body, cors = {}) {
      const request = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      const exchange = { request, response: null, injected: false };
      exchanges.push(exchange);
      const fault = faults.shift();
      if (!fault) return exchange;
      const answer = await apply(fault, req, res, cors);
      if (answer === null) return exchange;
      exchange.response = answer;
      exchange.injected = true;
      return null;
    },
    /** Called by the host with the portal's own answer to an intercepted request. */
    answered(exchange, response) {
      exchange.response = response;
    },
    api: {
      /** Queues faults for the next API requests: `{ status, body, headers, contentType, delayMs, destroy }`. */
      fault(...list) {
        for (const fault of list) {
          if (typeof fault !== "object" || fault === null || Object.keys(fault).some((key) => !FAULT_KEYS.includes(key))) {
            throw new Error(`testing.fault: each fault is an object with some of ${FAULT_KEYS.join(", ")}`);
          }
          faults.push(fault);
        }
      },
      clearFaults() {
        faults.length = 0;
      },
      /** The API requests received so far: `{ method, path, query, headers, body }`. */
      requests: () => exchanges.map((exchange) => exchange.request),
      /** Requests with the answers they got (`injected` when a fault answered). */
      exchanges: () => exchanges.slice(),
      clearRequests() {
        exchanges.length = 0;
      },
      /** Replaces the whole state (the `--data` file's format), checked as a data file is. */
      seed(state) {
        core.replaceState(JSON.stringify(state));
      },
      /** Answers the triggers list as servers 3.1–3.6 did: a name → bit map, no availability. */
      useLegacyTriggers(on = true) {
        core.useLegacyTriggers(Boolean(on));
      },
      /** With `stubNetwork`, the deliveries the portal made: `{ url, headers, body }`. */
      deliveries: () => deliveries.slice(),
    },
  };
}
