// Types of docspace-webhooks/redis: a dedupe store in Redis for createWebhookHandler.
import type { WebhookDedupeStore } from "./index.js";

/**
 * A client of the `redis` package (node-redis v4 or later), from `createClient()` or
 * `createCluster()`, connected by you. Typed by what the store calls, so no Redis types are needed.
 */
export interface NodeRedisClientLike {
  readonly isOpen: boolean;
  set(...args: any[]): Promise<unknown>;
  get(...args: any[]): Promise<unknown>;
  eval(...args: any[]): Promise<unknown>;
}

/** An `ioredis` client (`new Redis()` or `new Redis.Cluster()`). */
export interface IORedisClientLike {
  defineCommand(...args: any[]): unknown;
  set(...args: any[]): Promise<unknown>;
  get(...args: any[]): Promise<unknown>;
  eval(...args: any[]): Promise<unknown>;
}

export interface RedisDedupeOptions {
  /** Put before each event id to make its key (default `"docspace-webhooks:event:"`). Give each receiving endpoint its own. */
  prefix?: string;
  /** How long a handled event id is remembered (default one day; the portal's automatic retries end within a minute). */
  ttlMs?: number;
  /**
   * How long a claim blocks other requests for the same event if its process dies mid-handling
   * (default 10 s). It is renewed while `onEvent` runs, so a slow `onEvent` keeps it.
   */
  lockMs?: number;
  /** A Redis command not answered within this is a store failure (default 2 s): see `onStoreError`. */
  timeoutMs?: number;
}

/**
 * A dedupe store in Redis, shared by every receiver given the same Redis and prefix: each event
 * runs `onEvent` once across all of them. `claim` is one atomic `SET <prefix><id> <token> NX PX`;
 * `release` and `complete` act only while this claim still holds the key (a small Lua script).
 *
 * ```ts
 * import { createClient } from "redis";
 * import { redisDedupe } from "docspace-webhooks/redis";
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const handler = createWebhookHandler({ secret, onEvent, dedupe: redisDedupe(redis) });
 * ```
 */
export function redisDedupe(client: NodeRedisClientLike | IORedisClientLike, options?: RedisDedupeOptions): Required<WebhookDedupeStore>;
