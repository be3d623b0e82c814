/**
 * better-sqlite3 is compiled for the Node that installed gitcrew. Started on
 * another Node, gitcrew says which Node the addon was built for, which one
 * this is and the command that fixes it, instead of Node's dlopen error.
 * The other Node is Node 24 from scripts/ci/node24.sh (the suite runs on 20).
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { makeRepo } from "../support/crew-fixture.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

describe("a native module built for another Node", () => {
  it("gitcrew serve with the SQLite store on Node 24, better-sqlite3 built for this Node: the message and the fix, exit 4", async () => {
    expect(process.versions.node.startsWith("24."), "run this file on the Node that installed node_modules, not on 24").toBe(false);
    const node24 = execFileSync("bash", [join(ROOT, "scripts/ci/node24.sh"), "--install"], { encoding: "utf8" }).trim();
    const home = mkdtempSync(join(tmpdir(), "gitcrew-abi-"));
    const env = { PATH: process.env.PATH, HOME: home, GITCREW_HOME: home, GITCREW_WEBHOOK_SECRET: "s3cret", GITHUB_TOKEN: "t0ken", GITCREW_NO_CACHE: "1" };
    const args = [join(ROOT, "bin/gitcrew.js"), "serve", "--repo", makeRepo(), "--store", join(home, "gitcrew.db"), "--port", "0"];
    const err = await run(node24, args, { env, timeout: 60_000 }).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err, "serve started on Node 24 with a better-sqlite3 built for another Node").toBeDefined();
    const major = process.versions.node.split(".")[0];
    expect(err!.stderr).toContain(`better-sqlite3 was built for Node ${major} (NODE_MODULE_VERSION ${process.versions.modules}), this is Node 24.`);
    expect(err!.stderr).toContain("run `npm rebuild better-sqlite3` with this Node");
    expect(err!.stderr).not.toMatch(/ERR_DLOPEN_FAILED|Please try re-compiling|\n\s+at /);
    expect(err!.code).toBe(4);
  });
});
