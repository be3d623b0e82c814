/**
 * One `gitcrew serve` for many repositories (issue 19), with real parts: the
 * GitHub double serves three repositories from real bare origins, each with
 * its own crew, through one GitHub App installation; comments start the
 * right agent of the right crew in a real `command` container; one
 * repository's broken crew leaves the others working; nothing is cloned at
 * start, a repository off the list is never cloned, one without `.gitcrew/`
 * costs one check; a repository removed from the installation stops being
 * served and its checkout goes. Bad --repos input is a usage error.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../src/cli/serve.js";
import { createDefaultPipeline } from "../../src/server/default-pipeline.js";
import { readSettings } from "../../src/server/settings.js";
import type { RunRecord } from "../../src/store/types.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET, shAgentFiles } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { INSTALLATION, startReposServer, type ReposServer } from "../support/server-repos.js";

let running: ReposServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  running?.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

const crew = (files: Record<string, string>) => ({ "README.md": "# repo\n", ".gitcrew/crew.cue": CREW_CUE, ...files });

const REPOS = {
  "acme/alpha": crew(shAgentFiles("dev", 'echo "alpha dev at work"')),
  "acme/beta": crew(shAgentFiles("reviewer", 'echo "beta reviewer at work"')),
  // Broken: not a runtime, and an unclosed list.
  "acme/gamma": crew({ ".gitcrew/agents/dev/agent.yaml": "runtime: [not, a, runtime\n", ".gitcrew/agents/dev/instructions.md": "x\n" }),
  "acme/plain": { "README.md": "# no crew here\n" },
  "acme/secret": crew(shAgentFiles("dev", 'echo "must never run"')),
  "other/outside": crew(shAgentFiles("dev", 'echo "must never run"')),
};

async function comment(s: ReposServer, repo: string, text: string): Promise<{ issue: number; deliveryId: string }> {
  const issue = s.double.addIssue(repo, { title: `Work in ${repo}`, user: "alice" });
  const { payload } = s.double.addComment(repo, issue.number, "alice", text);
  const d = await s.double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
  expect(d.status).toBe(202);
  return { issue: issue.number, deliveryId: d.deliveryId };
}

async function finished(s: ReposServer, threadKey: string): Promise<RunRecord> {
  return until(`the run in ${threadKey} to finish`, async () => {
    const [r] = await s.store.listRuns({ threadKey });
    return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
  }, 2400);
}

const logged = (s: ReposServer, re: RegExp) => until(`a log line ${re}`, async () => s.logs.find((l) => re.test(l)), 1200);

describe("gitcrew serve for many repositories (GitHub App, --repos)", () => {
  it("runs each repository's own crew; a broken crew, a repository without one and repositories off the list leave the others working", { timeout: 300_000 }, async () => {
    const s = (running = await startReposServer(REPOS, { repos: "acme/*,!acme/secret" }));
    const repos = join(s.home, "repos");
    // Nothing is cloned at start, and GitHub is not asked anything.
    expect(existsSync(repos)).toBe(false);
    expect(s.double.requests).toEqual([]);
    expect(s.logs.some((l) => l.includes("serving repositories matching acme/*,!acme/secret"))).toBe(true);

    const alpha = await comment(s, "acme/alpha", "@dev please work");
    const beta = await comment(s, "acme/beta", "@reviewer have a look");
    const gamma = await comment(s, "acme/gamma", "@dev anything");
    const alphaRun = await finished(s, `acme/alpha#${alpha.issue}`);
    const betaRun = await finished(s, `acme/beta#${beta.issue}`);
    expect([alphaRun.status, alphaRun.agent, alphaRun.error]).toEqual(["succeeded", "dev", undefined]);
    expect([betaRun.status, betaRun.agent, betaRun.error]).toEqual(["succeeded", "reviewer", undefined]);
    expect(alphaRun.containerId).toMatch(/^[0-9a-f]{12,}$/);
    // The tracking comment in each repository is the App's, with that crew's output.
    const tracking = (repo: string, issue: number) => s.double.comments(repo, issue).find((c) => c.body.includes("gitcrew:origin agent="));
    expect(tracking("acme/alpha", alpha.issue)?.body).toContain("alpha dev at work");
    expect(tracking("acme/alpha", alpha.issue)?.user).toBe("crew-app[bot]");
    expect(tracking("acme/beta", beta.issue)?.body).toContain("beta reviewer at work");

    // alpha's crew has no reviewer: beta's agent is not alpha's.
    const cross = await comment(s, "acme/alpha", "@reviewer you are not here");
    await logged(s, new RegExp(`delivery ${cross.deliveryId} \\(issue_comment\\): `));
    expect(await s.store.listRuns({ threadKey: `acme/alpha#${cross.issue}` })).toEqual([]);

    // gamma's broken crew: reported for gamma alone; the server stays ready, /readyz?repo=acme/gamma is not.
    await logged(s, /^acme\/gamma: crew: main at [0-9a-f]{12} is broken .*agent\.yaml/);
    const ready = await fetch(`${s.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { repos?: Record<string, string> }).repos?.["acme/gamma"]).toMatch(/agent\.yaml/);
    const gammaReady = await fetch(`${s.server.url}/readyz?repo=acme/gamma`);
    expect(gammaReady.status).toBe(503);
    expect(((await gammaReady.json()) as { reason: string }).reason).toMatch(/no usable crew on main/);
    expect((await fetch(`${s.server.url}/readyz?repo=acme/alpha`)).status).toBe(200);
    await logged(s, new RegExp(`delivery ${gamma.deliveryId}: planning failed, will retry: the crew on main does not load`));
    // …and in gamma itself: a failed check run on the broken commit, where its authors look.
    const [check] = [...s.double.repo("acme/gamma").checkRuns.values()];
    expect([check?.name, check?.conclusion, check?.headSha]).toEqual(["gitcrew crew", "failure", execFileSync("git", ["--git-dir", s.bare["acme/gamma"] ?? "", "rev-parse", "main"], { encoding: "utf8" }).trim()]);
    expect(check?.output.summary).toMatch(/agents\/dev\/agent\.yaml/);
    expect([...s.double.repo("acme/alpha").checkRuns.values()].filter((c) => c.name === "gitcrew crew")).toEqual([]);
    expect(await s.store.listRuns({ threadKey: `acme/gamma#${gamma.issue}` })).toEqual([]);

    // A repository without .gitcrew/: one contents check, no clone, its events ignored with the reason.
    const plain = await comment(s, "acme/plain", "@dev hello?");
    await logged(s, new RegExp(`delivery ${plain.deliveryId} \\(issue_comment\\): acme/plain has no \\.gitcrew/ on main`));
    const plain2 = await comment(s, "acme/plain", "@dev again?");
    await logged(s, new RegExp(`delivery ${plain2.deliveryId} \\(issue_comment\\): acme/plain has no \\.gitcrew/ on main`));
    expect(s.double.calls("repos/get-content").filter((c) => c.path.includes("/acme/plain/"))).toHaveLength(1);
    expect(existsSync(join(repos, "acme", "plain"))).toBe(false);

    // Off the list (excluded by "!", or another owner): answered 202, recorded with the reason, never cloned or asked about.
    const secret = await comment(s, "acme/secret", "@dev run");
    const outside = await comment(s, "other/outside", "@dev run");
    await logged(s, new RegExp(`delivery ${secret.deliveryId} \\(issue_comment\\): acme/secret is not on --repos \\(acme/\\*,!acme/secret\\)`));
    await logged(s, new RegExp(`delivery ${outside.deliveryId} \\(issue_comment\\): other/outside is not on --repos`));
    expect((await s.store.getDelivery(outside.deliveryId))?.state).toBe("planned");
    expect(await s.store.listRuns({ threadKey: `other/outside#${outside.issue}` })).toEqual([]);
    expect(existsSync(join(repos, "other"))).toBe(false);
    expect(existsSync(join(repos, "acme", "secret"))).toBe(false);
    expect(s.double.requests.filter((r) => /\/repos\/(acme\/secret|other\/outside)\b/.test(r.path))).toEqual([]);

    // Cloned on first need, one checkout per repository with a crew.
    expect(existsSync(join(repos, "acme", "alpha", ".git"))).toBe(true);
    expect(existsSync(join(repos, "acme", "beta", ".git"))).toBe(true);
  });

  it("a repository removed from the installation stops being served and its checkout is removed", { timeout: 300_000 }, async () => {
    const s = (running = await startReposServer({ "acme/alpha": REPOS["acme/alpha"], "acme/beta": REPOS["acme/beta"] }));
    expect(s.logs.some((l) => l.includes("every repository of the GitHub App's installations"))).toBe(true);
    const first = await comment(s, "acme/beta", "@reviewer first");
    expect((await finished(s, `acme/beta#${first.issue}`)).status).toBe("succeeded");
    const checkout = join(s.home, "repos", "acme", "beta");
    expect(existsSync(checkout)).toBe(true);

    const removed = s.double.removeFromInstallation(INSTALLATION, "acme/beta");
    expect(s.double.webhookProblems("installation_repositories", removed)).toEqual([]);
    expect((await s.double.deliver(s.webhookUrl, "installation_repositories", removed, SECRET)).status).toBe(202);
    await logged(s, /^repos: acme\/beta removed from installation 42: no longer served; its checkout is removed/);
    expect(existsSync(checkout)).toBe(false);

    const after = await comment(s, "acme/beta", "@reviewer again");
    await logged(s, new RegExp(`delivery ${after.deliveryId} \\(issue_comment\\): acme/beta is no longer served: removed from installation 42`));
    expect(await s.store.listRuns({ threadKey: `acme/beta#${after.issue}` })).toEqual([]);
    expect(existsSync(checkout)).toBe(false);
    // alpha, still installed, goes on.
    const alpha = await comment(s, "acme/alpha", "@dev still here");
    expect((await finished(s, `acme/alpha#${alpha.issue}`)).status).toBe("succeeded");
  });
});

describe("--repos input", () => {
  const base = { "webhook-secret": SECRET, "github-token": "t" };

  it.each([
    ["acme", "acme", /--repos pattern "acme" is not OWNER\/NAME/],
    ["a brace", "acme/*,acme/{a,b}", /--repos pattern "acme\/\{a" is not OWNER\/NAME/],
    ["an open class", "acme/[abc", /--repos pattern "acme\/\[abc" is not OWNER\/NAME/],
    ["two slashes", "acme/x/y", /--repos pattern "acme\/x\/y" is not OWNER\/NAME/],
    ["no pattern", " , ", /--repos lists no pattern/],
    ["1001 patterns", Array.from({ length: 1001 }, (_, i) => `acme/r${i}`).join(","), /--repos lists 1001 patterns; at most 1000/],
    ["a 305-character pattern", `acme/${"x".repeat(300)}`, /--repos pattern "acme\/x+…" is longer than 200 characters/],
  ])("refuses %s, naming it", (_label, repos, message) => {
    expect(() => readSettings({ ...base, repos }, {}, "usage")).toThrow(message);
  });

  it("refuses --repo with --repos, and neither without an App; the verb says so before listening", { timeout: 300_000 }, async () => {
    expect(() => readSettings({ ...base, repos: "acme/*", repo: "acme/x" }, {}, "u")).toThrow(/give --repo .* or --repos .*, not both/);
    expect(() => readSettings(base, {}, "u")).toThrow(/--repo OWNER\/NAME\|PATH or --repos PATTERNS is required/);
    let stdout = "";
    await expect(
      serve({ argv: ["--repos", "acme/{a,b}", "--webhook-secret", "s", "--github-token", "t", "--port", "0"], env: {}, cwd: "/", stdout: (t) => (stdout += t), stderr: () => undefined }, createDefaultPipeline),
    ).rejects.toThrow(/--repos pattern "acme\/\{a" is not OWNER\/NAME/);
    expect(stdout).toBe("");
    // From the environment too.
    expect(() => readSettings(base, { GITCREW_REPOS: "!" }, "u")).toThrow(/--repos pattern "!" is not OWNER\/NAME/);
  });
});
