/**
 * A server serving many repositories follows GitHub's word on them
 * (payloads from @octokit/webhooks-examples): renamed, transferred,
 * archived / unarchived, installation deleted; a crewless repository is
 * checked again after a push to its default branch; a repository the App is
 * not installed on gets one clear log line, a failed delivery and no retry
 * storm. No container runs here: a push is what makes a checkout.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { examplePayload, pushCommit } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { CREW_CUE, SECRET, shAgentFiles } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { INSTALLATION, startReposServer, type ReposServer } from "../support/server-repos.js";

let running: ReposServer | undefined;

afterEach(async () => {
  if (process.env.SHOW_LOGS) console.log(running?.logs.join("\n"));
  running?.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

const crew = (name: string) => ({ "README.md": "# r\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles(name, "echo hi") });

function repoObject(s: ReposServer, fullName: string): JsonObject {
  return s.double.shapes.repo(s.double.repo(fullName)) as JsonObject;
}

let pushes = 0;
/** A push to main (each one distinct: the server takes a body seen before for a replay). */
function push(s: ReposServer, fullName: string): JsonObject {
  const sha = execFileSync("git", ["--git-dir", s.bare[fullName] ?? "", "rev-parse", "main"], { encoding: "utf8" }).trim();
  return examplePayload("push", undefined, {
    ref: "refs/heads/main",
    before: String(++pushes).padStart(40, "0"),
    after: sha,
    commits: [],
    head_commit: null,
    repository: repoObject(s, fullName),
  });
}

async function deliver(s: ReposServer, event: string, payload: JsonObject): Promise<string> {
  const d = await s.double.deliver(s.webhookUrl, event, payload, SECRET);
  expect(d.status).toBe(202);
  return d.deliveryId;
}

const planned = (s: ReposServer, id: string) => until(`delivery ${id} to be planned`, async () => s.logs.find((l) => l.startsWith(`delivery ${id} (`) || l.startsWith(`delivery ${id}: `)), 1200);
const logged = (s: ReposServer, re: RegExp) => until(`a log line ${re}`, async () => s.logs.find((l) => re.test(l)), 1200);

