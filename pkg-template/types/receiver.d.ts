/**
 * One secret key, or several (at most 16) while rotating: any one matching is enough. Each is a
 * non-empty string of at most 1,024 characters (DocSpace itself keeps at most 50).
 */
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

/**
 * What a dedupe store says about an event id:
 * - `true`: this request now holds the id; the handler runs `onEvent`, then calls `complete`
 *   (or `release` if `onEvent` threw);
 * - `false`: the event was handled already; the handler answers 200 `{ ok: true, duplicate: true }`;
 * - `"in-flight"`: another request is handling it right now; the handler answers 409 with
 *   `Retry-After`, so the portal tries again later (never 200: that attempt could still fail).
 */
export type WebhookClaim = boolean | "in-flight";

/**
 * Where event ids are remembered, to drop repeats of the portal's automatic retries. A store
 * shared by several processes (see `docspace-webhooks/redis`) makes them handle each event once.
 * A store whose `claim` only ever returns booleans and that has no `complete` works as before:
 * a claimed id counts as handled until `release`.
 */
export interface WebhookDedupeStore {
  /** Takes `id` for this request if nobody holds it (atomically, for a shared store). */
  claim(id: number): WebhookClaim | Promise<WebhookClaim>;
  /** Gives `id` back: its `onEvent` threw, so the portal's retry must run it again. */
  release(id: number): void | Promise<void>;
  /** Marks `id` handled: its `onEvent` succeeded, so later repeats get 200 duplicate. */
  complete?(id: number): void | Promise<void>;
}

/** Where a failure reported to `onError` happened. */
export interface WebhookErrorContext {
  /** `onEvent` threw; a dedupe store call failed (`claim`, `complete`, `release`); or reading the request failed. */
  stage: "onEvent" | "claim" | "complete" | "release" | "request";
  /** The delivery's event id, once known. */
  eventId?: number;
}

/** Options of `createWebhookHandler()`. Give `secret` or `secrets`, and `onEvent`. */
export interface WebhookHandlerOptions {
  /** The webhook's secret key. */
  secret?: string;
  /** Several secrets while rotating; any one matching is enough. */
  secrets?: readonly string[];
  /** Called once per new delivery. Throwing answers 500 (and releases the id), so the portal retries. */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  /**
   * `true` (default): remember ids in this process's memory for `dedupeWindowMs`; `false`: off;
   * or a store shared by every receiving process, such as `redisDedupe(client)` from
   * `docspace-webhooks/redis`.
   */
  dedupe?: boolean | WebhookDedupeStore;
  /** How long the in-memory store remembers an id (default one hour). */
  dedupeWindowMs?: number;
  /** Larger bodies get 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * When the dedupe store throws (Redis down, say). `"fail-closed"` (default): answer 503 with
   * `Retry-After`, and the portal retries later. `"fail-open"`: run `onEvent` anyway, risking a
   * duplicate if the store was only slow.
   */
  onStoreError?: "fail-closed" | "fail-open";
  /** Told about failures of `onEvent` and of the dedupe store (default: `console.error`). */
  onError?: (error: unknown, context: WebhookErrorContext) => void;
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
 * A receiver endpoint: answers the portal's HEAD probe, reads the raw body (413 past
 * `maxBodyBytes`, without reading the rest), verifies the signature (401 when wrong), parses
 * (400 when not a delivery), drops repeated event ids (409 while another request handles the
 * same id, 503 when the dedupe store fails), calls `onEvent`, and answers 200. It always
 * answers: it never rejects.
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
