// A bench receiver on 127.0.0.1:0: answers HEAD (the portal's probe) and POST (deliveries) with
// 200 at once, verifies nothing, and counts POSTs. `GET /count` → {"posts", "firstAt", "lastAt"}
// (the first and last POST's arrival, epoch ms with sub-ms precision, so a caller can time
// deliveries without depending on how promptly it polls); `DELETE /count` resets it.
// Prints its URL as the first stdout line (bench/lib.mjs startChild()).
import { createServer } from "node:http";
import { serveChild } from "./serve-child.mjs";

let posts = 0;
let firstAt = null;
let lastAt = null;
const now = () => performance.timeOrigin + performance.now();
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/count") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ posts, firstAt, lastAt }));
    return;
  }
  if (req.method === "DELETE" && req.url === "/count") {
    posts = 0;
    firstAt = lastAt = null;
    res.writeHead(204).end();
    return;
  }
  if (req.method === "HEAD") {
    res.writeHead(200).end();
    return;
  }
  // Drain the body, then answer; count only once the whole delivery has arrived.
  req.resume();
  req.on("end", () => {
    if (req.method === "POST") {
      posts++;
      lastAt = now();
      firstAt ??= lastAt;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
// Longer than the sender's idle keep-alive, so a busy sender never reuses a socket closed here.
server.keepAliveTimeout = 60_000;
serveChild(server);
