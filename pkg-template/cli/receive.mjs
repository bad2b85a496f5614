// The receiving side: `listen` (a local receiver that verifies, prints and optionally forwards
// each delivery) and `verify` (checks a captured body against its signature).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { DocSpaceError, createWebhookHandler, verifyWebhookSignature } from "../index.mjs";
import { readNodeBody } from "../receiver.mjs";
import { JSON_OPTION, UsageError, parseCount, required } from "./args.mjs";
import { localTime } from "./output.mjs";

const SIGNATURE_HEADER = "x-docspace-signature-256";
const MAX_BODY_BYTES = 1 << 20;
const FORWARD_TIMEOUT_MS = 60_000;
/** Not passed on when forwarding: they describe one hop, not the delivery (fetch sets its own). */
const HOP_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

const SECRET_OPTION = { secret: { type: "string", value: "S", help: "the webhook's signing secret (default: $DOCSPACE_WEBHOOK_SECRET)" } };

function secretOf(values, env, command) {
  const secret = values.secret ?? env.DOCSPACE_WEBHOOK_SECRET;
  if (!secret) throw new UsageError(`${command}: --secret is required (or set DOCSPACE_WEBHOOK_SECRET)`);
  return secret;
}

/** A secret the package cannot use (empty, too long…) is a usage error naming --secret. */
function checked(action) {
  try {
    return action();
  } catch (error) {
    if (error instanceof DocSpaceError && error.kind === "invalid_input" && !error.details?.rawBody) {
      throw new UsageError(`--secret: ${error.message.replace(/^[\w.[\]]+: /, "")}`);
    }
    throw error;
  }
}

function parseJson(bytes) {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString("utf8"));
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

