// The fuzz run (run.mjs) at CI size: 20,000 hostile calls with a fixed seed, each kind of
// finding its own test, and the 10 MiB inputs of issue 16 item 4. Timings are not judged here
// (the run's slow calls are printed as diagnostics; `node tests/fuzz/run.mjs` reports hangs):
// the watchdogs only catch calls that never come back.
import { after, before, describe, test } from "node:test";
import { Worker } from "node:worker_threads";
import { longInputProbes } from "./long-input.mjs";
import { judge, runFuzz, settle, summary } from "./run.mjs";

const COUNT = 20_000;
const SEED = 16;

/** Finding categories of run.mjs, grouped by the promise each group checks. */
const PROMISES = {
  "no wasm panic, and nothing poisoned after one": ["panic (RuntimeError)", "poisoned"],
  "every throw and rejection is a DocSpaceError, and operations reject rather than throw": [
    "not a DocSpaceError",
    "threw instead of rejecting",
    "stray error",
  ],
  "an invalid_input rejection sent no request, and every request went through the counted fetch": [
    "request sent for invalid input",
    "request not counted",
  ],
  "non-plain objects as options or input, and hooks that are not functions, are refused": ["accepted what it should refuse"],
  "a property whose getter throws is not taken as absent": ["took an unreadable property as absent"],
  "the fetch-style handler always answers with a Response": [
    "handler rejected a Request",
    "handler rejected a non-Request",
    "handler answered no Response",
  ],
  "results have their documented types": ["wrong result"],
  "no token or webhook secret in an error": ["secret in an error"],
  "what reaches the portal matches the OpenAPI spec": ["request or answer outside the spec"],
  "every call settles within 5 s (a hang guard, not a timing)": ["never settled", "blocked over 5 s"],
  "the harness itself ran cleanly": ["harness error"],
};

/**
 * What this suite found open on main when it was written, in files outside the fuzz helper's
 * brief (issue 16; the lead fixes them): findings of these entries under these promises are
 * checked by a separate test marked todo, so the layer stays green while they are open, every
 * other entry is still held to the promise, and the findings still print. Delete an entry once
 * its todo test passes. Empty now: the first run's findings are fixed; a new finding that cannot
 * be fixed at once goes here as `"promise": { entries?: [...], reason }`.
 */
const OPEN = {};
/** 10 MiB probes open on main, and why: `"probe name": "reason"`. */
const OPEN_PROBES = {};

// The oracles themselves, on made-up outcomes: a run without findings means something only if
// each kind of failure would have been found.
describe("the fuzz's oracles find what they look for", () => {
  class DocSpaceError extends Error {
    constructor(kind, message) {
      super(message);
      this.kind = kind;
    }
  }
  const api = { DocSpaceError };
  const ctx = { token: "sk-the-token" };
  const method = { expect: { async: true, countsRequests: true, mustRefuse: null } };
  const categories = async (built, call, fetches = 0) => judge(api, ctx, built, await settle(call), fetches).map(([category]) => category);
  const cases = [
    ["a wasm panic", method, () => Promise.reject(new WebAssembly.RuntimeError("unreachable")), 0, "panic (RuntimeError)"],
    ["a TypeError", method, () => Promise.reject(new TypeError("x")), 0, "not a DocSpaceError"],
    [
      "a synchronous throw from an operation",
      method,
      () => {
        throw new DocSpaceError("invalid_input", "x");
      },
      0,
      "threw instead of rejecting",
    ],
    [
      "invalid_input after a request",
      method,
      () => Promise.reject(new DocSpaceError("invalid_input", "x")),
      1,
      "request sent for invalid input",
    ],
    ["the token in a message", method, () => Promise.reject(new DocSpaceError("http", "Bearer sk-the-token")), 0, "secret in an error"],
    [
      "a refusable argument taken",
      { expect: { ...method.expect, mustRefuse: { category: "accepted what it should refuse", why: "argument 0: it is a Map" } } },
      async () => ({}),
      1,
      "accepted what it should refuse",
    ],
    ["a wrong result", { expect: { result: (value) => typeof value === "boolean" } }, () => "yes", 0, "wrong result"],
    [
      "a handler that rejected",
      { expect: { handled: () => true } },
      async () => ({ rejected: new TypeError("x"), real: true }),
      0,
      "handler rejected a Request",
    ],
  ];
  for (const [name, built, call, fetches, expected] of cases) {
    test(name, async () => {
      const found = await categories(built, call, fetches);
      if (!found.includes(expected)) throw new Error(`expected "${expected}", found ${JSON.stringify(found)}`);
    });
  }
  test("a clean answer and a clean refusal are no finding", async () => {
    const found = [
      ...(await categories(method, async () => [])),
      ...(await categories(method, () => Promise.reject(new DocSpaceError("invalid_input", "name: must not be empty")))),
    ];
    if (found.length) throw new Error(`found ${JSON.stringify(found)}`);
  });
});

