/**
 * Approval requests may also come as lines on the agent's stdout
 * (`{"gitcrew":"approval",…}`), and stdout is not bounded in lines: the
 * runner kept every request, each up to a line's 64 KiB, in memory, in the
 * masked copies and in the run record on disk. An agent printing 2,500 of
 * them (150 MB) grew `gitcrew run` (and `gitcrew serve`, where every run of
 * every repository shares the process) by hundreds of MB, and its run record
 * to 150 MB.
 *
 * Real Docker engine, the real CLI in a child process. What the operator
 * sees: the run record keeps at most 50 requests, their texts clipped to
 * 8,000 characters, and the process's peak memory stays near a quiet run's.
 * Before the fix: 2,500 requests of 60,000 characters in the record.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");
const LINES = 2500;
/**
 * What the flood may add to the peak memory of the same `gitcrew run` with a
 * quiet agent. 150 MB of output streams through the process: V8 lets that
 * garbage grow its heap before a major collection (+130–145 MB measured here),
 * where the unbounded code kept it all (+715 MB measured at 5b94821^).
 */
const MAX_EXTRA_RSS_KB = 256 * 1024;

async function runMeasured(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string; maxRssKb: number }> {
  const out = join(env.GITCREW_HOME!, "max-rss");
  const wrapper = [
    'import { writeFileSync } from "node:fs";',
    "const [out, bin, ...args] = process.argv.slice(1);",
    'process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));',
    "process.argv = [process.argv[0], bin, ...args];",
    "await import(bin);",
  ].join("\n");
  const proc = spawn(process.execPath, ["--input-type=module", "-e", wrapper, out, BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  proc.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-10_000)));
  const code = await new Promise<number>((resolve) => proc.on("close", (c) => resolve(c ?? 1)));
  return { code, stdout, stderr, maxRssKb: Number(readFileSync(out, "utf8")) };
}

/** The run record gitcrew kept for `run` (GITCREW_HOME/runs/…). */
function recordOf(home: string, run: string): { result?: { approvals?: { what: string; reason: string }[] } } {
  return JSON.parse(readFileSync(join(home, "runs", run, "run.json"), "utf8"));
}

describe("an agent that prints thousands of approval requests on stdout", () => {
  let repo: string;
  let home: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    // Each line just under the 64 KiB a stdout line may be, so that it is parsed whole.
    const script = String.raw`w=$(head -c 60000 /dev/zero | tr '\0' w); i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); printf '{"gitcrew":"approval","kind":"package","what":"%s","reason":"r"}\n' "$w"; done`;
    repo = await makeCrewRepo([
      shAgent("asker", script, "limits:\n  timeout: 5m\n  network: none\n"),
      shAgent("quiet", "echo quiet", "limits:\n  timeout: 5m\n  network: none\n"),
    ]);
  }, 300_000);

  afterAll(async () => {
    for (const dir of [repo, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps at most 50 requests of 8,000 characters, and the runner's memory stays bounded", async () => {
    const env = { ...process.env, GITCREW_HOME: home };
    const quiet = await runMeasured(["run", "quiet", "--repo", repo, "--prompt", "go", "--json", "--quiet"], env);
    expect(quiet.code, quiet.stderr).toBe(0);
    const flood = await runMeasured(["run", "asker", "--repo", repo, "--prompt", "go", "--json", "--quiet"], env);
    expect(flood.code, flood.stderr).toBe(0);
    const { run } = JSON.parse(flood.stdout.trim().split("\n").pop()!) as { run: string };
    const approvals = recordOf(home, run).result?.approvals ?? [];
    expect(approvals).toHaveLength(50);
    for (const a of approvals) expect(a.what.length).toBeLessThanOrEqual(8_000);
    expect(flood.maxRssKb - quiet.maxRssKb, `peak ${flood.maxRssKb} KiB, a quiet run ${quiet.maxRssKb} KiB`).toBeLessThan(MAX_EXTRA_RSS_KB);
  }, 600_000);
});
