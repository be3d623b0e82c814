/**
 * The dashboard's JSON routes under /api, for the API token and for a
 * signed-in person alike; what a person may see or do is checked here, per
 * repository (principal.ts). Routes `gitcrew ps|logs|cancel|retry` use keep
 * their shapes (api.ts answers them once allowed).
 */
import { RUN_STATUSES, type RunStatus, type Store } from "../../store/types.js";
import { routeApi, type ApiDeps } from "../api.js";
import { repoNameProblem } from "../repo-filter.js";
import type { Gate, Principal } from "./principal.js";
import { fail, json, type Answer } from "./respond.js";
import { runDetail, runRow } from "./run-view.js";
import { isOpen, runApprovals, storedApprovals, withPullDecisions } from "./approvals-view.js";

export interface CrewView {
  repo: string;
  loadedAt?: number;
  sha?: string;
  problems: string[];
  agents: { name: string; runtime: string; model?: string; triggers: unknown; limits: unknown; concurrency?: number; allow: unknown }[];
  /** Who may decide its approval requests, in words (crew.cue approvers; approvals-view.ts). */
  approvers?: string[];
}

export interface ApprovalView {
  id: string;
  repo: string;
  agent: string;
  runId?: string;
  /** What was asked for (`secret`, `permission`, …) and why, as the agent said it (bounded). */
  kind?: string;
  reason?: string;
  pr: { number: number; url: string; state: string };
  approvers: string[];
  /** The run the approval started, when it went on. */
  followUpRunId?: string;
  decidedBy?: string;
  decision?: "approved" | "rejected";
  createdAt: number;
}

export type PullState = "open" | "closed" | "merged";

/** What the rest of the server can tell the dashboard; each is optional. */
export interface DashboardProviders {
  /** Does this instance's Docker engine answer? */
  docker?(): Promise<boolean>;
  /** The crews as loaded from the default branches. */
  crews?(): Promise<CrewView[]>;
  approvals?(state: "open" | "all"): Promise<ApprovalView[]>;
  /** An approval PR's state on GitHub (see approvals-view.ts: decisions the store does not hold). */
  pullState?(repo: string, pullNumber: number): Promise<PullState>;
  /** The last failure talking to GitHub, if recent. */
  githubProblem?(): string | undefined;
}

export interface RouteDeps {
  store: Store;
  api: ApiDeps;
  gate: Gate;
  providers: DashboardProviders;
  now(): number;
  /** The stream's Last-Event-ID header, when the browser reconnects. */
  lastEventId?: string;
  /** GitHub's web address, for the page's links (present when sign-in is configured). */
  webUrl?: string;
}

export type Routed = Answer | { stream: { runId: string; repo: string; after: number } };

const PARAMS: Record<string, string[]> = {
  session: [],
  runs: ["agent", "status", "thread", "repo", "before", "limit"],
  run: [],
  logs: ["after"],
  stream: ["after"],
  cancel: [],
  retry: [],
  queue: ["limit"],
  approvals: ["state"],
  crew: ["repo"],
  health: [],
};

const NO_ACCESS = "you do not have access to this repository's runs";

