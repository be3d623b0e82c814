/**
 * Attack: an agent (prompt-injected by a stranger's comment) prints terminal
 * escapes — OSC 52 writes the operator's clipboard, CSI 2J clears the screen —
 * in its log, its status and its answer. `gitcrew run` and `gitcrew logs`
 * show them as visible text: no ESC or BEL byte reaches the terminal.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/crew-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const CONTROL_BYTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const SCRIPT = [
  "printf 'clip \\033]52;c;ZXZpbA==\\007 done\\n'",
  "printf 'wipe \\033[2J\\033[H now\\n'",
  "gitcrew-status \"$(printf 'status \\033]0;owned\\007 \\233 x')\"",
  "gitcrew-return \"$(printf 'answer \\033]52;c;ZXZpbA==\\007 and \\033[2J')\"",
].join("; ");

describe("terminal escapes from an agent", () => {
  let repo: string;
  let home: string;
  const env = () => ({ GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" });

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("noisy", SCRIPT)]);
  });
  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("gitcrew run and gitcrew logs print them as visible text, never as ESC or BEL", async () => {
    const run = await cli(["run", "noisy", "--repo", repo, "--prompt", "go"], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL_BYTES);
    expect(run.stderr).not.toMatch(CONTROL_BYTES);
    // What the agent wrote is still there for the operator to read.
    expect(run.stdout).toContain("answer \\x1b]52;c;ZXZpbA==\\x07 and \\x1b[2J");
    expect(run.stderr).toContain("clip \\x1b]52;c;ZXZpbA==\\x07 done");
    expect(run.stderr).toContain("status \\x1b]0;owned\\x07");

    // --json stays JSON: the escapes are JSON-escaped, the answer is intact.
    const json = await cli(["run", "noisy", "--repo", repo, "--prompt", "go", "--json", "--quiet"], { env: env() });
    expect(json.stdout).not.toMatch(/\x1b|\x07/);
    const parsed = JSON.parse(json.stdout) as { run: string; answer: string };
    expect(parsed.answer).toContain("\x1b]52;c;ZXZpbA==\x07");

    const logs = await cli(["logs", parsed.run], { env: env() });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("wipe \\x1b[2J\\x1b[H now");
    expect(logs.stdout).not.toMatch(CONTROL_BYTES);
  });
});
