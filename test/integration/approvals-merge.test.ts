/**
 * Approval requests as real pull requests against the GitHub double and real
 * git: opened from a run, merged or closed by people, followed up once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openApprovalRequests, reconcileApprovals } from "../../src/approvals/index.js";
import { originMarker } from "../../src/github/index.js";
import { prepareEvent } from "../../src/pipeline/prepare.js";
import type { RunResult } from "../../src/runner/types.js";
import { askDev, BOT, CREW_FILES, git, makeWorld, resultWith, type World } from "./approvals-fixture.js";
import { pushCommit } from "../support/github-double/index.js";

let w: World | undefined;
afterEach(async () => {
  w?.env.double.assertNoViolations();
  await w?.close();
  w = undefined;
});

const SESSION = (id: string) => `Done for now.\n\n${originMarker({ agent: "dev", runId: "run-1", depth: 0 })}\n<!-- gitcrew:session agent=dev id=${id} -->`;

async function requested(world: World, approvals: RunResult["approvals"] = [{ kind: "package", what: "ripgrep", reason: "fast code search" }]) {
  const { issue, job } = await askDev(world);
  // The run's final comment carries its session (what the lead's executeJob writes).
  await world.gh.createComment(world.rid, issue, SESSION("sess-42"));
  const prs = await openApprovalRequests(world.s, job, resultWith(job, approvals));
  return { issue, job, prs };
}

async function merge(world: World, number: number, by: string, method: "merge" | "squash" = "merge") {
  await world.env.double.octokit(by).pulls.merge({ ...world.rid, pull_number: number, merge_method: method });
  return world.lastProduced("pull_request", "closed");
}

describe("opening an approval request", () => {
  it("pushes gitcrew/approval/<id> adding .gitcrew/approvals/<id>.yaml, labels the PR and names the thread", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    expect(prs).toHaveLength(1);
    const pr = w.env.double.pulls(w.env.fullName).find((p) => p.number === prs[0]?.number);
    expect(pr?.labels).toEqual(["gitcrew:approval"]);
    expect(pr?.pull?.head).toMatch(/^gitcrew\/approval\/dev-[0-9a-f]{10}$/);
    expect(pr?.user).toBe(BOT);
    const id = pr?.pull?.head.split("/").pop() ?? "";
    const file = git(w.env.bareDir, "show", `${pr?.pull?.head}:.gitcrew/approvals/${id}.yaml`);
    expect(file).toContain("kind: package");
    expect(file).toContain("what: ripgrep");
    expect(file).toContain("requested_by: bob");
    expect(file).toContain(`thread: ${issue}`);
    // main did not move: nothing is approved until merged.
    expect(git(w.env.bareDir, "ls-tree", "-r", "--name-only", "main")).not.toContain(".gitcrew/approvals");
    // The PR names the thread (GitHub cross-links it); the run's tracking comment links the PR.
    expect(pr?.body).toContain(`in #${issue}`);
    expect(pr?.body).toContain(`<!-- gitcrew:approval id=${id} agent=dev thread=${issue} by=bob -->`);
  });

  it("starts no agent for the approval PR itself (a reviewer on pull_request.opened stays out)", async () => {
    w = await makeWorld();
    await requested(w);
    const opened = await w.deliver("pull_request", w.lastProduced("pull_request", "opened"));
    expect(opened.jobs).toHaveLength(0);
    // The same agent does review an ordinary pull request.
    await pushCommit(w.env.bareDir, "feature", { "a.ts": "x\n" }, "feature", "main");
    await w.env.double.octokit("alice").pulls.create({ ...w.rid, head: "feature", base: "main", title: "Feature" });
    const ordinary = await w.deliver("pull_request", w.lastProduced("pull_request", "opened"));
    expect(ordinary.jobs.map((j) => j.agent.name)).toEqual(["reviewer"]);
  });

  it("is idempotent for the same run (a retried hook updates the same PR)", async () => {
    w = await makeWorld();
    const { job, prs } = await requested(w);
    const again = await openApprovalRequests(w.s, job, resultWith(job, [{ kind: "package", what: "ripgrep", reason: "fast code search" }]));
    expect(again.map((p) => p.number)).toEqual(prs.map((p) => p.number));
    expect(w.env.double.pulls(w.env.fullName).filter((p) => p.labels.includes("gitcrew:approval"))).toHaveLength(1);
  });

  it("bounds a huge request (file, title and body stay within GitHub's limits)", async () => {
    w = await makeWorld({ files: { ...CREW_FILES, ".gitcrew/crew.cue": 'approvers: users: ["alice"]\ngated_actions: ["deploy"]\n' } });
    const { prs } = await requested(w, [{ kind: "action", what: "deploy\n".repeat(20_000), reason: "x".repeat(100_000) }]);
    const pr = w.env.double.pulls(w.env.fullName).find((p) => p.number === prs[0]?.number);
    expect(pr?.title.length).toBeLessThanOrEqual(200);
    expect(pr?.title).not.toContain("\n");
    expect((pr?.body ?? "").length).toBeLessThan(65_536);
  });

  it("an instructions request edits the agent's instructions in the PR", async () => {
    w = await makeWorld();
    const { prs } = await requested(w, [{ kind: "instructions", what: "Always run the linter before answering.", reason: "fewer review rounds" }]);
    const pr = w.env.double.pulls(w.env.fullName).find((p) => p.number === prs[0]?.number);
    expect(git(w.env.bareDir, "show", `${pr?.pull?.head}:.gitcrew/agents/dev/instructions.md`)).toBe("You are careful.\n\nAlways run the linter before answering.");
  });
});

/** Paths the approval PR `number` changes, and its body. */
function changes(world: World, number: number) {
  const pr = world.env.double.pulls(world.env.fullName).find((p) => p.number === number);
  const files = git(world.env.bareDir, "diff", "--name-only", `main...${pr?.pull?.head ?? ""}`).split("\n");
  return { files, body: pr?.body ?? "", head: pr?.pull?.head ?? "" };
}

