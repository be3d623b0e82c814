/**
 * The Action's 👀 before the crew loads (src/action/early-eyes.ts), against
 * the GitHub double: for a comment that @mentions an agent folder, the
 * reaction is asked for without waiting for planning's GitHub lookups (the
 * actor's permission, asked at the same time since issue 21, is held until
 * the 👀 arrives), exactly once even when the run goes ahead; never for a
 * bot, a comment naming no agent, or a dry run (which writes nothing to GitHub).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionEnv } from "../support/action-harness.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { requireDockerAndImage } from "../support/runner-harness.js";

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": 'runtime: command\ncommand: ["sh", "-c", "echo fixed"]\ntriggers:\n  mention: true\nlimits:\n  network: none\n',
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
};

describe("the Action's 👀 before the crew loads", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    gh.double.setPermission(gh.fullName, "rita", "read");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  }, 600_000);
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  /** The double's requests of one Action run: the 👀 reactions asked for, and the index of each kind of call. */
  async function act(login: string, text: string, inputs: Record<string, string> = {}) {
    const issue = gh.double.addIssue(gh.fullName, { title: "flaky", user: login });
    const { comment, payload } = gh.double.addComment(gh.fullName, issue.number, login, text);
    const from = gh.double.requests.length;
    const run = await runAction(env, "issue_comment", payload, { token, inputs });
    const log = gh.double.requests.slice(from);
    const eyes = log.flatMap((r, i) => (r.method === "POST" && r.path.endsWith(`/comments/${comment.id}/reactions`) ? [i] : []));
    const permission = log.findIndex((r) => r.path.includes("/collaborators/") && r.path.endsWith("/permission"));
    return { run, eyes, permission, issue };
  }

  it("reacts while the actor's permission lookup is still unanswered, once, for a run that goes ahead", async () => {
    // The permission lookup is held until a 👀 reaction reaches the double (or 20 s pass: then the 👀 waited for it).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const from = gh.double.requests.length;
    let eyesWhileHeld = false;
    const watch = setInterval(() => {
      if (gh.double.requests.slice(from).some((r) => r.method === "POST" && r.path.endsWith("/reactions"))) {
        eyesWhileHeld = true;
        release();
      }
    }, 5);
    const giveUp = setTimeout(release, 20_000);
    gh.double.setLatency((op) => (op === "repos/get-collaborator-permission-level" ? held : undefined));
    try {
      const { run, eyes, permission, issue } = await act("alice", "@dev please fix it");
      expect(run.code, run.stdout).toBe(0);
      expect(eyesWhileHeld).toBe(true);
      expect(eyes).toHaveLength(1);
      expect(permission).toBeGreaterThan(-1);
      expect(gh.double.comments(gh.fullName, issue.number).some((c) => c.body.includes("fixed"))).toBe(true);
    } finally {
      clearInterval(watch);
      clearTimeout(giveUp);
      gh.double.setLatency(undefined);
    }
  });

  it("reacts early to a reader too, whose request is then refused, as gitcrew serve does", async () => {
    const { eyes, permission, issue } = await act("rita", "@dev please fix it");
    expect(eyes).toHaveLength(1);
    expect(permission).toBeGreaterThan(-1);
    expect(gh.double.comments(gh.fullName, issue.number).map((c) => c.body).join("\n")).toMatch(/rita/);
  });

  it("gives no early 👀 to a comment that names no agent, and none at all in a dry run", async () => {
    expect((await act("alice", "@someone else, thoughts?")).eyes).toEqual([]);
    const dry = await act("alice", "@dev please fix it", { "dry-run": "true" });
    expect(dry.run.code, dry.run.stdout).toBe(0);
    expect(dry.eyes).toEqual([]);
  });
});
