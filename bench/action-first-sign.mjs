// Time to first sign of life on the Action's path (issue 21): from the step's start (`node
// dist/index.js` on Node 24 with an issue_comment event, against the GitHub double) to its first
// output, 👀, the tracking comment, the agent's container started and its first line (a `command`
// agent) or first model request (Claude Code, variant claude). The floors run in the same rounds:
// `node -e 0`, `docker run --rm IMAGE true` and a bare `docker run` to the first line / first
// model request. Each checkout given is one target (before/after: a `git worktree add` of the
// other commit, node_modules linked, `npm run build`).
// Run: node bench/action-first-sign.mjs [--rounds=30] [--variants=command,github150,claude] [--targets=NAME:DIR[@KEY=VALUE...],...] [--no-write]
//   ACTION_CPU_PROF=DIR writes a V8 CPU profile of every Action process there.
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { bundleDriver, machine, median, percentile, writeSection } from "./results.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "30"));
const VARIANTS = arg("variants", "command,claude").split(",");
const root = join(import.meta.dirname, "..");
const targets = (arg("targets", undefined)?.split(",") ?? [`main:${root}`]).map((t) => [t.slice(0, t.indexOf(":")), resolve(t.slice(t.indexOf(":") + 1))]);
// A target's directory may carry variables for its Action (`DIR@KEY=VALUE`): the revision is the directory's.
const rev = (dir) => execFileSync("git", ["-C", dir.split("@")[0], "rev-parse", "--short", "HEAD"]).toString().trim();
const IMAGES = { command: "gitcrew/command:latest", github150: "gitcrew/command:latest", claude: "gitcrew/claude:latest" };

for (const v of VARIANTS) {
  if (!IMAGES[v]) {
    console.error(`action-first-sign: unknown variant ${v}; command, github150 or claude`);
    process.exit(2);
  }
  if (spawnSync("docker", ["image", "inspect", IMAGES[v]], { stdio: "ignore" }).status !== 0) {
    console.error(`action-first-sign: ${IMAGES[v]} is missing (or the engine is down): scripts/ci/build-images.sh`);
    process.exit(1);
  }
}
// The Action runs on Node 24, GitHub's runtime; the same package the Node 24 tests use.
const node24 = execFileSync("bash", [join(root, "scripts/ci/node24.sh"), "--install"], { stdio: ["ignore", "pipe", "inherit"] }).toString().trim();

const out = await bundleDriver("action-first-sign-bench");
const r = spawnSync(process.execPath, [out, String(ROUNDS), node24, VARIANTS.join(","), ...targets.map(([, dir]) => dir)], { cwd: root, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
rmSync(out, { force: true });
if (r.status !== 0) process.exit(r.status ?? 1);
const { results, floors, node } = JSON.parse(r.stdout.toString());

const cell = (img) => (xs) => {
  const bare = median(floors[img].firstLine);
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? `${median(ok).toFixed(0)} / ${percentile(ok, 95).toFixed(0)} | ${(median(ok) / bare).toFixed(2)}` : "— | —";
};
const MILESTONES = [
  ["output", "the Action's first output (Node started, bundle loaded)"],
  ["eyes", "👀 reaction (the double's answer)"],
  ["permission", "actor's permission looked up (the double's answer)"],
  ["tracking", "tracking comment posted (the double's answer)"],
  ["runnerBegins", "runner begins (the runner's record)"],
  ["worktree", "worktree ready (the runner's record)"],
  ["started", "container started (the engine's start event)"],
  ["firstLine", "first output line (the container's own clock)"],
  ["ended", "step ended (the Action's exit)"],
];
const PHASES = [
  ["Node start and bundle load: step start → first output", undefined, "output"],
  ["event, crew, GitHub lookups: first output → 👀", "output", "eyes"],
  ["👀 → tracking comment", "eyes", "tracking"],
  ["tracking comment → runner begins (the executor's path to the runner)", "tracking", "runnerBegins"],
  ["runner begins → worktree ready (the container is created meanwhile)", "runnerBegins", "worktree"],
  ["worktree ready → container started (create/start after the worktree)", "worktree", "started"],
  ["container start → first line", "started", "firstLine"],
];
const head = `| | ${targets.map(([name, dir]) => `${name} (\`${rev(dir)}\`) median / p95 ms | × bare`).join(" | ")} |`;
const rule = `|---|${targets.map(() => "---|---|").join("")}`;
const tables = VARIANTS.map((v) => {
  const c = cell(IMAGES[v]);
  const of = (dir) => results[`${dir} ${v}`];
  const label = (k, l) => (v === "claude" && k === "firstLine" ? "first request to the model (the scripted model's clock)" : l);
  const rows = MILESTONES.map(([k, l]) => `| ${label(k, l)} | ${targets.map(([, dir]) => c(of(dir).map((x) => x[k]))).join(" | ")} |`);
  const phases = PHASES.map(([l, a, b]) => `| ${v === "claude" && b === "firstLine" ? "container start → first request to the model (the CLI's start)" : l} | ${targets.map(([, dir]) => c(of(dir).map((x) => x[b] - (a ? x[a] : 0)))).join(" | ")} |`);
  const title = v === "claude" ? "Claude Code agent (gitcrew/claude, through the run gateway to the scripted Messages API)" : v === "github150" ? "`command` agent (network none), every GitHub request answered 150 ms later" : "`command` agent (network none)";
  return `### ${title}\n\n${head}\n${rule}\n| **from the step's start** | |\n${rows.join("\n")}\n| **phases (each trigger's own difference)** | |\n${phases.join("\n")}`;
});
const floorRows = Object.keys(floors)
  .map((img) => {
    const c = cell(img);
    const first = img === IMAGES.claude ? "bare `docker run` of Claude Code (`claude -p`, on the bridge) to its first request to the model" : `bare \`docker run ${img}\` to its first line`;
    return `| \`${node} -e 0\` | ${c(floors[img].node)} |\n| \`docker run --rm ${img} true\` | ${c(floors[img].true)} |\n| ${first} | ${c(floors[img].firstLine)} |`;
  })
  .join("\n");
const md = `## Time to first sign of life on the Action's path

Command: \`node bench/action-first-sign.mjs ${process.argv.slice(2).join(" ")}\` · ${new Date().toISOString().slice(0, 10)} · ${machine()}, the Action on ${node} · Docker ${execFileSync("docker", ["version", "--format", "{{.Server.Version}}"]).toString().trim()} · ${ROUNDS} sequential triggers per target after one warm-up, the floors interleaved in every round · load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" / ")}

Each trigger is one job step as a self-hosted runner runs it: the checkout made beforehand (actions/checkout is its own step), then \`node dist/index.js\` with the \`issue_comment\` event file and GitHub's variables, against the GitHub double, with a real agent container. Times from the step's start, each from the clock of the part that saw it. "× bare" is the ratio of medians to the bare \`docker run\` of the same image to its first line (Claude Code: to its first model request).

${tables.join("\n\n")}

### Floors (interleaved with every round)

| floor | median / p95 ms | × bare |
|---|---|---|
${floorRows}

Target (issue 21): the Action adds almost nothing to a bare \`docker run\` of the same CLI; the step's own start (Node and the bundle) is measured by the first row.`;
if (!process.argv.includes("--no-write")) writeSection("action-first-sign", md);
console.log(md);
