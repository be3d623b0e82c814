/**
 * An agent that attacks the runner through what it can write: the worktree
 * (its `.git` file, injected files) and the channel folder. The runner works
 * on both as root after the container exits; none of this may reach the host.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LineSplitter, Masker } from "../../src/runner/mask.js";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const TAG = randomBytes(4).toString("hex");
const MARKER = join(tmpdir(), `gitcrew-pwned-${TAG}`);
const SECRET = "flood-secret-0123456789";
const VICTIM = join(tmpdir(), `gitcrew-victim-${TAG}.txt`);

describe("a hostile agent", () => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    writeFileSync(VICTIM, "host file, do not touch\n");
    repo = await makeCrewRepo([
      // Replace the worktree's .git file by a repository whose config runs a command (core.fsmonitor, hooks).
      shAgent(
        "gitdir",
        [
          "rm -f .git",
          "git init -q .",
          `git config core.fsmonitor "touch ${MARKER}-fsmonitor; false"`,
          `git config core.hooksPath /workspace/hooks`,
          "mkdir -p hooks",
          `printf '#!/bin/sh\\ntouch ${MARKER}-hook\\n' > hooks/post-commit`,
          "chmod +x hooks/post-commit",
          "echo change > change.txt",
        ].join(" && "),
      ),
      // Turn the injected file into a symlink to a host path: restoring it must not write through it.
      shAgent("symlink", `rm -f AGENTS.md && ln -s ${VICTIM} AGENTS.md && echo change > change.txt`),
      // Make the channel file a FIFO: reading it must not hang the runner.
      shAgent("fifo", 'rm -f "$GITCREW_CHANNEL"; mkfifo "$GITCREW_CHANNEL"; echo done', "limits:\n  timeout: 30s\n"),
      // Megabytes without a newline, a secret in the middle.
      shAgent(
        "flood",
        'head -c 300000 /dev/zero | tr "\\0" a; printf "%s" "$DEPLOY_TOKEN"; head -c 300000 /dev/zero | tr "\\0" b',
        "secrets: [DEPLOY_TOKEN]\n",
      ),
      // Replace a folder above an injected file by a link to a host folder.
      shAgent("dirlink", `rm -rf docs && ln -s ${tmpdir()} docs && echo change > change.txt`),
    ], { "AGENTS.md": "the repo's AGENTS.md\n", "docs/AGENTS.md": "nested\n" });
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, DEPLOY_TOKEN: SECRET } });
  });

  afterAll(async () => {
    for (const f of [`${MARKER}-fsmonitor`, `${MARKER}-hook`, VICTIM]) await rm(f, { force: true });
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("cannot make the runner's git run its commands by replacing .git", async () => {
    const { agent } = await loadAgent(repo, "gitdir");
    const { result, logs } = await runOnce(runner, repo, agent, "escape");
    expect(existsSync(`${MARKER}-fsmonitor`), "core.fsmonitor of the agent's .git ran on the host").toBe(false);
    expect(existsSync(`${MARKER}-hook`), "a hook of the agent's .git ran on the host").toBe(false);
    // Its work is committed in the real repository, on its branch, and nothing else changed there.
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(result.changedFiles).toContain("change.txt");
    expect(await simpleGit(repo).show([`${result.branch}:change.txt`])).toBe("change\n");
    expect((await simpleGit(repo).raw(["config", "--get", "core.fsmonitor"]).catch(() => "")).trim()).toBe("");
  }, 60_000);

  it("cannot make the runner write through a symlink when it restores injected files", async () => {
    const { agent } = await loadAgent(repo, "symlink");
    const { result } = await runOnce(runner, repo, agent, "escape", {
      edit: (p) => ({ ...p, container: { ...p.container, injectedFiles: { "AGENTS.md": "INJECTED\n" } } }),
    });
    expect(readFileSync(VICTIM, "utf8")).toBe("host file, do not touch\n");
    expect(result.status, result.reason).toBe("succeeded");
    expect(result.changedFiles).toEqual(["change.txt"]);
  }, 60_000);

  it("cannot make the runner write into a host folder through a linked parent folder", async () => {
    const { agent } = await loadAgent(repo, "dirlink");
    const { result } = await runOnce(runner, repo, agent, "escape", {
      edit: (p) => ({ ...p, container: { ...p.container, injectedFiles: { "docs/AGENTS.md": "INJECTED\n" } } }),
    });
    expect(existsSync(join(tmpdir(), "AGENTS.md"))).toBe(false);
    expect(result.status).toBe("failed");
    expect(result.reason).toContain("replaced a folder above docs/AGENTS.md by a link");
    expect(result.branch).toBeUndefined();
  }, 60_000);

  it("output without newlines is passed on in bounded pieces, secrets still masked", async () => {
    const { agent } = await loadAgent(repo, "flood");
    const { result, logs } = await runOnce(runner, repo, agent, "flood");
    expect(result.status, result.reason).toBe("succeeded");
    expect(Math.max(...logs.map((l) => l.length))).toBeLessThanOrEqual(64 * 1024 + SECRET.length);
    const all = logs.join("");
    expect(all).not.toContain(SECRET);
    expect(all).toBe(`${"a".repeat(300000)}***${"b".repeat(300000)}`);
    expect(readFileSync(runner.records.logFile(result.run), "utf8")).not.toContain(SECRET);
  }, 60_000);

  it("a secret cut at every possible piece boundary is masked (LineSplitter)", () => {
    const masker = new Masker([SECRET]);
    for (let cut = 0; cut <= SECRET.length + 2; cut++) {
      const lines: string[] = [];
      const splitter = new LineSplitter((l) => lines.push(masker.mask(l)), { maxLine: 32, masker });
      const text = `${"x".repeat(30)}${SECRET}${"y".repeat(40)}`;
      const at = 30 + cut;
      splitter.push(text.slice(0, at));
      splitter.push(text.slice(at));
      splitter.end();
      expect(lines.join("")).toBe(`${"x".repeat(30)}***${"y".repeat(40)}`);
    }
  });

  it("a checkout with a link where instructions are injected (a pull request's tree): no write through it", async () => {
    const prRepo = await makeCrewRepo([shAgent("reader", 'echo "sees=$(cat AGENTS.md)"; echo x > x.txt')]);
    try {
      symlinkSync(VICTIM, join(prRepo, "AGENTS.md"));
      await simpleGit(prRepo).add(".").commit("a link to a host file");
      const { agent } = await loadAgent(prRepo, "reader");
      const { result, logs } = await runOnce(runner, prRepo, agent, "read", {
        edit: (p) => ({ ...p, container: { ...p.container, injectedFiles: { "AGENTS.md": "INJECTED\n" } } }),
      });
      expect(readFileSync(VICTIM, "utf8")).toBe("host file, do not touch\n");
      expect(result.status, result.reason).toBe("succeeded");
      expect(logs).toContain("sees=INJECTED");
      // The link is put back as it was: not part of the agent's changes.
      expect(result.changedFiles).toEqual(["x.txt"]);
    } finally {
      await rm(prRepo, { recursive: true, force: true });
    }
  }, 60_000);

  it("a skill folder that is a link out of the repository is not mounted", async () => {
    const linkRepo = await makeCrewRepo([shAgent("skilled", "ls /workspace/.gitcrew-skills/evil")]);
    try {
      symlinkSync(tmpdir(), join(linkRepo, ".gitcrew", "evil-skill"));
      const { agent } = await loadAgent(linkRepo, "skilled");
      await expect(
        runOnce(runner, linkRepo, agent, "look", {
          edit: (p) => ({ ...p, container: { ...p.container, mounts: [{ source: ".gitcrew/evil-skill", target: "/workspace/.gitcrew-skills/evil", readOnly: true }] } }),
        }),
      ).rejects.toThrow(/leads outside the repository/);
    } finally {
      await rm(linkRepo, { recursive: true, force: true });
    }
  }, 60_000);

  it("cannot hang the runner with a FIFO as the channel file", async () => {
    const { agent } = await loadAgent(repo, "fifo");
    const t0 = Date.now();
    const { result } = await runOnce(runner, repo, agent, "hang");
    expect(result.status, result.reason).toBe("succeeded");
    expect(result.answer).toBe("done");
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 60_000);
});
