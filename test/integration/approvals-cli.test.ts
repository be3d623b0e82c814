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
let ids: Record<"jq" | "secret" | "perm", string>;

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
    ]),
  );
  const heads = prs.map((p) => w.env.double.pulls(w.env.fullName).find((x) => x.number === p.number)?.pull?.head.split("/").pop() ?? "");
  ids = { jq: heads[0] ?? "", secret: heads[1] ?? "", perm: heads[2] ?? "" };
  await w.env.double.octokit("alice").pulls.merge({ ...w.rid, pull_number: prs[0]?.number ?? 0 });
  await w.deliver("pull_request", w.lastProduced("pull_request", "closed"));
  await w.env.double.octokit("alice").pulls.update({ ...w.rid, pull_number: prs[1]?.number ?? 0, state: "closed" });
  await w.deliver("pull_request", w.lastProduced("pull_request", "closed"));
  clone = mkdtempSync(join(tmpdir(), "gitcrew-approvals-cli-"));
  execFileSync("git", ["clone", "--quiet", w.env.bareDir, clone]);
}, 120_000);

afterAll(async () => {
  w.env.double.assertNoViolations();
  await w.close();
  rmSync(clone, { recursive: true, force: true });
});

describe("gitcrew approvals", () => {
  it("lists approved, rejected and pending requests from the repo, with no database and no API", async () => {
    const r = await cli(["approvals", "list", "--repo", clone, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as { approvals: { id: string; status: string; what: string; approved_by?: string; agent: string }[] }).approvals;
    const byId = Object.fromEntries(rows.map((x) => [x.id, x]));
    expect(byId[ids.jq]).toMatchObject({ status: "approved", what: "jq", agent: "dev", approved_by: "alice" });
    expect(byId[ids.secret]).toMatchObject({ status: "rejected", what: "NPM_TOKEN" });
    expect(byId[ids.perm]).toMatchObject({ status: "pending", what: "contents: write" });
    expect(rows).toHaveLength(3);
  });

  it("filters by state and prints a table", async () => {
    const r = await cli(["approvals", "list", "--state", "pending"], { cwd: clone });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^ID\s+STATUS\s+KIND\s+AGENT\s+THREAD\s+WHAT$/);
    expect(r.stdout).toContain(ids.perm);
    expect(r.stdout).not.toContain(ids.jq);
  });

  it("shows one request", async () => {
    const r = await cli(["approvals", "show", ids.jq, "--repo", clone]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ids.jq}: approved`);
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
