/**
 * Real-socket helpers for the gateway tests: a self-signed HTTPS server
 * standing in for an allowlisted host, curl through the proxy, and a
 * scripted SSE server whose pacing a test controls.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Cert {
  key: string;
  cert: string;
  /** Path of the certificate, for curl --cacert. */
  certPath: string;
  cleanup(): void;
}

/** A certificate for localhost and 127.0.0.1, made with the openssl CLI. */
export function makeCert(): Cert {
  const dir = mkdtempSync(join(tmpdir(), "gw-cert-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", keyPath, "-out", certPath,
  ], { stdio: "ignore" });
  return {
    key: readFileSync(keyPath, "utf8"),
    cert: readFileSync(certPath, "utf8"),
    certPath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestServer {
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

async function listen(server: Server, requests: Recorded[]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

function recording(requests: Recorded[], handler: Handler) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  };
}

export function startHttps(cert: Cert, handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  return listen(createHttpsServer({ key: cert.key, cert: cert.cert }, recording(requests, handler)), requests);
}

export function startHttp(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  return listen(createHttpServer(recording(requests, handler)), requests);
}

export interface CurlResult {
  code: number | null;
  status: number;
  body: string;
  stderr: string;
}

/** curl with `-w` printing the final status on the last line. */
export function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile("curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}", ...args], { env: { PATH: process.env.PATH ?? "" } }, (err, stdout, stderr) => {
      const i = stdout.lastIndexOf("\n");
      resolve({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        status: Number(stdout.slice(i + 1)),
        body: stdout.slice(0, i),
        stderr,
      });
    });
  });
}

/** An Anthropic Messages SSE event, as the API writes it. */
export function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