describe(`fuzz: ${COUNT} hostile calls (seed ${SEED})`, () => {
  let report;
  before(async () => {
    report = await runFuzz({ count: COUNT, seed: SEED, probes: false, confirmHangs: false });
  });
  after(() => {
    if (report) console.log(summary(report));
  });

  test("every category of finding is checked by a test below", () => {
    const checked = new Set(Object.values(PROMISES).flat());
    const unchecked = Object.keys(report.findings).filter((category) => !checked.has(category) && category !== "hang over 100 ms");
    if (unchecked.length) throw new Error(`findings no test checks: ${unchecked.join(", ")}`);
    if (report.calls !== COUNT) throw new Error(`ran ${report.calls} of ${COUNT} calls`);
  });

  for (const [promise, categories] of Object.entries(PROMISES)) {
    const open = OPEN[promise];
    // An open entry without `entries` covers every entry of the package.
    const isOpen = (target) => Boolean(open) && (!open.entries || open.entries.includes(target));
    if (!open || open.entries) test(promise, () => failOn(report, categories, (target) => !isOpen(target)));
    if (open) {
      const name = open.entries ? `${promise}: ${open.entries.join(", ")}` : promise;
      test(name, { todo: open.reason }, () => failOn(report, categories, isOpen));
    }
  }
});

/** Throws with the findings of `categories` whose entry passes `counts`, if there are any. */
function failOn(report, categories, counts) {
  const lines = [];
  for (const category of categories) {
    const found = report.findings[category];
    const targets = Object.entries(found?.perTarget ?? {}).filter(([target]) => counts(target));
    if (!targets.length) continue;
    lines.push(`${category}: ${targets.map(([target, n]) => `${target} ${n}`).join(", ")}; for example:`);
    for (const e of found.examples.filter((e) => counts(e.target))) {
      lines.push(`  #${e.index ?? "-"} ${e.target}(${String(e.shape).slice(0, 160)}): ${e.detail}`);
    }
  }
  if (lines.length)
    throw new Error(`seed ${SEED}, reproduce with: node tests/fuzz/run.mjs --count ${COUNT} --seed ${SEED}\n${lines.join("\n")}`);
}

describe("10 MiB names, keys and texts are refused as invalid_input, without a request (issue 16 item 4)", () => {
  // Only the names are needed here; each probe runs in its own worker (./probe-worker.mjs).
  const names = longInputProbes({ api: { Trigger: {} }, client: {} }).map((probe) => probe.name);
  names.forEach((name, index) => {
    test(name, { todo: OPEN_PROBES[name] }, async () => {
      const { problem } = await inWorker(index);
      if (problem) throw new Error(problem);
    });
  });
});

/**
 * Runs probe `index` in a worker; a probe not back within HANG_GUARD_MS of starting is stopped
 * and reported. The guard catches a call that never returns (the unbounded edit distance took
 * over two minutes on 10 MiB); it is not a performance figure: run.mjs reports the milliseconds.
 */
function inWorker(index) {
  const HANG_GUARD_MS = 5000;
  const worker = new Worker(new URL("./probe-worker.mjs", import.meta.url), { workerData: { index } });
  return new Promise((resolve, reject) => {
    let timer;
    worker.on("message", (message) => {
      if (message === "ready") {
        timer = setTimeout(() => {
          worker.terminate();
          resolve({ problem: `did not return within ${HANG_GUARD_MS} ms (stopped)` });
        }, HANG_GUARD_MS);
        return;
      }
      clearTimeout(timer);
      worker.terminate();
      resolve(message);
    });
    worker.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
