/** Connection to the Docker engine: DOCKER_HOST or the default socket, checked quickly. */
import Docker from "dockerode";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { engineProblem, tooOld, type EngineFacts } from "./engine-errors.js";

const PING_TIMEOUT_MS = 5000;
const DEFAULT_SOCKET = "/var/run/docker.sock";

/** A dockerode client whose engine answered a ping; an EnvironmentError otherwise (never a hang). */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<Docker> {
  const where = env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
  let docker: Docker;
  try {
    docker = new Docker(dockerOptions(env));
  } catch (err) {
    throw new EnvironmentError(`cannot use DOCKER_HOST="${where}": ${errorMessage(err)}`, "set DOCKER_HOST to unix:///path/to/docker.sock or tcp://host:port");
  }
  let timer: NodeJS.Timeout | undefined;
  // Aborted at the deadline: a socket that accepts and never answers must not keep the process alive.
  const abort = new AbortController();
  const giveUp = () => abort.abort();
  signal?.addEventListener("abort", giveUp, { once: true });
  try {
    await Promise.race([
      // dockerode takes the signal (docker-modem's `abortSignal`); its types only know ping().
      (docker.ping as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal: abort.signal }),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000}s`));
        }, PING_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    throw engineProblem(err, facts(env, where));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", giveUp);
  }
  // An engine older than gitcrew is tested with answers the ping but fails later, on some request, obscurely.
  // Bounded like the ping: an engine that answers the ping and nothing else must still fail later, at its deadline.
  const version = await versionWithin(docker, PING_TIMEOUT_MS, signal);
  const old = version ? tooOld(version.ApiVersion, where, version.Version) : undefined;
  if (old) throw old;
  return docker;
}

async function versionWithin(docker: Docker, ms: number, signal?: AbortSignal): Promise<Docker.DockerVersion | undefined> {
  const abort = new AbortController();
  const giveUp = () => abort.abort();
  signal?.addEventListener("abort", giveUp, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      (docker.version as unknown as (opts: { abortSignal: AbortSignal }) => Promise<Docker.DockerVersion>).call(docker, { abortSignal: abort.signal }).catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          abort.abort();
          resolve(undefined);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", giveUp);
  }
}

function facts(env: NodeJS.ProcessEnv, where: string): EngineFacts {
  return { where, explicit: env.DOCKER_HOST !== undefined, socket: where.startsWith("unix://") ? where.slice("unix://".length) : undefined, path: env.PATH ?? "" };
}

function dockerOptions(env: NodeJS.ProcessEnv): Docker.DockerOptions | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return undefined;
  if (host.startsWith("unix://")) return { socketPath: host.slice("unix://".length) };
  const url = new URL(host.replace(/^tcp:/, "http:"));
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${url.protocol}// is not supported (unix://, tcp:// or https:// are); for a remote engine over ssh, forward its socket (ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST) and use unix:///tmp/docker.sock`);
  }
  return { host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === "https:" ? "https" : "http" };
}
