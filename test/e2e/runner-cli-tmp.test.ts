/**
 * A `gitcrew run` (like every Action job) leaves nothing of its own in the
 * temporary folder: the empty HOME its host git runs with is removed when the
 * process exits (before, one folder per process piled up in /tmp).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");

describe("gitcrew run and the temporary folder", () => {
  let repo: string;
  let home: string;
  let tmp: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    repo = await makeCrewRepo([shAgent("quick", 'echo "quick says $GITCREW_PROMPT"')]);
    home = tempHome();
    tmp = mkdtempSync(join(tmpdir(), "gitcrew-run-tmp-"));
  }, 600_000);
  afterAll(async () => {
    for (const d of [repo, home, tmp]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("removes its git HOME when it exits", async () => {
    const { stdout } = await exec(process.execPath, [BIN, "run", "quick", "--repo", repo, "--prompt", "hi", "--json"], {
      env: { ...process.env, GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "", TMPDIR: tmp },
    });
    expect(JSON.parse(stdout).status).toBe("succeeded");
    expect(readdirSync(tmp).filter((n) => n.startsWith("gitcrew-git-home-"))).toEqual([]);
  }, 120_000);
});
