// Node entry for `import`: re-exports the CommonJS entry, so `import` and `require` share one
// wasm instance and one DocSpaceError class (instanceof works across both).
import api from "./index.cjs";

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
export default api;
