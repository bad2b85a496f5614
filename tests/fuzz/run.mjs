#!/usr/bin/env node
// The fuzz run of issue 16: hostile JavaScript values at every public entry of the built
// package (pkg/), against the stand-in portal with its test hooks.
//
//   node tests/fuzz/run.mjs --count 1000000 [--seed N] [--pkg DIR] [--findings FILE.jsonl] [--quiet]
//
// For each call it checks: no wasm panic (RuntimeError) and nothing poisoned after one; every
// throw or rejection a DocSpaceError (the fetch-style handler never rejects at all); an
// operation rejects and never throws; an invalid_input rejection sent no request (an injected
// `fetch`, and the global one, count every request, and the portal's own record is compared
// with that count); what should be refused (non-plain objects as options or input, hooks that
// are not functions) is refused; no secret in an error; no call over 100 ms (a slow call is run
// again, alone, before it is called a hang). It prints a summary and exits 1 on any finding.
//
// The same seed gives the same calls: call i's arguments come from the stream (seed, i).
import { performance } from "node:perf_hooks";
import { inspect } from "node:util";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { createWriteStream } from "node:fs";
import { startTestPortal } from "../support/test-portal.mjs";
import { streamFor } from "./random.mjs";
import { makeTargets, SECRET, sign } from "./targets.mjs";
import { longInputProbes, probeProblem, runProbe } from "./long-input.mjs";

export const HANG_MS = 100;
/** A call not settled after this long is reported as never settling (and the run goes on). */
const WATCHDOG_MS = 5000;
/** Calls between two checks of the portal's record, the spec, and the instance's health. */
const WINDOW = 2000;
const RERUNS = 2;
const EXAMPLES_PER_FINDING = 12;
const DEFAULT_PKG = new URL("../../pkg/", import.meta.url);
const TIMED_OUT = Symbol("timed out");

/**
 * Runs `count` calls with `seed`; resolves to the report (see `summary()`). `pkg` is the built
 * package directory (a URL); `probes` runs the 10 MiB inputs first (./long-input.mjs);
 * `confirmHangs: false` leaves calls over 100 ms to the list of slow calls (for test runs, where
 * timings are not judged); `progress(done, report)` is called every WINDOW calls.
 */