export async function routeDashboardApi(method: string, url: URL, parts: string[], who: Principal, d: RouteDeps): Promise<Routed> {
  const [resource, id, action, ...rest] = parts;
  const name = resource === "runs" && id !== undefined ? (action ?? "run") : (resource ?? "");
  const allowed = PARAMS[name];
  if (!allowed || rest.length) return fail(404, `no API route ${url.pathname.slice(0, 200)}`);
  const unknown = [...url.searchParams.keys()].find((k) => !allowed.includes(k));
  if (unknown !== undefined) return fail(400, `unknown parameter "${unknown.slice(0, 40)}"${allowed.length ? `; this route takes ${allowed.join(", ")}` : "; this route takes none"}`);
  const post = name === "cancel" || name === "retry";
  if (method !== (post ? "POST" : "GET")) return fail(405, `use ${post ? "POST" : "GET"} ${url.pathname.slice(0, 200)}`);

  if (name === "session") {
    if (who.kind !== "session") return fail(400, "GET /api/session is for the signed-in page; the API token has no session");
    return json(200, { login: who.session.login, avatarUrl: who.session.avatarUrl ?? null, csrf: who.session.csrf, ...(d.webUrl ? { webUrl: d.webUrl } : {}) });
  }
  if (name === "runs") return list(url, who, d);
  if (name === "queue") return queue(url, who, d);
  if (name === "approvals") return approvals(url, who, d);
  if (name === "crew") return crew(url, who, d);
  if (name === "health") return health(who, d);

  const run = await d.store.getRun(id!);
  if (!run) return fail(404, `no run "${id!.slice(0, 200)}"`);
  if (!(await d.gate.canRead(who, run.repo))) return fail(403, NO_ACCESS);
  if (name === "run") {
    const approvals = await withPullDecisions(await runApprovals(d.store, run, (await d.providers.crews?.()) ?? []), d.providers.pullState);
    return json(200, { ...runDetail(run), approvals, canAct: await d.gate.canWrite(who, run.repo) });
  }
  if (name === "stream") {
    const after = afterParam(url.searchParams.get("after") ?? d.lastEventId ?? null);
    if (after === undefined) return fail(400, "after must be a log sequence number");
    return { stream: { runId: run.id, repo: run.repo, after } };
  }
  if (name === "logs") return legacy(method, url, d);
  if (!(await d.gate.canWrite(who, run.repo))) return fail(403, `only people with write access to ${run.repo} may ${name} its runs`);
  return legacy(method, url, d);
}

function afterParam(raw: string | null): number | undefined {
  if (raw === null || raw === "") return 0;
  return /^[0-9]{1,15}$/.test(raw) ? Number(raw) : undefined;
}

async function legacy(method: string, url: URL, d: RouteDeps): Promise<Answer> {
  const reply = await routeApi(method, url, d.api);
  return json(reply.status, reply.body, reply.headers ?? {});
}

const CURSOR = /^([0-9]{1,16})\.([A-Za-z0-9_-]{1,700})$/;
const AGENT = /^[A-Za-z0-9._-]{1,100}$/;

export function encodeCursor(c: { createdAt: number; id: string }): string {
  return `${c.createdAt}.${Buffer.from(c.id).toString("base64url")}`;
}

function decodeCursor(raw: string): { createdAt: number; id: string } | undefined {
  const m = CURSOR.exec(raw);
  return m ? { createdAt: Number(m[1]), id: Buffer.from(m[2]!, "base64url").toString("utf8") } : undefined;
}

