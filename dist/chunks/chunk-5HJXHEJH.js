import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  gitcrewHome
} from "./chunk-N5XJEPJ3.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError
} from "./chunk-QEBERIHX.js";

// src/server/client.ts
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
function serverFilePath(env = process.env) {
  return join(gitcrewHome(env), "server.json");
}
function writeServerFile(address, env = process.env) {
  const file = serverFilePath(env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(address, null, 2) + "\n", { mode: 384 });
  return file;
}
function removeServerFile(env = process.env) {
  rmSync(serverFilePath(env), { force: true });
}
function findServer(env = process.env) {
  if (env.GITCREW_SERVER_URL) {
    if (!env.GITCREW_API_TOKEN) throw new EnvironmentError("GITCREW_SERVER_URL is set but GITCREW_API_TOKEN is not", "Set GITCREW_API_TOKEN to the server's --api-token.");
    return { url: env.GITCREW_SERVER_URL, token: env.GITCREW_API_TOKEN };
  }
  try {
    const parsed = JSON.parse(readFileSync(serverFilePath(env), "utf8"));
    return parsed.url && parsed.token ? { url: parsed.url, token: parsed.token } : void 0;
  } catch {
    return void 0;
  }
}
var ServerClient = class {
  constructor(address) {
    this.address = address;
  }
  async call(method, path) {
    let res;
    try {
      res = await fetch(new URL(path, this.address.url), { method, headers: { authorization: `Bearer ${this.address.token}` } });
    } catch (err) {
      throw new EnvironmentError(
        `gitcrew serve at ${this.address.url} does not answer (${err.message})`,
        "Start it, or remove the stale server file / unset GITCREW_SERVER_URL to look at local runs."
      );
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new GitcrewError(`server: ${body.error ?? `HTTP ${res.status}`}`, res.status === 404 ? EXIT.input : EXIT.failed);
    return body;
  }
  async ps(options = {}) {
    const q = new URLSearchParams();
    if (options.status) q.set("status", options.status);
    if (options.repo) q.set("repo", options.repo);
    if (options.limit) q.set("limit", String(options.limit));
    if (options.thread) q.set("thread", options.thread);
    return (await this.call("GET", `/api/runs?${q}`)).runs;
  }
  /** `GET /api/queue`: what waits, in order, and why. */
  async queue(limit) {
    return this.call("GET", `/api/queue${limit ? `?limit=${limit}` : ""}`);
  }
  async run(id) {
    return (await this.call("GET", `/api/runs/${encodeURIComponent(id)}`)).run;
  }
  async logs(id, after = 0) {
    return this.call("GET", `/api/runs/${encodeURIComponent(id)}/logs?after=${after}`);
  }
  async cancel(id) {
    return (await this.call("POST", `/api/runs/${encodeURIComponent(id)}/cancel`)).run;
  }
  async retry(id) {
    return (await this.call("POST", `/api/runs/${encodeURIComponent(id)}/retry`)).run;
  }
};

export {
  writeServerFile,
  removeServerFile,
  findServer,
  ServerClient
};
