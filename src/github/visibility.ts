/**
 * Is a repository public? On a public repository a fork pull request's own
 * workflow can run on the self-hosted runner the Action needs, so `init` and
 * `validate` ask GitHub once, briefly (GET /repos/{owner}/{repo}), and never
 * fail because of the answer. No Octokit: one request, no retries, a short
 * timeout, with or without a token.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface RepoSlug {
  owner: string;
  repo: string;
}

export type Visibility =
  | { kind: "public"; slug: RepoSlug }
  | { kind: "private"; slug: RepoSlug; visibility: string }
  | { kind: "unknown"; slug?: RepoSlug; why: string };

/** Offline or firewalled machines must not wait long for a warning. */
export const VISIBILITY_TIMEOUT_MS = 5000;

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export const slugText = (s: RepoSlug) => `${s.owner}/${s.repo}`;

/**
 * OWNER/NAME from a GitHub remote URL: `https://github.com/o/r(.git)`,
 * `git@github.com:o/r.git`, `ssh://git@github.com[:22]/o/r.git`. Other hosts
 * (and local paths) name no GitHub repository, except the host of
 * GITHUB_SERVER_URL (GitHub Enterprise Server).
 */
export function slugFromRemoteUrl(url: string, env: NodeJS.ProcessEnv = {}): RepoSlug | undefined {
  const hosts = new Set(["github.com", "www.github.com"]);
  try {
    if (env.GITHUB_SERVER_URL) hosts.add(new URL(env.GITHUB_SERVER_URL).hostname.toLowerCase());
  } catch {
    // A malformed GITHUB_SERVER_URL adds no host.
  }
  let host: string;
  let path: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url.trim());
  if (/^[a-z+]+:\/\//i.test(url.trim())) {
    try {
      const u = new URL(url.trim());
      if (!/^(https?|ssh|git|git\+ssh):$/.test(u.protocol)) return undefined;
      host = u.hostname;
      path = decodeURIComponent(u.pathname);
    } catch {
      return undefined;
    }
  } else if (scp?.[1] && scp[2]) {
    host = scp[1];
    path = scp[2];
  } else return undefined;
  if (!hosts.has(host.toLowerCase())) return undefined;
  const parts = path.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "").split("/");
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo) || repo === "." || repo === "..") return undefined;
  return { owner, repo };
}

/** The `origin` URL of the repository at `dir` itself (not of a repository above it); reading config runs nothing. */
export function originUrl(dir: string): Promise<string | undefined> {
  if (!existsSync(join(dir, ".git"))) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile("git", ["-C", dir, "config", "--get", "remote.origin.url"], { timeout: VISIBILITY_TIMEOUT_MS }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim() || undefined),
    );
  });
}

/** GitHub's answer for `slug`: with GITHUB_TOKEN / GH_TOKEN when set, anonymously otherwise; GITHUB_API_URL is the base. */
export async function askVisibility(slug: RepoSlug, env: NodeJS.ProcessEnv, timeoutMs = VISIBILITY_TIMEOUT_MS): Promise<Visibility> {
  const base = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  const url = `${base}/repos/${encodeURIComponent(slug.owner)}/${encodeURIComponent(slug.repo)}`;
  const headers: Record<string, string> = { accept: "application/vnd.github+json", "user-agent": "gitcrew", "x-github-api-version": "2022-11-28" };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    return { kind: "unknown", slug, why: timedOut ? `${base} did not answer within ${timeoutMs / 1000} s` : `${base} could not be reached` };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    // Anonymously, a private repository and a missing one both answer 404.
    const why = res.status === 404 ? (token ? "GitHub answered 404 for the token in GITHUB_TOKEN/GH_TOKEN" : "GitHub answered 404 without a token: private, or no such repository") : `GitHub answered ${res.status}`;
    return { kind: "unknown", slug, why };
  }
  const body = (await res.json().catch(() => undefined)) as { private?: unknown; visibility?: unknown } | undefined;
  const visibility = typeof body?.visibility === "string" ? body.visibility : typeof body?.private === "boolean" ? (body.private ? "private" : "public") : undefined;
  if (!visibility) return { kind: "unknown", slug, why: "GitHub's answer named no visibility" };
  return visibility === "public" ? { kind: "public", slug } : { kind: "private", slug, visibility };
}

/** The visibility of the repository checked out at `dir`, as far as its `origin` and GitHub tell. */
export async function repoVisibility(dir: string, env: NodeJS.ProcessEnv): Promise<Visibility> {
  const url = await originUrl(dir);
  if (!url) return { kind: "unknown", why: "no origin remote" };
  const slug = slugFromRemoteUrl(url, env);
  if (!slug) return { kind: "unknown", why: "origin is not a GitHub repository URL" };
  return askVisibility(slug, env);
}
