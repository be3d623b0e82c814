/**
 * A second Docker engine for the test that stops the engine mid-run: its own
 * socket, data root and exec root under /tmp, its own bridge and no iptables,
 * so it never disturbs the shared engine other tests use. (Not `--bridge
 * none`: an engine started that way deletes the host's docker0, the shared
 * engine's bridge.) Each test file that needs one gets its own (privateEngine).
 * The command image is copied over (`docker save | docker load`) and kept with the data
 * root for later runs, until the shared engine's image is rebuilt.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface PrivateEngine {
  socket: string;
  dockerHost: string;
  start(): Promise<void>;
  loadImage(image: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One private engine per `name`, each with its own root, socket and bridge
 * (test files run in parallel: one that stops its engine must not stop another's).
 */
export function privateEngine(name: string, bridge: string, subnet: string): PrivateEngine {
  const root = `/tmp/gitcrew-test-dockerd${name ? `-${name}` : ""}`;
  const socket = join(root, "docker.sock");
  const dockerHost = `unix://${socket}`;
  const pidfile = join(root, "docker.pid");

  async function answers(): Promise<boolean> {
    try {
      await exec("docker", ["info", "--format", "{{.ServerVersion}}"], { env: { ...process.env, DOCKER_HOST: dockerHost }, timeout: 5000 });
      return true;
    } catch {
      return false;
    }
  }

  /** The private engine's bridge, made once; the address range is unlikely to clash. */
  async function ensureBridge(): Promise<void> {
    const known = await exec("ip", ["link", "show", bridge]).then(
      () => true,
      () => false,
    );
    if (known) return;
    await exec("ip", ["link", "add", bridge, "type", "bridge"]);
    await exec("ip", ["addr", "add", subnet, "dev", bridge]);
    await exec("ip", ["link", "set", bridge, "up"]);
  }

  return {
    socket,
    dockerHost,
    /** Start the private engine (unless it answers) and wait for it. */
    async start() {
      if (await answers()) return;
      await ensureBridge();
      mkdirSync(root, { recursive: true });
      const log = openSync(join(root, "dockerd.log"), "a");
      const child = spawn(
        "dockerd",
        [
          "--host", dockerHost,
          "--data-root", join(root, "data"),
          "--exec-root", join(root, "exec"),
          "--pidfile", pidfile,
          "--bridge", bridge,
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
      throw new Error(`the test's private dockerd did not start; see ${join(root, "dockerd.log")}`);
    },
    /** Copy an image from the shared engine when the private one lacks it or holds another build of it. */
    async loadImage(image: string) {
      const id = (env: NodeJS.ProcessEnv) =>
        exec("docker", ["image", "inspect", "--format", "{{.Id}}", image], { env }).then((r) => r.stdout.trim(), () => "");
      const wanted = await id(process.env);
      if (wanted && wanted === (await id({ ...process.env, DOCKER_HOST: dockerHost }))) return;
      await exec("sh", ["-c", `docker save ${image} | DOCKER_HOST=${dockerHost} docker load`], { maxBuffer: 1 << 20, timeout: 300_000 });
    },
    /** Stop the private engine the way `systemctl stop docker` does (SIGTERM), by its pid file, and wait until it is gone. */
    async stop() {
      if (!existsSync(pidfile)) return;
      const pid = Number(readFileSync(pidfile, "utf8").trim());
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
    },
  };
}

/** The engine of the server's engine-stopped test. */
const serverEngine = privateEngine("", "gctest0", "10.213.77.1/24");
export const SOCKET = serverEngine.socket;
export const DOCKER_HOST = serverEngine.dockerHost;
export const startPrivateEngine = (): Promise<void> => serverEngine.start();
export const loadImage = (image: string): Promise<void> => serverEngine.loadImage(image);
export const stopPrivateEngine = (): Promise<void> => serverEngine.stop();
