// The peer @action-llama/action-llama in the first-sign bench (variant `llama`): its real scheduler
// (`al start --headless`, installed by bench/action-llama-setup.mjs) with one agent `dev` on
// `issue_comment` webhooks, its own GitHub double delivering the same signed webhooks as gitcrew's
// targets get, and the same scripted Messages API (on loopback: its agent loop runs in the
// scheduler process on the host; only tools run in its container). Milestones the harness can see,
// each from the clock of the part that saw it: the webhook answered, any reaction or comment it
// posts (the double), its container started (the engine's start event for `al-dev-*`) and its
// first request to the model (the model's clock). A trigger ends when its container is removed, so
// the next one finds the agent idle (scale 1) rather than queued.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDoubleWithRepo } from "../test/support/github-double/index.js";
import { MODEL_KEY, now, scriptedModel } from "./first-sign-parts.js";

// Set by bench/first-sign.mjs from bench/action-llama-setup.mjs (not imported here: this file is
// bundled elsewhere, where that module's paths, taken from its own location, would be wrong).
const AL_PREFIX = process.env.FIRST_SIGN_AL_PREFIX ?? "";
const AL_PKG = join(AL_PREFIX, "node_modules", "@action-llama", "action-llama");
/** The image its agents run in (the offline stand-in, see bench/action-llama-setup.mjs). */
export const LLAMA_IMAGE = process.env.FIRST_SIGN_LLAMA_IMAGE ?? "node:20-alpine";

const SECRET = "bench-secret";
const REPO = "acme/widgets";
const MODEL_ID = "claude-sonnet-4-5";

export interface LlamaTarget {
  key: string;
  trigger(n: number): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** A loopback port free a moment ago (action-llama takes its gateway's port from config or flag, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Start and removal times (epoch ms) of action-llama's agent containers (`al-dev-<run>`), from `docker events`. */
function watchAgentContainers(): { starts: [string, number][]; gone: Set<string>; stop(): void } {
  const starts: [string, number][] = [];
  const gone = new Set<string>();
  const events = spawn("docker", ["events", "--filter", "type=container", "--filter", "event=start", "--filter", "event=destroy", "--format", "{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}}"]);
  let buf = "";
  events.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const line of lines) {
      const [ns, action, name] = line.trim().split(" ");
      if (!ns || !name?.startsWith("al-dev-")) continue;
      if (action === "start") starts.push([name, Number(BigInt(ns) / 1000n) / 1000]);
      if (action === "destroy") gone.add(name);
    }
  });
  return { starts, gone, stop: () => events.kill() };
}

async function until<T>(check: () => T | undefined, what: string, tries = 15_000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`action-llama: gave up waiting for ${what}`);
}

/** The project `al new` would leave, with one agent on @mentions in issue comments and its credentials. */
function writeProject(root: string): { project: string; credentials: string; home: string } {
  const project = join(root, "project");
  const credentials = join(root, "credentials");
  const home = join(root, "home");
  const files: Record<string, string> = {
    [join(project, "config.toml")]: `[models.sonnet]\nprovider = "anthropic"\nmodel = "${MODEL_ID}"\nauthType = "api_key"\n\n[webhooks.github]\ntype = "github"\n`,
    [join(project, "agents", "dev", "SKILL.md")]: "---\nname: dev\ndescription: Answers in the thread\n---\nSay the time.\n",
    [join(project, "agents", "dev", "config.toml")]: `models = ["sonnet"]\ncredentials = ["anthropic_key"]\nwebhooks = [{ source = "github", events = ["issue_comment"], actions = ["created"], repos = ["${REPO}"] }]\n`,
    [join(credentials, "anthropic_key", "default", "token")]: MODEL_KEY,
    [join(credentials, "github_webhook_secret", "default", "secret")]: SECRET,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(home, { recursive: true });
  return { project, credentials, home };
}

export async function startLlama(key: string): Promise<LlamaTarget> {
  if (!AL_PREFIX) throw new Error("action-llama: FIRST_SIGN_AL_PREFIX is not set (run bench/first-sign.mjs)");
  const root = mkdtempSync(join(tmpdir(), "gitcrew-bench-al-first-"));
  const { project, credentials, home } = writeProject(root);
  const model = await scriptedModel();
  const gh = await startDoubleWithRepo(REPO, { "README.md": "# w\n" });
  const seen = new Map<string, number>();
  const push = gh.double.requests.push.bind(gh.double.requests);
  gh.double.requests.push = (...entries) => {
    const at = now();
    for (const e of entries) {
      const k = `${e.method} ${e.path}`;
      if (!seen.has(k)) seen.set(k, at);
    }
    return push(...entries);
  };
  const containers = watchAgentContainers();
  const port = await freePort();
  const proc: ChildProcess = spawn(
    process.execPath,
    // The driver runs in the checkout's root (bench/first-sign.mjs).
    ["--import", join(process.cwd(), "bench", "action-llama-model-url.mjs"), join(AL_PKG, "dist", "cli", "main.js"), "start", "--headless", "-p", project, "--port", String(port)],
    {
      // Only what it needs of the bench's environment (a third-party package: no tokens or keys of the bench's).
      env: {
        PATH: process.env.PATH,
        ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        HOME: home,
        AL_CREDENTIALS_DIR: credentials,
        BENCH_PI_AI: join(AL_PREFIX, "node_modules", "@mariozechner", "pi-ai", "dist", "index.js"),
        BENCH_MODEL_URL: model.fake.url,
        BENCH_MODEL_ID: MODEL_ID,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));

  async function stop(): Promise<void> {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    }
    containers.stop();
    // An agent container of a run cut short, removed by its exact name.
    for (const [name] of containers.starts) if (!containers.gone.has(name)) spawnSync("docker", ["rm", "-f", name], { stdio: "ignore" });
    await gh.close();
    await model.fake.close();
    rmSync(root, { recursive: true, force: true });
  }

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening: http:\/\/localhost:(\d+)(\/webhooks\/github)/.exec(out);
        if (m) resolve(`http://127.0.0.1:${m[1]}${m[2]}`);
      });
      proc.once("exit", (code) => reject(new Error(`al start exited ${code}:\n${out}`)));
    });
  } catch (e) {
    await stop();
    throw e;
  }

  async function trigger(n: number): Promise<Record<string, number>> {
    const { double } = gh;
    const issue = double.addIssue(REPO, { title: `round ${n}`, user: "alice" });
    const { payload, comment } = double.addComment(REPO, issue.number, "alice", "@dev what time is it?");
    seen.clear();
    const sent = now();
    const d = await double.deliver(url, "issue_comment", payload, SECRET, `bench-al-${proc.pid}-${n}`);
    const answered = now();
    if (d.status !== 200 || !/"matched":1/.test(d.responseBody)) throw new Error(`action-llama answered ${d.status}: ${d.responseBody}`);
    const [name, started] = await until(() => containers.starts.find(([, at]) => at > sent), "its container's start");
    const first = await until(() => model.asked.find((at) => at > sent), "its first model request", 30_000);
    // Its run is over when it removes its container; the next webhook then finds the agent idle.
    await until(() => (containers.gone.has(name) ? true : undefined), `the removal of ${name}`, 30_000);
    const from = (at: number | undefined) => (at === undefined ? NaN : at - sent);
    return {
      answered: answered - sent,
      eyes: from(seen.get(`POST /repos/${REPO}/issues/comments/${comment.id}/reactions`)),
      tracking: from(seen.get(`POST /repos/${REPO}/issues/${issue.number}/comments`)),
      started: started - sent,
      firstLine: first - sent,
    };
  }

  return { key, trigger, stop };
}
