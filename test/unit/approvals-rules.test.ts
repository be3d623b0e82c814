/** Pure parts of approvals: who counts, CODEOWNERS, markers, request files. */
import { describe, expect, it } from "vitest";
import { codeownersPattern, countsAsApprover, ownersOf } from "../../src/approvals/approvers.js";
import { additionOf, editDefinition } from "../../src/approvals/definition-edit.js";
import { gatedActionOf, refusedActionReply } from "../../src/approvals/gated-actions.js";
import { repoFromOrigin } from "../../src/approvals/git.js";
import { approvalMarker, doneMarker, hasDoneMarker, parseApprovalMarker, parseRefusalMarkers, refusalMarker } from "../../src/github/marker.js";
import { approvalId, idFromBranch, parseRequest, renderRequest, type ApprovalRequest } from "../../src/approvals/request.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import type { Crew, CrewConfig } from "../../src/crew/types.js";
import { agentFiles, agentYaml, git, makeRepo } from "../support/crew-fixture.js";

function crew(approvers: Partial<CrewConfig["approvers"]> = {}): Crew {
  return {
    version: "t",
    agents: [{ name: "dev" } as Crew["agents"][number]],
    skills: [],
    config: {
      approvers: { users: [], teams: [], codeowners: false, ...approvers },
      trusted_bots: ["renovate[bot]"],
      loop_guard: { max_depth: 3 },
      ceilings: { timeout: 1, memory: 1, cpus: 1, pids: 16, network: "none" },
      gated_actions: [],
      branch_prefix: "gitcrew",
      budgets: { agents: {} },
      prices: {},
    },
  };
}

describe("who counts as an approver", () => {
  const listed = crew({ users: ["Alice"], teams: ["acme/ops"] });
  it("counts the listed users and teams, case-insensitively", () => {
    expect(countsAsApprover({ login: "alice", permission: "read" }, listed).ok).toBe(true);
    expect(countsAsApprover({ login: "tom", permission: "write", teams: ["ACME/ops"] }, listed).ok).toBe(true);
  });
  it("does not count someone outside the list, even a maintainer", () => {
    expect(countsAsApprover({ login: "carol", permission: "admin" }, listed)).toEqual({ ok: false, why: "@carol is not an approver" });
  });
  it("counts maintainers when crew.cue lists nobody", () => {
    expect(countsAsApprover({ login: "carol", permission: "maintain" }, crew()).ok).toBe(true);
    expect(countsAsApprover({ login: "bob", permission: "write" }, crew()).ok).toBe(false);
  });
  it("never counts the requester, the agent, gitcrew or any bot, even when listed", () => {
    const all = crew({ users: ["alice", "dev", "renovate[bot]", "github-actions[bot]", "gitcrew-app"] });
    expect(countsAsApprover({ login: "alice", permission: "admin" }, all, { requester: "ALICE" }).why).toContain("asked for it");
    expect(countsAsApprover({ login: "dev", permission: "admin" }, all, { agent: "dev" }).why).toContain("agent");
    expect(countsAsApprover({ login: "dev", permission: "admin" }, all).why).toContain("agent of the crew");
    expect(countsAsApprover({ login: "renovate[bot]", permission: "admin" }, all).why).toContain("bot");
    expect(countsAsApprover({ login: "gitcrew-app", type: "Bot", permission: "admin" }, all).why).toContain("bot");
    expect(countsAsApprover({ login: "gitcrew-app", permission: "admin" }, all, { opener: "gitcrew-app" }).why).toContain("opened the request");
    expect(countsAsApprover({ login: "", permission: "admin" }, all).ok).toBe(false);
  });
  it("counts code owners of every touched path when approvers.codeowners is on", () => {
    const c = crew({ codeowners: true });
    const owners = "* @everyone\n/.gitcrew/ @alice @acme/ops\n/.gitcrew/agents/ops/ @bob\n";
    expect(countsAsApprover({ login: "alice", permission: "write" }, c, { codeowners: owners, paths: [".gitcrew/approvals/x.yaml"] }).ok).toBe(true);
    expect(countsAsApprover({ login: "tom", permission: "write", teams: ["acme/ops"] }, c, { codeowners: owners, paths: [".gitcrew/a"] }).ok).toBe(true);
    // The last matching line wins: alice does not own ops' folder.
    expect(countsAsApprover({ login: "alice", permission: "write" }, c, { codeowners: owners, paths: [".gitcrew/approvals/x.yaml", ".gitcrew/agents/ops/agent.yaml"] }).ok).toBe(false);
    // No CODEOWNERS file: nobody by that rule (and the list is not empty, so maintainers do not count either).
    expect(countsAsApprover({ login: "carol", permission: "admin" }, c, { paths: ["a"] }).ok).toBe(false);
  });
});

