/**
 * GitHub from inside a run's container, for the e2e and security tests: the
 * GitHub double (REST) and a real bare repository served by git http-backend
 * (git smart HTTP, wanting the real token), and a probe script a command
 * agent runs that looks for the token and uses GitHub the ways an agent
 * would. The probe prints one JSON line per step; values it inspects are
 * hashed (the runner masks known secrets in logs, a hash it cannot).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBareRepo, GitHubDouble } from "./github-double/index.js";
import { type GitHttpHost, startGitHttpHost } from "./git-http.js";

export interface GitHubFixture {
  gh: GitHubDouble;
  git: GitHttpHost;
  /** The bare repository behind `acme/widgets`. */
  bare: string;
  /** The token gitcrew holds for the run (the double knows it as `crew-bot`). */
  realToken: string;
  close(): Promise<void>;
}

export async function startGitHubFixture(): Promise<GitHubFixture> {
  const dir = await mkdtemp(join(tmpdir(), "gitcrew-gh-inside-"));
  const bare = join(dir, "git", "acme", "widgets.git");
  await createBareRepo(bare, { "README.md": "# widgets\n" });
  const gh = await GitHubDouble.start();
  gh.addRepo("acme/widgets", bare);
  const realToken = gh.token("crew-bot");
  const git = await startGitHttpHost(join(dir, "git"), realToken);
  return {
    gh,
    git,
    bare,
    realToken,
    async close() {
      await git.close();
      await gh.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The probe; `gitUrl` is the git host as the container knows it (rewritten
 * to the gateway by /etc/gitconfig), `tokenSha` the SHA-256 of the real
 * token. It reports where that token is (it should be nowhere) and, as a
 * check that the search works, where the run token is.
 */
export function githubProbe(gitUrl: string, tokenSha: string): string {
  return `
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
const out = (o) => console.log(JSON.stringify(o));
const sha = (s) => createHash("sha256").update(s).digest("hex");
const run = (args, cwd) => { try { return { ok: true, out: execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) }; } catch (e) { return { ok: false, out: String(e.stderr ?? e.message) }; } };

// Environment, files and every process's arguments and environment, read as word-like pieces and hashed.
const wanted = { real: "${tokenSha}", run: sha(process.env.GITCREW_RUN_TOKEN ?? "") };
const found = { real: [], run: [] };
let searched = 0;
const look = (where, text) => {
  searched += 1;
  const words = new Set((String(text).match(/[A-Za-z0-9_.\\-]{8,}/g) ?? []).map(sha));
  for (const k of Object.keys(wanted)) if (words.has(wanted[k])) found[k].push(where);
};
for (const [k, v] of Object.entries(process.env)) look("env:" + k, v);
const walk = (dir, depth) => {
  let entries = [];
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const p = dir + "/" + e.name;
    if (e.isDirectory() && depth < 6) walk(p, depth + 1);
    else if (e.isFile()) { try { if (statSync(p).size < 1 << 20) look(p, readFileSync(p, "latin1")); } catch {} }
  }
};
for (const d of ["/etc", "/workspace", process.env.HOME ?? "/home", "/tmp", "/run", "/opt", "/usr/local/etc"]) walk(d, 0);
for (const pid of readdirSync("/proc").filter((n) => /^\\d+$/.test(n))) {
  for (const f of ["cmdline", "environ"]) { try { look("/proc/" + pid + "/" + f, readFileSync("/proc/" + pid + "/" + f, "latin1").replaceAll("\\0", " ")); } catch {} }
}
out({ step: "search", searched, found, names: Object.keys(process.env), apiUrl: process.env.GITHUB_API_URL ?? null });

// The API, with the run token only.
const api = process.env.GITHUB_API_URL;
const auth = { authorization: "Bearer " + process.env.GITCREW_RUN_TOKEN };
try {
  const r = await fetch(api + "/user", { headers: auth });
  out({ step: "api-user", status: r.status, login: (await r.json()).login ?? null });
} catch (e) { out({ step: "api-user", status: 0, error: String(e) }); }
try {
  const r = await fetch(api + "/repos/acme/widgets/contents/PWNED.md", { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ message: "pwned", content: Buffer.from("x").toString("base64") }) });
  out({ step: "api-contents-write", status: r.status, message: (await r.json()).message ?? null });
} catch (e) { out({ step: "api-contents-write", status: 0, error: String(e) }); }

// The gateway's route asked directly (also where GITHUB_API_URL is not set).
const gw = new URL(process.env.HTTPS_PROXY);
const route = "http://" + gw.host + "/github";
try {
  const r = await fetch(route + "/api/user", { headers: auth });
  out({ step: "direct-api", status: r.status, message: (await r.json()).message ?? null });
} catch (e) { out({ step: "direct-api", status: 0, error: String(e) }); }
const direct = run(["-c", "http.extraHeader=Authorization: Bearer " + process.env.GITCREW_RUN_TOKEN, "ls-remote", route + "/git/acme/widgets.git"], "/tmp");
out({ step: "direct-git", ok: direct.ok, out: direct.out.trim() });

// git, with the URL an agent would use: /etc/gitconfig sends it through the gateway.
const remote = "${gitUrl}/acme/widgets.git";
// From /tmp: /workspace is a worktree whose git folder is on the host.
const ls = run(["ls-remote", remote], "/tmp");
out({ step: "ls-remote", ok: ls.ok, out: ls.out.trim() });
const clone = run(["clone", "-q", remote, "/tmp/widgets"], "/tmp");
out({ step: "clone", ok: clone.ok, out: clone.out.trim(), readme: clone.ok ? readFileSync("/tmp/widgets/README.md", "utf8") : null, origin: clone.ok ? run(["remote", "get-url", "origin"], "/tmp/widgets").out.trim() : null });
if (clone.ok) {
  run(["-c", "user.name=a", "-c", "user.email=a@example.invalid", "commit", "-q", "--allow-empty", "-m", "pushed from inside"], "/tmp/widgets");
  const push = run(["push", "origin", "HEAD:refs/heads/main"], "/tmp/widgets");
  out({ step: "push", ok: push.ok, out: push.out.trim() });
}
`;
}
