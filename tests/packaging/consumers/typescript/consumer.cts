// The same package through require() under nodenext: the CommonJS side of the types.
import docspace = require("docspace-webhooks");
import http = require("node:http");

// The .node form plugs straight into node:http.
http.createServer(docspace.createWebhookHandler({ secret: "s", onEvent: (event) => console.log(event.trigger) }).node);

const client = new docspace.WebhooksClient({ baseUrl: "https://portal.example.com", token: "sk-x" });
const pending: Promise<docspace.WebhookWithStatus[]> = client.getTenantWebhooks();
const bit: 256 = docspace.Trigger.FileUploaded;
// @ts-expect-error: getTenantWebhooks resolves to an array
const wrong: Promise<string> = client.getTenantWebhooks();

export = { pending, bit, wrong };
