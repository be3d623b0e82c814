/**
 * Containers started ahead (prepared-runs.ts) are bounded in number: each
 * holds a loaded CLI (150-280 MB for Claude Code) while it waits, and a
 * server with many agents and repositories would otherwise keep one for each
 * (agent, repository) that ran in the last ten minutes. Past the bound, the
 * one made longest ago is removed with its folders; the others stay.
 * And a run that comes while its key's container is still being started
 * takes it once made.
 */
import Docker from "dockerode";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { attachContainer } from "../../src/runner/docker-run.js";
import { PreparedRuns, type PreparedRun } from "../../src/runner/prepared-runs.js";

const docker = new Docker();
const made: Docker.Container[] = [];

afterAll(async () => {
  await Promise.all(made.map((c) => c.remove({ force: true }).catch(() => undefined)));
});

async function prepared(key: string): Promise<PreparedRun> {
  const runDir = await mkdtemp(join(tmpdir(), "gitcrew-run-"));
  const options: Docker.ContainerCreateOptions = {
    Image: "gitcrew/command:latest",
    Cmd: ["sleep", "600"],
    User: "1000:1000",
    Labels: { "gitcrew.test": "prepared-runs-cap" },
    HostConfig: { NetworkMode: "none", ReadonlyRootfs: true, CapDrop: ["ALL"] },
  };
  const container = await docker.createContainer(options);
  made.push(container);
  const attached = await attachContainer(container, false);
  await container.start();
  return { id: `ahead-${key}`, key, specDigest: "", runDir, wsDir: join(runDir, "worktree"), channelDir: join(runDir, "channel"), runEnvDir: undefined, stateDir: undefined, git: undefined, objectsIno: undefined, token: undefined, options, attached };
}

async function gone(container: Docker.Container): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    if (!(await container.inspect().then(() => true, () => false))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("containers started ahead, bounded in number", () => {
  it("keeps at most the bound: the one made longest ago is removed with its folder", async () => {
    const ahead = new PreparedRuns(docker, () => undefined, 2);
    const runs: Record<string, Promise<PreparedRun>> = {};
    for (const key of ["a", "b", "c"]) {
      runs[key] = prepared(key);
      ahead.prepare(key, () => runs[key]!);
      // Each is made before the next is asked for (as runs of different agents come one after the other).
      await runs[key];
    }
    const [a, b, c] = await Promise.all([runs.a!, runs.b!, runs.c!]);
    expect(await gone(a.attached.container)).toBe(true);
    expect(existsSync(a.runDir)).toBe(false);
    expect(ahead.has("a")).toBe(false);
    // The two made last are still there, running, and taken by their keys' runs.
    for (const r of [b, c]) expect((await r.attached.container.inspect()).State.Running).toBe(true);
    expect((await ahead.take("b"))?.id).toBe("ahead-b");
    expect((await ahead.take("c"))?.id).toBe("ahead-c");
    await ahead.close();
    for (const r of [b, c]) await rm(r.runDir, { recursive: true, force: true });
  }, 120_000);
});

describe("a run that comes while its container is still being started ahead", () => {
  it("waits for it and takes it (before, the container was removed once made and the run started its own)", async () => {
    const ahead = new PreparedRuns(docker, () => undefined, 2);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let made: PreparedRun | undefined;
    ahead.prepare("k", async () => {
      await gate;
      made = await prepared("k");
      return made;
    });
    const taking = ahead.take("k");
    release();
    const got = await taking;
    expect(got?.id).toBe("ahead-k");
    expect((await got!.attached.container.inspect()).State.Running).toBe(true);
    expect(existsSync(got!.runDir)).toBe(true);
    // Taken: no longer the pool's (closing it leaves the run's container alone).
    expect(ahead.has("k")).toBe(false);
    await ahead.close();
    expect((await got!.attached.container.inspect()).State.Running).toBe(true);
    await ahead.discard(made!);
  }, 120_000);
});
