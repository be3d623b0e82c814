/**
 * The hardened container on the real Docker engine: the limits and the
 * hardening really applied (docker inspect while it runs), and seen from
 * inside (read-only /, non-root, no capabilities, no network); the hard
 * timeout; secrets masked in the log, the answer, the run record and
 * `gitcrew logs`.
 */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/crew/types.js";
import { Runner } from "../../src/runner/runner.js";
import { cli } from "../support/crew-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { containersWithLabel, inspect, loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const SECRET = "s3cr3t-VALUE-4f9a1c";

// Everything the container can tell about itself, one `key=value` per line.
const PROBE = [
  "touch /rootfs-write 2>/dev/null; echo rootwrite=$?",
  "touch /usr/local/bin/x 2>/dev/null; echo usrwrite=$?",
  "echo uid=$(id -u)",
  "echo capeff=$(grep CapEff /proc/self/status | tr -s ' \\t' ' ' | cut -d' ' -f2)",
  "echo nnp=$(grep NoNewPrivs /proc/self/status | tr -s ' \\t' ' ' | cut -d' ' -f2)",
  "touch /tmp/ok && echo tmpwrite=$?",
  "touch $HOME/ok && echo homewrite=$?",
  "touch /workspace/probe.txt && echo wswrite=$?",
  "echo ifaces=$(ls /sys/class/net | tr '\\n' ',')",
  "test -S /var/run/docker.sock; echo dockersock=$?",
  "sleep 2",
].join("; ");

describe("runner isolation on the real Docker engine", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([
      shAgent("probe", PROBE, "limits:\n  timeout: 60s\n  memory: 256m\n  cpus: 0.5\n  pids: 64\n  network: none\n"),
      shAgent("sleeper", "echo going to sleep; sleep 60; echo woke", "limits:\n  timeout: 3s\n"),
      shAgent(
        "leaky",
        'echo "the secret is $DEPLOY_TOKEN"; echo "stderr $DEPLOY_TOKEN" >&2; gitcrew-status "using $DEPLOY_TOKEN"; gitcrew-return "answer $DEPLOY_TOKEN"',
        "secrets: [DEPLOY_TOKEN]\n",
      ),
    ]);
    for (const name of ["probe", "sleeper", "leaky"]) agents[name] = (await loadAgent(repo, name)).agent;
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, DEPLOY_TOKEN: SECRET } });
  });

  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("applies the limits and the hardening, visible to docker inspect and from inside", async () => {
    let inspected: Promise<Record<string, any>> | undefined;
    const { result, logs } = await runOnce(runner, repo, agents.probe!, "probe yourself", {
      onStarted: (id) => {
        inspected = inspect(id);
      },
    });
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(inspected, "the runner reported no started container").toBeDefined();
    const c = await inspected!;
    const h = c.HostConfig;
    expect(h.Memory).toBe(256 * 1024 * 1024);
    expect(h.MemorySwap).toBe(256 * 1024 * 1024);
    expect(h.NanoCpus).toBe(500_000_000);
    expect(h.PidsLimit).toBe(64);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.Privileged).toBe(false);
    expect(h.CapDrop).toContain("ALL");
    expect(h.CapAdd ?? []).toEqual([]);
    expect(h.SecurityOpt).toContain("no-new-privileges");
    // A runner that prepares no holders (`gitcrew run`, the Action) gives the run its own network
    // (holders in serve: test/security/prepared-network-reuse.test.ts).
    expect(h.NetworkMode).toBe("none");
    expect(Object.keys(h.Tmpfs ?? {}).sort()).toEqual(["/home/agent", "/tmp"]);
    expect(c.Config.User).toBe("1000:1000");
    // Writable binds: the workspace, the channel folder and the container's own git folder; the
    // repository's objects read-only (container-git.ts); no Docker socket anywhere.
    const mounts = (c.Mounts as { Source: string; Destination: string; RW: boolean }[]) ?? [];
    expect(mounts.map((m) => m.Destination).sort()).toEqual(["/gitcrew", "/gitcrew-git", "/gitcrew-objects", "/workspace"]);
    expect(mounts.find((m) => m.Destination === "/gitcrew-objects")?.RW).toBe(false);
    for (const m of mounts) expect(m.Source).not.toMatch(/docker\.sock/);
    expect((h.Binds as string[]).join(" ")).not.toMatch(/docker\.sock/);
    const labels = c.Config.Labels as Record<string, string>;
    expect(labels["gitcrew.run"]).toBe(result.run);
    expect(labels["gitcrew.agent"]).toBe("probe");
    expect(labels["gitcrew.repo"]).toBe("local/runner-e2e");
    expect(labels["gitcrew.owner"]).toBe(runner.identity.id);

    // Seen from inside.
    const seen = Object.fromEntries(logs.filter((l) => l.includes("=")).map((l) => l.split("=", 2) as [string, string]));
    expect(seen.rootwrite).toBe("1");
    expect(seen.usrwrite).toBe("1");
    expect(seen.uid).toBe("1000");
    expect(seen.capeff).toBe("0000000000000000");
    expect(seen.nnp).toBe("1");
    expect(seen.tmpwrite).toBe("0");
    expect(seen.homewrite).toBe("0");
    expect(seen.wswrite).toBe("0");
    expect(seen.ifaces).toBe("lo,");
    expect(seen.dockersock).toBe("1");
    // The container is gone after the run.
    expect(await containersWithLabel("gitcrew.run", result.run)).toEqual([]);
    expect(result.changedFiles).toEqual(["probe.txt"]);
  }, 90_000);

  it("kills the container at the hard timeout: exit code 124, status timed_out", async () => {
    const t0 = Date.now();
    const { result, logs } = await runOnce(runner, repo, agents.sleeper!, "sleep");
    const took = Date.now() - t0;
    expect(result.status).toBe("timed_out");
    expect(result.exitCode).toBe(124);
    expect(result.reason).toMatch(/timed out after 3s/);
    expect(logs).toContain("going to sleep");
    expect(logs).not.toContain("woke");
    expect(took).toBeLessThan(20_000);
    const rec = runner.records.get(result.run);
    expect(rec?.status).toBe("timed_out");
    expect(rec?.result?.exitCode).toBe(124);
    expect(await containersWithLabel("gitcrew.run", result.run)).toEqual([]);
  }, 60_000);

  it("masks a secret the agent prints in the log, the events, the answer, the record and gitcrew logs", async () => {
    const { result, events, logs } = await runOnce(runner, repo, agents.leaky!, "leak it");
    expect(result.status, result.reason).toBe("succeeded");
    expect(logs).toContain("the secret is ***");
    expect(logs).toContain("stderr ***");
    expect(events).toContainEqual({ type: "status", text: "using ***" });
    expect(result.answer).toBe("answer ***");
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const recordText = readFileSync(`${runner.records.dir(result.run)}/run.json`, "utf8");
    expect(recordText).toContain("answer ***");
    expect(recordText).not.toContain(SECRET);
    const logText = readFileSync(runner.records.logFile(result.run), "utf8");
    expect(logText).toContain("the secret is ***");
    expect(logText).not.toContain(SECRET);
    const shown = await cli(["logs", result.run], { env: { GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" } });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("the secret is ***");
    expect(shown.stdout).not.toContain(SECRET);
  }, 60_000);
});
