/** `gitcrew approvals list|show` reads pending, approved and rejected requests from a clone alone. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApprovalRequests } from "../../src/approvals/index.js";
import { cli, makeRepo } from "../support/crew-fixture.js";
import { askDev, makeWorld, resultWith, type World } from "./approvals-fixture.js";

let w: World;
let clone: string;
let ids: Record<"jq" | "secret" | "perm" | "yq" | "rg" | "fd", string>;
/** No token in the environment: the repository alone. */
const NO_TOKEN = { GITHUB_TOKEN: "", GH_TOKEN: "" };

beforeAll(async () => {
  w = await makeWorld();
  const { job } = await askDev(w);
  const prs = await openApprovalRequests(
    w.s,
    job,
    resultWith(job, [
      { kind: "package", what: "jq", reason: "json" },
      { kind: "secret", what: "NPM_TOKEN", reason: "publish" },
      { kind: "permission", what: "contents: write", reason: "tags" },
      { kind: "package", what: "yq", reason: "yaml" },
      { kind: "package", what: "ripgrep", reason: "search" },
    ]),
  );
  // A run opens at most 5 requests: the sixth comes from the thread's next run.
  const { job: next } = await askDev(w);
  prs.push(...(await openApprovalRequests(w.s, next, resultWith(next, [{ kind: "package", what: "fd", reason: "find" }]))));
  const heads = prs.map((p) => w.env.double.pulls(w.env.fullName).find((x) => x.number === p.number)?.pull?.head.split("/").pop() ?? "");
  ids = { jq: heads[0] ?? "", secret: heads[1] ?? "", perm: heads[2] ?? "", yq: heads[3] ?? "", rg: heads[4] ?? "", fd: heads[5] ?? "" };
  await w.env.double.octokit("alice").pulls.merge({ ...w.rid, pull_number: prs[0]?.number ?? 0 });
  await w.deliver("pull_request", w.lastProduced("pull_request", "closed"));
  await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: prs[1]?.number ?? 0, state: "closed" });
  await w.deliver("pull_request", w.lastProduced("pull_request", "closed"));
  // carol is a maintainer, but crew.cue names only alice: her merge does not count.
  await w.env.double.octokit("carol").pulls.merge({ ...w.rid, pull_number: prs[3]?.number ?? 0 });
  await w.deliver("pull_request", w.lastProduced("pull_request", "closed"));
  // Merged and closed while gitcrew did not listen: no webhook handled, no reconcile yet.
  await w.env.double.octokit("alice").pulls.merge({ ...w.rid, pull_number: prs[4]?.number ?? 0 });
  await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: prs[5]?.number ?? 0, state: "closed" });
  clone = mkdtempSync(join(tmpdir(), "gitcrew-approvals-cli-"));
  execFileSync("git", ["clone", "--quiet", w.env.bareDir, clone]);
}, 120_000);

afterAll(async () => {
  w.env.double.assertNoViolations();
  await w.close();
  rmSync(clone, { recursive: true, force: true });
});

