import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/github/visibility.ts
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
var VISIBILITY_TIMEOUT_MS = 5e3;
var OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
var NAME = /^[A-Za-z0-9._-]{1,100}$/;
var slugText = (s) => `${s.owner}/${s.repo}`;
function slugFromRemoteUrl(url, env = {}) {
  const hosts = /* @__PURE__ */ new Set(["github.com", "www.github.com"]);
  try {
    if (env.GITHUB_SERVER_URL) hosts.add(new URL(env.GITHUB_SERVER_URL).hostname.toLowerCase());
  } catch {
  }
  let host;
  let path;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url.trim());
  if (/^[a-z+]+:\/\//i.test(url.trim())) {
    try {
      const u = new URL(url.trim());
      if (!/^(https?|ssh|git|git\+ssh):$/.test(u.protocol)) return void 0;
      host = u.hostname;
      path = decodeURIComponent(u.pathname);
    } catch {
      return void 0;
    }
  } else if (scp?.[1] && scp[2]) {
    host = scp[1];
    path = scp[2];
  } else return void 0;
  if (!hosts.has(host.toLowerCase())) return void 0;
  const parts = path.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "").split("/");
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo) || repo === "." || repo === "..") return void 0;
  return { owner, repo };
}
function originUrl(dir) {
  if (!existsSync(join(dir, ".git"))) return Promise.resolve(void 0);
  return new Promise((resolve) => {
    execFile(
      "git",
      ["-C", dir, "config", "--get", "remote.origin.url"],
      { timeout: VISIBILITY_TIMEOUT_MS },
      (err, stdout) => resolve(err ? void 0 : stdout.trim() || void 0)
    );
  });
}
async function askVisibility(slug, env, timeoutMs = VISIBILITY_TIMEOUT_MS) {
  const base = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  const url = `${base}/repos/${encodeURIComponent(slug.owner)}/${encodeURIComponent(slug.repo)}`;
  const headers = { accept: "application/vnd.github+json", "user-agent": "gitcrew", "x-github-api-version": "2022-11-28" };
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    return { kind: "unknown", slug, why: timedOut ? `${base} did not answer within ${timeoutMs / 1e3} s` : `${base} could not be reached` };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {
    });
    const why = res.status === 404 ? token ? "GitHub answered 404 for the token in GITHUB_TOKEN/GH_TOKEN" : "GitHub answered 404 without a token: private, or no such repository" : `GitHub answered ${res.status}`;
    return { kind: "unknown", slug, why };
  }
  const body = await res.json().catch(() => void 0);
  const visibility = typeof body?.visibility === "string" ? body.visibility : typeof body?.private === "boolean" ? body.private ? "private" : "public" : void 0;
  if (!visibility) return { kind: "unknown", slug, why: "GitHub's answer named no visibility" };
  return visibility === "public" ? { kind: "public", slug } : { kind: "private", slug, visibility };
}
async function repoVisibility(dir, env) {
  const url = await originUrl(dir);
  if (!url) return { kind: "unknown", why: "no origin remote" };
  const slug = slugFromRemoteUrl(url, env);
  if (!slug) return { kind: "unknown", why: "origin is not a GitHub repository URL" };
  return askVisibility(slug, env);
}

// src/cli/public-repo.ts
import { readdirSync, readFileSync } from "node:fs";
import { join as join2 } from "node:path";
var SAFE_SETUPS = 'docs/action.md, "Self-hosted runners and public repositories"';
var SELF_HOSTED_NOTE = [
  "Security: this workflow runs on a persistent self-hosted runner with Docker. On a public",
  "repository, anyone can open a fork pull request whose own workflow runs on that runner.",
  `Use a private repository, or one of the safe set-ups in ${SAFE_SETUPS}.`
].join("\n");
function publicWarning(v) {
  return `${slugText(v.slug)} is public: a fork pull request's own workflow can run on this self-hosted runner; use a private repository or a safe set-up (${SAFE_SETUPS})`;
}
function unknownNote(v) {
  return `note: could not tell whether ${v.slug ? slugText(v.slug) : "this repository"} is public (${v.why}); if it is, read ${SAFE_SETUPS} before registering a self-hosted runner`;
}
function selfHostedWorkflow(repoDir) {
  const dir = join2(repoDir, ".github", "workflows");
  let names;
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return void 0;
  }
  for (const name of names) {
    let text;
    try {
      text = readFileSync(join2(dir, name), "utf8");
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const code = (lines[i] ?? "").replace(/(^|\s)#.*$/, "");
      const column = code.search(/\bself-hosted\b/);
      if (column >= 0) return { file: `.github/workflows/${name}`, line: i + 1, column: column + 1 };
    }
  }
  return void 0;
}

export {
  repoVisibility,
  SELF_HOSTED_NOTE,
  publicWarning,
  unknownNote,
  selfHostedWorkflow
};