async function list(url: URL, who: Principal, d: RouteDeps): Promise<Answer> {
  const q = url.searchParams;
  const status = q.get("status") || undefined;
  if (status && !RUN_STATUSES.includes(status as RunStatus)) return fail(400, `unknown status "${status.slice(0, 40)}"; one of ${RUN_STATUSES.join(", ")}`);
  const repo = q.get("repo") || undefined;
  if (repo !== undefined && repoNameProblem(repo) !== undefined) return fail(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
  const agent = q.get("agent") || undefined;
  if (agent !== undefined && !AGENT.test(agent)) return fail(400, "agent must be an agent's name");
  const thread = q.get("thread") || undefined;
  if (thread !== undefined && thread.length > 300) return fail(400, "thread is too long");
  const rawBefore = q.get("before");
  const before = rawBefore ? decodeCursor(rawBefore) : undefined;
  if (rawBefore && !before) return fail(400, "before must be the `next` of a previous page");
  const rawLimit = q.get("limit");
  let limit: number;
  if (who.kind === "token") {
    // `gitcrew ps --limit N` as before: anything up to 1000.
    limit = Math.min(Number(rawLimit ?? "50") || 50, 1000);
  } else {
    limit = rawLimit === null ? 50 : /^[0-9]{1,3}$/.test(rawLimit) ? Number(rawLimit) : 0;
    if (limit < 1 || limit > 200) return fail(400, "limit must be a whole number from 1 to 200");
  }
  if (who.kind === "token" && !before && !agent) {
    // What `gitcrew ps` asked before pages existed: the same runs, in the same order (including rows older instances wrote without a repository column).
    const runs = await d.store.listRuns({ status: status as RunStatus | undefined, limit, threadKey: thread, repo });
    const last = runs.length === limit ? runs[runs.length - 1] : undefined;
    return json(200, { runs: runs.map(runRow), ...(last ? { next: encodeCursor(last) } : {}) });
  }
  let repos: string[] | undefined;
  if (who.kind === "session") {
    if (repo) {
      if (!(await d.gate.canRead(who, repo))) return fail(403, NO_ACCESS);
    } else repos = await d.gate.readable(who, await d.store.runRepos());
  }
  const page = await d.store.runsPage({ agent, status: status as RunStatus | undefined, threadKey: thread, repo, repos, before, limit });
  return json(200, { runs: page.runs.map(runRow), ...(page.next ? { next: encodeCursor(page.next) } : {}) });
}

async function queue(url: URL, who: Principal, d: RouteDeps): Promise<Answer> {
  const reply = await routeApi("GET", url, d.api);
  if (who.kind === "token" || reply.status !== 200) return json(reply.status, reply.body);
  const body = reply.body as { queue: { repo: string }[] };
  const readable = new Set((await d.gate.readable(who, [...new Set(body.queue.map((e) => e.repo))])).map((r) => r.toLowerCase()));
  const mine = body.queue.filter((e) => readable.has(e.repo.toLowerCase()));
  // The totals would count runs of repositories this person cannot see: theirs only, and no running total.
  const { running: _running, ...rest } = body as typeof body & { running?: number };
  return json(200, { ...rest, queued: mine.length, queue: mine });
}

async function approvals(url: URL, who: Principal, d: RouteDeps): Promise<Answer> {
  const state = url.searchParams.get("state") ?? "open";
  if (state !== "open" && state !== "all") return fail(400, 'state must be "open" or "all"');
  const stored = (await d.providers.approvals?.(state)) ?? (await storedApprovals(d.store, "all", (await d.providers.crews?.()) ?? []));
  const readable = new Set((await d.gate.readable(who, [...new Set(stored.map((a) => a.repo))])).map((r) => r.toLowerCase()));
  const all = await withPullDecisions(stored.filter((a) => readable.has(a.repo.toLowerCase())), d.providers.pullState);
  return json(200, { approvals: state === "all" ? all : all.filter(isOpen) });
}

async function crew(url: URL, who: Principal, d: RouteDeps): Promise<Answer> {
  const repo = url.searchParams.get("repo") ?? undefined;
  if (repo !== undefined && repoNameProblem(repo) !== undefined) return fail(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
  const crews = (await d.providers.crews?.()) ?? [];
  if (repo !== undefined) {
    if (!(await d.gate.canRead(who, repo))) return fail(403, NO_ACCESS);
    const one = crews.find((c) => c.repo.toLowerCase() === repo.toLowerCase());
    return one ? json(200, one) : fail(404, `no crew loaded for ${repo}`);
  }
  const readable = new Set((await d.gate.readable(who, crews.map((c) => c.repo))).map((r) => r.toLowerCase()));
  return json(200, { repos: crews.filter((c) => readable.has(c.repo.toLowerCase())) });
}

/** Instances whose last heartbeat is older than this are left off the health page. */
const INSTANCES_WINDOW_MS = 24 * 3_600_000;

async function health(who: Principal, d: RouteDeps): Promise<Answer> {
  // Instance names and the engine's and GitHub's state are for people of at least one served repository.
  if (who.kind === "session") {
    const served = [...new Set([...((await d.providers.crews?.()) ?? []).map((c) => c.repo), ...(await d.store.runRepos())])];
    if (!(await d.gate.readable(who, served)).length) return fail(403, "you need read access to a repository this server serves");
  }
  const store = await d.store.countByStatus().then(
    () => ({ ok: true, kind: d.store.kind }),
    () => ({ ok: false, kind: d.store.kind, error: "the store does not answer" }),
  );
  const docker = d.providers.docker
    ? await d.providers.docker().then(
        (up) => (up ? { ok: true } : { ok: false, error: "the Docker engine does not answer" }),
        () => ({ ok: false, error: "the Docker engine does not answer" }),
      )
    : { ok: false, error: "this instance runs no worker" };
  const problem = d.providers.githubProblem?.();
  const instances = store.ok ? await d.store.instances.list(d.now() - INSTANCES_WINDOW_MS).catch(() => []) : [];
  return json(200, { store, docker, github: problem ? { ok: false, error: problem } : { ok: true }, instances });
}
