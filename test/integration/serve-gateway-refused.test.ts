/**
 * `gitcrew serve` run by a user in the docker group (not root) whose run
 * gateway is refused: the host firewall cannot be installed (here the
 * firewall image has no shell) and GITCREW_ALLOW_OPEN_HOST is not set. A
 * burst of runs, each retried, used to start one firewall container per
 * attempt; the refusal is now remembered for a while, so the burst starts
 * one, and every run still gets the refusal and what to do in its thread.
 * Real CLI as uid 65534, real Docker engine (its events count the
 * containers), GitHub double.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET, shAgentFiles } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const NOBODY = 65534;
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "gitcrew.js");
const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
/** An image with no files: the engine creates the firewall container, which cannot start (no /bin/sh). */
const NO_SHELL = "gitcrew-test/no-shell:latest";
const RUNS = 3;

/** setpriv's arguments: uid 65534, the docker socket's group, no capabilities. */
function asNobody(): string[] {
  return [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--groups=${statSync("/var/run/docker.sock").gid}`, "--inh-caps=-all"];
}

describe("gitcrew serve whose run gateway is refused (no host firewall), as a non-root user", () => {
  let gh: DoubleRepo;
  let base: string;
  let serve: ChildProcess | undefined;
  let events: ChildProcess | undefined;
  let output = "";
  const network = `gitcrew-gw-refused-${process.pid}`;

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it runs gitcrew serve as uid 65534); run it as root");
    const empty = join(mkdtempSync("/tmp/gitcrew-noshell-"), "empty.tar");
    execFileSync("tar", ["cf", empty, "--files-from", "/dev/null"]);
    execFileSync("docker", ["import", empty, NO_SHELL], { stdio: "ignore" });
    rmSync(join(empty, ".."), { recursive: true, force: true });
    gh = await startDoubleWithRepo(REPO, { "README.md": "# widgets\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles("net", "true", "limits:\n  network:\n    allow: []\n") });
    base = mkdtempSync("/tmp/gitcrew-refused-");
    execFileSync("git", ["clone", "--quiet", gh.bareDir, join(base, "clone")]);
    writeFileSync(join(base, "secret"), SECRET);
    execFileSync("mkdir", ["-p", join(base, "home", "tmp")]);
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, base]);
    chmodSync(join(base, "secret"), 0o600);
  }, 600_000);

  afterAll(async () => {
    if (serve?.pid && serve.exitCode === null) {
      serve.kill("SIGTERM");
      await new Promise((r) => serve?.once("exit", r));
    }
    if (events?.pid && events.exitCode === null) events.kill("SIGTERM");
    await gh?.close();
    if (base) rmSync(base, { recursive: true, force: true });
    for (const args of [["network", "rm", network], ["image", "rm", NO_SHELL]]) {
      try {
        execFileSync("docker", args, { stdio: "ignore" });
      } catch {
        // not made
      }
    }
  });

  it(`a burst of ${RUNS} runs, each tried 3 times, starts one firewall container; each thread says why and what to do`, async () => {
    // Every firewall container the engine creates for this gateway network, from now on.
    let created = 0;
    events = spawn("docker", ["events", "--filter", "type=container", "--filter", "event=create", "--filter", `label=gitcrew.firewall=${network}`, "--format", "{{.ID}}"], { stdio: ["ignore", "pipe", "ignore"] });
    events.stdout?.on("data", (d: Buffer) => (created += String(d).split("\n").filter(Boolean).length));
    await new Promise((r) => setTimeout(r, 500));

    const home = join(base, "home");
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      TMPDIR: join(home, "tmp"),
      GITCREW_HOME: join(home, "gitcrew"),
      GITHUB_TOKEN: gh.double.token(BOT, "Bot"),
      GITCREW_GATEWAY_NETWORK: network,
      GITCREW_FIREWALL_IMAGE: NO_SHELL,
    };
    const args = ["--repo", join(base, "clone"), "--webhook-secret-file", join(base, "secret"), "--github-api-url", gh.double.url, "--store", join(base, "gitcrew.db"), "--host", "127.0.0.1", "--port", "0"];
    serve = spawn("setpriv", [...asNobody(), process.execPath, CLI, "serve", ...args], { cwd: base, env, stdio: ["ignore", "pipe", "pipe"] });
    serve.stdout?.on("data", (d: Buffer) => (output += String(d)));
    serve.stderr?.on("data", (d: Buffer) => (output += String(d)));
    const url = await until("gitcrew serve to listen", async () => {
      if (serve?.exitCode !== null) throw new Error(`gitcrew serve exited (${serve?.exitCode}):\n${output}`);
      return /listening on (http:\/\/\S+)/.exec(output)?.[1];
    }, 1200);

    gh.double.setPermission(REPO, "alice", "write");
    const issues: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const issue = gh.double.addIssue(REPO, { title: `Run ${i}`, user: "alice" });
      issues.push(issue.number);
      const { payload } = gh.double.addComment(REPO, issue.number, "alice", "@net go");
      expect((await gh.double.deliver(`${url}/webhooks`, "issue_comment", payload, SECRET)).status).toBe(202);
    }
    // Each attempt answers in a new comment; the last one no longer says another attempt follows.
    const threads = await until("every run's last attempt to be answered", async () => {
      const bodies = issues.map((n) => gh.double.comments(REPO, n).filter((c) => c.user === BOT).map((c) => c.body));
      return bodies.every((b) => b.at(-1)?.includes("❌ **net** failed") && !b.at(-1)?.includes("tries again")) ? bodies : undefined;
    }, 4800).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${output}`);
    });

    for (const bodies of threads) {
      const attempts = bodies.filter((b) => b.includes("❌ **net** failed"));
      expect(attempts).toHaveLength(3);
      for (const body of attempts) expect(body).toContain("gitcrew cannot close the host's own services (sshd, databases, anything listening on 0.0.0.0) to agent containers");
      expect(attempts[2]).toContain("**What to do:**");
      expect(attempts[2]).toContain("GITCREW_ALLOW_OPEN_HOST=1");
    }
    // The refusal was found out once, through one firewall container; the other attempts were refused from memory.
    await new Promise((r) => setTimeout(r, 1000));
    expect(created, output).toBe(1);
    gh.double.assertNoViolations();
  }, 600_000);
});
