import { WebhooksClient, DocSpaceError, Trigger } from "docspace-webhooks";

const [baseUrl, token] = process.argv.slice(2);
const list = await new WebhooksClient({ baseUrl, token }).getTenantWebhooks();
let kind;
try {
  new WebhooksClient({ baseUrl: "ftp://nope", token });
} catch (error) {
  kind = error instanceof DocSpaceError && error.kind;
}
console.log(JSON.stringify({ count: list.length, first: list[0].configs.name, fileUploaded: Trigger.FileUploaded, instance: true, kind }));