describe("serving many repositories follows installation and repository events", () => {
  it("renamed, transferred, archived and unarchived, installation deleted: each starts or stops serving, with its checkout", { timeout: 300_000 }, async () => {
    const s = (running = await startReposServer({ "acme/alpha": crew("dev"), "acme/beta": crew("dev"), "acme/plain": { "README.md": "# none\n" } }, { repos: "acme/*" }));
    const checkout = (name: string) => join(s.home, "repos", ...name.split("/"));
    for (const name of ["acme/alpha", "acme/beta"]) await planned(s, await deliver(s, "push", push(s, name)));
    expect(existsSync(join(checkout("acme/alpha"), ".git"))).toBe(true);
    expect(existsSync(join(checkout("acme/beta"), ".git"))).toBe(true);

    // Renamed: the old name's state and checkout go.
    const renamed = examplePayload("repository", "renamed", { repository: { ...repoObject(s, "acme/alpha"), name: "alpha2", full_name: "acme/alpha2" }, changes: { repository: { name: { from: "alpha" } } } });
    expect(s.double.webhookProblems("repository", renamed)).toEqual([]);
    await planned(s, await deliver(s, "repository", renamed));
    expect(await logged(s, /^repos: acme\/alpha renamed to acme\/alpha2: /)).toContain("no longer served; its checkout is removed");
    expect(existsSync(checkout("acme/alpha"))).toBe(false);
    const stale = await deliver(s, "push", push(s, "acme/alpha"));
    expect(await planned(s, stale)).toContain("acme/alpha is no longer served: renamed to acme/alpha2");

    // Transferred away from acme.
    const transferred = examplePayload("repository", "transferred", {
      repository: { ...repoObject(s, "acme/beta"), full_name: "elsewhere/beta", owner: s.double.shapes.user("elsewhere") },
      changes: { owner: { from: { organization: { login: "acme", id: 1, node_id: "O_1", url: "", repos_url: "", events_url: "", hooks_url: "", issues_url: "", members_url: "", public_members_url: "", avatar_url: "", description: null } } } },
    });
    await planned(s, await deliver(s, "repository", transferred));
    await logged(s, /^repos: acme\/beta transferred to elsewhere\/beta: no longer served; its checkout is removed/);
    expect(existsSync(checkout("acme/beta"))).toBe(false);

    // Archived: not served; unarchived: served again, and a crewless repository is checked again after a push.
    const archived = examplePayload("repository", "publicized", { action: "archived", repository: { ...repoObject(s, "acme/plain"), archived: true } });
    await planned(s, await deliver(s, "repository", archived));
    await logged(s, /^repos: acme\/plain archived: no longer served$/);
    expect(await planned(s, await deliver(s, "push", push(s, "acme/plain")))).toContain("acme/plain is no longer served: archived");
    const unarchived = examplePayload("repository", "publicized", { action: "unarchived", repository: repoObject(s, "acme/plain") });
    await planned(s, await deliver(s, "repository", unarchived));
    await logged(s, /^repos: acme\/plain unarchived: served again$/);
    const crewless = await deliver(s, "push", push(s, "acme/plain"));
    expect(await planned(s, crewless)).toContain("acme/plain has no .gitcrew/ on main");
    expect(existsSync(checkout("acme/plain"))).toBe(false);
    await pushCommit(s.bare["acme/plain"] ?? "", "main", shAgentFiles("dev", "echo now"), "add a crew");
    await planned(s, await deliver(s, "push", push(s, "acme/plain")));
    await logged(s, /^acme\/plain: crew: loaded from main at [0-9a-f]{12} \(first event\): dev/);
    expect(existsSync(join(checkout("acme/plain"), ".git"))).toBe(true);

    // The installation is deleted: every acme repository it served goes.
    const deleted = examplePayload("installation", "deleted", { installation: { id: INSTALLATION, account: s.double.shapes.user("acme") }, repositories: [] }, ["installation"]);
    await planned(s, await deliver(s, "installation", deleted));
    await logged(s, /^repos: acme\/plain installation 42 \(acme\) uninstalled: no longer served; its checkout is removed/);
    expect(existsSync(checkout("acme/plain"))).toBe(false);
  });

  it("after a restart, the crews of repositories cloned before are loaded without an event, and their schedules fire", { timeout: 300_000 }, async () => {
    const files = { "acme/alpha": { ...crew("dev"), ...shAgentFiles("nightly", "echo tick", 'triggers:\n  schedule: ["* * * * *"]\n') }, "acme/beta": crew("dev") };
    const first = await startReposServer(files, { repos: "acme/*" });
    await planned(first, await deliver(first, "push", push(first, "acme/alpha")));
    await first.halt();
    const s = (running = await startReposServer(files, { repos: "acme/*" }, { root: first.root }));
    await logged(s, /^repos: loading the crews of 1 repositories cloned before/);
    await logged(s, /^acme\/alpha: crew: loaded from main at [0-9a-f]{12} \(first event\): dev, nightly/);
    const suffix = createHash("sha256").update("acme/alpha").digest("hex").slice(0, 10);
    const line = await logged(s, /^acme\/alpha: schedule: nightly \("\* \* \* \* \*"\) at .* queued as delivery schedule-nightly-\d{12}-/);
    expect(line.endsWith(`-${suffix}`)).toBe(true);
    // beta had no clone: nothing was loaded for it.
    expect(s.logs.some((l) => l.startsWith("acme/beta:"))).toBe(false);
  });

  it("a repository the App is not installed on: one clear log line, the delivery failed with the reason, GitHub not asked again", { timeout: 300_000 }, async () => {
    const s = (running = await startReposServer({ "acme/alpha": crew("dev"), "other/x": crew("dev") }, { repos: "acme/*,other/*" }));
    const first = await deliver(s, "push", push(s, "other/x"));
    const line = await planned(s, first);
    expect(line).toMatch(/planning failed: the GitHub App cannot get a token for other\/x \(GitHub answered 404/);
    // The step that failed is named: finding the installation, not minting a token.
    expect(line).toContain("GET /repos/other/x/installation");
    expect(line).not.toMatch(/will retry/);
    expect((await s.store.getDelivery(first))?.state).toBe("failed");
    const asked = s.double.calls("apps/get-repo-installation").length;
    const second = await deliver(s, "push", push(s, "other/x"));
    expect(await planned(s, second)).toMatch(/planning failed: the GitHub App cannot get a token for other\/x/);
    expect(s.double.calls("apps/get-repo-installation")).toHaveLength(asked);
    expect(s.logs.filter((l) => l.startsWith("github: the GitHub App cannot get a token for other/x"))).toHaveLength(1);
    expect(existsSync(join(s.home, "repos", "other"))).toBe(false);
  });
});
