// Driver of bench/action-first-sign.mjs (bundled by it): the GitHub Action's path to first sign of
// life (issue 21). Per trigger, as a self-hosted runner would: the checkout is made beforehand
// (actions/checkout is its own step), then the step starts `node dist/index.js` on Node 24 with the
// event file and the variables GitHub sets, against the GitHub double, and a real agent container.
// Milestones from the clocks of the parts that saw them (epoch ms on this machine): the Action's
// first output byte, the double's answers (👀, the tracking comment), the engine's start event,
// and the agent's first line (the container's own clock) or its first request to the scripted
// model. Floors interleaved per round: `node -e 0` on the same Node, `docker run --rm IMAGE true`,
// and a bare `docker run` of the same image to its first line (or `claude -p` to its first request).
// Prints JSON: per checkout and variant, every trigger's milestones (ms from the step's start).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerHostAddress } from "../test/support/fake-anthropic/docker-host.js";
import { startDoubleWithRepo, type DoubleRepo } from "../test/support/github-double/index.js";
import { CLAUDE_IMAGE, MODEL_KEY, floorClaude, floorFirstLine, floorTrue, now, scriptedModel, watchContainerStarts, type ScriptedModel } from "./first-sign-parts.js";

const [, , roundsArg, node, variantsArg, ...checkouts] = process.argv;
const ROUNDS = Number(roundsArg);
const VARIANTS = (variantsArg ?? "command").split(",").filter(Boolean);
const COMMAND_IMAGE = "gitcrew/command:latest";
const REPO = "acme/widgets";
const BOT = "github-actions[bot]";
const imageOf = (variant: string) => (variant === "claude" ? CLAUDE_IMAGE : COMMAND_IMAGE);

interface Target {
  key: string;
  checkout: string;
  variant: string;
  gh: DoubleRepo;
  home: string;
  token: string;
  model?: ScriptedModel;
  seen: Map<string, number>;
  /** Run records already read (one new per trigger). */
  runs: Set<string>;
}

async function startTarget(checkout: string, variant: string, host: string): Promise<Target> {
  const agent =
    variant === "claude"
      ? `runtime: claude\nmodel: claude-sonnet-4-5\nsecrets: ["ANTHROPIC_API_KEY"]\ntriggers:\n  mention: true\nlimits:\n  timeout: 4m\n  memory: 2g\n  cpus: 1\n`
      : `runtime: command\nimage: ${COMMAND_IMAGE}\ncommand: ["sh", "-c", "date +%s%N; echo done"]\ntriggers:\n  mention: true\nlimits:\n  network: none\n`;
  const gh = await startDoubleWithRepo(REPO, {
    "README.md": "# w\n",
    ".gitcrew/crew.cue": 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4 }\n',
    ".gitcrew/agents/dev/agent.yaml": agent,
    ".gitcrew/agents/dev/instructions.md": "Say the time.\n",
  });
  gh.double.setPermission(REPO, "alice", "write");
  // Variant github150: every GitHub request answered 150 ms later, about a round trip to the real service.
  if (variant === "github150") gh.double.setLatency(150);
  const seen = new Map<string, number>();
  const push = gh.double.requests.push.bind(gh.double.requests);
  gh.double.requests.push = (...entries) => {
    const at = now();
    for (const e of entries) if (!seen.has(`${e.method} ${e.path}`)) seen.set(`${e.method} ${e.path}`, at);
    return push(...entries);
  };
  const model = variant === "claude" ? await scriptedModel(host) : undefined;
  return { key: `${checkout} ${variant}`, checkout, variant, gh, home: mkdtempSync(join(tmpdir(), "gitcrew-bench-action-home-")), token: gh.double.token(BOT, "Bot"), seen, runs: new Set(), ...(model ? { model } : {}) };
}

/** Container start times (epoch ms) by the gitcrew.run label, from `docker events`. */
const { starts, stop: stopWatching } = watchContainerStarts();