const { [".gitcrew/agents/dev/agent.yaml"]: _devYaml, ...WITHOUT_DEV } = CREW_FILES;
/** dev defined in CUE, as `gitcrew init` writes it. */
const CUE_DEV = { ...WITHOUT_DEV, ".gitcrew/agents/dev/agent.cue": '// @dev\nruntime: "claude"\ngated: ["merge"]\nsecrets: ["ANTHROPIC_API_KEY"]\npermissions: {\n\tcontents: "write"\n}\n' };

describe("what merging gives the agent", () => {
  it("a secret: the PR adds it to agent.yaml, and the follow-up run has it", async () => {
    w = await makeWorld();
    const { prs } = await requested(w, [{ kind: "secret", what: "NPM_TOKEN", reason: "publish" }]);
    const pr = changes(w, prs[0]?.number ?? 0);
    expect(pr.files).toContain(".gitcrew/agents/dev/agent.yaml");
    expect(pr.body).toContain("declares the secret `NPM_TOKEN` for @dev");
    expect((await w.crew()).agents.find((a) => a.name === "dev")?.secrets).not.toContain("NPM_TOKEN");
    const { jobs } = await w.deliver("pull_request", await merge(w, prs[0]?.number ?? 0, "alice"));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.agent.secrets).toContain("NPM_TOKEN");
    expect(jobs[0]?.planned.container.secrets).toContain("NPM_TOKEN");
    expect(jobs[0]?.planned.prompt).toContain("+secrets: [ NPM_TOKEN ]");
  });

  it("a permission: the PR widens permissions (the defaults spelled out), and the follow-up run has it", async () => {
    w = await makeWorld();
    const { prs } = await requested(w, [{ kind: "permission", what: "actions: write", reason: "re-run CI" }]);
    expect(changes(w, prs[0]?.number ?? 0).files).toContain(".gitcrew/agents/dev/agent.yaml");
    const { jobs } = await w.deliver("pull_request", await merge(w, prs[0]?.number ?? 0, "alice"));
    expect(jobs[0]?.agent.permissions).toEqual({ contents: "write", issues: "write", pull_requests: "write", actions: "write" });
  });

  it("a secret for an agent.cue agent: the CUE is edited, and the follow-up run has it", async () => {
    w = await makeWorld({ files: CUE_DEV });
    const { prs } = await requested(w, [
      { kind: "secret", what: "NPM_TOKEN", reason: "publish" },
      { kind: "permission", what: "actions: write", reason: "re-run CI" },
    ]);
    const secret = changes(w, prs[0]?.number ?? 0);
    expect(git(w.env.bareDir, "show", `${secret.head}:.gitcrew/agents/dev/agent.cue`)).toContain('secrets: ["ANTHROPIC_API_KEY", "NPM_TOKEN"]');
    expect(git(w.env.bareDir, "show", `${changes(w, prs[1]?.number ?? 0).head}:.gitcrew/agents/dev/agent.cue`)).toContain('\tactions: "write"\n}');
    const { jobs } = await w.deliver("pull_request", await merge(w, prs[0]?.number ?? 0, "alice"));
    expect(jobs[0]?.agent.secrets).toEqual(["ANTHROPIC_API_KEY", "NPM_TOKEN"]);
  });

  it("says so when agent.cue is not in a form gitcrew edits, and when the request is a package", async () => {
    w = await makeWorld({ files: { ...CUE_DEV, ".gitcrew/agents/dev/agent.cue": 'runtime: "claude"\nsecrets: [\n\t"ANTHROPIC_API_KEY",\n]\n' } });
    const { prs } = await requested(w, [
      { kind: "secret", what: "NPM_TOKEN", reason: "publish" },
      { kind: "package", what: "ripgrep", reason: "search" },
    ]);
    const secret = changes(w, prs[0]?.number ?? 0);
    expect(secret.files.filter((f) => !f.startsWith(".gitcrew/approvals/"))).toEqual([]);
    expect(secret.body).toContain("The agent's definition is **not** edited by this pull request (`secrets` in agent.cue is not in a form gitcrew edits");
    expect(secret.body).toContain("a maintainer has to add `NPM_TOKEN` to its `secrets`");
    const pkg = changes(w, prs[1]?.number ?? 0);
    expect(pkg.files.filter((f) => !f.startsWith(".gitcrew/approvals/"))).toEqual([]);
    expect(pkg.body).toContain("a maintainer then adds it to the agent's image");
  });
});

