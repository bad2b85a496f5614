// Runs every benchmark and prints its table: the one command the README documents.
//   node bench/run.mjs [--quick] [size overhead verify verify-browser coldstart portal]
import { runIfMain } from "./lib.mjs";

export const BENCHMARKS = ["size", "overhead", "verify", "verify-browser", "coldstart", "portal"];

/** Runs the benchmarks named on the command line (all by default); returns every row. */
export async function run({ quick = false } = {}) {
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}`);
  if (quick) console.log("quick mode: the figures are not meaningful");
  const rows = [];
  for (const name of asked.length ? asked : BENCHMARKS) {
    const { run: runOne } = await import(`./${name}.mjs`);
    rows.push(...(await runOne({ quick })));
  }
  return rows;
}

runIfMain(import.meta, run);
