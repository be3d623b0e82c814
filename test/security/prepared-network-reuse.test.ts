/**
 * Network namespaces made ahead of runs (network-holders.ts), on the real
 * engine. The attack: a run gets a namespace (a holder container) another run,
 * agent or repository used or was meant to get, or one made for an older crew;
 * or holders outlive the runner. What a user would see is asserted with
 * `docker inspect`: the run's container's NetworkMode names its holder. On the
 * code before holders every run had its own network, so each of these tests
 * fails there at its first holder check. The agents are on the run gateway's
 * network: a `network: none` run gets no holder (tested last).
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/crew/types.js";
import type { PlannedRun } from "../../src/plan/types.js";
import { HOLDER_LABEL } from "../../src/runner/network-holders.js";
import { planLocalRun } from "../../src/runner/local-plan.js";
import { newRunId } from "../../src/runner/owner.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { inspect, loadAgent, requireDockerAndImage, tempHome, waitFor } from "../support/runner-harness.js";

const exec = promisify(execFile);
const R1 = "acme/one";
const R2 = "acme/two";

interface Seen {
  result: RunResult;
  /** The run's container, inspected while it ran. */
  container: Record<string, any>;
  /** Its holder (the container whose namespace it joined), inspected while the run ran. */
  holder: Record<string, any>;
  lines: string[];
}

async function runIn(runner: Runner, repoDir: string, agent: Agent, repo: string, edit?: (p: PlannedRun) => PlannedRun): Promise<Seen> {
  const runId = newRunId();
  let planned = planLocalRun({ agent, prompt: "go", runId, repo });
  if (edit) planned = edit(planned);
  let seen: Promise<{ container: Record<string, any>; holder: Record<string, any> }> | undefined;
  const lines: string[] = [];
  const result = await runner.run({
    planned,
    agent,
    repoDir,
    repo,
    runId,
    observer: {
      onEvent: (ev) => {
        if (ev.type === "log") lines.push(ev.line);
        if (ev.type === "started")
          seen = inspect(ev.containerId).then(async (container) => {
            const mode = String(container.HostConfig.NetworkMode);
            expect(mode, "the run's container joins a holder's network namespace").toMatch(/^container:[0-9a-f]{64}$/);
            return { container, holder: await inspect(mode.slice("container:".length)) };
          });
      },
    },
  });
  expect(result.status, `${result.reason}\n${lines.join("\n")}`).toBe("succeeded");
  expect(seen, "no started container").toBeDefined();
  return { result, lines, ...(await seen!) };
}

/** Holders of `owner` (prepared or in use), by id. */
async function holdersOf(owner: string): Promise<string[]> {
  const { stdout } = await exec("docker", ["ps", "-aq", "--no-trunc", "--filter", `label=${HOLDER_LABEL}`, "--filter", `label=gitcrew.owner=${owner}`]);
  return stdout.split("\n").filter(Boolean);
}

async function exists(id: string): Promise<boolean> {
  return exec("docker", ["inspect", id]).then(
    () => true,
    () => false,
  );
}

/** The one holder prepared for (agent, repo), once there. */
async function preparedFor(owner: string, agent: string, repo: string): Promise<string> {
  return waitFor(`a holder prepared for ${agent} in ${repo}`, async () => {
    for (const id of await holdersOf(owner)) {
      const c = await inspect(id).catch(() => undefined);
      if (c?.State?.Running && c.Config.Labels["gitcrew.agent"] === agent && c.Config.Labels["gitcrew.repo"] === repo) return id;
    }
    return undefined;
  });
}

const GATEWAY = "limits:\n  network:\n    allow: []\n";
/** What a run on the gateway network sees of its namespace: its one interface and loopback. */
const GATEWAY_IFACES = "ifaces=eth0,lo,";

