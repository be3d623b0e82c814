/**
 * templates/workflows/gitcrew.yml as GitHub reads it: its `${{ … }}`
 * expressions evaluated with GitHub's own evaluator (@actions/expressions)
 * over real webhook payloads (@octokit/webhooks-examples).
 */
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";

export const TEMPLATE = join(import.meta.dirname, "../../templates/workflows/gitcrew.yml");
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, any>[] }[];
export const example = (name: string, action: string) => structuredClone(examples.find((g) => g.name === name)!.examples.find((e) => e.action === action)!);

export interface Workflow {
  concurrency?: unknown;
  jobs: Record<string, { if?: string; concurrency?: { group: string; "cancel-in-progress": boolean } }>;
}

export const RUN_ID = 987654321;

/** A template value as GitHub evaluates it: `${{ … }}` pieces evaluated against the `github` context, the rest kept. */
export function evaluate(template: string, eventName: string, payload: unknown): string {
  const github = JSON.parse(JSON.stringify({ event_name: eventName, event: payload, run_id: RUN_ID }), data.reviver) as data.ExpressionData;
  const context = new data.Dictionary({ key: "github", value: github });
  const one = (expr: string) => {
    const lexed = new Lexer(expr).lex();
    return new Evaluator(new Parser(lexed.tokens, ["github"], []).parse(), context).evaluate().coerceString();
  };
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => one(expr));
}

export function readTemplate(): { text: string; wf: Workflow } {
  const text = readFileSync(TEMPLATE, "utf8");
  return { text, wf: parse(text) as Workflow };
}

/** A real `issue_comment.created` payload with `body`. */
export function commentPayload(body: string) {
  const payload = example("issue_comment", "created");
  payload.comment.body = body;
  return payload;
}

/** The concurrency group the `crew` job of the template gets for a comment with `body`. */
export function commentGroup(body: string): string {
  return evaluate(readTemplate().wf.jobs.crew!.concurrency!.group, "issue_comment", commentPayload(body));
}

/** The group every event of the example payloads' thread shares. */
export const threadGroup = () => `gitcrew-${example("issue_comment", "created").issue.number}`;
