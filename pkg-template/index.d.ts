// Public types of docspace-webhooks. The DTO interfaces, the client class and the tables come
// from the wasm build's declarations (generated from the Rust types or checked against them);
// scripts/layout.mjs inlines them and writes the result beside each entry (.d.mts, .d.cts).
import type { DocSpaceErrorKind, TriggerConstants } from "./node/docspace_webhooks.js";

export * from "./node/docspace_webhooks.js";

/**
 * Every failure of the package. Branch on `kind`; `status` is set when the portal answered.
 * Messages, `String(error)` and `JSON.stringify(error)` never contain a token, password or secret.
 *
 * @example
 * ```ts
 * try {
 *   await client.createWebhook({ name: "Uploads", uri: "https://hooks.example.com/docspace", secretKey: "S3cret-Key!", triggers: "All" });
 * } catch (error) {
 *   if (!(error instanceof DocSpaceError)) throw error;
 *   if (error.kind === "http" && error.status === 400) console.log(error.details); // the server's field errors
 *   else console.log(error.kind, error.message);
 * }
 * ```
 */
export declare class DocSpaceError extends Error {
  /** Always `"DocSpaceError"`. */
  readonly name: "DocSpaceError";
  /** What went wrong: `http`, `network`, `timeout`, `aborted`, `invalid_response` or `invalid_input`. */
  readonly kind: DocSpaceErrorKind;
  /** The HTTP status, when the portal answered. */
  readonly status?: number;
  /** Field errors: of a validation 400 (server field names), or the bad input of an `invalid_input`. */
  readonly details?: Record<string, string[]>;
  /** Seconds to wait before trying again, from a 429's `Retry-After`. */
  readonly retryAfter?: number;
  constructor(
    kind: DocSpaceErrorKind,
    message: string,
    init?: { status?: number; details?: Record<string, string[]>; retryAfter?: number },
  );
  /** What `JSON.stringify(error)` writes: the fields above and the message, never a credential. */
  toJSON(): {
    name: "DocSpaceError";
    kind: DocSpaceErrorKind;
    status?: number;
    message: string;
    details?: Record<string, string[]>;
    retryAfter?: number;
  };
}

/**
 * The DocSpace webhook triggers, keyed by their C# names: `Trigger.FileUploaded === 256`.
 * Bits reach 2^35 and are exact JS numbers; decode a mask with `Trigger.names(mask)`.
 *
 * @example
 * ```ts
 * Trigger.FolderDownloaded; // 34359738368 (2^35, exact)
 * Trigger.mask(["FileCreated", "file.uploaded"]); // 384
 * Trigger.names(384); // ["FileCreated", "FileUploaded"]
 * ```
 */
export declare const Trigger: TriggerConstants;