export async function runFuzz({ count, seed = 1, pkg = DEFAULT_PKG, probes = true, confirmHangs = true, progress = () => {}, onFinding }) {
  const api = (await import(new URL("index.mjs", pkg).href)).default;
  const portal = await startTestPortal();
  const counter = countRequests(portal.url);
  const noise = captureConsole();
  const stray = [];
  let current = -1; // the call running, to which a stray error is attributed
  const onStray = (kind) => (reason) => stray.push({ index: current, detail: `${kind}: ${describeThrown(reason)}` });
  const onRejection = onStray("unhandled rejection");
  const onException = onStray("uncaught exception");
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  const report = newReport(count, seed);
  report.onFinding = onFinding;
  const started = performance.now();
  try {
    const ctx = {
      api,
      portalUrl: portal.url,
      token: portal.tokens.owner,
      fetch: counter.fetch,
      inspect,
      bigBody: "x".repeat(1 << 20),
      client: new api.WebhooksClient({ baseUrl: portal.url, token: portal.tokens.owner, retries: 0, fetch: counter.fetch }),
      handler: api.createWebhookHandler({ secret: SECRET, onEvent: () => {}, onError: () => {}, maxBodyBytes: 4096 }),
    };
    const targets = makeTargets(ctx);
    const pickTarget = weighted(targets);

    if (probes) {
      for (const probe of longInputProbes(ctx)) {
        const before = counter.calls;
        const outcome = await runProbe(probe);
        const problem = probeProblem(api, outcome, counter.calls - before);
        report.probes.push({ name: probe.name, ms: outcome.ms, problem });
        if (problem) addFinding(report, "long input", { target: probe.name, shape: "10 MiB", detail: problem });
      }
    }

    const once = async (target, index) => {
      const built = target.build(streamFor(seed, index));
      const before = counter.calls;
      const t0 = performance.now();
      const outcome = await settle(built.call);
      return { built, outcome, ms: performance.now() - t0, fetches: counter.calls - before };
    };

    for (let index = 0; index < count; index++) {
      const target = pickTarget(streamFor(seed ^ 0x5eed, index).next());
      current = index;
      let run;
      try {
        run = await once(target, index);
      } catch (error) {
        addFinding(report, "harness error", { target: target.name, index, shape: "?", detail: describeThrown(error) });
        continue;
      }
      const { built, outcome } = run;
      const label = outcomeLabel(api, outcome);
      report.calls++;
      count1(report.perTarget, target.name);
      count1(report.perOutcome, label);
      const where = { target: target.name, index, shape: built.shape };
      for (const [category, detail] of judge(api, ctx, built, outcome, run.fetches)) addFinding(report, category, { ...where, detail });

      if (run.ms > WATCHDOG_MS) {
        addFinding(report, "blocked over 5 s", { ...where, detail: `${run.ms.toFixed(0)} ms` });
      } else if (run.ms > HANG_MS && confirmHangs) {
        // With shared CPUs a pause is not a hang: run the same call again before saying so.
        const again = [];
        for (let i = 0; i < RERUNS; i++) again.push((await once(target, index)).ms);
        const confirmed = Math.min(...again) > HANG_MS;
        report.slow.push({ ...where, ms: run.ms, again, confirmed });
        if (confirmed)
          addFinding(report, "hang over 100 ms", {
            ...where,
            detail: `${run.ms.toFixed(0)} ms, again ${again.map((ms) => ms.toFixed(0)).join(", ")} ms`,
          });
      }
      keepSlowest(report, { ...where, ms: run.ms });

      report.msPerTarget[target.name] = (report.msPerTarget[target.name] ?? 0) + run.ms;
      // After anything but an answer or a DocSpaceError, check the instance at once.
      const poisonSuspect = label !== "ok" && !label.startsWith("DocSpaceError");
      if ((index + 1) % WINDOW === 0 || index + 1 === count || poisonSuspect) {
        const problems = await endWindow(portal, counter, ctx);
        for (const [category, detail] of problems) addFinding(report, category, { ...where, detail: `after call ${index}: ${detail}` });
        if (problems.some(([category]) => category === "poisoned")) {
          report.stoppedAt = index;
          break;
        }
        if ((index + 1) % WINDOW === 0) progress(index + 1, report);
      }
    }
  } finally {
    report.seconds = (performance.now() - started) / 1000;
    report.console = noise.restore();
    counter.restore();
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
    await portal.close();
  }
  for (const { index, detail } of stray)
    addFinding(report, "stray error", { target: "(during or after this call)", index, shape: "-", detail });
  return report;
}

/** The global `fetch` replaced by one that counts and lets only the stand-in portal through. */
function countRequests(portalUrl) {
  const real = globalThis.fetch;
  const counter = {
    calls: 0,
    forwarded: 0,
    received: 0,
    fetch(input, init) {
      counter.calls++;
      let url;
      try {
        url = String(typeof input === "string" ? input : input.url);
      } catch {
        url = "?";
      }
      if (!url.startsWith(`${portalUrl}/`)) {
        return Promise.reject(new TypeError(`fuzz: no traffic outside the stand-in portal (${url.slice(0, 60)})`));
      }
      counter.forwarded++;
      return real(input, init);
    },
    restore: () => {
      globalThis.fetch = real;
    },
  };
  globalThis.fetch = counter.fetch;
  return counter;
}

/** console.error/warn counted and kept quiet during the run (the handler's default onError writes there). */
function captureConsole() {
  const saved = { error: console.error, warn: console.warn };
  const seen = { calls: 0, first: [] };
  const capture = (...args) => {
    seen.calls++;
    if (seen.first.length < 3)
      seen.first.push(
        args
          .map((arg) => describeThrown(arg))
          .join(" ")
          .slice(0, 200),
      );
  };
  console.error = capture;
  console.warn = capture;
  return {
    restore() {
      Object.assign(console, saved);
      return seen;
    },
  };
}

