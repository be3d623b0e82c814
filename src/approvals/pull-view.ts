/** An approval PR as read from GitHub's REST payload (fresh: who merged, the merge commit, the raw body). */
import type { RepoRef } from "../events/trigger.js";
import type { PullSummary, RepoId } from "../github/types.js";
import { parseApprovalMarker } from "../github/marker.js";
import { APPROVAL_LABEL, idFromBranch } from "./request.js";

/** A listed PR's fields, plus who merged it, the merge commit and the base repository. */
export interface PullView extends Pick<PullSummary, "number" | "url" | "state" | "body" | "author" | "headRef" | "headSha" | "baseRef" | "labels" | "merged"> {
  mergeSha?: string;
  mergedBy?: { login: string; type?: string };
  repo: RepoRef;
}

function str(o: unknown, ...path: string[]): string | undefined {
  let cur: unknown = o;
  for (const k of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === "string" ? cur : undefined;
}

export function pullView(raw: unknown): PullView {
  const o = raw as Record<string, unknown>;
  const fullName = str(o, "base", "repo", "full_name") ?? "";
  const [owner = "", name = ""] = fullName.split("/");
  const labels = Array.isArray(o.labels) ? (o.labels as unknown[]).map((l) => str(l, "name") ?? "").filter(Boolean) : [];
  const mergedByLogin = str(o, "merged_by", "login");
  return {
    number: Number(o.number),
    url: str(o, "html_url") ?? "",
    state: str(o, "state") ?? "open",
    body: str(o, "body") ?? "",
    author: str(o, "user", "login") ?? "ghost",
    headRef: str(o, "head", "ref") ?? "",
    headSha: str(o, "head", "sha") ?? "",
    baseRef: str(o, "base", "ref") ?? "",
    labels,
    merged: o.merged === true || (typeof o.merged_at === "string" && o.merged_at !== ""),
    ...(str(o, "merge_commit_sha") ? { mergeSha: str(o, "merge_commit_sha") } : {}),
    ...(mergedByLogin ? { mergedBy: { login: mergedByLogin, type: str(o, "merged_by", "type") } } : {}),
    repo: {
      owner: str(o, "base", "repo", "owner", "login") ?? owner,
      name: str(o, "base", "repo", "name") ?? name,
      fullName,
      defaultBranch: str(o, "base", "repo", "default_branch") ?? "main",
      private: (o.base as { repo?: { private?: boolean } } | undefined)?.repo?.private === true,
    },
  };
}

/** gitcrew opened it: an approval branch, labelled or carrying the approval marker. */
export function isApprovalPull(p: { headRef: string; labels: string[]; body?: string }): boolean {
  return idFromBranch(p.headRef) !== undefined && (p.labels.includes(APPROVAL_LABEL) || parseApprovalMarker(p.body ?? "") !== undefined);
}

export function repoOfPull(p: PullView): RepoId {
  return { owner: p.repo.owner, repo: p.repo.name };
}
