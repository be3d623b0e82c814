/**
 * A run cancelled before its prompt was written (a `/cancel` or a shutdown
 * while its worktree is checked out): the prompt must never reach the
 * container. A container started ahead (prepared-runs.ts) has its CLI loaded
 * and waiting on stdin with a registered token: given the prompt, it acts on
 * it at once, before the kill that follows lands. Here the container is `cat`,
 * started ahead the same way (attached, started, the lead written), so what
 * reached its stdin is what it prints.
 */
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
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
