/**
 * `gitcrew serve` end to end with the real pipeline: a signed issue_comment
 * webhook from the GitHub double → stored → planned from the crew on the
 * default branch → a real `command` agent container → tracking comment,
 * branch pushed to the bare origin and a PR on the double. Also: crew
 * reload on push (a broken crew keeps the last good one and says so),
 * schedules once across two instances.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../src/cli/serve.js";
import { createDefaultPipeline } from "../../src/server/default-pipeline.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { scheduleDeliveryId } from "../../src/server/schedules.js";
import { pushCommit, startDoubleWithRepo } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
let running: GitHubServer[] = [];

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  for (const s of running) {
    s.gh.double.assertNoViolations();
    await s.stop();
  }
  running = [];
});

async function start(...args: Parameters<typeof startGitHubServer>): Promise<GitHubServer> {
  const s = await startGitHubServer(...args);
  running.push(s);
  return s;
}

describe("gitcrew serve with the real pipeline, through the GitHub double", () => {
  it("signed issue_comment → tracking comment, agent container, branch and PR on the double", async () => {
    const s = await start(shAgentFiles("dev", 'echo "hello from the container" > hello.txt; echo "I wrote hello.txt"'));
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Say hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev please say hello");

    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    // The same delivery again (GitHub redelivers) is accepted but runs nothing more.
    const again = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET, delivery.deliveryId);
    expect(again.status).toBe(202);

    const run = await until("the run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    }, 1200);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("succeeded");
    expect(run.containerId).toMatch(/^[0-9a-f]{12,}$/);
    expect(await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` })).toHaveLength(1);

    const comments = double.comments(REPO, issue.number);
    const tracking = comments.find((c) => c.user === "gitcrew-bot[bot]" && c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.body).toContain("I wrote hello.txt");
    const [pr] = double.pulls(REPO);
    expect(pr?.pull?.head).toMatch(/dev/);
    expect(pr?.body).toContain(`#${issue.number}`);
    const branch = pr?.pull?.head ?? "";
    expect(execFileSync("git", ["-C", s.gh.bareDir, "show", `${branch}:hello.txt`], { encoding: "utf8" })).toBe("hello from the container\n");
    const logs = await s.store.readLog(run.id);
    expect(logs.map((l) => l.text).join("")).toContain("I wrote hello.txt");
  });

  it("acts as a GitHub App: the run's token is narrowed to the agent's permissions and its comments are the app's", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const s = await start(shAgentFiles("dev", "echo app at work", "permissions: { contents: \"write\", issues: \"write\", pull_requests: \"write\" }\n"), {
      app: { appId: 4242, privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
    });
    const { double } = s.gh;
    double.addInstallation({ id: 42, appId: 4242, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "As an app", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev hello as the app");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const run = await until("the run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
    }, 1200);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("succeeded");
    const tracking = double.comments(REPO, issue.number).find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.user).toBe("crew-app[bot]");
    expect(tracking?.body).toContain("app at work");
    // One token for planning (all the installation grants), one narrowed to dev's permissions for its run.
    expect(double.installationTokens(42).map((t) => t.permissions)).toContainEqual({ contents: "write", issues: "write", pull_requests: "write" });
  });

  it("plans a delivery again later when GitHub answers 5xx past the client's own retries", async () => {
    const s = await start(shAgentFiles("dev", "echo planned at last"));
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "GitHub is down", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev are you there");
    // The client tries 4 times per call: the first planning fails, the next one gets through.
    double.failNext("repos/get-collaborator-permission-level", { kind: "server-error", status: 503 }, 4);
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    await until("the planning failure", async () => s.logs.some((l) => l.startsWith(`delivery ${delivery.deliveryId}: planning failed, will retry`)), 1200);
    const run = await until("the run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
    }, 1200);
    expect(run.status).toBe("succeeded");
    expect((await s.store.getDelivery(delivery.deliveryId))?.attempts).toBe(2);
  });

  it("reloads the crew on a push to the default branch; a broken crew keeps the last good one and /readyz says so", async () => {
    const s = await start(shAgentFiles("dev", "echo first"));
    const { double } = s.gh;
    expect((await fetch(`${s.server.url}/readyz`)).status).toBe(200);

    // A new agent arrives on main; GitHub sends the push.
    await pushCommit(s.gh.bareDir, "main", shAgentFiles("reviewer", "echo second"), "add reviewer");
    const push = pushPayload(s, [".gitcrew/agents/reviewer/agent.yaml"]);
    expect((await double.deliver(s.webhookUrl, "push", push, SECRET)).status).toBe(202);
    await until("the reviewer agent to be loaded", async () => s.logs.some((l) => /crew: loaded .*dev, reviewer/.test(l)));

    // Then someone breaks it.
    await pushCommit(s.gh.bareDir, "main", { ".gitcrew/agents/reviewer/agent.yaml": "runtime: [not, a, runtime\n" }, "break reviewer");
    expect((await double.deliver(s.webhookUrl, "push", pushPayload(s, [".gitcrew/agents/reviewer/agent.yaml"]), SECRET)).status).toBe(202);
    const body = await until("/readyz to report the broken crew", async () => {
      const res = await fetch(`${s.server.url}/readyz`);
      return res.status === 503 ? ((await res.json()) as { reason: string }) : undefined;
    });
    expect(body.reason).toMatch(/broken .*reviewer\/agent\.yaml.*running the last good crew/);
    expect(await (await fetch(`${s.server.url}/metrics`)).text()).toMatch(/^gitcrew_ready 0$/m);
    expect(s.logs.some((l) => /is broken .*still running the last good crew/.test(l))).toBe(true);

    // The last good crew (dev + reviewer) still plans: @reviewer gets a run.
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Review", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@reviewer have a look");
    await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    const run = await until("the reviewer run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
    }, 1200);
    expect(run.agent).toBe("reviewer");
    expect(run.status).toBe("succeeded");

    // Fixed by a later commit: ready again.
    await pushCommit(s.gh.bareDir, "main", shAgentFiles("reviewer", "echo fixed"), "fix reviewer");
    await double.deliver(s.webhookUrl, "push", pushPayload(s, [".gitcrew/agents/reviewer/agent.yaml"]), SECRET);
    await until("/readyz to be ready again", async () => (await fetch(`${s.server.url}/readyz`)).status === 200);
    expect(await (await fetch(`${s.server.url}/metrics`)).text()).toMatch(/^gitcrew_ready 1$/m);
  });

  it("a schedule fires once per minute across two instances sharing the store", async () => {
    // Every minute: both instances tick often; only one delivery (and one run) per agent and minute may exist.
    const base = Date.UTC(2026, 10, 23, 6, 0, 10);
    let clock = base;
    const now = () => clock;
    const files = { ...shAgentFiles("nightly", "echo tick", 'triggers:\n  schedule: ["* * * * *"]\n'), ...shAgentFiles("weekly", "echo never", 'triggers:\n  schedule: ["0 6 * * 0"]\n') };
    const a = await start(files, { pipeline: { now, scheduleEveryMs: 50 } });
    // A second instance's pipeline on the same store (its own scheduler, same clock).
    const { createPipelineWith } = await import("../../src/server/default-pipeline.js");
    const { readSettings } = await import("../../src/server/settings.js");
    const settings = readSettings({ repo: a.clone, "webhook-secret": SECRET, "github-token": a.gh.double.token("gitcrew-bot[bot]", "Bot"), "github-api-url": a.gh.double.url, instance: "second" }, {}, "");
    const b = await createPipelineWith({ now, scheduleEveryMs: 50 })({ repo: a.clone, store: a.store, env: { ...process.env, GITCREW_HOME: a.home }, cwd: a.clone, log: () => undefined, settings });
    try {
      // A clone whose origin is a local path names no repository: the first webhook tells each instance.
      await a.gh.double.deliver(a.webhookUrl, "push", pushPayload(a, ["README.md"]), SECRET);
      await b.handler.plan({ id: "push-b", event: "push", payload: JSON.stringify(pushPayload(a, ["README.md"])), receivedAt: clock, state: "pending", attempts: 0 });
      await new Promise((r) => setTimeout(r, 400));
      clock = base + 60_000;
      await new Promise((r) => setTimeout(r, 400));
      const ids = [scheduleDeliveryId("nightly", new Date(base - 10_000)), scheduleDeliveryId("nightly", new Date(base + 50_000))];
      for (const id of ids) expect(await a.store.getDelivery(id)).toBeDefined();
      expect(await a.store.getDelivery(scheduleDeliveryId("weekly", new Date(base - 10_000)))).toBeUndefined();
      const runs = await until("both scheduled runs to finish", async () => {
        const rs = (await a.store.listRuns({ limit: 100 })).filter((r) => r.agent === "nightly");
        return rs.length === 2 && rs.every((r) => r.status === "succeeded") ? rs : undefined;
      }, 1200);
      expect(runs.map((r) => r.id).sort()).toEqual(ids.map((id) => `${id}:nightly`).sort());
      expect(runs.every((r) => r.threadKey === `${REPO}@nightly`)).toBe(true);
    } finally {
      await b.close?.();
    }
  });
});

describe("the gitcrew serve verb with the default pipeline", () => {
  it("starts from flags (token, API URL, local clone), is ready with the crew, and stops on the signal", async () => {
    const gh = await startDoubleWithRepo(REPO, { "README.md": "# w\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles("dev", "echo hi") });
    const root = mkdtempSync(join(tmpdir(), "gitcrew-serve-verb-"));
    execFileSync("git", ["clone", "--quiet", gh.bareDir, join(root, "clone")]);
    const controller = new AbortController();
    let stdout = "";
    let stderr = "";
    try {
      const exit = serve(
        {
          argv: ["--repo", "clone", "--webhook-secret", SECRET, "--github-api-url", gh.double.url, "--port", "0", "--store", "s.db"],
          env: { ...process.env, GITCREW_HOME: join(root, "home"), GITHUB_TOKEN: gh.double.token("gitcrew-bot[bot]", "Bot") },
          cwd: root,
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          signal: controller.signal,
        },
        createDefaultPipeline,
      );
      const url = await until("the listening line", async () => /listening on (\S+)/.exec(stdout)?.[1]);
      await until("/readyz", async () => (await fetch(`${url}/readyz`)).status === 200);
      expect(stderr).toMatch(/crew: loaded from main at [0-9a-f]{12} \(start\): dev/);
      controller.abort();
      expect(await exit).toBe(0);
      expect(stderr).toMatch(/stopped/);
    } finally {
      controller.abort();
      await gh.close();
    }
  });

  it("--repo OWNER/NAME clones into GITCREW_HOME/repos with the token in the clone's config, not in its URL", async () => {
    const gh = await startDoubleWithRepo(REPO, { "README.md": "# w\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles("dev", "echo hi") });
    const root = mkdtempSync(join(tmpdir(), "gitcrew-serve-clone-"));
    const home = join(root, "home");
    const token = gh.double.token("gitcrew-bot[bot]", "Bot");
    // The double serves no git over HTTP: git maps the clone URL gitcrew derives from the API URL to the bare repo
    // (user config through XDG_CONFIG_HOME: simple-git drops ambient GIT_* variables).
    const xdg = join(root, "xdg");
    mkdirSync(join(xdg, "git"), { recursive: true });
    writeFileSync(join(xdg, "git", "config"), `[url "${gh.bareDir}"]\n\tinsteadOf = ${gh.double.url}/${REPO}.git\n`);
    const savedXdg = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg;
    const controller = new AbortController();
    let stdout = "";
    let stderr = "";
    try {
      const exit = serve(
        {
          argv: ["--repo", REPO, "--webhook-secret", SECRET, "--github-token", token, "--github-api-url", gh.double.url, "--port", "0", "--store", "s.db"],
          env: { ...process.env, GITCREW_HOME: home },
          cwd: root,
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          signal: controller.signal,
        },
        createDefaultPipeline,
      );
      const url = await until("the listening line", async () => /listening on (\S+)/.exec(stdout)?.[1]);
      await until("/readyz", async () => (await fetch(`${url}/readyz`)).status === 200);
      const clone = join(home, "repos", "acme", "widgets");
      expect(stderr).toContain(`cloning ${gh.double.url}/${REPO}.git into ${clone}`);
      const config = execFileSync("git", ["-C", clone, "config", "--local", "--list"], { encoding: "utf8" });
      expect(config).toContain(`remote.origin.url=${gh.double.url}/${REPO}.git`);
      expect(config).toContain(`http.${gh.double.url}/.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`);
      expect(config).not.toContain(`${token}@`);
      controller.abort();
      expect(await exit).toBe(0);
    } finally {
      controller.abort();
      if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = savedXdg;
      await gh.close();
    }
  });

  it("refuses to start without GitHub access, saying which flags give it", async () => {
    const root = mkdtempSync(join(tmpdir(), "gitcrew-serve-verb-"));
    execFileSync("git", ["init", "-q", join(root, "clone")]);
    const env: NodeJS.ProcessEnv = { ...process.env, GITCREW_HOME: join(root, "home") };
    delete env.GITHUB_TOKEN;
    delete env.GITHUB_APP_ID;
    await expect(
      serve({ argv: ["--repo", "clone", "--webhook-secret", "s", "--port", "0", "--store", "s.db"], env, cwd: root, stdout: () => undefined, stderr: () => undefined }, createDefaultPipeline),
    ).rejects.toThrow(/--github-token \(GITHUB_TOKEN\), or --app-id and --private-key-file/);
  });
});

function pushPayload(s: GitHubServer, files: string[]): JsonObject {
  const sha = execFileSync("git", ["-C", s.gh.bareDir, "rev-parse", "main"], { encoding: "utf8" }).trim();
  const [owner = "", name = ""] = REPO.split("/");
  return {
    ref: "refs/heads/main",
    before: "0".repeat(40),
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${REPO}/compare`,
    commits: [{ id: sha, tree_id: sha, distinct: true, message: "change", timestamp: new Date().toISOString(), url: "", author: { name: "a", email: "a@x", username: "alice" }, committer: { name: "a", email: "a@x" }, added: [], modified: files, removed: [] }],
    head_commit: null,
    repository: { id: 1, name, full_name: REPO, owner: { login: owner, id: 1, type: "Organization" }, private: false, default_branch: "main", master_branch: "main", html_url: `https://github.com/${REPO}` },
    pusher: { name: "alice", email: "a@x" },
    sender: { login: "alice", id: 2, type: "User" },
  };
}
