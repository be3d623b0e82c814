/**
 * A repository name in a webhook payload is the sender's text. Serving many
 * repositories, gitcrew derives a checkout folder from it: a name that is
 * not GitHub's OWNER/NAME shape (path traversal such as `../x` or `acme/..`,
 * a separator too many, a very long name) must never become a path on the
 * host — not cloned into, not removed — and must not reach GitHub. The
 * delivery is answered 202 and recorded as ignored, with the reason.
 * Served with a GitHub App and no --repos: the widest setting, where every
 * name is "allowed".
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckoutPool } from "../../src/server/checkouts.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET, shAgentFiles } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { INSTALLATION, startReposServer, type ReposServer } from "../support/server-repos.js";
import type { JsonObject } from "../support/github-double/spec.js";

let running: ReposServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const HOSTILE = ["../x", "acme/..", "acme/.", "acme/../../victim", "../../victim/x", "/etc/passwd", "acme/x/../..", "acme\\..\\..\\victim", "acme/x\n", `${"a".repeat(5000)}/x`, `acme/${"b".repeat(5000)}`];

describe("hostile repository names in payloads never become host paths", () => {
  it("every hostile name is ignored with the reason, nothing is cloned or removed, GitHub is not asked", { timeout: 300_000 }, async () => {
    const s = (running = await startReposServer({ "acme/alpha": { "README.md": "# a\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles("dev", "echo alpha") } }));
    // Sentinels where a traversal would land: beside the checkouts, in GITCREW_HOME and beside it.
    for (const dir of [join(s.home, "victim"), join(s.root, "victim"), join(s.home, "repos", "acme", "keep")]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "sentinel"), "still here\n");
    }
    // A real checkout first, so that a traversal to the checkouts' root would have something to remove.
    const issue = s.double.addIssue("acme/alpha", { title: "t", user: "alice" });
    const { payload } = s.double.addComment("acme/alpha", issue.number, "alice", "@dev hi");
    await s.double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    await until("alpha's run", async () => (await s.store.listRuns({ threadKey: `acme/alpha#${issue.number}` })).find((r) => r.status === "succeeded"), 2400);
    const before = s.double.requests.length;

    for (const name of HOSTILE) {
      const hostile: JsonObject = { ...payload, repository: { ...(payload.repository as JsonObject), full_name: name, name: name.split("/").pop() ?? name } };
      const d = await s.double.deliver(s.webhookUrl, "issue_comment", hostile, SECRET);
      expect(d.status).toBe(202);
      const line = await until(`${JSON.stringify(name.slice(0, 20))} to be planned`, async () => s.logs.find((l) => l.startsWith(`delivery ${d.deliveryId} (issue_comment): `)));
      expect(line).toMatch(/the payload's repository ".*" is not an OWNER\/NAME repository name/);
      expect(line.length).toBeLessThan(400);
      expect((await s.store.getDelivery(d.deliveryId))?.state).toBe("planned");
    }
    // The same names in lifecycle events: a removal or a rename to or from them removes nothing.
    const removal = s.double.removeFromInstallation(INSTALLATION, "acme/alpha");
    removal.repositories_removed = HOSTILE.map((full_name, i) => ({ id: i + 1, node_id: `R_${i}`, name: "x", full_name, private: false }));
    await s.double.deliver(s.webhookUrl, "installation_repositories", removal, SECRET);
    const rename: JsonObject = { action: "renamed", changes: { repository: { name: { from: ".." } } }, repository: { ...(payload.repository as JsonObject), full_name: "acme/.." }, sender: payload.sender ?? null };
    await s.double.deliver(s.webhookUrl, "repository", rename, SECRET);
    await until("both lifecycle deliveries to be planned", async () => s.logs.filter((l) => /\((installation_repositories|repository)\): /.test(l)).length === 2);

    // No request reached GitHub for any of them, nothing was cloned, nothing was removed.
    expect(s.double.requests.slice(before)).toEqual([]);
    expect(readdirSync(join(s.home, "repos")).sort()).toEqual(["acme"]);
    expect(readdirSync(join(s.home, "repos", "acme")).sort()).toEqual(["alpha", "keep"]);
    expect(existsSync(join(s.home, "repos", "acme", "alpha", ".git"))).toBe(true);
    for (const dir of [join(s.home, "victim"), join(s.root, "victim"), join(s.home, "repos", "acme", "keep")]) expect(existsSync(join(dir, "sentinel"))).toBe(true);
    expect(s.logs.filter((l) => /checkouts: removed|cloning/.test(l) && !l.includes("acme/alpha"))).toEqual([]);
  });

  it("the checkout pool refuses to derive a folder from any of them", () => {
    const pool = new CheckoutPool({ root: "/nonexistent/repos", budgetBytes: 1 << 30, token: async () => undefined, log: () => undefined });
    for (const name of HOSTILE) expect(() => pool.dirOf(name), name.slice(0, 30)).toThrow(/not an OWNER\/NAME repository name/);
    expect(pool.dirOf("Acme/.github")).toBe("/nonexistent/repos/acme/.github");
  });
});
