/**
 * GitHub inside a run under `gitcrew serve` as a GitHub App (real pipeline,
 * real `command` container, the GitHub double): the agent reads its issue
 * from $GITHUB_API_URL with only the run token; the run gateway added the
 * installation token narrowed to the agent's `permissions`, asked of the
 * server's App access (renewed as it nears expiry), and an API write from
 * inside is refused and listed in the run's result.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { RunRecords } from "../../src/runner/records.js";
import type { RunRecord } from "../../src/store/types.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { INSTALLATION, startReposServer, type ReposServer } from "../support/server-repos.js";

const SCRIPT = `const api = process.env.GITHUB_API_URL, auth = { authorization: "Bearer " + process.env.GITCREW_RUN_TOKEN };
const issue = await (await fetch(api + "/repos/acme/alpha/issues/1", { headers: auth })).json();
const write = await fetch(api + "/repos/acme/alpha/issues/1/comments", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ body: "from inside" }) });
console.log("Read from inside: " + issue.title + "; a comment from inside got " + write.status);`;

const AGENT = `runtime: command
command: ["node", "--input-type=module", "-e", ${JSON.stringify(SCRIPT)}]
permissions: {contents: read, issues: write}
limits:
  timeout: 1m
  network:
    allow: []
`;

let running: ReposServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  running?.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

describe("GitHub inside a run under gitcrew serve as a GitHub App", () => {
  it("reads through the gateway with the agent's narrowed token; a write from inside is refused and recorded", async () => {
    running = await startReposServer({
      "acme/alpha": {
        "README.md": "# alpha\n",
        ".gitcrew/crew.cue": CREW_CUE,
        ".gitcrew/agents/reader/agent.yaml": AGENT,
        ".gitcrew/agents/reader/instructions.md": "You read.\n",
      },
    });
    const s = running;
    const issue = s.double.addIssue("acme/alpha", { title: "The build is red", user: "alice" });
    expect(issue.number).toBe(1);
    const { payload } = s.double.addComment("acme/alpha", issue.number, "alice", "@reader what is this about?");
    expect((await s.double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const record = await until("the run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: "acme/alpha#1" });
      return r && r.status !== "queued" && r.status !== "running" ? (r as RunRecord) : undefined;
    }, 2400);
    expect(record.status, s.logs.join("\n")).toBe("succeeded");
    const answer = await until("the final comment", async () =>
      s.double.comments("acme/alpha", 1).find((c) => c.body.includes("Read from inside:")),
    );
    expect(answer.body).toContain("Read from inside: The build is red; a comment from inside got 403");
    // Only gitcrew's own comments are in the thread: none says "from inside".
    expect(s.double.comments("acme/alpha", 1).filter((c) => c.body === "from inside")).toEqual([]);
    expect(s.double.installationTokens(INSTALLATION).map((t) => t.permissions)).toContainEqual({ contents: "read", issues: "write" });
    // The runner's own record of the run (in the server's GITCREW_HOME) has the gateway's report.
    const local = new RunRecords({ GITCREW_HOME: s.home }).list().filter((r) => r.agent === "reader");
    expect(local).toHaveLength(1);
    expect(local[0]?.result?.gateway?.refusals).toEqual([expect.objectContaining({ kind: "github", reason: expect.stringMatching(/^POST through the API/) })]);
  }, 600_000);
});