describe("CODEOWNERS patterns", () => {
  it.each([
    ["*", "a/b/c.ts", true],
    ["*.ts", "src/deep/x.ts", true],
    ["*.ts", "src/x.js", false],
    ["/.gitcrew/", ".gitcrew/agents/dev/agent.cue", true],
    ["/.gitcrew/", "docs/.gitcrew/x", false],
    ["docs/", "a/docs/x.md", true],
    ["/docs/", "a/docs/x.md", false],
    ["docs", "a/docs/x.md", true],
    ["/src/**/test", "src/a/b/test/x.ts", true],
    ["apps/*.md", "apps/x.md", true],
    ["apps/*.md", "apps/y/x.md", false],
  ])("%s matches %s: %s", (pattern, path, hit) => {
    expect(codeownersPattern(pattern).test(path)).toBe(hit);
  });
  it("strips @ and ignores comments", () => {
    expect(ownersOf("# owners\n*.md @Docs-Team # the docs\n", "README.md")).toEqual(["docs-team"]);
  });
});

describe("markers", () => {
  it("round-trip, and values cannot close the comment or add fields", () => {
    const m = { key: "issue-12", agent: "dev", sha: "abc123", actor: "bob --> <!-- x=1", event: "issue_comment.created", code: "unauthorized" };
    const text = `hello\n\n${refusalMarker(m)}`;
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parseRefusalMarkers(text)).toEqual([{ ...m, actor: "bob_--____--_x_1" }]);
    expect(parseApprovalMarker(approvalMarker({ id: "dev-1", agent: "dev", thread: 4 }))).toEqual({ id: "dev-1", agent: "dev", thread: 4 });
    expect(hasDoneMarker(`x\n\n${doneMarker("approval:acme/w#3:approved")}`, "approval:acme/w#3:approved")).toBe(true);
    expect(hasDoneMarker(`x\n\n${doneMarker("approval:acme/w#3:approved")}`, "approval:acme/w#3:rejected")).toBe(false);
  });

  it("count only in the trailing marker block, never in the text before it", () => {
    const m = { key: "issue-12", agent: "dev", sha: "-", actor: "bob", event: "issue_comment.created", code: "unauthorized" };
    expect(parseRefusalMarkers(`hello ${refusalMarker(m)} bye`)).toEqual([]);
    expect(parseRefusalMarkers(`${refusalMarker(m)}\nthen text\n\n${doneMarker("k")}`)).toEqual([]);
    expect(hasDoneMarker(`${doneMarker("k")}\n\nthen text`, "k")).toBe(false);
    expect(parseRefusalMarkers(`text\n${refusalMarker(m)}\n\n${doneMarker("k")}\n`)).toEqual([m]);
  });
});

