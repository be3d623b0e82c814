/** Start an in-process server on loopback with a trivial pipeline; wait for conditions in bounded loops. */
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startServer, type RunningServer, type StartOptions } from "../../src/server/index.js";
import { trivialPipeline, type Recorder } from "./trivial-pipeline.js";

export const SECRET = "It's a Secret to Everybody";
export const TOKEN = "test-token";

export interface Harness {
  server: RunningServer;
  store: Store;
  recorder: Recorder;
  stop(graceMs?: number): Promise<void>;
}

export async function startHarness(storeSpec: string, options: Partial<StartOptions> = {}): Promise<Harness> {
  const store = await openStore(storeSpec);
  const pipeline = trivialPipeline();
  const server = await startServer({
    store,
    pipeline,
    webhookSecret: SECRET,
    apiToken: TOKEN,
    host: "127.0.0.1",
    port: 0,
    concurrency: 4,
    instance: "test",
    leaseMs: 3000,
    pollMs: 50,
    retryBaseMs: 50,
    ...options,
  });
  return {
    server,
    store,
    recorder: pipeline.recorder,
    async stop(graceMs = 5000) {
      await server.stop(graceMs);
      await store.close();
    },
  };
}

/** Poll `check` until it returns a value (bounded: about `tries` × 50 ms). */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
