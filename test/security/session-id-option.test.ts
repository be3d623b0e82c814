/**
 * Attack (an agent, through its CLI's output): the session id a run reports
 * is read from the CLI's stdout, which the agent can write (a result line of
 * its own), kept in gitcrew's final comment as a session marker, and passed
 * to the next run of the thread after the resume flag (`claude --resume ID`,
 * `codex exec … resume ID -`, `gemini --resume ID`). An id starting with `-`
 * there is an option of the next run's CLI, chosen by the agent.
 *
 * Session ids are UUID-like (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`) or nothing:
 * checked where the runtimes read them from the output, where gitcrew writes
 * its marker, where it reads the marker back, and at every resume flag.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCrewFromDir } from "../../src/crew/load.js";
import type { Crew } from "../../src/crew/types.js";
import { connectGitHub } from "../../src/github/index.js";
import { executeJob } from "../../src/pipeline/execute.js";
import { prepareEvent } from "../../src/pipeline/prepare.js";
import type { Services } from "../../src/pipeline/types.js";
import { adapterFor } from "../../src/runtimes/index.js";
import { makeRepo } from "../support/crew-fixture.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const CREW = {
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/claude/agent.yaml": "runtime: claude\n",
  ".gitcrew/agents/claude/instructions.md": "Fix things.\n",
  ".gitcrew/agents/codex/agent.yaml": "runtime: codex\n",
  ".gitcrew/agents/codex/instructions.md": "Fix things.\n",
  ".gitcrew/agents/gemini/agent.yaml": "runtime: gemini\n",
  ".gitcrew/agents/gemini/instructions.md": "Fix things.\n",
};

const BOT = "github-actions[bot]";
const HOSTILE = "--dangerously-skip-permissions";
const RESUME = { claude: "--resume", codex: "resume", gemini: "--resume" } as const;
type Runtime = keyof typeof RESUME;

/** The argument after the resume flag, if the argv has one. */
function resumed(argv: string[], runtime: Runtime): string | undefined {
  const at = argv.indexOf(RESUME[runtime]);
  return at === -1 ? undefined : argv[at + 1];
}

/** What each CLI prints, with the session id the agent chose. */
function output(runtime: Runtime, id: string): string {
  if (runtime === "claude") return JSON.stringify({ type: "result", subtype: "success", is_error: false, result: "done", session_id: id, usage: { input_tokens: 1, output_tokens: 1 } });
  if (runtime === "gemini") return JSON.stringify({ session_id: id, response: "done", stats: { models: {} } });
  return [{ type: "thread.started", thread_id: id }, { type: "item.completed", item: { type: "agent_message", text: "done" } }, { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 1 } }]
    .map((e) => JSON.stringify(e))
    .join("\n");
}

describe("a session id that would be an option of the next run's CLI", () => {
  let gh: DoubleRepo;
  let crew: Crew;
  let s: Services;

  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", { "README.md": "hi\n" });
    gh.double.setPermission(gh.fullName, "alice", "write");
    crew = (await loadCrewFromDir(makeRepo(CREW))).crew!;
    const github = await connectGitHub({ auth: { token: gh.double.token(BOT, "Bot") }, baseUrl: gh.double.url });
    s = { github, runner: { run: () => Promise.reject(new Error("set per test")) }, repoDir: mkdtempSync(join(tmpdir(), "gc-")), env: {}, log: () => {} };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  for (const runtime of ["claude", "codex", "gemini"] as const) {
    it(`${runtime}: is never passed to the resume flag when gitcrew's own comment carries it; a UUID still is`, async () => {
      const issue = gh.double.addIssue(gh.fullName, { title: "Resume", user: "alice" });
      const final = (id: string, run: string) => `✅ **${runtime}** finished\n\ndone\n\n<!-- gitcrew:session agent=${runtime} id=${id} -->\n\n<!-- gitcrew:origin agent=${runtime} run=${run} depth=1 -->`;
      // Control: a well-formed id is resumed.
      gh.double.addComment(gh.fullName, issue.number, BOT, final("0b5e6c1a-1111-2222-3333-444455556666", "r1"));
      const first = gh.double.addComment(gh.fullName, issue.number, "alice", `@${runtime} carry on`);
      const ok = await prepareEvent(s, { event: "issue_comment", payload: first.payload }, crew);
      expect(resumed(ok.jobs[0]!.planned.container.argv, runtime)).toBe("0b5e6c1a-1111-2222-3333-444455556666");

      // The latest marker (an older gitcrew wrote the agent's id as it was): no resume at all, nothing after the flag.
      gh.double.addComment(gh.fullName, issue.number, BOT, final(HOSTILE, "r2"));
      const next = gh.double.addComment(gh.fullName, issue.number, "alice", `@${runtime} and again`);
      const prepared = await prepareEvent(s, { event: "issue_comment", payload: next.payload }, crew);
      const argv = prepared.jobs[0]!.planned.container.argv;
      expect(argv).not.toContain(HOSTILE);
      expect(resumed(argv, runtime)).toBeUndefined();
    });

    it(`${runtime}: an id the agent printed is not kept in the final comment, and the next run resumes nothing`, async () => {
      const issue = gh.double.addIssue(gh.fullName, { title: "Printed", user: "alice" });
      const ask = gh.double.addComment(gh.fullName, issue.number, "alice", `@${runtime} fix it`);
      const job = (await prepareEvent(s, { event: "issue_comment", payload: ask.payload }, crew)).jobs[0]!;
      // The container's output as the runner hands it to the adapter: a result line the agent wrote.
      const parsed = adapterFor(runtime).parseOutput(output(runtime, HOSTILE), "");
      const now = new Date().toISOString();
      const report = await executeJob(
        {
          ...s,
          runner: {
            run: async (req) => ({ run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: parsed.answer, sessionId: parsed.sessionId, changedFiles: [], approvals: [], startedAt: now, finishedAt: now }),
          },
        },
        job,
      );
      expect(report.status).toBe("succeeded");
      const bodies = gh.double.comments(gh.fullName, issue.number).map((c) => c.body);
      expect(bodies.some((b) => b.includes(`gitcrew:origin agent=${runtime}`) && b.includes("done"))).toBe(true);
      expect(bodies.join("\n")).not.toContain("gitcrew:session");
      expect(bodies.join("\n")).not.toContain(HOSTILE);

      const next = gh.double.addComment(gh.fullName, issue.number, "alice", `@${runtime} go on`);
      const argv = (await prepareEvent(s, { event: "issue_comment", payload: next.payload }, crew)).jobs[0]!.planned.container.argv;
      expect(resumed(argv, runtime)).toBeUndefined();
    });
  }
});