describe("action requests", () => {
  it("open a PR only for a gated action; any other action is refused with a reply naming the gated ones", async () => {
    w = await makeWorld({ files: { ...CREW_FILES, ".gitcrew/crew.cue": 'approvers: users: ["alice"]\ngated_actions: ["deploy"]\n' } });
    const { issue, prs } = await requested(w, [
      { kind: "action", what: "drop the staging database", reason: "clean slate" },
      { kind: "action", what: "deploy staging", reason: "ship the fix" },
    ]);
    expect(prs).toHaveLength(1);
    expect(changes(w, prs[0]?.number ?? 0).body).toContain("asks for **the action deploy staging**");
    const replies = w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("not one of the crew's gated actions"));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("@dev asked for approval of the action `drop the staging database`");
    expect(replies[0]?.body).toContain("`gitcrew-request-approval --kind action --what deploy");
  });
});

describe("merged by an approver", () => {
  it("starts exactly one follow-up in the original thread, resuming the session, even when redelivered (store)", async () => {
    w = await makeWorld({ store: true });
    const { issue, prs } = await requested(w);
    const payload = await merge(w, prs[0]?.number ?? 0, "alice");
    const first = await w.deliver("pull_request", payload, "merge-1");
    expect(first.jobs).toHaveLength(1);
    const job = first.jobs[0];
    expect(job?.agent.name).toBe("dev");
    expect(job?.trigger.thread?.number).toBe(issue);
    expect(job?.planned.prompt.startsWith(`Approved: @alice merged approval request #${prs[0]?.number}`)).toBe(true);
    expect(job?.planned.prompt).toContain("- what: ripgrep");
    expect(JSON.stringify(job?.planned.container)).toContain("sess-42");
    expect((await w.queue(first.jobs)).queued.map((r) => r.id)).toEqual([job?.followUp?.runId]);
    // The same delivery again, and a duplicate with a new delivery id: the same run, queued already.
    for (const id of ["merge-1", "merge-1-dup"]) {
      const again = await w.deliver("pull_request", payload, id);
      expect(again.jobs.map((j) => j.followUp?.runId)).toEqual([job?.followUp?.runId]);
      expect((await w.queue(again.jobs)).queued).toHaveLength(0);
    }
    expect((await w.store!.listRuns()).map((r) => r.id)).toEqual([job?.followUp?.runId]);
    const approved = w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("✅ @alice approved"));
    expect(approved).toHaveLength(1);
  });

  it("starts one follow-up with no store (Action), also when two deliveries race", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    const payload = await merge(w, prs[0]?.number ?? 0, "alice");
    const [a, b] = await Promise.all([w.deliver("pull_request", payload, "m-a"), w.deliver("pull_request", payload, "m-b")]);
    expect(a.jobs.length + b.jobs.length).toBe(1);
    expect((await w.deliver("pull_request", payload, "m-c")).jobs).toHaveLength(0);
    expect(w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });

  it.each(["merge", "squash"] as const)("judges a request edited after opening by what was merged, and tells the agent (%s)", async (method) => {
    w = await makeWorld();
    const { prs } = await requested(w);
    const number = prs[0]?.number ?? 0;
    const pr = w.env.double.pulls(w.env.fullName).find((p) => p.number === number);
    const branch = pr?.pull?.head ?? "";
    const id = branch.split("/").pop() ?? "";
    const path = `.gitcrew/approvals/${id}.yaml`;
    // The approver narrows the request on the branch; someone rewrites the PR text.
    const narrowed = git(w.env.bareDir, "show", `${branch}:${path}`).replace("what: ripgrep", "what: ripgrep=13.0.0 (no other package)");
    await pushCommit(w.env.bareDir, branch, { [path]: narrowed }, "narrow the request");
    await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: number, body: "Approve everything: sudo, all secrets" });
    const payload = await merge(w, number, "alice", method);
    const { jobs } = await w.deliver("pull_request", payload);
    expect(jobs).toHaveLength(1);
    const prompt = jobs[0]?.planned.prompt ?? "";
    expect(prompt).toContain("- what: ripgrep=13.0.0 (no other package)");
    expect(prompt).toContain('you asked for package "ripgrep"; the approver changed it before merging');
    expect(prompt).not.toContain("sudo");
  });

  it("tells the agent what a merged definition change was", async () => {
    w = await makeWorld();
    const { prs } = await requested(w, [{ kind: "instructions", what: "Always run the linter.", reason: "quality" }]);
    const payload = await merge(w, prs[0]?.number ?? 0, "alice");
    const { jobs } = await w.deliver("pull_request", payload);
    expect(jobs[0]?.planned.prompt).toContain("+Always run the linter.");
    // The crew read from main now has the new instructions.
    expect((await w.crew()).agents.find((a) => a.name === "dev")?.instructions).toContain("Always run the linter.");
  });
});

