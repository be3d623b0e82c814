/**
 * Approvals through the Action, end to end: an agent in its container asks
 * for a package with `gitcrew-request-approval`; the run ends awaiting
 * approval with a pull request; an approver merges it and the merge event
 * starts exactly one follow-up that is told what was approved and by whom.
 * A closed request is a rejection, said in the thread.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { examplePayload, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";

const exec = promisify(execFile);

// Asks for jq unless the prompt says an approver (@maria) approved it; then records the prompt.
const DEV = `runtime: command
command: ["sh", "-c", "case \\"$GITCREW_PROMPT\\" in *@maria*) printf '%s\\\\n' \\"$GITCREW_PROMPT\\" > approved.txt; echo 'jq is in, continuing';; *) gitcrew-request-approval --kind package --what jq --reason 'to parse the API answers'; echo 'I asked for jq';; esac"]
triggers:
  mention: true
limits:
  timeout: 2m
  network: none
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\napprovers: users: ["maria"]\n',
  ".gitcrew/agents/dev/agent.yaml": DEV,
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
};

describe("approvals through the Action", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    gh.double.setPermission(gh.fullName, "maria", "maintain");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  /** Follow-up runs in the thread (their tracking comments carry the approval's run id) and "✅ approved" replies. */
  function followUps(issue: number): { runs: number; approved: number } {
    const bodies = gh.double.comments(gh.fullName, issue).map((c) => c.body);
    return { runs: bodies.filter((b) => /gitcrew:origin agent=dev run=approved-/.test(b)).length, approved: bodies.filter((b) => b.includes("✅ @maria approved")).length };
  }

  async function closedEvent(number: number, sender: JsonObject, repository: JsonObject): Promise<JsonObject> {
    const { data: pull } = await gh.double.octokit("maria").pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: number });
    return examplePayload("pull_request", "closed", { action: "closed", number, pull_request: pull as unknown as JsonObject, repository, sender });
  }

  async function askForJq(title: string) {
    const issue = gh.double.addIssue(gh.fullName, { title, user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev parse the API answers");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("awaiting_approval");
    const request = gh.double.pulls(gh.fullName).find((p) => p.pull?.head.startsWith("gitcrew/approval/") && p.body?.includes(`thread=${issue.number}`));
    expect(request, "an approval PR for the thread").toBeDefined();
    return { issue, request: request!, payload };
  }

  it("asks with a PR, and a merge by an approver starts one follow-up told what was approved", async () => {
    const { issue, request, payload } = await askForJq("Parse answers");
    expect(request.labels).toContain("gitcrew:approval");
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.body).toContain("waiting for approval");
    expect(tracking?.body).toContain(`#${request.number}`);
    const file = (await exec("git", ["--git-dir", gh.bareDir, "show", `${request.pull!.head}:.gitcrew/approvals/`])).stdout.trim();
    expect(file).toMatch(/\.yaml$/);

    await gh.double.octokit("maria").pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: request.number });
    const merged = await closedEvent(request.number, { ...(payload.sender as JsonObject), login: "maria" }, payload.repository as JsonObject);
    const follow = await runAction(env, "pull_request", merged, { token });
    expect(follow.code, follow.stdout).toBe(0);
    expect(follow.outputs.status).toBe("succeeded");
    const branch = `gitcrew/dev/${issue.number}`;
    const prompt = (await exec("git", ["--git-dir", gh.bareDir, "show", `${branch}:approved.txt`])).stdout;
    expect(prompt).toContain("@maria");
    expect(prompt).toContain("jq");

    expect(followUps(issue.number)).toEqual({ runs: 1, approved: 1 });

    // The same merge delivered again starts nothing: no run, no comment.
    const commentsBefore = gh.double.comments(gh.fullName, issue.number).length;
    const again = await runAction(env, "pull_request", merged, { token });
    expect(again.code, again.stdout).toBe(0);
    expect(JSON.parse(again.outputs.runs ?? "null")).toEqual([]);
    expect(gh.double.comments(gh.fullName, issue.number).length).toBe(commentsBefore);
    expect(followUps(issue.number)).toEqual({ runs: 1, approved: 1 });
  });

  it("an approval merged while no workflow listened is picked up on the next schedule tick", async () => {
    const { issue, request, payload } = await askForJq("Parse answers while down");
    await gh.double.octokit("maria").pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: request.number });
    // No pull_request event reaches gitcrew; the weekly schedule does.
    const tick = { schedule: "0 6 * * 1", workflow: ".github/workflows/gitcrew.yml", repository: payload.repository, sender: payload.sender };
    const run = await runAction(env, "schedule", tick, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    const prompt = (await exec("git", ["--git-dir", gh.bareDir, "show", `gitcrew/dev/${issue.number}:approved.txt`])).stdout;
    expect(prompt).toContain("@maria");
    expect(JSON.parse(run.outputs.runs ?? "null")).toHaveLength(1);
    expect(followUps(issue.number)).toEqual({ runs: 1, approved: 1 });
    // The next tick finds the approval resolved: no run, no comment.
    const commentsBefore = gh.double.comments(gh.fullName, issue.number).length;
    const again = await runAction(env, "schedule", tick, { token });
    expect(again.code, again.stdout).toBe(0);
    expect(JSON.parse(again.outputs.runs ?? "null")).toEqual([]);
    expect(gh.double.comments(gh.fullName, issue.number).length).toBe(commentsBefore);
    expect(followUps(issue.number)).toEqual({ runs: 1, approved: 1 });
  });

  it("closing the request without merging rejects it, and the thread says so", async () => {
    const { issue, request, payload } = await askForJq("Parse more answers");
    await gh.double.octokit("maria").pulls.update({ owner: gh.owner, repo: gh.repo, pull_number: request.number, state: "closed" });
    const closed = await closedEvent(request.number, { ...(payload.sender as JsonObject), login: "maria" }, payload.repository as JsonObject);
    const run = await runAction(env, "pull_request", closed, { token });
    expect(run.code, run.stdout).toBe(0);
    const last = gh.double.comments(gh.fullName, issue.number).at(-1);
    expect(last?.body).toMatch(/reject/i);
    await expect(exec("git", ["--git-dir", gh.bareDir, "show", `gitcrew/dev/${issue.number}:approved.txt`])).rejects.toThrow();
  });
});