async function until<T>(check: () => T | undefined, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function trigger(t: Target, n: number): Promise<Record<string, number>> {
  const { double } = t.gh;
  const issue = double.addIssue(REPO, { title: `round ${n}`, user: "alice" });
  const { payload, comment } = double.addComment(REPO, issue.number, "alice", "@dev what time is it?");
  const work = mkdtempSync(join(tmpdir(), "gitcrew-bench-action-"));
  try {
    const workspace = join(work, "ws");
    execFileSync("git", ["clone", "-q", t.gh.bareDir, workspace]);
    const eventPath = join(work, "event.json");
    writeFileSync(eventPath, JSON.stringify(payload));
    for (const f of ["output", "summary.md"]) writeFileSync(join(work, f), "");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: "true",
      CI: "true",
      GITHUB_EVENT_NAME: "issue_comment",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: REPO,
      GITHUB_RUN_ID: String(5000 + n),
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: double.url,
      GITHUB_OUTPUT: join(work, "output"),
      GITHUB_STEP_SUMMARY: join(work, "summary.md"),
      GITCREW_HOME: t.home,
      "INPUT_GITHUB-TOKEN": t.token,
      INPUT_PATH: ".",
      "INPUT_DRY-RUN": "false",
      "INPUT_LOG-LEVEL": "info",
      ...(t.model ? { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: t.model.fake.url } : {}),
    };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    t.seen.clear();
    const before = new Set(starts.keys());
    const stepStart = now();
    // ACTION_CPU_PROF=DIR: a V8 CPU profile of every Action process (bench/cpuprofile-summary.mjs reads them).
    const prof = process.env.ACTION_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.ACTION_CPU_PROF}`] : [];
    // `DIR@KEY=VALUE@…`: the checkout DIR, its Action run with these variables too (e.g. GITCREW_DISK_MOUNT=0).
    const [dir = t.checkout, ...assignments] = t.checkout.split("@");
    for (const a of assignments) env[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
    const child = spawn(node!, [...prof, join(dir, "dist", "index.js")], { env, cwd: workspace, stdio: ["ignore", "pipe", "pipe"] });
    let firstOutput: number | undefined;
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      firstOutput ??= now();
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.once("close", r));
    const ended = now();
    if (code !== 0) throw new Error(`the Action exited ${code}:\n${out.slice(-2000)}`);
    const eyes = t.seen.get(`POST /repos/${REPO}/issues/comments/${comment.id}/reactions`);
    const permission = t.seen.get(`GET /repos/${REPO}/collaborators/alice/permission`);
    const runner = runnerRecord(t);
    const tracking = t.seen.get(`POST /repos/${REPO}/issues/${issue.number}/comments`);
    const started = await until(() => [...starts].find(([run, at]) => !before.has(run) && at > stepStart)?.[1], "the container start", 5000);
    let first: number | undefined;
    if (t.model) first = t.model.asked.find((at) => at > stepStart);
    else
      for (const c of double.comments(REPO, issue.number)) {
        const m = c.user === BOT ? /\b(1\d{18})\b/.exec(c.body) : null;
        if (m?.[1]) first = Number(BigInt(m[1]) / 1000n) / 1000;
      }
    const from = (at: number | undefined) => (at === undefined ? NaN : at - stepStart);
    return {
      output: from(firstOutput),
      eyes: from(eyes),
      permission: from(permission),
      tracking: from(tracking),
      runnerBegins: from(runner?.startedAt),
      worktree: from(runner ? runner.startedAt + runner.workspaceMs : undefined),
      started: from(started),
      firstLine: from(first),
      ended: ended - stepStart,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The runner's own record of this step's run (GITCREW_HOME/runs/ID/run.json): when it began and its timings (ms). */
function runnerRecord(t: Target): { startedAt: number; workspaceMs: number } | undefined {
  const dir = join(t.home, "runs");
  if (!existsSync(dir)) return undefined;
  for (const id of readdirSync(dir)) {
    const file = join(dir, id, "run.json");
    if (t.runs.has(id) || !existsSync(file)) continue;
    t.runs.add(id);
    const r = (JSON.parse(readFileSync(file, "utf8")) as { result?: { startedAt: string; timings?: { workspaceMs: number } } }).result;
    if (r?.timings) return { startedAt: Date.parse(r.startedAt), workspaceMs: r.timings.workspaceMs };
  }
  return undefined;
}

function timed(cmd: string, args: string[]): number {
  const t0 = now();
  const r = spawnSync(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.toString().slice(0, 400)}`);
  return now() - t0;
}

const host = await dockerHostAddress("bridge");
const targets: Target[] = [];
const results: Record<string, Record<string, number>[]> = {};
const images = [...new Set(VARIANTS.map(imageOf))];
const floors: Record<string, { node: number[]; true: number[]; firstLine: number[] }> = Object.fromEntries(images.map((img) => [img, { node: [], true: [], firstLine: [] }]));
let floorModel: ScriptedModel | undefined;
try {
  for (const variant of VARIANTS) for (const c of checkouts) targets.push(await startTarget(c, variant, host));
  if (images.includes(CLAUDE_IMAGE)) floorModel = await scriptedModel(host);
  for (const t of targets) results[t.key] = [];
  for (const t of targets) await trigger(t, 0); // warm-up, not counted
  for (let n = 1; n <= ROUNDS; n++) {
    for (const t of targets) results[t.key]!.push(await trigger(t, n));
    for (const img of images) {
      floors[img]!.node.push(timed(node!, ["-e", "0"]));
      floors[img]!.true.push(floorTrue(img));
      floors[img]!.firstLine.push(img === CLAUDE_IMAGE ? await floorClaude(floorModel!) : floorFirstLine(img));
    }
    process.stderr.write(`round ${n}/${ROUNDS}\n`);
  }
} finally {
  for (const t of targets) {
    await t.gh.close();
    await t.model?.fake.close();
    rmSync(t.home, { recursive: true, force: true });
  }
  await floorModel?.fake.close();
  stopWatching();
}
console.log(JSON.stringify({ results, floors, node: execFileSync(node!, ["--version"]).toString().trim() }));