/** Sends the delivery on to the app exactly as it came: same body bytes, same headers. */
async function forward(target, req, raw) {
  const started = performance.now();
  const response = await fetch(target, {
    method: "POST",
    headers: toHeaders(req.headers),
    body: raw,
    redirect: "manual",
    signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get("content-type"), body, ms: performance.now() - started };
}

const listen = {
  name: "listen",
  summary: "receive deliveries locally: verify, print, and forward them to your app",
  usage: "listen --secret S [--port 8080] [--forward-to URL] [--print-json] [--json]",
  description:
    "Starts a receiver on this machine (the package's createWebhookHandler). It answers the\n" +
    "portal's HEAD probe, verifies each delivery's signature with --secret, and prints one line\n" +
    "per delivery: time, event, event id, webhook (and the attempt, when the portal retries),\n" +
    "signature ok/bad, and the answer. With\n" +
    "--forward-to it passes each delivery to your app unchanged (the raw body and its headers)\n" +
    "and answers the portal with your app's status and body.\n" +
    "\n" +
    "A real portal only delivers to public addresses: expose this port on a public host or\n" +
    "through a tunnel and point a webhook there. The stand-in portal (docspace-webhooks-portal)\n" +
    "delivers to 127.0.0.1 when started with --allow-loopback: that is the whole loop on one\n" +
    "machine. The first line printed is the receiver's URL.",
  options: {
    ...SECRET_OPTION,
    port: { type: "string", value: "N", help: "port to listen on (default 8080; 0 picks a free one)" },
    host: { type: "string", value: "ADDR", help: "address to bind (default 127.0.0.1)" },
    "forward-to": { type: "string", value: "URL", help: "pass each delivery on to this URL and answer with its response" },
    "print-json": { type: "boolean", help: "also print each delivery's payload" },
    json: { type: "boolean", help: "one JSON object per line instead of text" },
  },
  stoppable: () => true,
  examples: [
    "listen --secret S3cret-Key! --forward-to http://localhost:3000/webhooks",
    "listen --secret S3cret-Key! --port 8080 --print-json",
  ],
  validate({ values, env }) {
    const secret = secretOf(values, env, "listen");
    checked(() => createWebhookHandler({ secret, onEvent() {} }));
    if (values.port !== undefined && parseCount(values.port, "--port", 0) > 65535) throw new UsageError("--port must be from 0 to 65535");
    if (values["forward-to"] !== undefined) {
      let url;
      try {
        url = new URL(values["forward-to"]);
      } catch {
        throw new UsageError(`--forward-to must be an http(s) URL, got ${JSON.stringify(values["forward-to"])}`);
      }
      if (!["http:", "https:"].includes(url.protocol)) throw new UsageError(`--forward-to must be an http(s) URL, got ${url.protocol}`);
    }
  },
  async run({ values, env, out, signal }) {
    const secret = secretOf(values, env, "listen");
    out.hide(secret);
    const port = values.port !== undefined ? parseCount(values.port, "--port", 0) : 8080;
    const host = values.host ?? "127.0.0.1";
    const target = values["forward-to"];
    // It verifies, parses and answers; what it answered says how the signature was (401: bad).
    const handler = createWebhookHandler({
      secret,
      dedupe: false, // a tool for watching deliveries shows every one, repeats included
      onEvent() {},
    });

    async function receive(req, res) {
      const receivedAt = new Date();
      if (req.method !== "POST") {
        // The portal's HEAD probe (on create and enable) gets the 200 it needs, here and not from the app.
        const status = req.method === "HEAD" ? 200 : 405;
        res.writeHead(status, status === 405 ? { allow: "POST, HEAD" } : {}).end();
        out.err(
          out.errStyle.dim(
            `${localTime(receivedAt)}  ${req.method} ${req.url} → ${status}${req.method === "HEAD" ? " (the portal's probe)" : ""}`,
          ),
        );
        return;
      }
      const read = await readNodeBody(req, MAX_BODY_BYTES);
      const raw = read && Buffer.from(read.buffer, read.byteOffset, read.byteLength);
      if (raw === null) {
        // Nothing more of the body is read: the connection cannot carry another request.
        res.writeHead(413, { "content-type": "text/plain", connection: "close" }).end(`body larger than ${MAX_BODY_BYTES} bytes`);
        out.err(`${localTime(receivedAt)}  POST ${req.url} → 413 (body larger than ${MAX_BODY_BYTES} bytes)`);
        return;
      }
      const signature = [req.headers[SIGNATURE_HEADER]].flat()[0];
      const body = parseJson(raw);
      const entry = {
        receivedAt: receivedAt.toISOString(),
        event: body?.event?.trigger ?? null,
        eventId: body?.event?.id ?? null,
        webhookId: body?.webhook?.id ?? null,
        // The portal's own retries of one delivery keep its event id and count in webhook.retryCount.
        attempt: (Number(body?.webhook?.retryCount) || 0) + 1,
        signature: "bad",
        status: 0,
        forwardedTo: target ?? null,
        error: null,
      };
      if (target) {
        entry.signature = verifyWebhookSignature(secret, raw, signature) ? "ok" : "bad";
        try {
          const answer = await forward(target, req, raw);
          entry.status = answer.status;
          entry.ms = Math.round(answer.ms);
          res.writeHead(answer.status, answer.contentType ? { "content-type": answer.contentType } : {}).end(answer.body);
        } catch (error) {
          entry.status = 502;
          entry.error = `could not forward to ${target}: ${error?.cause?.code ?? error?.name ?? error}`;
          res.writeHead(502, { "content-type": "text/plain" }).end(entry.error);
        }
      } else {
        const answer = await handler(
          new Request(`http://${host}${req.url}`, { method: "POST", headers: toHeaders(req.headers), body: raw }),
        );
        entry.status = answer.status;
        const signed = answer.status === 200 || (answer.status !== 401 && verifyWebhookSignature(secret, raw, signature));
        entry.signature = signed ? "ok" : "bad";
        if (answer.status === 400) entry.error = "not a DocSpace delivery";
        res
          .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" })
          .end(Buffer.from(await answer.arrayBuffer()));
      }
      report(entry, body ?? raw.toString("utf8"));
    }

    function report(entry, payload) {
      if (values.json) {
        const { ms, ...shown } = entry;
        return out.jsonLine(values["print-json"] ? { ...shown, body: payload } : shown);
      }
      const { style } = out;
      const ok = entry.signature === "ok";
      const answer = entry.error
        ? style.red(`→ ${entry.status} (${entry.error})`)
        : target
          ? `→ app ${entry.status} in ${entry.ms} ms`
          : `→ ${entry.status}`;
      out.line(
        [
          localTime(entry.receivedAt),
          style.bold(entry.event ?? "?"),
          `event ${entry.eventId ?? "?"}`,
          `webhook ${entry.webhookId ?? "?"}${entry.attempt > 1 ? ` (attempt ${entry.attempt})` : ""}`,
          ok ? style.green("signature ok") : style.red("signature bad"),
          entry.status >= 200 && entry.status < 300 ? style.green(answer) : style.yellow(answer),
        ].join("  "),
      );
      if (values["print-json"]) out.line(typeof payload === "string" ? payload : JSON.stringify(payload, null, 2));
    }

    const server = createServer((req, res) => {
      receive(req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end();
        out.err(`docspace-webhooks listen: ${error?.message ?? error}`);
      });
    });
    await new Promise((resolve, reject) => {
      server.once("error", (error) =>
        reject(error.code === "EADDRINUSE" ? new DocSpaceError("network", `port ${port} on ${host} is already in use`) : error),
      );
      server.listen(port, host, resolve);
    });
    const address = server.address();
    const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
    if (values.json) out.jsonLine({ listening: url });
    else out.line(url);
    out.err(out.errStyle.dim(`Receiving deliveries at ${url}${target ? `, forwarding them to ${target}` : ""} (Ctrl+C to stop).`));
    out.err(out.errStyle.dim("A real portal only delivers to public addresses; the stand-in does to this one with --allow-loopback."));
    await new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", resolve, { once: true })));
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
    return 0;
  },
};

