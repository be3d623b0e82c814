/**
 * One version, package.json's: `gitcrew --version`, the Action's first log
 * line (with the Node it runs on) and the User-Agent of GitHub requests.
 */
import { execFile, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createOctokit } from "../../src/github/octokit.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

describe("the version", () => {
  it("runs on the Node it was asked to (scripts/ci/node24.sh sets GITCREW_EXPECT_NODE_MAJOR=24)", () => {
    const major = process.versions.node.split(".")[0];
    expect(major).toBe(process.env.GITCREW_EXPECT_NODE_MAJOR ?? major);
  });

  it("gitcrew --version prints package.json's version, embedded in the bundle", async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, "bin/gitcrew.js"), "--version"]);
    expect(stdout).toBe(`${version}\n`);
    // Embedded at build time: a copy of bin/ and dist/ with no package.json near says the same.
    const bare = mkdtempSync(join(tmpdir(), "gitcrew-bare-"));
    cpSync(join(ROOT, "bin"), join(bare, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist"), join(bare, "dist"), { recursive: true, filter: (src) => !src.endsWith(".wasm") });
    const copy = await run(process.execPath, [join(bare, "bin/gitcrew.js"), "--version"]);
    expect(copy.stdout).toBe(`${version}\n`);
  });

  it("the Action's log starts with its version and the Node it runs on", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "dist/index.js")], { env: { PATH: process.env.PATH }, encoding: "utf8" });
    expect(r.stdout.split("\n")[0]).toBe(`gitcrew ${version} (Node ${process.versions.node})`);
    // No event: it fails, and says why.
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set");
  });

  it("GitHub requests carry gitcrew/<version> as User-Agent", async () => {
    const agents: string[] = [];
    const server = createServer((req, res) => {
      agents.push(req.headers["user-agent"] ?? "");
      res.writeHead(200, { "content-type": "application/json" }).end('{"login":"x"}');
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      await createOctokit({ token: "t", baseUrl: `http://127.0.0.1:${port}` }).users.getAuthenticated();
    } finally {
      server.close();
    }
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatch(new RegExp(`^gitcrew/${version.replace(/\./g, "\\.")} `));
  });
});