describe("request files", () => {
  const req: ApprovalRequest = {
    id: "dev-0123456789",
    kind: "secret",
    what: "NPM_TOKEN: for `npm publish`\n# not a comment",
    reason: "release",
    agent: "dev",
    requested_by: "bob",
    run: "run-1",
    repo: "acme/widgets",
    thread: 12,
    requested_at: "2026-01-01T00:00:00Z",
  };
  it("render and parse back, whatever the text holds", () => {
    expect(parseRequest(renderRequest(req), "x")).toEqual(req);
  });
  it("tolerate hand edits: unknown kinds, missing fields, garbage", () => {
    expect(parseRequest("kind: rocket\nwhat: 3\n", "fallback")).toMatchObject({ id: "fallback", kind: "action", what: "3", thread: 0 });
    expect(parseRequest("{{{", "x")).toBeUndefined();
    expect(parseRequest("just text", "x")).toBeUndefined();
  });
  it("ids are deterministic per request of a run, and branches map back to them", () => {
    const a = approvalId("dev", "run-1", 0, "package", "jq");
    expect(a).toMatch(/^dev-[0-9a-f]{10}$/);
    expect(approvalId("dev", "run-1", 0, "package", "jq")).toBe(a);
    expect(approvalId("dev", "run-2", 0, "package", "jq")).not.toBe(a);
    expect(idFromBranch(`gitcrew/approval/${a}`)).toBe(a);
    expect(idFromBranch("gitcrew/dev/12")).toBeUndefined();
    expect(idFromBranch("gitcrew/approval/../../etc")).toBeUndefined();
  });
});

describe("approved requests on the default branch", () => {
  it("are part of the repo but not of the crew: loading is unaffected", async () => {
    const dir = makeRepo({
      ...agentFiles("dev", agentYaml("runtime: claude\ngated: [merge]\n")),
      ".gitcrew/approvals/dev-0123456789.yaml": "id: dev-0123456789\nkind: package\nwhat: jq\n",
      ".gitcrew/approvals/notes.md": "anything\n",
    });
    const r = await loadCrewFromDir(dir);
    expect(r.errors).toEqual([]);
    expect(r.crew?.agents.map((a) => a.name)).toEqual(["dev"]);
    expect(r.crew?.agents[0]?.gated).toEqual(["merge"]);
  });
});

describe("the repository of a clone", () => {
  it.each([
    ["https://github.com/acme/widgets.git", "acme", "widgets"],
    ["https://x-access-token:t@github.example.com/acme/widgets", "acme", "widgets"],
    ["git@github.com:acme/wid.gets.git", "acme", "wid.gets"],
  ])("%s → %s/%s", async (url, owner, repo) => {
    const dir = makeRepo();
    git(dir, "remote", "add", "origin", url);
    expect(await repoFromOrigin(dir)).toEqual({ owner, repo });
  });
  it("is unknown without an origin", async () => {
    expect(await repoFromOrigin(makeRepo())).toBeUndefined();
  });
});

describe("gated actions", () => {
  it("an action request names a gated action by its first word", () => {
    expect(gatedActionOf("deploy", ["deploy"])).toBe("deploy");
    expect(gatedActionOf("Deploy staging now", ["deploy", "release"])).toBe("deploy");
    expect(gatedActionOf("redeploy", ["deploy"])).toBeUndefined();
    expect(gatedActionOf("drop the database", ["deploy"])).toBeUndefined();
    expect(gatedActionOf("deploy", [])).toBeUndefined();
  });
  it("a refusal tells the agent what it may ask for", () => {
    expect(refusedActionReply("dev", "drop db", ["deploy"])).toContain("`gitcrew-request-approval --kind action --what deploy");
    expect(refusedActionReply("dev", "drop db", [])).toContain("This crew gates no actions");
    expect(refusedActionReply("dev", "deploy", [], ".gitcrew/crew.cue:1: bad")).toContain("does not load (.gitcrew/crew.cue:1: bad), so gitcrew cannot tell");
  });
});

