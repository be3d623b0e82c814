/** A repo with a crew behind the GitHub double, a clone for gitcrew, and helpers to drive approvals. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Crew } from "../../src/crew/types.js";
import { connectGitHub, type GitHubClient } from "../../src/github/index.js";
import { loadDefaultCrew } from "../../src/pipeline/crew-source.js";
import { prepareEvent } from "../../src/pipeline/prepare.js";
import type { Prepared, RunJob, Services } from "../../src/pipeline/types.js";
import type { RunResult } from "../../src/runner/types.js";
import { queueFollowUps, type QueuedFollowUps } from "../../src/server/follow-ups.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

export const CREW_FILES: Record<string, string> = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n',
  ".gitcrew/agents/dev/agent.yaml": "runtime: claude\ngated: [merge]\n",
  ".gitcrew/agents/dev/instructions.md": "You are careful.\n",
  ".gitcrew/agents/ops/agent.yaml": 'runtime: command\ncommand: ["sh", "-c", "true"]\nallow:\n  permission: write\n',
  ".gitcrew/agents/ops/instructions.md": "Operate.\n",
  ".gitcrew/agents/reviewer/agent.yaml": 'runtime: command\ncommand: ["sh", "-c", "true"]\ntriggers:\n  mention: false\n  events: ["pull_request.opened"]\n',
  ".gitcrew/agents/reviewer/instructions.md": "Review.\n",
};

export const BOT = "gitcrew[bot]";

export interface World {
  env: DoubleRepo;
  gh: GitHubClient;
  s: Services;
  rid: { owner: string; repo: string };
  work: string;
  /** The server's store (server mode: a SQLite file, or `storeSpec`); undefined = Action mode (no `once`). */
  store?: Store;
  /** What `gitcrew serve` does with approval follow-ups a delivery or reconcile produced (server mode). */
  queue(jobs: RunJob[], deliveryId?: string): Promise<QueuedFollowUps>;
  crew(): Promise<Crew>;
  deliver(event: string, payload: unknown, deliveryId?: string): Promise<Prepared>;
  /** The last produced webhook of this event (and action). */
  lastProduced(event: string, action?: string): Record<string, unknown>;
  close(): Promise<void>;
}

export async function makeWorld(opts: { store?: boolean; storeSpec?: string; files?: Record<string, string>; client?: (gh: GitHubClient) => GitHubClient } = {}): Promise<World> {
  const env = await startDoubleWithRepo("acme/widgets", opts.files ?? CREW_FILES);
  const work = mkdtempSync(join(tmpdir(), "gitcrew-approvals-clone-"));
  execFileSync("git", ["clone", "--quiet", env.bareDir, work]);
  const raw = await connectGitHub({ auth: { token: env.double.token(BOT, "Bot") }, baseUrl: env.double.url });
  const gh = opts.client ? opts.client(raw) : raw;
  // A store spec (test/support/stores.ts: SQLite or PostgreSQL) implies server mode.
  const store = opts.storeSpec ? await openStore(opts.storeSpec) : opts.store ? await openStore(join(work, ".git", "gitcrew-test.db")) : undefined;
  const s: Services = {
    github: gh,
    runner: { run: () => Promise.reject(new Error("no container in approval tests")) },
    repoDir: work,
    env: {},
    log: () => {},
    ...(store ? { once: (key: string) => store.once(key, "test", Date.now()) } : {}),
  };
  // Labels as a maintainer would have created them (the list route needs a description).
  const labels = env.double.repo(env.fullName).labels;
  labels.set("gitcrew:approval", { id: 9001, name: "gitcrew:approval", color: "0e8a16", description: "gitcrew approval request" });
  labels.set("gitcrew:resolved", { id: 9002, name: "gitcrew:resolved", color: "cccccc", description: "gitcrew acted on this approval" });
  env.double.setPermission(env.fullName, "alice", "write");
  env.double.setPermission(env.fullName, "bob", "write");
  env.double.setPermission(env.fullName, "carol", "maintain");
  let counter = 0;
  const world: World = {
    env,
    gh,
    s,
    rid: { owner: env.owner, repo: env.repo },
    work,
    store,
    async queue(jobs, deliveryId = `q-${++counter}`) {
      if (!store) throw new Error("queue() needs makeWorld({ store: true })");
      const runOf = (job: RunJob) => ({ agent: job.agent.name, threadKey: job.planned.threadKey, agentLimit: 1, plan: job });
      return queueFollowUps(store, s, jobs, deliveryId, runOf);
    },
    async crew() {
      const r = await loadDefaultCrew(work, "main", {});
      if (!r.crew) throw new Error(r.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n"));
      return r.crew;
    },
    async deliver(event, payload, deliveryId) {
      return prepareEvent(s, { event, payload, deliveryId: deliveryId ?? `d-${++counter}` }, await world.crew());
    },
    lastProduced(event, action) {
      const found = [...env.double.produced].reverse().find((p) => p.event === event && (action === undefined || p.payload.action === action));
      if (!found) throw new Error(`no ${event}.${action ?? "*"} produced`);
      return structuredClone(found.payload) as Record<string, unknown>;
    },
    async close() {
      await store?.close();
      await env.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return world;
}

/** A finished run of `job` that asked for these approvals. */
export function resultWith(job: RunJob, approvals: RunResult["approvals"], run = "run-1"): RunResult {
  const now = new Date().toISOString();
  return { run, agent: job.agent.name, status: "succeeded", exitCode: 0, answer: "I need approval.", changedFiles: [], approvals, startedAt: now, finishedAt: now };
}

/** `@dev …` by `user` on a new issue: the job the pipeline would run. */
export async function askDev(w: World, user = "bob", text = "@dev please add a search tool"): Promise<{ issue: number; job: RunJob }> {
  const issue = w.env.double.addIssue(w.env.fullName, { title: "Search", user, body: "We need search." });
  const { payload } = w.env.double.addComment(w.env.fullName, issue.number, user, text);
  const prepared = await w.deliver("issue_comment", payload);
  const job = prepared.jobs[0];
  if (!job) throw new Error(`no job: ${prepared.ignored ?? ""}`);
  return { issue: issue.number, job };
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();
}
