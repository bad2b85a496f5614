// Deno and Bun: `deno run main.mjs URL TOKEN`, `bun main.mjs URL TOKEN`.
import * as api from "docspace-webhooks";
import { exercise } from "./exercise.mjs";

const [baseUrl, token] = globalThis.Deno ? Deno.args : process.argv.slice(2);
console.log(JSON.stringify(await exercise(api, { baseUrl, token })));
