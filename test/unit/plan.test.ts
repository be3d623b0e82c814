import { beforeAll, describe, expect, it } from "vitest";
import { loadCrewFromDir } from "../../src/crew/load.js";
import type { Crew } from "../../src/crew/types.js";
import { normalize } from "../../src/events/normalize.js";
import type { Trigger } from "../../src/events/trigger.js";
import { plan, type PlanContext } from "../../src/plan/plan.js";
import { crewRoutesEdits } from "../../src/plan/route.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";
import { example, type Payload } from "./events-fixtures.js";

let crew: Crew;

beforeAll(async () => {
  const dir = makeRepo({
    ".gitcrew/crew.cue": 'approvers: users: ["alice"]\ntrusted_bots: ["renovate[bot]"]\nloop_guard: max_depth: 2\n',
    ".gitcrew/skills/testing/SKILL.md": "---\ndescription: run tests\n---\n",
    ...agentFiles("dev", agentYaml('runtime: claude\nskills: ["testing"]\ntriggers:\n  labels: ["agent:dev"]\n  assigned: true\nsecrets: ["EXTRA_TOKEN"]\n')),
    ...agentFiles("ops", agentYaml('runtime: command\ncommand: ["deploy.sh"]\ntriggers:\n  mention: false\n  commands: ["deploy"]\nallow:\n  permission: maintain\n  users: ["carol"]\n')),
    ...agentFiles("rev", agentYaml('runtime: codex\ntriggers:\n  events: ["pull_request.opened"]\n  paths: ["src/**"]\n  schedule: ["0 6 * * 1"]\n')),
  });
  const loaded = await loadCrewFromDir(dir);
  if (!loaded.crew) throw new Error(JSON.stringify(loaded.errors));
  crew = loaded.crew;
});

function comment(body: string, edit?: (p: Payload) => void): Trigger {
  const p = example("issue_comment", "created");
  (p.comment as Payload).body = body;
  edit?.(p);
  const n = normalize("issue_comment", p);
  if (!n.ok) throw new Error(n.ignored);
  return n.trigger;
}

const write: PlanContext = { permission: "write" };
const names = (p: ReturnType<typeof plan>) => p.runs.map((r) => r.agent);
const skip = (p: ReturnType<typeof plan>, agent: string) => p.skipped.find((s) => s.agent === agent);

