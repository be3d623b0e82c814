/**
 * A git host on loopback for tests: real bare repositories under one folder
 * served over git's smart HTTP protocol by `git http-backend` (CGI) behind a
 * small node server that, like GitHub, wants `Authorization: Basic
 * x-access-token:<token>`. Pushes are enabled, so a test shows that it is
 * gitcrew that refuses them, not the host.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpRequest {
  method: string;
  url: string;
  authorization?: string;
  status: number;
}

export interface GitHttpHost {
  /** `http://127.0.0.1:port`: a repository is at `<url>/<owner>/<name>.git`. */
  url: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

/** `root` holds `<owner>/<name>.git` bare repositories; only requests with `token` are served. */
export async function startGitHttpHost(root: string, token: string): Promise<GitHttpHost> {
  const requests: GitHttpRequest[] = [];
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const server: Server = createServer((req, res) => {
    const entry: GitHttpRequest = { method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, status: 0 };
    requests.push(entry);
    if (req.headers.authorization !== expected) {
      entry.status = 401;
      res.writeHead(401, { "www-authenticate": 'Basic realm="git double"', "content-type": "text/plain" }).end("bad credentials\n");
      return;
    }
    cgi(root, req, (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      body.pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cgi(root: string, req: IncomingMessage, reply: (status: number, headers: Record<string, string>, body: NodeJS.ReadableStream) => void): void {
  const url = new URL(req.url ?? "/", "http://git");
  const child = spawn("git", ["-c", "http.receivepack=true", "http-backend"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: root,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: String(req.headers["content-type"] ?? ""),
      REMOTE_USER: "x-access-token",
      REMOTE_ADDR: "127.0.0.1",
      ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  req.pipe(child.stdin);
  // CGI: header lines up to an empty line, then the body.
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    child.stdout.off("data", onData);
    child.stdout.pause();
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const i = line.indexOf(":");
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      if (k === "status") status = Number.parseInt(v, 10);
      else if (k) headers[k] = v;
    }
    const rest = head.subarray(end + 4);
    if (rest.length) child.stdout.unshift(rest);
    reply(status, headers, child.stdout);
  };
  child.stdout.on("data", onData);
}
