/**
 * The repositories one server serves, each with its own state, created on
 * the first event that needs it (nothing per repository at start): the crew
 * from its default branch (a branch without `.gitcrew/` costs one check,
 * remembered until a push to it), its schedules, its approvals reconcile and
 * its checkout (CheckoutPool). A broken crew stays in its repository: the
 * others go on. `--repo` is the one-repository case: its clone is given (or
 * cloned) at start and its crew loaded then, as before.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { reconcileApprovals } from "../approvals/index.js";
import type { Crew } from "../crew/types.js";
import { createOctokit, GitHubError } from "../github/index.js";
import type { RunJob, RunnerLike, Services } from "../pipeline/types.js";
import type { Store, RunInput } from "../store/types.js";
import { CrewBroken } from "../pipeline/failure-answers.js";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import type { CheckoutPool } from "./checkouts.js";
import { CrewKeeper } from "./crew-keeper.js";
import { queueFollowUps } from "./follow-ups.js";
import type { GitHubAccess } from "./github-access.js";
import type { Readiness } from "./pipeline.js";
import { repoNameProblem, type RepoFilter } from "./repo-filter.js";
import { defaultBranchOf, fetchOrigin, refreshCredentials, webUrlOf } from "./repo.js";
import { Scheduler } from "./schedules.js";

export interface ServedRepo {
  /** OWNER/NAME in lower case. */
  key: string;
  /** As GitHub spelled it last. */
  fullName: string;
  branch: string;
  /** The `repository` object the last webhook carried (schedules send it). */
  repository?: Record<string, unknown>;
  keeper?: CrewKeeper;
  scheduler?: Scheduler;
  /** The default branch was checked and has no `.gitcrew/`. */
  noCrewOn?: string;
  loading?: Promise<void>;
  reconciling?: Promise<void>;
  cannotReconcile?: string;
  /** The commit whose broken crew was reported in the repository (a failed check run). */
  reportedBroken?: string;
}

/** The one repository of `--repo`: its clone is used as it is. */
export interface FixedRepo {
  dir: string;
  managed: boolean;
  fullName?: string;
  branch: string;
}

export interface ServedReposOptions {
  fixed?: FixedRepo;
  filter?: RepoFilter;
  pool: CheckoutPool;
  access: GitHubAccess;
  store: Store;
  env: NodeJS.ProcessEnv;
  instance: string;
  log(line: string): void;
  runOf(job: RunJob): RunInput;
  scheduleEveryMs?: number;
  now?: () => number;
}

export type CrewFor = { repo: ServedRepo; crew: Crew } | { ignored: string };

export class ServedRepos {
  private readonly repos = new Map<string, ServedRepo>();
  /** Repositories that left (installation removed, archived, deleted), with why: their deliveries are ignored. */
  private readonly removed = new Map<string, string>();

  constructor(private readonly o: ServedReposOptions) {}

  get fixed(): FixedRepo | undefined {
    return this.o.fixed;
  }

  /** Every repository with state now. */
  all(): ServedRepo[] {
    if (this.o.fixed) return [this.get("")];
    return [...this.repos.values()];
  }

  /** Why a delivery for `fullName` is not served, or undefined when it is. */
  whyNot(fullName: unknown): string | undefined {
    const fixed = this.o.fixed;
    if (fixed) {
      if (typeof fullName === "string" && repoNameProblem(fullName)) return `the payload's repository ${repoNameProblem(fullName) ?? ""}`;
      if (fixed.fullName && typeof fullName === "string" && fullName.toLowerCase() !== fixed.fullName.toLowerCase()) return `delivery for ${fullName}; this server runs ${fixed.fullName}`;
      return undefined;
    }
    const problem = repoNameProblem(fullName);
    if (problem) return `the payload's repository ${problem}`;
    const name = fullName as string;
    if (this.o.filter && !this.o.filter.allows(name)) return `${name} is not on --repos (${shortList(this.o.filter.patterns)})`;
    const gone = this.removed.get(name.toLowerCase());
    if (gone) return `${name} is no longer served: ${gone}`;
    return undefined;
  }

