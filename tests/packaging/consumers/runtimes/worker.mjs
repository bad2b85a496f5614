// Cloudflare Workers: GET /?api=URL&token=TOKEN answers what exercise() found.
import * as api from "docspace-webhooks";
import { exercise } from "./exercise.mjs";

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    return Response.json(await exercise(api, { baseUrl: params.get("api"), token: params.get("token") }));
  },
};
