/**
 * The server side of bench/intake.mjs, in its own process: either gitcrew's
 * webhook intake (signature check + durable write; `intake-only` without the
 * worker, `gitcrew` with a worker planning every delivery into no runs) or a
 * bare node:http server that reads the body and answers 202 (the ceiling).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openStore } from "../src/store/index.js";
import { startServer } from "../src/server/index.js";

const [mode, storeSpec, secret] = process.argv.slice(2);

if (mode === "bare") {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => (res.writeHead(202, { "content-type": "application/json" }), res.end('{"accepted":true}\n')));
  });
  server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
} else {
  const store = await openStore(storeSpec);
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
    worker: mode !== "intake-only",
  });
  console.log(`listening on ${server.url}`);
  process.once("SIGTERM", () => void server.stop(0).then(() => store.close()).then(() => process.exit(0)));
}
