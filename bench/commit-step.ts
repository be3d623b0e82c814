// The commit step of a run (commitChanges: everything the runner does to the
// agent's worktree after the container exits) on a repo of 10,000 files:
// a run that changed nothing, and one that changed 20, added 10 and deleted 5.
// No Docker. Run: npx vite-node bench/commit-step.ts   (BENCH_ROUNDS=N, default 7)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitChanges, createWorkspace, removeWorkspace } from "../src/runner/workspace.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FILES = Number(process.env.BENCH_FILES ?? 10_000);

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-bench-commit-"));
  for (let i = 0; i < FILES; i++) {
    const d = join(dir, "src", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `f${i}.txt`), `file ${i}\n`);
  }
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=b", "-c", "user.email=b@example.invalid", ...args], { stdio: "ignore" });
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  git("add", "-A");
  git("commit", "-q", "-m", "files");
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function once(dir: string, n: number, change: boolean): Promise<number> {
  const ws = await createWorkspace({ repoDir: dir, ref: "main", branch: `bench/${n}`, injectedFiles: { "AGENTS.md": "injected\n" }, mountPoints: [] });
  if (change) {
    for (let i = 0; i < 20; i++) writeFileSync(join(ws.dir, "src", `d${i}`, `f${i * 100}.txt`), `changed ${n}\n`);
    for (let i = 0; i < 10; i++) writeFileSync(join(ws.dir, `new${i}.txt`), `new ${n}\n`);
    for (let i = 0; i < 5; i++) rmSync(join(ws.dir, "src", `d${50 + i}`, `f${(50 + i) * 100 + 1}.txt`));
  }
  const t0 = performance.now();
  const out = await commitChanges(ws, { branch: `bench/${n}`, identity: { name: "bench", email: "bench@example.invalid" }, message: "bench" });
  const ms = performance.now() - t0;
  if (change !== out.changedFiles.length > 0) throw new Error(`unexpected outcome: ${JSON.stringify(out.changedFiles.length)}`);
  await removeWorkspace(ws);
  return ms;
}

const dir = repo();
try {
  const none: number[] = [];
  const some: number[] = [];
  await once(dir, -1, true); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    none.push(await once(dir, r * 2, false));
    some.push(await once(dir, r * 2 + 1, true));
  }
  console.log(`commit step, ${FILES} files, median of ${ROUNDS}: nothing changed ${median(none).toFixed(0)} ms; 35 paths changed ${median(some).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