/** Calls `call()`: `{ sync, ok, value | error }`, or TIMED_OUT. */
export async function settle(call) {
  let pending;
  try {
    pending = call();
  } catch (error) {
    return { sync: true, ok: false, error };
  }
  if (typeof pending?.then !== "function") return { sync: true, ok: true, value: pending };
  let timer;
  const watchdog = new Promise((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), WATCHDOG_MS);
  });
  const result = Promise.resolve(pending).then(
    (value) => ({ sync: false, ok: true, value }),
    (error) => ({ sync: false, ok: false, error }),
  );
  try {
    return await Promise.race([result, watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

function outcomeLabel(api, outcome) {
  if (outcome === TIMED_OUT) return "never settled";
  if (outcome.ok) {
    const { value } = outcome;
    return value !== null && typeof value === "object" && Object.hasOwn(value, "rejected") ? "handler rejected" : "ok";
  }
  const { error } = outcome;
  if (error instanceof WebAssembly.RuntimeError) return `RuntimeError: ${error.message}`;
  if (error instanceof api.DocSpaceError) return `DocSpaceError ${error.kind}`;
  return `other: ${describeThrown(error).split(":")[0]}`;
}

/** The findings of one call: `[category, detail]` pairs. */
export function judge(api, ctx, built, outcome, fetches) {
  const found = [];
  const { expect } = built;
  if (outcome === TIMED_OUT) return [["never settled", `no answer within ${WATCHDOG_MS} ms`]];
  const { error } = outcome;
  if (!outcome.ok) {
    if (error instanceof WebAssembly.RuntimeError) found.push(["panic (RuntimeError)", describeThrown(error)]);
    else if (!(error instanceof api.DocSpaceError)) found.push(["not a DocSpaceError", describeThrown(error)]);
    if (expect.async && outcome.sync) found.push(["threw instead of rejecting", describeThrown(error)]);
    if (error instanceof api.DocSpaceError) {
      if (error.kind === "invalid_input" && fetches > 0)
        found.push(["request sent for invalid input", `${fetches} request(s), then: ${error.message.slice(0, 160)}`]);
      const leaked = leakedSecret(error, [ctx.token, SECRET]);
      if (leaked) found.push(["secret in an error", leaked]);
    }
    return found;
  }
  const { value } = outcome;
  if (expect.mustRefuse) found.push([expect.mustRefuse.category, `${expect.mustRefuse.why}; ${fetches} request(s) sent`]);
  if (expect.accepted) {
    let refusal;
    try {
      refusal = expect.accepted(value);
    } catch (thrown) {
      refusal = { category: "harness error", why: `checking what was accepted threw: ${describeThrown(thrown)}` };
    }
    if (refusal) found.push([refusal.category, refusal.why]);
  }
  if (expect.result && !expect.result(value)) found.push(["wrong result", describeValue(value)]);
  if (expect.handled && value && "rejected" in value) {
    found.push([value.real ? "handler rejected a Request" : "handler rejected a non-Request", describeThrown(value.rejected)]);
  }
  if (expect.handled && value && "handled" in value && !expect.handled(value.handled))
    found.push(["handler answered no Response", describeValue(value.handled)]);
  return found;
}

/** The secret or token an error shows in its message, stack, JSON or details, if any. */
function leakedSecret(error, secrets) {
  let texts;
  try {
    texts = [error.message, error.stack, JSON.stringify(error), JSON.stringify(error.details ?? null)];
  } catch (thrown) {
    return `the error could not be shown: ${describeThrown(thrown)}`;
  }
  for (const secret of secrets) if (texts.some((text) => String(text).includes(secret))) return `contains ${secret.slice(0, 3)}…`;
  return null;
}

/**
 * The end of a window: every request the portal got went through the counted fetch; those
 * requests match the spec; then the portal is reset and the instance checked for health.
 */
async function endWindow(portal, counter, ctx) {
  const problems = [];
  // Totals since the start: a request whose call timed out can reach the portal in the next
  // window, so only the totals must agree (the portal never ahead of the counted fetch).
  counter.received += portal.requests().length;
  if (counter.received > counter.forwarded)
    problems.push([
      "request not counted",
      `the portal got ${counter.received} request(s) in all, the counted fetch forwarded ${counter.forwarded}`,
    ]);
  for (const violation of portal.violations().slice(0, 3)) problems.push(["request or answer outside the spec", violation.slice(0, 300)]);
  portal.reset();
  let sick = await health(ctx);
  if (sick) {
    // One failure can be the network (a kept-alive socket the portal closed while a long call
    // held the thread): the instance is poisoned only if a second check fails too.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await health(ctx);
    sick = again && `${sick}; again: ${again}`;
  }
  if (sick) problems.push(["poisoned", sick]);
  return problems;
}

/** Null when the wasm instance still does its job; else what failed. */
async function health({ api, client, handler, portalUrl, token, fetch }) {
  try {
    // The portal was just reset, but a create whose call timed out may still land: any list will do.
    const list = await client.getTenantWebhooks();
    if (!Array.isArray(list) || !list.every((item) => typeof item?.configs?.id === "number"))
      return `getTenantWebhooks gave ${describeValue(list)}`;
    if (api.Trigger.mask("FileUploaded") !== api.Trigger.FileUploaded) return 'Trigger.mask("FileUploaded") is wrong';
    const body = '{"event":{"id":1,"createOn":"2026-06-30T10:13:11Z","trigger":"file.uploaded","triggerId":256},"payload":{}}';
    if (api.verifyWebhookSignature(SECRET, body, sign(SECRET, body)) !== true) return "verifyWebhookSignature refuses a good signature";
    new api.WebhooksClient({ baseUrl: portalUrl, token, fetch });
    const answer = await handler(new Request("http://127.0.0.1/hooks", { method: "HEAD" }));
    if (answer.status !== 200) return `the handler answered a HEAD probe with ${answer.status}`;
    return null;
  } catch (error) {
    return `a valid call failed: ${describeThrown(error)}`;
  }
}

function weighted(targets) {
  const total = targets.reduce((sum, target) => sum + target.weight, 0);
  return (roll) => {
    let left = roll * total;
    for (const target of targets) if ((left -= target.weight) < 0) return target;
    return targets[targets.length - 1];
  };
}

function newReport(count, seed) {
  return {
    count,
    seed,
    calls: 0,
    seconds: 0,
    perTarget: {},
    msPerTarget: {},
    perOutcome: {},
    findings: {},
    slow: [],
    slowest: [],
    probes: [],
    stoppedAt: null,
  };
}

function count1(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

function addFinding(report, category, example) {
  const entry = (report.findings[category] ??= { count: 0, perTarget: {}, examples: [], symptoms: new Set() });
  entry.count++;
  count1(entry.perTarget, example.target);
  report.onFinding?.(category, example);
  // One example per symptom: the entry called and the start of what went wrong (an error's name).
  const symptom = `${example.target}|${String(example.detail).split(/[:;(]/)[0].slice(0, 40)}`;
  if (entry.examples.length < EXAMPLES_PER_FINDING && !entry.symptoms.has(symptom)) {
    entry.symptoms.add(symptom);
    entry.examples.push(example);
  }
}

function keepSlowest(report, call) {
  const list = report.slowest;
  if (list.length === 5 && call.ms <= list[4].ms) return;
  list.push(call);
  list.sort((a, b) => b.ms - a.ms);
  list.length = Math.min(list.length, 5);
}

/** A short, safe text for anything thrown (it may be a proxy whose every trap throws). */
export function describeThrown(value) {
  try {
    if (value instanceof Error) return `${value.name}: ${String(value.message).slice(0, 200)}`;
    return describeValue(value);
  } catch {
    return "(an unprintable value)";
  }
}

function describeValue(value) {
  try {
    if (typeof value === "string") return JSON.stringify(value.slice(0, 80));
    if (typeof value !== "object" || value === null) return String(value);
    return `${value.constructor?.name ?? "Object"} ${JSON.stringify(value)?.slice(0, 120)}`;
  } catch {
    return "(an unprintable value)";
  }
}

/** The report as text: one summary line, then per target, per outcome, probes, slowest, findings. */
export function summary(report) {
  const findings = Object.entries(report.findings);
  const total = findings.reduce((sum, [, entry]) => sum + entry.count, 0);
  const lines = [
    `fuzz: ${report.calls} calls in ${report.seconds.toFixed(1)} s (seed ${report.seed}): ${total} finding(s)` +
      (report.stoppedAt !== null ? `, stopped at call ${report.stoppedAt} (instance poisoned)` : ""),
    `per entry: ${formatCounts(report.perTarget)}`,
    `per outcome: ${formatCounts(report.perOutcome)}`,
    `time per entry (s): ${formatCounts(Object.fromEntries(Object.entries(report.msPerTarget).map(([name, ms]) => [name, +(ms / 1000).toFixed(1)])))}`,
  ];
  if (report.probes.length) {
    lines.push("10 MiB inputs (item 4):");
    for (const probe of report.probes)
      lines.push(`  ${probe.ms.toFixed(1).padStart(8)} ms  ${probe.name}${probe.problem ? `  <- ${probe.problem}` : ""}`);
  }
  lines.push("slowest calls:");
  for (const call of report.slowest)
    lines.push(`  ${call.ms.toFixed(1).padStart(8)} ms  #${call.index} ${call.target}(${call.shape.slice(0, 120)})`);
  const unconfirmed = report.slow.filter((call) => !call.confirmed);
  if (unconfirmed.length) lines.push(`over ${HANG_MS} ms once but not when run again: ${unconfirmed.length} call(s)`);
  lines.push(
    `console.error/warn during the run: ${report.console?.calls ?? 0}${report.console?.first.length ? ` (first: ${report.console.first[0]})` : ""}`,
  );
  for (const [category, entry] of findings) {
    lines.push(`FINDING ${category}: ${entry.count}`);
    for (const e of entry.examples) lines.push(`  #${e.index ?? "-"} ${e.target}(${String(e.shape).slice(0, 160)}): ${e.detail}`);
  }
  return lines.join("\n");
}

function formatCounts(map) {
  return Object.entries(map)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n}`)
    .join(", ");
}

function parseArgs(argv) {
  const options = { count: 20_000, seed: 1, pkg: DEFAULT_PKG, quiet: false, findings: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--count") options.count = Number(argv[++i]);
    else if (arg === "--seed") options.seed = Number(argv[++i]);
    else if (arg === "--pkg") options.pkg = pathToFileURL(resolve(argv[++i]) + "/");
    else if (arg === "--quiet") options.quiet = true;
    else if (arg === "--findings") options.findings = argv[++i];
    else
      throw new Error(
        `unknown argument ${arg}; usage: node tests/fuzz/run.mjs --count N [--seed N] [--pkg DIR] [--findings FILE.jsonl] [--quiet]`,
      );
  }
  if (!Number.isSafeInteger(options.count) || options.count < 1) throw new Error("--count must be a positive integer");
  if (!Number.isSafeInteger(options.seed)) throw new Error("--seed must be an integer");
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const options = parseArgs(process.argv.slice(2));
  const progress = (done, report) => {
    if (!options.quiet) {
      const findings = Object.values(report.findings).reduce((sum, entry) => sum + entry.count, 0);
      process.stderr.write(`fuzz: ${done}/${options.count} calls, ${findings} finding(s)\n`);
    }
  };
  // --findings FILE: every finding as a JSON line, not only the examples the summary shows.
  const log = options.findings ? createWriteStream(options.findings) : null;
  const onFinding = log ? (category, example) => log.write(`${JSON.stringify({ category, ...example })}\n`) : undefined;
  const report = await runFuzz({ ...options, progress, onFinding });
  await new Promise((resolve) => (log ? log.end(resolve) : resolve()));
  console.log(summary(report));
  process.exit(Object.keys(report.findings).length ? 1 : 0);
}