describe("gitcrew approvals", () => {
  it("lists what gitcrew decided, from the repo, with no database and no API", async () => {
    const r = await cli(["approvals", "list", "--repo", clone, "--json"], { env: NO_TOKEN });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as { approvals: Record<string, string>[] }).approvals;
    const byId = Object.fromEntries(rows.map((x) => [x.id, x]));
    expect(byId[ids.jq]).toMatchObject({ status: "approved", what: "jq", agent: "dev", approved_by: "alice", merged_by: "alice", note: "@alice is in crew.cue approvers.users" });
    expect(byId[ids.jq]?.ref).toBe(`refs/gitcrew/approved/${ids.jq}`);
    expect(byId[ids.secret]).toMatchObject({ status: "rejected", what: "NPM_TOKEN" });
    expect(byId[ids.perm]).toMatchObject({ status: "pending", what: "contents: write" });
    // A merge that did not count is not an approval.
    expect(byId[ids.yq]).toMatchObject({ status: "not-counted", what: "yq", merged_by: "carol", note: "@carol is not an approver" });
    expect(byId[ids.yq]?.approved_by).toBeUndefined();
    // Merged while gitcrew did not listen: on main, but not judged yet.
    expect(byId[ids.rg]).toMatchObject({ status: "unresolved", what: "ripgrep" });
    expect(byId[ids.rg]?.approved_by).toBeUndefined();
    // Closed while gitcrew did not listen: the repository alone cannot tell it from an open one.
    expect(byId[ids.fd]).toMatchObject({ status: "pending", what: "fd" });
    expect(rows).toHaveLength(6);
  });

  it("asks GitHub when a token is set: a request closed while gitcrew did not listen is unresolved, not pending", async () => {
    const env = { GITHUB_TOKEN: w.env.double.token("carol"), GITHUB_API_URL: w.env.double.url, GITHUB_REPOSITORY: w.env.fullName };
    const r = await cli(["approvals", "list", "--repo", clone, "--json"], { env });
    expect(r.stderr).toBe("");
    const byId = Object.fromEntries((JSON.parse(r.stdout) as { approvals: Record<string, string>[] }).approvals.map((x) => [x.id, x]));
    expect(byId[ids.fd]).toMatchObject({ status: "unresolved", note: expect.stringContaining("was closed without merging on GitHub; gitcrew has not resolved it yet") });
    expect(byId[ids.perm]).toMatchObject({ status: "pending" });
    expect(byId[ids.jq]).toMatchObject({ status: "approved" });
    // --no-github keeps to the repository.
    const offline = await cli(["approvals", "show", ids.fd, "--repo", clone, "--json", "--no-github"], { env });
    expect(JSON.parse(offline.stdout)).toMatchObject({ status: "pending" });
  });

  it("lists not-counted merges as such, and shows who merged", async () => {
    const r = await cli(["approvals", "list", "--state", "not-counted", "--repo", clone], { env: NO_TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(2);
    expect(r.stdout).toContain(ids.yq);
    const show = await cli(["approvals", "show", ids.yq, "--repo", clone], { env: NO_TOKEN });
    expect(show.stdout).toContain(`${ids.yq}: not-counted`);
    expect(show.stdout).toMatch(/not counted: {2}merged by @carol \(judged \d{4}-.*\): @carol is not an approver/);
  });

  it("filters by state and prints a table", async () => {
    const r = await cli(["approvals", "list", "--state", "pending"], { cwd: clone, env: NO_TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^ID\s+STATUS\s+KIND\s+AGENT\s+THREAD\s+WHAT$/);
    expect(r.stdout).toContain(ids.perm);
    expect(r.stdout).not.toContain(ids.jq);
  });

  it("shows one request", async () => {
    const r = await cli(["approvals", "show", ids.jq, "--repo", clone], { env: NO_TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ids.jq}: approved`);
    expect(r.stdout).toMatch(/approved: {5}merged by @alice \(judged \d{4}-/);
    expect(r.stdout).toContain("what:         jq");
    expect(r.stdout).toContain("requested by: @bob");
    const json = await cli(["approvals", "show", ids.secret, "--repo", clone, "--json", "--no-fetch"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: ids.secret, status: "rejected", kind: "secret" });
  });

  it("refuses bad usage and unknown ids with their exit codes", async () => {
    expect((await cli(["approvals"])).code).toBe(2);
    expect((await cli(["approvals", "list", "--state", "maybe", "--repo", clone])).code).toBe(2);
    expect((await cli(["approvals", "show", "nope", "--repo", clone, "--no-fetch"])).code).toBe(1);
    const empty = await cli(["approvals", "list", "--repo", makeRepo()]);
    expect(empty).toMatchObject({ code: 0, stdout: "no approval requests\n" });
    const notGit = await cli(["approvals", "list", "--repo", tmpdir()]);
    expect(notGit.code).toBe(3);
  });
});
