// The tests' DocSpace: the stand-in portal itself (one fake, not two), started with its test
// hooks, a stubbed network (no traffic leaves the process) and the shared seed, and every
// request and answer checked against the official OpenAPI extract.
//
//   const portal = await startTestPortal();   // 127.0.0.1, random port
//   portal.fault({ status: 503 });             // the next API request gets this
//   portal.violations();                       // [] when every exchange matched the spec
import { startPortal } from "../../pkg/portal/index.mjs";
import { createValidator } from "./openapi.mjs";
import { logRow, seedState, TOKENS } from "./seed.mjs";

const CONTROLS = ["tokens", "fault", "clearFaults", "requests", "seedLogs", "useLegacyTriggers"];

export async function startTestPortal(options = {}) {
  const portal = await startPortal({ testHooks: { stubNetwork: true }, serveStatic: false, ...options });
  const { testing } = portal;
  const validator = createValidator();
  let legacyTriggers = false;

  const api = {
    url: portal.url,
    tokens: TOKENS,
    portal,
    /** Back to the seed: state, faults, captured requests, the triggers list's shape. */
    reset() {
      testing.seed(seedState());
      testing.clearFaults();
      testing.clearRequests();
      testing.useLegacyTriggers(false);
      legacyTriggers = false;
    },
    fault: (...faults) => testing.fault(...faults),
    clearFaults: () => testing.clearFaults(),
    requests: () => testing.requests(),
    /** Adds `count` log rows for webhook `configId`, every third one failed (paging tests). */
    seedLogs(count, configId = 7) {
      const state = portal.snapshot();
      for (let i = 0; i < count; i++) {
        const failed = i % 3 === 0;
        state.logs.push(
          logRow(state.nextLogId++, configId, 128, failed ? 503 : 200, "2026-07-02T00:00:00Z", failed ? null : "2026-07-02T00:00:01Z"),
        );
      }
      testing.seed(state);
    },
    useLegacyTriggers(on = true) {
      legacyTriggers = on;
      testing.useLegacyTriggers(on);
    },
    /** Every request and every answer of the portal that the spec does not describe. */
    violations() {
      const problems = [];
      for (const { request, response, injected } of testing.exchanges()) {
        for (const problem of validator.checkRequest(request)) problems.push(`request: ${problem}`);
        // Injected answers are the test's own; the 3.6 map is outside the 3.7 spec by design.
        const legacyMap = legacyTriggers && request.path.endsWith("/webhook/triggers");
        if (response && !injected && !legacyMap) {
          for (const problem of validator.checkResponse({ ...request, status: response.status, body: response.body })) {
            problems.push(`response: ${problem}`);
          }
        }
      }
      return problems;
    },
    /** One entry point for remote control (the browser tests call it through Playwright). */
    control(name, args = []) {
      if (!CONTROLS.includes(name)) throw new Error(`unknown test-portal control ${name}`);
      if (name === "tokens") return api.tokens;
      return api[name](...args) ?? null;
    },
    close: () => portal.close(),
  };
  api.reset();
  return api;
}
