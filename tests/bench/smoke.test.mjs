// Every benchmark in quick mode, so none rots: each must run to the end (its own correctness
// checks included) and return rows with finite figures. The figures themselves are not judged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BENCHMARKS } from "../../bench/run.mjs";

for (const name of BENCHMARKS) {
  test(`bench/${name}.mjs --quick runs and reports figures`, { timeout: 120_000 }, async () => {
    const { run } = await import(`../../bench/${name}.mjs`);
    const rows = await run({ quick: true });
    assert.ok(Array.isArray(rows) && rows.length > 0, "some rows");
    for (const row of rows) {
      assert.equal(typeof row.name, "string");
      // A difference of two timings (`signed`) may come out below zero in three quick rounds.
      assert.ok(Number.isFinite(row.value) && (row.signed === true || row.value >= 0), `${row.name}: ${row.value}`);
      if (row.ratio !== undefined) assert.ok(Number.isFinite(row.ratio) && row.ratio > 0, `${row.name}: ratio ${row.ratio}`);
    }
  });
}
