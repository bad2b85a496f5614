// Node entry for `import`: the CommonJS entry, loaded with `require`, so `import` and `require`
// share one wasm instance and one DocSpaceError class (instanceof works across both). Through
// createRequire rather than `import … from "./index.cjs"`: Node's import of CommonJS scans the
// module's source for export names first, ~4 ms of the package's start-up in Node 20.
import { createRequire } from "node:module";

const api = createRequire(import.meta.url)("./index.cjs");

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
export default api;
