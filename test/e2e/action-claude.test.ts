/**
 * The Action with a `claude` agent, end to end: dist/index.js on two issue
 * comments of one thread, against the GitHub double, running the real Claude
 * Code CLI in the gitcrew/claude image against the scripted Messages API on
 * this machine's Docker bridge address. The follow-up resumes the session the
 * first run's comment names: the model receives the first run's conversation
 * (its tool call and tool result, which no comment carries) and the CLI
 * reports the same session id.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionEnv, type ActionRun } from "../support/action-harness.js";
import { dockerHostAddress } from "../support/fake-anthropic/docker-host.js";
import { startFakeAnthropic, textOf, toolResults, type FakeAnthropic, type MessagesBody } from "../support/fake-anthropic/server.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const exec = promisify(execFile);
const IMAGE = "gitcrew/claude:latest";
const API_KEY = "sk-ant-action-e2e-not-a-real-key";
const SESSION_MARKER = /<!-- gitcrew:session agent=dev id=([0-9a-f-]{36}) -->/;

const DEV = `runtime: claude
model: claude-sonnet-4-5
secrets: ["ANTHROPIC_API_KEY"]
triggers:
  mention: true
limits:
  timeout: 4m
  memory: 2g
  cpus: 1
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": DEV,
  ".gitcrew/agents/dev/instructions.md": "You are dev. Sign every answer with PINEAPPLE-42.\n",
};

async function showFile(bareDir: string, ref: string, path: string): Promise<string> {
  return (await exec("git", ["--git-dir", bareDir, "show", `${ref}:${path}`])).stdout;
}

/** Every content block of the conversation sent in one request, flattened. */
function blocks(body: MessagesBody): Record<string, unknown>[] {
  return body.messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Record<string, unknown>[]) : []));
}

