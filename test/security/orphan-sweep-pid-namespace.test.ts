/**
 * Attack (a job of another runner on the same Docker engine): the orphan
 * sweep at every runner's start removes a container whose runner "is gone":
 * same host name, and its pid no longer runs. Runners in containers of their
 * own that share the host's engine and its host name (host networking, or
 * pods with hostNetwork) each have their own pid namespace: the pid of one
 * means nothing in the other. Any `gitcrew run`, Action job or `serve` start
 * in one namespace took a running agent of another whose pid it does not
 * see for an orphan and removed it mid-run.
 *
 * A runner judges by pid only containers (and records) of its own pid
 * namespace; the same host name alone is not the same process table.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome, waitFor } from "../support/runner-harness.js";

const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, "../../dist/cli.js");
// `unshare --pid` needs root: the suite runs as root (.ci/run); elsewhere the test fails, it is never skipped.
if (process.getuid?.() !== 0) throw new Error("this test needs root (unshare --pid): run it as root, as .ci/run does");

/** A pid no process has in this namespace (the victim's pid in its own one, seen from here). */
function unusedPid(from: number): number {
  for (let pid = from; ; pid++) if (!existsSync(`/proc/${pid}`)) return pid;
}

describe("the orphan sweep and a runner in another pid namespace", () => {
  let repo: string;
  let home: string;
  let otherHome: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    otherHome = tempHome();
    // Works until told to finish, then leaves a file: the run must reach its end.
    repo = await makeCrewRepo([shAgent("slow", 'i=0; while [ ! -f /gitcrew/go ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done; echo done > out.txt; gitcrew-return "finished"')]);
  });

  afterAll(async () => {
    for (const d of [repo, home, otherHome]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("a runner started here leaves the other namespace's running agent alone; that run ends as it would", async () => {
    // The other runner (`gitcrew run`, as in a container of its own): its pid there is one that no process has here.
    const pid = unusedPid(40);
    const script = `i=2; while [ $i -lt ${pid} ]; do /bin/true; i=$((i+1)); done; ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} run slow --json --repo ${JSON.stringify(repo)} --prompt go`;
    const victim = spawn("unshare", ["--pid", "--fork", "sh", "-c", script], { env: { ...process.env, GITCREW_HOME: otherHome }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    victim.stdout.on("data", (b: Buffer) => (out += b.toString()));
    victim.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const ended = new Promise<number>((r) => victim.on("close", (code) => r(code ?? 1)));

    const record = await waitFor(
      "the other runner's container",
      () => {
        const runs = join(otherHome, "runs");
        const id = existsSync(runs) ? readdirSync(runs)[0] : undefined;
        const rec = id ? (JSON.parse(readFileSync(join(runs, id, "run.json"), "utf8")) as { id: string; containerId?: string; owner: { pid: number } }) : undefined;
        return rec?.containerId ? rec : undefined;
      },
      90_000,
    );
    // The premise: seen from here, the other runner's pid runs no process.
    expect(record.owner.pid).toBe(pid);
    expect(existsSync(`/proc/${pid}`)).toBe(false);

    // A runner starts here on the same engine and host name: its sweep.
    const runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
    await runner.close();
    expect(runner.orphans.map((o) => o.run)).not.toContain(record.id);

    await exec("docker", ["exec", record.containerId!, "touch", "/gitcrew/go"]);
    expect(await ended, out).toBe(0);
    const result = JSON.parse(out.trim().split("\n").find((l) => l.startsWith("{")) ?? "{}") as { status?: string; changedFiles?: string[] };
    expect(result.status, out).toBe("succeeded");
    expect(result.changedFiles).toEqual(["out.txt"]);
  }, 240_000);
});
