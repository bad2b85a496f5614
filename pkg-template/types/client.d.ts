/** Options of `new WebhooksClient(options)`. Give one way to authenticate: `token`, `basic`, or `credentials`. */
export interface WebhooksClientOptions {
  /** The portal root, e.g. `"https://portal.example.com"` (http or https; a trailing slash is fine). */
  baseUrl: string;
  /** An API key (`sk-…`) or a personal access token, sent as `Authorization: Bearer …`. */
  token?: string;
  /** E-mail and password, sent as `Authorization: Basic …`. */
  basic?: { user: string; password: string };
  /** The `fetch` credentials mode; `"include"` lets an admin page inside the portal use its `asc_auth_key` cookie. */
  credentials?: "include" | "same-origin" | "omit";
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number;
  /** How often idempotent calls are retried after 502/503/504, a network error or a timeout (default 2, at most 10). */
  retries?: number;
  /** A `fetch` to use instead of the global one (tests, proxies, undici agents); called as `fetch(request)`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Called before every HTTP attempt (never with credentials): for logging without patching `fetch`. */
  onRequest?: (request: HttpRequestInfo) => void;
  /** Called after every HTTP answer, errors included. */
  onResponse?: (response: HttpResponseInfo) => void;
}

/** The last, optional argument of every operation. */
export interface RequestOptions {
  /** Aborts the call and its retries; the promise rejects with a `DocSpaceError` of kind `"aborted"`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt `timeoutMs` for this call. */
  timeoutMs?: number;
}

/** What `onRequest` sees of an attempt. */
export interface HttpRequestInfo {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
}

/** What `onResponse` and `client.lastResponse` show of an answer. */
export interface HttpResponseInfo extends HttpRequestInfo {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  durationMs: number;
}

/** `createWebhook()` input. */
export interface WebhookInput {
  /** Up to 50 characters. The portal refuses a second webhook with the same name and URL. */
  name: string;
  /** The receiver; `https://` unless `ssl` is `false`. A real portal refuses private and loopback hosts. */
  uri: string;
  /** The signing secret (8 to 30 printable ASCII characters without spaces by the default policy). Keep it: the portal never returns it. */
  secretKey: string;
  /** The events: a `Trigger`, a name, an array of them, or `"All"` for every event. */
  triggers: TriggerInput;
  /** Default `true` (the server's own default is `false`). */
  enabled?: boolean;
  /** Verify the receiver's TLS certificate (and require https). Default `true`. */
  ssl?: boolean;
  /** Narrow the webhook to one file, folder, room, user or group id (up to 255 characters). */
  targetId?: string;
}

/** `updateWebhook()` input: the webhook as it is to be afterwards (a full replace, like the server). */
export interface WebhookUpdate {
  id: number;
  name: string;
  uri: string;
  enabled: boolean;
  ssl: boolean;
  triggers: TriggerInput;
  /** A new secret; omitted keeps the current one. */
  secretKey?: string;
  /** Omitted (or `null`) clears the target. */
  targetId?: string | null;
}

/** `patchWebhook()` changes: only what is given changes. `targetId: null` clears the target. */
export interface WebhookChanges {
  name?: string;
  uri?: string;
  enabled?: boolean;
  ssl?: boolean;
  triggers?: TriggerInput;
  secretKey?: string;
  targetId?: string | null;
}

/** A delivery-outcome class of the log filter, or several (`["Status4xx", "Status5xx"]`), or their bits. */
export type GroupStatusInput = GroupStatusName | number | ReadonlyArray<GroupStatusName | number>;

/** Filter and paging of the delivery log. Times are `Date`s or ISO-8601 strings (UTC when they carry no offset). */
export interface WebhookLogFilter {
  /** Delivered at or after (only delivered records have a delivery time). */
  deliveryFrom?: Date | string;
  /** Delivered at or before. */
  deliveryTo?: Date | string;
  /** Webhooks with exactly this URL. */
  hookUri?: string;
  /** One webhook's records. */
  configId?: number;
  /** One record (its id is the delivered `event.id`). */
  eventId?: number;
  /** Keep only these outcomes. */
  groupStatus?: GroupStatusInput;
  /** Webhooks created by this user (admins only; others always see their own). */
  userId?: string;
  /** One event type (a single trigger, not a combination). */
  trigger?: TriggerName | TriggerDottedName | number;
  /** Page size, 1 to 100 (the server's default and maximum is 100). */
  count?: number;
  /** Offset of the first record; records are newest first. */
  startIndex?: number;
}

/**
 * A client for the webhook settings API of one ONLYOFFICE DocSpace portal.
 *
 * Every operation resolves to the unwrapped `response` of the API envelope and rejects (never
 * throws) with a `DocSpaceError`.
 *
 * @example
 * ```ts
 * const client = new WebhooksClient({ baseUrl: "https://portal.example.com", token: process.env.DOCSPACE_TOKEN });
 * ```
 */
