// Time to first sign of life in `gitcrew serve` (issue 21): from the signed webhook sent to the
// webhook answered, 👀, the tracking comment, the agent's container started and its first output
// line, for a `command` agent, with real `gitcrew serve` processes, the GitHub double and real
// containers; the floors `docker run --rm IMAGE true` and a bare `docker run` of the same image to
// its first line, interleaved in the same run. Each checkout given is one target (before/after: a
// `git worktree add` of the older commit with node_modules and `npm run build`), triggered in turn.
// Run: node bench/first-sign.mjs [--rounds=30] [--before=/tmp/gc-before] [--after=.]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { machine, median, percentile, writeSection } from "./results.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "30"));
const IMAGE = "gitcrew/command:latest";
const root = join(import.meta.dirname, "..");
const after = resolve(arg("after", root));
const before = arg("before", undefined);
const targets = [...(before ? [["before", resolve(before)]] : []), ["after", after]];
const rev = (dir) => execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"]).toString().trim();

if (spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status !== 0) {
  console.error(`first-sign: ${IMAGE} is missing (or the engine is down): scripts/ci/build-images.sh`);
  process.exit(1);
}

const out = join(root, "node_modules", ".cache", "gitcrew-bench", "first-sign-bench.mjs");
mkdirSync(join(out, ".."), { recursive: true });
await build({
  entryPoints: [join(import.meta.dirname, "first-sign-bench.ts")],
  outfile: out,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  banner: { js: 'import { createRequire as __cr } from "node:module";\nconst require = __cr(import.meta.url);' },
  logLevel: "warning",
});
const r = spawnSync(process.execPath, [out, String(ROUNDS), IMAGE, ...targets.map(([, dir]) => dir)], { cwd: root, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
if (r.status !== 0) process.exit(r.status ?? 1);
const { results, floors } = JSON.parse(r.stdout.toString());

const bare = median(floors.firstLine);
const cell = (xs) => `${median(xs).toFixed(0)} / ${percentile(xs, 95).toFixed(0)} | ${(median(xs) / bare).toFixed(2)}`;
const PHASES = [
  ["answered", "webhook answered 202"],
  ["eyes", "👀 reaction"],
  ["tracking", "tracking comment"],
  ["started", "container started (engine's start event)"],
  ["firstLine", "first output line (the container's own clock)"],
];
const head = `| phase | ${targets.map(([name, dir]) => `${name} (\`${rev(dir)}\`) median / p95 ms | × bare`).join(" | ")} |`;
const rule = `|---|${targets.map(() => "---|---|").join("")}`;
const rows = PHASES.map(([key, label]) => `| ${label} | ${targets.map(([, dir]) => cell(results[dir].map((x) => x[key]))).join(" | ")} |`);
const floorRow = (label, xs) => `| ${label} | ${targets.map(() => cell(xs)).join(" | ")} |`;
const md = `## Time to first sign of life in gitcrew serve

Command: \`node bench/first-sign.mjs --before=/tmp/gc-before\` (the older commit checked out with \`git worktree add /tmp/gc-before COMMIT\`, \`node_modules\` linked, \`npm run build\`) · ${new Date().toISOString().slice(0, 10)} · ${machine()} · Docker ${execFileSync("docker", ["version", "--format", "{{.Server.Version}}"]).toString().trim()} · ${ROUNDS} sequential triggers per target after one warm-up, targets and floors in turn within each round · load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (the machine is shared with other work)

A real \`gitcrew serve\` per target (SQLite store, default 1 s idle poll), its own GitHub double, a \`command\` agent in ${IMAGE} running \`sh -c "date +%s%N; echo done"\` (network none). Times from the moment the signed \`issue_comment\` webhook is sent: its 202; the double answering the 👀 reaction and the first comment (the tracking comment); the engine's \`start\` event of the run's container; the first line the container prints (its own clock). The floors run the same image with \`--network none\`: \`docker run --rm IMAGE true\` (whole command), and a bare \`docker run\` to the first line. "× bare" is the ratio of medians to the bare \`docker run\` to its first line.

${head}
${rule}
${rows.join("\n")}
${floorRow(`floor: \`docker run --rm ${IMAGE} true\``, floors.true)}
${floorRow("floor: bare `docker run` to its first line", floors.firstLine)}

Targets (issue 21): 👀 within 50 ms and the tracking comment within 100 ms; the first output line within 1.1× the bare \`docker run\`. Not measured in this section: a Claude Code agent, action-llama beside it, the variant with 150 ms added to every GitHub request, PostgreSQL and two instances (the tests in test/integration/server-wake.test.ts and server-early-signs.test.ts cover their behaviour, not their timing).`;
writeSection("first-sign", md);
console.log(md);
