/** One secret key, or several while rotating: any one matching is enough. */
export type WebhookSecrets = string | readonly string[];

/** The body exactly as it arrived: never `JSON.stringify(req.body)`, which changes the bytes. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/**
 * Whether `headerValue` (the `x-docspace-signature-256` header, `sha256=<hex>`, either case)
 * signs `rawBody` with one of the secrets. HMAC-SHA256, constant-time comparison. A missing or
 * malformed header gives `false`; an unusable secret or body throws `DocSpaceError` (`invalid_input`).
 *
 * @example
 * ```ts
 * if (!verifyWebhookSignature(process.env.WEBHOOK_SECRET, rawBody, req.headers["x-docspace-signature-256"])) return res.writeHead(401).end();
 * ```
 */
export function verifyWebhookSignature(secretOrSecrets: WebhookSecrets, rawBody: RawBody, headerValue: string | null | undefined): boolean;

/**
 * `sha256=<UPPER HEX>`, exactly what the portal sends: for your tests.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ event: { id: 1, trigger: "file.created", triggerId: 128 }, payload: { id: 42 }, webhook: { id: 7 } });
 * const header = computeWebhookSignature("S3cret-Key!", body);
 * verifyWebhookSignature(["Old-Secret", "S3cret-Key!"], body, header.toLowerCase()); // true
 * ```
 */
export function computeWebhookSignature(secret: string, rawBody: RawBody): string;

/**
 * Verifies and parses a delivery. Throws `DocSpaceError` of kind `"invalid_input"`: with
 * `details.signature` when the signature is missing or wrong, with `details.rawBody` when the
 * body is not a delivery.
 *
 * @example
 * ```ts
 * const event = parseWebhookEvent(rawBody, req.headers["x-docspace-signature-256"], secret);
 * if (event.trigger === "file.uploaded") console.log(event.payload.title);
 * ```
 */
export function parseWebhookEvent(rawBody: RawBody, headerValue: string | null | undefined, secretOrSecrets: WebhookSecrets): WebhookEvent;

/** A file, folder, room, agent or form entry: they share one payload shape (`fileEntryType` 1 folder, 2 file). */
export interface FileEntryPayload {
  id: number | string;
  title?: string;
  fileEntryType?: 1 | 2;
  rootId?: number | string;
  parentId?: number | string;
  folderId?: number | string;
  createBy?: string;
  createOn?: string;
  modifiedBy?: string;
  modifiedOn?: string;
  /** A field missing from the JSON means empty, false or zero (the portal omits defaults). */
  [field: string]: unknown;
}

/** A portal member (`user.*` triggers). */
export interface UserPayload {
  id: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  [field: string]: unknown;
}

/** A group (`group.*` triggers). */
export interface GroupPayload {
  id: string;
  name?: string;
  [field: string]: unknown;
}

/** `form.submit`: the form and the filled copy. */
export interface FormSubmitPayload {
  originalForm?: FileEntryPayload;
  submittedForm?: FileEntryPayload;
  [field: string]: unknown;
}

/** The payload type of a trigger, by its family. */
export type WebhookPayloadOf<T extends string> = T extends `user.${string}`
  ? UserPayload
  : T extends `group.${string}`
    ? GroupPayload
    : T extends "form.submit"
      ? FormSubmitPayload
      : T extends "*"
        ? unknown
        : FileEntryPayload;

/** The webhook as the delivery describes it. */
export interface DeliveredWebhook {
  id: number;
  name: string;
  url: string;
  /** Dotted names; `["*"]` for a webhook subscribed to every event. */
  triggers: string[];
  /** Present when the webhook is narrowed to one entity. */
  target?: { id: number | string; type: string };
  /** On automatic retries: the attempt number (1 for the first retry) and the previous failure. */
  retryCount?: number;
  retryOn?: string;
  lastFailureOn?: string;
  lastFailureContent?: string;
  lastSuccessOn?: string;
}

/** One delivery. `trigger` is the discriminant: the dotted name, or `"unknown"` for a trigger newer than this package. */
export interface WebhookDelivery<T extends string, P> {
  trigger: T;
  event: {
    /** The log record id: the same across the portal's automatic retries, new for a manual retry. */
    id: number;
    createOn?: string;
    createBy?: string;
    trigger: string;
    triggerId: number;
  };
  payload: P;
  webhook: DeliveredWebhook;
}

/** Every delivery this package knows, discriminated on `trigger`, plus newer ones as `"unknown"`. */
export type WebhookEvent =
  { [T in TriggerDottedName]: WebhookDelivery<T, WebhookPayloadOf<T>> }[TriggerDottedName] | WebhookDelivery<"unknown", unknown>;

/** Where handled event ids are remembered, to drop repeats of the portal's automatic retries. */
export interface WebhookDedupeStore {
  /** Records `id` and returns true, or returns false if it is already there. */
  claim(id: number): boolean | Promise<boolean>;
  /** Forgets `id` (its handling failed, so the portal's retry must be processed). */
  release(id: number): void | Promise<void>;
}

/** Options of `createWebhookHandler()`. Give `secret` or `secrets`, and `onEvent`. */
export interface WebhookHandlerOptions {
  /** The webhook's secret key. */
  secret?: string;
  /** Several secrets while rotating; any one matching is enough. */
  secrets?: readonly string[];
  /** Called once per new delivery. Throwing answers 500, so the portal retries. */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  /** `true` (default): remember ids in memory for `dedupeWindowMs`; `false`: off; or your own store. */
  dedupe?: boolean | WebhookDedupeStore;
  /** How long the in-memory store remembers an id (default one hour). */
  dedupeWindowMs?: number;
  /** Larger bodies get 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Told about failures of `onEvent` (default: `console.error`). */
  onError?: (error: unknown) => void;
}

/** What `.node` needs of a `node:http` / Express request (typed structurally: no @types/node needed). */
export interface NodeRequestLike {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by Express body parsers; `express.raw()` gives a Buffer, which works. */
  body?: unknown;
  /** Where the raw body is read from (`data` and `end` events) when no body parser ran. */
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/** What `.node` needs of a `node:http` / Express response. */
export interface NodeResponseLike {
  statusCode: number;
  /** Sets an answer header (`content-type`). */
  setHeader(name: string, value: string): unknown;
  /** Sends the answer. */
  end(body?: string): unknown;
}

/** A Web-standard handler (`Request` → `Response`), with `.node` for `node:http` and Express. */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** For `node:http` and Express. Mount it before any JSON body parser, or with `express.raw()`. */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
}

/**
 * A receiver endpoint: answers the portal's HEAD probe, reads the raw body (up to
 * `maxBodyBytes`), verifies the signature (401 when wrong), parses (400 when not a delivery),
 * drops repeated event ids, calls `onEvent`, and answers 200.
 *
 * @example
 * ```ts
 * const handler = createWebhookHandler({ secret: process.env.WEBHOOK_SECRET, onEvent: (e) => console.log(e.trigger) });
 * http.createServer(handler.node).listen(8080);
 * ```
 *
 * @example A fetch-style server (Cloudflare Workers, Deno, Bun) takes the handler as it is:
 * ```ts
 * export default { fetch: createWebhookHandler({ secret: "S3cret-Key!", onEvent: (event) => console.log(event.trigger) }) };
 * ```
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler;
