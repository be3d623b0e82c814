/**
 * The server side of bench/intake.mjs, in its own process: either gitcrew's
 * webhook intake (signature check + durable write; `intake-only` without the
 * worker, `gitcrew` with a worker planning every delivery into no runs), the
 * same with a store that keeps nothing (`no-store`: what the checks and the
 * HTTP adapter cost), a bare node:http server that reads the body and answers
 * 202 (`bare`, the ceiling), or that server checking the signature first
 * (`bare-signature`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import { openStore } from "../src/store/index.js";
import { startServer } from "../src/server/index.js";

const [mode, storeSpec, secret] = process.argv.slice(2);

if (mode === "bare" || mode === "bare-signature") {
  const webhooks = new Webhooks({ secret: secret ?? "" });
  const server = createServer((req, res) => {
    const reply = (status: number) => (res.writeHead(status, { "content-type": "application/json" }), res.end('{"accepted":true}\n'));
    if (mode === "bare") {
      req.resume();
      return void req.on("end", () => reply(202));
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const signature = String(req.headers["x-hub-signature-256"] ?? "");
      void webhooks.verify(Buffer.concat(chunks).toString("utf8"), signature).then((ok) => reply(ok ? 202 : 401));
    });
  });
  server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
} else {
  const store = await openStore(storeSpec);
  // Every delivery "stored" at once: the rest of the path (adapter, checks, metrics) stays as it is.
  if (mode === "no-store") store.recordDelivery = async () => true;
  const server = await startServer({
    store,
    // Intake only: deliveries are planned into nothing, so the worker stays out of the measurement as much as it can.
    pipeline: { handler: { plan: async () => ({ runs: [] }) }, executor: { execute: async () => ({ status: "succeeded" }) } },
    webhookSecret: secret ?? "",
    apiToken: "bench",
    host: "127.0.0.1",
    port: 0,
    concurrency: 1,
    instance: "bench",
    worker: mode === "gitcrew",
  });
  console.log(`listening on ${server.url}`);
  process.once("SIGTERM", () => void server.stop(0).then(() => store.close()).then(() => process.exit(0)));
}
