// What every benchmark script shares: the quick (smoke) switch, interleaved timing with
// medians, ratio tables, child-process servers on 127.0.0.1, and the machine line.
//
// Each script in bench/ exports `run({ quick })`, which prints its table and returns its rows
// ({ name, value, unit, ratio?, goal?, met? }), and runs itself when executed directly:
//   node bench/verify.mjs [--quick]
import { spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PKG = join(ROOT, "pkg");

/** `--quick` on the command line or BENCH_QUICK=1: tiny counts, so the test suite can run it. */
export const QUICK_DEFAULT = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `measure(name)` for each name `rounds` times, interleaved (A B C, B C A, …: the starting
 * one rotates, so none always runs first and drift hits all alike), after `warmup` uncounted
 * rounds. Returns `{ [name]: { median, samples } }` of what `measure` resolved to.
 */
export async function alternate(names, { rounds, warmup = 2 }, measure) {
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -warmup; round < rounds; round++) {
    const first = ((round % names.length) + names.length) % names.length;
    for (const name of [...names.slice(first), ...names.slice(0, first)]) {
      const value = await measure(name);
      if (round >= 0) samples[name].push(value);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { median: median(s), samples: s }]));
}

/**
 * Times each candidate with alternate(). `fn` may be async; `inner` calls run per timing to
 * lift short operations above timer noise. Medians are milliseconds per call.
 */
export function interleave(candidates, { rounds, inner = 1, warmup = 2 }) {
  return alternate(Object.keys(candidates), { rounds, warmup }, async (name) => {
    const start = performance.now();
    for (let i = 0; i < inner; i++) await candidates[name]();
    return (performance.now() - start) / inner;
  });
}

/** Same as interleave() for synchronous functions, without an await per call. */
export function interleaveSync(candidates, { rounds, inner = 1, warmup = 2 }) {
  const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
  for (let round = -warmup; round < rounds; round++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const start = performance.now();
      for (let i = 0; i < inner; i++) fn();
      const perCall = (performance.now() - start) / inner;
      if (round >= 0) samples[name].push(perCall);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { median: median(s), samples: s }]));
}

/**
 * The middle half of the per-round ratios `top[i] / bottom[i]` (rounds ran back to back, so each
 * pair shares the machine's mood): `[25th, 75th percentile]`, printed beside a ratio of medians
 * so a table shows how much one run's ratio can be trusted.
 */
export function ratioSpread(top, bottom) {
  const ratios = top.map((value, i) => value / bottom[i]).sort((a, b) => a - b);
  const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))];
  return [at(0.25), at(0.75)];
}

/** Formats numbers for tables: 3 significant digits, thousands separated. */
export function fmt(value, digits = 3) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(digits)).toString();
}

/**
 * Prints a titled table of rows: `{ name, value, unit, signed?, ratio?, spread?, goal?, met? }`
 * (`signed`: the value is a difference of two timings, which noise can put below zero).
 * `ratio` is a number (printed as 1.02×); `spread` its ratioSpread() (printed as 0.98–1.07×);
 * `goal` a text such as "≤ 1.05×".
 */
export function printTable(title, rows) {
  const lines = rows.map((row) => [
    row.name,
    `${fmt(row.value)} ${row.unit ?? ""}`.trim(),
    row.ratio === undefined ? "" : `${fmt(row.ratio)}×`,
    row.spread === undefined ? "" : `${fmt(row.spread[0])}–${fmt(row.spread[1])}×`,
    row.goal ?? "",
    row.met === undefined ? "" : row.met ? "met" : "NOT met",
  ]);
  printColumns(title, ["measure", "value", "ratio", "middle half of rounds", "goal", ""], lines);
}

/** Prints a titled table of text cells: the first column left-aligned, the others right-aligned. */
export function printColumns(title, header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(render(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(render(line));
}

/** One line naming the machine the figures were taken on. */
export function machine() {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * Starts `node <script> [...args]` as a child process that prints its URL as the first stdout
 * line; resolves to `{ url, child, stop }`. The child is killed by PID on stop() and on exit.
 */
export async function startChild(script, args = [], { env = {} } = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const killOnExit = () => child.kill();
  process.once("exit", killOnExit);
  const url = await new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        child.stdout.off("data", onData);
        child.stdout.resume(); // keep draining later output
        resolve(buffered.slice(0, newline).trim());
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before printing its URL`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      process.off("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url, child, stop };
}

/** Runs `main` when the calling module is the entry script (`node bench/x.mjs`). */
export function runIfMain(meta, run) {
  if (process.argv[1] && fileURLToPath(meta.url) === process.argv[1]) {
    console.log(`machine: ${machine()}`);
    run({ quick: QUICK_DEFAULT }).catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
}
