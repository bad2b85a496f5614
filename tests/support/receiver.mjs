// A receiver on 127.0.0.1 for the portal and command-line tests: it records every request (its
// raw bytes, when it came) and answers what `answer(entry)` says: a status (default 200, with
// the body "status N"), `{ status, body, type? }`, "hang" (never answers) or "reset" (drops the
// connection).
import { createServer } from "node:http";
import { once } from "node:events";

export async function startReceiver(answer = () => 200) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, raw: Buffer.concat(chunks), at: performance.now() };
      received.push(entry);
      const reply = await answer(entry);
      entry.status = reply;
      if (reply === "hang") return;
      if (reply === "reset") return req.socket.destroy();
      const { status, body, type = "text/plain" } = typeof reply === "number" ? { status: reply, body: `status ${reply}` } : reply;
      entry.status = status;
      res.writeHead(status, { "content-type": type }).end(req.method === "HEAD" ? undefined : body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    posts: () => received.filter((entry) => entry.method === "POST"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
