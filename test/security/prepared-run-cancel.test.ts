/**
 * A run cancelled before its prompt was written (a `/cancel` or a shutdown
 * while its worktree is checked out): the prompt must never reach the
 * container. A container started ahead (prepared-runs.ts) has its CLI loaded
 * and waiting on stdin with a registered token: given the prompt, it acts on
 * it at once, before the kill that follows lands. Here the container is `cat`,
 * started ahead the same way (attached, started, the lead written), so what
 * reached its stdin is what it prints.
 *
 * And `gitcrew cancel` of such a run whose runner died: the container keeps
 * the labels it was started with (`gitcrew.run=ahead-…`), so looking it up by
 * the run's id found nothing; it ran on (no runner, no timeout) until a runner
 * started again. The run's record names its container.
 */
import Docker from "dockerode";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cancelLocalRun } from "../../src/runner/local-runs.js";
import { RunRecords } from "../../src/runner/records.js";
import { attachContainer, runStarted } from "../../src/runner/docker-run.js";
import { Masker } from "../../src/runner/mask.js";

const docker = new Docker();
const made: Docker.Container[] = [];

afterAll(async () => {
  await Promise.all(made.map((c) => c.remove({ force: true }).catch(() => undefined)));
});

describe("a run cancelled before its prompt", () => {
  it("never writes the prompt to a container started ahead, and reports the run cancelled", async () => {
    const container = await docker.createContainer({
      Image: "gitcrew/command:latest",
      Cmd: ["cat"],
      User: "1000:1000",
      AttachStdin: true,
      OpenStdin: true,
      StdinOnce: true,
      AttachStdout: true,
      AttachStderr: true,
      NetworkDisabled: true,
      Labels: { "gitcrew.test": "prepared-run-cancel" },
      HostConfig: { NetworkMode: "none", ReadonlyRootfs: true, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges"] },
    });
    made.push(container);
    const attached = await attachContainer(container, true);
    await container.start();
    attached.lead("\n");

    const cancel = new AbortController();
    cancel.abort();
    const lines: string[] = [];
    const side = { stdin: "\nTHE PROMPT OF A CANCELLED RUN", timeoutSeconds: 120, masker: new Masker([]), signal: cancel.signal, hooks: { onStarted: () => undefined, onLine: (_s: string, l: string) => lines.push(l) } };
    attached.bind(side);
    const out = await runStarted(attached, side);
    await out.removed;

    expect(out.cancelled).toBe(true);
    expect(out.stdout).not.toContain("THE PROMPT");
    expect(lines.join("\n")).not.toContain("THE PROMPT");
  }, 60_000);
});

describe("gitcrew cancel of a run that took a container started ahead, its runner gone", () => {
  it("kills and removes the container its record names, whose labels do not name the run", async () => {
    const home = await mkdtemp(join(tmpdir(), "gitcrew-cancel-ahead-"));
    try {
      const env = { ...process.env, GITCREW_HOME: home };
      const owner = { id: "local-gone", pid: spawnSync("true").pid!, host: hostname() };
      // What a runner leaves when it dies during a run that took a prepared container.
      const container = await docker.createContainer({
        Image: "gitcrew/command:latest",
        Cmd: ["sleep", "600"],
        User: "1000:1000",
        Labels: { "gitcrew.run": "ahead-0123456789abcdef", "gitcrew.owner": owner.id, "gitcrew.owner-pid": String(owner.pid), "gitcrew.host": owner.host, "gitcrew.test": "prepared-run-cancel" },
        HostConfig: { NetworkMode: "none", ReadonlyRootfs: true, CapDrop: ["ALL"] },
      });
      made.push(container);
      await container.start();
      const records = new RunRecords(env);
      records.save({ id: "run-took-ahead", agent: "dev", repo: "local/x", status: "running", createdAt: new Date().toISOString(), owner, containerId: container.id });

      const out = await cancelLocalRun(records, "run-took-ahead", { env, by: "test" });
      expect(out.record.status).toBe("cancelled");
      expect(out.killed).toEqual([container.id]);
      await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 60_000);

  it("leaves alone a container its record names that is not its runner's", async () => {
    const home = await mkdtemp(join(tmpdir(), "gitcrew-cancel-ahead-"));
    try {
      const env = { ...process.env, GITCREW_HOME: home };
      const owner = { id: "local-gone", pid: spawnSync("true").pid!, host: hostname() };
      const container = await docker.createContainer({ Image: "gitcrew/command:latest", Cmd: ["sleep", "600"], User: "1000:1000", Labels: { "gitcrew.test": "prepared-run-cancel" }, HostConfig: { NetworkMode: "none" } });
      made.push(container);
      await container.start();
      const records = new RunRecords(env);
      records.save({ id: "run-other", agent: "dev", repo: "local/x", status: "running", createdAt: new Date().toISOString(), owner, containerId: container.id });
      const out = await cancelLocalRun(records, "run-other", { env, by: "test" });
      expect(out.killed).toEqual([]);
      expect((await container.inspect()).State.Running).toBe(true);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 60_000);
});
