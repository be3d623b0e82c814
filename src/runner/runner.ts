/**
 * The runner: PlannedRun → workspace → hardened container → result, with
 * progress as RunEvents, secrets masked everywhere, and a run record.
 */
import type Docker from "dockerode";
import { createHash, randomBytes } from "node:crypto";
import { chmod, chown, mkdir, readdir, realpath, rename, rm, rmdir, stat, utimes, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Agent } from "../crew/types.js";
import type { BudgetLedger } from "../gateway/budget.js";
import type { GatewayOptions, RunGitHub, RunReport } from "../gateway/index.js";
import type { PlannedRun } from "../plan/types.js";
import { adapterFor } from "../runtimes/index.js";
import { EXIT, EnvironmentError, GitcrewError, InputError, errorMessage } from "../util/errors.js";
import { CHANNEL_FILE, ChannelReader, MAX_APPROVALS, parseStdoutEvent } from "./channel.js";
import { containerOptions } from "./container-options.js";
import { attachContainer, createRunContainer, runContainer, runStarted, withinStartDeadline, type RunSide } from "./docker-run.js";
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
import { workflowPath } from "./commit-worktree.js";
import { removeTree } from "./unlock-tree.js";
import { agentSpecDigest, canonical, holderKey, holderOptions, joinHolder, NetworkHolders } from "./network-holders.js";
import { baseOf, fillContainerGit, GIT_DIR_IN_CONTAINER, prepareContainerGit, type ContainerGit } from "./container-git.js";
import { PreparedRuns, readAtStart, type PreparedRun } from "./prepared-runs.js";
import { makeRunEnvDir, writeRunEnv } from "./run-env.js";
import { newRunToken } from "../gateway/runs.js";
import { diskCheckMs, diskLimit, formatBytes, removeRunDir, RunDisks, watchDisk, type RunDisk } from "./disk-guard.js";
import { sweepStale, type Swept } from "./state-prune.js";
import { agentLogLine, ownLogNote } from "../util/terminal-text.js";

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
  /**
   * The ref the run starts from once origin has answered (pipeline/git-remote.ts
   * fetchForRun), when the caller is still asking: the container is created
   * meanwhile and the worktree waits for it. Absent: `planned.ref`. Its
   * failure is the run's, thrown as it is.
   */
  startRef?: Promise<string>;
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
  /** Containers of the next first-of-thread runs, started ahead (prepared-runs.ts). */
  private readonly ahead: PreparedRuns;
  /** Run folders, sized to the run's limits.disk when the runner can (disk-guard.ts). */
  private readonly disks: RunDisks;
  /** Thread state folders of this process's runs: never pruned (state-prune.ts). */
  private readonly stateInUse = new Set<string>();
  /** The start's sweep of stale state and run folders, in the background (state-prune.ts). */
  swept: Promise<Swept> = Promise.resolve({ removed: [] });
  private lastSweep = 0;
  private readonly volumesByImage = new Map<string, { at: number; volumes: Promise<string[]> }>();

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
    this.ahead = new PreparedRuns(docker, opts.log);
    this.disks = new RunDisks(this.env, this.identity.id, opts.log, opts.prepare === true);
  }

  /** Connect to the engine (clear error when down) and clean up orphaned containers. */
  static async start(opts: RunnerOptions = {}): Promise<Runner> {
    const docker = await connectDocker(opts.env, opts.signal);
    const runner = new Runner(docker, opts);
    runner.orphans.push(...(await cleanOrphans(docker, runner.identity, runner.active, runner.records, join(gitcrewHome(runner.env), "state"))));
    runner.sweepStale();
    // A server's first run finds its folder's filesystem made (the default size; others after their first run).
    if (opts.prepare) runner.disks.warm(diskLimit(undefined));
    return runner;
  }

  async run(req: RunRequest): Promise<RunResult> {
    const { planned, agent } = req;
    const spec = planned.container;
    // The run's folder (on a root runner a filesystem of its limit's size: mkfs and mount) is made while the
    // rest starts; `gitcrew serve` takes a spare made ahead (prepared containers bring their own).
    const diskEarly = this.opts.prepare ? undefined : this.disks.take(diskLimit(spec.diskBytes));
    diskEarly?.catch(() => undefined);
    void this.imageVolumes(spec.image);
    const runId = req.runId ?? newRunId();
    const t0 = performance.now();
    const mark = { workspace: 0, started: 0, exited: 0, committed: 0 };
    const startedAt = new Date().toISOString();
    const secrets = this.envValues(spec.secrets);
    // Registered before the masker is made: the real keys the gateway holds and the run token are masked too.
    let gw: { rg: RunGateway; wiring: Wiring } | undefined;
    const masked: string[] = [];
    let enroll: ((token?: string) => void) | undefined;
    let wiringFor: ((token: string) => Wiring) | undefined;
    let gwRoute: RunGateway | undefined;
    if (spec.network === "gateway") {
      const rg = await this.gatewayFor();
      gwRoute = rg;
      const wiring = adapterFor(agent.runtime).gateway;
      const { reg, values } = registration({ runId, spec, agent: agent.name, threadKey: planned.threadKey, budgets: spec.sharedBudgets, env: this.env, wiring, github: req.github, permissions: agent.permissions });
      const full = { ...reg, allow: await rg.resolveAllow(reg.allow ?? []) };
      masked.push(...values);
      wiringFor = (token) => containerWiring(rg.gateway.handle(runId, token), rg.host, spec, wiring, reg.github);
      enroll = (token) => {
        const handle = rg.gateway.register(full, token);
        masked.push(handle.token);
        gw = { rg, wiring: containerWiring(handle, rg.host, spec, wiring, reg.github) };
      };
    }
    // Egress runs: a network of gitcrew's own whose bridge reaches no host service.
    const egressNetwork = spec.network === "bridge" ? await this.egressFor() : undefined;
    const root = this.isRoot();
    const user = root ? spec.user : `${process.getuid?.() ?? 1000}:${process.getgid?.() ?? 1000}`;
    const [uid, gid] = user.split(":").map(Number);
    // A container started ahead for this agent's first run of a thread (prepared-runs.ts), when it fits.
    const threadState = spec.stateDir ? this.stateDirPath(req) : undefined;
    // Not pruned while this run may use it (registered before any await on it).
    if (threadState) this.stateInUse.add(threadState);
    const aheadKey = this.aheadKey(spec, agent, req.repo, gw?.wiring ?? (wiringFor ? wiringFor("") : undefined));
    const firstOfThread = aheadKey !== undefined && (!threadState || (await emptyOrMissing(threadState)));
    // Nothing the CLI would have read at its start (the project's settings, skills, MCP servers) in the run's tree.
    const startRef = req.startRef ?? Promise.resolve(planned.ref);
    startRef.catch(() => undefined); // awaited before the worktree, or never when an earlier step fails
    let startRefFailure: unknown;
    let notStarted = false;
    const aheadFitsTree = firstOfThread && !(await readAtStart(req.repoDir, planned.branch, await startRef));
    let ahead = aheadFitsTree && aheadKey ? await this.ahead.take(aheadKey) : undefined;
    if (ahead) {
      const fits = await this.aheadFits(ahead, { spec, req, runId, user, egressNetwork, wiring: ahead.token && wiringFor ? wiringFor(ahead.token) : undefined, gwRoute }).catch(() => false);
      if (!fits) {
        void this.ahead.discard(ahead);
        ahead = undefined;
      }
    }
    try {
      enroll?.(ahead?.token);
    } catch (err) {
      if (ahead) await this.ahead.discard(ahead);
      throw err;
    }
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
      if (ev.type === "approval" && approvals.length < MAX_APPROVALS) approvals.push({ kind: ev.kind, reason: ev.reason, what: ev.what });
      if (ev.type !== "log" && ev.type !== "finished") this.records.appendLog(runId, ownLogNote(`${ev.type}: ${JSON.stringify(ev)}`));
      req.observer?.onEvent(ev);
    };

    let ws: Workspace | undefined;
    // Every host-side file of the run lives in one folder only the runner's user can enter
    // (mkdtemp: 0700): other local users (uid 1000 is often a real login) reach neither the
    // worktree nor the channel; the container reaches them through its bind mounts.
    const limit = diskLimit(spec.diskBytes);
    const disk: RunDisk = ahead ? (ahead.disk ?? { dir: ahead.runDir, limit, sized: false }) : await (diskEarly ?? this.disks.take(limit));
    const runDir = disk.dir;
    /** What the run had written when it was stopped at its disk limit. */
    let diskOver: number | undefined;
    let diskWatch: ReturnType<typeof watchDisk> | undefined;
    const channelDir = ahead?.channelDir ?? (await this.channelFolder(runDir, root ? uid : undefined, gid));
    const channel = new ChannelReader(join(channelDir, CHANNEL_FILE), emit, (notice) => this.records.appendLog(runId, ownLogNote(notice)));
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
    const wsDir = ahead?.wsDir ?? join(runDir, "worktree");
    if (!ahead) await mkdir(wsDir, { mode: 0o700 });
    let created: Promise<Docker.Container> | undefined;
    let removed: Promise<void> | undefined;
    /** The container holding the run's network namespace (network-holders.ts), removed after the run's. */
    let holderId: string | undefined;
    // The container's own git folder (container-git.ts): made meanwhile, filled once the worktree is there.
    const containerGit = ahead
      ? Promise.resolve(ahead.git && { ...ahead.git, base: startRef.then((ref) => baseOf(ahead.git!.commonDir, ref), () => undefined) })
      : prepareContainerGit(runDir, req.repoDir)
          .then((cg) => cg && { ...cg, base: startRef.then((ref) => baseOf(cg.commonDir, ref), () => undefined) })
          .catch(() => undefined);
    let options: Docker.ContainerCreateOptions | undefined;
    try {
      let mountPoints: string[];
      if (ahead) {
        // The run's container from here on: removed in `finally` whatever fails next.
        created = Promise.resolve(ahead.attached.container);
        // Its folders are this run's now: the thread's state, the run's variables, the worktree.
        if (threadState && ahead.stateDir) await this.adoptState(ahead.stateDir, threadState);
        await rm(join(wsDir, ".git"));
        await writeRunEnv(runDir, spec, runId, true);
        options = ahead.options;
        mountPoints = mountPointsOf(spec, gw?.wiring);
      } else {
        const runEnvDir = await writeRunEnv(runDir, spec, runId);
        const stateHostDir = threadState ? await this.stateDir(req, uid, gid) : undefined;
        const built = await this.runOptions({ spec, req, runId, runDir, wsDir, channelDir, runEnvDir, git: await containerGit, write: true, user, egressNetwork, gw: gw && { network: gw.rg.network, wiring: gw.wiring }, stateHostDir });
        options = built.options;
        mountPoints = built.mountPoints;
        created = this.createInHolder(options, spec, req.repo, (id) => (holderId = id));
      }
      // Settled below (runContainer) or in `finally`; never an unhandled rejection.
      created.catch(() => undefined);
      const cg = await containerGit;
      const ref = await startRef.catch((err: unknown) => {
        startRefFailure = err;
        throw err;
      });
      ws = await createWorkspace({
        repoDir: req.repoDir,
        ref,
        branch: planned.branch,
        injectedFiles: spec.injectedFiles,
        mountPoints,
        owner: root && uid !== undefined && gid !== undefined ? { uid, gid } : undefined,
        dir: wsDir,
      });
      if (cg) {
        const owner = root && uid !== undefined && gid !== undefined ? { uid, gid } : undefined;
        await fillContainerGit(cg, ws, { branch: planned.branch, identity: agent.git, mountPoints, owner }).catch((err) =>
          this.records.appendLog(runId, ownLogNote(`no git inside the container: ${errorMessage(err)}`)),
        );
      }
      mark.workspace = performance.now();
      channel.start();
      const side: RunSide = {
        stdin: spec.stdin,
        timeoutSeconds: spec.timeoutSeconds,
        masker,
        signal: abort.signal,
        hooks: {
          onStarted: (containerId) => {
            mark.started = performance.now();
            diskWatch = watchDisk(disk, threadState, diskCheckMs(this.env), (used) => {
              diskOver = used;
              abort.abort();
            });
            // The next run of this agent finds its container (first of a thread) or its network namespace ready.
            if (aheadKey && aheadFitsTree) this.prepareAhead(aheadKey, { spec, req, user, uid, gid, egressNetwork, gwRoute, wiringFor });
            else if (this.holdsNetwork(spec) && options) this.holders.prepare(holderKey(spec, req.repo), holderOptions(options, spec, req.repo, this.identity));
            this.records.save({ ...record, containerId });
            emit({ type: "started", runId, containerId, at: new Date().toISOString() });
          },
          onLine: (stream, line) => {
            this.records.appendLog(runId, stream === "stderr" ? `[stderr] ${line}` : agentLogLine(line));
            req.observer?.onEvent({ type: "log", stream, line });
            const ev = stream === "stdout" ? parseStdoutEvent(line) : undefined;
            if (ev) emit(ev);
          },
        },
      };
      let out: Awaited<ReturnType<typeof runStarted>>;
      if (ahead) {
        ahead.attached.bind(side);
        out = await runStarted(ahead.attached, side);
      } else if (abort.signal.aborted) {
        // Stopped while the worktree was made or origin asked: the container is removed, never started.
        notStarted = true;
        out = { exitCode: EXIT_CANCELLED, timedOut: false, cancelled: true, stdout: "", stderr: "", removed: created.then((c) => c.remove({ force: true, v: true })).then(() => undefined, () => undefined) };
      } else out = await runContainer(created, side);
      removed = out.removed;
      mark.exited = performance.now();
      diskWatch?.stop();
      // Past the limit between the last look and the exit (or the agent quit on "no space").
      if (diskOver === undefined) {
        const u = await diskWatch?.check().catch(() => undefined);
        if (u?.full) diskOver = u.used;
      }
      await channel.drain();
      clearInterval(cancelPoll);
      const cancelled = out.cancelled || (!out.timedOut && this.records.cancelRequested(runId));
      const parsed = adapterFor(agent.runtime).parseOutput(out.stdout, out.stderr);
      // Nothing of a run stopped at its disk limit is committed (nor pushed).
      const { removed: dropped, ...commit } =
        diskOver !== undefined
          ? { removed: undefined, changedFiles: [] }
          : await commitChanges(ws, {
              branch: planned.branch,
              identity: agent.git,
              message: `${agent.name}: ${firstLine(planned.prompt)}\n\ngitcrew run ${runId}`,
              // Workflows run with the repository's secrets: only an agent allowed `workflows: write` changes them.
              frozen: agent.permissions.workflows === "write" ? undefined : workflowPath,
            });
      if (dropped?.length) {
        const more = dropped.length > 50 ? ` and ${dropped.length - 50} more` : "";
        this.records.appendLog(runId, ownLogNote(`removed from the worktree before the commit (never committed): ${dropped.slice(0, 50).join(", ")}${more}`));
      }
      const held = "held" in commit ? commit.held : undefined;
      if (held?.length) this.records.appendLog(runId, ownLogNote(`not committed (${agent.name}'s permissions give no \`workflows: write\`): ${held.slice(0, 50).join(", ")}`));
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
      const overDisk = diskOver !== undefined;
      const status = overDisk ? "disk_exceeded" : out.timedOut ? "timed_out" : cancelled ? "cancelled" : stopped ? "budget_exceeded" : out.exitCode === 0 && !parsed.error ? "succeeded" : "failed";
      const exitCode = overDisk ? EXIT.failed : out.timedOut ? EXIT.timeout : cancelled ? EXIT_CANCELLED : stopped ? EXIT.failed : out.exitCode;
      const reason = overDisk
        ? `the run wrote ${formatBytes(diskOver!)} on the runner's disk, past its limit of ${formatBytes(limit)} (limits.disk); it was stopped and nothing it wrote was kept`
        : out.timedOut
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
        // Its state folder is removed: a next run cannot resume this session.
        sessionId: overDisk ? undefined : parsed.sessionId,
        usage: parsed.usage,
        ...(report ? { gateway: report } : {}),
        reason,
        ...(notStarted ? { notStarted } : {}),
        approvals,
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(notStarted ? {} : { timings }),
      };
    } catch (err) {
      await channel.drain();
      // Bad input, a missing image or engine, and origin's failure to give the start ref are the caller's to report (exit 3 / 4), not a run result.
      if (err instanceof InputError || err instanceof EnvironmentError || (startRefFailure !== undefined && err === startRefFailure)) {
        const message = masker.mask(errorMessage(err));
        const hint = err instanceof GitcrewError ? err.hint : undefined;
        this.records.save({ ...record, status: "failed", exitCode: EXIT.failed, reason: message, finishedAt: new Date().toISOString() });
        this.records.appendLog(runId, ownLogNote(`failed: ${message}${hint ? ` (${hint})` : ""}`));
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
      diskWatch?.stop();
      req.signal?.removeEventListener("abort", onAbort);
      this.active.delete(runId);
      // The token dies with the run, whatever happened (a no-op once revoked above).
      const late = gw?.rg.gateway.revoke(runId);
      if (late && result! && !result.gateway) result.gateway = late;
      // A container created while the worktree failed is removed here; a run one was removed after its exit.
      // (`created` settles by the start deadline at the latest.)
      const container = removed ?? created?.then((c) => c.remove({ force: true, v: true })).then(
        () => undefined,
        () => undefined,
      );
      await Promise.all([
        Promise.resolve(container).then(() => (holderId ? this.holders.remove(holderId) : undefined)),
        // The run's folder holds the agent's writes (its git folder, the channel): it may have locked folders there.
        (ws ? removeWorkspace(ws) : removeWorkspace({ dir: wsDir, repoDir: req.repoDir })).then(() => removeRunDir(runDir, removeTree)),
        // The thread's state past the disk limit goes too (the next run starts a new session); else it was used now.
        threadState && diskOver !== undefined ? removeTree(threadState).catch(() => undefined) : threadState ? touch(threadState) : undefined,
        // A prepared state folder not adopted (the run failed before): nobody's.
        ahead?.stateDir ? rm(ahead.stateDir, { recursive: true, force: true }) : undefined,
      ]);
      if (threadState) this.stateInUse.delete(threadState);
      this.sweepStale(SWEEP_EVERY_MS);
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
    this.records.appendLog(runId, ownLogNote(`${result.status} (exit code ${result.exitCode})${result.reason ? `: ${result.reason}` : ""}`), true);
    emit({ type: "finished", result });
    return result;
  }

  /** The process's gateway, started on the first run that needs it. */
  /**
   * Starts what a run of `agent` will need (the run gateway, the egress
   * network) before the run is asked for: the Action, once the crew it
   * evaluated ahead names the agent. A failure here is met again by the run.
   */
  warm(agent: Pick<Agent, "limits">): void {
    // Its run folder too: on a root runner mkfs and mount take 60-170 ms, and the container's create waits for the folder.
    if (!this.opts.prepare) this.disks.warm(diskLimit(agent.limits.disk), true);
    const network = agent.limits.network;
    if (typeof network === "object") this.gatewayFor().catch(() => undefined);
    else if (network === "egress") this.egressFor().catch(() => undefined);
  }

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
    await Promise.all([this.holders.close(), this.ahead.close(), this.disks.close(), this.swept]);
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
    if (!this.holdsNetwork(spec)) return createRunContainer(this.docker, options);
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
    if (container.status === "fulfilled") await container.value.remove({ force: true, v: true }).catch(() => undefined);
    await this.holders.remove(holder.id);
    onHolder(undefined);
    return createRunContainer(this.docker, options);
  }

  /**
   * Whether a run's network namespace comes from a holder: in `gitcrew serve`,
   * for a run on a network (gateway, egress). A `none` namespace holds only
   * `lo` and costs the engine nothing to make; measured, a holder there made
   * the first output line 0.78× → 1.36× a bare `docker run` (the holder's
   * look-ups and the next one's start compete with the run's own start).
   */
  private holdsNetwork(spec: RunRequest["planned"]["container"]): boolean {
    return this.opts.prepare === true && spec.network !== "none";
  }

  private cancelReason(runId: string, signal?: AbortSignal): string {
    if (signal?.aborted) return "cancelled (interrupted)";
    const by = this.records.cancelRequestedBy(runId);
    return by ? `cancelled by ${by}` : "cancelled";
  }

  /** The runner's values of these variables (secrets, optional variables); unset ones are left out. */
  private envValues(names: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /**
   * Removes, in the background, thread state folders untouched for
   * GITCREW_STATE_DAYS, prepared runs' state folders no container uses, and
   * run folders a dead runner left (state-prune.ts). At the start, then at
   * most every `every` ms after a run.
   */
  private sweepStale(every = 0): void {
    if (every > 0 && Date.now() - this.lastSweep < every) return;
    this.lastSweep = Date.now();
    const before = this.swept;
    this.swept = before.then(() =>
      sweepStale(this.docker, {
        stateRoot: join(gitcrewHome(this.env), "state"),
        recordsRoot: this.records.root,
        env: this.env,
        inUse: (dir) => this.stateInUse.has(dir),
        log: this.opts.log,
      }),
    );
  }

  /**
   * The folders the image declares as volumes (`VOLUME`): the engine would make
   * each a volume on the host's disk, writable past limits.disk and kept after
   * the run; the container gets a tmpfs there instead (container-options.ts).
   * Asked once per image name every IMAGE_VOLUMES_MS (the run's start asks ahead).
   */
  private imageVolumes(image: string): Promise<string[]> {
    const known = this.volumesByImage.get(image);
    if (known && Date.now() - known.at < IMAGE_VOLUMES_MS) return known.volumes;
    // dockerode's inspect takes no abort signal: a request the deadline gives up on must not keep the process alive.
    const inspect = (abortSignal: AbortSignal) =>
      new Promise<Docker.ImageInspectInfo>((resolve, reject) =>
        this.docker.modem.dial(
          { path: `/images/${image}/json`, method: "GET", abortSignal, statusCodes: { 200: true, 404: "no such image", 500: "server error" } },
          (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as Docker.ImageInspectInfo)),
        ),
      );
    const volumes = withinStartDeadline(inspect, "inspect the image").then(
      (i) => Object.keys((i.Config as { Volumes?: Record<string, unknown> | null } | undefined)?.Volumes ?? {}),
      // A missing image fails the create with its own message; an engine that does not answer fails the run (no volume left unchecked).
      (err: unknown) => {
        if (err instanceof EnvironmentError) {
          this.volumesByImage.delete(image);
          throw err;
        }
        return [];
      },
    );
    volumes.catch(() => undefined); // asked ahead; the run's create options await it
    this.volumesByImage.set(image, { at: Date.now(), volumes });
    return volumes;
  }

  /** Per-thread folder that outlives the container (session transcripts for `--resume`). */
  private stateDirPath(req: RunRequest): string {
    const key = createHash("sha256").update(`${req.repo}\0${req.planned.threadKey}\0${req.agent.name}`).digest("hex").slice(0, 24);
    return join(gitcrewHome(this.env), "state", key);
  }

  /** The thread's state folder, made (see stateDirPath). */
  private async stateDir(req: RunRequest, uid: number | undefined, gid: number | undefined): Promise<string> {
    const dir = this.stateDirPath(req);
    await this.stateFolder(dir, uid, gid);
    await touch(dir);
    return dir;
  }

  private async stateFolder(dir: string, uid: number | undefined, gid: number | undefined): Promise<void> {
    const home = gitcrewHome(this.env);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The thread's folder belongs to the container user (uid 1000, a login on many hosts): no
    // other local user may reach it, so the folders above it are the runner's alone.
    await chmod(join(home, "state"), 0o700);
    await chmod(home, 0o700).catch(() => undefined);
    if (this.isRoot() && uid !== undefined && gid !== undefined) await chown(dir, uid, gid);
  }

  /** A prepared container's state folder becomes the thread's (the container keeps writing to the same folder). */
  private async adoptState(from: string, to: string): Promise<void> {
    await rmdir(to).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
    await rename(from, to);
  }

  /** The run's channel folder: the container user appends to its file, the folder is its own and no one else's. */
  private async channelFolder(runDir: string, uid: number | undefined, gid: number | undefined): Promise<string> {
    const dir = join(runDir, "channel");
    await mkdir(dir, { mode: 0o700 });
    if (uid !== undefined && gid !== undefined) await chown(dir, uid, gid);
    return dir;
  }

  /**
   * The create options of a run in `runDir`. `write`: copy the skills and
   * write the gateway's files there; otherwise only say where they are (a
   * prepared container's, compared with what the run would make).
   */
  private async runOptions(p: {
    spec: RunRequest["planned"]["container"];
    req: RunRequest;
    runId: string;
    runDir: string;
    wsDir: string;
    channelDir: string;
    runEnvDir: string | undefined;
    git: ContainerGit | undefined;
    write: boolean;
    user: string;
    egressNetwork: string | undefined;
    gw: { network: string; wiring: Wiring } | undefined;
    stateHostDir: string | undefined;
  }): Promise<{ options: Docker.ContainerCreateOptions; mountPoints: string[] }> {
    const { spec, req, runDir } = p;
    // Skills come from the crew's tree (the default branch) when the crew was read from git;
    // from the checkout only for a crew read from a working tree (`gitcrew run`).
    const skill = (crewTree: string, source: string, i: number) => {
      const dest = join(runDir, "skills", String(i));
      return p.write ? copySkillFromTree(req.repoDir, crewTree, source, dest) : Promise.resolve(dest);
    };
    const mounts = await Promise.all(
      spec.mounts.map(async (m, i) => (isAbsolute(m.source) ? m : { ...m, source: m.crewTree ? await skill(m.crewTree, m.source, i) : await insideRepo(req.repoDir, m.source) })),
    );
    // The CLI's gateway settings: root-owned files, mounted read-only over the image's.
    for (const [i, [target, content]] of Object.entries(p.gw?.wiring.files ?? {}).entries()) {
      const source = join(runDir, `gateway-file-${i}`);
      if (p.write) await writeFile(source, content, { mode: 0o644 });
      mounts.push({ source, target, readOnly: true });
    }
    const options = containerOptions(spec, {
      runId: p.runId,
      owner: this.identity,
      workspaceDir: p.wsDir,
      repoDir: req.repoDir,
      channelDir: p.channelDir,
      mounts: [...mounts, ...(p.git?.mounts ?? [])],
      secrets: this.envValues(spec.secrets),
      passEnv: this.envValues(spec.optionalEnv ?? []),
      runEnvDir: p.runEnvDir,
      stateHostDir: p.stateHostDir,
      user: p.user,
      egressNetwork: p.egressNetwork,
      gateway: p.gw ? { network: p.gw.network, ...p.gw.wiring } : undefined,
      imageVolumes: await this.imageVolumes(spec.image),
    });
    return { options, mountPoints: mountPointsOf(spec, p.gw?.wiring) };
  }

  /** Which prepared container a run may take (one per image, agent and repository), or undefined when its runs start as usual. */
  private aheadKey(spec: RunRequest["planned"]["container"], agent: Agent, repo: string, wiring: Wiring | undefined): string | undefined {
    // A root runner only: the container user (uid 1000) then cannot write the prepared folders before its run.
    if (!this.opts.prepare || this.env.GITCREW_PREPARE_AHEAD === "0" || !this.isRoot()) return undefined;
    const starts = adapterFor(agent.runtime).startsAhead;
    if (!starts || !spec.stdin?.startsWith(starts.stdinLead) || !spec.runEnv) return undefined;
    // Mounts inside the workspace (skills) would be made by the engine at the prepared start, before the worktree.
    if (mountPointsOf(spec, wiring).length > 0) return undefined;
    return holderKey(spec, repo);
  }

  /** The prepared container's create options are the ones this run would make with its folders and token. */
  private async aheadFits(
    ahead: PreparedRun,
    c: { spec: RunRequest["planned"]["container"]; req: RunRequest; runId: string; user: string; egressNetwork: string | undefined; wiring: Wiring | undefined; gwRoute: RunGateway | undefined },
  ): Promise<boolean> {
    if (ahead.specDigest !== agentSpecDigest(c.spec)) return false;
    // The clone was removed and made again (the checkouts' budget): its mount holds the old object store.
    if (ahead.git && (await stat(join(ahead.git.commonDir, "objects")).catch(() => undefined))?.ino !== ahead.objectsIno) return false;
    if ((c.spec.network === "gateway") !== (ahead.token !== undefined && c.wiring !== undefined && c.gwRoute !== undefined)) return false;
    const { options } = await this.runOptions({
      spec: c.spec,
      req: c.req,
      runId: c.runId,
      runDir: ahead.runDir,
      wsDir: ahead.wsDir,
      channelDir: ahead.channelDir,
      runEnvDir: ahead.runEnvDir,
      git: ahead.git,
      write: false,
      user: c.user,
      egressNetwork: c.egressNetwork,
      gw: c.wiring && c.gwRoute ? { network: c.gwRoute.network, wiring: c.wiring } : undefined,
      stateHostDir: ahead.stateDir,
    });
    return sameRunOptions(options, ahead.options);
  }

  /**
   * Starts, in the background, the container of the next first-of-thread run
   * of this spec's agent: its own folders, a token not yet registered, no prompt.
   */
  private prepareAhead(
    key: string,
    c: {
      spec: RunRequest["planned"]["container"];
      req: RunRequest;
      user: string;
      uid: number | undefined;
      gid: number | undefined;
      egressNetwork: string | undefined;
      gwRoute: RunGateway | undefined;
      wiringFor: ((token: string) => Wiring) | undefined;
    },
  ): void {
    if (this.ahead.has(key)) return;
    this.ahead.prepare(key, async () => {
      const id = `ahead-${randomBytes(8).toString("hex")}`;
      // Nothing of the run it was made from: no thread, no prompt.
      const spec = { ...c.spec, labels: { ...c.spec.labels, "gitcrew.thread": "" } };
      const stateDir = spec.stateDir ? join(gitcrewHome(this.env), "state", id) : undefined;
      let container: Docker.Container | undefined;
      let disk: RunDisk | undefined;
      try {
        disk = await this.disks.take(diskLimit(spec.diskBytes));
        const runDir = disk.dir;
        const wsDir = join(runDir, "worktree");
        // The CLI starts in it: the container user may enter it, but neither list nor write it until its run's worktree is there.
        await mkdir(wsDir);
        await chmod(wsDir, 0o711);
        // The CLI finds out at its start whether its folder is a repository (and keeps the answer):
        // the `.git` file the run's worktree gets (container-git.ts), removed before it is checked out.
        await writeFile(join(wsDir, ".git"), `gitdir: ${GIT_DIR_IN_CONTAINER}\n`, { mode: 0o644 });
        const channelDir = await this.channelFolder(runDir, c.uid, c.gid);
        const runEnvDir = await makeRunEnvDir(runDir);
        const git = await prepareContainerGit(runDir, c.req.repoDir).catch(() => undefined);
        const objectsIno = git ? (await stat(join(git.commonDir, "objects"))).ino : undefined;
        if (stateDir) await this.stateFolder(stateDir, c.uid, c.gid);
        const token = c.gwRoute && c.wiringFor ? newRunToken() : undefined;
        const wiring = token && c.wiringFor ? c.wiringFor(token) : undefined;
        const { options } = await this.runOptions({
          spec,
          req: c.req,
          runId: id,
          runDir,
          wsDir,
          channelDir,
          runEnvDir,
          git,
          write: true,
          user: c.user,
          egressNetwork: c.egressNetwork,
          gw: wiring && c.gwRoute ? { network: c.gwRoute.network, wiring } : undefined,
          stateHostDir: stateDir,
        });
        container = await createRunContainer(this.docker, options);
        const attached = await attachContainer(container, spec.stdin !== undefined);
        await withinStartDeadline((abortSignal) => container!.start({ abortSignal }), "start the prepared container");
        // The CLI waits for the rest of its stdin from here on (RuntimeAdapter.startsAhead).
        attached.lead(adapterFor(c.req.agent.runtime).startsAhead?.stdinLead ?? "");
        return { id, key, specDigest: agentSpecDigest(c.spec), runDir, disk, wsDir, channelDir, runEnvDir, stateDir, git, objectsIno, token, options, attached };
      } catch (err) {
        // Whatever was made before the failure goes with it: the container, the run's folder, the state folder.
        await container?.remove({ force: true, v: true }).catch(() => undefined);
        if (disk) await removeRunDir(disk.dir, removeTree).catch(() => undefined);
        if (stateDir) await removeTree(stateDir).catch(() => undefined);
        throw err;
      }
    });
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

type Wiring = { env: Record<string, string>; argv?: string[]; files?: Record<string, string> };

/** Mount points inside the workspace (skills, the CLI's gateway files), made in the worktree so Docker does not make them as root. */
function mountPointsOf(spec: RunRequest["planned"]["container"], wiring: Wiring | undefined): string[] {
  const targets = [...spec.mounts.map((m) => m.target), ...Object.keys(wiring?.files ?? {})];
  return targets.filter((t) => t.startsWith(`${spec.workdir}/`)).map((t) => relative(spec.workdir, t));
}

/** Two runs' create options are the same, field by field, their run's id and thread labels aside. */
export function sameRunOptions(a: Docker.ContainerCreateOptions, b: Docker.ContainerCreateOptions): boolean {
  const strip = (o: Docker.ContainerCreateOptions) => ({ ...o, Labels: { ...o.Labels, "gitcrew.run": "", "gitcrew.thread": "" } });
  return canonical(strip(a)) === canonical(strip(b));
}

/** How long an image's declared volumes are taken as known (a tag may move to another image). */
const IMAGE_VOLUMES_MS = 30_000;

/** How often, at most, a long-lived runner sweeps stale state after a run. */
const SWEEP_EVERY_MS = 6 * 3600 * 1000;

/** Marks a thread's state folder used now (the sweep removes those untouched for GITCREW_STATE_DAYS). */
function touch(dir: string): Promise<void> {
  const now = new Date();
  return utimes(dir, now, now).catch(() => undefined);
}

async function emptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}
