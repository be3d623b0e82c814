/**
 * The runner: PlannedRun → workspace → hardened container → result, with
 * progress as RunEvents, secrets masked everywhere, and a run record.
 */
import type Docker from "dockerode";
import { createHash } from "node:crypto";
import { chmod, chown, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Agent } from "../crew/types.js";
import type { BudgetLedger } from "../gateway/budget.js";
import type { GatewayOptions, RunGitHub, RunReport } from "../gateway/index.js";
import type { PlannedRun } from "../plan/types.js";
import { adapterFor } from "../runtimes/index.js";
import { EXIT, EnvironmentError, InputError, errorMessage } from "../util/errors.js";
import { CHANNEL_FILE, ChannelReader, parseStdoutEvent } from "./channel.js";
import { containerOptions } from "./container-options.js";
import { createRunContainer, runContainer } from "./docker-run.js";
import { copySkillFromTree } from "./skill-copy.js";
import { connectDocker } from "./engine.js";
import { Masker } from "./mask.js";
import { cleanOrphans, type Orphan } from "./orphans.js";
import { newRunId, runnerIdentity, type RunnerIdentity } from "./owner.js";
import { gitcrewHome, RunRecords, type RunRecord } from "./records.js";
import { EXIT_CANCELLED, type RunEvent, type RunObserver, type RunResult } from "./types.js";
import { budgetReason, containerWiring, registration } from "./gateway-wiring.js";
import { type RunGateway, startRunGateway } from "./run-gateway.js";
import { prepareEgressNetwork } from "./egress-network.js";
import { commitChanges, createWorkspace, removeWorkspace, type Workspace } from "./workspace.js";
import { holderKey, holderOptions, joinHolder, NetworkHolders } from "./network-holders.js";
import { fillContainerGit, prepareContainerGit } from "./container-git.js";

export interface RunRequest {
  planned: PlannedRun;
  agent: Agent;
  /** The checkout the worktree is made from. */
  repoDir: string;
  /** `owner/name` or a folder name, for labels and records. */
  repo: string;
  runId?: string;
  signal?: AbortSignal;
  observer?: RunObserver;
  /**
   * The run's GitHub token (narrowed to the agent's `permissions`) and
   * GitHub's addresses: the run gateway adds it to what the container sends
   * to its GitHub route; the container never holds it. Only for runs on the
   * gateway network whose agent has permissions.
   */
  github?: RunGitHub;
}

export interface RunnerOptions {
  env?: NodeJS.ProcessEnv;
  records?: RunRecords;
  identity?: RunnerIdentity;
  /** Gives up connecting (the caller no longer needs the runner). */
  signal?: AbortSignal;
  /**
   * Where per-agent-per-day and per-thread spend is kept: the store's in
   * `gitcrew serve` (holds across runs and instances); absent, in memory,
   * per process (`gitcrew run`, the Action).
   */
  ledger?: BudgetLedger;
  /** Run gateway settings (tests: allowInternal, upstreams). */
  gateway?: GatewayOptions;
  /**
   * Make the network namespace of the next run of each (image, agent,
   * repository) ahead, once a run of it started (network-holders.ts; `gitcrew
   * serve`). Removed by `close`. Without it every run's holder is made for it.
   */
  prepare?: boolean;
  /** Where holders that cannot work for an image are told (once per image). */
  log?: (line: string) => void;
}

export class Runner {
  readonly identity: RunnerIdentity;
  readonly records: RunRecords;
  private readonly env: NodeJS.ProcessEnv;
  private readonly active = new Set<string>();
  private runGateway: Promise<RunGateway> | undefined;
  /** The egress runs' network, made and sealed on the first egress run (egress-network.ts). */
  private egressNetwork: Promise<string> | undefined;
  private readonly holders: NetworkHolders;

  private constructor(
    private readonly docker: Docker,
    private readonly opts: RunnerOptions,
    /** Containers removed on start because their runner was gone. */
    readonly orphans: Orphan[] = [],
  ) {
    this.env = opts.env ?? process.env;
    this.identity = opts.identity ?? runnerIdentity(this.env);
    this.records = opts.records ?? new RunRecords(this.env);
    this.holders = new NetworkHolders(docker, opts.log);
  }

