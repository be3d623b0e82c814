// The commit step of a run (commitChanges: everything the runner does to the
// agent's worktree after the container exits) on a repo of 10,000 files:
// a run that changed nothing, and one that changed 20, added 10 and deleted 5.
// No Docker. Run: npx vite-node bench/commit-step.ts [--before=DIR]   (BENCH_ROUNDS=N, default 7)
// --before=DIR: also time the commit step of another checkout (`git worktree add DIR COMMIT`,
// its node_modules linked), alternating with this one in every round.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as current from "../src/runner/workspace.js";

type WorkspaceModule = typeof current;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const beforeDir = process.argv.find((a) => a.startsWith("--before="))?.slice("--before=".length);

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

const machine = () => `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function once(ws: WorkspaceModule, dir: string, n: string, change: boolean): Promise<number> {
  const w = await ws.createWorkspace({ repoDir: dir, ref: "main", branch: `bench/${n}`, injectedFiles: { "AGENTS.md": "injected\n" }, mountPoints: [] });
  if (change) {
    for (let i = 0; i < 20; i++) writeFileSync(join(w.dir, "src", `d${i}`, `f${i * 100}.txt`), `changed ${n}\n`);
    for (let i = 0; i < 10; i++) writeFileSync(join(w.dir, `new${i}.txt`), `new ${n}\n`);
    for (let i = 0; i < 5; i++) rmSync(join(w.dir, "src", `d${50 + i}`, `f${(50 + i) * 100 + 1}.txt`));
  }
  const t0 = performance.now();
  const out = await ws.commitChanges(w, { branch: `bench/${n}`, identity: { name: "bench", email: "bench@example.invalid" }, message: "bench" });
  const ms = performance.now() - t0;
  if ((change ? 35 : 0) !== out.changedFiles.length) throw new Error(`unexpected outcome: ${out.changedFiles.length} paths changed`);
  await ws.removeWorkspace(w);
  return ms;
}

const variants: [string, WorkspaceModule][] = [["this checkout", current]];
if (beforeDir) variants.unshift([`--before=${beforeDir}`, (await import(resolve(beforeDir, "src/runner/workspace.ts"))) as WorkspaceModule]);
const loadBefore = loadavg().map((x) => x.toFixed(1)).join(" / ");
const dir = repo();
try {
  const t = variants.map(() => ({ none: [] as number[], some: [] as number[] }));
  for (const [v, [, ws]] of variants.entries()) await once(ws, dir, `warm-${v}`, true);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [v, [, ws]] of variants.entries()) t[v]!.none.push(await once(ws, dir, `${v}-${r}-none`, false));
    for (const [v, [, ws]] of variants.entries()) t[v]!.some.push(await once(ws, dir, `${v}-${r}-some`, true));
  }
  console.log(`commit step, ${FILES} files, median of ${ROUNDS} (alternating) · ${machine()} · load average ${loadBefore} before, ${loadavg().map((x) => x.toFixed(1)).join(" / ")} after`);
  console.log("| code | nothing changed, ms | 35 paths changed, ms |\n|---|---|---|");
  for (const [v, [name]] of variants.entries()) console.log(`| ${name} | ${median(t[v]!.none).toFixed(0)} | ${median(t[v]!.some).toFixed(0)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
