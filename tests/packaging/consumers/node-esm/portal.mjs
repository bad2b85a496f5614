// A user's integration test setup: the stand-in portal from the package, the client against it.
import { startPortal } from "docspace-webhooks/portal";
import { WebhooksClient } from "docspace-webhooks";

const portal = await startPortal({ allowLoopback: true, timeScale: 0.01 });
const owner = portal.users.find((user) => user.role === "owner");
const client = new WebhooksClient({ baseUrl: portal.url, token: owner.token });
await client.createWebhook({
  name: "inbox",
  uri: `${portal.url}/stand-in/inbox/x`,
  secretKey: "S3cret-Key!",
  ssl: false,
  triggers: "FileUploaded",
});
const [logId] = await portal.emit("FileUploaded", { id: 1 });
while (portal.inbox().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
const delivered = JSON.parse(portal.inbox()[0].body).event.id;
await portal.close();
console.log(JSON.stringify({ delivered: delivered === logId, users: portal.users.length }));
