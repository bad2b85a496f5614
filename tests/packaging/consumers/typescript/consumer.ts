// Compiled with --strict against the installed package. Each @ts-expect-error proves a wrong
// use is rejected: if the types were `any`, those lines would fail the build.
import { WebhooksClient, DocSpaceError, Trigger, createWebhookHandler, parseWebhookEvent, verifyWebhookSignature } from "docspace-webhooks";
import { startPortal } from "docspace-webhooks/portal";
import { redisDedupe } from "docspace-webhooks/redis";
import type { NodeRedisClientLike, RedisDedupeOptions } from "docspace-webhooks/redis";
import type { Portal } from "docspace-webhooks/portal";
import type {
  DocSpaceErrorKind,
  HttpResponseInfo,
  TriggerInfo,
  TriggerName,
  Webhook,
  WebhookClaim,
  WebhookDedupeStore,
  WebhookLog,
  WebhookLogPage,
  WebhookWithStatus,
  WebhooksClientOptions,
} from "docspace-webhooks";

const options: WebhooksClientOptions = { baseUrl: "https://portal.example.com", token: "sk-x", timeoutMs: 5000 };
const client = new WebhooksClient(options);
const base: string = client.baseUrl;

const list: WebhookWithStatus[] = await client.getTenantWebhooks({ signal: AbortSignal.timeout(1000) });
const hook: Webhook = list[0].configs;
const id: number = hook.id;
const status: number = list[0].status;
const target: string | undefined = hook.targetId;
const names: TriggerName[] = Trigger.names(hook.triggers);
const uploaded: 256 = Trigger.FileUploaded;
const downloads: 34359738368 = Trigger.FolderDownloaded;
const mask: number = Trigger.mask(["FileCreated", "file.uploaded", Trigger.RoomCreated]);

const created: Webhook = await client.createWebhook({
  name: "n",
  uri: "https://h",
  secretKey: "S3cret-Key!",
  triggers: ["FileUploaded", Trigger.RoomCreated],
});
const updated: Webhook = await client.updateWebhook({
  id: created.id,
  name: "n",
  uri: "https://h",
  enabled: true,
  ssl: true,
  triggers: "All",
  targetId: null,
});
const patched: Webhook = await client.patchWebhook(created.id, { triggers: "file.uploaded", targetId: null });
const toggled: Webhook = await client.enableWebhook(created.id, false);
const removed: Webhook = await client.removeWebhook(created.id);
const infos: TriggerInfo[] = await client.getWebhookTriggers();
const key: TriggerName | undefined = infos[0].key;
const page: WebhookLogPage = await client.getWebhooksLogs({
  configId: 7,
  groupStatus: ["Status4xx", "Status5xx"],
  deliveryFrom: new Date(),
  trigger: "FileCreated",
});
const total: number = page.total;
for await (const row of client.webhooksLogs({ count: 50 })) {
  const rowStatus: number = row.status;
  console.log(rowStatus);
}
const again: WebhookLog = await client.retryWebhook(page.items[0].id);
const many: WebhookLog[] = await client.retryWebhooks([1, 2]);
const last: HttpResponseInfo | undefined = client.lastResponse;
new WebhooksClient({ baseUrl: "https://p", token: "t", onResponse: (info) => console.log(info.status, info.headers["content-type"]) });

try {
  await client.getTenantWebhooks();
} catch (error) {
  if (error instanceof DocSpaceError) {
    const kind: DocSpaceErrorKind = error.kind;
    const httpStatus: number | undefined = error.status;
    const fields: Record<string, string[]> | undefined = error.details;
    console.log(kind, httpStatus, fields, error.retryAfter, error.message);
  }
}

// @ts-expect-error: triggers is a number, not a string
const wrongTriggers: string = hook.triggers;
// @ts-expect-error: Webhook has no secretKey (the server never returns it)
hook.secretKey;
// @ts-expect-error: misspelt option
new WebhooksClient({ baseUrl: "https://p", tokne: "t" });
// @ts-expect-error: baseUrl is required
new WebhooksClient({ token: "t" });
// @ts-expect-error: not a trigger name
Trigger.mask("FileUpload");
// @ts-expect-error: no such constant
Trigger.FileUpload;
// @ts-expect-error: per-call options are { signal, timeoutMs }
client.getTenantWebhooks({ timeout: 5 });
// @ts-expect-error: kinds are a closed union
const impossible: DocSpaceErrorKind = "weird";

