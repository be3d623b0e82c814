/** Hash routes: `#/runs`, `#/runs?agent=dev`, `#/runs/<id>`, `#/queue`, `#/approvals`, `#/crew`, `#/health`. */
export type Route =
  | { page: "runs"; filters: RunFilters }
  | { page: "run"; id: string }
  | { page: "queue" }
  | { page: "approvals" }
  | { page: "crew" }
  | { page: "health" }
  | { page: "missing"; path: string };

export interface RunFilters {
  agent: string;
  status: string;
  thread: string;
  repo: string;
}

export const FILTER_KEYS = ["agent", "status", "thread", "repo"] as const;

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?", 2);
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts[0] === "runs" && parts.length === 1)) {
    const q = new URLSearchParams(query);
    return { page: "runs", filters: { agent: q.get("agent") ?? "", status: q.get("status") ?? "", thread: q.get("thread") ?? "", repo: q.get("repo") ?? "" } };
  }
  if (parts[0] === "runs" && parts.length === 2) {
    try {
      return { page: "run", id: decodeURIComponent(parts[1]!) };
    } catch {
      return { page: "missing", path };
    }
  }
  if (parts.length === 1 && (parts[0] === "queue" || parts[0] === "approvals" || parts[0] === "crew" || parts[0] === "health")) return { page: parts[0] };
  return { page: "missing", path };
}

export function runsHash(filters: RunFilters): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]);
  const s = q.toString();
  return s ? `#/runs?${s}` : "#/runs";
}

export const runHash = (id: string): string => `#/runs/${encodeURIComponent(id)}`;
