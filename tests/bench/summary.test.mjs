// `node bench/run.mjs --runs N`: the summary of how often each goal was met over N runs, as a
// pure function and as the command prints it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { summarize } from "../../bench/run.mjs";
import { ROOT } from "../../bench/lib.mjs";

const row = (name, figure, met, extra = {}) => ({
  name,
  value: figure * 100,
  unit: "µs/call",
  ratio: figure,
  goal: "≤ 1.10×",
  met,
  ...extra,
});

test("summarize: each goal's range and count over the runs, and the runs that met every goal", () => {
  const runs = [
    [row("1 config", 1.12, false), row("200 configs", 1.08, true), { name: "raw", value: 300, unit: "µs/call" }],
    [row("1 config", 1.06, true), row("200 configs", 1.04, true), { name: "raw", value: 310, unit: "µs/call" }],
    [row("1 config", 1.2, false), row("200 configs", 1.14, false), { name: "raw", value: 290, unit: "µs/call" }],
  ];
  const { goals, allMet, runs: count } = summarize(runs);
  assert.equal(count, 3);
  assert.equal(allMet, 1, "only the second run met both goals");
  assert.deepEqual(
    goals.map(({ name, min, max, met, runs: seen, unit }) => ({ name, min, max, met, seen, unit })),
    [
      { name: "1 config", min: 1.06, max: 1.2, met: 1, seen: 3, unit: "×" },
      { name: "200 configs", min: 1.04, max: 1.14, met: 2, seen: 3, unit: "×" },
    ],
    "rows without a goal are left out; the figure is the ratio",
  );
});

test("summarize: a row without a ratio is summarised by its value and unit", () => {
  const runs = [
    [{ name: "deliveries/s", value: 3100, unit: "/s", goal: "≥ 2,000/s", met: true }],
    [{ name: "deliveries/s", value: 1900, unit: "/s", goal: "≥ 2,000/s", met: false }],
  ];
  const [goal] = summarize(runs).goals;
  assert.deepEqual({ min: goal.min, max: goal.max, unit: goal.unit, met: goal.met }, { min: 1900, max: 3100, unit: "/s", met: 1 });
});

test("summarize: rows of the same name in two benchmarks are two goals, each named by its benchmark", () => {
  const runs = [
    [row("verify 1 KB", 1.01, true, { bench: "verify" }), row("verify 1 KB", 1.52, true, { bench: "verify-browser" })],
    [row("verify 1 KB", 0.92, false, { bench: "verify" }), row("verify 1 KB", 1.6, true, { bench: "verify-browser" })],
  ];
  const { goals } = summarize(runs);
  assert.deepEqual(
    goals.map(({ name, min, max, met }) => ({ name, min, max, met })),
    [
      { name: "verify: verify 1 KB", min: 0.92, max: 1.01, met: 1 },
      { name: "verify-browser: verify 1 KB", min: 1.52, max: 1.6, met: 2 },
    ],
  );
});

const runBench = (args) => spawnSync(process.execPath, [join(ROOT, "bench", "run.mjs"), ...args], { encoding: "utf8", timeout: 120_000 });

test("node bench/run.mjs --quick --runs 2 size prints both runs and the goals' summary", () => {
  const result = runBench(["--quick", "--runs", "2", "size"]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /=== run 1 of 2 ===/);
  assert.match(result.stdout, /=== run 2 of 2 ===/);
  const at = result.stdout.indexOf("Goals over 2 runs");
  assert.ok(at > 0, "the summary follows the runs");
  // Every goal of the size bench has its line, ending in how many of the two runs met it.
  const summary = result.stdout.slice(at);
  for (const name of ["browser js", "browser wasm", "browser total", "node total", "browser total vs goal"].map((row) => `size: ${row}`)) {
    assert.match(summary, new RegExp(`^${name}\\s+[\\d.]+×\\s.*\\s[0-2] of 2$`, "m"), `${name} in\n${summary}`);
  }
  assert.match(summary, /Every goal met at once in [0-2] of 2 runs\./);
});

test("node bench/run.mjs rejects a run count that is not a whole number, and unknown options", () => {
  for (const args of [
    ["--runs", "0", "size"],
    ["--runs", "two", "size"],
    ["--rounds", "2"],
  ]) {
    const result = runBench(args);
    assert.notEqual(result.status, 0, `${args.join(" ")} should fail`);
    assert.match(result.stderr, /--runs takes a whole number|Unknown option '--rounds'/, result.stderr);
  }
});