  /** The state of a served repository (created now, without any I/O). With --repo, always the one. */
  get(fullName: string): ServedRepo {
    const f = this.o.fixed;
    if (f) {
      this.single ??= { key: (f.fullName ?? "").toLowerCase(), fullName: f.fullName ?? "", branch: f.branch };
      if (!this.single.fullName && fullName) {
        this.single.fullName = f.fullName = fullName;
        this.single.key = fullName.toLowerCase();
      }
      return this.single;
    }
    const key = fullName.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      repo = { key, fullName, branch: "main" };
      this.repos.set(key, repo);
    }
    return repo;
  }

  private single?: ServedRepo;

  /** The fixed repository's state, named or not yet. */
  fixedRepo(): ServedRepo | undefined {
    return this.o.fixed ? this.get("") : undefined;
  }

  /** What a webhook says about the repository: its object, its default branch. */
  noteRepository(repo: ServedRepo, repository: Record<string, unknown>): void {
    repo.repository = repository;
    if (typeof repository.full_name === "string" && repository.full_name) repo.fullName = repository.full_name;
    const branch = repository.default_branch;
    if (typeof branch === "string" && branch && branch !== repo.branch) {
      repo.branch = branch;
      if (repo.keeper) repo.keeper.branch = branch;
      repo.noCrewOn = undefined;
    }
  }

  /** Log lines of one repository say which (not with --repo: one repository, as before). */
  logFor(repo: ServedRepo): (line: string) => void {
    return this.o.fixed ? this.o.log : (line) => this.o.log(`${repo.fullName}: ${line}`);
  }

  /** The clone to work in, held until `release`. */
  async checkout(repo: ServedRepo): Promise<{ dir: string; release(): void; cloned?: boolean }> {
    const f = this.o.fixed;
    if (f) {
      // An OWNER/NAME clone keeps its stored credential current (installation tokens expire after an hour),
      // written only when the token changed: a git process per delivery was most of intake's git work.
      if (f.managed) {
        const token = await this.o.access.token(f.fullName).catch(() => undefined);
        if (token && token !== this.fixedToken) {
          await refreshCredentials({ dir: f.dir, managed: true }, this.o.access.apiUrl, token);
          this.fixedToken = token;
        }
      }
      return { dir: f.dir, release: () => undefined };
    }
    return this.o.pool.acquire(repo.fullName);
  }

  /** The token last written into the fixed clone's config. */
  private fixedToken: string | undefined;

  /**
   * The crew to plan with, loaded on the first event that needs it. A default
   * branch without `.gitcrew/` is checked once (no clone) and remembered
   * until a push to it. No usable crew (broken on its first load) is a
   * temporary failure: the delivery waits, as with one repository.
   */
  async crewFor(repo: ServedRepo): Promise<CrewFor> {
    if (repo.noCrewOn === repo.branch) return { ignored: `${repo.fullName} has no .gitcrew/ on ${repo.branch} (checked once; a push to ${repo.branch} checks again)` };
    if (!repo.keeper) {
      repo.loading ??= this.firstLoad(repo).finally(() => (repo.loading = undefined));
      await repo.loading;
      if (!repo.keeper) return { ignored: `${repo.fullName} has no .gitcrew/ on ${repo.branch} (checked once; a push to ${repo.branch} checks again)` };
    }
    const keeper = repo.keeper;
    const crew = keeper.current.crew;
    if (!crew) throw new CrewBroken(repo.branch, keeper.current.problem ?? "it is not loaded yet");
    return { repo, crew };
  }

  /**
   * After start, in the background: the clones a previous process left are
   * repositories with a crew; their crews are loaded (one at a time) so that
   * their schedules fire without waiting for an event. Start-up itself does
   * nothing per repository; a repository without a clone waits for its first event.
   */
  async warmUp(root: string): Promise<void> {
    if (this.o.fixed) return;
    const names: string[] = [];
    for (const owner of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, owner)).catch(() => [] as string[])) {
        const fullName = `${owner}/${name}`;
        if (!this.whyNot(fullName) && existsSync(join(root, owner, name, ".git"))) names.push(fullName);
      }
    }
    if (names.length === 0) return;
    this.o.log(`repos: loading the crews of ${names.length} repositories cloned before (their schedules)`);
    for (const name of names) {
      const repo = this.get(name);
      if (repo.keeper) continue;
      // No webhook has named its default branch yet: the clone's origin/HEAD does.
      if (!repo.repository) repo.branch = await defaultBranchOf(join(root, ...name.split("/")));
      await this.crewFor(repo).catch((err: unknown) => this.logFor(repo)(`crew: ${errorMessage(err)}`));
    }
  }

  /** Fetch the default branch and reload the crew (a push to it, the periodic fetch). */
  async refresh(repo: ServedRepo, why: string): Promise<void> {
    if (!repo.keeper) return;
    const co = await this.checkout(repo);
    try {
      await fetchOrigin(co.dir, this.logFor(repo));
      await repo.keeper.reload(why);
    } finally {
      co.release();
    }
    await this.reportCrew(repo);
    if (!this.o.fixed) await this.o.pool.measured(repo.fullName).catch(() => undefined);
  }

  /** A push to the default branch: a repository without a crew is checked again at its next event. */
  pushedDefaultBranch(repo: ServedRepo): void {
    repo.noCrewOn = undefined;
  }

  private async firstLoad(repo: ServedRepo): Promise<void> {
    const log = this.logFor(repo);
    if (!this.o.fixed && !(await this.hasCrewDir(repo))) {
      repo.noCrewOn = repo.branch;
      log(`crew: no .gitcrew/ on ${repo.branch}; its events are ignored until a push to ${repo.branch}`);
      return;
    }
    const co = await this.checkout(repo);
    try {
      const keeper = new CrewKeeper(co.dir, repo.branch, this.o.env, log);
      // A clone made just now is as fresh as a fetch would make it.
      if (!co.cloned) await fetchOrigin(co.dir, log);
      await keeper.reload(this.o.fixed ? "start" : "first event");
      repo.keeper = keeper;
    } finally {
      co.release();
    }
    await this.reportCrew(repo);
    this.startSchedules(repo);
    void this.reconcile(repo, this.o.fixed ? "start" : "first event");
  }

  /** The one check of a repository never seen: does its default branch have `.gitcrew/`? (GitHub's contents API, no clone.) */
  private async hasCrewDir(repo: ServedRepo): Promise<boolean> {
    const [owner = "", name = ""] = repo.fullName.split("/");
    const octokit = createOctokit({ token: await this.o.access.token(repo.fullName), baseUrl: this.o.access.apiUrl });
    try {
      await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo: name, path: ".gitcrew", ref: repo.branch });
      return true;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404) return false;
      if (err instanceof GitHubError && err.status === 404) return false;
      if (typeof status === "number" && (status >= 500 || status === 429)) throw new EnvironmentError(`cannot check ${repo.fullName} for .gitcrew/: GitHub answered ${status}`);
      // Anything else: clone and look (the crew's own load says what is wrong).
      return true;
    }
  }

  /**
   * A broken crew is reported in its repository, where its authors look: a
   * failed check run "gitcrew crew" on the commit whose `.gitcrew/` does not
   * load (once per commit); the next good commit gets a successful one.
   */
  private async reportCrew(repo: ServedRepo): Promise<void> {
    const state = repo.keeper?.current;
    const [owner, name] = repo.fullName.split("/");
    if (!state || !owner || !name) return;
    const broken = state.problem && state.problemCommit ? state.problemCommit : undefined;
    if (broken === repo.reportedBroken || (!broken && !repo.reportedBroken)) return;
    const headSha = broken ?? state.commit;
    if (!headSha) return;
    const log = this.logFor(repo);
    try {
      const github = await this.o.access.client(repo.fullName);
      const output = broken
        ? {
            title: `The crew on ${repo.branch} does not load`,
            summary:
              `gitcrew reads its agents from \`.gitcrew/\` on ${repo.branch}; at this commit they do not load, so ` +
              (state.crew ? `gitcrew keeps running the last good crew (${state.commit?.slice(0, 12) ?? "?"}).` : "no agent runs until a commit fixes it.") +
              `\n\n${(state.problem ?? "").split("; ").map((p) => `- ${p.replace(/[\x60~<>]/g, "'")}`).join("\n")}`,
          }
        : { title: `The crew on ${repo.branch} loads again`, summary: "gitcrew runs the agents of this commit." };
      await github.createCheckRun({ owner, repo: name }, { name: "gitcrew crew", headSha, status: "completed", conclusion: broken ? "failure" : "success", output });
      repo.reportedBroken = broken;
      log(`crew: ${broken ? "reported as broken" : "reported as fixed"} in ${repo.fullName} (check run "gitcrew crew" on ${headSha.slice(0, 12)})`);
    } catch (err) {
      log(`crew: could not report the crew's state in ${repo.fullName} as a check run: ${errorMessage(err)}`);
    }
  }

  private closed = false;

  private startSchedules(repo: ServedRepo): void {
    // Closed, or stopped while its first load was in flight: no timer for a repository no longer served.
    if (repo.scheduler || this.closed || (!this.o.fixed && this.repos.get(repo.key) !== repo)) return;
    const web = webUrlOf(this.o.access.apiUrl);
    repo.scheduler = new Scheduler({
      store: this.o.store,
      crew: () => repo.keeper?.current.crew,
      repository: () => repo.repository ?? (repo.fullName ? repositoryObject(repo.fullName, repo.branch, web) : undefined),
      log: this.logFor(repo),
      now: this.o.now,
      everyMs: this.o.scheduleEveryMs,
      // Several repositories may have an agent of the same name: their schedule ids differ by repository.
      ...(this.o.fixed ? {} : { idSuffix: createHash("sha256").update(repo.key).digest("hex").slice(0, 10) }),
    });
    repo.scheduler.start();
  }

  /**
   * Approval PRs merged or closed while no instance listened, or whose follow-up
   * was claimed but never queued: resolved at the first load and on every
   * periodic fetch. Claims and the follow-up's run id make this safe to repeat.
   */
  reconcile(repo: ServedRepo, why: string): Promise<void> {
    repo.reconciling ??= this.reconcileOnce(repo, why)
      .catch((err: unknown) => this.logFor(repo)(`approvals: reconcile (${why}) failed: ${errorMessage(err)}`))
      .finally(() => (repo.reconciling = undefined));
    return repo.reconciling;
  }

  private async reconcileOnce(repo: ServedRepo, why: string): Promise<void> {
    const log = this.logFor(repo);
    const crew = repo.keeper?.current.crew;
    const [o, n] = repo.fullName.split("/");
    const whyNot = !crew
      ? `no crew is loaded (${repo.keeper?.readiness().reason ?? "not loaded"})`
      : !o || !n
        ? "the repository's name is not known yet (the clone's origin is a local path: the first webhook names it)"
        : "";
    if (!crew || !o || !n) {
      // Said once per reason, not on every tick.
      if (whyNot !== repo.cannotReconcile) log(`approvals: reconcile (${why}) cannot run: ${whyNot}; approval PRs merged or closed meanwhile are resolved once it can`);
      repo.cannotReconcile = whyNot;
      return;
    }
    repo.cannotReconcile = "";
    const co = await this.checkout(repo);
    try {
      const svc = await this.services(repo, co.dir, NO_RUNNER);
      const jobs = await reconcileApprovals(svc, crew, { owner: o, repo: n });
      const { queued } = await queueFollowUps(this.o.store, svc, jobs, `reconcile-${Date.now()}`, this.o.runOf);
      for (const r of queued) log(`approvals: follow-up ${r.id} queued (reconcile, ${why}): ${(r.plan as RunJob).note ?? r.agent}`);
    } finally {
      co.release();
    }
  }

  /** GitHub, the clone and the runner for work in one repository. */
  async services(repo: ServedRepo, dir: string, runner: RunnerLike): Promise<Services> {
    const name = repo.fullName || undefined;
    return {
      github: await this.o.access.client(name),
      // With a GitHub App, a run acts with a token narrowed to its agent's `permissions`.
      clientFor: (agent) => this.o.access.client(name, agent.permissions),
      // The same narrowed token for GitHub inside the run (through the run gateway), asked again per request so it stays fresh.
      ...(this.o.access.isApp
        ? { githubFor: async (agent) => ({ token: () => this.o.access.token(name, agent.permissions), apiUrl: this.o.access.apiUrl ?? "https://api.github.com", gitUrl: webUrlOf(this.o.access.apiUrl) }) }
        : {}),
      runner,
      repoDir: dir,
      env: this.o.env,
      log: this.logFor(repo),
      serverUrl: webUrlOf(this.o.access.apiUrl),
      once: (key) => this.o.store.once(key, this.o.instance, Date.now()),
      recordDecision: (d) => this.o.store.approvalDecisions.record({ ...d, at: Date.now() }),
    };
  }

  /** Serve it again (installed, added, unarchived), if the list allows it. */
  start(fullName: string, why: string): void {
    if (this.o.fixed || repoNameProblem(fullName)) return;
    const was = this.removed.delete(fullName.toLowerCase());
    const allowed = !this.o.filter || this.o.filter.allows(fullName);
    this.o.log(`repos: ${fullName} ${why}: ${allowed ? (was ? "served again" : "served") : `not served (not on --repos)`}`);
  }

  /** Serve it no more (removed from the installation, renamed, transferred, archived, deleted): its state and checkout go. */
  async stop(fullName: string, why: string): Promise<void> {
    // Names off the list were never served: nothing to stop, nothing to remember.
    if (this.o.fixed || repoNameProblem(fullName) || (this.o.filter && !this.o.filter.allows(fullName))) return;
    const key = fullName.toLowerCase();
    this.removed.set(key, why);
    const repo = this.repos.get(key);
    repo?.scheduler?.stop();
    this.repos.delete(key);
    this.o.access.forget(fullName);
    const had = this.o.pool.has(fullName);
    await this.o.pool.remove(fullName, why);
    this.o.log(`repos: ${fullName} ${why}: no longer served${had ? "; its checkout is removed" : ""}`);
  }

  /** A new name (renamed, transferred) is served like any other: it was not removed. */
  renamed(from: string, to: string, why: string): Promise<void> {
    this.removed.delete(to.toLowerCase());
    return this.stop(from, `${why} to ${to}`);
  }

  /** /readyz: one repository's crew, or (with many) which are broken, never failing the whole server for one. */
  readiness(only?: string): Readiness {
    if (this.o.fixed) {
      const keeper = this.fixedRepo()?.keeper;
      return keeper ? keeper.readiness() : { ready: false, reason: `the crew on ${this.o.fixed.branch} is not loaded yet` };
    }
    if (only !== undefined) {
      const why = this.whyNot(only);
      if (why) return { ready: false, reason: why };
      const repo = this.repos.get(only.toLowerCase());
      if (!repo?.keeper) return { ready: true, reason: repo?.noCrewOn ? `no .gitcrew/ on ${repo.noCrewOn}` : "not loaded yet (loaded at its first event)" };
      return repo.keeper.readiness();
    }
    const broken: Record<string, string> = {};
    for (const repo of this.repos.values()) {
      const r = repo.keeper?.readiness();
      if (r && !r.ready) broken[repo.fullName] = r.reason ?? "not ready";
    }
    return Object.keys(broken).length ? { ready: true, repos: broken } : { ready: true };
  }

  close(): void {
    this.closed = true;
    for (const repo of this.all()) repo.scheduler?.stop();
  }
}

const NO_RUNNER: RunnerLike = { run: () => Promise.reject(new Error("planning does not run containers")) };
export { NO_RUNNER };

/** The `repository` object of a synthesized event when no webhook has shown the real one yet. */
export function repositoryObject(fullName: string, defaultBranch: string, web: string): Record<string, unknown> {
  const [owner = "", name = ""] = fullName.split("/");
  return { name, full_name: fullName, owner: { login: owner }, default_branch: defaultBranch, private: true, html_url: `${web}/${fullName}` };
}

/** The patterns for a log line: all of a short list, the start of a long one. */
function shortList(patterns: readonly string[]): string {
  const all = patterns.join(",");
  return all.length <= 200 ? all : `${all.slice(0, 200)}… (${patterns.length} patterns)`;
}
