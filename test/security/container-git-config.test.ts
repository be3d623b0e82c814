/**
 * The git folder the container sees (container-git.ts) is its own: nothing of
 * the host checkout's `.git` reaches it but objects. The checkout's config
 * holds what serve's clone holds (an `http.extraheader` with a GitHub token,
 * a credential helper) and a hook; the agent prints all the git config, the
 * git folder's files and paths it can find. None of the token, the header,
 * the hook or a host path may show. (A design that mounts the checkout's
 * `.git`, or copies its config, shows the header.)
 */
import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const TOKEN = "ghs_containergitTOKEN0123456789abcdef";

const LOOK = [
  'G="$(git rev-parse --absolute-git-dir)"',
  'echo "gitdir=$G"',
  'echo "common=$(git rev-parse --git-common-dir)"',
  'echo "toplevel=$(git rev-parse --show-toplevel)"',
  'echo "dotgit=$(cat /workspace/.git)"',
  "git config --list --show-origin --show-scope",
  'for f in "$G"/config "$G"/HEAD "$G"/objects/info/alternates "$G"/info/*; do echo "== $f"; cat "$f"; done',
  'ls -la "$G" "$G/hooks" 2>&1',
  "git commit --allow-empty -qm probe; echo commit=$?",
].join("; ");

describe("the container's git folder", () => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("look", LOOK)]);
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args]);
    git("config", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${TOKEN}`);
    git("config", "credential.helper", `!echo password=${TOKEN}`);
    const hook = join(repo, ".git", "hooks", "post-commit");
    writeFileSync(hook, "#!/bin/sh\necho HOST-HOOK-RAN\n");
    chmodSync(hook, 0o755);
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    await runner?.close();
    for (const d of [repo, home]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("holds no token, no extraheader, no credential helper, no hook and no host path", async () => {
    const { agent } = await loadAgent(repo, "look");
    const { result, logs } = await runOnce(runner, repo, agent, "look around");
    const all = logs.join("\n");
    expect(result.status, `${result.reason}\n${all}`).toBe("succeeded");
    // git works there (this test looks at something real).
    expect(logs, all).toContain("toplevel=/workspace");
    expect(logs).toContain("commit=0");
    expect(all).not.toContain(TOKEN);
    expect(all.toLowerCase()).not.toContain("extraheader");
    expect(all).not.toContain("credential");
    expect(all).not.toContain("HOST-HOOK-RAN");
    expect(all).not.toContain(repo);
    expect(all).not.toContain("gitcrew-run-");
    expect(logs).toContain("gitdir=/gitcrew-git");
    expect(all).toMatch(/^local\tfile:\/gitcrew-git\/config\tuser\.name=look/m);
    // Only the keys gitcrew writes, in the only config file git read there.
    const keys = logs.filter((l) => /^\w+\tfile:/.test(l)).map((l) => `${l.split("\t")[0]} ${l.split("\t")[1]} ${l.split("\t")[2]!.split("=")[0]}`);
    expect(keys.sort()).toEqual(
      ["core.bare", "core.filemode", "core.logallrefupdates", "core.repositoryformatversion", "gc.auto", "user.email", "user.name"].map((k) => `local file:/gitcrew-git/config ${k}`).sort(),
    );
  }, 120_000);
});
