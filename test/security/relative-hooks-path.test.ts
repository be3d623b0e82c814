/**
 * Attack: the checkout's own config names a relative hooks folder
 * (`core.hooksPath = .husky`, what husky's `prepare` script writes into
 * `.git/config` whenever a job runs `npm install` in the checkout; on a
 * self-hosted runner it stays there for every later job). git finds a hook
 * by that path from its working directory, and the runner's host-side git
 * works in the agent's worktree: writing the commit (fast-import updates the
 * branch) ran the agent's `.husky/reference-transaction` on the host, as the
 * runner's user (root on a root runner), next to the Docker socket.
 *
 * No host-side git of the runner runs a hook, whatever the checkout's config
 * says; the agent's work is still committed.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

// On the host's temp folder: the container's /tmp is a tmpfs of its own, so a marker appears only if a hook ran on the host.
const MARK = join(tmpdir(), `gitcrew-hooks-pwned-${randomBytes(4).toString("hex")}`);
const HOOKS = ["reference-transaction", "post-checkout", "pre-commit", "post-commit", "post-rewrite", "post-index-change", "pre-auto-gc", "pre-push", "post-merge"];

const PLANT = [
  "set -e",
  "mkdir -p .husky",
  `for h in ${HOOKS.join(" ")}; do printf '#!/bin/sh\\ntouch ${MARK}-%s\\n' $h > .husky/$h; chmod +x .husky/$h; done`,
  "echo work > work.txt",
  'gitcrew-return "planted"',
].join("\n");

function marks(): string[] {
  const dir = tmpdir();
  const prefix = MARK.slice(dir.length + 1);
  return readdirSync(dir).filter((f) => f.startsWith(prefix));
}

describe("a relative core.hooksPath in the checkout's config", () => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("planter", PLANT)]);
    // What `husky` (v5-v8; v9 writes `.husky/_`) leaves in the checkout's config.
    execFileSync("git", ["-C", repo, "config", "core.hooksPath", ".husky"]);
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    await runner?.close();
    for (const f of marks()) await rm(join(tmpdir(), f), { force: true });
    for (const d of [repo, home]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("runs none of the hooks the agent wrote into its worktree; its work is committed", async () => {
    const { agent } = await loadAgent(repo, "planter");
    const first = await runOnce(runner, repo, agent, "plant hooks");
    expect(first.result.status, first.logs.join("\n")).toBe("succeeded");
    expect(first.result.changedFiles).toContain("work.txt");
    expect(first.result.changedFiles).toContain(".husky/reference-transaction");

    // A second run starts from the first one's branch: its worktree is added by host git with the hooks checked out.
    const second = await runOnce(runner, repo, agent, "again", { edit: (p) => ({ ...p, ref: first.result.branch! }) });
    expect(second.result.status, second.logs.join("\n")).toBe("succeeded");

    expect(marks()).toEqual([]);
    expect(existsSync(`${MARK}-reference-transaction`)).toBe(false);
    // The checkout's own config is as it was.
    expect(execFileSync("git", ["-C", repo, "config", "core.hooksPath"], { encoding: "utf8" }).trim()).toBe(".husky");
  });
});
