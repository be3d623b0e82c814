/**
 * An agent floods the channel file (/gitcrew/events.jsonl, on the host's
 * disk): one line of 150 MB without a newline, then 250 MB of lines. The
 * runner (`gitcrew run` in a child process) reads it in bounded pieces: its
 * peak memory stays bounded, and the run log says what was dropped.
 */
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelReader } from "../../src/runner/channel.js";
import type { RunEvent } from "../../src/runner/types.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");
/** What the flood may add to the peak memory of the same `gitcrew run` with a quiet agent (before the fix: ~800 MB). */
const MAX_EXTRA_RSS_KB = 64 * 1024;

/** `gitcrew run …` in a child process; its JSON result and its peak resident memory (KiB). */
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

describe("an agent that floods the channel file", () => {
  let repo: string;
  let home: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([
      shAgent(
        "flood",
        [
          'head -c 150000000 /dev/zero | tr "\\0" x >> "$GITCREW_CHANNEL"',
          'printf "\\n" >> "$GITCREW_CHANNEL"',
          'yes "$(head -c 1000 /dev/zero | tr "\\0" y)" | head -c 250000000 >> "$GITCREW_CHANNEL"',
          "echo flooded",
        ].join("; "),
        "limits:\n  timeout: 5m\n",
      ),
      shAgent("quiet", `printf '%s\\n' '{"gitcrew":"status","text":"hi"}' >> "$GITCREW_CHANNEL"; echo quiet`, "limits:\n  timeout: 5m\n"),
    ]);
  });

  afterAll(async () => {
    for (const d of [repo, home]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("the runner's peak memory stays bounded and the run log says the rest was ignored", async () => {
    const env = { ...process.env, GITCREW_HOME: home };
    // The baseline: the same command, the same runner, an agent that writes one channel line.
    const quiet = await runMeasured(["run", "quiet", "--repo", repo, "--prompt", "quiet", "--json"], env);
    expect(quiet.code, quiet.stderr).toBe(0);
    const out = await runMeasured(["run", "flood", "--repo", repo, "--prompt", "flood", "--json"], env);
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { run: string; status: string };
    expect(result.status).toBe("succeeded");
    console.log(`gitcrew run peak RSS: ${Math.round(out.maxRssKb / 1024)} MB flooded, ${Math.round(quiet.maxRssKb / 1024)} MB quiet`);
    expect(out.maxRssKb - quiet.maxRssKb, `gitcrew run peaked at ${Math.round(out.maxRssKb / 1024)} MB, ${Math.round(quiet.maxRssKb / 1024)} MB with a quiet agent`).toBeLessThan(MAX_EXTRA_RSS_KB);
    const log = readFileSync(join(home, "runs", result.run, "log"), "utf8");
    expect(log).toContain("channel: the agent wrote more than 8 MiB to events.jsonl; the rest is ignored");
    expect(log).toContain("channel: 1 line(s) longer than 64 KiB were dropped");
  }, 600_000);

  it("a line after a dropped over-long one is still read, in pieces as it is appended", async () => {
    const file = join(home, "events.jsonl");
    writeFileSync(file, `${"z".repeat(200_000)}`);
    const events: RunEvent[] = [];
    const notices: string[] = [];
    const reader = new ChannelReader(file, (e) => events.push(e), (n) => notices.push(n));
    reader.start(20);
    appendFileSync(file, `${"z".repeat(100_000)}\n{"gitcrew":"status","te`);
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(file, 'xt":"after"}\n{"gitcrew":"return","value":"last, no newline"}');
    await reader.drain();
    expect(events).toEqual([{ type: "status", text: "after" }, { type: "return", value: "last, no newline" }]);
    expect(notices).toEqual(["channel: 1 line(s) longer than 64 KiB were dropped"]);
  });
});
