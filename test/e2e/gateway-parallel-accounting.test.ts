/**
 * Eight runs at once through one runner's gateway (real Docker engine,
 * gitcrew/command image, one process's gateway): each run's scripted agent
 * calls the scripted Messages API through the gateway a different number of
 * times (run i: i calls, streamed or not), and the model reports usage that
 * names the run and the call. Each run's result and record hold exactly its
 * own requests' tokens and USD, each thread's ledger row exactly its run's,
 * and the agent's day row in the store exactly the sum of all eight.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentDayKey, threadBudgetKey } from "../../src/crew/budgets.js";
import { containerSpec } from "../../src/plan/container.js";
import { newRunId } from "../../src/runner/owner.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { openStore } from "../../src/store/index.js";
import { StoreLedger } from "../../src/store/ledger.js";
import type { Store } from "../../src/store/types.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { type FakeAnthropic, type MessagesBody, startFakeAnthropic } from "../support/fake-anthropic/server.js";
import { makeCrewRepo } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";
import { BACKENDS } from "../support/stores.js";

const REAL_KEY = "sk-ant-real-key-for-parallel-accounting";
const MODEL = "gitcrew-e2e-model";
const RUNS = 8;
/** USD per million tokens, registered with each run as crew.cue `prices` would be. */
const PRICE = { inputMtok: 3, outputMtok: 15 };

/** The agent: `run-<i> calls=<n>` on stdin; n model calls through the gateway; a result object as Claude Code prints it. */
const AGENT = `
let prompt = "";
for await (const c of process.stdin) prompt += c;
// A Claude Code run's stdin starts with a newline (the claude adapter's stdinLead).
const [, run, calls] = /^\\n(run-\\d+) calls=(\\d+)/.exec(prompt);
for (let k = 1; k <= Number(calls); k++) {
  const res = await fetch(process.env.ANTHROPIC_BASE_URL + "/v1/messages", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": process.env.ANTHROPIC_API_KEY, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "${MODEL}", max_tokens: 500, stream: k % 2 === 0, messages: [{ role: "user", content: run + " req-" + k }] }),
  });
  const text = await res.text();
  if (res.status !== 200) { console.log(JSON.stringify({ type: "result", subtype: "error", is_error: true, result: run + " got " + res.status + " " + text })); process.exit(1); }
}
console.log(JSON.stringify({ type: "result", subtype: "success", is_error: false, result: run + " done", session_id: "s-" + run }));
`;

/** What the model reports for call k of run i: tokens that name both. */
const usageOf = (i: number, k: number) => ({ inputTokens: 1000 * i + k, outputTokens: 10 * i + k });

function expected(i: number): { input: number; output: number; usd: number } {
  let input = 0;
  let output = 0;
  for (let k = 1; k <= i; k++) {
    input += usageOf(i, k).inputTokens;
    output += usageOf(i, k).outputTokens;
  }
  return { input, output, usd: (input * PRICE.inputMtok + output * PRICE.outputMtok) / 1e6 };
}

describe("eight parallel runs on one gateway are each charged exactly their own usage (real Docker engine)", () => {
  let repo: string;
  let home: string;
  let model: FakeAnthropic;
  let store: Store;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    repo = await makeCrewRepo([], { "agent.mjs": AGENT });
    home = tempHome();
    model = await startFakeAnthropic({
      isAgentTurn: () => true,
      script: Array.from({ length: (RUNS * (RUNS + 1)) / 2 }, () => (body: MessagesBody) => {
        const [, i, k] = /^run-(\d+) req-(\d+)$/.exec(String(body.messages[0]?.content)) ?? [];
        return { text: `answer to run-${i} req-${k}`, usage: usageOf(Number(i), Number(k)) };
      }),
    });
    store = await openStore(await BACKENDS[0]!.fresh("parallel-accounting"));
    runner = await Runner.start({
      env: { ...process.env, GITCREW_HOME: home, ANTHROPIC_API_KEY: REAL_KEY, GITCREW_ANTHROPIC_UPSTREAM: model.url },
      ledger: new StoreLedger(store),
    });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await model?.close();
    await store?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("books each run's tokens and USD to that run, its thread and the agent's day, exactly", async () => {
    // Claude's gateway wiring (base URL and run token), in the small command image running the script above.
    const agent = testAgent({ image: "gitcrew/command:latest", limits: { timeout: 300, memory: 256 * 1024 ** 2, cpus: 0.5, pids: 64, network: { allow: [] } } });
    const budgets = { agent_day: { tokens: 50_000_000 }, thread: { tokens: 50_000_000 }, agents: {} };
    const day = agentDayKey(agent.name, new Date());
    const runs = Array.from({ length: RUNS }, (_, n) => n + 1).map(async (i) => {
      const runId = newRunId();
      const threadKey = `local/acct#${i}`;
      const branch = `gitcrew/dev/${runId}`;
      const prompt = `run-${i} calls=${i}`;
      const spec = containerSpec({ agent, prompt, repo: "local/acct", threadKey, branch, budgets, prices: { [MODEL]: PRICE } });
      const logs: string[] = [];
      const result = await runner.run({
        planned: { agent: agent.name, reason: "e2e", prompt, threadKey, branch, ref: "main", container: { ...spec, argv: ["node", "/workspace/agent.mjs"] }, untrusted: [] },
        agent,
        repoDir: repo,
        repo: "local/acct",
        runId,
        observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(ev.line) : undefined) },
      });
      return { i, runId, threadKey, result, logs };
    });
    const done = await Promise.all(runs);

    let dayTokens = 0;
    let dayUsd = 0;
    for (const { i, runId, threadKey, result, logs } of done) {
      const want = expected(i);
      expect(result.status, `run-${i}: ${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
      expect(result.answer).toBe(`run-${i} done`);
      const account = (r: RunResult | undefined) => ({
        input: r?.gateway?.tokens.input,
        output: r?.gateway?.tokens.output,
        requests: r?.gateway?.byModel.reduce((n, m) => n + m.requests, 0),
      });
      // The result, and the record `gitcrew ps` and `logs` read.
      const record = runner.records.get(runId)?.result;
      for (const r of [result, record]) {
        expect(account(r), `run-${i}`).toEqual({ input: want.input, output: want.output, requests: i });
        expect(r?.gateway?.costUsd).toBeCloseTo(want.usd, 12);
        expect(r?.gateway?.unpricedModels).toEqual([]);
      }
      // The thread's ledger row: this run's spend and nobody else's.
      const thread = await store.spent(threadBudgetKey("local/acct", i));
      expect(thread.tokens, threadKey).toBe(want.input + want.output);
      expect(thread.usd).toBeCloseTo(want.usd, 9);
      dayTokens += want.input + want.output;
      dayUsd += want.usd;
    }
    // The agent's day: exactly the eight runs together.
    const spent = await store.spent(day);
    expect(spent.tokens).toBe(dayTokens);
    expect(spent.usd).toBeCloseTo(dayUsd, 9);
    // Every call reached the model once, with the real key.
    const posts = model.requests.filter((q) => q.method === "POST");
    expect(posts).toHaveLength((RUNS * (RUNS + 1)) / 2);
    for (const q of posts) expect(q.headers["x-api-key"]).toBe(REAL_KEY);
    expect(model.errors).toEqual([]);
  }, 600_000);
});