describe("the Action with a claude agent", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;
  let model: FakeAnthropic;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", IMAGE]).catch(() => {
      throw new Error(`image ${IMAGE} is missing: build it with 'gitcrew images build claude --offline' (or bash scripts/ci/build-images.sh)`);
    });
    model = await startFakeAnthropic({
      host: await dockerHostAddress(process.env.GITCREW_DOCKER_NETWORK ?? "bridge"),
      script: [
        // Run 1: write the file with a tool, then answer from the tool's result.
        { text: "Writing it.", toolUses: [{ id: "toolu_hello", name: "Write", input: { file_path: "/workspace/hello.txt", content: "hello from dev\n" } }] },
        (body) => {
          const write = toolResults(body).find((r) => r.tool_use_id === "toolu_hello");
          return { text: write && !write.is_error ? "I wrote hello.txt. PINEAPPLE-42" : `the Write tool failed: ${write?.content}` };
        },
        // Run 2: another file, another answer.
        { text: "Adding the logout note.", toolUses: [{ id: "toolu_logout", name: "Write", input: { file_path: "/workspace/logout.txt", content: "logout is covered\n" } }] },
        { text: "Covered the logout path in logout.txt. PINEAPPLE-42" },
      ],
    });
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => {
    await gh?.close();
    await model?.close();
  });
  afterEach(() => gh.double.assertNoViolations());

  /** The workflow's `env:` carries the model key (a repository secret) and the endpoint. */
  async function comment(issue: number, text: string): Promise<ActionRun> {
    const { payload } = gh.double.addComment(gh.fullName, issue, "alice", text);
    const run = await runAction(env, "issue_comment", payload, { token, extraEnv: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: model.url } });
    expect(run.code, `${run.stdout}\nmodel errors: ${model.errors.join("; ")}`).toBe(0);
    return run;
  }

  it("answers through the real Claude Code CLI, and a follow-up in the thread resumes the same session on the same branch and PR", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Say hello", body: "We need a greeting file.", user: "alice" });
    const branch = `gitcrew/dev/${issue.number}`;

    const first = await comment(issue.number, "@dev write hello.txt");
    expect(first.outputs.status).toBe("succeeded");
    const tracking1 = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking1?.body).toContain("✅ **dev** finished");
    expect(tracking1?.body).toContain("I wrote hello.txt. PINEAPPLE-42");
    expect(tracking1?.body).toContain("`hello.txt`");
    const session = SESSION_MARKER.exec(tracking1?.body ?? "")?.[1];
    expect(session, tracking1?.body).toBeDefined();
    // The CLI ran in the container with the key from the workflow's env and the agent's model.
    const opening = model.turns[0];
    expect(opening?.model).toBe("claude-sonnet-4-5");
    expect(model.requests.find((r) => r.method === "POST")?.headers["x-api-key"]).toBe(API_KEY);
    expect(textOf(opening!)).toContain("write hello.txt");
    expect(model.turns).toHaveLength(2);
    expect(first.stdout).toMatch(/^ +argv +claude -p .*--model claude-sonnet-4-5$/m);
    expect(first.stdout).not.toContain("--resume");
    expect(tracking1?.body).toMatch(/<sub>tokens: [\d,]+ in \/ [\d,]+ out · cost: /);
    // Metered by the run gateway: each Messages response is 100 tokens in and 20 out, at claude-sonnet-4-5's
    // $3 / $15 per million: the Action's outputs and job summary carry the run's tokens and cost.
    const answered = model.requests.filter((r) => r.method === "POST" && r.url.startsWith("/v1/messages") && !r.url.includes("count_tokens")).length;
    expect(first.outputs.tokens).toBe(String(120 * answered));
    expect(Number(first.outputs["cost-usd"])).toBeCloseTo(0.0006 * answered, 6);
    expect(JSON.parse(first.outputs.runs ?? "[]")[0]).toMatchObject({ tokens: { input: 100 * answered, output: 20 * answered, total: 120 * answered }, unpricedModels: [] });
    expect(first.summary).toContain("<th>tokens · cost</th>");
    expect(first.summary).toContain(`<td>${(100 * answered).toLocaleString("en-US")} in / ${(20 * answered).toLocaleString("en-US")} out · `);

    expect(await showFile(gh.bareDir, branch, "hello.txt")).toBe("hello from dev\n");
    await expect(showFile(gh.bareDir, "main", "hello.txt")).rejects.toThrow();
    const pulls = gh.double.pulls(gh.fullName);
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.pull?.head).toBe(branch);
    expect(pr.body).toContain(`Closes #${issue.number}`);
    expect(first.outputs["pr-number"]).toBe(String(pr.number));
    const headAfterFirst = (await exec("git", ["--git-dir", gh.bareDir, "rev-parse", branch])).stdout.trim();

    const second = await comment(issue.number, "@dev also cover the logout path");
    expect(second.outputs.status).toBe("succeeded");

    // The plan in the step log: the CLI was started with --resume and the session of the first comment.
    expect(second.stdout).toMatch(new RegExp(`^ +argv +claude -p .* --resume ${session}$`, "m"));
    // Resumed: the model got run 1's conversation back — its tool call and the
    // tool's result, which only the session transcript holds — under the same session id.
    expect(model.turns).toHaveLength(4);
    const resumed = model.turns[2]!;
    const earlier = blocks(resumed);
    expect(earlier).toContainEqual(expect.objectContaining({ type: "tool_use", id: "toolu_hello", name: "Write" }));
    expect(earlier).toContainEqual(expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_hello" }));
    expect(earlier).toContainEqual(expect.objectContaining({ type: "text", text: "Writing it." }));
    expect(textOf(resumed)).toContain("also cover the logout path");
    const resumedCall = model.requests.filter((r) => r.method === "POST" && r.url.startsWith("/v1/messages") && r.raw.includes("also cover the logout path"));
    expect(resumedCall.length).toBeGreaterThan(0);
    for (const r of resumedCall) expect(r.headers["x-claude-code-session-id"]).toBe(session);

    // The answer is in a new tracking comment that names the same session.
    const mine = gh.double.comments(gh.fullName, issue.number).filter((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(mine).toHaveLength(2);
    expect(mine[0]?.id).toBe(tracking1?.id);
    expect(mine[0]?.body).not.toContain("logout");
    expect(mine[1]?.body).toContain("✅ **dev** finished");
    expect(mine[1]?.body).toContain("Covered the logout path in logout.txt. PINEAPPLE-42");
    expect(SESSION_MARKER.exec(mine[1]?.body ?? "")?.[1]).toBe(session);

    // Same branch, one more commit on top of the first, same PR.
    expect(await showFile(gh.bareDir, branch, "logout.txt")).toBe("logout is covered\n");
    expect(await showFile(gh.bareDir, branch, "hello.txt")).toBe("hello from dev\n");
    expect((await exec("git", ["--git-dir", gh.bareDir, "rev-parse", `${branch}~1`])).stdout.trim()).toBe(headAfterFirst);
    expect(gh.double.pulls(gh.fullName)).toHaveLength(1);
    expect(second.outputs["pr-number"]).toBe(String(pr.number));

    // The key is masked in the log and never reaches GitHub.
    for (const run of [first, second]) {
      expect(run.stdout.split("\n")).toContain(`::add-mask::${API_KEY}`);
      expect(run.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n")).not.toContain(API_KEY);
    }
    for (const c of gh.double.comments(gh.fullName, issue.number)) expect(c.body).not.toContain(API_KEY);
    for (const p of gh.double.pulls(gh.fullName)) expect(`${p.title}\n${p.body}`).not.toContain(API_KEY);
    for (const call of gh.double.calls("issues/create-comment").concat(gh.double.calls("issues/update-comment"))) expect(JSON.stringify(call.body)).not.toContain(API_KEY);
    expect(model.errors).toEqual([]);
  }, 600_000);
});
