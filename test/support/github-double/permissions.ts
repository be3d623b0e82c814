/**
 * What a GitHub App installation token may do, as GitHub enforces it: each
 * operation needs one of a few permissions at a level ("write" covers
 * "read"). A token minted with narrowed permissions gets 403 "Resource not
 * accessible by integration" for anything else, so a test of narrowing
 * fails when gitcrew asks for too little or acts beyond what it asked.
 * Operations not listed need only metadata, which every token has.
 */
type Level = "read" | "write";
type Need = { any: string[]; level: Level };

const read = (...any: string[]): Need => ({ any, level: "read" });
const write = (...any: string[]): Need => ({ any, level: "write" });

// Issue and PR conversation endpoints accept either permission (a PR is an issue too).
const NEEDS: Record<string, Need> = {
  "checks/create": write("checks"),
  "checks/update": write("checks"),
  "checks/get": read("checks"),
  "git/create-ref": write("contents"),
  "git/update-ref": write("contents"),
  "git/delete-ref": write("contents"),
  "git/get-ref": read("contents"),
  "git/list-matching-refs": read("contents"),
  "issues/create": write("issues"),
  "issues/update": write("issues", "pull_requests"),
  "issues/add-assignees": write("issues", "pull_requests"),
  "issues/add-labels": write("issues", "pull_requests"),
  "issues/remove-label": write("issues", "pull_requests"),
  "issues/create-comment": write("issues", "pull_requests"),
  "issues/update-comment": write("issues", "pull_requests"),
  "issues/delete-comment": write("issues", "pull_requests"),
  "issues/get": read("issues", "pull_requests"),
  "issues/get-comment": read("issues", "pull_requests"),
  "issues/list-comments": read("issues", "pull_requests"),
  "issues/list-for-repo": read("issues"),
  "issues/list-labels-on-issue": read("issues", "pull_requests"),
  "pulls/create": write("pull_requests"),
  "pulls/update": write("pull_requests"),
  "pulls/create-review": write("pull_requests"),
  "pulls/merge": write("contents"),
  "pulls/get": read("pull_requests"),
  "pulls/list": read("pull_requests"),
  "pulls/list-files": read("pull_requests"),
  "pulls/list-reviews": read("pull_requests"),
  "reactions/create-for-issue": write("issues", "pull_requests"),
  "reactions/create-for-issue-comment": write("issues", "pull_requests"),
  "reactions/create-for-pull-request-review-comment": write("pull_requests"),
  "reactions/delete-for-issue-comment": write("issues", "pull_requests"),
  "reactions/list-for-issue-comment": read("issues", "pull_requests"),
};

/** What an installation token gets when it asks for no narrowing: the installation's own permissions. */
export const INSTALLATION_PERMISSIONS: Record<string, string> = {
  issues: "write",
  pull_requests: "write",
  contents: "write",
  checks: "write",
  metadata: "read",
};

/** Why `granted` does not allow `operationId`; undefined when it does. */
export function missingPermission(operationId: string, granted: Record<string, string>): string | undefined {
  const need = NEEDS[operationId];
  if (!need) return undefined;
  const ok = need.any.some((p) => granted[p] === "write" || (need.level === "read" && granted[p] === "read"));
  return ok ? undefined : `${operationId} needs ${need.any.map((p) => `${p}: ${need.level}`).join(" or ")}`;
}
