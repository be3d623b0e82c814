/**
 * Runs seen by repository (issue 19): the API's `?repo=` filter, `gitcrew ps
 * --repo`, and `/metrics` with a `repo` label, bounded to one series per
 * repository. Repository names compare case-insensitively, as on GitHub.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ServerClient } from "../../src/server/client.js";
import { MAX_REPO_LABELS, Metrics } from "../../src/server/metrics.js";
import { cli } from "../support/crew-fixture.js";
import { SECRET, TOKEN, startHarness, until, type Harness } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

/** An issue comment in repository `repo`. */
function commentIn(repo: string, issue: number, body: string): string {
  const p = JSON.parse(commentPayload(issue, body)) as { repository: { full_name: string } };
  p.repository.full_name = repo;
  return JSON.stringify(p);
}

describe("runs by repository on one server", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("are filtered by the API and gitcrew ps --repo, and counted per repository in /metrics", async () => {
    h = await startHarness(await BACKENDS[0]!.fresh("by-repo"));
    await postWebhook(h.server.url, { id: "w-1", body: commentIn("Acme/Widgets", 1, "@dev sleep:60000"), secret: SECRET });
    await postWebhook(h.server.url, { id: "w-2", body: commentIn("acme/widgets", 2, "@dev quick"), secret: SECRET });
    await postWebhook(h.server.url, { id: "g-1", body: commentIn("acme/gadgets", 1, "@dev quick"), secret: SECRET });
    await until("two runs to finish and one to run", async () => {
      const runs = await h!.store.listRuns();
      return runs.filter((r) => r.status === "succeeded").length === 2 && runs.some((r) => r.status === "running");
    });

    const client = new ServerClient({ url: h.server.url, token: TOKEN });
    expect((await client.ps({ repo: "ACME/WIDGETS" })).map((r) => r.id).sort()).toEqual(["w-1:dev", "w-2:dev"]);
    expect((await client.ps({ repo: "acme/gadgets" })).map((r) => [r.id, r.repo])).toEqual([["g-1:dev", "acme/gadgets"]]);
    expect(await client.ps({ repo: "acme/nothing" })).toEqual([]);
    await expect(client.ps({ repo: "acme/widgets#1" })).rejects.toThrow(/repo must be OWNER\/NAME/);

    const env = { GITCREW_HOME: mkdtempSync(join(tmpdir(), "gitcrew-home-")), GITCREW_SERVER_URL: h.server.url, GITCREW_API_TOKEN: TOKEN };
    const json = await cli(["ps", "--repo", "acme/gadgets", "--json"], { env });
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { runs: unknown[] }).runs).toEqual([
      expect.objectContaining({ id: "g-1:dev", repo: "acme/gadgets", thread: "acme/gadgets#1", status: "succeeded" }),
    ]);
    const table = await cli(["ps", "--repo", "acme/widgets"], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(["RUN", "w-2:dev", "w-1:dev"]);
    const bad = await cli(["ps", "--repo", "widgets"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--repo "widgets" is not OWNER/NAME');

    const text = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(text).toMatch(/^gitcrew_runs_finished_total\{repo="acme\/widgets",status="succeeded"\} 1$/m);
    expect(text).toMatch(/^gitcrew_runs_finished_total\{repo="acme\/gadgets",status="succeeded"\} 1$/m);
    expect(text).toMatch(/^gitcrew_repo_runs\{repo="acme\/widgets",status="running"\} 1$/m);
    expect(text).toMatch(/^gitcrew_repo_runs\{repo="acme\/widgets",status="queued"\} 0$/m);
    expect(text).not.toMatch(/^gitcrew_repo_runs\{repo="acme\/gadgets"/m);
    await client.cancel("w-1:dev");
  });
});

describe("the repo label of /metrics", () => {
  it("has one series per repository, whatever the case of its name, and past its bound counts the rest as other", () => {
    const metrics = new Metrics();
    metrics.recordRunFinished("Acme/Widgets", "succeeded", 1);
    metrics.recordRunFinished("acme/WIDGETS", "succeeded", 1);
    for (let i = 0; i < MAX_REPO_LABELS + 50; i++) metrics.recordRunFinished(`org/r${i}`, "failed", 1);
    const lines = metrics.render([]).split("\n").filter((l) => l.startsWith("gitcrew_runs_finished_total{"));
    expect(lines).toContain('gitcrew_runs_finished_total{repo="acme/widgets",status="succeeded"} 2');
    expect(lines).toHaveLength(MAX_REPO_LABELS + 1);
    expect(lines).toContain(`gitcrew_runs_finished_total{repo="other",status="failed"} 51`);
  });
});
