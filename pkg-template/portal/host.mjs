// The Node side of the stand-in portal's I/O: what the Rust core asks its host to do (DNS,
// the HEAD probe, deliveries, timers, the data file). Nothing here decides anything.
import { lookup } from "node:dns/promises";
import http from "node:http";
import httpsModule from "node:https";
import { open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const PROBE_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 1 << 20;
/** Connections kept per receiver address: the server's sender runs 10 deliveries at a time and
 * reuses its connections (SocketsHttpHandler pools them); more parallel ones only add churn. */
const SOCKETS_PER_RECEIVER = 16;

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
 * Keep-alive connection pools for deliveries and probes. Each request names the checked address
 * itself as `host`, and Node pools sockets by host, port and TLS options (servername, certificate
 * checking), so a pooled socket only ever serves the address it was opened to.
 */
export function createAgents() {
  const options = { keepAlive: true, maxSockets: SOCKETS_PER_RECEIVER };
  return { http: new http.Agent(options), https: new httpsModule.Agent(options), checked: new WeakSet() };
}

/**
 * One HTTP exchange with the receiver the Rust core checked. `target` holds the parts of the URL
 * as the core parsed them (`{ scheme, address, port, path, authority, servername, href }`): this
 * connects to `target.address` itself, so no second parse or DNS lookup here can lead anywhere
 * else, and refuses a socket whose peer is not that address.
 */
function exchange({ target, method, headers, body, timeoutMs, sockets, agents }) {
  return new Promise((resolve, reject) => {
    const secure = target.scheme === "https";
    const client = secure ? httpsModule : http;
    const request = client.request({
      host: target.address,
      port: target.port,
      path: target.path,
      method,
      headers: { Host: target.authority, ...headers },
      servername: target.servername ?? undefined,
      rejectUnauthorized: target.verifyTls,
      timeout: timeoutMs,
      agent: secure ? agents.https : agents.http,
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
      // A pooled socket was checked when it connected; a new one is checked once, here.
      if (agents.checked.has(socket)) return;
      agents.checked.add(socket);
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

/** Whether a process with this id still runs (EPERM: it does, under another user). */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * Removes `<file>.<pid>.tmp` files that writers killed mid-write left behind (their process is
 * gone, or had this process's id). The portal never reads them: the data file itself is only
 * ever replaced whole, by a rename.
 */
export async function removeStaleTemps(file) {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names;
  try {
    names = await readdir(dir);
  } catch {
    return; // no directory yet: the first write says why it cannot write there
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith(".tmp") ? name.slice(prefix.length, -".tmp".length) : "";
    if (!/^[1-9]\d*$/.test(pid)) continue;
    if (Number(pid) === process.pid || !running(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

/** fsync of a directory, so that a rename in it survives a power cut (where the OS allows it). */
async function syncDirectory(dir) {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!["EINVAL", "ENOTSUP", "EISDIR", "EPERM", "EACCES"].includes(error.code)) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * The data file, with group commit. `changed()` counts a change; one write at a time takes a
 * snapshot of everything changed so far (a burst of changes costs one serialisation), writes it
 * to `<file>.<pid>.tmp` with mode 0600 (it holds tokens and secrets), fsyncs it, renames it over
 * the file and fsyncs the directory. `durable()` resolves once every change counted before the
 * call is on disk, and rejects when the write that should carry it failed (`report(error)` is
 * told too: a failed write of deliveries' bookkeeping has no answer to fail).
 */
export function createDataWriter(file, snapshot, report) {
  const temp = `${file}.${process.pid}.tmp`;
  let changes = 0;
  let written = 0;
  let writing = null;
  const waiters = [];

  async function writeOnce(text) {
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.chmod(0o600); // a leftover temp file of this pid keeps its old mode otherwise
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDirectory(dirname(file));
  }

  function settle(upTo, error) {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter.upTo > upTo) continue;
      waiters.splice(i, 1);
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  async function drain() {
    await null; // let the current synchronous burst of changes finish first
    while (written < changes) {
      const upTo = changes;
      try {
        await writeOnce(snapshot());
        written = upTo;
        settle(upTo, null);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => {});
        report(error);
        settle(upTo, error);
        break; // the next change (or durable()) tries again
      }
    }
    writing = null;
  }

  return {
    changed() {
      changes++;
      writing ??= drain();
    },
    /** Resolves once everything changed so far is on disk; rejects if writing it failed. */
    durable() {
      if (written >= changes) return Promise.resolve();
      const promise = new Promise((resolve, reject) => waiters.push({ upTo: changes, resolve, reject }));
      writing ??= drain();
      return promise;
    },
    /** Waits for the writes under way, whether they succeed or not. */
    async flush() {
      while (writing) await writing;
    },
  };
}

/** The host object the Rust core calls. */
export function createHost({ timers, changed, writer, log, sockets, agents }) {
  return {
    now: () => Date.now(),
    async resolve(host) {
      const found = await lookup(host, { all: true });
      return found.map((entry) => entry.address);
    },
    async probe(target) {
      const answer = await exchange({ target, method: "HEAD", headers: {}, timeoutMs: PROBE_TIMEOUT_MS, sockets, agents }).catch(
        (error) => {
          throw new Error(error.message);
        },
      );
      return answer.status;
    },
    post(target) {
      const { headers, body, timeoutMs } = target;
      const list = {};
      for (const [name, value] of headers) list[name] = value;
      list["Content-Length"] = String(Buffer.byteLength(body));
      return exchange({ target, method: "POST", headers: list, body, timeoutMs, sockets, agents });
    },
    sleep: (ms) => timers.sleep(ms),
    changed,
    // Deliveries wait for their row to be on disk before the first attempt; undefined: no file.
    persisted: () => writer?.durable().catch(() => {}),
    log,
  };
}
