/** An approval PR as read from GitHub's REST payload (fresh: who merged, the merge commit, the raw body). */
import type { RepoRef } from "../events/trigger.js";
import type { PullSummary, RepoId } from "../github/types.js";
import { APPROVAL_LABEL, idFromBranch } from "./request.js";

/** A listed PR's fields, plus who merged it, the merge commit and the base repository. */
export interface PullView extends Pick<PullSummary, "number" | "url" | "state" | "body" | "author" | "headRef" | "headSha" | "baseRef" | "labels" | "merged"> {
  /** `owner/name` of the head repository ("" when the fork was deleted). */
  headRepo: string;
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
    headRepo: str(o, "head", "repo", "full_name") ?? "",
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

/** Looks like an approval PR as listed: an approval branch with gitcrew's label (a prefilter; see `isOwnApprovalPull`). */
export function isApprovalPull(p: { headRef: string; labels: string[] }): boolean {
  return idFromBranch(p.headRef) !== undefined && p.labels.includes(APPROVAL_LABEL);
}

/**
 * Why this PR is not one of gitcrew's own approval PRs, or undefined when it
 * is: an approval branch in the base repository itself (not a fork), with
 * gitcrew's label, opened by gitcrew's own login. Anything else is a
 * stranger's PR that only looks like one.
 */
export function notOwnApprovalPull(p: PullView, selfLogins: string[]): string | undefined {
  if (idFromBranch(p.headRef) === undefined) return "not an approval branch";
  if (!p.headRepo || p.headRepo.toLowerCase() !== p.repo.fullName.toLowerCase()) return `its head is in another repository (${p.headRepo || "deleted"})`;
  if (!p.labels.includes(APPROVAL_LABEL)) return `it lacks the ${APPROVAL_LABEL} label`;
  if (!selfLogins.includes(p.author.toLowerCase())) return `@${p.author} opened it, not gitcrew`;
  return undefined;
}

export function repoOfPull(p: PullView): RepoId {
  return { owner: p.repo.owner, repo: p.repo.name };
}
