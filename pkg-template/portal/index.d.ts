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
  /**
   * Web origins besides the portal's own (e.g. `"http://localhost:5173"`) whose pages may read
   * the API's answers (CORS). Default none: a page elsewhere cannot read anything.
   */
  allowedOrigins?: string[];
  /** Serve the demo page at / and the browser build at /pkg/. Default true. */
  serveStatic?: boolean;
  /**
   * Adds `portal.testing` (faults, request capture, seeding) for integration tests of code that
   * talks to DocSpace. `{ stubNetwork: true }` also keeps every delivery and probe in process
   * (all names resolve to 203.0.113.10, probes and deliveries answer 200). Default false.
   */
  testHooks?: boolean | { stubNetwork?: boolean };
}

/** What the next API request gets instead of the portal's answer (or before it, for a delay). */
export interface PortalFault {
  status?: number;
  /** JSON-encoded unless a string; default an exception envelope. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
  /** Wait this long first; alone, the portal then answers normally. */
  delayMs?: number;
  /** Close the connection without an answer. */
  destroy?: boolean;
}

/** An API request as the portal received it. */
export interface PortalRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `portal.testing`, with `startPortal({ testHooks: true })`. */
export interface PortalTesting {
  /** Queues faults for the next API requests, one each. */
  fault(...faults: PortalFault[]): void;
  clearFaults(): void;
  requests(): PortalRequest[];
  /** Requests with their answers; `injected` when a fault answered. */
  exchanges(): {
    request: PortalRequest;
    response: { status: number; headers: Record<string, unknown>; body: string } | null;
    injected: boolean;
  }[];
  clearRequests(): void;
  /** Replaces users, webhooks and log with `state` (the `--data` file's format), checked as a data file is. */
  seed(state: unknown): void;
  /** Answers the triggers list as servers 3.1–3.6 did (a name → bit map). */
  useLegacyTriggers(on?: boolean): void;
  /** With `stubNetwork`: the deliveries made so far. */
  deliveries(): { url: string; headers: Record<string, string>; body: string }[];
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
  /** Present with `testHooks`. */
  testing?: PortalTesting;
  /** Stops listening, cancels pending retries, and flushes the data file. */
  close(): Promise<void>;
}

export function startPortal(options?: PortalOptions): Promise<Portal>;
export function seedUsers(): PortalUser[];
