/**
 * scripts/setup.sh (what `npm run demo` and `npm test` run first) and
 * scripts/ci/start-docker.sh, on this warm machine: every step skipped; a
 * step that cannot be done stops with one message saying what to do; an
 * engine the script did not start is never stopped, one it started (by its
 * own pid file) is. The shared engine is only looked at, never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", args, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("scripts/setup.sh", () => {
  const started: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const c of started) if (c.pid && alive(c.pid)) c.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("on a machine where everything is done: every step skipped", async () => {
    await requireDockerAndImage();
    const r = await sh(["scripts/setup.sh", "demo"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(["setup: npm dependencies: ok", "setup: Debian packages: ok", "setup: Docker engine: ok", "setup: runtime images: ok"]);
  }, 60_000);

  it("not root and a package missing: one message saying to run it as root or install the packages", async () => {
    // dockerd and debootstrap live in /usr/sbin: without it (on PATH or looked at) they count as not installed.
    const r = await sh(["scripts/setup.sh", "demo"], { uid: 65534, env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp", GITCREW_SETUP_SBIN: "" } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "setup: missing docker.io debootstrap: run this once as root (sudo npm run demo), or install them yourself (sudo apt-get install docker.io debootstrap) and run this again",
    ]);
  }, 60_000);

  it("not root and not allowed on the Docker socket: one message naming the docker group", async () => {
    const r = await sh(["scripts/setup.sh", "demo"], { uid: 65534, env: { HOME: "/tmp", DOCKER_HOST: "" } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "setup: you may not use the Docker socket /var/run/docker.sock: add yourself to the docker group (sudo usermod -aG docker nobody, then log in again) and run this again",
    ]);
  }, 60_000);

  it("start-docker.sh replaces only the engine of its own pid file, never one it did not start", async () => {
    const shared = Number(readFileSync("/var/run/docker.pid", "utf8").trim());
    expect(alive(shared)).toBe(true);
    // A stuck "dockerd" that setup started: a process of that name, named by our pid file.
    const dir = mkdtempSync("/tmp/gitcrew-setup-test-");
    dirs.push(dir);
    copyFileSync("/bin/sleep", join(dir, "dockerd"));
    const fake = spawn(join(dir, "dockerd"), ["300"], { stdio: "ignore" });
    started.push(fake);
    const pidfile = join(dir, "dockerd.pid");
    writeFileSync(pidfile, `${fake.pid}\n`);

    // An engine that does not answer (DOCKER_HOST nowhere) while the shared dockerd runs.
    const r = await sh(["scripts/ci/start-docker.sh"], {
      env: { DOCKER_HOST: `unix://${join(dir, "nowhere.sock")}`, GITCREW_DOCKERD_PIDFILE: pidfile, GITCREW_DOCKERD_WAIT: "1", GITCREW_DOCKERD_LOG: join(dir, "log") },
    });
    expect(r.stdout).toContain(`the dockerd this script started (pid ${fake.pid}) does not answer; restarting it`);
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(fake.pid!)).toBe(false);
    // The shared engine is someone else's: named, left alone, and the script stops there.
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `setup: a dockerd that setup did not start (pid ${shared}, /var/run/docker.pid) is running but does not answer; restart it (systemctl restart docker) or stop it, then run this again`,
    );
    expect(alive(shared)).toBe(true);
  }, 60_000);
});
