/**
 * The dashboard's server side with real parts: an in-process `serve` (no
 * worker: runs are put in the store and moved by the test) on a real store,
 * sign-in through the GitHub double's OAuth web flow, and a cookie-keeping
 * client that signs in as a browser would (following the redirects by hand).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { githubRoleLookup } from "../../src/server/dashboard/access.js";
import type { RunInput, Store } from "../../src/store/types.js";
import { startDoubleWithRepo, type DoubleRepo } from "./github-double/index.js";
import { startHarness, type Harness } from "./server-harness.js";

export const CLIENT = { clientId: "Iv1.dashboard", clientSecret: "oauth-client-secret-value-9f2c" };
export const REPO = "acme/widgets";
export const SECRET_REPO = "acme/secret";
/** The server's own GitHub account, whose token asks for people's permissions. */
export const SERVER_LOGIN = "gitcrew-server";

export interface DashboardServer {
  h: Harness;
  gh: DoubleRepo;
  url: string;
  store: Store;
  /** The token the server asks GitHub with (must never reach a page). */
  serverToken: string;
  /** A person signed in through the whole OAuth flow. */
  signIn(login: string): Promise<Browser>;
  stop(): Promise<void>;
}

/** A page of built assets, standing in for dist/dashboard in these tests. */
export function fakeDashboardDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-dash-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><html><head><script type="module" src="/assets/app-1234abcd.js"></script></head><body><div id="app"></div></body></html>\n');
  writeFileSync(join(dir, "assets", "app-1234abcd.js"), "console.log('dashboard');\n");
  writeFileSync(join(dir, "secret.txt"), "outside the assets folder\n");
  return dir;
}

export async function startDashboardServer(storeSpec: string, o: { signIn?: boolean; publicUrl?: string } = {}): Promise<DashboardServer> {
  const gh = await startDoubleWithRepo(REPO);
  gh.double.addRepo(SECRET_REPO, gh.bareDir, { private: true });
  const serverToken = gh.double.token(SERVER_LOGIN);
  const signIn = o.signIn !== false;
  const h = await startHarness(storeSpec, {
    worker: false,
    dashboard: {
      dir: fakeDashboardDir(),
      roles: githubRoleLookup(gh.double.url, async () => serverToken),
      streamPollMs: 50,
      streamRecheckMs: 100,
      accessTtlMs: 300,
      ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
      ...(signIn ? { oauth: { ...CLIENT, webUrl: gh.double.url, apiUrl: gh.double.url } } : {}),
    },
  });
  const url = h.server.url;
  gh.double.addOAuthApp({ ...CLIENT, callbackUrl: `${o.publicUrl ?? url}/auth/callback` });
  return {
    h,
    gh,
    url,
    store: h.store,
    serverToken,
    async signIn(login) {
      const b = new Browser(url);
      const web = gh.double.webSessionCookie(login);
      await b.signIn(`${web.name}=${web.value}`);
      return b;
    },
    async stop() {
      await h.stop();
      await gh.close();
    },
  };
}

/** A client that keeps the server's cookies, as a browser on the dashboard's origin would. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = "";
  /** Every body and Set-Cookie the server sent this browser, for leak checks. */
  readonly seen: string[] = [];

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      this.seen.push(line);
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(path.startsWith("http") ? path : `${this.base}${path}`, {
      redirect: "manual",
      ...init,
      headers: { ...(this.cookies.size ? { cookie: this.cookieHeader } : {}), ...init.headers },
    });
    this.keep(res);
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string; res: Response }> {
    const res = await this.fetch(path, { headers });
    const text = await res.text();
    this.seen.push(text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, res };
  }

  /** A change as the page makes it: the CSRF header and our Origin, unless the test says otherwise. */
  async post(path: string, headers: Record<string, string> = { "x-gitcrew-csrf": this.csrf, origin: this.base }): Promise<{ status: number; body: any; text: string }> {
    const res = await this.fetch(path, { method: "POST", headers });
    const text = await res.text();
    this.seen.push(text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text };
  }

  /** /auth/login → GitHub's authorize (signed in there with `githubCookie`) → /auth/callback → the page; then the CSRF token. */
  async signIn(githubCookie: string, next = "/"): Promise<void> {
    const login = await this.fetch(`/auth/login?next=${encodeURIComponent(next)}`);
    if (login.status !== 302) throw new Error(`/auth/login answered ${login.status}`);
    const authorize = await fetch(login.headers.get("location")!, { redirect: "manual", headers: { cookie: githubCookie } });
    if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
    const callback = await this.fetch(authorize.headers.get("location")!);
    if (callback.status !== 302) throw new Error(`/auth/callback answered ${callback.status}: ${await callback.text()}`);
    const session = await this.get("/api/session");
    if (session.status !== 200) throw new Error(`/api/session answered ${session.status}`);
    this.csrf = String(session.body.csrf);
  }
}

/** A run as the real pipeline stores it (a RunJob's trigger and planned run), enqueued. */
export async function addRun(store: Store, id: string, o: { repo?: string; agent?: string; thread?: number; actor?: string; createdAt?: number } = {}) {
  const repo = o.repo ?? REPO;
  const agent = o.agent ?? "dev";
  const thread = o.thread ?? 1;
  const threadKey = `${repo}#${thread}`;
  const input: RunInput = {
    repo,
    agent,
    threadKey,
    agentLimit: 1,
    plan: {
      trigger: {
        event: "issue_comment",
        action: "created",
        kind: "issue_comment.created",
        actor: { login: o.actor ?? "alice", type: "User", permission: "write" },
        comment: { id: 7, url: `https://github.com/${repo}/issues/${thread}#issuecomment-7`, kind: "issue" },
        repo: { owner: repo.split("/")[0], name: repo.split("/")[1], fullName: repo },
      },
      planned: {
        agent,
        reason: "mentioned",
        prompt: `Please fix issue ${thread}`,
        threadKey,
        branch: `gitcrew/${agent}/${thread}`,
        ref: "main",
        container: { image: "gitcrew/command", user: "1000:1000", argv: ["sh", "-c", "true"], env: {}, secrets: ["MODEL_KEY"] },
        untrusted: [],
      },
      agent: { name: agent },
    },
  };
  return store.enqueue(id, `delivery-${id}`, input, o.createdAt ?? Date.now());
}

/** Finish a queued run (claimed by the test as an instance would). */
export async function finish(store: Store, status: "succeeded" | "failed" = "succeeded"): Promise<string | undefined> {
  const now = Date.now();
  const run = await store.claimRun({ owner: "test-instance", now, leaseMs: 60_000, ownerLimit: 100 });
  if (!run) return undefined;
  await store.finishRun(run.id, "test-instance", { status }, now + 1);
  return run.id;
}
