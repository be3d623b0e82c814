/**
 * The repository `gitcrew serve` works on: `--repo OWNER/NAME` is cloned into
 * `$GITCREW_HOME/repos/OWNER/NAME` with the GitHub token and fetched again on
 * every crew refresh; `--repo PATH` uses a local clone as it is (its `origin`
 * is fetched). Agent branches are pushed to `origin` from here.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { simpleGit } from "simple-git";
import { gitcrewHome } from "../util/home.js";
import { EnvironmentError, InputError, errorMessage } from "../util/errors.js";
import { repoNameProblem } from "./repo-filter.js";

export interface RepoCheckout {
  /** The local clone. */
  dir: string;
  /** `owner/name` when known (OWNER/NAME, or read from origin's URL). */
  fullName?: string;
  /** True when gitcrew owns the clone (cloned from OWNER/NAME). */
  managed: boolean;
}

/** Web base of the GitHub instance for an API URL: api.github.com → github.com, HOST/api/v3 → HOST. */
export function webUrlOf(apiUrl: string | undefined): string {
  if (!apiUrl || /^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return "https://github.com";
  return apiUrl.replace(/\/api\/v3\/?$/, "").replace(/\/+$/, "");
}

export function isOwnerName(spec: string): boolean {
  return repoNameProblem(spec) === undefined && !existsSync(spec);
}

/** `Authorization` header git sends to GitHub for a token (kept out of URLs and logs). */
function authHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/** OWNER/NAME: clone (first time) or fetch; a path: check it is a git repository. */
export async function openCheckout(spec: string, o: { cwd: string; env: NodeJS.ProcessEnv; apiUrl?: string; token?: () => Promise<string | undefined>; log(line: string): void }): Promise<RepoCheckout> {
  if (!isOwnerName(spec)) {
    const dir = resolve(o.cwd, spec);
    if (!existsSync(dir)) throw new InputError(`--repo ${spec}: no such folder, and not OWNER/NAME`, "Give OWNER/NAME to clone from GitHub, or the path of a local clone.");
    const git = simpleGit(dir);
    if (!(await git.checkIsRepo().catch(() => false))) throw new InputError(`--repo ${spec}: ${dir} is not a git repository`);
    const top = (await git.revparse(["--show-toplevel"])).trim();
    return { dir: top, fullName: (await fullNameFromOrigin(top)) ?? (await rememberedRepository(top)), managed: false };
  }
  const fullName = spec;
  const dir = join(gitcrewHome(o.env), "repos", ...checkoutPath(fullName));
  const token = await o.token?.();
  await cloneRepository(fullName, dir, { apiUrl: o.apiUrl, token, log: o.log });
  const checkout = { dir, fullName, managed: true };
  await refreshCredentials(checkout, o.apiUrl, token);
  return checkout;
}

/**
 * The folders of a checkout under `$GITCREW_HOME/repos`: OWNER and NAME in
 * lower case (GitHub's names ignore case), only for a name of GitHub's
 * OWNER/NAME shape — a payload's name never becomes any other path.
 */
export function checkoutPath(fullName: string): [string, string] {
  const problem = repoNameProblem(fullName);
  if (problem) throw new InputError(`no checkout for ${problem}`);
  const [owner = "", name = ""] = fullName.toLowerCase().split("/");
  return [owner, name];
}

/** Clone OWNER/NAME into `dir` unless it is there; the token goes in a header, never in the URL or the log. */
export async function cloneRepository(fullName: string, dir: string, o: { apiUrl?: string; token?: string; log(line: string): void }): Promise<boolean> {
  if (existsSync(join(dir, ".git"))) return false;
  const base = webUrlOf(o.apiUrl);
  const url = `${base}/${fullName}.git`;
  const auth = o.token ? ["-c", `http.${base}/.extraheader=${authHeader(o.token)}`] : [];
  mkdirSync(dirname(dir), { recursive: true });
  o.log(`cloning ${url} into ${dir}`);
  try {
    await simpleGit().raw([...auth, "clone", "--quiet", "--no-tags", url, dir]);
  } catch (err) {
    throw new EnvironmentError(`cannot clone ${url}: ${errorMessage(err).trim()}`, "Check --github-token (or the GitHub App's access to the repository) and --github-api-url.");
  }
  return true;
}

/** Keep the clone's stored credential current (installation tokens expire after an hour). */
export async function refreshCredentials(checkout: RepoCheckout, apiUrl: string | undefined, token: string | undefined): Promise<void> {
  if (!checkout.managed || !token) return;
  const base = webUrlOf(apiUrl);
  await simpleGit(checkout.dir).raw(["config", "--local", `http.${base}/.extraheader`, authHeader(token)]);
}

/** All branches of origin, so that runs start from fresh refs. */
export async function fetchOrigin(dir: string, log: (line: string) => void): Promise<void> {
  const git = simpleGit(dir);
  if (!(await git.getRemotes()).some((r) => r.name === "origin")) return;
  try {
    await git.raw(["fetch", "--quiet", "--prune", "--no-tags", "origin"]);
  } catch (err) {
    log(`git fetch origin failed (${errorMessage(err).trim()}); working from the last fetched state`);
  }
}

/** origin's default branch: origin/HEAD, else asked from origin, else the checked-out branch. */
export async function defaultBranchOf(dir: string): Promise<string> {
  const git = simpleGit(dir);
  const head = await git.raw(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]).catch(() => "");
  if (head.trim()) return head.trim().replace(/^origin\//, "");
  const remote = await git.raw(["ls-remote", "--symref", "origin", "HEAD"]).catch(() => "");
  const m = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(remote);
  if (m?.[1]) return m[1];
  const current = await git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "");
  return current.trim() || "main";
}

/**
 * `gitcrew.repository` in the clone's git config: OWNER/NAME of a clone whose
 * origin is a local path, as the first webhook named it (or set by hand), so
 * that a restarted server knows it before any webhook (reconcile at start).
 */
async function rememberedRepository(dir: string): Promise<string | undefined> {
  const name = (await simpleGit(dir).raw(["config", "--get", "gitcrew.repository"]).catch(() => "")).trim();
  return repoNameProblem(name) === undefined ? name : undefined;
}

export async function rememberRepository(dir: string, fullName: string, log: (line: string) => void): Promise<void> {
  if (repoNameProblem(fullName) !== undefined) return;
  await simpleGit(dir)
    .raw(["config", "gitcrew.repository", fullName])
    .catch((err: unknown) => log(`could not remember ${fullName} in ${dir}'s git config: ${errorMessage(err)}`));
}

async function fullNameFromOrigin(dir: string): Promise<string | undefined> {
  const url = (await simpleGit(dir).raw(["remote", "get-url", "origin"]).catch(() => "")).trim();
  // A local path as origin names no repository: the first webhook tells.
  if (!/^[a-z+]+:\/\/|^[^/]+@[^/]+:/.test(url) || url.startsWith("file://")) return undefined;
  const m = /[/:]([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}
