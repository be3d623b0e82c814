/**
 * A real `gitcrew serve` (the default pipeline, as a child process) with the
 * dashboard's sign-in switched on, against the GitHub double: a bare origin
 * holding a crew of `command` agents, a clone (`--repo PATH`), a SQLite store,
 * an OAuth app registered on the double whose callback is the server's
 * `${publicUrl}/auth/callback`. Helpers sign a browser in as a GitHub user and
 * drive the deliveries and the local API the way people and GitHub do.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import type { Permission } from "../../src/events/trigger.js";
import { startDoubleWithRepo, type DoubleRepo } from "./github-double/index.js";
import { startServeChild, type ServeChild } from "./serve-process.js";
import { CREW_CUE, SECRET } from "./server-github.js";

export const REPO = "acme/widgets";
export const BOT = "gitcrew-bot[bot]";
export const API_TOKEN = "dashboard-test-api-token";
const CLIENT = { clientId: "Iv1.dashboardtest", clientSecret: "dashboard-client-secret" };

export interface DashboardServer {
  gh: DoubleRepo;
  /** The server's URL, which is also its public URL (the OAuth callback's base). */
  url: string;
  serve: ServeChild;
  root: string;
  /** Posts `@agent text` as `user` on a new issue (GitHub's payload, signed); the run id and the issue. */
  mention(user: string, text: string, title?: string): Promise<{ runId: string; issue: number }>;
  /** The local API with the bearer token (scripts' way in). */
  api(path: string, init?: RequestInit): Promise<Response>;
  run(id: string): Promise<{ status: string; attempt: number } | undefined>;
  /** Signs the browser context in to the dashboard as `login`, through the double's OAuth flow, and lands on `/`. */
  signIn(context: BrowserContext, page: Page, login: string, permission?: Permission): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback port (the server needs its public URL, hence its port, before it starts). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function startDashboardServer(files: Record<string, string>, o: { private?: boolean; args?: string[] } = {}): Promise<DashboardServer> {
  const gh = await startDoubleWithRepo(REPO, { "README.md": "# widgets\n", ".gitcrew/crew.cue": CREW_CUE, ...files });
  gh.double.repo(REPO).private = o.private ?? false;
  const root = mkdtempSync(join(tmpdir(), "gitcrew-dashboard-"));
  const clone = join(root, "clone");
  execFileSync("git", ["clone", "--quiet", gh.bareDir, clone]);
  const secretFile = join(root, "oauth-client-secret");
  writeFileSync(secretFile, CLIENT.clientSecret, { mode: 0o600 });

  let serve: ServeChild | undefined;
  let url = "";
  // A port taken between freePort() and the server's listen: try another.
  for (let attempt = 0; !serve; attempt++) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = { GITCREW_HOME: join(root, "home"), GITHUB_TOKEN: gh.double.token(BOT, "Bot"), GITCREW_API_TOKEN: API_TOKEN, GITCREW_PORT: String(port) };
    const args = [
      "--repo", clone,
      "--webhook-secret", SECRET,
      "--github-api-url", gh.double.url,
      "--store", join(root, "gitcrew.db"),
      "--oauth-client-id", CLIENT.clientId,
      "--oauth-client-secret-file", secretFile,
      "--public-url", url,
      "--github-web-url", gh.double.url,
      "--instance", "crew-host-1",
      ...(o.args ?? []),
    ];
    try {
      serve = await startServeChild(env, "real", args, root);
    } catch (err) {
      if (attempt >= 2 || !/EADDRINUSE/.test(String(err))) {
        await gh.close();
        throw err;
      }
    }
  }
  gh.double.addOAuthApp({ ...CLIENT, callbackUrl: `${url}/auth/callback` });
  const started = serve;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${API_TOKEN}`, ...(init.headers as Record<string, string> | undefined) } }).catch((err: unknown) => {
      // A failed request usually means the server died: say what it printed.
      const state = started.child.exitCode !== null || started.child.signalCode !== null ? `exited (${started.child.exitCode ?? started.child.signalCode})` : "still running";
      throw new Error(`${init.method ?? "GET"} ${path} failed (${String(err)}); gitcrew serve ${state}, its last output:\n${started.output().slice(-4000)}`);
    });
  return {
    gh,
    url,
    serve: started,
    root,
    api,
    async mention(user, text, title = "A task") {
      gh.double.setPermission(REPO, user, gh.double.repo(REPO).permissions.get(user.toLowerCase()) ?? "write");
      const issue = gh.double.addIssue(REPO, { title, user });
      const { payload } = gh.double.addComment(REPO, issue.number, user, text);
      const delivery = await gh.double.deliver(`${url}/webhooks`, "issue_comment", payload, SECRET);
      if (delivery.status !== 202) throw new Error(`the delivery was answered ${delivery.status}`);
      const agent = /@([a-z0-9-]+)/.exec(text)?.[1] ?? "";
      return { runId: `${delivery.deliveryId}:${agent}`, issue: issue.number };
    },
    async run(id) {
      const res = await api(`/api/runs/${encodeURIComponent(id)}`);
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { run?: { status: string; attempt: number }; status?: string; attempt?: number };
      return body.run ?? (body as { status: string; attempt: number });
    },
    async signIn(context, page, login, permission) {
      if (permission) gh.double.setPermission(REPO, login, permission);
      await context.addCookies([gh.double.webSessionCookie(login)]);
      await page.goto(`${url}/`);
      await page.getByRole("link", { name: "Sign in with GitHub" }).click();
      await page.waitForURL((u) => u.origin === url && !u.pathname.startsWith("/auth/"));
      await textOf(page.locator("[data-testid=login]"), login);
    },
    async stop() {
      if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill("SIGTERM");
      const how = await Promise.race([started.exited, new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), 15_000))]);
      if (how === "timeout" && started.child.exitCode === null) started.child.kill("SIGKILL");
      await gh.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Waits until the locator's text matches (bounded), and returns it; the error names what it last saw. */
export async function textOf(locator: Locator, want: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    last = (await locator.first().textContent({ timeout: 1000 }).catch(() => null)) ?? "";
    if (typeof want === "string" ? last.trim() === want : want.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${String(locator)} to read ${String(want)}; it read ${JSON.stringify(last.slice(0, 500))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A `command` agent that runs `sh -c script`, with extra agent.yaml lines. */
export function agent(name: string, script: string, extra = ""): Record<string, string> {
  return {
    [`.gitcrew/agents/${name}/agent.yaml`]: `runtime: command\ncommand: ["sh", "-c", ${JSON.stringify(script)}]\n${extra}`,
    [`.gitcrew/agents/${name}/instructions.md`]: `You are ${name}.\n`,
  };
}
