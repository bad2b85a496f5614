// The portal connection of a command: a WebhooksClient from --portal/--token or DOCSPACE_URL /
// DOCSPACE_TOKEN, with --verbose wired to the client's onResponse hook (which never sees the
// token), and the one call the client has no method for: the stand-in's POST /stand-in/events.
import { DocSpaceError, WebhooksClient } from "../index.mjs";
import { UsageError } from "./args.mjs";

/** The portal address and token from the flags, else the environment. */
function credentials(values, env) {
  const baseUrl = values.portal ?? env.DOCSPACE_URL;
  const token = values.token ?? env.DOCSPACE_TOKEN;
  if (!baseUrl) throw new UsageError("no portal: pass --portal URL or set DOCSPACE_URL");
  if (!token) throw new UsageError("no token: pass --token TOKEN or set DOCSPACE_TOKEN");
  return { baseUrl, token };
}

/** Shows one HTTP exchange on stderr: method, URL, status, time. */
function verboseLine(out, { method, url, status, durationMs, attempt }) {
  const again = attempt > 1 ? ` (attempt ${attempt})` : "";
  out.err(out.errStyle.dim(`${method} ${url} → ${status} in ${Math.round(durationMs)} ms${again}`));
}

export function connect(values, env, out) {
  const { baseUrl, token } = credentials(values, env);
  out.hide(token);
  try {
    const client = new WebhooksClient({
      baseUrl,
      token,
      onResponse: values.verbose ? (info) => verboseLine(out, info) : undefined,
    });
    return { client, baseUrl: client.baseUrl, token };
  } catch (error) {
    // The client names the bad option; on the command line it is a flag.
    if (error instanceof DocSpaceError && error.kind === "invalid_input") {
      const flag = error.details?.token ? "--token" : "--portal";
      throw new UsageError(`${flag}: ${error.message.replace(/^(baseUrl|token): /, "")}`);
    }
    throw error;
  }
}

/**
 * `POST /stand-in/events` on the stand-in portal: the created log ids. Failures are
 * DocSpaceErrors like the client's, so they print and exit the same way.
 */
export async function postStandInEvent({ baseUrl, token }, body, out, verbose) {
  const url = `${baseUrl}/stand-in/events`;
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message;
    const kind = error?.name === "TimeoutError" ? "timeout" : "network";
    throw new DocSpaceError(kind, `could not reach ${baseUrl}: ${cause}`);
  }
  const text = await response.text();
  if (verbose) verboseLine(out, { method: "POST", url, status: response.status, durationMs: performance.now() - started, attempt: 1 });
  let envelope = null;
  try {
    envelope = JSON.parse(text);
  } catch {
    // A real portal answers an unknown route with an HTML page or nothing.
  }
  if (response.ok && Array.isArray(envelope?.response)) return envelope.response;
  const status = response.status;
  const said = envelope?.error?.message ? `: ${envelope.error.message}` : "";
  const message =
    status === 404 || status === 405
      ? `${baseUrl} has no stand-in events endpoint: \`trigger\` works only with the stand-in portal (docspace-webhooks-portal); a real portal sends events when things happen in it`
      : status === 401
        ? "the portal refused the token (check --token or DOCSPACE_TOKEN)"
        : status === 403
          ? `the token's user may not trigger events (the stand-in wants an owner or admin token)${said}`
          : response.ok
            ? "the portal's answer is not the stand-in's list of log ids"
            : `the portal answered ${status}${said}`;
  throw new DocSpaceError(response.ok ? "invalid_response" : "http", message, { status });
}
