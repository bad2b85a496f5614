// The baseline for the portal's list route: a bare node:http server on 127.0.0.1:0 that answers
// every request with the same JSON body (read once from the file named by argv[2]) as
// application/json. Prints its URL as the first stdout line (bench/lib.mjs startChild()).
import { createServer } from "node:http";
import { serveChild } from "./serve-child.mjs";
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node bare-server.mjs <body.json>");
  process.exit(2);
}
const body = readFileSync(file, "utf8");
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(body);
});
serveChild(server);
