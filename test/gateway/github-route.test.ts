/**
 * The gateway's GitHub route against real parts: the GitHub double (REST,
 * checked against GitHub's OpenAPI description) and a real bare repository
 * served by `git http-backend`. The caller holds only the run token; GitHub
 * sees the run's real token; pushes and writes to git data are refused and
 * recorded; a run without GitHub access has no GitHub here.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { gitconfig } from "../../src/runner/gateway-wiring.js";
import { createBareRepo, GitHubDouble, pushCommit } from "../support/github-double/index.js";
import { type GitHttpHost, startGitHttpHost } from "../support/git-http.js";
import { startHttp } from "./support.js";

const exec = promisify(execFile);

describe("the gateway's GitHub route (GitHub double, git http-backend)", () => {
  let dir: string;
  let gh: GitHubDouble;
  let git: GitHttpHost;
  let gw: Gateway;
  let realToken: string;
  let bare: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gw-github-"));
    bare = join(dir, "git", "acme", "widgets.git");
    await createBareRepo(bare, { "README.md": "# widgets\n" });
    gh = await GitHubDouble.start();
    gh.addRepo("acme/widgets", bare);
    realToken = gh.token("crew-bot");
    git = await startGitHttpHost(join(dir, "git"), realToken);
    gw = await startGateway({ maxBodyBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await gw?.close();
    await git?.close();
    await gh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const withGitHub = (runId: string) => gw.register({ runId, github: { token: realToken, apiUrl: gh.url, gitUrl: git.url } });

  /** git as the container runs it: only the run token, sent as a header to the gateway's route. */
  const gitAs = (token: string, cwd: string, ...args: string[]) =>
    exec("git", ["-c", `http.extraHeader=Authorization: Bearer ${token}`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: dir, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0", GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@example.invalid", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@example.invalid" },
    });

  it("forwards API reads with the run's real token: the double sees crew-bot, the caller sent only the run token", async () => {
    const run = withGitHub("api-1");
    const r = await fetch(`${run.githubUrl()}/api/user`, { headers: { authorization: `Bearer ${run.token}` } });
    const text = await r.text();
    expect(r.status, text).toBe(200);
    expect((JSON.parse(text) as { login: string }).login).toBe("crew-bot");
    const repo = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: `token ${run.token}` } });
    expect(repo.status).toBe(200);
    expect(gh.calls("repos/get").at(-1)?.actor).toBe("crew-bot");
    expect(gh.violations).toEqual([]);
    expect(gw.revoke("api-1")?.refusals).toEqual([]);
  });

  it("clones and ls-remotes through the route; the git host gets the real token as Basic x-access-token", async () => {
    const run = withGitHub("git-1");
    const remote = `${run.githubUrl()}/git/acme/widgets.git`;
    const { stdout } = await gitAs(run.token, dir, "ls-remote", remote);
    const head = (await exec("git", ["-C", bare, "rev-parse", "main"])).stdout.trim();
    expect(stdout).toContain(`${head}\trefs/heads/main`);
    await gitAs(run.token, dir, "clone", "-q", remote, join(dir, "clone-1"));
    expect((await exec("git", ["-C", join(dir, "clone-1"), "rev-parse", "HEAD"])).stdout.trim()).toBe(head);
    const served = git.requests.filter((q) => q.status === 200);
    expect(served.length).toBeGreaterThan(0);
    for (const q of served) expect(q.authorization).toBe(`Basic ${Buffer.from(`x-access-token:${realToken}`).toString("base64")}`);
    expect(gw.revoke("git-1")?.refusals).toEqual([]);
  });

  it("the container's gitconfig sends https://github.com/… and git@github.com:… through the route, with only the run token", async () => {
    const run = withGitHub("conf-1");
    const conf = join(dir, "gitconfig-conf-1");
    await writeFile(conf, gitconfig(run.githubUrl(), "https://github.com", run.token));
    const env = { PATH: process.env.PATH ?? "", HOME: dir, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: conf, GIT_TERMINAL_PROMPT: "0" };
    const head = (await exec("git", ["-C", bare, "rev-parse", "main"])).stdout.trim();
    for (const url of ["https://github.com/acme/widgets.git", "git@github.com:acme/widgets.git", "ssh://git@github.com/acme/widgets"]) {
      const { stdout } = await exec("git", ["ls-remote", url, "main"], { env });
      expect(stdout.trim(), url).toBe(`${head}\trefs/heads/main`);
    }
    expect(gw.revoke("conf-1")?.refusals).toEqual([]);
  });

  it("refuses a push (git-receive-pack): nothing reaches the git host, the branch is unchanged, the refusal is recorded", async () => {
    const run = withGitHub("push-1");
    const remote = `${run.githubUrl()}/git/acme/widgets.git`;
    const work = join(dir, "clone-push");
    await gitAs(run.token, dir, "clone", "-q", remote, work);
    await exec("git", ["-C", work, "-c", "user.name=a", "-c", "user.email=a@example.invalid", "commit", "-q", "--allow-empty", "-m", "sneaky"]);
    const before = (await exec("git", ["-C", bare, "rev-parse", "main"])).stdout.trim();
    const seen = git.requests.length;
    const push = await gitAs(run.token, work, "push", "origin", "HEAD:refs/heads/main").then(
      () => ({ ok: true, stderr: "" }),
      (e: { stderr: string }) => ({ ok: false, stderr: e.stderr }),
    );
    expect(push.ok).toBe(false);
    expect(push.stderr).toMatch(/403/);
    expect((await exec("git", ["-C", bare, "rev-parse", "main"])).stdout.trim()).toBe(before);
    expect(git.requests.slice(seen).filter((q) => q.url.includes("receive-pack"))).toEqual([]);
    // Also when asked by hand, with the service hidden in an escape.
    const raw = await fetch(`${run.githubUrl()}/git/acme/widgets.git/git%2Dreceive%2Dpack`, { method: "POST", headers: { authorization: `Bearer ${run.token}` }, body: "0000" });
    expect(raw.status).toBe(403);
    const refusals = gw.revoke("push-1")?.refusals ?? [];
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((f) => f.kind === "github" && f.host === "127.0.0.1" && /git push \(git-receive-pack\): pushes are gitcrew's job/.test(f.reason))).toBe(true);
  });

  it("refuses API writes (they would carry gitcrew's identity), GraphQL mutations however spelled, and records them", async () => {
    const run = withGitHub("write-1");
    const headers = { authorization: `token ${run.token}`, "content-type": "application/json" };
    const before = gh.requests.length;
    const comment = await fetch(`${run.githubUrl()}/api/repos/acme/widgets/issues/1/comments`, { method: "POST", headers, body: JSON.stringify({ body: "<!-- gitcrew:done key=x -->" }) });
    expect(comment.status).toBe(403);
    expect(((await comment.json()) as { message: string }).message).toMatch(/^gitcrew gateway: POST through the API: writes through GitHub's API are gitcrew's job/);
    const put = await fetch(`${run.githubUrl()}/api/repos/acme/widgets/contents/x.txt`, { method: "PUT", headers, body: JSON.stringify({ message: "m", content: "eA==" }) });
    expect(put.status).toBe(403);
    const patch = await fetch(`${run.githubUrl()}/api/repos/acme/widgets/pulls/1`, { method: "PATCH", headers: { ...headers, "x-http-method-override": "GET" }, body: "{}" });
    expect(patch.status).toBe(403);
    // The keyword behind a JSON escape, and behind a duplicate key that a parser reading the first one would miss.
    const escaped = await fetch(`${run.githubUrl()}/api/graphql`, { method: "POST", headers, body: '{"query":"\\u006dutation { addComment(input: {}) { clientMutationId } }"}' });
    expect(escaped.status).toBe(403);
    const duplicate = await fetch(`${run.githubUrl()}/api/graphql`, { method: "POST", headers, body: '{"query":"{ viewer { login } }","query":"mutation { addComment(input: {}) { clientMutationId } }"}' });
    expect(duplicate.status).toBe(403);
    expect(gh.requests.length).toBe(before);
    const reasons = (gw.revoke("write-1")?.refusals ?? []).map((f) => `${f.kind} ${f.reason.split(":")[0]}`);
    expect(reasons).toEqual(["github POST through the API", "github PUT through the API", "github PATCH through the API", "github a GraphQL mutation", "github a GraphQL mutation"]);
  });

  it("passes GraphQL queries on as checked (re-serialised), to GHE's /api/graphql when the API base is /api/v3", async () => {
    const upstream = await startHttp((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"data":{}}'));
    try {
      const run = gw.register({ runId: "gql-1", github: { token: realToken, apiUrl: `http://127.0.0.1:${upstream.port}/api/v3`, gitUrl: git.url } });
      const r = await fetch(`${run.githubUrl()}/api/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${run.token}`, "content-type": "application/json" },
        body: '{"query":"{ viewer { login } }", "query" : "{ repository(owner: \\"acme\\", name: \\"widgets\\") { id } }"}',
      });
      expect(r.status).toBe(200);
      const rest = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: `Bearer ${run.token}` } });
      expect(rest.status).toBe(200);
      expect(upstream.requests.map((q) => [q.method, q.url, q.headers.authorization])).toEqual([
        ["POST", "/api/graphql", `Bearer ${realToken}`],
        ["GET", "/api/v3/repos/acme/widgets", `Bearer ${realToken}`],
      ]);
      expect(upstream.requests[0]?.body).toBe(JSON.stringify({ query: '{ repository(owner: "acme", name: "widgets") { id } }' }));
      gw.revoke("gql-1");
    } finally {
      await upstream.close();
    }
  });

  it("has no GitHub for a run registered without it (the agent's permissions grant none): 403, recorded, nothing sent", async () => {
    const run = gw.register({ runId: "none-1" });
    const before = gh.requests.length;
    const r = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: `Bearer ${run.token}` } });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { message: string }).message).toContain("this run has no GitHub access");
    const clone = await gitAs(run.token, dir, "ls-remote", `${run.githubUrl()}/git/acme/widgets.git`).then(
      () => "ok",
      (e: { stderr: string }) => e.stderr,
    );
    expect(clone).toMatch(/403/);
    expect(gh.requests.length).toBe(before);
    const refusals = gw.revoke("none-1")?.refusals ?? [];
    expect(refusals).toHaveLength(2);
    expect(refusals.every((f) => f.kind === "github" && /no GitHub access/.test(f.reason))).toBe(true);
  });

  it("answers a missing, wrong or expired run token with 401 and sends nothing on", async () => {
    const run = withGitHub("auth-1");
    const before = gh.requests.length;
    const none = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    const wrong = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: "Bearer gitcrew-run-nope" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe("gitcrew gateway: unknown run token");
    // The real token itself is no key to the gateway either.
    const real = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: `Bearer ${realToken}` } });
    expect(real.status).toBe(401);
    gw.revoke("auth-1");
    const expired = await fetch(`${run.githubUrl()}/api/repos/acme/widgets`, { headers: { authorization: `Bearer ${run.token}` } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toBe("gitcrew gateway: run token expired: the run has ended");
    expect(gh.requests.length).toBe(before);
  });

  it("caps request bodies (413) and streams response bodies as they come", async () => {
    // An upstream that sends a first chunk and holds the rest until the caller has read it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const slow: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("first|");
      void held.then(() => res.end("second"));
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const run = gw.register({ runId: "stream-1", github: { token: realToken, apiUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, gitUrl: git.url } });
      const big = await fetch(`${run.githubUrl()}/api/markdown`, { method: "POST", headers: { authorization: `Bearer ${run.token}` }, body: "x".repeat(65 * 1024) });
      expect(big.status).toBe(413);
      const r = await fetch(`${run.githubUrl()}/api/anything`, { headers: { authorization: `Bearer ${run.token}` } });
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value ?? []).toString()).toBe("first|");
      release();
      let rest = "";
      for (let c = await reader.read(); !c.done; c = await reader.read()) rest += Buffer.from(c.value).toString();
      expect(rest).toBe("second");
      gw.revoke("stream-1");
    } finally {
      release();
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  it("a fetch after new commits on the host comes through the route too", async () => {
    const run = withGitHub("fetch-1");
    const sha = await pushCommit(bare, "main", { "NEW.md": "new\n" }, "second commit");
    await gitAs(run.token, join(dir, "clone-1"), "fetch", "-q", "origin");
    expect((await exec("git", ["-C", join(dir, "clone-1"), "rev-parse", "origin/main"])).stdout.trim()).toBe(sha);
    gw.revoke("fetch-1");
  });
});
