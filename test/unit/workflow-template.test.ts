/**
 * The workflow `gitcrew init` writes: where its concurrency group sits decides
 * which events wait or get dropped. Its expressions are evaluated with GitHub's
 * own expression evaluator (@actions/expressions) over real webhook payloads.
 */
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCommands } from "../../src/events/text.js";

const TEMPLATE = join(import.meta.dirname, "../../templates/workflows/gitcrew.yml");
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, any>[] }[];
const example = (name: string, action: string) => structuredClone(examples.find((g) => g.name === name)!.examples.find((e) => e.action === action)!);

interface Workflow {
  concurrency?: unknown;
  jobs: Record<string, { if?: string; concurrency?: { group: string; "cancel-in-progress": boolean } }>;
}

const RUN_ID = 987654321;

/** A template value as GitHub evaluates it: `${{ … }}` pieces evaluated against the `github` context, the rest kept. */
function evaluate(template: string, eventName: string, payload: unknown): string {
  const github = JSON.parse(JSON.stringify({ event_name: eventName, event: payload, run_id: RUN_ID }), data.reviver) as data.ExpressionData;
  const context = new data.Dictionary({ key: "github", value: github });
  const one = (expr: string) => {
    const lexed = new Lexer(expr).lex();
    return new Evaluator(new Parser(lexed.tokens, ["github"], []).parse(), context).evaluate().coerceString();
  };
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => one(expr));
}

describe("templates/workflows/gitcrew.yml", () => {
  const text = readFileSync(TEMPLATE, "utf8");
  const wf = parse(text) as Workflow;
  const crew = wf.jobs.crew!;
  const comment = (body: string) => {
    const payload = example("issue_comment", "created");
    payload.comment.body = body;
    return payload;
  };
  const group = (body: string) => evaluate(crew.concurrency!.group, "issue_comment", comment(body));
  const thread = `gitcrew-${example("issue_comment", "created").issue.number}`;

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

  // `/cancel` must not queue behind the run it stops (nor be replaced there by the next comment).
  it.each([
    ["/cancel", true],
    ["/cancel please", true],
    ["stop that\n/cancel", true],
    ["stop that\r\n/cancel\r\nthanks", true],
    ["@dev hold on\r\n\r\n/cancel", true],
    ["  /cancel", false], // parsed as a command (up to 3 spaces), but no expression can see it: documented
  ])("gives %j a group of its own: %s", (body, own) => {
    expect(parseCommands(body).some((c) => c.name === "cancel")).toBe(true);
    expect(group(body)).toBe(own ? `gitcrew-${RUN_ID}` : thread);
  });

  it("skips plain chatter before a runner is taken, but not a mention or a command on any line", () => {
    const runs = (body: string) => evaluate(crew.if!, "issue_comment", comment(body)) === "true";
    expect(runs("thanks, looks good")).toBe(false);
    expect(runs("@dev please fix #12")).toBe(true);
    expect(runs("looks good\r\n/retry")).toBe(true);
    expect(evaluate(crew.if!, "issues", example("issues", "opened"))).toBe("true");
  });
});
