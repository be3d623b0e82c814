/** Repository names in the store: `owner/name` as GitHub spells it, compared case-insensitively through a lower-cased key. */

/** What a run or delivery with no known repository shows. */
export const UNKNOWN_REPO = "unknown";

/** The key a repository is compared by (GitHub names are case-insensitive). */
export function repoKey(repo: string): string {
  return repo.toLowerCase();
}

/**
 * The repository a thread key names: thread keys start with `owner/name`
 * followed by `#<number>` or `@<agent>` (plan.threadKey, local-plan); neither
 * `#` nor `@` can occur in a GitHub owner or name.
 */
export function repoOfThreadKey(threadKey: string): string | undefined {
  const m = /^([^#@/\s]+\/[^#@/\s]+)[#@]/.exec(threadKey);
  return m?.[1];
}

/** The repository of a webhook body (`repository.full_name`), without failing on odd bodies. */
export function repoOfPayload(payload: string): string | undefined {
  try {
    const name = (JSON.parse(payload) as { repository?: { full_name?: unknown } } | null)?.repository?.full_name;
    return typeof name === "string" && name ? name : undefined;
  } catch {
    return undefined;
  }
}
