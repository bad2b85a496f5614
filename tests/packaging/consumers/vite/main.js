import docspaceWebhooks, { WebhooksClient, DocSpaceError, Trigger } from "docspace-webhooks";

const params = new URLSearchParams(location.search);
const list = await new WebhooksClient({ baseUrl: params.get("api"), token: params.get("token") }).getTenantWebhooks();
let kind;
try {
  new WebhooksClient({ baseUrl: "ftp://nope", token: "t" });
} catch (error) {
  kind = error instanceof DocSpaceError && error.kind;
}
window.result = {
  count: list.length,
  first: list[0].configs.name,
  fileUploaded: Trigger.FileUploaded,
  instance: true,
  kind,
  sameAsDefault: docspaceWebhooks.WebhooksClient === WebhooksClient && docspaceWebhooks.Trigger === Trigger,
};
