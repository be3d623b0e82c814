/**
 * Helpers for the runner tests on the real Docker engine: a check that the
 * engine and the command image are there (a clear failure otherwise, never a
 * skip), agents loaded from a real crew repo, and one run with its events.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadCrewFromDir } from "../../src/crew/load.js";
import type { Agent } from "../../src/crew/types.js";
import type { PlannedRun } from "../../src/plan/types.js";
import { planLocalRun } from "../../src/runner/local-plan.js";
import { newRunId } from "../../src/runner/owner.js";
import type { Runner } from "../../src/runner/runner.js";
import type { RunEvent, RunResult } from "../../src/runner/types.js";
import { ensureImages } from "./docker-images.js";

const exec = promisify(execFile);

export const COMMAND_IMAGE = "gitcrew/command:latest";

/** The engine answers and the command image exists (built offline when absent). Throws with what to do. */
export async function requireDockerAndImage(): Promise<void> {
  try {
    await exec("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 20_000 });
  } catch (err) {
    throw new Error(`the Docker engine is not reachable (${(err as Error).message.split("\n")[0]}): run 'npm run setup' (as root), or start it yourself`);
  }
  await ensureImages(["command"]);
}

/** A fresh GITCREW_HOME for one test file. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "gitcrew-home-"));
}

export async function loadAgent(repoDir: string, name: string, env: NodeJS.ProcessEnv = process.env): Promise<{ agent: Agent; branchPrefix: string }> {
  const loaded = await loadCrewFromDir(repoDir, env);
  if (!loaded.crew) throw new Error(`crew in ${repoDir} has errors: ${loaded.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("; ")}`);
  const agent = loaded.crew.agents.find((a) => a.name === name);
  if (!agent) throw new Error(`no agent ${name} in ${repoDir}`);
  return { agent, branchPrefix: loaded.crew.config.branch_prefix };
}

export interface Observed {
  result: RunResult;
  events: RunEvent[];
  logs: string[];
}

/** Run `agent` with `prompt`; `onStarted` sees the container id while it runs. */
export async function runOnce(
  runner: Runner,
  repoDir: string,
  agent: Agent,
  prompt: string,
  opts: { runId?: string; onStarted?: (containerId: string) => void; signal?: AbortSignal; edit?: (p: PlannedRun) => PlannedRun } = {},
): Promise<Observed> {
  const runId = opts.runId ?? newRunId();
  let planned = planLocalRun({ agent, prompt, runId, repo: "local/runner-e2e" });
  if (opts.edit) planned = opts.edit(planned);
  const events: RunEvent[] = [];
  const logs: string[] = [];
  const result = await runner.run({
    planned,
    agent,
    repoDir,
    repo: "local/runner-e2e",
    runId,
    signal: opts.signal,
    observer: {
      onEvent: (ev) => {
        events.push(ev);
        if (ev.type === "log") logs.push(ev.line);
        if (ev.type === "started") opts.onStarted?.(ev.containerId);
      },
    },
  });
  return { result, events, logs };
}

/** `docker inspect` of one container (JSON), through the CLI so the test does not trust dockerode. */
export async function inspect(containerId: string): Promise<Record<string, any>> {
  const { stdout } = await exec("docker", ["inspect", containerId]);
  return (JSON.parse(stdout) as Record<string, any>[])[0]!;
}

/** Ids of containers (running or not) carrying label `key=value`. */
export async function containersWithLabel(key: string, value: string): Promise<string[]> {
  const { stdout } = await exec("docker", ["ps", "-aq", "--no-trunc", "--filter", `label=${key}=${value}`]);
  return stdout.split("\n").filter(Boolean);
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
