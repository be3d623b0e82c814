/**
 * `gitcrew images build` shows what it does: each step, each layer of a
 * docker build, the time spent. Plain lines with the elapsed time in CI (no
 * terminal), a live line redrawn in place on a terminal. The layers come
 * from a real `docker build` on the shared engine (a tiny image on top of
 * gitcrew/command, removed afterwards).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exec as build } from "../../src/runner/images/docker-cli.js";
import { BuildProgress } from "../../src/runner/images/progress.js";
import { requireDockerAndImage } from "../support/runner-harness.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");
const TAG = `gitcrew-test/progress:${process.pid}`;

afterAll(async () => {
  await run("docker", ["image", "rm", "-f", TAG]).catch(() => undefined);
  // Each build re-tags TAG, so the earlier build's image is left untagged (350 MB per run).
  await run("docker", ["image", "prune", "-f", "--filter", "label=gitcrew.test=progress"]).catch(() => undefined);
});

/** A fake clock that moves 250 ms per reading. */
function ticking(): () => number {
  let t = 0;
  return () => (t += 250);
}

async function buildTiny(progress: BuildProgress): Promise<void> {
  const ctx = mkdtempSync(join(tmpdir(), "gitcrew-progress-"));
  try {
    writeFileSync(join(ctx, "Dockerfile"), `FROM gitcrew/command:latest\nRUN echo layer-two-ran-${Date.now()}\nLABEL gitcrew.test=progress\n`);
    progress.log(`docker build ${TAG}`);
    await build("docker", ["build", "--no-cache", "-t", TAG, ctx], { log: progress.log });
    progress.end(true);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

describe("images build progress", () => {
  it("in CI: plain lines, each with the elapsed time; the step, every layer, the total", async () => {
    await requireDockerAndImage();
    let out = "";
    await buildTiny(new BuildProgress({ write: (t) => (out += t), tty: false, now: ticking() }));
    const lines = out.trimEnd().split("\n");
    expect(out).not.toContain("\r");
    expect(out).not.toContain("\x1b[");
    for (const l of lines) expect(l).toMatch(/^\[ *\d+\.\ds\] /);
    expect(lines[0]).toMatch(new RegExp(`^\\[ *\\d+\\.\\ds\\] docker build ${TAG.replace(/[/:.]/g, "\\$&")}$`));
    // The three layers, whatever the builder (classic "Step 1/3 :", BuildKit "#5 [1/2]").
    expect(lines.filter((l) => /Step [123]\/3 : |#\d+ \[.*\d\/\d\]/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(out).toContain("layer-two-ran-");
    expect(lines.at(-1)).toMatch(/^\[ *\d+\.\ds\] done in \d+\.\ds$/);
  }, 120_000);

  it("on a terminal: one live line per step redrawn in place with its time, finished steps and layers kept", async () => {
    await requireDockerAndImage();
    let out = "";
    await buildTiny(new BuildProgress({ write: (t) => (out += t), tty: true, columns: 100, now: ticking() }));
    expect(out).toMatch(new RegExp(`\\r\\x1b\\[K▸ docker build ${TAG.replace(/[/:.]/g, "\\$&")} · \\d+\\.\\ds`));
    expect(out).toMatch(/\r\x1b\[K {2}(Step 2\/3 : RUN echo layer-two-ran-|#\d+ \[2\/2\] RUN echo layer-two-ran-)/);
    expect(out).toMatch(new RegExp(`\\r\\x1b\\[K✓ docker build ${TAG.replace(/[/:.]/g, "\\$&")} \\(\\d+\\.\\ds\\)\\n`));
    expect(out).toMatch(/\r\x1b\[Kdone in \d+\.\ds\n$/);
    // No drawn line is wider than the terminal.
    for (const frame of out.split(/\r\x1b\[K/)) expect(frame.replace(/\n$/, "").length).toBeLessThan(100);
  }, 120_000);

  it("gitcrew images build without a terminal prints its steps as plain lines with the time (images present: reused)", async () => {
    await requireDockerAndImage();
    const child = spawn(process.execPath, [BIN, "images", "build", "command", "--offline"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code, stderr).toBe(0);
    expect(stdout).toBe("gitcrew/command:latest\tok\n");
    expect(stderr).toMatch(/^\[ *\d+\.\ds\] gitcrew\/base:latest: present$/m);
    expect(stderr).toMatch(/^\[ *\d+\.\ds\] gitcrew\/command:latest: present$/m);
    expect(stderr).toMatch(/^\[ *\d+\.\ds\] done in \d+\.\ds$/m);
    expect(stderr).not.toContain("\x1b[");
  }, 120_000);

  it("gitcrew images check builds nothing and says which images are current", async () => {
    await requireDockerAndImage();
    const { stdout } = await run(process.execPath, [BIN, "images", "check", "command"]);
    expect(stdout).toBe("gitcrew/command:latest\tok\n");
  });
});
