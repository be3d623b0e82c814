/**
 * What goes wrong on either side of the gateway: eight runs in parallel are
 * each charged exactly their own usage; a provider that hangs before or
 * during its answer gets a timeout error; a client that leaves mid-stream
 * is still charged what the provider produced, and the gateway goes on
 * serving.
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { type FakeAnthropic, type MessagesBody, startFakeAnthropic, textOf } from "../support/fake-anthropic/server.js";
import { sleep, sse, startHttp, type TestServer } from "./support.js";

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.reverse()) await s.close();
  servers = [];
});

async function gatewayFor(upstream: string, opts: Parameters<typeof startGateway>[0] = {}): Promise<Gateway> {
  const gw = await startGateway({ upstreams: { anthropic: upstream }, ...opts });
  servers.push(gw);
  return gw;
}

function post(gw: Gateway, token: string, content: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${gw.url}/anthropic/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, stream: true, messages: [{ role: "user", content }] }),
    signal,
  });
}

describe("parallel runs", () => {
  it("eight runs at once are each charged exactly their own usage", async () => {
    // Usage is a function of the run and request named in the prompt.
    const usageOf = (body: MessagesBody) => {
      const [, run, req] = /run (\d+) request (\d+)/.exec(textOf(body)) ?? [];
      return { inputTokens: 1000 * Number(run) + Number(req), outputTokens: 10 * Number(run) + 1 };
    };
    const model: FakeAnthropic = await startFakeAnthropic({
      isAgentTurn: () => true,
      script: Array.from({ length: 40 }, () => (b: MessagesBody) => ({ text: "ok", usage: usageOf(b) })),
    });
    servers.push(model);
    const gw = await gatewayFor(model.url);
    const runs = Array.from({ length: 8 }, (_, k) =>
      gw.register({ runId: `par-${k + 1}`, modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1e9 }] }),
    );
    await Promise.all(
      runs.flatMap((run, k) =>
        Array.from({ length: 5 }, async (_, r) => {
          const res = await post(gw, run.token, `run ${k + 1} request ${r}`);
          expect(res.status).toBe(200);
          await res.text();
        }),
      ),
    );
    for (const [k, run] of runs.entries()) {
      const n = k + 1;
      const report = gw.revoke(run.runId);
      expect(report?.tokens).toEqual({ input: 5 * 1000 * n + (0 + 1 + 2 + 3 + 4), output: 5 * (10 * n + 1), cacheRead: 0, cacheWrite: 0 });
      expect(report?.byModel[0]?.requests).toBe(5);
    }
    expect(model.errors).toEqual([]);
  });
});

/** A Messages stream the test paces: message_start, then `rest` after `gate` resolves. */
function pacedServer(gate: () => Promise<void>): Promise<TestServer> {
  return startHttp((_req, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(sse("message_start", { message: { id: "m", model: "claude-sonnet-4-5", usage: { input_tokens: 500, cache_read_input_tokens: 7, output_tokens: 1 } } }));
    res.write(sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "first words" } }));
    void gate().then(() => {
      res.write(sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: " and the rest" } }));
      res.write(sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 77 } }));
      res.end(sse("message_stop", {}));
    });
  });
}

describe("a client that leaves mid-stream", () => {
  it("is charged what the provider produced, and the gateway serves the next request", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const upstream = await pacedServer(() => released);
    servers.push(upstream);
    const gw = await gatewayFor(`http://127.0.0.1:${upstream.port}`);
    const run = gw.register({ runId: "leaver", modelKeys: { anthropic: "sk-real" } });

    const abort = new AbortController();
    const res = await post(gw, run.token, "hi", abort.signal);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("message_start");
    abort.abort();
    await reader.cancel().catch(() => undefined);
    await sleep(50);
    release();
    // The gateway reads the rest of the answer for its usage.
    for (let i = 0; i < 200 && gw.report(run.runId)?.tokens.output !== 77; i++) await sleep(20);
    expect(gw.report(run.runId)?.tokens).toEqual({ input: 500, output: 77, cacheRead: 7, cacheWrite: 0 });

    const again = await post(gw, run.token, "still there?");
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("message_stop");
    expect(gw.revoke(run.runId)?.tokens).toEqual({ input: 1000, output: 154, cacheRead: 14, cacheWrite: 0 });
  });
});

describe("a provider that hangs", () => {
  it("before answering: the client gets a timeout error in the provider's shape, and the next request is served", async () => {
    let calls = 0;
    const upstream = await startHttp((_req, res) => {
      calls += 1;
      if (calls === 1) return; // never answers
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "message", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 3, output_tokens: 4 } }));
    });
    servers.push(upstream);
    const gw = await gatewayFor(`http://127.0.0.1:${upstream.port}`, { headersTimeoutMs: 300 });
    const run = gw.register({ runId: "hang", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1000 }] });
    const res = await post(gw, run.token, "hi");
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("timeout_error");
    expect(body.error.message).toContain("did not answer within 300 ms");
    expect(gw.report(run.runId)?.totalTokens).toBe(0);
    const ok = await post(gw, run.token, "again");
    expect(ok.status).toBe(200);
    await ok.text();
    // The hung request's reservation was released: the run can still use nearly its whole cap.
    expect(gw.revoke(run.runId)?.totalTokens).toBe(7);
  });

  it("mid-stream: the stream ends with an error event and what was reported so far is charged", async () => {
    const upstream = await pacedServer(() => new Promise(() => undefined));
    servers.push(upstream);
    const gw = await gatewayFor(`http://127.0.0.1:${upstream.port}`, { idleTimeoutMs: 300 });
    const run = gw.register({ runId: "stall", modelKeys: { anthropic: "sk-real" } });
    const res = await post(gw, run.token, "hi");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("first words");
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"timeout_error","message":"gitcrew: the anthropic API stalled for 300 ms mid-response"\}\}/);
    expect(gw.revoke(run.runId)?.tokens).toEqual({ input: 500, output: 1, cacheRead: 7, cacheWrite: 0 });
  });
});
