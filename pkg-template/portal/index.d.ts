// Types of docspace-webhooks/portal: the stand-in DocSpace portal for integration tests.

/** A DocSpace role: what each may do with webhooks follows the real portal's permissions. */
export type PortalRole = "owner" | "admin" | "roomAdmin" | "user" | "guest";

/** A user of the stand-in portal, with the token that authenticates as them. */
export interface PortalUser {
  id: string;
  displayName: string;
  role: PortalRole;
  /** Send as `Authorization: Bearer <token>`. */
  token: string;
}

/** Options of `startPortal()`; every one has a default. */
export interface PortalOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: one seeded user per role, with random tokens. */
  users?: PortalUser[];
  /** Accept receivers on loopback/private addresses (the real portal refuses them). Default false. */
  allowLoopback?: boolean;
  /** Multiplies every delivery retry delay (1, 2, 4, 8, 16 s). Default 1. */
  timeScale?: number;
  /** Keep the state in this JSON file (written atomically on every change). Default: memory only. */
  dataFile?: string;
  /** The retry endpoints' 5 requests per 15 minutes. Default true. */
  retryRateLimit?: boolean;
  /** Per delivery attempt. Default 100000 (the server's HttpClient default). */
  deliveryTimeoutMs?: number;
  /** Told one line per delivery attempt and per webhook the portal deletes or disables. */
  log?: (line: string) => void;
  /** Serve the demo page at / and the browser build at /pkg/. Default true. */
  serveStatic?: boolean;
}

/** A delivery the demo inbox (`/stand-in/inbox/…`) received. */
export interface InboxDelivery {
  at: string;
  path: string;
  status: number;
  signature: string | null;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A running stand-in portal, from `startPortal()`. */
export interface Portal {
  /** `http://127.0.0.1:PORT`: pass it as the client's `baseUrl`. */
  url: string;
  users: PortalUser[];
  /**
   * Fans an event out to the enabled webhooks subscribed to it (and to its target), delivering
   * signed POSTs; resolves to the created log ids. `as` is a user id or role (default the owner).
   */
  emit(trigger: string | number, data?: Record<string, unknown>, options?: { targetId?: string; as?: string }): Promise<number[]>;
  /** What the demo inbox (`/stand-in/inbox/…`) received so far, oldest first. */
  inbox(): InboxDelivery[];
  /** The whole state, as the data file holds it. */
  snapshot(): unknown;
  /** Stops listening, cancels pending retries, and flushes the data file. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in DocSpace portal on 127.0.0.1 (a free port unless `port` is given): the
 * webhook API, real signed deliveries with the portal's retries, and a demo inbox.
 *
 * @example
 * ```ts
 * const portal = await startPortal({ allowLoopback: true, timeScale: 0.01 });
 * const owner = portal.users.find((user) => user.role === "owner");
 * const client = new WebhooksClient({ baseUrl: portal.url, token: owner.token });
 * await client.createWebhook({ name: "Inbox", uri: `${portal.url}/stand-in/inbox/test`, secretKey: "S3cret-Key!", ssl: false, triggers: "FileUploaded" });
 * const [logId] = await portal.emit("FileUploaded", { id: 42, title: "report.docx" });
 * await portal.close();
 * ```
 */
export function startPortal(options?: PortalOptions): Promise<Portal>;
/** One user per role, with fresh random tokens (what a portal starts with unless `users` is given). */
export function seedUsers(): PortalUser[];