describe("plan", () => {
  it("runs every mentioned agent, with prompt and hardened container", () => {
    const t = comment("@dev please fix the flaky login test");
    const p = plan(t, crew, write);
    expect(names(p)).toEqual(["dev"]);
    const run = p.runs[0];
    expect(run?.reason).toBe(`mentioned as @dev by @${t.actor.login}`);
    expect(run?.prompt).toContain("please fix the flaky login test");
    expect(run?.prompt).toContain(`Issue #${t.thread?.number}: ${t.thread?.title}`);
    // A follow-up continues on the agent's branch; the prompt must not claim the default branch.
    expect(run?.prompt).toContain(`Your workspace is the repository on the branch \`${run?.branch}\`: your earlier work in this thread when there is some, else a new branch from ${t.repo.defaultBranch}`);
    expect(run?.branch).toBe(`gitcrew/dev/${t.thread?.number}`);
    expect(run?.container).toMatchObject({
      image: "gitcrew/claude:latest",
      user: "1000:1000",
      readOnlyRootfs: true,
      capDrop: ["ALL"],
      securityOpt: ["no-new-privileges"],
      // The model through the run gateway; its key is the gateway's, not the container's.
      network: "gateway",
      allow: [],
      modelKeys: ["ANTHROPIC_API_KEY"],
      secrets: ["EXTRA_TOKEN"],
      injectedFiles: { "CLAUDE.md": "Do the work.\n" },
      mounts: [{ source: ".gitcrew/skills/testing", target: "/workspace/.claude/skills/testing", readOnly: true }],
    });
    expect(p.skipped.map((s) => [s.agent, s.code])).toEqual([
      ["ops", "not-addressed"],
      ["rev", "not-addressed"],
    ]);
  });

  it("ignores mentions in code, quotes and e-mail addresses", () => {
    const p = plan(comment("`@dev` and\n> @dev said\n```\n@dev\n```\nmail dev@example.com"), crew, write);
    expect(names(p)).toEqual([]);
  });

  it("refuses an actor below the agent's allow level, saying who can approve", () => {
    const p = plan(comment("@dev fix it"), crew, { permission: "read" });
    expect(names(p)).toEqual([]);
    expect(skip(p, "dev")).toMatchObject({ code: "unauthorized" });
    expect(skip(p, "dev")?.reason).toContain("has read permission and @dev needs write; @alice can /approve");
  });

  it("lets allow.users in whatever their permission, and agent slash commands route", () => {
    const t = comment("/deploy staging", (p) => ((p.sender as Payload).login = "carol"));
    expect(names(plan(t, crew, { permission: "read" }))).toEqual(["ops"]);
    expect(plan(t, crew, { permission: "read" }).runs[0]?.reason).toBe("slash command /deploy staging by @carol (@carol is in allow.users)");
    const other = comment("/deploy staging");
    expect(skip(plan(other, crew, write), "ops")?.code).toBe("unauthorized");
  });

  it("ignores untrusted bots, accepts trusted ones", () => {
    const bot = (login: string) =>
      comment("@dev bump deps", (p) => {
        (p.sender as Payload).login = login;
        (p.sender as Payload).type = "Bot";
      });
    expect(skip(plan(bot("evil[bot]"), crew, write), "dev")?.code).toBe("bot");
    expect(names(plan(bot("renovate[bot]"), crew, write))).toEqual(["dev"]);
  });

  it("bounds agent-to-agent chains with the loop guard", () => {
    const fromAgent = (depth: number, agent = "rev") =>
      comment(`@dev over to you\n\n<!-- gitcrew:origin agent=${agent} run=r1 depth=${depth} -->`, (p) => {
        (p.sender as Payload).login = "github-actions[bot]";
        (p.sender as Payload).type = "Bot";
      });
    expect(names(plan(fromAgent(1), crew, write))).toEqual(["dev"]);
    expect(skip(plan(fromAgent(2), crew, write), "dev")).toMatchObject({ code: "loop" });
    expect(skip(plan(fromAgent(2), crew, write), "dev")?.reason).toContain("loop_guard.max_depth: 2");
    expect(skip(plan(fromAgent(0, "dev"), crew, write), "dev")?.reason).toContain("does not answer its own comments");
  });

  it("does not run fork PR code until that head sha is approved", () => {
    const p = example("pull_request", "opened");
    const pr = p.pull_request as Payload;
    ((pr.head as Payload).repo as Payload).full_name = "mallory/fork";
    (((pr.head as Payload).repo as Payload).owner as Payload).login = "mallory";
    (pr.head as Payload).sha = "abc1234def";
    const n = normalize("pull_request", p);
    if (!n.ok) throw new Error(n.ignored);
    const refused = plan(n.trigger, crew, { ...write, changedFiles: ["src/a.ts"] });
    expect(skip(refused, "rev")).toMatchObject({ code: "untrusted" });
    expect(skip(refused, "rev")?.reason).toContain("approves head abc1234");
    const approved = plan(n.trigger, crew, { ...write, changedFiles: ["src/a.ts"], approvedShas: ["abc1234def"] });
    expect(names(approved)).toEqual(["rev"]);
    // The approval vets that commit: the run checks it out (never the fork's branch name), on a branch of its own.
    expect(approved.runs[0]).toMatchObject({ ref: "abc1234def", pinnedHead: { pull: n.trigger.thread?.number, sha: "abc1234def" } });
    expect(approved.runs[0]?.branch).toBe(`gitcrew/rev/${n.trigger.thread?.number}-abc1234`);
    // Another head's approval vets nothing here.
    expect(names(plan(n.trigger, crew, { ...write, changedFiles: ["src/a.ts"], approvedShas: ["0123456789"] }))).toEqual([]);
  });

  it("applies path filters to pull request events", () => {
    const n = normalize("pull_request", example("pull_request", "opened"));
    if (!n.ok) throw new Error(n.ignored);
    if (n.trigger.untrusted.length > 0) n.trigger.untrusted = [];
    expect(names(plan(n.trigger, crew, { ...write, changedFiles: ["src/x/y.ts"] }))).toEqual(["rev"]);
    expect(skip(plan(n.trigger, crew, { ...write, changedFiles: ["docs/readme.md"] }), "rev")).toMatchObject({ code: "filtered" });
  });

  it("routes labels, assignment and schedules", () => {
    const labeled = example("issues", "labeled");
    (labeled.label as Payload).name = "agent:dev";
    const l = normalize("issues", labeled);
    expect(l.ok && names(plan(l.trigger, crew, write))).toEqual(["dev"]);

    const assigned = example("issues", "assigned");
    (assigned.assignee as Payload).login = "dev";
    const a = normalize("issues", assigned);
    expect(a.ok && names(plan(a.trigger, crew, write))).toEqual(["dev"]);

    // GitHub ships no example schedule payload; this is its documented shape.
    const s = normalize("schedule", { schedule: "0 6 * * 1", repository: example("push").repository });
    if (!s.ok) throw new Error(s.ignored);
    const sp = plan(s.trigger, crew, { permission: "none" });
    expect(names(sp)).toEqual(["rev"]);
    expect(sp.runs[0]?.branch).toBe("gitcrew/rev/{run}");
  });

  it("turns built-in slash commands into control commands with permissions", () => {
    const p = plan(comment("/cancel\n/approve"), crew, { permission: "write" });
    expect(p.runs).toEqual([]);
    expect(p.commands.map((c) => [c.name, c.allowed])).toEqual([
      ["cancel", true],
      ["approve", false],
    ]);
    const byAlice = plan(comment("/approve", (x) => ((x.sender as Payload).login = "alice")), crew, { permission: "read" });
    expect(byAlice.commands[0]).toMatchObject({ name: "approve", allowed: true });
  });

  it("carries the thread history and resumes the agent's session", () => {
    const t = comment("@dev also cover the logout path");
    const p = plan(t, crew, {
      ...write,
      history: [
        { author: "alice", body: "@dev the login test is flaky" },
        { author: "github-actions[bot]", body: "Fixed in #13 <!-- gitcrew:origin agent=dev run=r1 depth=0 -->" },
      ],
      sessions: { dev: "sess-123" },
    });
    const prompt = p.runs[0]?.prompt ?? "";
    expect(prompt).toContain("Earlier in this thread (oldest first):\n@alice wrote:\n> @dev the login test is flaky\n@github-actions[bot] wrote:\n> Fixed in #13");
    expect(prompt).not.toContain("gitcrew:origin");
    expect(p.runs[0]?.container.argv).toEqual(expect.arrayContaining(["--resume", "sess-123"]));
  });

  it("drops the oldest history first when the thread is over the prompt's budget, and says how much it left out", () => {
    // 20 messages of ~3,900 characters against a 24,000-character history budget: the newest 6 fit.
    const history = Array.from({ length: 20 }, (_, i) => ({ author: i % 2 ? "bob" : "alice", body: `message ${i} ${"x".repeat(3_880)}` }));
    const prompt = plan(comment("@dev go on"), crew, { ...write, history }).runs[0]?.prompt ?? "";
    expect(prompt).toContain("Earlier in this thread (oldest first):\n[14 earlier message(s) left out]\n@alice wrote:\n> message 14 ");
    for (let i = 14; i < 20; i++) expect(prompt).toContain(`message ${i} x`);
    for (let i = 0; i < 14; i++) expect(prompt).not.toContain(`message ${i} x`);
    // Kept oldest first, ending with the newest, before the request itself.
    expect(prompt.indexOf("message 14 x")).toBeLessThan(prompt.indexOf("message 19 x"));
    expect(prompt.indexOf("message 19 x")).toBeLessThan(prompt.indexOf("go on"));
  });

  it("lists a pull request's changed files in the prompt, bounded", () => {
    const n = normalize("pull_request", example("pull_request", "opened"));
    if (!n.ok) throw new Error(n.ignored);
    n.trigger.untrusted = [];
    const prompt = plan(n.trigger, crew, { ...write, changedFiles: ["src/login.ts", "test/login.test.ts"] }).runs[0]?.prompt ?? "";
    expect(prompt).toContain("Files changed in this pull request:\n- src/login.ts\n- test/login.test.ts\n");
    const many = Array.from({ length: 205 }, (_, i) => `src/f${i}.ts`);
    const long = plan(n.trigger, crew, { ...write, changedFiles: many }).runs[0]?.prompt ?? "";
    expect(long).toContain("- src/f199.ts\n- … and 5 more");
    expect(long).not.toContain("src/f200.ts");
  });

  it("tells the agent how to ask for approval, and which actions the crew gates", () => {
    const t = comment("@dev ship it");
    const none = plan(t, crew, write).runs[0]?.prompt ?? "";
    expect(none).toContain('`gitcrew-request-approval --kind KIND --what "…" --reason "why"`');
    expect(none).toContain("- `secret`: the name of a secret you need (never its value)");
    expect(none).toContain("This crew gates no actions, so `--kind action` requests are refused.");
    const gated = { ...crew, config: { ...crew.config, gated_actions: ["deploy", "release"] } };
    const prompt = plan(t, gated, write).runs[0]?.prompt ?? "";
    expect(prompt).toContain("The crew's gated actions are: `deploy`, `release`.");
    expect(prompt).toContain("ask with `--kind action --what deploy`");
  });
});

