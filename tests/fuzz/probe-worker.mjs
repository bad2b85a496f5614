// Runs one 10 MiB probe of ./long-input.mjs in a worker thread, so a test can stop a call that
// blocks the thread (a synchronous wasm loop ignores timers): posts "ready" once the package is
// loaded, then `{ problem }`.
import { parentPort, workerData } from "node:worker_threads";
import { longInputProbes, probeProblem, runProbe } from "./long-input.mjs";

const api = (await import(new URL("../../pkg/index.mjs", import.meta.url).href)).default;
let requests = 0;
const fetch = async () => {
  requests++;
  throw new TypeError("the probes send nothing");
};
const client = new api.WebhooksClient({ baseUrl: "https://portal.example.com", token: "sk-fuzz", retries: 0, fetch });
const probe = longInputProbes({ api, client })[workerData.index];
parentPort.postMessage("ready");
const outcome = await runProbe(probe);
parentPort.postMessage({ problem: probeProblem(api, outcome, requests) });