/** A request's headers as they came, without the hop-by-hop ones. */
function toHeaders(nodeHeaders) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(nodeHeaders)) {
    if (HOP_HEADERS.has(name)) continue;
    for (const one of [value].flat()) headers.append(name, one);
  }
  return headers;
}

const verify = {
  name: "verify",
  summary: "check a captured delivery body against its signature",
  usage: "verify --secret S --signature HEADER FILE|-",
  description:
    "Checks that FILE (or standard input, with -) is a body signed with the secret: HEADER is the\n" +
    "x-docspace-signature-256 value (sha256=<hex>; the bare hex works too). The body must be the\n" +
    "exact bytes received: re-serialised JSON does not verify. Exit code 0 when it matches, 1 when not.",
  options: {
    ...SECRET_OPTION,
    signature: { type: "string", value: "HEADER", help: "the x-docspace-signature-256 header's value" },
    ...JSON_OPTION,
  },
  positionals: { name: "FILE (the captured body, or - for standard input)", count: [1, 1] },
  examples: ["verify --secret S3cret-Key! --signature sha256=0D4C…88F3 body.json", 'verify --signature "$SIG" - < body.json'],
  validate({ values, env }) {
    const secret = secretOf(values, env, "verify");
    required(values, "signature", "verify", "sha256=0D4C…");
    checked(() => verifyWebhookSignature(secret, "", "sha256=00"));
  },
  async run({ values, positionals, env, out, stdin }) {
    const secret = secretOf(values, env, "verify");
    out.hide(secret);
    const file = positionals[0];
    let raw;
    try {
      raw = file === "-" ? await readAll(stdin) : await readFile(file);
    } catch (error) {
      throw new UsageError(`verify: cannot read ${file}: ${error.code ?? error.message}`);
    }
    const header = /^[0-9a-f]+$/i.test(values.signature) ? `sha256=${values.signature}` : values.signature;
    const valid = checked(() => verifyWebhookSignature(secret, raw, header));
    const body = parseJson(raw);
    const about = { event: body?.event?.trigger ?? null, eventId: body?.event?.id ?? null, webhookId: body?.webhook?.id ?? null };
    if (values.json) out.json({ valid, ...about, bytes: raw.length });
    else if (valid) {
      const what = about.event ? `: ${about.event}, event ${about.eventId}, webhook ${about.webhookId}` : "";
      out.line(out.style.green(`signature ok${what}`));
    } else
      out.line(
        out.style.red(
          `signature bad: ${file === "-" ? "the body" : file} (${raw.length} bytes) was not signed with this secret, or was changed`,
        ),
      );
    return valid ? 0 : 1;
  },
};

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const commands = [listen, verify];