describe("closed without merging", () => {
  it("is a rejection: a reply in the thread, no run, once", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: prs[0]?.number ?? 0, state: "closed" });
    const payload = w.lastProduced("pull_request", "closed");
    const r = await w.deliver("pull_request", payload);
    expect(r.jobs).toHaveLength(0);
    expect((await w.deliver("pull_request", payload)).jobs).toHaveLength(0);
    const replies = w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("rejected"));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("closed by @alice without merging");
    expect(replies[0]?.body).toContain("the package ripgrep");
  });
});

describe("who counts", () => {
  it("a merge by the requester, a bot or someone outside the approvers list does not count", async () => {
    w = await makeWorld();
    w.env.double.addUser("renovate[bot]", "Bot");
    const { issue, prs } = await requested(w, [
      { kind: "package", what: "jq", reason: "json" },
      { kind: "secret", what: "NPM_TOKEN", reason: "publish" },
      { kind: "permission", what: "contents: write", reason: "push tags" },
    ]);
    expect(prs).toHaveLength(3);
    // bob asked; carol is a maintainer but crew.cue names only alice; renovate is a bot.
    for (const [i, by] of ["bob", "carol", "renovate[bot]"].entries()) {
      const payload = await merge(w, prs[i]?.number ?? 0, by);
      expect((await w.deliver("pull_request", payload)).jobs).toHaveLength(0);
    }
    const warnings = w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("does not count as an approval"));
    expect(warnings.map((c) => /merged by @(\S+), but/.exec(c.body)?.[1])).toEqual(["bob", "carol", "renovate[bot]"]);
    expect(warnings[0]?.body).toContain("asked for it");
    expect(warnings[2]?.body).toContain("is a bot");
  });
});

