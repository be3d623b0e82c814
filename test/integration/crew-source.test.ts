/**
 * Where the crew is read from (src/pipeline/crew-source.ts): the default
 * branch as it is on origin now, the last fetched state when origin cannot
 * be reached (said in the log), the branch itself in a clone with no origin.
 * Real repositories: a bare origin, a clone of it, commits pushed after.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fetchDefaultBranch } from "../../src/pipeline/crew-source.js";

const exec = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await exec("git", ["-C", dir, ...args])).stdout.trim();
const ID = ["-c", "user.name=t", "-c", "user.email=t@example.com"];

async function commit(dir: string, file: string, text: string): Promise<string> {
  writeFileSync(join(dir, file), text);
  await git(dir, "add", file);
  await git(dir, ...ID, "commit", "-q", "-m", file);
  return git(dir, "rev-parse", "HEAD");
}

/** origin (bare), a writer's clone that pushes to it, and the runner's checkout. */
async function repos() {
  const root = mkdtempSync(join(tmpdir(), "gitcrew-crew-source-"));
  const origin = join(root, "origin.git");
  await exec("git", ["init", "-q", "--bare", "--initial-branch=main", origin]);
  const writer = join(root, "writer");
  await exec("git", ["clone", "-q", origin, writer]);
  await commit(writer, "a.txt", "a\n");
  await git(writer, "push", "-q", "origin", "HEAD:refs/heads/main");
  const checkout = join(root, "checkout");
  await exec("git", ["clone", "-q", origin, checkout]);
  return { root, origin, writer, checkout };
}

describe("the default branch the crew is read from", () => {
  it("is origin's newest commit, fetched, and nothing is logged", async () => {
    const { writer, checkout } = await repos();
    const newer = await commit(writer, "b.txt", "b\n");
    await git(writer, "push", "-q", "origin", "HEAD:refs/heads/main");
    const lines: string[] = [];
    const ref = await fetchDefaultBranch(checkout, "main", (l) => lines.push(l));
    expect(ref).toBe("refs/remotes/origin/main");
    expect(await git(checkout, "rev-parse", ref)).toBe(newer);
    expect(lines).toEqual([]);
  });

  it("is the last fetched state when origin cannot be reached, and the log says so", async () => {
    const { root, origin, checkout } = await repos();
    const known = await git(checkout, "rev-parse", "refs/remotes/origin/main");
    renameSync(origin, join(root, "gone.git"));
    const lines: string[] = [];
    const ref = await fetchDefaultBranch(checkout, "main", (l) => lines.push(l));
    expect(ref).toBe("refs/remotes/origin/main");
    expect(await git(checkout, "rev-parse", ref)).toBe(known);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^could not fetch main from origin \(.+\); using the last fetched state$/s);
  });

  it("is the branch itself when origin has no such branch and none was fetched", async () => {
    const { checkout } = await repos();
    await git(checkout, "branch", "-q", "trunk");
    const lines: string[] = [];
    expect(await fetchDefaultBranch(checkout, "trunk", (l) => lines.push(l))).toBe("trunk");
    expect(lines).toHaveLength(1);
  });

  it("is the branch itself in a clone with no origin, even with a repository committed at ./origin", async () => {
    const { root, checkout } = await repos();
    await git(checkout, "remote", "remove", "origin");
    // Someone's crew in a repository at ./origin (files like any other in a checkout): git would fetch from that path.
    const fake = join(root, "fake");
    await exec("git", ["init", "-q", "--initial-branch=main", fake]);
    await commit(fake, "crew.txt", "not the crew\n");
    await exec("git", ["clone", "-q", "--bare", fake, join(checkout, "origin")]);
    const lines: string[] = [];
    expect(await fetchDefaultBranch(checkout, "main", (l) => lines.push(l))).toBe("main");
    expect(await git(checkout, "for-each-ref", "refs/remotes")).toBe("");
    expect(lines).toEqual([]);
  });

  it("is the branch itself in a clone with no origin, with nothing logged", async () => {
    const { checkout } = await repos();
    await git(checkout, "remote", "remove", "origin");
    const lines: string[] = [];
    expect(await fetchDefaultBranch(checkout, "main", (l) => lines.push(l))).toBe("main");
    expect(lines).toEqual([]);
  });
});
