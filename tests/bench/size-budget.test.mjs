// The size budget (bench/size-budget.json): a build that grows past it by more than 2% fails,
// so growth is a conscious decision (`node bench/size.mjs --write-budget`, reviewed in the diff).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SLACK, measure, readBudget } from "../../bench/size.mjs";

const sizes = await measure();
const budget = readBudget();

for (const build of ["browser", "node"]) {
  for (const part of ["js", "wasm", "total"]) {
    test(`${build} ${part}: ${sizes[build][part]} B gzip within budget ${budget[build][part]} B + ${SLACK * 100}%`, () => {
      assert.ok(sizes[build][part] > 0, "measured something");
      assert.ok(
        sizes[build][part] <= budget[build][part] * (1 + SLACK),
        `${build} ${part} is ${sizes[build][part]} B gzip, over the budget of ${budget[build][part]} B by more than ${SLACK * 100}%; ` +
          "shrink it, or raise the budget consciously with `node bench/size.mjs --write-budget`",
      );
    });
  }
}
