/**
 * `gitcrew ps`, `logs [--follow]`, `cancel` and `retry` on local runs (no
 * server), with real `gitcrew run` processes and containers on the real engine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunRecords } from "../../src/runner/records.js";
import { cli } from "../support/crew-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { containersWithLabel, requireDockerAndImage, tempHome, waitFor } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");

interface Child {
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

describe("gitcrew ps, logs, cancel, retry on local runs", () => {
  let repo: string;
  let home: string;
  const children: ChildProcess[] = [];
  const env = () => ({ GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" });
  const records = () => new RunRecords(env());

  /** A real `gitcrew run` process in the background. */
  function startRun(agent: string, prompt: string): Child {
    const proc = spawn(process.execPath, [BIN, "run", agent, "--repo", repo, "--prompt", prompt, "--json"], { env: { ...process.env, ...env() }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(proc);
    const c: Child = { proc, stdout: "", stderr: "", exit: new Promise((r) => proc.once("exit", (code) => r(code))) };
    proc.stdout!.on("data", (d: Buffer) => (c.stdout += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (c.stderr += d.toString()));
    return c;
  }

  /** The record of the run `child` started, once its container runs. */
  async function runningRecord(agent: string, child: Child) {
    return waitFor(`a running ${agent} container (stderr: ${child.stderr})`, () => records().list().find((r) => r.agent === agent && r.status === "running" && r.containerId), 60_000);
  }

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([
      shAgent("quick", 'echo "quick says $GITCREW_PROMPT"'),
      shAgent("ticker", 'for i in 1 2 3 4; do echo "tick $i"; sleep 1; done; gitcrew-return "ticked"'),
      shAgent("sleeper", "echo sleeping; sleep 300", "limits:\n  timeout: 10m\n"),
    ]);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("ps with no runs yet: an empty list, exit 0", async () => {
    const r = await cli(["ps", "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ source: "local", runs: [] });
    const text = await cli(["ps"], { env: env() });
    expect(text.code).toBe(0);
    expect(text.stderr).toContain("no local runs under");
  });

  it("ps lists runs newest first with id, agent, status, age and repo; --status and --limit filter", async () => {
    const first = JSON.parse((await cli(["run", "quick", "--repo", repo, "--prompt", "one", "--json"], { env: env() })).stdout);
    const second = JSON.parse((await cli(["run", "quick", "--repo", repo, "--prompt", "two", "--json"], { env: env() })).stdout);
    const r = await cli(["ps", "--json"], { env: env() });
    const runs = JSON.parse(r.stdout).runs;
    expect(runs.map((x: { id: string }) => x.id).slice(0, 2)).toEqual([second.run, first.run]);
    expect(runs[0]).toMatchObject({ id: second.run, agent: "quick", status: "succeeded", exitCode: 0, reason: null });
    expect(runs[0].repo).toMatch(/^gitcrew-repo-/);
    expect(Date.now() - Date.parse(runs[0].createdAt)).toBeLessThan(120_000);

    const table = await cli(["ps"], { env: env() });
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^RUN\s+AGENT\s+STATUS\s+AGE\s+COST\s+REPO$/);
    expect(lines[1]).toMatch(new RegExp(`^${second.run}\\s+quick\\s+succeeded\\s+\\d+s\\s+—\\s+gitcrew-repo-`));
    expect(JSON.parse((await cli(["ps", "--json", "--limit", "1"], { env: env() })).stdout).runs).toHaveLength(1);
    expect(JSON.parse((await cli(["ps", "--json", "--status", "failed"], { env: env() })).stdout).runs).toEqual([]);
  }, 60_000);

  it("logs prints a finished run's log; an unknown run is exit 3", async () => {
    const run = JSON.parse((await cli(["run", "quick", "--repo", repo, "--prompt", "hello log", "--json"], { env: env() })).stdout).run;
    const r = await cli(["logs", run], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("quick says hello log");
    expect(r.stdout).toContain("» succeeded (exit code 0)");
    const missing = await cli(["logs", "20990101000000-nope00"], { env: env() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no run "20990101000000-nope00"');
    const hostile = await cli(["logs", "../../etc/passwd"], { env: env() });
    expect(hostile.code).toBe(3);
  }, 60_000);

  it("logs --follow tails a running run until it ends", async () => {
    const child = startRun("ticker", "tick");
    const rec = await waitFor("the ticker run", () => records().list().find((r) => r.agent === "ticker"), 60_000);
    const t0 = Date.now();
    const followed = await cli(["logs", rec.id, "--follow"], { env: env() });
    expect(followed.code, followed.stderr).toBe(0);
    // It returned only once the run was over, with every line.
    expect(records().get(rec.id)?.status).toBe("succeeded");
    expect(Date.now() - t0).toBeGreaterThan(1000);
    for (const i of [1, 2, 3, 4]) expect(followed.stdout).toContain(`tick ${i}`);
    expect(followed.stdout).toContain('» return: {"type":"return","value":"ticked"}');
    expect(followed.stdout.trimEnd().split("\n").at(-1)).toBe("» succeeded (exit code 0)");
    expect(followed.stderr).toContain(`▸ run ${rec.id} succeeded`);
    expect(await child.exit).toBe(0);
  }, 90_000);

  it("cancel kills a running run's container; the run is recorded cancelled with exit code 130", async () => {
    const child = startRun("sleeper", "sleep");
    const rec = await runningRecord("sleeper", child);
    expect(await containersWithLabel("gitcrew.run", rec.id)).toHaveLength(1);
    const t0 = Date.now();
    const r = await cli(["cancel", rec.id, "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "local", run: rec.id, status: "cancelled", exitCode: 130, alreadyFinished: false, pending: false });
    // The `gitcrew run` process reports it too, and exits 130.
    expect(await child.exit).toBe(130);
    expect(JSON.parse(child.stdout)).toMatchObject({ run: rec.id, status: "cancelled", exitCode: 130 });
    const after = records().get(rec.id)!;
    expect(after).toMatchObject({ status: "cancelled", exitCode: 130 });
    expect(after.reason).toMatch(/^cancelled by gitcrew cancel \(pid \d+\)$/);
    expect(await containersWithLabel("gitcrew.run", rec.id)).toEqual([]);
    const ps = JSON.parse((await cli(["ps", "--json"], { env: env() })).stdout).runs;
    expect(ps.find((x: { id: string }) => x.id === rec.id)).toMatchObject({ status: "cancelled", exitCode: 130 });

    // Cancelling again changes nothing.
    const again = await cli(["cancel", rec.id], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already finished (cancelled)");
  }, 90_000);

  it("cancel of a run whose runner was killed removes its container and records it cancelled", async () => {
    const child = startRun("sleeper", "sleep again");
    const rec = await runningRecord("sleeper", child);
    child.proc.kill("SIGKILL");
    await child.exit;
    expect(await containersWithLabel("gitcrew.run", rec.id)).toHaveLength(1);
    const r = await cli(["cancel", rec.id], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`run ${rec.id} cancelled`);
    expect(await containersWithLabel("gitcrew.run", rec.id)).toEqual([]);
    expect(records().get(rec.id)).toMatchObject({ status: "cancelled", exitCode: 130 });
    expect(records().get(rec.id)?.reason).toContain(`its runner (pid ${child.proc.pid}) was gone`);
  }, 90_000);

  it("Ctrl-C (SIGINT) of gitcrew run cancels its run: exit 130, container gone", async () => {
    const child = startRun("sleeper", "interrupt me");
    const rec = await runningRecord("sleeper", child);
    child.proc.kill("SIGINT");
    expect(await child.exit).toBe(130);
    expect(JSON.parse(child.stdout)).toMatchObject({ run: rec.id, status: "cancelled", exitCode: 130, reason: "cancelled (interrupted)" });
    expect(records().get(rec.id)).toMatchObject({ status: "cancelled", exitCode: 130 });
    expect(await containersWithLabel("gitcrew.run", rec.id)).toEqual([]);
  }, 90_000);

  it("retry of a local run says it needs the server (exit 4); an unknown run is exit 3", async () => {
    const run = records().list().find((r) => r.agent === "quick")!;
    const r = await cli(["retry", run.id], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("gitcrew retry needs a running gitcrew serve");
    expect(r.stderr).toContain("gitcrew run quick");
    const missing = await cli(["retry", "20990101000000-nope00"], { env: env() });
    expect(missing.code).toBe(3);
  });
});
