// The Node side of the stand-in portal's I/O: what the Rust core asks its host to do (DNS,
// the HEAD probe, deliveries, timers, the data file). Nothing here decides anything.
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { open, rename, rm } from "node:fs/promises";

const PROBE_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 1 << 20;

/** Calls `fn` once per ms-timer, remembering timers so close() can cancel them. */
export function createTimers() {
  const pending = new Set();
  let cancelled = false;
  return {
    sleep(ms) {
      // After close(), a delivery still in flight may ask for its next retry: that wait never
      // ends (and holds no timer), so a closed portal cannot keep the process alive.
      if (cancelled) return new Promise(() => {});
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      });
    },
    cancelAll() {
      cancelled = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}

/**
 * One HTTP exchange with the receiver the Rust core checked. `target` holds the parts of the URL
 * as the core parsed them (`{ scheme, address, port, path, authority, servername, href }`): this
 * connects to `target.address` itself, so no second parse or DNS lookup here can lead anywhere
 * else, and refuses a socket whose peer is not that address.
 */
function exchange({ target, method, headers, body, timeoutMs, sockets }) {
  return new Promise((resolve, reject) => {
    const client = target.scheme === "https" ? https : http;
    const request = client.request({
      host: target.address,
      port: target.port,
      path: target.path,
      method,
      headers: { Host: target.authority, ...headers },
      servername: target.servername ?? undefined,
      rejectUnauthorized: target.verifyTls,
      timeout: timeoutMs,
      agent: false,
    });
    request.on("response", (response) => {
      const chunks = [];
      let size = 0;
      response.on("data", (chunk) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
      });
      response.on("end", () => {
        const pairs = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) pairs.push([response.rawHeaders[i], response.rawHeaders[i + 1]]);
        resolve({
          status: response.statusCode,
          statusText: response.statusMessage ?? "",
          headers: pairs,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      response.on("error", (error) => reject({ kind: "network", message: error.message }));
    });
    request.on("socket", (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.once("connect", () => {
        const peer = unmapped(socket.remoteAddress);
        if (peer !== unmapped(target.address)) {
          request.destroy(new Error(`connected to ${peer}, not the checked address ${target.address}`));
        }
      });
    });
    request.on("timeout", () => {
      request.destroy();
      reject({
        kind: "timeout",
        message: `The request was canceled due to the configured HttpClient.Timeout of ${Math.round(timeoutMs / 1000)} seconds elapsing.`,
      });
    });
    request.on("error", (error) => reject({ kind: "network", message: describe(error, target.authority) }));
    request.end(body);
  });
}

/** An IPv4 peer as Node may report it on a dual-stack socket (`::ffff:127.0.0.1`), plainly. */
function unmapped(address) {
  return typeof address === "string" && address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** .NET-like texts for connection failures (what `lastFailureContent` shows). */
function describe(error, authority) {
  const where = `(${authority})`;
  switch (error.code) {
    case "ECONNREFUSED":
      return `Connection refused ${where}`;
    case "ECONNRESET":
      return `An error occurred while sending the request. The connection was reset ${where}`;
    case "EPROTO":
    case "ERR_SSL_WRONG_VERSION_NUMBER":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
      return `The SSL connection could not be established, see inner exception. ${error.message}`;
    default:
      return `${error.message} ${where}`;
  }
}

/**
 * Atomic, coalescing writes of the state: write a temp file, fsync, rename. `changed()` only
 * marks the state dirty; the snapshot is taken when a write starts, so a burst of changes (a
 * fan-out of deliveries) costs one serialisation, not one per change.
 */
export function createDataWriter(file, snapshot) {
  let dirty = false;
  let running = null;
  async function writeOnce(text) {
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }
  async function drain() {
    await null; // let the current synchronous burst of changes finish first
    while (dirty) {
      dirty = false;
      try {
        await writeOnce(snapshot());
      } catch (error) {
        console.error(`docspace-webhooks-portal: could not write ${file}: ${error.message}`);
        await rm(`${file}.${process.pid}.tmp`, { force: true });
      }
    }
    running = null;
  }
  return {
    changed() {
      dirty = true;
      running ??= drain();
    },
    /** Resolves once everything changed so far is on disk. */
    async flush() {
      while (running) await running;
    },
  };
}

/** The host object the Rust core calls. */
export function createHost({ timers, writer, log, sockets }) {
  return {
    now: () => Date.now(),
    async resolve(host) {
      const found = await lookup(host, { all: true });
      return found.map((entry) => entry.address);
    },
    async probe(target) {
      const answer = await exchange({ target, method: "HEAD", headers: {}, timeoutMs: PROBE_TIMEOUT_MS, sockets }).catch((error) => {
        throw new Error(error.message);
      });
      return answer.status;
    },
    post(target) {
      const { headers, body, timeoutMs } = target;
      const list = {};
      for (const [name, value] of headers) list[name] = value;
      list["Content-Length"] = String(Buffer.byteLength(body));
      return exchange({ target, method: "POST", headers: list, body, timeoutMs, sockets });
    },
    sleep: (ms) => timers.sleep(ms),
    changed: () => writer?.changed(),
    log,
  };
}
