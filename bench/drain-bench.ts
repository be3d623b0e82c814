/**
 * The measured side of bench/drain.mjs, in its own process: a crew with one
 * trivial `command` agent (concurrency 8), N runs queued in the store, then a
 * `gitcrew serve` worker (concurrency 8) with the real pipeline executor
 * (executeJob → Runner → hardened container) drains the queue. Prints one
 * JSON line with the timings.
 *
 * The runs are schedule-shaped (no issue thread, no changes): executeJob then
 * makes no GitHub call, so what is measured is the queue, the worker and the
 * container per run. Each run has its own thread key so that all 8 slots fill.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadCrewFromDir } from "../src/crew/load.js";
import { normalize } from "../src/events/normalize.js";
import { jobsOf } from "../src/pipeline/prepare.js";
import { plan } from "../src/plan/plan.js";
import { createDefaultPipeline } from "../src/server/default-pipeline.js";
import { startServer } from "../src/server/index.js";
import { readSettings } from "../src/server/settings.js";
import { openStore } from "../src/store/index.js";
import { FINAL_STATUSES } from "../src/store/types.js";

const [countArg, storeArg, concurrencyArg] = process.argv.slice(2);
const COUNT = Number(countArg ?? 1000);
const CONCURRENCY = Number(concurrencyArg ?? 8);

const root = mkdtempSync(join(tmpdir(), "gitcrew-drain-"));
const repo = join(root, "repo");
const files: Record<string, string> = {
  "README.md": "# drain\n",
  ".gitcrew/crew.cue": 'defaults: limits: { timeout: "2m", memory: "256m", cpus: 1 }\n',
  ".gitcrew/agents/tick/agent.yaml": `runtime: command\ncommand: ["sh", "-c", "echo ok"]\nconcurrency: ${CONCURRENCY}\ntriggers:\n  schedule: ["0 0 1 1 *"]\n`,
  ".gitcrew/agents/tick/instructions.md": "Say ok.\n",
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}
const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=b", "-c", "user.email=b@example.invalid", ...args]);
git("init", "-q", "-b", "main");
git("add", "-A");
git("commit", "-qm", "crew");

const loaded = await loadCrewFromDir(repo);
if (!loaded.crew) throw new Error(`bench crew: ${JSON.stringify(loaded.errors)}`);
const normalized = normalize("schedule", { schedule: "0 0 1 1 *", repository: { name: "drain", full_name: "bench/drain", owner: { login: "bench" }, default_branch: "main" } });
if (!normalized.ok) throw new Error(normalized.ignored);
const [job] = jobsOf(plan(normalized.trigger, loaded.crew, { permission: "none" }), loaded.crew);
if (!job) throw new Error("the bench agent was not planned");

const store = await openStore(storeArg || join(root, "gitcrew.db"));
const env = { ...process.env, GITCREW_HOME: join(root, "home") };
const settings = readSettings({ repo, "webhook-secret": "bench", "github-token": "unused", "github-api-url": "http://127.0.0.1:9", instance: "drain", concurrency: String(CONCURRENCY) }, {}, "");
const pipeline = await createDefaultPipeline({ repo, store, env, cwd: root, log: () => undefined, settings });

const t0 = performance.now();
for (let i = 0; i < COUNT; i++) {
  await store.enqueue(`drain-${i}`, `drain-${i}`, { agent: "tick", threadKey: `bench/drain#${i}`, agentLimit: CONCURRENCY, plan: { ...job, planned: { ...job.planned, threadKey: `bench/drain#${i}` } } }, Date.now());
}
const enqueueMs = performance.now() - t0;

const logs: string[] = [];
const t1 = performance.now();
const server = await startServer({ store, pipeline, webhookSecret: "bench", apiToken: "bench", host: "127.0.0.1", port: 0, concurrency: CONCURRENCY, instance: "drain", pollMs: 100, log: (l) => logs.push(l) });
let counts = await store.countByStatus();
for (;;) {
  counts = await store.countByStatus();
  const done = FINAL_STATUSES.reduce((n, s) => n + counts[s], 0);
  if (done >= COUNT) break;
  await new Promise((r) => setTimeout(r, 200));
}
const drainMs = performance.now() - t1;
await server.stop(5000);
const runs = await store.listRuns({ limit: COUNT + 10 });
const containers = new Set(runs.map((r) => r.containerId).filter(Boolean));
// Containers of these runs still present (the runner removes each one after its run).
const leftovers = execFileSync("docker", ["ps", "-a", "--filter", "label=gitcrew.run", "--format", '{{.Label "gitcrew.run"}}'], { encoding: "utf8" })
  .split("\n")
  .filter((id) => id.startsWith("drain-")).length;
await store.close();
rmSync(root, { recursive: true, force: true });
console.log(
  JSON.stringify({
    count: COUNT,
    concurrency: CONCURRENCY,
    store: store.kind,
    enqueueMs,
    drainMs,
    counts,
    distinctContainers: containers.size,
    maxAttempt: Math.max(...runs.map((r) => r.attempt)),
    leftovers,
    errors: runs.filter((r) => r.status !== "succeeded").slice(0, 5).map((r) => `${r.id}: ${r.error ?? r.status}`),
    sample: logs.filter((l) => !/: succeeded$/.test(l)).slice(0, 5),
  }),
);
process.exit(0);
