// Node entry for `import`: re-exports the CommonJS entry, so `import` and `require` share one
// wasm instance and one DocSpaceError class (instanceof works across both).
import api from "./index.cjs";

export const {
  WebhooksClient,
  DocSpaceError,
  Trigger,
  verifyWebhookSignature,
  computeWebhookSignature,
  parseWebhookEvent,
  createWebhookHandler,
} = api;
export default api;
