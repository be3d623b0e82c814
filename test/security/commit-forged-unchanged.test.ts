/**
 * The commit step takes a file's id from the start commit, without reading
 * it, when its stat data matches the checkout's index and its ctime is older
 * than the moment the worktree was ready. An agent that rewrites a file and
 * puts back its size and mtime must still get its change committed (ctime
 * cannot be set back); names, links and special files the walk now classifies
 * from directory entries are handled as before. No Docker: the agent's work is
 * done here on the worktree, then the runner's commit step runs.
 */
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitChanges, createWorkspace, removeWorkspace } from "../../src/runner/workspace.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-forged-"));
  dirs.push(dir);
  for (let i = 0; i < 50; i++) {
    mkdirSync(join(dir, "src", `d${i % 5}`), { recursive: true });
    writeFileSync(join(dir, "src", `d${i % 5}`, `f${i}.txt`), `file ${i}\n`);
  }
  writeFileSync(join(dir, "secret.txt"), "aaaa\n");
  writeFileSync(join(dir, "ünïcode.txt"), "u\n");
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  execFileSync("git", ["-C", dir, "add", "-A"]);
  execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "start"]);
  return dir;
}

const show = (dir: string, ref: string) => execFileSync("git", ["-C", dir, "show", ref]).toString();
const identity = { name: "agent", email: "agent@example.invalid" };

describe("the commit step's shortcut for files as checked out", () => {
  it("a file rewritten with its size and mtime put back is committed as changed", async () => {
    const dir = repo();
    const ws = await createWorkspace({ repoDir: dir, ref: "main", branch: "agent/forge", injectedFiles: {}, mountPoints: [] });
    try {
      const path = join(ws.dir, "secret.txt");
      const before = lstatSync(path, { bigint: true });
      // Let the clock move past the worktree's settled mark, then forge "unchanged".
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(path, "bbbb\n");
      const ns = before.mtimeNs % 1_000_000_000n;
      execFileSync("touch", ["-m", "-d", `@${before.mtimeNs / 1_000_000_000n}.${ns.toString().padStart(9, "0")}`, path]);
      const after = lstatSync(path, { bigint: true });
      expect([after.mtimeNs, after.size, after.ino]).toEqual([before.mtimeNs, before.size, before.ino]);
      const out = await commitChanges(ws, { branch: "agent/forge", identity, message: "forged" });
      expect(out.changedFiles).toEqual(["secret.txt"]);
      expect(show(dir, "agent/forge:secret.txt")).toBe("bbbb\n");
    } finally {
      await removeWorkspace(ws);
    }
  });

  it("nothing touched: nothing committed; odd entries are removed and reported, the rest committed as before", async () => {
    const dir = repo();
    const ws = await createWorkspace({ repoDir: dir, ref: "main", branch: "agent/odd", injectedFiles: {}, mountPoints: [] });
    try {
      expect((await commitChanges(ws, { branch: "agent/odd", identity, message: "none" })).changedFiles).toEqual([]);
      mkdirSync(join(ws.dir, "src", "d1", ".GIT"));
      writeFileSync(join(ws.dir, "src", "d1", ".GIT", "config"), "x\n");
      execFileSync("mkfifo", [join(ws.dir, "src", "pipe")]);
      symlinkSync("/etc/passwd", join(ws.dir, "src", ".gitignore"));
      symlinkSync("/etc", join(ws.dir, "outlink"));
      writeFileSync(Buffer.from(`${ws.dir}/bad-\xff.txt`, "latin1"), "x\n");
      writeFileSync(join(ws.dir, "nöu.txt"), "new\n");
      // U+FFFD spelled in UTF-8 is a valid name (beside the invalid one above): kept.
      writeFileSync(join(ws.dir, "ok-\ufffd.txt"), "new\n");
      rmSync(join(ws.dir, "src", "d2"), { recursive: true });
      writeFileSync(join(ws.dir, "src", "d2"), "a file where a folder was\n");
      const out = await commitChanges(ws, { branch: "agent/odd", identity, message: "odd" });
      expect(out.removed?.sort()).toEqual(["bad-\ufffd.txt (name not UTF-8)", "src/.gitignore (a link)", "src/d1/.GIT", "src/pipe (not a file)"]);
      expect(readdirSync(join(ws.dir, "src")).sort()).toEqual(["d0", "d1", "d2", "d3", "d4"]);
      const removedFolder = Array.from({ length: 10 }, (_, k) => `src/d2/f${2 + 5 * k}.txt`);
      expect(out.changedFiles).toEqual(["nöu.txt", "ok-\ufffd.txt", "outlink", "src/d2", ...removedFolder].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const tree = execFileSync("git", ["-C", dir, "ls-tree", "-r", "agent/odd"]).toString();
      expect(tree).toMatch(/^120000 blob \S+\toutlink$/m);
      expect(tree).toContain("\t\"\\303\\274n\\303\\257code.txt\"");
      expect(show(dir, "agent/odd:src/d2")).toBe("a file where a folder was\n");
    } finally {
      await removeWorkspace(ws);
    }
  });
});
