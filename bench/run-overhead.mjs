// The overhead of `gitcrew run` (command runtime, trivial agent) over a bare
// `docker run --rm` of the same image doing the same thing, measured
// alternately in one run (ratio of medians); where the runner's time goes
// (from its run records); and worktree creation on a repo of 10,000 files.
// Needs the Docker engine and gitcrew/command:latest (gitcrew images build command --offline).
// Run: node bench/run-overhead.mjs   (BENCH_ROUNDS=N, default 15)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { machine, median, timeProcess, writeSection } from "./results.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BIG_ROUNDS = Math.max(3, Math.round(ROUNDS / 5));
const BIN = join(import.meta.dirname, "..", "bin", "gitcrew.js");
const IMAGE = "gitcrew/command:latest";
const SCRIPT = "echo hi";

function fail(message) {
  console.error(`run-overhead: ${message}`);
  process.exit(1);
}

if (spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status !== 0) {
  fail(`${IMAGE} is missing (or the engine is down): gitcrew images build command --offline`);
}

const git = (dir, ...args) => execFileSync("git", ["-C", dir, "-c", "user.name=b", "-c", "user.email=b@example.invalid", ...args], { stdio: "ignore" });

function repo(files) {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-bench-run-"));
  const put = (p, text) => {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  put(".gitcrew/agents/hello/agent.yaml", `runtime: command\ncommand: ["sh", "-c", ${JSON.stringify(SCRIPT)}]\nlimits:\n  timeout: 2m\n`);
  put(".gitcrew/agents/hello/instructions.md", "Say hi.\n");
  for (let i = 0; i < files; i++) put(`src/d${Math.floor(i / 100)}/f${i}.txt`, `file ${i}\n`);
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "bench");
  return dir;
}

