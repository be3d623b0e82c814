/**
 * The workflow `gitcrew init` writes: where its concurrency group sits decides
 * which events wait or get dropped. Its expressions are evaluated with GitHub's
 * own expression evaluator (@actions/expressions) over real webhook payloads.
 */
import { describe, expect, it } from "vitest";
import { OWN_GROUP_CANCEL_BODIES, cancelsOutOfTurn } from "../../src/action/cancel.js";
import { parseCommands } from "../../src/events/text.js";
import { RUN_ID, commentGroup, commentPayload, evaluate, example, readTemplate, threadGroup } from "../support/workflow-template.js";

describe("templates/workflows/gitcrew.yml", () => {
  const { wf } = readTemplate();
  const crew = wf.jobs.crew!;
  const comment = commentPayload;
  const group = commentGroup;
  const thread = threadGroup();

  it("puts the per-thread concurrency group on the job, after its if:, never on the workflow", () => {
    // A workflow-level group is entered before the job's if: is evaluated, so skipped events
    // (gitcrew's own comments with an App token) would still take the one pending slot.
    expect(wf.concurrency).toBeUndefined();
    expect(crew.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(Object.keys(crew).indexOf("if")).toBeLessThan(Object.keys(crew).indexOf("concurrency"));
  });

  it("queues comments, issues and pull requests of one thread in that thread's group", () => {
    expect(group("@dev please fix #12")).toBe(thread);
    expect(group("thanks! /cancel is not needed")).toBe(thread);
    const issue = example("issues", "opened");
    expect(evaluate(crew.concurrency!.group, "issues", issue)).toBe(`gitcrew-${issue.issue.number}`);
    const pr = example("pull_request", "opened");
    expect(evaluate(crew.concurrency!.group, "pull_request", pr)).toBe(`gitcrew-${pr.pull_request.number}`);
  });

  // A bare `/cancel` must not queue behind the run it stops (nor be replaced there by the next comment).
  it.each([...OWN_GROUP_CANCEL_BODIES, "/CANCEL", "/Cancel\r\n"])("gives %j a group of its own", (body) => {
    expect(parseCommands(body)).toEqual([{ name: "cancel", args: "" }]);
    expect(cancelsOutOfTurn(body)).toBe(true);
    expect(group(body)).toBe(`gitcrew-${RUN_ID}`);
  });

  // Bodies with anything beside the `/cancel`: test/security/cancel-concurrency-group.test.ts.

  it("skips plain chatter before a runner is taken, but not a mention or a command on any line", () => {
    const runs = (body: string) => evaluate(crew.if!, "issue_comment", comment(body)) === "true";
    expect(runs("thanks, looks good")).toBe(false);
    expect(runs("@dev please fix #12")).toBe(true);
    expect(runs("looks good\r\n/retry")).toBe(true);
    expect(evaluate(crew.if!, "issues", example("issues", "opened"))).toBe("true");
  });
});