describe("network namespaces made ahead of runs", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([
      // On the run gateway's network: a `network: none` run gets no holder (its namespace costs nothing to make).
      shAgent("alpha", "echo ifaces=$(ls /sys/class/net | tr '\\n' ','); sleep 4", GATEWAY),
      shAgent("beta", "echo ifaces=$(ls /sys/class/net | tr '\\n' ','); sleep 4", GATEWAY),
      shAgent("gamma", "echo ifaces=$(ls /sys/class/net | tr '\\n' ','); sleep 2", "limits:\n  network: none\n"),
    ]);
    for (const name of ["alpha", "beta", "gamma"]) agents[name] = (await loadAgent(repo, name)).agent;
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home }, prepare: true });
  }, 600_000);

  afterAll(async () => {
    await runner?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("a prepared namespace serves one run: runs in turn and at once never share a holder, and each holder goes with its run", async () => {
    const first = await runIn(runner, repo, agents.alpha!, R1);
    expect(await exists(first.holder.Id)).toBe(false);
    const ready = await preparedFor(runner.identity.id, "alpha", R1);
    const second = await runIn(runner, repo, agents.alpha!, R1);
    expect(second.holder.Id).toBe(ready);
    expect(await exists(ready)).toBe(false);
    await preparedFor(runner.identity.id, "alpha", R1);
    const [a, b] = await Promise.all([runIn(runner, repo, agents.alpha!, R1), runIn(runner, repo, agents.alpha!, R1)]);
    const used = [first, second, a, b].map((s) => s.holder.Id);
    expect(new Set(used).size).toBe(4);
    for (const id of used) expect(await exists(id)).toBe(false);
    // Seen from inside: the namespace of a gateway run, prepared or not.
    for (const s of [first, second, a, b]) expect(s.lines).toContain(GATEWAY_IFACES);
  }, 180_000);

  it("another agent or another repository never gets the namespace prepared for one", async () => {
    await runIn(runner, repo, agents.alpha!, R1);
    const mine = await preparedFor(runner.identity.id, "alpha", R1);
    const other = await runIn(runner, repo, agents.beta!, R1);
    expect(other.holder.Id).not.toBe(mine);
    const elsewhere = await runIn(runner, repo, agents.alpha!, R2);
    expect(elsewhere.holder.Id).not.toBe(mine);
    expect(await exists(mine), "still prepared for alpha in acme/one").toBe(true);
    const own = await runIn(runner, repo, agents.alpha!, R1);
    expect(own.holder.Id).toBe(mine);
  }, 180_000);

  it("a changed agent (its container spec) discards the namespace prepared before the change", async () => {
    await runIn(runner, repo, agents.alpha!, R1);
    const before = await preparedFor(runner.identity.id, "alpha", R1);
    const changed = await runIn(runner, repo, agents.alpha!, R1, (p) => ({ ...p, container: { ...p.container, memoryBytes: 300 * 1024 * 1024 } }));
    expect(changed.holder.Id).not.toBe(before);
    expect(changed.container.HostConfig.Memory).toBe(300 * 1024 * 1024);
    await waitFor("the stale holder to be removed", async () => !(await exists(before)));
  }, 180_000);

  it("a prepared namespace that stopped meanwhile is not used: the run gets a fresh one and answers", async () => {
    await runIn(runner, repo, agents.alpha!, R1);
    const stopped = await preparedFor(runner.identity.id, "alpha", R1);
    await exec("docker", ["kill", stopped]);
    const after = await runIn(runner, repo, agents.alpha!, R1);
    expect(after.holder.Id).not.toBe(stopped);
    expect(after.lines).toContain(GATEWAY_IFACES);
    await waitFor("the stopped holder to be removed", async () => !(await exists(stopped)));
  }, 180_000);

  it("a run in a prepared namespace has the container, and the holder, a fresh run has (docker inspect, field by field)", async () => {
    // The first run of a runner that prepares holders: its holder is made for it (nothing prepared yet).
    const fresh = await Runner.start({ env: { ...process.env, GITCREW_HOME: home }, prepare: true });
    try {
      const a = await runIn(fresh, repo, agents.alpha!, R1);
      await runIn(runner, repo, agents.alpha!, R1);
      const ready = await preparedFor(runner.identity.id, "alpha", R1);
      const b = await runIn(runner, repo, agents.alpha!, R1);
      expect(b.holder.Id).toBe(ready);
      expect(comparable(b.container)).toEqual(comparable(a.container));
      expect(comparable(b.holder)).toEqual(comparable(a.holder));
      // The holder holds nothing of any run: no mounts, no variables but the image's, no token.
      const image = await exec("docker", ["image", "inspect", String(b.holder.Config.Image), "--format", "{{json .Config.Env}}"]);
      expect(b.holder.Config.Env).toEqual(JSON.parse(image.stdout));
      expect(b.holder.Mounts).toEqual([]);
      expect(b.holder.HostConfig.CapDrop).toEqual(["ALL"]);
      expect(b.holder.HostConfig.ReadonlyRootfs).toBe(true);
      expect(b.holder.HostConfig.NetworkMode).toBe(a.holder.HostConfig.NetworkMode);
      expect(b.holder.HostConfig.NetworkMode).not.toBe("none");
    } finally {
      await fresh.close();
    }
  }, 180_000);

  it("a `network: none` run gets no holder: a namespace of its own, loopback only, and none is prepared for its agent", async () => {
    const runId = newRunId();
    let mode: Promise<string> | undefined;
    const lines: string[] = [];
    const result = await runner.run({
      planned: planLocalRun({ agent: agents.gamma!, prompt: "go", runId, repo: R1 }),
      agent: agents.gamma!,
      repoDir: repo,
      repo: R1,
      runId,
      observer: {
        onEvent: (ev) => {
          if (ev.type === "log") lines.push(ev.line);
          if (ev.type === "started") mode = inspect(ev.containerId).then((c) => String(c.HostConfig.NetworkMode));
        },
      },
    });
    expect(result.status, result.reason).toBe("succeeded");
    expect(await mode).toBe("none");
    expect(lines).toContain("ifaces=lo,");
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of await holdersOf(runner.identity.id)) expect((await inspect(id)).Config.Labels["gitcrew.agent"]).not.toBe("gamma");
  }, 120_000);

  it("shutdown, and the orphan sweep after a killed runner, leave no holder behind", async () => {
    const env = { ...process.env, GITCREW_HOME: home, GITCREW_RUNNER_ID: `holders-${newRunId()}` };
    const killed = await Runner.start({ env, prepare: true });
    await runIn(killed, repo, agents.alpha!, R1);
    const left = await preparedFor(killed.identity.id, "alpha", R1);
    // A runner restarted under the same id (its predecessor never closed) sweeps what it left.
    const next = await Runner.start({ env, prepare: true });
    expect(await exists(left)).toBe(false);
    expect(next.orphans.map((o) => o.containerId)).toContain(left);
    await runIn(next, repo, agents.alpha!, R1);
    await preparedFor(next.identity.id, "alpha", R1);
    await next.close();
    expect(await holdersOf(next.identity.id)).toEqual([]);
    await runner.close();
    expect(await holdersOf(runner.identity.id)).toEqual([]);
  }, 180_000);
});

