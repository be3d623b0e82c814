/**
 * The Action and the workflows run on Node 24 (GitHub removed Node 20 from
 * the runner): action.yml declares node24, and the workflow `init` writes and
 * our own CI use majors of actions/checkout and actions/setup-node that are
 * node24 actions (v5 was the first of each).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");
const NODE24_SINCE: Record<string, number> = { "actions/checkout": 5, "actions/setup-node": 5 };

function uses(file: string): string[] {
  return [...readFileSync(join(ROOT, file), "utf8").matchAll(/^\s*-?\s*uses:\s*(\S+)/gm)].map((m) => m[1]!);
}

describe("Node 24", () => {
  it("action.yml runs on node24", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  it.each(["templates/workflows/gitcrew.yml", ".github/workflows/ci.yml"])("%s uses checkout and setup-node majors that run on node24", (file) => {
    const pinned = uses(file).filter((u) => u.split("@")[0]! in NODE24_SINCE);
    expect(pinned.length).toBeGreaterThan(0);
    for (const u of pinned) {
      const [name, ref] = u.split("@") as [string, string];
      expect(Number(/^v(\d+)/.exec(ref)?.[1]), u).toBeGreaterThanOrEqual(NODE24_SINCE[name]!);
    }
  });
});
