/**
 * The firewall script run through the Docker engine, for a runner that is not
 * root (a user in the docker group): one short-lived container gitcrew starts
 * itself in the host's network namespace with NET_ADMIN, the host's / bound
 * read-only at /host and `chroot` into it, so the host's own iptables runs
 * (the same backend, nft or legacy, and extensions dockerd uses). The image
 * only supplies /bin/sh and chroot; the script is fixed (firewall-script.ts).
 */
import type Docker from "dockerode";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { errorMessage } from "../util/errors.js";
import { FIREWALL_OK, FIREWALL_SCRIPT } from "./firewall-script.js";

/** Images gitcrew builds offline, smallest first; any Debian-based one has sh and chroot. */
const CANDIDATES = ["gitcrew/rootfs:bookworm", "gitcrew/base:latest", "gitcrew/command:latest", "gitcrew/claude:latest", "gitcrew/codex:latest", "gitcrew/gemini:latest"];
const XT_LOCK = "/run/xtables.lock";
// The kernel's TCP table of the host's network namespace is read before chroot: the container's own /proc is always there.
const OUTER = 'exec chroot /host /bin/sh -c "$0" gitcrew-firewall "$@" </proc/net/tcp';

export type EngineOutcome = { ok: true; image: string } | { ok: false; why: string };

let image: Promise<string | undefined> | undefined;

/** The first present image that can supply sh and chroot (GITCREW_FIREWALL_IMAGE alone when set). */
function pickImage(docker: Docker, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const wanted = env.GITCREW_FIREWALL_IMAGE ? [env.GITCREW_FIREWALL_IMAGE] : CANDIDATES;
  image ??= (async () => {
    for (const name of wanted) {
      if (await docker.getImage(name).inspect().then(() => true, () => false)) return name;
    }
    return undefined;
  })();
  const picked = image;
  // None yet: look again next time (the images may be built meanwhile).
  void picked.then((name) => {
    if (!name && image === picked) image = undefined;
  });
  return picked;
}

/** The container's create options: the script and its already validated arguments. */
export function firewallContainer(img: string, argv: string[], network: string): Docker.ContainerCreateOptions {
  return {
    Image: img,
    Entrypoint: ["/bin/sh", "-c", OUTER, FIREWALL_SCRIPT, ...argv],
    Cmd: [],
    User: "0:0",
    Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"],
    Labels: { "gitcrew.firewall": network },
    HostConfig: {
      NetworkMode: "host",
      // Under userns-remap a container in the host's network namespace must also keep the host's users.
      UsernsMode: "host",
      CapDrop: ["ALL"],
      // NET_RAW: the legacy backend's socket; SYS_CHROOT: chroot /host.
      CapAdd: ["NET_ADMIN", "NET_RAW", "SYS_CHROOT"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      // The legacy backend serialises with dockerd through this lock; dockerd has made it by now if it uses that backend.
      Binds: ["/:/host:ro", ...(existsSync(XT_LOCK) ? [`${XT_LOCK}:/host${XT_LOCK}`] : [])],
      // A runner killed mid-way leaves no container behind.
      AutoRemove: true,
      Memory: 64 * 1024 * 1024,
      PidsLimit: 64,
    },
  };
}

/** Runs the script in one container and removes it; never throws. */
export async function runThroughEngine(docker: Docker, env: NodeJS.ProcessEnv, argv: string[], network: string): Promise<EngineOutcome> {
  const img = await pickImage(docker, env);
  if (!img) {
    const which = env.GITCREW_FIREWALL_IMAGE ? `the image ${env.GITCREW_FIREWALL_IMAGE} (GITCREW_FIREWALL_IMAGE) is not present` : `none of gitcrew's images is present (${CANDIDATES.join(", ")})`;
    return { ok: false, why: `${which}, so gitcrew cannot start its firewall container; build them with "gitcrew images build"` };
  }
  let container: Docker.Container | undefined;
  let started = false;
  try {
    container = await docker.createContainer(firewallContainer(img, argv, network));
    // As `docker run --rm`: attached and waited for before the start, since the engine removes it once it exits.
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => {
      stream.once("end", r);
      stream.once("close", r);
    });
    const waited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
    waited.catch(() => undefined);
    await container.start();
    started = true;
    const { StatusCode } = await waited;
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2000).unref())]);
    const out = demux(Buffer.concat(chunks));
    if (StatusCode === 0 && out.includes(FIREWALL_OK)) return { ok: true, image: img };
    return { ok: false, why: `the host's iptables failed in gitcrew's firewall container (exit ${StatusCode}): ${lastLines(out) || "no output"}` };
  } catch (err) {
    return { ok: false, why: started ? `gitcrew's firewall container failed: ${errorMessage(err)}` : await refusal(docker, err) };
  } finally {
    // Gone already when it ran (AutoRemove); this is for one that never started.
    if (!started) await container?.remove({ force: true }).catch(() => undefined);
  }
}

