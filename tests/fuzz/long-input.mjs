// Issue 16 item 4: 10 MiB of caller text where the client looks for a near miss ("did you
// mean …?") or quotes the input in a message. Each probe must be refused as invalid_input,
// without a request, with a message of bounded length; run.mjs times them (the figures go in
// the fuzz report), fuzz.test.mjs checks the answers with a generous hang guard.

const TEN_MIB = 10 << 20;
/** A message longer than this quotes too much of the caller's input. */
export const MAX_MESSAGE_CHARS = 1000;

/**
 * The probes, bound to `{ api, client }` (`client`: a valid client whose `fetch` is counted).
 * Each `run()` returns what the call gave (a value, or a promise of one).
 */
export function longInputProbes({ api, client }) {
  const x = "x".repeat(TEN_MIB);
  const nearMiss = "FileUploaded".repeat(Math.ceil(TEN_MIB / 12)).slice(0, TEN_MIB);
  const key = "tokne".repeat(TEN_MIB / 5 + 1).slice(0, TEN_MIB);
  for (const text of [x, nearMiss, key]) text.charCodeAt(text.length - 1); // flatten before timing
  const input = { name: "n", uri: "https://hooks.example.com/x", secretKey: "Fz-Secret-9x!", triggers: "All" };
  const update = { id: 7, name: "n", uri: "https://hooks.example.com/x", enabled: true, ssl: true };
  const options = { baseUrl: "https://portal.example.com", token: "sk-fuzz" };
  return [
    { name: "Trigger.mask(10 MiB name)", run: () => api.Trigger.mask(x) },
    { name: 'Trigger.mask(10 MiB "FileUploaded…")', run: () => api.Trigger.mask(nearMiss) },
    { name: "Trigger.mask([10 MiB name])", run: () => api.Trigger.mask(["FileUploaded", x]) },
    { name: "createWebhook({ triggers: 10 MiB name })", run: () => client.createWebhook({ ...input, triggers: x }) },
    { name: "createWebhook({ triggers: [10 MiB name] })", run: () => client.createWebhook({ ...input, triggers: [nearMiss] }) },
    { name: "updateWebhook({ triggers: 10 MiB name })", run: () => client.updateWebhook({ ...update, triggers: x }) },
    { name: "patchWebhook(7, { triggers: 10 MiB name })", run: () => client.patchWebhook(7, { triggers: x }) },
    { name: "getWebhooksLogs({ trigger: 10 MiB name })", run: () => client.getWebhooksLogs({ trigger: x }) },
    { name: "webhooksLogs({ trigger: 10 MiB name }).next()", run: () => client.webhooksLogs({ trigger: nearMiss }).next() },
    { name: "getWebhooksLogs({ groupStatus: 10 MiB name })", run: () => client.getWebhooksLogs({ groupStatus: x }) },
    { name: "getWebhooksLogs({ deliveryFrom: 10 MiB text })", run: () => client.getWebhooksLogs({ deliveryFrom: x }) },
    { name: "new WebhooksClient({ 10 MiB option key })", run: () => new api.WebhooksClient({ ...options, [key]: 1 }) },
    { name: "new WebhooksClient({ baseUrl: 10 MiB })", run: () => new api.WebhooksClient({ ...options, baseUrl: `https://${x}` }) },
    { name: "createWebhook({ 10 MiB key })", run: () => client.createWebhook({ ...input, [key]: 1 }) },
    { name: "createWebhook({ uri: 10 MiB })", run: () => client.createWebhook({ ...input, uri: `https://${x}` }) },
    { name: "getWebhooksLogs({ 10 MiB key })", run: () => client.getWebhooksLogs({ [key]: 1 }) },
    { name: "getTenantWebhooks({ 10 MiB option key })", run: () => client.getTenantWebhooks({ [key]: 1 }) },
    { name: "createWebhookHandler({ 10 MiB option key })", run: () => api.createWebhookHandler({ secret: "s", onEvent() {}, [key]: 1 }) },
    { name: "parseWebhookEvent(body, 10 MiB header, secret)", run: () => api.parseWebhookEvent("{}", x, "secret") },
  ];
}

/**
 * Runs one probe: `{ ms, error, value, message }`. The time covers the call and its settling
 * (run.mjs reports it; tests do not judge it).
 */
export async function runProbe(probe) {
  const started = performance.now();
  let value;
  let error;
  try {
    value = await probe.run();
  } catch (thrown) {
    error = thrown;
  }
  return { ms: performance.now() - started, error, value };
}

/** What is wrong with a probe's outcome (null when it was refused as it should be). */
export function probeProblem(api, { error, value }, fetches) {
  if (!error) return `was accepted (${typeof value})`;
  if (!(error instanceof api.DocSpaceError)) return `threw ${error?.name}: ${String(error?.message).slice(0, 200)}`;
  if (error.kind !== "invalid_input") return `was refused as ${error.kind}, not invalid_input`;
  if (fetches) return `sent ${fetches} request(s)`;
  if (error.message.length > MAX_MESSAGE_CHARS) return `has a ${error.message.length}-character message (over ${MAX_MESSAGE_CHARS})`;
  return null;
}
