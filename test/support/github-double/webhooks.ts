/**
 * Webhook payloads start from GitHub's own examples (@octokit/webhooks-examples)
 * with the double's state laid over them, and are delivered signed.
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { Webhooks } from "@octokit/webhooks";
import type { Shapes } from "./objects.js";
import type { JsonObject } from "./spec.js";
import type { CommentRecord, IssueRecord, RepoRecord } from "./state.js";

interface ExampleDefinition {
  name: string;
  examples: JsonObject[];
}

let examples: ExampleDefinition[] | undefined;

function definitions(): ExampleDefinition[] {
  // The package is a JSON file; createRequire keeps it out of TypeScript's way.
  examples ??= createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleDefinition[];
  return examples;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The example for `event`/`action` with each top-level object in `overrides`
 * laid over the example's (fields the double does not model keep GitHub's
 * example values). Org, enterprise and installation are dropped unless given
 * or named in `keep` (then `overrides` are laid over the example's).
 */
export function examplePayload(event: string, action: string | undefined, overrides: JsonObject, keep: string[] = []): JsonObject {
  const def = definitions().find((d) => d.name === event);
  if (!def) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const example = def.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`@octokit/webhooks-examples has no "${event}.${action ?? ""}" example`);
  const payload = structuredClone(example);
  for (const key of ["organization", "enterprise", "installation"]) if (!keep.includes(key)) delete payload[key];
  for (const [key, value] of Object.entries(overrides)) {
    const base = payload[key];
    payload[key] = isObject(base) && isObject(value) ? { ...base, ...value } : value;
  }
  return payload;
}

export function commentPayload(
  shapes: Shapes,
  r: RepoRecord,
  issue: IssueRecord,
  c: CommentRecord,
  action: "created" | "edited" | "deleted",
  sender: string,
  /** For `edited`: the text before the edit (GitHub's `changes.body.from`). */
  from?: string,
): JsonObject {
  const overrides: JsonObject = {
    action,
    issue: shapes.issue(r, issue),
    comment: shapes.comment(r, c),
    repository: shapes.repo(r),
    sender: shapes.user(sender),
  };
  const payload = examplePayload("issue_comment", action, overrides);
  if (action !== "edited") delete payload.changes;
  else if (from !== undefined) payload.changes = { body: { from } };
  return payload;
}

export function pullRequestPayload(
  shapes: Shapes,
  r: RepoRecord,
  pull: JsonObject,
  action: string,
  sender: string,
): JsonObject {
  const number = pull.number ?? 0;
  return examplePayload("pull_request", action, {
    action,
    number,
    pull_request: pull,
    repository: shapes.repo(r),
    sender: shapes.user(sender),
  });
}

export function reviewPayload(
  shapes: Shapes,
  r: RepoRecord,
  pull: JsonObject,
  review: JsonObject,
  sender: string,
): JsonObject {
  return examplePayload("pull_request_review", "submitted", {
    action: "submitted",
    review,
    pull_request: pull,
    repository: shapes.repo(r),
    sender: shapes.user(sender),
  });
}

export interface Delivery {
  url: string;
  event: string;
  deliveryId: string;
  payload: JsonObject;
  status: number;
  responseBody: string;
}

/** POSTs one webhook the way GitHub does, signed with `secret`. */
export async function deliverWebhook(
  url: string,
  event: string,
  payload: JsonObject,
  secret: string,
  deliveryId: string = randomUUID(),
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const signature = await new Webhooks({ secret }).sign(body);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/double",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-hub-signature-256": signature,
    },
    body,
  });
  return { url, event, deliveryId, payload, status: res.status, responseBody: await res.text() };
}