export class WebhooksClient {
  /** Validates `options`; throws `DocSpaceError` (kind `"invalid_input"`) naming the bad option. Sends nothing. */
  constructor(options: WebhooksClientOptions);
  /** The normalised portal root this client talks to (no trailing slash). */
  readonly baseUrl: string;
  /** The latest HTTP answer this client got (for debugging), or `undefined` before the first one. */
  readonly lastResponse: HttpResponseInfo | undefined;
  /**
   * Lists the webhooks the caller may see (admins: every webhook of the portal; others: their own),
   * each with the HTTP status of its latest delivery (`0`: never delivered).
   *
   * @example
   * ```ts
   * for (const { configs, status } of await client.getTenantWebhooks()) {
   *   console.log(configs.id, configs.name, Trigger.names(configs.triggers), status || "never delivered");
   * }
   * ```
   */
  getTenantWebhooks(options?: RequestOptions): Promise<WebhookWithStatus[]>;
  /**
   * The events a webhook can subscribe to, and whether the caller's role may (`available`; absent
   * from servers before 3.7, whose map-shaped answer is normalised to this array).
   *
   * @example
   * ```ts
   * const mine = (await client.getWebhookTriggers()).filter((t) => t.available);
   * ```
   */
  getWebhookTriggers(options?: RequestOptions): Promise<TriggerInfo[]>;
  /**
   * Creates a webhook. Trigger names become the numeric mask the server needs.
   *
   * @example
   * ```ts
   * const hook = await client.createWebhook({
   *   name: "Uploads", uri: "https://hooks.example.com/docspace", secretKey: "S3cret-Key!",
   *   triggers: [Trigger.FileUploaded, "room.created"],
   * });
   * ```
   */
  createWebhook(input: WebhookInput, options?: RequestOptions): Promise<Webhook>;
  /**
   * Replaces a webhook's settings (what is not given gets the server's default: `targetId` clears).
   * Use `patchWebhook` to change a few fields.
   *
   * @example
   * ```ts
   * await client.updateWebhook({ id: 7, name: "Uploads", uri: "https://hooks.example.com/v2", enabled: true, ssl: true, triggers: "All" });
   * ```
   */
  updateWebhook(input: WebhookUpdate, options?: RequestOptions): Promise<Webhook>;
  /**
   * Changes only the given fields: reads the webhook, merges, writes. The secret is sent only if
   * you give a new one (the server never returns it, and an omitted secret is kept).
   *
   * @example
   * ```ts
   * await client.patchWebhook(7, { name: "Renamed", triggers: ["FileCreated", "FileUploaded"] });
   * ```
   */
  patchWebhook(id: number, changes: WebhookChanges, options?: RequestOptions): Promise<Webhook>;
  /**
   * Enables or disables a webhook and changes nothing else. Enabling re-runs the portal's URL
   * checks (and its HEAD probe of the receiver).
   *
   * @example
   * ```ts
   * await client.enableWebhook(7, false);
   * ```
   */
  enableWebhook(id: number, enabled: boolean, options?: RequestOptions): Promise<Webhook>;
  /**
   * Deletes a webhook; resolves to the deleted webhook. (If a retry follows a lost answer whose
   * delete went through, it rejects with 404.)
   *
   * @example
   * ```ts
   * const gone = await client.removeWebhook(7);
   * ```
   */
  removeWebhook(id: number, options?: RequestOptions): Promise<Webhook>;
  /**
   * One page of the delivery log, newest first, with the number of matching records.
   *
   * @example
   * ```ts
   * const { items, total } = await client.getWebhooksLogs({ configId: 7, groupStatus: ["Status4xx", "Status5xx"], count: 25 });
   * ```
   */
  getWebhooksLogs(filter?: WebhookLogFilter, options?: RequestOptions): Promise<WebhookLogPage>;
  /**
   * Every matching log record, fetched page by page as you iterate. Never throws: a bad filter
   * rejects the first step.
   *
   * @example
   * ```ts
   * for await (const record of client.webhooksLogs({ deliveryFrom: new Date(Date.now() - 86_400_000) })) {
   *   console.log(record.id, record.status);
   * }
   * ```
   */
  webhooksLogs(filter?: WebhookLogFilter, options?: RequestOptions): AsyncIterableIterator<WebhookLog>;
  /**
   * Redelivers one log record (by its id, which is the delivered `event.id`); resolves to the new
   * record the portal created for it. Not retried automatically: each call creates a record.
   *
   * @example
   * ```ts
   * const again = await client.retryWebhook(1234);
   * ```
   */
  retryWebhook(logId: number, options?: RequestOptions): Promise<WebhookLog>;
  /**
   * Redelivers several log records; records that do not exist or are not yours are skipped by the portal.
   *
   * @example
   * ```ts
   * const records = await client.retryWebhooks([1234, 1235]);
   * ```
   */
  retryWebhooks(logIds: readonly number[], options?: RequestOptions): Promise<WebhookLog[]>;
  /** A summary safe to log: it never contains a credential. */
  toJSON(): { baseUrl: string; auth: "bearer" | "basic" | "cookie"; timeoutMs: number; retries: number };
  /** Releases the client's wasm memory now instead of at garbage collection. */
  free(): void;
}
