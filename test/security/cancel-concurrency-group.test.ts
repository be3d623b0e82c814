/**
 * Attack: the workflow gives `/cancel` a concurrency group of its own so that
 * it does not wait behind the run it stops. When any comment with a line
 * starting `/cancel` got that group, `@dev do X\n/cancel` left the thread's
 * group: a second agent run started beside the running one, both on the
 * thread's branch. Only a comment that is just `/cancel` may leave the group,
 * and the Action (src/action/cancel.ts, the plan) must start no agent for it.
 * The template's expressions are evaluated with GitHub's own evaluator.
 */
import { describe, expect, it } from "vitest";
import { OWN_GROUP_CANCEL_BODIES, cancelsOutOfTurn, nothingToCancel } from "../../src/action/cancel.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { normalize } from "../../src/events/normalize.js";
import { plan } from "../../src/plan/plan.js";
import { exampleRepo } from "../support/crew-fixture.js";
import { RUN_ID, commentGroup, commentPayload, readTemplate, threadGroup } from "../support/workflow-template.js";

describe("a /cancel comment that also asks for work", () => {
  it.each([
    "@dev do X\n/cancel",
    "@dev do X\r\n/cancel\r\n",
    "/cancel\n@dev do X instead",
    "/cancel\n/deploy prod",
    "/cancel please",
    "stop that\n/cancel",
    "stop that\r\n/cancel\r\nthanks",
    "@dev hold on\r\n\r\n/cancel",
    "/cancel <!-- @dev do X -->",
    "/cancelled",
    "  /cancel", // still the command, but only the listed bodies leave the group (documented)
  ])("%j stays in the thread's concurrency group", (body) => {
    expect(commentGroup(body)).toBe(threadGroup());
    expect(cancelsOutOfTurn(body)).toBe(false);
  });

  it("the one body that leaves the group runs no agent in the Action: it only cancels", async () => {
    expect(commentGroup("/cancel")).toBe(`gitcrew-${RUN_ID}`);
    const dir = await exampleRepo();
    const loaded = await loadCrewFromDir(dir);
    if (!loaded.crew) throw new Error(JSON.stringify(loaded.errors));
    for (const body of OWN_GROUP_CANCEL_BODIES) {
      expect(commentGroup(body)).toBe(`gitcrew-${RUN_ID}`);
      const n = normalize("issue_comment", commentPayload(body));
      if (!n.ok) throw new Error(n.ignored);
      const p = plan(n.trigger, loaded.crew, { permission: "write" });
      expect(p.runs).toEqual([]);
      expect(p.commands.map((c) => [c.name, c.allowed])).toEqual([["cancel", true]]);
    }
    // And "@dev do X\n/cancel" does plan a run: that is why it must wait its turn.
    const n = normalize("issue_comment", commentPayload("@dev do X\n/cancel"));
    if (!n.ok) throw new Error(n.ignored);
    expect(plan(n.trigger, loaded.crew, { permission: "write" }).runs.map((r) => r.agent)).toEqual(["dev"]);
  });

  it("the template and the Action list the same bodies", () => {
    const group = readTemplate().wf.jobs.crew!.concurrency!.group;
    const list = /contains\(fromJSON\('(\[[^']*\])'\), github\.event\.comment\.body\)/.exec(group)?.[1];
    expect(JSON.parse(list ?? "null")).toEqual([...OWN_GROUP_CANCEL_BODIES]);
  });

  it("whoever sent a /cancel with other text is told it waited for the run to end", () => {
    expect(nothingToCancel("alice", "/cancel\n")).toBe("@alice nothing to cancel: no run of this thread is going on this runner.");
    expect(nothingToCancel("alice", "@dev do X\n/cancel")).toBe(
      "@alice nothing to cancel: no run of this thread is going on this runner. A `/cancel` in a comment with anything else in it waits until the thread's current run has ended; to stop a run while it works, comment `/cancel` alone.",
    );
  });
});
