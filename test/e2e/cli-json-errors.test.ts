/**
 * `--json` failures from the real binary: one JSON object on stdout,
 * `{"error": {"code", "message", "hint"?}}`, with the documented exit code.
 * The Docker engine's problems are produced for real and told apart: a
 * socket that does not exist (not running), a socket this (non-root) user
 * may not open (permission denied), an engine whose API is too old (a small
 * unix server answering /_ping and /version). Also `--prompt-file -`.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gitcrew(argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; uid?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { ...process.env, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "", ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** stdout is exactly one JSON object; returns it. */
function oneObject(r: Ran): { error?: { code: string; message: string; hint?: string } } & Record<string, unknown> {
  expect(r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).length, r.stdout).toBeLessThanOrEqual(1);
  return JSON.parse(r.stdout);
}

describe("--json failures and the Docker engine's problems", () => {
  let repo: string;
  let home: string;
  const servers: Server[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    home = tempHome();
    repo = await makeCrewRepo([shAgent("notes", 'STDIN=$(cat); gitcrew-return "noted: $STDIN"')]);
  });
  afterAll(() => {
    for (const s of servers) s.close();
    for (const d of [repo, home, ...dirs]) if (d) rmSync(d, { recursive: true, force: true });
  });

  /** Directly under /tmp (the test's own TMPDIR is private to root): only the socket's own mode keeps the other user out. */
  function socketDir(): string {
    const d = mkdtempSync("/tmp/gitcrew-sock-");
    chmodSync(d, 0o755);
    dirs.push(d);
    return d;
  }

  async function listen(handler: Parameters<typeof createServer>[1], path: string): Promise<void> {
    const s = createServer(handler!);
    servers.push(s);
    await new Promise<void>((r) => s.listen(path, r));
  }

  it("no engine on DOCKER_HOST: docker_not_running, exit 4, with how to start one", async () => {
    const r = await gitcrew(["run", "notes", "--repo", repo, "--prompt", "hi", "--json"], { env: { GITCREW_HOME: home, DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(r.code, r.stderr).toBe(4);
    const { error } = oneObject(r);
    expect(error).toEqual({
      code: "docker_not_running",
      message: "the Docker engine at unix:///nonexistent/docker.sock is not running (no socket at /nonexistent/docker.sock)",
      hint: expect.stringContaining("start it"),
    });
    expect(r.stderr).toContain("is not running");
  });

  it("a socket this user may not open: docker_permission_denied, with the docker group or root as the fix", async () => {
    const dir = socketDir();
    const sock = join(dir, "docker.sock");
    await listen((_req, res) => res.end("OK"), sock);
    chmodSync(sock, 0o000);
    const mine = join(socketDir(), "repo");
    await simpleGit().clone(repo, mine);
    const scratch = join(mine, ".tmp");
    mkdirSync(scratch, { mode: 0o1777 });
    chmodSync(scratch, 0o1777);
    const r = await gitcrew(["run", "notes", "--repo", mine, "--prompt", "hi", "--json"], { env: { GITCREW_HOME: join(scratch, "home"), HOME: scratch, TMPDIR: scratch, DOCKER_HOST: `unix://${sock}` }, uid: 65534 });
    expect(r.code, r.stderr).toBe(4);
    const { error } = oneObject(r);
    expect(error?.code).toBe("docker_permission_denied");
    expect(error?.message).toBe(`permission denied on the Docker socket ${sock} (the engine runs, but this user may not use it)`);
    expect(error?.hint).toContain("add this user to the docker group");
    expect(error?.hint).toContain("run as root");
  });

  it("an engine with an old API: docker_too_old, naming both versions", async () => {
    const sock = join(socketDir(), "docker.sock");
    await listen((req, res) => {
      res.setHeader("Content-Type", req.url?.includes("/version") ? "application/json" : "text/plain");
      if (req.url?.includes("/version")) res.end(JSON.stringify({ ApiVersion: "1.24", Version: "1.12.6", MinAPIVersion: "1.12" }));
      else res.end("OK");
    }, sock);
    const r = await gitcrew(["run", "notes", "--repo", repo, "--prompt", "hi", "--json"], { env: { GITCREW_HOME: home, DOCKER_HOST: `unix://${sock}` } });
    expect(r.code, r.stderr).toBe(4);
    const { error } = oneObject(r);
    expect(error?.code).toBe("docker_too_old");
    expect(error?.message).toBe(`the Docker engine at unix://${sock} is too old: it speaks Engine API 1.24 (Docker 1.12.6), gitcrew needs 1.41 (Docker 20.10) or newer`);
    expect(error?.hint).toContain("upgrade the Docker engine");
  });

  it("usage, input and crew errors are JSON too, with their exit codes", async () => {
    const usage = await gitcrew(["run", "notes", "--repo", repo, "--json", "--no-such-flag"]);
    expect(usage.code).toBe(2);
    expect(oneObject(usage).error?.code).toBe("usage");

    const missing = await gitcrew(["run", "notes", "--repo", "/nonexistent/repo", "--prompt", "hi", "--json"]);
    expect(missing.code).toBe(3);
    expect(oneObject(missing).error).toMatchObject({ code: "bad_input", message: 'repository folder "/nonexistent/repo" does not exist' });

    const broken = await makeCrewRepo([{ name: "bad", yaml: "runtime: klingon\n" }]);
    dirs.push(broken);
    const crew = await gitcrew(["run", "bad", "--repo", broken, "--prompt", "hi", "--json"], { env: { GITCREW_HOME: home } });
    expect(crew.code).toBe(1);
    expect(oneObject(crew).error).toMatchObject({ code: "crew_invalid", message: expect.stringContaining("has 1 error(s)"), hint: expect.stringContaining("gitcrew validate") });
    expect(crew.stderr).toContain("agent.yaml:1:");

    const unknown = await gitcrew(["frobnicate", "--json"]);
    expect(unknown.code).toBe(2);
    expect(oneObject(unknown).error).toMatchObject({ code: "usage", message: 'unknown command "frobnicate"' });

    const ps = await gitcrew(["ps", "--limit", "many", "--json"], { env: { GITCREW_HOME: home } });
    expect(ps.code).toBe(2);
    expect(oneObject(ps).error?.code).toBe("usage");

    // validate keeps its own shape and adds `error`.
    const validate = await gitcrew(["validate", "--repo", "/nonexistent/repo", "--json"]);
    expect(validate.code).not.toBe(0);
    const v = oneObject(validate);
    expect(v.ok).toBe(false);
    expect(v.error?.code).toMatch(/\w/);
  });

  it("--prompt-file - reads the prompt from standard input", async () => {
    await requireDockerAndImage();
    const prompt = "remember the 'milk'\nand the eggs";
    const r = await gitcrew(["run", "notes", "--repo", repo, "--prompt-file", "-", "--json"], { env: { GITCREW_HOME: home }, input: prompt });
    expect(r.code, r.stderr).toBe(0);
    expect(oneObject(r)).toMatchObject({ status: "succeeded", answer: `noted: ${prompt}` });

    const empty = await gitcrew(["run", "notes", "--repo", repo, "--prompt-file", "-", "--json"], { env: { GITCREW_HOME: home }, input: "" });
    expect(empty.code).toBe(2);
    expect(oneObject(empty).error?.message).toContain("missing --prompt");
  }, 90_000);
});
