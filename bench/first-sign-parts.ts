// Parts shared by the first-sign drivers (serve: first-sign-bench.ts; the Action:
// action-first-sign-bench.ts): one clock, the scripted model, the engine's container starts,
// and the floors measured beside every round.
import { spawn, spawnSync } from "node:child_process";
import { startFakeAnthropic, type FakeAnthropic } from "../test/support/fake-anthropic/server.js";

export const CLAUDE_IMAGE = "gitcrew/claude:latest";
export const MODEL_KEY = "sk-ant-bench-not-a-real-key";
/** What the scripted model answers every agent turn. */
export const ANSWER = "All done here.";
/** Epoch ms, sub-millisecond: the clock every milestone is read on. */
export const now = () => performance.timeOrigin + performance.now();

export interface ScriptedModel {
  fake: FakeAnthropic;
  /** When each message request came (epoch ms). */
  asked: number[];
}

/** A scripted Messages API that answers every agent turn with ANSWER, and the times of its message requests. */
export async function scriptedModel(host?: string): Promise<ScriptedModel> {
  const fake = await startFakeAnthropic({ ...(host ? { host } : {}), script: Array.from({ length: 2000 }, () => ({ text: ANSWER })) });
  const asked: number[] = [];
  const push = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...entries) => {
    for (const e of entries) if (e.method === "POST" && e.url.startsWith("/v1/messages")) asked.push(now());
    return push(...entries);
  };
  return { fake, asked };
}

/** Container start times (epoch ms) by the gitcrew.run label, from `docker events`, until `stop()`. */
export function watchContainerStarts(): { starts: Map<string, number>; stop(): void } {
  const starts = new Map<string, number>();
  const events = spawn("docker", ["events", "--filter", "type=container", "--filter", "event=start", "--format", '{{.TimeNano}} {{index .Actor.Attributes "gitcrew.run"}}']);
  let buf = "";
  events.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const line of lines) {
      const [ns, run] = line.trim().split(" ");
      if (ns && run) starts.set(run, Number(BigInt(ns) / 1000n) / 1000);
    }
  });
  return { starts, stop: () => events.kill() };
}

/** Wall time of `docker run --rm --network none IMAGE true`. */
export function floorTrue(img: string): number {
  const t0 = now();
  const r = spawnSync("docker", ["run", "--rm", "--network", "none", img, "true"]);
  if (r.status !== 0) throw new Error(`docker run ${img} true: ${r.stderr.toString()}`);
  return now() - t0;
}

/** A bare `docker run` to its first line: the container's own clock in that line, from the moment it was spawned. */
export function floorFirstLine(img: string): number {
  const t0 = now();
  const r = spawnSync("docker", ["run", "--rm", "--network", "none", img, "sh", "-c", "date +%s%N; echo done"]);
  if (r.status !== 0) throw new Error(`docker run ${img}: ${r.stderr.toString()}`);
  return Number(BigInt(r.stdout.toString().trim().split("\n")[0] ?? "0") / 1000n) / 1000 - t0;
}

/** A bare `docker run` of Claude Code (`claude -p`, as the runtime starts it) to its first request to `model` (reachable on the bridge). */
export async function floorClaude(model: ScriptedModel): Promise<number> {
  const t0 = now();
  const child = spawn("docker", ["run", "--rm", "-i", "--network", "bridge", "-e", `ANTHROPIC_BASE_URL=${model.fake.url}`, "-e", `ANTHROPIC_API_KEY=${MODEL_KEY}`, "-e", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", CLAUDE_IMAGE, "claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions", "--model", "claude-sonnet-4-5"], { stdio: ["pipe", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdin.end("What time is it?\n");
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  const first = model.asked.find((at) => at > t0);
  if (code !== 0 || first === undefined) throw new Error(`docker run ${CLAUDE_IMAGE} claude -p: exit ${code}, ${first === undefined ? "no model request" : ""} ${err.slice(0, 400)}`);
  return first - t0;
}
