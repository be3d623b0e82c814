/**
 * What a run's container may do with GitHub through the gateway's GitHub
 * route, decided on the request alone (pure). The token the gateway adds is
 * already narrowed to the agent's `permissions`; these rules keep to
 * gitcrew what is gitcrew's job whatever the token allows: pushing (it
 * pushes the agent's commits itself, after its checks) and writing anything
 * on GitHub with its identity (comments, pull requests, labels).
 */

export type Decision = { ok: true } | { ok: false; status: number; reason: string };

const OK: Decision = { ok: true };
const PUSH = "pushes are gitcrew's job: it pushes the agent's commits after the run";

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

const SAFE = new Set(["GET", "HEAD"]);
const WRITES =
  "writes through GitHub's API are gitcrew's job: it posts the agent's answer, pushes its commits and opens its pull request; what the agent wrote with gitcrew's identity would pass for gitcrew's own";

/**
 * The REST and GraphQL API: reads only. Every write would be made with
 * gitcrew's identity (the token is gitcrew's, narrowed), where its markers
 * count and its pull requests are recognised, so none is passed. A GraphQL
 * query is read, and sent on as the gateway re-serialised it: GitHub runs
 * exactly the document that was checked (no duplicate keys, no escapes
 * read differently).
 */
export function apiRule(method: string, pathname: string, body: Buffer): Decision & { body?: Buffer } {
  const segs = segmentsOf(pathname);
  if (!segs) return { ok: false, status: 400, reason: "malformed path" };
  if (SAFE.has(method)) return OK;
  // GHE serves GraphQL at /api/graphql; both spellings reach it through the route.
  if (method === "POST" && segs.length === 1 && segs[0] === "graphql") return graphqlRule(body);
  return { ok: false, status: 403, reason: `${method} through the API: ${WRITES}` };
}

function graphqlRule(body: Buffer): Decision & { body?: Buffer } {
  const bad = { ok: false as const, status: 400, reason: "a GraphQL request must be a JSON object with a `query`" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return bad;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return bad;
  const query = (parsed as { query?: unknown }).query;
  if (typeof query !== "string") return bad;
  // A mutation needs the keyword (the shorthand `{ … }` is always a query); the word anywhere is refused.
  if (/\bmutation\b/.test(query)) return { ok: false, status: 403, reason: `a GraphQL mutation: ${WRITES}` };
  return { ok: true, body: Buffer.from(JSON.stringify(parsed)) };
}