/** Why the engine would not run the container, in the operator's words. */
async function refusal(docker: Docker, err: unknown): Promise<string> {
  const info = (await docker.info().catch(() => undefined)) as { SecurityOptions?: string[] } | undefined;
  const opts = info?.SecurityOptions ?? [];
  const base = `the Docker engine refused gitcrew's firewall container (--network host, NET_ADMIN): ${errorMessage(err).replace(/\s+/g, " ").trim()}`;
  if (opts.some((o) => o.includes("name=rootless"))) return `${base}; the engine is rootless, its "host" network is not the host's`;
  if (opts.some((o) => o.includes("name=userns"))) return `${base}; the engine remaps users (userns-remap) and does not allow --userns=host`;
  return base;
}

/**
 * The same container at process exit, synchronously: a child node process
 * talks to the engine's socket (dockerode is asynchronous) and waits until
 * the container is gone. Best effort; the next start prunes what is left.
 */
export function runThroughEngineSync(docker: Docker, img: string, argv: string[], network: string): void {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: number; protocol?: string };
  // docker-modem's default socket is a function that picks the user's socket, else the system's.
  const userSocket = join(homedir(), ".docker", "run", "docker.sock");
  const socketPath = typeof modem.socketPath === "string" ? modem.socketPath : modem.socketPath ? (existsSync(userSocket) ? userSocket : "/var/run/docker.sock") : undefined;
  const conn = socketPath ? { socketPath } : modem.protocol === "http" && modem.host ? { host: modem.host, port: modem.port } : undefined;
  if (!conn) return;
  const job = JSON.stringify({ conn, create: firewallContainer(img, argv, network) });
  try {
    execFileSync(process.execPath, ["-e", SYNC_CHILD, job], { stdio: "ignore", timeout: 20_000 });
  } catch {
    // the port's ACCEPT stays until the next start prunes it (nothing listens on it)
  }
}

const SYNC_CHILD = `
const http = require("node:http");
const job = JSON.parse(process.argv[1]);
const call = (method, path, body) => new Promise((resolve, reject) => {
  const r = http.request({ ...job.conn, method, path, headers: { "content-type": "application/json" } }, (res) => {
    let data = "";
    res.on("data", (c) => (data += c));
    res.on("end", () => (res.statusCode < 300 ? resolve(data) : reject(new Error(res.statusCode + " " + data))));
  });
  r.on("error", reject);
  r.end(body === undefined ? undefined : JSON.stringify(body));
});
(async () => {
  const id = JSON.parse(await call("POST", "/containers/create", job.create)).Id;
  const waited = call("POST", "/containers/" + id + "/wait?condition=next-exit");
  waited.catch(() => undefined);
  try {
    await call("POST", "/containers/" + id + "/start");
  } catch (err) {
    await call("DELETE", "/containers/" + id + "?force=1").catch(() => undefined);
    throw err;
  }
  await waited;
})().catch(() => process.exit(1));
`;

/** The engine's multiplexed log stream (8-byte frame headers) as text. */
function demux(buf: Buffer): string {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString("utf8");
    i += 8 + len;
  }
  return out || buf.toString("utf8");
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" / ").slice(0, 400);
}
