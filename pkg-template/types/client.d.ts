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
}

/** The last, optional argument of every operation. */
export interface RequestOptions {
  /** Aborts the call and its retries; the promise rejects with a `DocSpaceError` of kind `"aborted"`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt `timeoutMs` for this call. */
  timeoutMs?: number;
}

/**
 * A client for the webhook settings API of one ONLYOFFICE DocSpace portal.
 *
 * Every operation returns the unwrapped `response` of the API envelope and rejects (never throws)
 * with a `DocSpaceError`.
 *
 * ```ts
 * const client = new WebhooksClient({ baseUrl: "https://portal.example.com", token: process.env.DOCSPACE_TOKEN });
 * ```
 */
export class WebhooksClient {
  /** Validates `options`; throws `DocSpaceError` (kind `"invalid_input"`) naming the bad option. Sends nothing. */
  constructor(options: WebhooksClientOptions);
  /** The normalised portal root this client talks to (no trailing slash). */
  readonly baseUrl: string;
  /**
   * Lists the webhooks the caller may see (admins: every webhook of the portal; others: their own),
   * each with the HTTP status of its latest delivery (`0`: never delivered).
   *
   * ```ts
   * for (const { configs, status } of await client.getTenantWebhooks()) {
   *   console.log(configs.id, configs.name, Trigger.names(configs.triggers), status || "never delivered");
   * }
   * ```
   */
  getTenantWebhooks(options?: RequestOptions): Promise<WebhookWithStatus[]>;
  /** A summary safe to log: it never contains a credential. */
  toJSON(): { baseUrl: string; auth: "bearer" | "basic" | "cookie"; timeoutMs: number; retries: number };
  /** Releases the client's wasm memory now instead of at garbage collection. */
  free(): void;
}