describe("definition edits for an approved secret or permission", () => {
  const agent = (over: Partial<Crew["agents"][number]> = {}) =>
    ({ name: "dev", secrets: ["ANTHROPIC_API_KEY"], permissions: { contents: "write", issues: "write", pull_requests: "write" }, ...over }) as Crew["agents"][number];
  const edit = (file: string, text: string, kind: string, what: string, a = agent()) => {
    const found = additionOf(kind, what, a);
    if ("why" in found) return found;
    return editDefinition(file, text, found.add, a);
  };
  it("adds a secret to agent.yaml, keeping comments, or creates the list", () => {
    expect(edit("agent.yaml", "# dev\nruntime: claude\nsecrets: [A_KEY] # keys\n", "secret", "NPM_TOKEN")).toEqual({ ok: true, text: "# dev\nruntime: claude\nsecrets: [ A_KEY, NPM_TOKEN ] # keys\n" });
    expect(edit("agent.yaml", "runtime: claude\n", "secret", "NPM_TOKEN")).toEqual({ ok: true, text: "runtime: claude\nsecrets: [ NPM_TOKEN ]\n" });
  });
  it("widens permissions in agent.yaml; without the field the defaults are spelled out", () => {
    expect(edit("agent.yaml", "runtime: claude\npermissions:\n  contents: read\n", "permission", "actions: write", agent({ permissions: { contents: "read" } }))).toEqual({
      ok: true,
      text: "runtime: claude\npermissions:\n  contents: read\n  actions: write\n",
    });
    const r = edit("agent.yaml", "runtime: claude\n", "permission", "actions=write");
    expect(r).toEqual({ ok: true, text: "runtime: claude\npermissions:\n  contents: write\n  issues: write\n  pull_requests: write\n  actions: write\n" });
  });
  it("edits agent.cue in the shapes gitcrew init writes", () => {
    const cue = 'runtime: "claude"\nsecrets: ["ANTHROPIC_API_KEY"]\npermissions: {\n\tcontents:      "read"\n\tpull_requests: "write"\n}\nlimits: timeout: "45m"\n';
    expect(edit("agent.cue", cue, "secret", "NPM_TOKEN")).toEqual({ ok: true, text: cue.replace('["ANTHROPIC_API_KEY"]', '["ANTHROPIC_API_KEY", "NPM_TOKEN"]') });
    const perms = agent({ permissions: { contents: "read", pull_requests: "write" } });
    expect(edit("agent.cue", cue, "permission", "contents: write", perms)).toEqual({ ok: true, text: cue.replace('contents:      "read"', 'contents:      "write"') });
    expect(edit("agent.cue", cue, "permission", "actions: write", perms)).toEqual({ ok: true, text: cue.replace('pull_requests: "write"\n}', 'pull_requests: "write"\n\tactions: "write"\n}') });
    expect(edit("agent.cue", 'runtime: "claude"\n', "secret", "NPM_TOKEN")).toEqual({ ok: true, text: 'runtime: "claude"\nsecrets: ["NPM_TOKEN"]\n' });
  });
  it("refuses CUE it cannot edit safely, names that are no secret, and what the agent already has", () => {
    expect(edit("agent.cue", 'secrets: [\n\t"A",\n]\n', "secret", "B")).toMatchObject({ ok: false, why: expect.stringContaining("not in a form gitcrew edits") });
    expect(edit("agent.cue", "secrets: defaults.secrets + [\"A\"]\n", "secret", "B")).toMatchObject({ ok: false });
    expect(edit("agent.cue", "permissions: {contents: \"read\"}\n", "permission", "actions: write")).toMatchObject({ ok: false });
    expect(edit("agent.cue", 'if true {\n\tsecrets: ["A"]\n}\n', "secret", "B")).toMatchObject({ ok: false });
    expect(additionOf("secret", "hunter2 is the password", agent())).toEqual({ why: expect.stringContaining("not a secret name") });
    expect(additionOf("secret", "ANTHROPIC_API_KEY", agent())).toEqual({ why: expect.stringContaining("already declares") });
    expect(additionOf("permission", "contents: read", agent())).toEqual({ why: expect.stringContaining("already has contents: write") });
    expect(additionOf("permission", "everything", agent())).toEqual({ why: expect.stringContaining("not a permission") });
  });
});