describe("routing edits and closes", () => {
  let small: Crew;
  beforeAll(async () => {
    const loaded = await loadCrewFromDir(
      makeRepo({
        ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n',
        ...agentFiles("dev", agentYaml("runtime: claude\n")),
        ...agentFiles("fixer", agentYaml("runtime: claude\ntriggers:\n  edits: true\n")),
        ...agentFiles("notes", agentYaml('runtime: command\ncommand: ["notes.sh"]\ntriggers:\n  events: ["pull_request.closed"]\n')),
      }),
    );
    if (!loaded.crew) throw new Error(JSON.stringify(loaded.errors));
    small = loaded.crew;
  });

  function edited(body: string): Trigger {
    const p = example("issue_comment", "edited");
    (p.comment as Payload).body = body;
    const n = normalize("issue_comment", p, { edits: crewRoutesEdits(small.agents) });
    if (!n.ok) throw new Error(n.ignored);
    return n.trigger;
  }

  it("gives an edited comment only to agents with triggers.edits, and applies no command from it", () => {
    expect(crewRoutesEdits(crew.agents)).toBe(false);
    expect(crewRoutesEdits(small.agents)).toBe(true);
    const p = plan(edited("@dev @fixer please look again\n/approve"), small, write);
    expect(names(p)).toEqual(["fixer"]);
    expect(p.runs[0]?.reason).toMatch(/^mentioned as @fixer by @\S+ in an edited comment$/);
    expect(skip(p, "dev")?.reason).toBe("not addressed: an edited comment (this agent does not set triggers.edits)");
    expect(p.commands).toEqual([]);
  });

  it("runs an edit of someone else's comment only when its author is allowed too (the lesser authority counts); bots as actors", () => {
    const t = edited("@fixer please look again");
    t.actor = { login: "maint", type: "User" };
    t.author = { login: "rita", type: "User" };
    const refused = plan(t, small, { permission: "admin", author: { permission: "read" } });
    expect(names(refused)).toEqual([]);
    expect(skip(refused, "fixer")).toEqual({
      agent: "fixer",
      code: "unauthorized",
      requester: "rita",
      reason:
        "mentioned as @fixer by @maint in an edited comment, but the comment is @rita's (@maint edited it), and an edit runs only with what both may do: @rita has read permission and @fixer needs write; @alice can /approve to run it once",
    });
    // Unknown author permission counts as none.
    expect(names(plan(t, small, { permission: "admin" }))).toEqual([]);
    const both = plan(t, small, { permission: "write", author: { permission: "write" } });
    expect(names(both)).toEqual(["fixer"]);
    // The prompt says whose words they are.
    expect(both.runs[0]?.prompt).toContain("Request from @rita, edited by @maint:");
    // The editor still counts: a reader's edit of a maintainer's comment is refused as the reader's.
    expect(skip(plan(t, small, { permission: "read", author: { permission: "admin" } }), "fixer")?.reason).toMatch(/but @maint has read permission/);
    // An untrusted bot's comment, edited by a maintainer, is a bot's text: ignored as a bot's.
    t.author = { login: "spam[bot]", type: "Bot" };
    expect(skip(plan(t, small, { permission: "admin", author: { permission: "admin" } }), "fixer")?.code).toBe("bot");
  });

  it("runs pull_request.closed agents only when the pull request was merged", () => {
    const closed = (merged: boolean) => {
      const p = example("pull_request", "closed");
      (p.pull_request as Payload).merged = merged;
      const n = normalize("pull_request", p);
      if (!n.ok) throw new Error(n.ignored);
      n.trigger.untrusted = [];
      return plan(n.trigger, small, write);
    };
    expect(names(closed(true))).toEqual(["notes"]);
    expect(names(closed(false))).toEqual([]);
    expect(skip(closed(false), "notes")?.reason).toBe("not addressed: a pull request closed without merging");
  });

  it("runs every agent one comment addresses", () => {
    const p = plan(comment("@dev @fixer @notes, all of you please"), small, write);
    expect(names(p)).toEqual(["dev", "fixer", "notes"]);
  });
});
