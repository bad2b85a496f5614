// The public API assembly, shared by the Node and browser entries: install(wasm) wires a wasm
// build to the JavaScript half of the API (the DocSpaceError class, which a Rust struct cannot
// extend Error for; the `Trigger` object built from the Rust table; the receiver's request
// handling) and returns every public export. scripts/build.mjs bundles this file (with
// receiver.mjs) into api.cjs for the CommonJS entry.
import { makeReceiver } from "./receiver.mjs";

/** Every failure of the package: branch on `kind`. */
export class DocSpaceError extends Error {
  constructor(kind, message, init = {}) {
    super(message);
    this.name = "DocSpaceError";
    this.kind = kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.details !== undefined) this.details = init.details;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }

  toJSON() {
    const { name, kind, status, message, details, retryAfter } = this;
    return { name, kind, status, message, details, retryAfter };
  }
}

/** Wires the wasm exports to the JS classes and returns the public API. */
export function install(wasm) {
  wasm.__setErrorClass(DocSpaceError);

  const Trigger = {};
  for (const [name, , bit] of wasm.__triggerTable()) Trigger[name] = bit;
  Object.defineProperties(Trigger, {
    names: { value: (mask) => wasm.__triggerNames(mask) },
    mask: { value: (triggers) => wasm.__triggerMask(triggers) },
  });
  Object.freeze(Trigger);

  // The log iterator is a wasm-bindgen class with next()/return(); this makes it `for await`-able.
  wasm.WebhookLogIterator.prototype[Symbol.asyncIterator] = function () {
    return this;
  };

  const inspect = Symbol.for("nodejs.util.inspect.custom");
  wasm.WebhooksClient.prototype[inspect] = function () {
    return `WebhooksClient ${JSON.stringify(this.toJSON())}`;
  };

  return {
    WebhooksClient: wasm.WebhooksClient,
    DocSpaceError,
    Trigger,
    verifyWebhookSignature: wasm.verifyWebhookSignature,
    computeWebhookSignature: wasm.computeWebhookSignature,
    parseWebhookEvent: wasm.parseWebhookEvent,
    ...makeReceiver(wasm, DocSpaceError),
  };
}