/** What `docker inspect` shows that is not per run or per container (ids, names, paths of the run's own folders, its run id). */
function comparable(c: Record<string, any>): unknown {
  const config = { ...c.Config, Hostname: "", Labels: { ...c.Config.Labels, "gitcrew.run": "", "gitcrew.workspace": "", "gitcrew.owner": "", "gitcrew.owner-pid": "", "gitcrew.thread": "" } };
  // Per run: its id, thread, branch and gateway token (in the proxy URLs too); per runner: its gateway's port.
  config.Env = (config.Env as string[]).map((e) => e.replace(/^(GITCREW_RUN|GITCREW_THREAD|GITCREW_BRANCH|GITCREW_RUN_TOKEN)=.*/, "$1=").replace(/^(HTTPS?_PROXY|https?_proxy)=.*/, "$1="));
  const host = { ...c.HostConfig, NetworkMode: String(c.HostConfig.NetworkMode).replace(/^container:.*/, "container:"), Binds: (c.HostConfig.Binds ?? []).map((b: string) => b.replace(/^[^:]*:/, ":")) };
  // The engine lists mounts in no fixed order.
  const mounts = (c.Mounts ?? []).map((m: Record<string, unknown>) => ({ ...m, Source: "" })).sort((x: { Destination: string }, y: { Destination: string }) => x.Destination.localeCompare(y.Destination));
  return { config, host, mounts };
}