const small = repo(0);
const home = mkdtempSync(join(tmpdir(), "gitcrew-bench-home-"));
const cache = mkdtempSync(join(tmpdir(), "gitcrew-bench-cache-"));
const env = { ...process.env, GITCREW_HOME: home, XDG_CACHE_HOME: cache, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" };
const gitcrewRun = (dir) => [BIN, "run", "hello", "--repo", dir, "--prompt", "say hi", "--json", "--quiet"];
// `--network none` as the agent has (network: none is the default of command agents).
const bare = ["run", "--rm", "--network", "none", IMAGE, "sh", "-c", SCRIPT];
const hardened = ["run", "--rm", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--network", "none", "--user", "1000:1000", "--memory", "4g", "--pids-limit", "512", "--tmpfs", "/tmp", IMAGE, "sh", "-c", SCRIPT];

// Warm up: image in the page cache, CUE result of the crew cached (as on any call after the first).
timeProcess("docker", bare);
timeProcess(process.execPath, gitcrewRun(small), { env });

const t = { bare: [], hardened: [], gitcrew: [], node: [] };
for (let i = 0; i < ROUNDS; i++) {
  t.bare.push(timeProcess("docker", bare));
  t.gitcrew.push(timeProcess(process.execPath, gitcrewRun(small), { env }));
  t.hardened.push(timeProcess("docker", hardened));
  t.node.push(timeProcess(process.execPath, [BIN, "--version"]));
}

/** Runner timings of the runs recorded under `home`, newest `n`. */
function timings(h, n) {
  const root = join(h, "runs");
  const recs = readdirSync(root).map((id) => JSON.parse(readFileSync(join(root, id, "run.json"), "utf8")));
  const ok = recs.filter((r) => r.status === "succeeded" && r.result?.timings).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (ok.length < n) fail(`expected ${n} succeeded runs with timings under ${root}, found ${ok.length}`);
  return ok.slice(0, n).map((r) => r.result.timings);
}
const inner = timings(home, ROUNDS);

// Worktree creation on a repo of 10,000 files, separately.
const big = repo(10_000);
const bigHome = mkdtempSync(join(tmpdir(), "gitcrew-bench-home-"));
const bigEnv = { ...env, GITCREW_HOME: bigHome };
timeProcess(process.execPath, gitcrewRun(big), { env: bigEnv });
const bigWall = [];
for (let i = 0; i < BIG_ROUNDS; i++) bigWall.push(timeProcess(process.execPath, gitcrewRun(big), { env: bigEnv }));
const bigInner = timings(bigHome, BIG_ROUNDS);
// The same with worktrees on a tmpfs (TMPDIR=/dev/shm): what a disk that is slow at creating files costs.
const shmHome = mkdtempSync(join(tmpdir(), "gitcrew-bench-home-"));
const shmEnv = { ...env, GITCREW_HOME: shmHome, TMPDIR: "/dev/shm" };
const shmWall = [];
for (let i = 0; i < BIG_ROUNDS; i++) shmWall.push(timeProcess(process.execPath, gitcrewRun(big), { env: shmEnv }));
const shmInner = timings(shmHome, BIG_ROUNDS);

for (const d of [small, big, home, bigHome, shmHome, cache]) rmSync(d, { recursive: true, force: true });

const m = (xs) => median(xs).toFixed(0);
const mi = (key, xs = inner) => median(xs.map((x) => x[key])).toFixed(0);
const ratio = (xs) => (median(xs) / median(t.bare)).toFixed(2);
const load = loadavg().map((x) => x.toFixed(1)).join(" / ");
const md = `## gitcrew run overhead over docker run

Command: \`node bench/run-overhead.mjs\` (BENCH_ROUNDS=${ROUNDS}) · ${new Date().toISOString().slice(0, 10)} · ${machine()} · Docker ${execFileSync("docker", ["version", "--format", "{{.Server.Version}}"]).toString().trim()} · ${ROUNDS} rounds, alternating · load average at the end ${load} (1/5/15 min; the machine is shared)

The agent is \`runtime: command\` running \`sh -c "${SCRIPT}"\` in ${IMAGE}; the baseline runs the same image and command with \`docker run --rm --network none\` (the agent's network too). Wall time, process start to exit.

| measurement | median ms | × bare \`docker run --rm\` |
|---|---|---|
| \`docker run --rm ${IMAGE} sh -c "${SCRIPT}"\` (baseline) | ${m(t.bare)} | 1.00 |
| same, with gitcrew's hardening flags (read-only, cap-drop ALL, no-new-privileges, user, memory, pids, tmpfs) | ${m(t.hardened)} | ${ratio(t.hardened)} |
| \`gitcrew run hello --json\` (crew load from cache, engine ping, orphan scan, worktree, container, commit check, run record) | ${m(t.gitcrew)} | ${ratio(t.gitcrew)} |
| \`gitcrew --version\` (node start and bundle load alone) | ${m(t.node)} | ${ratio(t.node)} |

Inside the runner (\`result.timings\` of the same ${ROUNDS} runs, medians in ms):

| phase | small repo | 10,000-file repo (${BIG_ROUNDS} runs) | 10,000 files, TMPDIR=/dev/shm (${BIG_ROUNDS} runs) |
|---|---|---|---|
| worktree + injected files (\`workspaceMs\`) | ${mi("workspaceMs")} | ${mi("workspaceMs", bigInner)} | ${mi("workspaceMs", shmInner)} |
| workspace ready → container started (\`createToStartMs\`: create, attach, start) | ${mi("createToStartMs")} | ${mi("createToStartMs", bigInner)} | ${mi("createToStartMs", shmInner)} |
| run planned → container started (\`startedMs\`, worktree included) | ${mi("startedMs")} | ${mi("startedMs", bigInner)} | ${mi("startedMs", shmInner)} |
| container started → exited, output drained (\`containerMs\`; its removal overlaps the commit) | ${mi("containerMs")} | ${mi("containerMs", bigInner)} | ${mi("containerMs", shmInner)} |
| commit check after the run (\`commitMs\`) | ${mi("commitMs")} | ${mi("commitMs", bigInner)} | ${mi("commitMs", shmInner)} |
| container, worktree and channel folder removed (\`cleanupMs\`) | ${mi("cleanupMs")} | ${mi("cleanupMs", bigInner)} | ${mi("cleanupMs", shmInner)} |
| whole \`Runner.run\` (\`totalMs\`) | ${mi("totalMs")} | ${mi("totalMs", bigInner)} | ${mi("totalMs", shmInner)} |
| \`gitcrew run\` wall time | ${m(t.gitcrew)} | ${m(bigWall)} | ${m(shmWall)} |

Outside \`Runner.run\` (node start, loading the CLI with dockerode, crew load from the CUE cache, engine ping and orphan scan (while the crew loads), printing): about ${(median(t.gitcrew) - median(inner.map((x) => x.totalMs))).toFixed(0)} ms of the ${m(t.gitcrew)} ms, of which ${m(t.node)} ms are node and the CLI entry alone.

Targets from the issue: \`gitcrew run\` at most 1.3× the bare \`docker run\`, and under 150 ms from plan to started container excluding worktree creation (the \`createToStartMs\` row).`;
writeSection("run-overhead", md);
console.log(md);
