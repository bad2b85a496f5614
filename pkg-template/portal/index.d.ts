// Types of docspace-webhooks/portal: the stand-in DocSpace portal for integration tests.

export type PortalRole = "owner" | "admin" | "roomAdmin" | "user" | "guest";

export interface PortalUser {
  id: string;
  displayName: string;
  role: PortalRole;
  /** Send as `Authorization: Bearer <token>`. */
  token: string;
}

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
  /**
   * A sliding-window limit on the retry endpoints, per user and path, answered with 429 and
   * `Retry-After`. `true` is the server's policy when its limiter is enabled (5 requests per
   * 15 minutes); an object tunes it (tests). Default false: the server ships with it off.
   */
  retryRateLimit?: boolean | { limit?: number; windowMs?: number };
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

export interface Portal {
  /** `http://127.0.0.1:PORT`: pass it as the client's `baseUrl`. */
  url: string;
  users: PortalUser[];
  /**
   * Fans an event out to the enabled webhooks subscribed to it (and to its target), delivering
   * signed POSTs; resolves to the created log ids. `as` is a user id or role (default the owner).
   */
  emit(trigger: string | number, data?: Record<string, unknown>, options?: { targetId?: string; as?: string }): Promise<number[]>;
  inbox(): InboxDelivery[];
  /** The whole state, as the data file holds it. */
  snapshot(): unknown;
  /** Stops listening, cancels pending retries, and flushes the data file. */
  close(): Promise<void>;
}

export function startPortal(options?: PortalOptions): Promise<Portal>;
export function seedUsers(): PortalUser[];
