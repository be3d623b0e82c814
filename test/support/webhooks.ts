/** Real GitHub payloads from @octokit/webhooks-examples, signed and posted like GitHub does. */
import { createRequire } from "node:module";
import { Webhooks } from "@octokit/webhooks";

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const groups = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];

/** A real payload of this event (and action), with a copy you may change. */
export function example(event: string, action?: string): Record<string, unknown> {
  const group = groups.find((g) => g.name === event);
  const found = group?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example payload for ${event}${action ? `.${action}` : ""}`);
  return structuredClone(found);
}

/** An issue_comment.created payload on issue `number`. */
export function commentPayload(number: number, body = "@dev please look"): string {
  const p = example("issue_comment", "created") as { issue: { number: number }; comment: { body: string } };
  p.issue.number = number;
  p.comment.body = body;
  return JSON.stringify(p);
}

export async function sign(secret: string, body: string): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

export interface PostOptions {
  event?: string;
  id: string;
  body: string;
  secret?: string;
  signature?: string | null;
  contentType?: string;
}

export async function postWebhook(baseUrl: string, o: PostOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    "content-type": o.contentType ?? "application/json",
    "x-github-event": o.event ?? "issue_comment",
    "x-github-delivery": o.id,
    "user-agent": "GitHub-Hookshot/test",
  };
  const signature = o.signature === undefined ? await sign(o.secret ?? "", o.body) : o.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(`${baseUrl}/webhooks`, { method: "POST", headers, body: o.body });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