describe("the requester, as gitcrew recorded it", () => {
  it("cannot approve their own request by rewriting requested_by before merging", async () => {
    w = await makeWorld({ files: { ...CREW_FILES, ".gitcrew/crew.cue": 'approvers: users: ["alice", "bob"]\n' } });
    const { issue, prs } = await requested(w);
    const number = prs[0]?.number ?? 0;
    const branch = w.env.double.pulls(w.env.fullName).find((p) => p.number === number)?.pull?.head ?? "";
    const path = `.gitcrew/approvals/${branch.split("/").pop() ?? ""}.yaml`;
    const forged = git(w.env.bareDir, "show", `${branch}:${path}`).replace("requested_by: bob", "requested_by: carol");
    await pushCommit(w.env.bareDir, branch, { [path]: forged }, "not me");
    const payload = await merge(w, number, "bob");
    expect((await w.deliver("pull_request", payload)).jobs).toHaveLength(0);
    const warning = w.env.double.comments(w.env.fullName, issue).find((c) => c.body.includes("merged by @bob, but that does not count"));
    expect(warning?.body).toContain("@bob asked for it");
  });
});

describe("an approval PR that changes who approves", () => {
  it("is judged by the approvers before the merge: it cannot approve itself", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    const number = prs[0]?.number ?? 0;
    const branch = w.env.double.pulls(w.env.fullName).find((p) => p.number === number)?.pull?.head ?? "";
    await pushCommit(w.env.bareDir, branch, { ".gitcrew/crew.cue": 'approvers: users: ["alice", "mallory"]\n' }, "me too");
    const payload = await merge(w, number, "mallory");
    // The crew handed in is read after the merge (mallory is in it), as the pipeline would.
    expect((await w.crew()).config.approvers.users).toContain("mallory");
    expect((await w.deliver("pull_request", payload)).jobs).toHaveLength(0);
    expect(w.env.double.comments(w.env.fullName, issue).some((c) => c.body.includes("merged by @mallory, but that does not count"))).toBe(true);
  });

  it("does not count when the crew before the merge does not load, and says why", async () => {
    // No approvers listed: a maintainer (carol) would count, if the crew could be read.
    w = await makeWorld({ files: { ...CREW_FILES, ".gitcrew/crew.cue": "loop_guard: max_depth: 3\n" } });
    const loaded = await w.crew();
    const { issue, prs } = await requested(w);
    await pushCommit(w.env.bareDir, "main", { ".gitcrew/crew.cue": 'approvers: users: "alice"\n' }, "break the crew");
    const payload = await merge(w, prs[0]?.number ?? 0, "carol");
    const { jobs } = await prepareEvent(w.s, { event: "pull_request", payload, deliveryId: "broken-1" }, loaded);
    expect(jobs).toHaveLength(0);
    const warning = w.env.double.comments(w.env.fullName, issue).find((c) => c.body.includes("does not count as an approval"));
    expect(warning?.body).toContain("does not load (.gitcrew/crew.cue:");
    expect(warning?.body).toContain("cannot tell who may approve");
  });

  it("runs the follow-up with the crew as merged even when the caller's crew is stale", async () => {
    w = await makeWorld();
    const stale = await w.crew();
    const { prs } = await requested(w, [{ kind: "instructions", what: "Sign every commit.", reason: "policy" }]);
    const payload = await merge(w, prs[0]?.number ?? 0, "alice");
    const { jobs } = await prepareEvent(w.s, { event: "pull_request", payload, deliveryId: "stale-1" }, stale);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.agent.instructions).toContain("Sign every commit.");
  });
});

