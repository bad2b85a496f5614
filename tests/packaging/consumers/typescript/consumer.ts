// Compiled with --strict against the installed package. Each @ts-expect-error proves a wrong
// use is rejected: if the types were `any`, those lines would fail the build.
import { WebhooksClient, DocSpaceError, Trigger } from "docspace-webhooks";
import type { DocSpaceErrorKind, TriggerName, Webhook, WebhookWithStatus, WebhooksClientOptions } from "docspace-webhooks";

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

export { base, id, status, target, names, uploaded, downloads, mask, wrongTriggers, impossible };
