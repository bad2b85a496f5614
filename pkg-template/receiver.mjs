// createWebhookHandler: the receiving endpoint around the wasm verify/parse. It speaks the
// Web-standard Request/Response and, through `.node`, node:http and Express; it uses no Node
// module, so the same code runs in workers and browsers.

const SIGNATURE_HEADER = "x-docspace-signature-256";
const DEFAULT_MAX_BODY = 1 << 20;
const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
const MEMORY_LIMIT = 10_000;

/** Event ids seen in the last `windowMs`, at most MEMORY_LIMIT of them (oldest forgotten first). */
function memoryStore(windowMs) {
  const seen = new Map();
  return {
    claim(id) {
      const now = Date.now();
      for (const [old, at] of seen) {
        if (now - at < windowMs && seen.size < MEMORY_LIMIT) break;
        seen.delete(old);
      }
      if (seen.has(id)) return false;
      seen.set(id, now);
      return true;
    },
    release(id) {
      seen.delete(id);
    },
  };
}

export function makeReceiver(wasm, DocSpaceError) {
  const invalid = (field, reason) => new DocSpaceError("invalid_input", `${field}: ${reason}`, { details: { [field]: [reason] } });

  function createWebhookHandler(options) {
    if (typeof options !== "object" || options === null) throw invalid("options", "must be an object like { secret, onEvent }");
    const known = ["secret", "secrets", "onEvent", "dedupe", "dedupeWindowMs", "maxBodyBytes", "onError"];
    for (const key of Object.keys(options))
      if (!known.includes(key)) throw invalid(key, `unknown option; known options: ${known.join(", ")}`);
    const { secret, secrets, onEvent, dedupe = true, dedupeWindowMs = DEFAULT_WINDOW_MS, maxBodyBytes = DEFAULT_MAX_BODY } = options;
    if ((secret === undefined) === (secrets === undefined)) throw invalid("secret", "give either secret or secrets");
    const keys = secrets ?? secret;
    wasm.computeWebhookSignature(Array.isArray(keys) ? keys[0] : keys, ""); // throws for unusable secrets, now
    if (Array.isArray(keys)) wasm.verifyWebhookSignature(keys, "", "");
    if (typeof onEvent !== "function") throw invalid("onEvent", "must be a function");
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) throw invalid("maxBodyBytes", "must be a positive integer");
    if (!(dedupeWindowMs > 0)) throw invalid("dedupeWindowMs", "must be a positive number of milliseconds");
    const store = dedupe === true ? memoryStore(dedupeWindowMs) : dedupe === false ? null : dedupe;
    if (store !== null && (typeof store?.claim !== "function" || typeof store?.release !== "function")) {
      throw invalid("dedupe", "must be true, false, or a store with claim(id) and release(id)");
    }
    const onError = options.onError ?? ((error) => console.error("docspace-webhooks: onEvent failed:", error));

    /** The whole decision, transport aside: `{ status, body }` for one request. */
    async function decide(method, signature, readBody) {
      if (method === "HEAD") return { status: 200, body: "" }; // the portal's probe on create/enable
      if (method !== "POST") return { status: 405, body: { error: "only POST deliveries (and HEAD probes)" }, allow: "POST, HEAD" };
      const body = await readBody();
      if (body === null) return { status: 413, body: { error: `body larger than ${maxBodyBytes} bytes` } };
      let event;
      try {
        event = wasm.parseWebhookEvent(body, signature, keys);
      } catch (error) {
        if (error?.details?.signature) return { status: 401, body: { error: error.message } };
        return { status: 400, body: { error: error?.message ?? String(error) } };
      }
      const id = event.event.id;
      if (store && !(await store.claim(id))) return { status: 200, body: { ok: true, duplicate: true } };
      try {
        await onEvent(event);
      } catch (error) {
        if (store) await store.release(id);
        onError(error);
        return { status: 500, body: { error: "the handler failed; the portal will retry" } };
      }
      return { status: 200, body: { ok: true } };
    }

    async function handler(request) {
      const length = Number(request.headers.get("content-length"));
      const readBody = async () => {
        if (length > maxBodyBytes) return null;
        const bytes = new Uint8Array(await request.arrayBuffer());
        return bytes.byteLength > maxBodyBytes ? null : bytes;
      };
      const answer = await decide(request.method, request.headers.get(SIGNATURE_HEADER), readBody);
      const headers = { "content-type": "application/json" };
      if (answer.allow) headers.allow = answer.allow;
      return new Response(answer.body === "" ? null : JSON.stringify(answer.body), { status: answer.status, headers });
    }

    handler.node = async function node(req, res) {
      const readBody = () => {
        // Express with express.raw() (Buffer) or express.text() (string) has read it already.
        if (req.body instanceof Uint8Array || typeof req.body === "string") {
          const size = typeof req.body === "string" ? new TextEncoder().encode(req.body).byteLength : req.body.byteLength;
          return size > maxBodyBytes ? null : req.body;
        }
        if (req.body !== undefined) {
          throw invalid(
            "rawBody",
            'was already parsed by a body parser: mount the handler before express.json(), or use express.raw({ type: "*/*" })',
          );
        }
        return new Promise((resolve, reject) => {
          const chunks = [];
          let size = 0;
          req.on("data", (chunk) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              resolve(null);
              return;
            }
            chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
          });
          req.on("end", () => {
            if (size > maxBodyBytes) return;
            const body = new Uint8Array(size);
            let offset = 0;
            for (const chunk of chunks) {
              body.set(chunk, offset);
              offset += chunk.length;
            }
            resolve(body);
          });
          req.on("error", reject);
        });
      };
      const signature = [req.headers[SIGNATURE_HEADER]].flat()[0];
      let answer;
      try {
        answer = await decide(req.method, signature, readBody);
      } catch (error) {
        onError(error);
        answer = { status: 500, body: { error: error?.message ?? String(error) } };
      }
      res.statusCode = answer.status;
      res.setHeader("content-type", "application/json");
      if (answer.allow) res.setHeader("allow", answer.allow);
      res.end(answer.body === "" ? undefined : JSON.stringify(answer.body));
    };

    return handler;
  }

  return { createWebhookHandler };
}
