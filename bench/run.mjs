// Runs every benchmark and prints its table: the one command the README documents.
//   node bench/run.mjs [--quick] [size overhead verify verify-browser coldstart portal]
import { fileURLToPath } from "node:url";
import { machine } from "./lib.mjs";

export const BENCHMARKS = ["size", "overhead", "verify", "verify-browser", "coldstart", "portal"];

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

async function main() {
  const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}`);
    process.exit(2);
  }
  console.log(`machine: ${machine()}${quick ? " (quick mode: figures are not meaningful)" : ""}`);
  for (const name of asked.length ? asked : BENCHMARKS) {
    const { run } = await import(`./${name}.mjs`);
    await run({ quick });
  }
}
