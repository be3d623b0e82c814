/**
 * What a run's container may do with GitHub through the gateway's GitHub
 * route, decided on the request alone (pure). The token the gateway adds is
 * already narrowed to the agent's `permissions`; these rules keep to
 * gitcrew what is gitcrew's job whatever the token allows: changing the
 * repository's git data (pushes, commits, refs, merges). gitcrew commits
 * and pushes the agent's work itself, after its checks.
 */

export type Decision = { ok: true } | { ok: false; status: number; reason: string };

const OK: Decision = { ok: true };
const PUSH = "pushes are gitcrew's job: it pushes the agent's commits after the run";
const GIT_DATA = "changes to the repository's git data (commits, refs, merges, releases) are gitcrew's job: it commits and pushes the agent's work after the run";

/**
 * The path's segments as the upstream will read them: percent-decoded
 * (so `%2F` and `%2e%2e` cannot hide a segment), dot segments resolved,
 * empty ones dropped, lower-cased. Undefined for a malformed escape.
 */
export function segmentsOf(pathname: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const out: string[] = [];
  for (const s of decoded.toLowerCase().split(/[/\\]/)) {
    if (s === "" || s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return out;
}

/** git's smart HTTP protocol: clone and fetch (upload-pack) only. */
export function gitRule(method: string, pathname: string, query: URLSearchParams): Decision {
  const segs = segmentsOf(pathname);
  if (!segs) return { ok: false, status: 400, reason: "malformed path" };
  const last = segs.at(-1);
  const services = query.getAll("service").map((s) => s.toLowerCase());
  if (last === "git-receive-pack" || services.includes("git-receive-pack")) return { ok: false, status: 403, reason: `git push (git-receive-pack): ${PUSH}` };
  if (last === "refs" && segs.at(-2) === "info") {
    if ((method === "GET" || method === "HEAD") && services.length === 1 && services[0] === "git-upload-pack") return OK;
    return { ok: false, status: 403, reason: "only git's smart protocol for clone and fetch (info/refs?service=git-upload-pack) is served" };
  }
  if (last === "git-upload-pack" && method === "POST") return OK;
  return { ok: false, status: 403, reason: "only git clone and fetch (git-upload-pack) go through this route" };
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** `/repos/{owner}/{repo}/<this>/…`: writes change git data. */
const GIT_DATA_AREAS = new Set(["contents", "git", "merges", "merge-upstream", "branches", "releases", "tags", "import"]);
/** `/repos/{owner}/{repo}/pulls/{n}/<this>`. */
const PULL_GIT_WRITES = new Set(["merge", "update-branch"]);
/** GraphQL mutations that write git data (names are ASCII words: no escape can hide one in the query text). */
const GRAPHQL_GIT_WRITES =
  /\b(createCommitOnBranch|createRef|updateRefs?|deleteRef|mergeBranch|mergePullRequest|enablePullRequestAutoMerge|updatePullRequestBranch|revertPullRequest|createRelease|updateRelease|deleteRelease)\b/;

/** The REST and GraphQL API: what the token allows, minus writes to git data. */
export function apiRule(method: string, pathname: string, body: Buffer): Decision {
  const segs = segmentsOf(pathname);
  if (!segs) return { ok: false, status: 400, reason: "malformed path" };
  if (SAFE.has(method)) return OK;
  // GHE serves GraphQL at /api/graphql; both spellings reach it through the route.
  if (segs.at(-1) === "graphql") return graphqlRule(body);
  if (segs[0] === "repos" && segs.length >= 4) {
    const area = segs[3] ?? "";
    if (GIT_DATA_AREAS.has(area)) return { ok: false, status: 403, reason: `${method} ${area}: ${GIT_DATA}` };
    if (area === "pulls" && PULL_GIT_WRITES.has(segs[5] ?? "")) return { ok: false, status: 403, reason: `${method} pulls/${segs[5]}: ${GIT_DATA}` };
  }
  return OK;
}

function graphqlRule(body: Buffer): Decision {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, status: 400, reason: "a GraphQL request must be a JSON object with a `query`" };
  }
  const query = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as { query?: unknown }).query : undefined;
  if (typeof query !== "string") return { ok: false, status: 400, reason: "a GraphQL request must be a JSON object with a `query`" };
  const hit = GRAPHQL_GIT_WRITES.exec(query);
  if (hit) return { ok: false, status: 403, reason: `GraphQL ${hit[1]}: ${GIT_DATA}` };
  return OK;
}
