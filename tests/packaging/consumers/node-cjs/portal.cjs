// require("docspace-webhooks/portal"): the stand-in portal from CommonJS (Node 20 cannot require
// an ES module; the package ships a CommonJS build of the portal entry).
const portalApi = require("docspace-webhooks/portal");
const { WebhooksClient } = require("docspace-webhooks");

portalApi.startPortal({ serveStatic: false }).then(async (portal) => {
  try {
    const owner = portal.users.find((user) => user.role === "owner");
    const client = new WebhooksClient({ baseUrl: portal.url, token: owner.token });
    const health = (await fetch(`${portal.url}/stand-in/health`)).status;
    const webhooks = (await client.getTenantWebhooks()).length;
    const esm = await import("docspace-webhooks/portal");
    const sameApi = Object.keys(portalApi).sort().join() === Object.keys(esm).sort().join();
    console.log(JSON.stringify({ health, webhooks, users: portal.users.length, sameApi }));
  } finally {
    await portal.close();
  }
});
