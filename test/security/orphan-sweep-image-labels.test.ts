/**
 * The orphan sweep reads labels of gitcrew's containers to find what a dead
 * runner left: `gitcrew.workspace` (a folder it deletes) and
 * `gitcrew.repo-dir` (a repository it runs git in). The engine copies an
 * image's own labels into every container made from it unless the create
 * options set the same key. A network holder (network-holders.ts) is made
 * from the agent's image and did not set those two keys: an image labelled
 * `gitcrew.workspace=/some/host/folder` made the next runner start (after a
 * crash or a restart under the same id) delete that host folder.
 *
 * Asserted as the operator sees it: the folder named by the image is still on
 * the host after the sweep, and the holder was swept. On the code before the
 * fix the folder was gone.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOLDER_LABEL } from "../../src/runner/network-holders.js";
import { newRunId } from "../../src/runner/owner.js";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { COMMAND_IMAGE, loadAgent, requireDockerAndImage, runOnce, tempHome, waitFor } from "../support/runner-harness.js";

const exec = promisify(execFile);

describe("image labels never steer the orphan sweep", () => {
  let work: string;
  let victim: string;
  let victimRepo: string;
  let repo: string;
  let home: string;
  const image = `gitcrew-test/hostile-labels:${newRunId().toLowerCase().replace(/[^a-z0-9]/g, "")}`;

  beforeAll(async () => {
    await requireDockerAndImage();
    work = mkdtempSync(join(tmpdir(), "gitcrew-victim-"));
    // A folder of the operator's, and one shaped like a run's folder (the sweep removes the folder around a worktree).
    victim = join(work, "gitcrew-run-precious", "data");
    mkdirSync(victim, { recursive: true });
    writeFileSync(join(victim, "keep.txt"), "the operator's file\n");
    victimRepo = await makeCrewRepo([]);
    // The image names them in labels of its own (any image: `image:` may name one from a registry).
    const ctx = join(work, "image");
    mkdirSync(ctx);
    writeFileSync(join(ctx, "Dockerfile"), `FROM ${COMMAND_IMAGE}\nLABEL gitcrew.workspace=${JSON.stringify(victim)} gitcrew.repo-dir=${JSON.stringify(victimRepo)}\n`);
    await exec("docker", ["build", "-q", "-t", image, ctx], { timeout: 300_000 });
    // On the run gateway's network: a `network: none` run gets no holder.
    repo = await makeCrewRepo([shAgent("labelled", "echo hello", `image: ${image}\nlimits:\n  network:\n    allow: []\n`)]);
    home = tempHome();
  }, 600_000);

  afterAll(async () => {
    await exec("docker", ["rmi", "-f", image]).catch(() => undefined);
    for (const dir of [work, victimRepo, repo, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a holder of a killed runner is swept; the host folder its image's labels name is left alone", async () => {
    const env = { ...process.env, GITCREW_HOME: home, GITCREW_RUNNER_ID: `sweep-${newRunId()}` };
    const { agent } = await loadAgent(repo, "labelled");
    const killed = await Runner.start({ env, prepare: true });
    const first = await runOnce(killed, repo, agent, "go");
    expect(first.result.status, `${first.result.reason}\n${first.logs.join("\n")}`).toBe("succeeded");
    // The holder prepared for the next run, left behind as by a runner killed before `close`.
    const left = await waitFor("a prepared holder", async () => {
      const { stdout } = await exec("docker", ["ps", "-q", "--no-trunc", "--filter", `label=${HOLDER_LABEL}`, "--filter", `label=gitcrew.owner=${killed.identity.id}`]);
      return stdout.trim().split("\n").filter(Boolean)[0];
    });
    // A restart under the same id sweeps what its predecessor left.
    const next = await Runner.start({ env });
    try {
      expect(next.orphans.map((o) => o.containerId)).toContain(left);
      expect(existsSync(join(victim, "keep.txt")), "the folder the image's label names is still on the host").toBe(true);
      expect(readFileSync(join(victim, "keep.txt"), "utf8")).toBe("the operator's file\n");
    } finally {
      await next.close();
    }
  }, 300_000);
});
