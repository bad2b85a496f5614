// How each bench server child runs: listen on 127.0.0.1 at a free port, print the URL as the
// first stdout line (what bench/lib.mjs startChild() waits for), stop cleanly on SIGTERM/SIGINT.
export function serveChild(server) {
  server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