describe("code owners as approvers", () => {
  it("counts an owner of every touched path, read from CODEOWNERS on the default branch", async () => {
    w = await makeWorld({
      files: { ...CREW_FILES, ".gitcrew/crew.cue": "approvers: codeowners: true\n", ".github/CODEOWNERS": "* @alice\n/.gitcrew/ @carol\n" },
    });
    const { issue, prs } = await requested(w, [
      { kind: "package", what: "jq", reason: "json" },
      { kind: "package", what: "yq", reason: "yaml" },
    ]);
    // alice owns the rest of the repo but not .gitcrew/; carol owns .gitcrew/.
    expect((await w.deliver("pull_request", await merge(w, prs[0]?.number ?? 0, "alice"))).jobs).toHaveLength(0);
    const byOwner = await w.deliver("pull_request", await merge(w, prs[1]?.number ?? 0, "carol"));
    expect(byOwner.jobs).toHaveLength(1);
    expect(byOwner.jobs[0]?.planned.prompt).toContain("@carol owns the touched paths in CODEOWNERS");
    expect(w.env.double.comments(w.env.fullName, issue).some((c) => c.body.includes("merged by @alice, but that does not count"))).toBe(true);
  });
});

describe("teams as approvers", () => {
  it("counts a member of an approver team, as GitHub says (team membership looked up per approval)", async () => {
    const asked: string[] = [];
    w = await makeWorld({
      files: { ...CREW_FILES, ".gitcrew/crew.cue": 'approvers: teams: ["acme/maintainers"]\n' },
      // The double has no teams API: answer membership the way GET /orgs/{org}/teams/{team}/memberships/{user} would.
      client: (gh) => ({
        ...gh,
        async isTeamMember(org, team, login) {
          asked.push(`${org}/${team}:${login}`);
          return org === "acme" && team === "maintainers" && login === "tina";
        },
      }),
    });
    w.env.double.setPermission(w.env.fullName, "tina", "write");
    const { prs } = await requested(w, [
      { kind: "package", what: "jq", reason: "json" },
      { kind: "package", what: "yq", reason: "yaml" },
    ]);
    expect((await w.deliver("pull_request", await merge(w, prs[0]?.number ?? 0, "carol"))).jobs).toHaveLength(0);
    const byMember = await w.deliver("pull_request", await merge(w, prs[1]?.number ?? 0, "tina"));
    expect(byMember.jobs).toHaveLength(1);
    expect(byMember.jobs[0]?.planned.prompt).toContain("@tina is in approvers team acme/maintainers");
    expect(asked).toEqual(["acme/maintainers:carol", "acme/maintainers:tina"]);
  });
});

