// Runs every benchmark and prints its table: the one command the README documents.
//   node bench/run.mjs [--quick] [--runs N] [size overhead verify verify-browser coldstart portal]
// With --runs N it runs them N times over and ends with how often each goal was met: one run's
// timed ratio moves with the host's mood, so a goal is only settled by several.
import { parseArgs } from "node:util";
import { fmt, printColumns, runIfMain } from "./lib.mjs";

export const BENCHMARKS = ["size", "overhead", "verify", "verify-browser", "coldstart", "portal"];

/** Runs the benchmarks named on the command line (all by default); returns every row of every run. */
export async function run({ quick = false } = {}) {
  const { values, positionals: asked } = parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: "boolean" }, runs: { type: "string", default: "1" } },
    allowPositionals: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of runs, 1 or more; got "${values.runs}"`);
  const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}`);
  if (quick) console.log("quick mode: the figures are not meaningful");
  const perRun = [];
  for (let round = 1; round <= runs; round++) {
    if (runs > 1) console.log(`\n=== run ${round} of ${runs} ===`);
    const rows = [];
    for (const name of asked.length ? asked : BENCHMARKS) {
      const { run: runOne } = await import(`./${name}.mjs`);
      // Tagged with their benchmark: two tables may have rows of the same name (verify in Node
      // and in Chromium), and the summary names each goal by both.
      for (const row of await runOne({ quick })) rows.push({ bench: name, ...row });
    }
    perRun.push(rows);
  }
  if (runs > 1) printSummary(summarize(perRun));
  return perRun.flat();
}

/**
 * Every row with a goal (`met` set), named by its benchmark and its own name, over the runs: the
 * range of its figure (the ratio where the row has one, else the value) and in how many runs its
 * goal was met; and in how many runs every goal was met at once.
 */
export function summarize(perRun) {
  const goals = new Map();
  for (const rows of perRun) {
    for (const row of rows) {
      if (row.met === undefined) continue;
      const name = row.bench === undefined ? row.name : `${row.bench}: ${row.name}`;
      const figure = row.ratio ?? row.value;
      const goal = goals.get(name) ?? {
        name,
        goal: row.goal ?? "",
        unit: row.ratio === undefined ? (row.unit ?? "") : "×",
        min: figure,
        max: figure,
        met: 0,
        runs: 0,
      };
      goal.min = Math.min(goal.min, figure);
      goal.max = Math.max(goal.max, figure);
      goal.met += row.met ? 1 : 0;
      goal.runs += 1;
      goals.set(name, goal);
    }
  }
  const allMet = perRun.filter((rows) => rows.every((row) => row.met !== false)).length;
  return { goals: [...goals.values()], allMet, runs: perRun.length };
}

function printSummary({ goals, allMet, runs }) {
  const figure = (value, unit) => (unit === "×" ? `${fmt(value)}×` : `${fmt(value)} ${unit}`.trim());
  const lines = goals.map((goal) => [
    goal.name,
    goal.min === goal.max ? figure(goal.min, goal.unit) : `${figure(goal.min, goal.unit)} to ${figure(goal.max, goal.unit)}`,
    goal.goal,
    `${goal.met} of ${goal.runs}`,
  ]);
  printColumns(
    `Goals over ${runs} runs (each figure's range; in how many runs its goal was met)`,
    ["measure", "range", "goal", "met in"],
    lines,
  );
  console.log(`\nEvery goal met at once in ${allMet} of ${runs} runs.`);
}

runIfMain(import.meta, run);
