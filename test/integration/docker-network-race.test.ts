/**
 * Several runner processes make gitcrew's network at the same moment (two
 * `gitcrew serve` instances, or self-hosted runners on one host, each with
 * its first run). They must all end up on one network of that name: on
 * Docker 20.10 two concurrent creates both succeed, and a name with two
 * networks behind it fails every later lookup ("ambiguous"), so no run
 * could start until someone removed one by hand. Real Docker engine, real
 * processes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";

const ROOT = join(__dirname, "..", "..");
const docker = new Docker();

/** One runner process: connects, waits for "go" on stdin, makes the network, prints its id. */
const MAKER = `
import { connectDocker } from "${join(ROOT, "src", "runner", "engine.ts")}";
import { ensureNetwork } from "${join(ROOT, "src", "runner", "docker-network.ts")}";
const docker = await connectDocker(process.env);
await docker.ping();
console.log("ready");
await new Promise((r) => process.stdin.once("data", r));
const [name, internal] = process.argv.slice(2);
const info = await ensureNetwork(docker, name, { internal: internal === "1", labels: { "gitcrew.test": "race" } });
console.log(JSON.stringify({ id: info.Id }));
process.exit(0);
`;

interface Maker {
  ready: Promise<void>;
  done: Promise<{ code: number | null; out: string; err: string }>;
  go(): void;
}

function maker(script: string, name: string, internal: boolean): Maker {
  const child = spawn(process.execPath, ["--import", "tsx", script, name, internal ? "1" : "0"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let onReady: () => void = () => {};
  let onExit: (why: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onExit = reject;
  });
  child.stdout.on("data", (d: Buffer) => {
    out += String(d);
    if (out.includes("ready")) onReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += String(d)));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on("close", (code) => {
      onExit(new Error(`the maker exited before it was ready (${code}): ${err}`));
      resolve({ code, out, err });
    }),
  );
  return { ready, done, go: () => child.stdin.write("go\n") };
}

async function networksNamed(name: string): Promise<string[]> {
  return (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name).map((n) => n.Id);
}

describe("runner processes racing to make gitcrew's network all use one (real Docker engine)", () => {
  let dir: string;
  let script: string;
  const names: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    dir = mkdtempSync(join(tmpdir(), "gitcrew-netrace-"));
    script = join(dir, "maker.mts");
    writeFileSync(script, MAKER);
  });

  afterAll(async () => {
    for (const name of names) for (const id of await networksNamed(name)) await docker.getNetwork(id).remove().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const internal of [true, false]) {
    it(`four processes, one ${internal ? "internal (gateway)" : "egress"} network, the same id for each`, async () => {
      const name = `gitcrew-race-${process.pid}-${internal ? "gw" : "eg"}`;
      names.push(name);
      const makers = Array.from({ length: 4 }, () => maker(script, name, internal));
      await Promise.all(makers.map((m) => m.ready));
      for (const m of makers) m.go();
      const results = await Promise.all(makers.map((m) => m.done));
      for (const r of results) expect(r.err, r.out).not.toMatch(/ambiguous|Error/);
      const ids = results.map((r) => (JSON.parse(r.out.split("\n").find((l) => l.startsWith("{")) ?? "{}") as { id?: string }).id);
      const left = await networksNamed(name);
      expect(left).toHaveLength(1);
      expect(ids).toEqual([left[0], left[0], left[0], left[0]]);
      const info = (await docker.getNetwork(name).inspect()) as { Internal: boolean; Options: Record<string, string>; Labels: Record<string, string> };
      expect(info.Internal).toBe(internal);
      expect(info.Options["com.docker.network.bridge.enable_icc"]).toBe("false");
      expect(info.Labels["gitcrew.test"]).toBe("race");
    }, 120_000);
  }
});
