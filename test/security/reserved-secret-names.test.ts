/**
 * Attack: an agent definition (or an approval request written by a
 * prompt-injected agent) declares the runner's own credentials as secrets
 * (GITHUB_TOKEN, ACTIONS_*, RUNNER_*, INPUT_*, GH_TOKEN, GITCREW_*), so that
 * the runner copies them into the container. `validate` must refuse them with
 * file:line, no plan may give them to a run, and no approval PR may ask for them.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { openApprovalRequests } from "../../src/approvals/open-requests.js";
import { agentFiles, makeRepo } from "../support/crew-fixture.js";
import { askDev, makeWorld, resultWith, type World } from "../integration/approvals-fixture.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");

async function gitcrew(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, GITHUB_TOKEN: "ghs_runnerToken123" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const cueAgent = (secrets: string) => agentFiles("dev", { "agent.cue": `runtime: "claude"\n\nsecrets: ${secrets}\n`, "instructions.md": "Work.\n" });

describe("reserved secret names", () => {
  it('validate refuses secrets: ["GITHUB_TOKEN"] in agent.cue at the field\'s line, saying why', async () => {
    const dir = makeRepo(cueAgent('["GITHUB_TOKEN"]'));
    const r = await gitcrew(["validate", "--repo", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\.gitcrew\/agents\/dev\/agent\.cue:3:\d+: secret "GITHUB_TOKEN" uses a name gitcrew reserves \(GITHUB_\* hold the runner's GitHub token/);
  });

  it("validate refuses each runner credential family, one error per name at its line", async () => {
    const names = ["GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "RUNNER_TEMP", "INPUT_GITHUB_TOKEN", "GITCREW_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY_FILE", "github_token"];
    const dir = makeRepo(agentFiles("dev", { "agent.yaml": `runtime: claude\nsecrets: ${JSON.stringify(["NPM_TOKEN", ...names])}\n`, "instructions.md": "Work.\n" }));
    const r = await gitcrew(["validate", "--repo", dir, "--json"]);
    expect(r.code).toBe(1);
    const errors = (JSON.parse(r.stdout) as { errors: Array<{ file: string; line: number; message: string }> }).errors;
    expect(errors).toHaveLength(names.length);
    expect(errors).toEqual(expect.arrayContaining(names.map((name) => expect.objectContaining({ file: ".gitcrew/agents/dev/agent.yaml", line: 2, message: expect.stringContaining(`secret "${name}" uses a name gitcrew reserves`) }))));
  });

  it("validate refuses one in crew.cue's defaults, at crew.cue, once for all agents", async () => {
    const dir = makeRepo({
      ".gitcrew/crew.cue": 'approvers: users: ["alice"]\ndefaults: secrets: ["GH_TOKEN"]\n',
      ...cueAgent('["NPM_TOKEN"]'),
      ...agentFiles("ops", { "agent.yaml": "runtime: claude\n", "instructions.md": "Work.\n" }),
    });
    const r = await gitcrew(["validate", "--repo", dir, "--json"]);
    expect(r.code).toBe(1);
    const errors = (JSON.parse(r.stdout) as { errors: Array<{ file: string; line: number; message: string }> }).errors;
    expect(errors).toEqual([expect.objectContaining({ file: ".gitcrew/crew.cue", line: 2, message: expect.stringContaining('secret "GH_TOKEN" uses a name gitcrew reserves') })]);
  });

  it("a run never receives them: dry-run plans nothing for a crew that declares one", async () => {
    const dir = makeRepo(cueAgent('["GITHUB_TOKEN"]'));
    const r = await gitcrew(["dry-run", "--repo", dir, "--comment", "@dev fix it", "--author", "maintainer", "--permission", "admin", "--json"]);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('secret "GITHUB_TOKEN" uses a name gitcrew reserves');
    expect(`${r.stdout}${r.stderr}`).not.toContain("ghs_runnerToken123");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/"runs":\s*\[\s*\{/);
  });

  it("an ordinary secret name still validates", async () => {
    const dir = makeRepo(cueAgent('["NPM_TOKEN", "GITHUBBER_KEY"]'));
    expect((await gitcrew(["validate", "--repo", dir])).code).toBe(0);
  });
});

describe("approval requests for reserved secret names", () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it("opens no approval PR for GITHUB_TOKEN and tells the thread why; an ordinary secret still gets its PR", async () => {
    w = await makeWorld();
    const { issue, job } = await askDev(w);
    const prs = await openApprovalRequests(w.s, job, resultWith(job, [
      { kind: "secret", what: "GITHUB_TOKEN", reason: "to push" },
      { kind: "secret", what: "ACTIONS_RUNTIME_TOKEN", reason: "cache" },
      { kind: "secret", what: "NPM_TOKEN", reason: "publish" },
    ]));
    expect(prs).toHaveLength(1);
    const pulls = w.env.double.pulls(w.env.fullName);
    expect(pulls.map((p) => p.title)).toEqual([expect.stringContaining("NPM_TOKEN")]);
    const replies = w.env.double.comments(w.env.fullName, issue).map((c) => c.body);
    expect(replies.filter((b) => b.includes("No approval request was opened"))).toEqual([
      expect.stringContaining('secret "GITHUB_TOKEN" uses a name gitcrew reserves'),
      expect.stringContaining('secret "ACTIONS_RUNTIME_TOKEN" uses a name gitcrew reserves'),
    ]);
  });
});
