// Driver of bench/first-sign.mjs (bundled by it): real `gitcrew serve` processes, one per checkout
// and variant (SQLite; SQLite with 150 ms added to every GitHub request; PostgreSQL), each with its
// own GitHub double, clone and store, and a `command` agent whose first output line is the
// container's own clock (`date +%s%N`). Per round, in turn: one trigger per target, the floor
// `docker run --rm IMAGE true`, and a bare `docker run` of the same image to its first line.
// Each trigger's milestones come from the clocks of the parts that saw them (all epoch ms on this
// machine): the double's answer to each GitHub request, serve's run record (GET /api/runs/ID:
// queued, claimed), the runner's own record of the run (GITCREW_HOME/runs/ID/run.json: its start
// and timings), the engine's start event and the container's first line.
// Variant llama: the peer action-llama, one target beside them (bench/first-sign-llama.ts).
// Prints JSON: per target, the milestones of every trigger (ms from the signed webhook sent).
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { dockerHostAddress } from "../test/support/fake-anthropic/docker-host.js";
import type { FakeAnthropic } from "../test/support/fake-anthropic/server.js";
import { startDoubleWithRepo, type DoubleRepo } from "../test/support/github-double/index.js";
import { LLAMA_IMAGE, startLlama, type LlamaTarget } from "./first-sign-llama.js";
import { ANSWER, CLAUDE_IMAGE, MODEL_KEY, floorClaude, floorFirstLine, floorTrue, now, scriptedModel, watchContainerStarts, type ScriptedModel } from "./first-sign-parts.js";

const [, , roundsArg, image, variantsArg, ...checkouts] = process.argv;
const imageOf = (variant: string) => (variant === "claude" ? CLAUDE_IMAGE : variant === "llama" ? LLAMA_IMAGE : image!);
const ROUNDS = Number(roundsArg);
const VARIANTS = (variantsArg ?? "sqlite").split(",").filter(Boolean);
const SECRET = "bench-secret";
const API_TOKEN = "bench-api-token";
const REPO = "acme/widgets";
const BOT = "gitcrew-bench[bot]";
const PG_URL = process.env.GITCREW_TEST_PG_URL || "postgres://gitcrew:gitcrew@127.0.0.1:54329/gitcrew";

/** One `gitcrew serve` process: its URL, its root (clone, GITCREW_HOME) and what it printed. */
interface Serve {
  proc: ChildProcess;
  url: string;
  root: string;
  out: () => string;
}

interface Target {
  /** `<checkout> <variant>`: the key of its results. */
  key: string;
  gh: DoubleRepo;
  /** Variant postgres2: two instances on one PostgreSQL, webhooks alternating between them. */
  serves: Serve[];
  schema?: string;
  /** The claude variant's scripted model (on loopback: only the run gateway talks to it) and when it was asked. */
  model?: { fake: FakeAnthropic; asked: number[] };
  /** `METHOD path` → time the double answered its first such request. */
  seen: Map<string, number>;
}