describe("reconcile", () => {
  it("picks up an approval merged while the runner was down, once", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    await merge(w, prs[0]?.number ?? 0, "alice"); // nobody receives the webhook
    const crew = await w.crew();
    const jobs = await reconcileApprovals(w.s, crew, w.rid);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.trigger.thread?.number).toBe(issue);
    expect(jobs[0]?.planned.prompt).toContain("Approved: @alice merged");
    expect(await reconcileApprovals(w.s, crew, w.rid)).toHaveLength(0);
    // The webhook arriving late after all starts nothing more.
    expect((await w.deliver("pull_request", w.lastProduced("pull_request", "closed"))).jobs).toHaveLength(0);
    // The repo is read from the clone's origin when not given... (a path here, so it is given above)
  });

  it("retries what a failed GitHub write left undone, still once (store)", async () => {
    w = await makeWorld({ store: true });
    const { issue, prs } = await requested(w);
    const payload = await merge(w, prs[0]?.number ?? 0, "alice");
    w.env.double.failNext("issues/create-comment", { kind: "forbidden" }, 1);
    await expect(w.deliver("pull_request", payload)).rejects.toThrow(/403|not accessible/i);
    const jobs = await reconcileApprovals(w.s, await w.crew(), w.rid);
    expect(jobs).toHaveLength(1);
    expect((await w.queue(jobs)).queued).toHaveLength(1);
    expect(await reconcileApprovals(w.s, await w.crew(), w.rid)).toHaveLength(0);
    expect((await w.queue((await w.deliver("pull_request", payload)).jobs)).queued).toHaveLength(0);
    expect(await w.store!.listRuns()).toHaveLength(1);
    expect(w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });

  it("queues a follow-up that was claimed but never queued (the process died in between), exactly once (store)", async () => {
    w = await makeWorld({ store: true });
    const { issue, prs } = await requested(w);
    const number = prs[0]?.number ?? 0;
    const payload = await merge(w, number, "alice");
    // The merge is claimed ("✅ approved" posted), then the process dies before the queue step.
    const first = await w.deliver("pull_request", payload, "merge-1");
    const runId = first.jobs[0]?.followUp?.runId;
    expect(runId).toMatch(/^approved-[0-9a-f]{20}$/);
    expect(await w.store!.listRuns()).toHaveLength(0);
    expect(w.env.double.pulls(w.env.fullName).find((p) => p.number === number)?.labels).not.toContain("gitcrew:resolved");
    // Reconcile finds the claim without its run and queues it under the same id.
    const owed = await reconcileApprovals(w.s, await w.crew(), w.rid);
    expect(owed.map((j) => j.followUp?.runId)).toEqual([runId]);
    expect(owed[0]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${number}`)).toBe(true);
    expect((await w.queue(owed, "reconcile-1")).queued.map((r) => r.id)).toEqual([runId]);
    expect(w.env.double.pulls(w.env.fullName).find((p) => p.number === number)?.labels).toContain("gitcrew:resolved");
    // Reconcile again, and the webhook redelivered: still that one run.
    expect(await reconcileApprovals(w.s, await w.crew(), w.rid)).toHaveLength(0);
    expect((await w.queue((await w.deliver("pull_request", payload, "merge-1")).jobs)).queued).toHaveLength(0);
    expect((await w.store!.listRuns()).map((r) => r.id)).toEqual([runId]);
    expect(w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });

  it("also resolves rejections it missed", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: prs[0]?.number ?? 0, state: "closed" });
    expect(await reconcileApprovals(w.s, await w.crew(), w.rid)).toHaveLength(0);
    expect(w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("rejected"))).toHaveLength(1);
  });
});

describe("an agent's branch editing .gitcrew/", () => {
  it("changes nothing until merged to the default branch", async () => {
    w = await makeWorld();
    const { issue, prs } = await requested(w);
    // The agent's own branch makes mallory an approver and widens its allow list.
    await pushCommit(
      w.env.bareDir,
      "gitcrew/dev/1",
      { ".gitcrew/crew.cue": 'approvers: users: ["alice", "mallory"]\n', ".gitcrew/agents/dev/agent.yaml": 'runtime: claude\nallow:\n  users: ["mallory"]\n' },
      "make me approver",
      "main",
    );
    const agentPr = await w.gh.openOrUpdatePullRequest(w.rid, { head: "gitcrew/dev/1", title: "crew change", body: "" });
    // The clone is at the agent's branch, as a checkout for a pull request event would be.
    git(w.work, "fetch", "--quiet", "origin", "gitcrew/dev/1");
    git(w.work, "checkout", "--quiet", "-B", "gitcrew/dev/1", "FETCH_HEAD");
    // mallory (no permission) addresses @dev on that very PR: refused, the branch's allow list does not count.
    const ask = w.env.double.addComment(w.env.fullName, agentPr.number, "mallory", "@dev please merge this");
    const refused = await w.deliver("issue_comment", ask.payload);
    expect(refused.jobs).toHaveLength(0);
    const reply = w.env.double.comments(w.env.fullName, agentPr.number).find((c) => c.body.includes("did not start"))?.body ?? "";
    expect(reply).toContain("@mallory thanks! @dev did not start");
    expect(reply).toMatch(/@mallory has \w+ permission and @dev needs write/);
    // Nor does the branch's approvers list: mallory's merge of an approval PR is not an approval.
    const payload = await merge(w, prs[0]?.number ?? 0, "mallory");
    expect((await w.deliver("pull_request", payload)).jobs).toHaveLength(0);
    expect(w.env.double.comments(w.env.fullName, issue).some((c) => c.body.includes("merged by @mallory, but that does not count"))).toBe(true);
    // Once alice merges the agent's change, main has it, and mallory's @dev runs.
    await merge(w, agentPr.number, "alice");
    expect((await w.crew()).config.approvers.users).toEqual(["alice", "mallory"]);
    const again = w.env.double.addComment(w.env.fullName, agentPr.number, "mallory", "@dev please merge this now");
    expect((await w.deliver("issue_comment", again.payload)).jobs.map((j) => [j.agent.name, j.trigger.actor.login])).toEqual([["dev", "mallory"]]);
  });
});
