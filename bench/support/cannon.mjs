// autocannon in its own process, as bench/portal.mjs drives it; prints autocannon's result as
// JSON on stdout.
//   node cannon.mjs <url> <seconds> <connections> <token> [--vary]
// --vary: every request gets its own query (?n=1, ?n=2, …), so no server can answer it from an
// answer it kept for an earlier request; the path, headers and method stay the same.
import autocannon from "autocannon";

const [url, seconds, connections, token] = process.argv.slice(2);
if (!token) {
  console.error("usage: node cannon.mjs <url> <seconds> <connections> <token> [--vary]");
  process.exit(2);
}
const { pathname } = new URL(url);
let sent = 0;
const varied = [{ setupRequest: (request) => ({ ...request, path: `${pathname}?n=${++sent}` }) }];
const result = await autocannon({
  url,
  duration: Number(seconds),
  connections: Number(connections),
  headers: { authorization: `Bearer ${token}` },
  ...(process.argv.includes("--vary") && { requests: varied }),
});
process.stdout.write(JSON.stringify(result));