async function pgQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startServe(checkout: string, variant: string, name: string, gh: DoubleRepo, store: string, model?: { fake: FakeAnthropic }): Promise<Serve> {
  // `DIR@KEY=VALUE@…`: the checkout DIR, its serve started with these variables too (e.g. GITCREW_PREPARE_NETWORKS=0).
  const [dir = checkout, ...assignments] = checkout.split("@");
  const extraEnv = Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
  const root = mkdtempSync(join(tmpdir(), "gitcrew-bench-first-"));
  execFileSync("git", ["clone", "--quiet", gh.bareDir, join(root, "clone")]);
  const proc = spawn(process.execPath, [join(dir, "bin", "gitcrew.js"), "serve"], {
    env: {
      ...process.env,
      GITCREW_HOME: join(root, "home"),
      GITCREW_REPO: join(root, "clone"),
      GITCREW_WEBHOOK_SECRET: SECRET,
      GITCREW_API_TOKEN: API_TOKEN,
      GITCREW_STORE: store || join(root, "gitcrew.db"),
      GITCREW_HOST: "127.0.0.1",
      GITCREW_PORT: "0",
      GITCREW_INSTANCE: name,
      GITHUB_TOKEN: gh.double.token(BOT, "Bot"),
      GITHUB_API_URL: gh.double.url,
      ...(model ? { ANTHROPIC_API_KEY: MODEL_KEY, GITCREW_ANTHROPIC_UPSTREAM: model.fake.url } : {}),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.once("exit", (code) => reject(new Error(`gitcrew serve (${checkout}, ${variant}) exited ${code}:\n${out}`)));
  });
  // Ready: the crew is loaded.
  for (let t = 0; t < 600; t++) {
    const r = await fetch(`${url}/readyz`).catch(() => undefined);
    if (r?.ok) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  return { proc, url, root, out: () => out };
}

async function startTarget(checkout: string, variant: string, i: number): Promise<Target> {
  const agent =
    variant === "claude"
      ? `runtime: claude\nmodel: claude-sonnet-4-5\nsecrets: ["ANTHROPIC_API_KEY"]\nlimits:\n  timeout: 4m\n  memory: 2g\n  cpus: 1\n`
      : `runtime: command\nimage: ${image}\ncommand: ["sh", "-c", "date +%s%N; echo done"]\n`;
  const files = {
    "README.md": "# w\n",
    ".gitcrew/crew.cue": 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4 }\n',
    ".gitcrew/agents/dev/agent.yaml": agent,
    ".gitcrew/agents/dev/instructions.md": "Say the time.\n",
  };
  const model = variant === "claude" ? await scriptedModel() : undefined;
  const gh = await startDoubleWithRepo(REPO, files);
  gh.double.setPermission(REPO, "alice", "write");
  if (variant === "github150") gh.double.setLatency(150);
  const seen = new Map<string, number>();
  const push = gh.double.requests.push.bind(gh.double.requests);
  gh.double.requests.push = (...entries) => {
    const at = now();
    for (const e of entries) {
      const key = `${e.method} ${e.path}`;
      if (!seen.has(key)) seen.set(key, at);
    }
    return push(...entries);
  };
  let store = "";
  let schema: string | undefined;
  if (variant.startsWith("postgres")) {
    schema = `bench_first_sign_${randomBytes(4).toString("hex")}`;
    await pgQuery(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL);
    u.searchParams.set("options", `-c search_path=${schema}`);
    store = u.toString();
  }
  const serves = [await startServe(checkout, variant, `bench-${i}`, gh, store, model)];
  // The second instance on the same database (its own clone and home), started once the first has made the schema.
  if (variant === "postgres2") serves.push(await startServe(checkout, variant, `bench-${i}b`, gh, store, model));
  return { key: `${checkout} ${variant}`, gh, serves, seen, ...(schema ? { schema } : {}), ...(model ? { model } : {}) };
}

/** Container start times (epoch ms) by the gitcrew.run label, from `docker events`. */
const { starts, stop: stopWatching } = watchContainerStarts();

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, tries = 6000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface RunView {
  createdAt: number;
  claimedAt?: number;
  startedAt?: number;
}

async function runRecord(t: Target, id: string): Promise<RunView> {
  const r = await fetch(`${t.serves[0]!.url}/api/runs/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  if (!r.ok) throw new Error(`GET /api/runs/${id}: ${r.status}`);
  return ((await r.json()) as { run: RunView }).run;
}

/** The runner's own record of the run: when it began, and its timings from then (ms). */
function runnerRecord(t: Target, label: string): { startedAt: number; workspaceMs: number; startedMs: number } | undefined {
  // The instance that ran it has it.
  const file = t.serves.map((s) => join(s.root, "home", "runs", label, "run.json")).find((f) => existsSync(f));
  if (!file) return undefined;
  const rec = JSON.parse(readFileSync(file, "utf8")) as { result?: { startedAt: string; timings?: { workspaceMs: number; startedMs: number } } };
  const r = rec.result;
  if (!r?.timings) return undefined;
  return { startedAt: Date.parse(r.startedAt), workspaceMs: r.timings.workspaceMs, startedMs: r.timings.startedMs };
}

async function trigger(t: Target, n: number): Promise<Record<string, number>> {
  const { double } = t.gh;
  const issue = double.addIssue(REPO, { title: `round ${n}`, user: "alice" });
  const { payload, comment } = double.addComment(REPO, issue.number, "alice", "@dev what time is it?");
  t.seen.clear();
  // Two instances: the webhooks alternate between them.
  const receiver = t.serves[n % t.serves.length]!;
  const sent = now();
  const id = `bench-${t.serves[0]!.proc.pid}-${n}`;
  // A keep-alive connection the server closed at that moment fails at once: sent again under the same delivery id.
  const d = await double.deliver(`${receiver.url}/webhooks`, "issue_comment", payload, SECRET, id).catch(() => double.deliver(`${receiver.url}/webhooks`, "issue_comment", payload, SECRET, id));
  const answered = now();
  if (d.status !== 202) throw new Error(`webhook answered ${d.status}: ${d.responseBody}`);
  const eyes = await until(() => t.seen.get(`POST /repos/${REPO}/issues/comments/${comment.id}/reactions`), "👀");
  const tracking = await until(() => t.seen.get(`POST /repos/${REPO}/issues/${issue.number}/comments`), "the tracking comment");
  const runLabel = `${d.deliveryId}:dev`.replace(/[^A-Za-z0-9._-]+/g, "_");
  // The first output line (its own clock), or for Claude Code its first request to the model (the model's clock).
  const first = t.model
    ? await until(() => t.model?.asked.find((at) => at > sent), "the first model request", 30_000)
    : await until(() => {
        for (const c of double.comments(REPO, issue.number)) {
          const m = c.user === BOT ? /\b(1\d{18})\b/.exec(c.body) : null;
          if (m?.[1]) return Number(BigInt(m[1]) / 1000n) / 1000;
        }
        return undefined;
      }, "the answer", 15_000);
  if (t.model) await until(() => (double.comments(REPO, issue.number).some((c) => c.user === BOT && c.body.includes(ANSWER)) ? true : undefined), "the answer", 60_000);
  const trackingId = double.comments(REPO, issue.number).find((c) => c.user === BOT)?.id;
  const run = await runRecord(t, `${d.deliveryId}:dev`);
  const runner = await until(() => runnerRecord(t, runLabel), "the runner's record", 5000);
  // The engine's start event; a container started ahead (prepared-runs.ts) started before the trigger:
  // its "start" is the moment its run took it (the runner's record).
  const started = starts.get(runLabel) ?? runner.startedAt + runner.startedMs;
  const permission = t.seen.get(`GET /repos/${REPO}/collaborators/alice/permission`);
  const edited = t.seen.get(`PATCH /repos/${REPO}/issues/comments/${trackingId}`);
  const from = (at: number | undefined) => (at === undefined ? NaN : at - sent);
  // Which instance planned it (its log names the delivery), when there are two.
  const planner = t.serves.findIndex((s) => s.out().includes(`delivery ${d.deliveryId} (`));
  return {
    plannedByReceiver: t.serves.length > 1 ? Number(t.serves[planner] === receiver) : NaN,
    answered: answered - sent,
    eyes: eyes - sent,
    tracking: tracking - sent,
    permission: from(permission),
    queued: from(run.createdAt),
    claimed: from(run.claimedAt),
    trackingEdited: from(edited),
    runnerStart: from(runner.startedAt),
    worktree: from(runner.startedAt + runner.workspaceMs),
    runnerStarted: from(runner.startedAt + runner.startedMs),
    started: started - sent,
    firstLine: first - sent,
  };
}

/** The scripted model of the Claude Code floor (on the bridge), made on first use. */
let floorModel: ScriptedModel | undefined;
async function floorClaudeHere(): Promise<number> {
  floorModel ??= await scriptedModel(await dockerHostAddress("bridge"));
  return floorClaude(floorModel);
}

const targets: Target[] = [];
/** Variant llama: the peer action-llama, one target whatever the checkouts (bench/first-sign-llama.ts). */
let llama: LlamaTarget | undefined;
const results: Record<string, Record<string, number>[]> = {};
/** Per image: `docker run --rm IMAGE true`, and a bare `docker run` to the first line (or first model request). */
const images = [...new Set(VARIANTS.map(imageOf))];
const floors: Record<string, { true: number[]; firstLine: number[] }> = Object.fromEntries(images.map((img) => [img, { true: [], firstLine: [] }]));
try {
  let i = 0;
  for (const variant of VARIANTS) if (variant !== "llama") for (const c of checkouts) targets.push(await startTarget(c, variant, i++));
  if (VARIANTS.includes("llama")) llama = await startLlama("action-llama llama");
  for (const t of targets) results[t.key] = [];
  if (llama) results[llama.key] = [];
  // One warm-up round, not counted (image in the page cache, first clone fetch).
  for (const t of targets) await trigger(t, 0);
  await llama?.trigger(0);
  for (let n = 1; n <= ROUNDS; n++) {
    for (const t of targets) results[t.key]!.push(await trigger(t, n));
    if (llama) results[llama.key]!.push(await llama.trigger(n));
    for (const img of images) {
      floors[img]!.true.push(floorTrue(img));
      floors[img]!.firstLine.push(img === CLAUDE_IMAGE ? await floorClaudeHere() : floorFirstLine(img));
    }
    process.stderr.write(`round ${n}/${ROUNDS}\n`);
    // Every round so far, for `first-sign.mjs --from=FILE` should the run be cut short.
    if (process.env.FIRST_SIGN_PARTIAL) writeFileSync(process.env.FIRST_SIGN_PARTIAL, JSON.stringify({ results, floors, rounds: n }));
  }
} finally {
  for (const t of targets) {
    for (const s of t.serves) {
      if (s.proc.exitCode === null) {
        const exited = new Promise((r) => s.proc.once("exit", r));
        s.proc.kill("SIGTERM");
        await exited;
      }
      rmSync(s.root, { recursive: true, force: true });
    }
    await t.gh.close();
    if (t.schema) await pgQuery(`DROP SCHEMA ${t.schema} CASCADE`).catch(() => undefined);
    await t.model?.fake.close();
  }
  await llama?.stop();
  await floorModel?.fake.close();
  stopWatching();
}
console.log(JSON.stringify({ results, floors }));