  /** Connect to the engine (clear error when down) and clean up orphaned containers. */
  static async start(opts: RunnerOptions = {}): Promise<Runner> {
    const docker = await connectDocker(opts.env, opts.signal);
    const runner = new Runner(docker, opts);
    runner.orphans.push(...(await cleanOrphans(docker, runner.identity, runner.active, runner.records)));
    return runner;
  }

  async run(req: RunRequest): Promise<RunResult> {
    const { planned, agent } = req;
    const spec = planned.container;
    const runId = req.runId ?? newRunId();
    const t0 = performance.now();
    const mark = { workspace: 0, started: 0, exited: 0, committed: 0 };
    const startedAt = new Date().toISOString();
    const secrets = this.secretValues(spec.secrets);
    // Registered before the masker is made: the real keys the gateway holds and the run token are masked too.
    let gw: { rg: RunGateway; wiring: { env: Record<string, string>; argv?: string[]; files?: Record<string, string> } } | undefined;
    const masked: string[] = [];
    if (spec.network === "gateway") {
      const rg = await this.gatewayFor();
      const wiring = adapterFor(agent.runtime).gateway;
      const { reg, values } = registration({ runId, spec, agent: agent.name, threadKey: planned.threadKey, budgets: spec.sharedBudgets, env: this.env, wiring, github: req.github, permissions: agent.permissions });
      const handle = rg.gateway.register({ ...reg, allow: await rg.resolveAllow(reg.allow ?? []) });
      masked.push(...values, handle.token);
      gw = { rg, wiring: containerWiring(handle, rg.host, spec, wiring, reg.github) };
    }
    // Egress runs: a network of gitcrew's own whose bridge reaches no host service.
    const egressNetwork = spec.network === "bridge" ? await this.egressFor() : undefined;
    const masker = new Masker([...Object.values(secrets), ...masked]);
    let report: RunReport | undefined;
    const approvals: RunResult["approvals"] = [];
    let lastReturn: string | undefined;
    const record: RunRecord = { id: runId, agent: agent.name, repo: req.repo, status: "running", createdAt: startedAt, owner: this.identity };
    this.records.save(record);
    this.active.add(runId);
    const emit = (event: RunEvent) => {
      const ev = masker.maskDeep(event);
      if (ev.type === "return") lastReturn = ev.value;
      if (ev.type === "approval") approvals.push({ kind: ev.kind, reason: ev.reason, what: ev.what });
      if (ev.type !== "log" && ev.type !== "finished") this.records.appendLog(runId, `» ${ev.type}: ${JSON.stringify(ev)}`);
      req.observer?.onEvent(ev);
    };

    const root = this.isRoot();
    const user = root ? spec.user : `${process.getuid?.() ?? 1000}:${process.getgid?.() ?? 1000}`;
    const [uid, gid] = user.split(":").map(Number);
    let ws: Workspace | undefined;
    // Every host-side file of the run lives in one folder only the runner's user can enter
    // (mkdtemp: 0700): other local users (uid 1000 is often a real login) reach neither the
    // worktree nor the channel; the container reaches them through its bind mounts.
    const runDir = await mkdtemp(join(tmpdir(), "gitcrew-run-"));
    const channelDir = join(runDir, "channel");
    await mkdir(channelDir, { mode: 0o700 });
    // The container user appends to the channel file: the folder is its own, and no one else's.
    if (root && uid !== undefined && gid !== undefined) await chown(channelDir, uid, gid);
    const channel = new ChannelReader(join(channelDir, CHANNEL_FILE), emit, (notice) => this.records.appendLog(runId, `» ${notice}`));
    // `gitcrew cancel` (another process) leaves a cancel request in the run's folder.
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.signal?.aborted) abort.abort();
    const cancelPoll = setInterval(() => {
      if (this.records.cancelRequested(runId)) abort.abort();
    }, CANCEL_POLL_MS);
    let result: RunResult;
    // Made first so that the container can be created while the worktree is checked out.
    const wsDir = join(runDir, "worktree");
    await mkdir(wsDir, { mode: 0o700 });
    let created: Promise<Docker.Container> | undefined;
    let removed: Promise<void> | undefined;
    /** The container holding the run's network namespace (network-holders.ts), removed after the run's. */
    let holderId: string | undefined;
    // The container's own git folder (container-git.ts): made meanwhile, filled once the worktree is there.
    const containerGit = prepareContainerGit(runDir, req.repoDir, planned.ref).catch(() => undefined);
    try {
      // Skills come from the crew's tree (the default branch) when the crew was read from git;
      // from the checkout only for a crew read from a working tree (`gitcrew run`).
      const mounts = await Promise.all(
        spec.mounts.map(async (m, i) =>
          isAbsolute(m.source)
            ? m
            : { ...m, source: m.crewTree ? await copySkillFromTree(req.repoDir, m.crewTree, m.source, join(runDir, "skills", String(i))) : await insideRepo(req.repoDir, m.source) },
        ),
      );
      // The CLI's gateway settings: root-owned files, mounted read-only over the image's.
      for (const [i, [target, content]] of Object.entries(gw?.wiring.files ?? {}).entries()) {
        const source = join(runDir, `gateway-file-${i}`);
        await writeFile(source, content, { mode: 0o644 });
        mounts.push({ source, target, readOnly: true });
      }
      const mountPoints = mounts.filter((m) => m.target.startsWith(`${spec.workdir}/`)).map((m) => relative(spec.workdir, m.target));
      const cg = await containerGit;
      const options = containerOptions(spec, {
        runId,
        owner: this.identity,
        workspaceDir: wsDir,
        repoDir: req.repoDir,
        channelDir,
        mounts: [...mounts, ...(cg?.mounts ?? [])],
        secrets,
        passEnv: this.passEnv(spec.optionalEnv ?? []),
        stateHostDir: spec.stateDir ? await this.stateDir(req, uid, gid) : undefined,
        user,
        egressNetwork,
        gateway: gw ? { network: gw.rg.network, ...gw.wiring } : undefined,
      });
      created = this.createInHolder(options, spec, req.repo, (id) => (holderId = id));
      // Settled below (runContainer) or in `finally`; never an unhandled rejection.
      created.catch(() => undefined);
      ws = await createWorkspace({
        repoDir: req.repoDir,
        ref: planned.ref,
        branch: planned.branch,
        injectedFiles: spec.injectedFiles,
        mountPoints,
        owner: root && uid !== undefined && gid !== undefined ? { uid, gid } : undefined,
        dir: wsDir,
      });
      if (cg) {
        const owner = root && uid !== undefined && gid !== undefined ? { uid, gid } : undefined;
        await fillContainerGit(cg, ws, { branch: planned.branch, identity: agent.git, mountPoints, owner }).catch((err) =>
          this.records.appendLog(runId, `» no git inside the container: ${errorMessage(err)}`),
        );
      }
      mark.workspace = performance.now();
      channel.start();
      const out = await runContainer(created, {
        stdin: spec.stdin,
        timeoutSeconds: spec.timeoutSeconds,
        masker,
        signal: abort.signal,
        hooks: {
          onStarted: (containerId) => {
            mark.started = performance.now();
            // The next run of this agent finds its network namespace ready.
            if (this.opts.prepare) this.holders.prepare(holderKey(spec, req.repo), holderOptions(options, spec, req.repo, this.identity));
            this.records.save({ ...record, containerId });
            emit({ type: "started", runId, containerId, at: new Date().toISOString() });
          },
          onLine: (stream, line) => {
            this.records.appendLog(runId, stream === "stderr" ? `[stderr] ${line}` : line);
            req.observer?.onEvent({ type: "log", stream, line });
            const ev = stream === "stdout" ? parseStdoutEvent(line) : undefined;
            if (ev) emit(ev);
          },
        },
      });
      removed = out.removed;
      mark.exited = performance.now();
      await channel.drain();
      clearInterval(cancelPoll);
      const cancelled = out.cancelled || (!out.timedOut && this.records.cancelRequested(runId));
      const parsed = adapterFor(agent.runtime).parseOutput(out.stdout, out.stderr);
      const { removed: dropped, ...commit } = await commitChanges(ws, {
        branch: planned.branch,
        identity: agent.git,
        message: `${agent.name}: ${firstLine(planned.prompt)}\n\ngitcrew run ${runId}`,
      });
      if (dropped?.length) {
        const more = dropped.length > 50 ? ` and ${dropped.length - 50} more` : "";
        this.records.appendLog(runId, `» removed from the worktree before the commit (never committed): ${dropped.slice(0, 50).join(", ")}${more}`);
      }
      mark.committed = performance.now();
      const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
      const timings = {
        workspaceMs: ms(t0, mark.workspace),
        startedMs: ms(t0, mark.started),
        createToStartMs: ms(mark.workspace, mark.started),
        containerMs: ms(mark.started, mark.exited),
        commitMs: ms(mark.exited, mark.committed),
        totalMs: ms(t0, mark.committed),
      };
      // A cap reached is why the CLI stopped, whatever its exit code.
      report = gw ? gw.rg.gateway.revoke(runId) : undefined;
      const stopped = report?.budgetExceeded;
      const status = out.timedOut ? "timed_out" : cancelled ? "cancelled" : stopped ? "budget_exceeded" : out.exitCode === 0 && !parsed.error ? "succeeded" : "failed";
      const exitCode = out.timedOut ? EXIT.timeout : cancelled ? EXIT_CANCELLED : stopped ? EXIT.failed : out.exitCode;
      const reason = out.timedOut
        ? `timed out after ${spec.timeoutSeconds}s; the container was killed`
        : cancelled
          ? this.cancelReason(runId, req.signal)
          : stopped
            ? budgetReason(stopped)
            : status === "failed"
              ? (parsed.error ?? `the agent exited with code ${out.exitCode}`)
              : undefined;
      result = {
        run: runId,
        agent: agent.name,
        status,
        exitCode,
        answer: lastReturn ?? parsed.answer,
        ...commit,
        sessionId: parsed.sessionId,
        usage: parsed.usage,
        ...(report ? { gateway: report } : {}),
        reason,
        approvals,
        startedAt,
        finishedAt: new Date().toISOString(),
        timings,
      };
    } catch (err) {
      await channel.drain();
      // Bad input and a missing image or engine are the caller's to report (exit 3 / 4), not a run result.
      if (err instanceof InputError || err instanceof EnvironmentError) {
        this.records.save({ ...record, status: "failed", exitCode: EXIT.failed, reason: masker.mask(err.message), finishedAt: new Date().toISOString() });
        this.records.appendLog(runId, `» failed: ${masker.mask(err.message)}${err.hint ? ` (${err.hint})` : ""}`);
        throw err;
      }
      result = {
        run: runId,
        agent: agent.name,
        status: "failed",
        exitCode: EXIT.failed,
        answer: "",
        changedFiles: [],
        reason: masker.mask(errorMessage(err)),
        approvals,
        startedAt,
        finishedAt: new Date().toISOString(),
      };
    } finally {
      clearInterval(cancelPoll);
      req.signal?.removeEventListener("abort", onAbort);
      this.active.delete(runId);
      // The token dies with the run, whatever happened (a no-op once revoked above).
      const late = gw?.rg.gateway.revoke(runId);
      if (late && result! && !result.gateway) result.gateway = late;
      // A container created while the worktree failed is removed here; a run one was removed after its exit.
      // (`created` settles by the start deadline at the latest.)
      const container = removed ?? created?.then((c) => c.remove({ force: true })).then(
        () => undefined,
        () => undefined,
      );
      await Promise.all([
        Promise.resolve(container).then(() => (holderId ? this.holders.remove(holderId) : undefined)),
        (ws ? removeWorkspace(ws) : removeWorkspace({ dir: wsDir, repoDir: req.repoDir })).then(() => rm(runDir, { recursive: true, force: true })),
      ]);
      if (result! && result.timings) {
        result.timings.cleanupMs = Math.round((performance.now() - mark.committed) * 10) / 10;
        result.timings.totalMs = Math.round((performance.now() - t0) * 10) / 10;
      }
    }
    result = masker.maskDeep(result);
    this.records.save({
      ...record,
      ...(this.records.get(runId) ?? {}),
      status: result.status,
      exitCode: result.exitCode,
      finishedAt: result.finishedAt,
      result,
      reason: result.reason,
    });
    this.records.appendLog(runId, `» ${result.status} (exit code ${result.exitCode})${result.reason ? `: ${result.reason}` : ""}`, true);
    emit({ type: "finished", result });
    return result;
  }

  /** The process's gateway, started on the first run that needs it. */
  private gatewayFor(): Promise<RunGateway> {
    this.runGateway ??= startRunGateway(this.docker, this.env, { ledger: this.opts.ledger, gateway: this.opts.gateway }).catch((err: unknown) => {
      this.runGateway = undefined;
      throw err;
    });
    return this.runGateway;
  }

  /** The egress network, made and sealed once per process. */
  private egressFor(): Promise<string> {
    this.egressNetwork ??= prepareEgressNetwork(this.docker, this.env).catch((err: unknown) => {
      this.egressNetwork = undefined;
      throw err;
    });
    return this.egressNetwork;
  }

  /** Stops the run gateway, if one was started (tests; a CLI process just exits). */
  async close(): Promise<void> {
    await this.holders.close();
    const rg = await this.runGateway?.catch(() => undefined);
    this.runGateway = undefined;
    await rg?.close();
  }

  /**
   * The run's container, created in a holder's network namespace when the
   * runner prepares holders (`gitcrew serve`): the one prepared for its agent
   * if equal to a fresh one, else a fresh one (created and started meanwhile).
   * An image whose holder cannot start gets its own network.
   */
  private async createInHolder(options: Docker.ContainerCreateOptions, spec: RunRequest["planned"]["container"], repo: string, onHolder: (id: string | undefined) => void): Promise<Docker.Container> {
    // Without preparation (the Action, `gitcrew run`: one run per process) a holder would
    // only add a container to the run's start: the run makes its own network, as before holders.
    if (!this.opts.prepare) return createRunContainer(this.docker, options);
    const holder = await this.holders.take(holderKey(spec, repo), holderOptions(options, spec, repo, this.identity)).catch((err: unknown) => {
      this.holders.noteUnable(String(options.Image), err);
      return undefined;
    });
    if (!holder) return createRunContainer(this.docker, options);
    onHolder(holder.id);
    const [container, running] = await Promise.allSettled([createRunContainer(this.docker, joinHolder(options, holder.id)), holder.running]);
    if (running.status === "fulfilled") {
      if (container.status === "rejected") throw container.reason;
      return container.value;
    }
    // The holder did not start (an image without `sleep`): this run gets a network of its own.
    this.holders.noteUnable(String(options.Image), running.reason);
    if (container.status === "fulfilled") await container.value.remove({ force: true }).catch(() => undefined);
    await this.holders.remove(holder.id);
    onHolder(undefined);
    return createRunContainer(this.docker, options);
  }

  private cancelReason(runId: string, signal?: AbortSignal): string {
    if (signal?.aborted) return "cancelled (interrupted)";
    const by = this.records.cancelRequestedBy(runId);
    return by ? `cancelled by ${by}` : "cancelled";
  }

  private secretValues(names: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private passEnv(names: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Per-thread folder that outlives the container (session transcripts for `--resume`). */
  private async stateDir(req: RunRequest, uid: number | undefined, gid: number | undefined): Promise<string> {
    const key = createHash("sha256").update(`${req.repo}\0${req.planned.threadKey}\0${req.agent.name}`).digest("hex").slice(0, 24);
    const home = gitcrewHome(this.env);
    const dir = join(home, "state", key);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The thread's folder belongs to the container user (uid 1000, a login on many hosts): no
    // other local user may reach it, so the folders above it are the runner's alone.
    await chmod(join(home, "state"), 0o700);
    await chmod(home, 0o700).catch(() => undefined);
    if (this.isRoot() && uid !== undefined && gid !== undefined) await chown(dir, uid, gid);
    return dir;
  }

  private isRoot(): boolean {
    return process.getuid?.() === 0;
  }
}

/**
 * A repo-relative mount source (a skill folder), resolved: it must be a folder
 * of the checkout, not a link leading elsewhere on the host (a bind mount follows links).
 */
async function insideRepo(repoDir: string, rel: string): Promise<string> {
  const root = await realpath(repoDir);
  const real = await realpath(resolve(repoDir, rel)).catch(() => undefined);
  if (!real) throw new InputError(`the folder ${rel} does not exist in ${repoDir}`, "check the agent's skills (gitcrew validate)");
  if (real !== root && !real.startsWith(root + sep)) throw new InputError(`${rel} in ${repoDir} leads outside the repository (${real}); it is not mounted`);
  return real;
}

/** How often a run looks for a cancel request from another process. */
const CANCEL_POLL_MS = 300;

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || "changes";
}
