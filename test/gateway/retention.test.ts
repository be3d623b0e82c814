/**
 * The gateway lives as long as the runner and serves every run: a finished
 * request and a revoked run must leave nothing behind (no closure, listener,
 * timer, buffer or run state), or a long-lived gateway slows down and grows.
 * Heap is compared after a forced full GC, before and after thousands more
 * requests; timers are counted with getActiveResourcesInfo.
 */
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { sse } from "./support.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Heap in use after full collections (a few, so finalizers and weak
 * references settle), without compiled code: the JIT keeps optimising hot
 * paths for thousands of requests, which is not memory kept per request.
 */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  return getHeapSpaceStatistics()
    .filter((s) => s.space_name !== "code_space" && s.space_name !== "code_large_object_space")
    .reduce((n, s) => n + s.space_used_size, 0);
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

const MiB = 1 << 20;
let model: Server;
let gw: Gateway;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  // Not the recording test server: it keeps every request, which is the very growth measured here.
  model = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sse("message_start", { message: { id: "m", model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 1 } } }));
      res.write(sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "x".repeat(2000) } }));
      res.end(sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 7 } }) + sse("message_stop", {}));
    });
  });
  await new Promise<void>((resolve) => model.listen(0, "127.0.0.1", resolve));
  gw = await startGateway({ upstreams: { anthropic: `http://127.0.0.1:${(model.address() as AddressInfo).port}` } });
});

afterAll(async () => {
  agent.destroy();
  await gw?.close();
  model?.closeAllConnections();
  await new Promise((resolve) => model?.close(resolve));
});

/** One streamed Messages request as a CLI sends it, over a kept-alive connection; resolves with the status. */
function ask(token: string, path = "/anthropic/v1/messages"): Promise<number> {
  const body = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, stream: true, messages: [{ role: "user", content: "hi" }] });
  return new Promise((resolve, reject) => {
    const req = request(`${gw.url}${path}`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-api-key": token },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("a long-lived gateway keeps nothing per finished request or run", () => {
  it("thousands of streamed, metered, budgeted requests leave the heap and the timers where they were", async () => {
    const run = gw.register({ runId: "many-requests", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1e12 }] });
    onTestFinished(() => void gw.revoke("many-requests"));
    // Warm up first: compiled code and pools grow once, not per request.
    for (let i = 0; i < 1000; i++) expect(await ask(run.token)).toBe(200);
    const heapBefore = await heapAfterGc();
    const timersBefore = timers();

    const N = 3000;
    for (let i = 0; i < N; i++) await ask(run.token);
    const heapAfter = await heapAfterGc();

    // Every request was metered: the gateway did its work, it only kept nothing of it.
    expect(gw.report("many-requests")?.byModel[0]?.requests).toBe(1000 + N);
    expect(gw.report("many-requests")?.tokens.output).toBe((1000 + N) * 7);
    expect(timers()).toBe(timersBefore);
    // A closure, listener or timer kept per request is a few hundred bytes: over 3000 requests, well past this bound.

    expect(heapAfter - heapBefore).toBeLessThan(1 * MiB);
  }, 240_000);

  it("runs registered, used, refused and revoked leave no run state behind", async () => {
    const cycle = async (i: number): Promise<void> => {
      const run = gw.register({ runId: `run-${i}`, allow: ["api.example.com", "preset:github"], modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1e9 }] });
      expect(await ask(run.token)).toBe(200);
      // A refusal is recorded on the run (no OpenAI key): it must go with the run.
      expect(await ask(run.token, "/openai/v1/chat/completions")).toBe(403);
      const report = gw.revoke(`run-${i}`);
      expect(report?.refusals).toHaveLength(1);
      // The ended run's token is refused, and told apart from an unknown one.
      expect(await ask(run.token)).toBe(401);
    };
    for (let i = 0; i < 200; i++) await cycle(i);
    const heapBefore = await heapAfterGc();
    const timersBefore = timers();

    const N = 1500;
    for (let i = 200; i < 200 + N; i++) await cycle(i);
    const heapAfter = await heapAfterGc();

    expect(gw.activeRuns).toBe(0);
    expect(gw.report("run-1000")).toBeUndefined();
    expect(timers()).toBe(timersBefore);
    // A run's state (allowlist, refusals, spend) is kilobytes; only a revoked token's digest stays (bounded in RunRegistry).

    expect(heapAfter - heapBefore).toBeLessThan(1.5 * MiB);
  }, 240_000);
});

