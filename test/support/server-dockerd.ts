/**
 * A second Docker engine for the test that stops the engine mid-run: its own
 * socket, data root and exec root under /tmp, its own bridge and no iptables,
 * so it never disturbs the shared engine other tests use. (Not `--bridge
 * none`: an engine started that way deletes the host's docker0, the shared
 * engine's bridge.) The command
 * image is copied over (`docker save | docker load`) and kept with the data
 * root for later runs, until the shared engine's image is rebuilt.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const ROOT = "/tmp/gitcrew-test-dockerd";
export const SOCKET = join(ROOT, "docker.sock");
export const DOCKER_HOST = `unix://${SOCKET}`;
const PIDFILE = join(ROOT, "docker.pid");

async function answers(): Promise<boolean> {
  try {
    await exec("docker", ["info", "--format", "{{.ServerVersion}}"], { env: { ...process.env, DOCKER_HOST }, timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const BRIDGE = "gctest0";

/** The private engine's bridge, made once; the address range is unlikely to clash. */
async function ensureBridge(): Promise<void> {
  const known = await exec("ip", ["link", "show", BRIDGE]).then(
    () => true,
    () => false,
  );
  if (known) return;
  await exec("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  await exec("ip", ["addr", "add", "10.213.77.1/24", "dev", BRIDGE]);
  await exec("ip", ["link", "set", BRIDGE, "up"]);
}

/** Start the private engine (unless it answers) and wait for it. */
export async function startPrivateEngine(): Promise<void> {
  if (await answers()) return;
  await ensureBridge();
  mkdirSync(ROOT, { recursive: true });
  const log = openSync(join(ROOT, "dockerd.log"), "a");
  const child = spawn(
    "dockerd",
    [
      "--host", DOCKER_HOST,
      "--data-root", join(ROOT, "data"),
      "--exec-root", join(ROOT, "exec"),
      "--pidfile", PIDFILE,
      "--bridge", BRIDGE,
      "--iptables=false",
      "--ip6tables=false",
      "--storage-driver", "vfs",
      "--shutdown-timeout", "1",
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  child.unref();
  for (let i = 0; i < 120; i++) {
    if (await answers()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the test's private dockerd did not start; see ${join(ROOT, "dockerd.log")}`);
}

/** Copy an image from the shared engine when the private one lacks it or holds another build of it. */
export async function loadImage(image: string): Promise<void> {
  const id = (env: NodeJS.ProcessEnv) =>
    exec("docker", ["image", "inspect", "--format", "{{.Id}}", image], { env }).then((r) => r.stdout.trim(), () => "");
  const wanted = await id(process.env);
  if (wanted && wanted === (await id({ ...process.env, DOCKER_HOST }))) return;
  await exec("sh", ["-c", `docker save ${image} | DOCKER_HOST=${DOCKER_HOST} docker load`], { maxBuffer: 1 << 20, timeout: 300_000 });
}

/** Stop the private engine the way `systemctl stop docker` does (SIGTERM), and wait until it is gone. */
export async function stopPrivateEngine(): Promise<void> {
  if (!existsSync(PIDFILE)) return;
  const pid = Number(readFileSync(PIDFILE, "utf8").trim());
  if (!pid) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  // dockerd gives running containers their stop timeout (10 s) before it kills them.
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test's private dockerd (pid ${pid}) did not stop within 40 s`);
}
