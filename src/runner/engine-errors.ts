/**
 * What is wrong with the Docker engine, told apart so that the message says
 * what to do: not installed, not running, the socket refused to this user,
 * too old, or not answering.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentError, errorMessage } from "../util/errors.js";

/** The oldest Engine API gitcrew is tested against (Docker 20.10, Debian 12's docker.io). */
export const MIN_API_VERSION = "1.41";

export type EngineProblemCode = "docker_not_installed" | "docker_not_running" | "docker_permission_denied" | "docker_too_old" | "docker_not_answering";

export class DockerEngineError extends EnvironmentError {
  constructor(
    readonly code: EngineProblemCode,
    message: string,
    hint: string,
  ) {
    super(message, hint);
  }
}

export interface EngineFacts {
  /** DOCKER_HOST, or the default socket as a URL. */
  where: string;
  /** DOCKER_HOST was set: the user chose this engine. */
  explicit: boolean;
  /** The socket's path for unix:// engines. */
  socket?: string;
  /** PATH, to look for dockerd. */
  path: string;
}

const START = "start it (`sudo systemctl start docker`, or `sudo dockerd &`; on Debian as root `./scripts/setup.sh` in a gitcrew checkout does it), or point DOCKER_HOST at a running engine";

function onPath(bin: string, path: string): boolean {
  return path.split(":").some((dir) => dir && existsSync(join(dir, bin)));
}

export function engineProblem(err: unknown, f: EngineFacts): DockerEngineError {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") {
    return new DockerEngineError(
      "docker_permission_denied",
      `permission denied on the Docker socket ${f.socket ?? f.where} (the engine runs, but this user may not use it)`,
      "add this user to the docker group (`sudo usermod -aG docker $USER`, then log in again) or run as root",
    );
  }
  if (code === "ENOENT" || code === "ECONNREFUSED") {
    if (!f.explicit && !onPath("dockerd", f.path) && !onPath("docker", f.path)) {
      return new DockerEngineError(
        "docker_not_installed",
        `no Docker engine is installed here (no socket at ${f.socket ?? f.where}, no dockerd on PATH)`,
        "install Docker (Debian: `sudo apt-get install docker.io`; as root `./scripts/setup.sh` in a gitcrew checkout does it), or point DOCKER_HOST at an engine",
      );
    }
    const why = code === "ENOENT" ? `no socket at ${f.socket ?? f.where}` : "connection refused";
    return new DockerEngineError("docker_not_running", `the Docker engine at ${f.where} is not running (${why})`, START);
  }
  return new DockerEngineError("docker_not_answering", `the Docker engine at ${f.where} is not reachable (${errorMessage(err)})`, START);
}

/** Compares Engine API versions ("1.41"). */
function older(version: string, than: string): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  const [c = 0, d = 0] = than.split(".").map(Number);
  return a < c || (a === c && b < d);
}

export function tooOld(apiVersion: string | undefined, where: string, engineVersion?: string): DockerEngineError | undefined {
  if (!apiVersion || !older(apiVersion, MIN_API_VERSION)) return undefined;
  return new DockerEngineError(
    "docker_too_old",
    `the Docker engine at ${where} is too old: it speaks Engine API ${apiVersion}${engineVersion ? ` (Docker ${engineVersion})` : ""}, gitcrew needs ${MIN_API_VERSION} (Docker 20.10) or newer`,
    "upgrade the Docker engine (Debian 12 and later ship a recent enough docker.io), or point DOCKER_HOST at a newer one",
  );
}