const handler = createWebhookHandler({
  secrets: ["new", "old"],
  onEvent(event) {
    if (event.trigger === "file.uploaded") {
      const title: string | undefined = event.payload.title;
      const entryType: 1 | 2 | undefined = event.payload.fileEntryType;
      console.log(title, entryType, event.event.id, event.webhook.url);
    } else if (event.trigger === "user.created") {
      const userId: string = event.payload.id;
      console.log(userId);
    } else if (event.trigger === "form.submit") {
      console.log(event.payload.submittedForm?.title);
    } else if (event.trigger === "unknown") {
      const payload: unknown = event.payload;
      console.log(payload, event.event.trigger);
    }
  },
});
const answer: Promise<Response> = handler(new Request("https://receiver.example.com/", { method: "POST", body: "{}" }));
const valid: boolean = verifyWebhookSignature("secret", new Uint8Array(0), null);
const parsed = parseWebhookEvent("{}", "sha256=00", "secret");
// @ts-expect-error: a user payload has no title field of type number
const wrongTitle: number = parsed.trigger === "user.created" ? parsed.payload.id : 0;
// @ts-expect-error: onEvent is required
createWebhookHandler({ secret: "s" });
// @ts-expect-error: the raw body is bytes or text, never a parsed object
verifyWebhookSignature("secret", { event: {} }, "sha256=00");

// A shared dedupe store in Redis: the user's own client, typed structurally (no Redis types needed).
declare const redisClient: NodeRedisClientLike;
const storeOptions: RedisDedupeOptions = { prefix: "docspace:", ttlMs: 86_400_000, lockMs: 10_000, timeoutMs: 2_000 };
const store: WebhookDedupeStore = redisDedupe(redisClient, storeOptions);
const claim: WebhookClaim | Promise<WebhookClaim> = store.claim(1234);
const shared = createWebhookHandler({
  secret: "s",
  dedupe: store,
  onStoreError: "fail-open",
  onEvent() {},
  onError: (error, context) => console.log(error, context.stage, context.eventId),
});
// A store of the earlier contract (boolean claim, no complete) still fits.
createWebhookHandler({ secret: "s", onEvent() {}, dedupe: { claim: async (id: number) => id > 0, release() {} } });
// @ts-expect-error: not a Redis client
redisDedupe({ get() {} });
// @ts-expect-error: misspelt option
redisDedupe(redisClient, { ttl: 5 });
// @ts-expect-error: the failure policies are a closed union
createWebhookHandler({ secret: "s", onEvent() {}, onStoreError: "open" });
// @ts-expect-error: claim answers true, false or "in-flight"
createWebhookHandler({ secret: "s", onEvent() {}, dedupe: { claim: () => "busy", release() {} } });

const portal: Portal = await startPortal({ allowLoopback: true, timeScale: 0.01 });
const logIds: number[] = await portal.emit("FileUploaded", { id: 1 }, { targetId: "1" });
// @ts-expect-error: roles are a closed union
const role: import("docspace-webhooks/portal").PortalRole = "superuser";
await portal.close();

// @ts-expect-error: a new webhook needs its signing secret
client.createWebhook({ name: "n", uri: "https://h", triggers: "All" });
// @ts-expect-error: group statuses are a closed union
client.getWebhooksLogs({ groupStatus: "5xx" });
// @ts-expect-error: the log filter takes one trigger, not a list
client.getWebhooksLogs({ trigger: ["FileCreated"] });
// @ts-expect-error: updateWebhook is a full replace: enabled is required
client.updateWebhook({ id: 7, name: "n", uri: "https://h", ssl: true, triggers: "All" });

export { base, id, status, target, names, uploaded, downloads, mask, wrongTriggers, impossible };
export { logIds, role, claim, shared };
export { updated, patched, toggled, removed, key, total, again, many, last, answer, valid, wrongTitle };
