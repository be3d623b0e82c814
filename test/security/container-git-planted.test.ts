/**
 * An agent plants everything git would run into the git folder it sees
 * (hooks, core.hooksPath, core.fsmonitor, filters, diff.external, an
 * include, alternates) and forges its state (a commit of a file it then
 * deletes, a staged file that is not in the worktree, its branch moved, the
 * default branch's name reused). Then a second run follows on the same
 * checkout (its worktree added by host git). Nothing may run on the host
 * (markers are written on the host's /tmp only if a command runs there: the
 * container's /tmp is its own), the pushed commit holds only the files of the
 * worktree on the start commit, and the checkout's config, hooks and refs
 * are as they were. (A design that mounts the checkout's `.git` writable
 * fails all three: the planted config and hooks land in the host's
 * repository and the next `git worktree add` runs them.)
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const MARK = join(tmpdir(), `gitcrew-cg-pwned-${randomBytes(4).toString("hex")}`);

const PLANT = [
  "set -e",
  'G="$(git rev-parse --git-common-dir)"',
  // A commit of a file it then deletes, and a staged file that is not in the worktree: forged state.
  "echo ghost > ghost.txt && git add ghost.txt && git commit -qm ghost && rm ghost.txt",
  "echo staged > staged.txt && git add staged.txt && rm staged.txt",
  'git update-ref refs/heads/main HEAD && git tag -f v-forged HEAD',
  'mkdir -p "$G/hooks"',
  `for h in post-checkout pre-commit post-commit post-merge reference-transaction pre-auto-gc fsmonitor-watchman; do printf '#!/bin/sh\\ntouch ${MARK}-hook-%s\\n' $h > "$G/hooks/$h"; chmod +x "$G/hooks/$h"; done`,
  'git config core.hooksPath "$G/hooks"',
  `git config core.fsmonitor "touch ${MARK}-fsmonitor; false"`,
  `git config filter.evil.clean "touch ${MARK}-clean; cat"`,
  `git config filter.evil.smudge "touch ${MARK}-smudge; cat"`,
  "git config filter.evil.required true",
  `git config diff.external "touch ${MARK}-diff"`,
  `git config core.sshCommand "touch ${MARK}-ssh"`,
  `printf '[core]\\n\\tpager = touch ${MARK}-pager\\n' > "$G/evil.cfg"`,
  'git config include.path "$G/evil.cfg"',
  'git config "includeIf.gitdir:/.path" "$G/evil.cfg"',
  'echo "* filter=evil" > "$G/info/attributes"',
  'echo / >> "$G/objects/info/alternates"',
  "echo '* filter=evil' > .gitattributes",
  "echo change > change.txt",
  "echo planted",
].join("; ");

describe("a container that plants commands and forged state in its git folder", () => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("planter", PLANT), shAgent("after", "git status --porcelain; git diff; echo after > after.txt")], { "keep.txt": "kept\n" });
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    await runner?.close();
    for (const f of readdirSync(tmpdir()).filter((n) => join(tmpdir(), n).startsWith(MARK))) await rm(join(tmpdir(), f), { force: true });
    for (const d of [repo, home]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("runs nothing on the host, pushes only the worktree's files, leaves the checkout's config, hooks and refs alone", async () => {
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args]).toString();
    const base = git("rev-parse", "main").trim();
    const config = readFileSync(join(repo, ".git", "config"));
    const hooks = readdirSync(join(repo, ".git", "hooks")).sort();
    const refs = git("for-each-ref", "--format=%(refname) %(objectname)");

    const planter = await loadAgent(repo, "planter");
    const first = await runOnce(runner, repo, planter.agent, "plant");
    expect(first.result.status, `${first.result.reason}\n${first.logs.join("\n")}`).toBe("succeeded");
    expect(first.logs).toContain("planted");
    // The next run's worktree is added by host git from the same checkout; then its commit step.
    const after = await loadAgent(repo, "after");
    const second = await runOnce(runner, repo, after.agent, "after");
    expect(second.result.status, `${second.result.reason}\n${second.logs.join("\n")}`).toBe("succeeded");

    const ran = readdirSync(tmpdir()).filter((n) => join(tmpdir(), n).startsWith(MARK));
    expect(ran, "a command planted by the container ran on the host").toEqual([]);
    expect(existsSync(`${MARK}-fsmonitor`)).toBe(false);

    // The pushed commit: the worktree's files on the start commit, nothing the agent staged or committed inside.
    expect(git("rev-parse", `${first.result.branch}^`).trim()).toBe(base);
    expect(git("diff", "--name-only", base, first.result.branch!).split("\n").filter(Boolean)).toEqual([".gitattributes", "change.txt"]);
    expect(git("show", `${first.result.branch}:change.txt`)).toBe("change\n");
    expect(git("ls-tree", "-r", "--name-only", first.result.branch!)).not.toMatch(/ghost\.txt|staged\.txt/);
    expect(second.result.changedFiles).toEqual(["after.txt"]);

    // The checkout: config and hooks byte for byte, refs as before but for the two runs' branches.
    expect(readFileSync(join(repo, ".git", "config")).equals(config), "the checkout's config changed").toBe(true);
    expect(readdirSync(join(repo, ".git", "hooks")).sort()).toEqual(hooks);
    const now = git("for-each-ref", "--format=%(refname) %(objectname)")
      .split("\n")
      .filter((l) => l && !l.startsWith(`refs/heads/${first.result.branch} `) && !l.startsWith(`refs/heads/${second.result.branch} `));
    expect(now.join("\n")).toBe(refs.trim());
    expect(git("rev-parse", "main").trim()).toBe(base);
  }, 180_000);
});
