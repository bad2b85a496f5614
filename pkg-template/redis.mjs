// docspace-webhooks/redis: a dedupe store for createWebhookHandler kept in Redis, so that
// receivers on several hosts (or a receiver that restarts) run onEvent once per event. It drives
// the caller's own client, node-redis (v4 or later) or ioredis, and loads no Redis library itself.
//
// One key per event id: `claim:<random>` while a request handles it (a lock that expires after
// lockMs unless renewed, so a crashed process cannot hold an event for ever), then `done` for
// ttlMs. Only the request that holds the lock may release it or mark it done.
import { DocSpaceError } from "docspace-webhooks";

const DONE = "done";
const DEFAULTS = { prefix: "docspace-webhooks:event:", ttlMs: 24 * 60 * 60 * 1000, lockMs: 10_000, timeoutMs: 2_000 };

// Deletes the key only while it still holds this claim's token.
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;
// Marks the event handled unless another claim holds it now (which will mark it itself).
const COMPLETE = `local v = redis.call("GET", KEYS[1])
if v == ARGV[1] or not v then redis.call("SET", KEYS[1], "${DONE}", "PX", ARGV[2]) return 1 end return 0`;
// Keeps this claim's lock while its onEvent is still running.
const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`;

const invalid = (field, reason) => new DocSpaceError("invalid_input", `${field}: ${reason}`, { details: { [field]: [reason] } });

/** The three commands the store needs, in the calling convention of the client given. */
function commandsOf(client) {
  if (typeof client?.defineCommand === "function" && typeof client.eval === "function") {
    // ioredis (a Redis or Cluster instance): flat argument lists.
    return {
      setIfAbsent: (key, value, ms) => client.set(key, value, "PX", ms, "NX"),
      get: (key) => client.get(key),
      script: (source, key, ...args) => client.eval(source, 1, key, ...args.map(String)),
    };
  }
  if (typeof client?.set === "function" && typeof client.eval === "function" && "isOpen" in client) {
    // node-redis v4 and later (createClient or createCluster): option objects.
    return {
      setIfAbsent: (key, value, ms) => client.set(key, value, { NX: true, PX: ms }),
      get: (key) => client.get(key),
      script: (source, key, ...args) => client.eval(source, { keys: [key], arguments: args.map(String) }),
    };
  }
  throw invalid("client", "must be a node-redis (v4 or later) or ioredis client");
}

function checkOptions(options) {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw invalid("options", "must be an object like { prefix, ttlMs }");
  }
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) throw invalid(key, `unknown option; known options: ${Object.keys(DEFAULTS).join(", ")}`);
  }
  const settings = { ...DEFAULTS, ...options };
  if (typeof settings.prefix !== "string") throw invalid("prefix", "must be a string");
  for (const name of ["ttlMs", "lockMs", "timeoutMs"]) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) throw invalid(name, "must be a positive whole number of milliseconds");
  }
  return settings;
}

/**
 * A store for `createWebhookHandler({ dedupe })` shared by every receiver using the same Redis
 * and prefix: `claim` is one `SET key token NX PX lockMs`.
 */
export function redisDedupe(client, options = {}) {
  const commands = commandsOf(client);
  const { prefix, ttlMs, lockMs, timeoutMs } = checkOptions(options);
  const held = new Map(); // event id -> { key, token, renewal } for the claims this process holds

  /** Rejects when Redis has not answered in time (a client may queue commands while offline). */
  function timed(call) {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new DocSpaceError("timeout", `redis: no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([Promise.resolve().then(call), late]).finally(() => clearTimeout(timer));
  }

  function hold(id, key, token) {
    letGo(id); // a claim of ours whose lock lapsed (its key was free again) renews no more
    const renewal = setInterval(
      () => {
        commands.script(RENEW, key, token, lockMs).catch(() => {}); // a failed renewal only lets the lock expire
      },
      Math.max(1, Math.floor(lockMs / 3)),
    );
    renewal.unref?.();
    held.set(id, { key, token, renewal });
  }

  /** Forgets this process's claim on `id`; returns it (or a token that matches no claim). */
  function letGo(id) {
    const claim = held.get(id);
    held.delete(id);
    if (!claim) return { key: prefix + id, token: "" };
    clearInterval(claim.renewal);
    return claim;
  }

  return {
    async claim(id) {
      const key = prefix + id;
      const token = `claim:${globalThis.crypto.randomUUID()}`;
      let answer;
      try {
        answer = await timed(() => commands.setIfAbsent(key, token, lockMs));
      } catch (error) {
        // The SET may still run once the client reconnects: undo it then, if it did.
        Promise.resolve()
          .then(() => commands.script(RELEASE, key, token))
          .catch(() => {});
        throw error;
      }
      if (answer === "OK") {
        hold(id, key, token);
        return true;
      }
      // Taken: handled already, or being handled (also when it vanished just now: the retry will tell).
      return (await timed(() => commands.get(key))) === DONE ? false : "in-flight";
    },

    async complete(id) {
      const { key, token } = letGo(id);
      await timed(() => commands.script(COMPLETE, key, token, ttlMs));
    },

    async release(id) {
      const { key, token } = letGo(id);
      if (token) await timed(() => commands.script(RELEASE, key, token));
    },
  };
}
