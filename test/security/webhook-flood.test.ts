/**
 * Attack: anyone who can reach `gitcrew serve` opens many connections and
 * sends large webhook bodies without a valid signature. Before the fix each
 * body was buffered up to 25 MiB before the signature was checked, with no
 * bound on requests in flight: 20 connections took the process from 75 MB to
 * 800 MB. What must hold: the process's memory stays bounded, a malformed
 * signature is refused before the body is read, bytes in flight across all
 * requests and open connections are capped, and real deliveries still get in.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../support/stores.js";
import { SECRET, startHarness, until, type Harness } from "../support/server-harness.js";
import { startServeChild, type ServeChild } from "../support/serve-process.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

const MiB = 1024 * 1024;
const sqlite = BACKENDS[0]!;
const WRONG = `sha256=${"0".repeat(64)}`;

function head(o: { id: string; signature: string; length?: number }): string {
  const framing = o.length === undefined ? "Transfer-Encoding: chunked" : `Content-Length: ${o.length}`;
  return `POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issue_comment\r\nX-GitHub-Delivery: ${o.id}\r\nX-Hub-Signature-256: ${o.signature}\r\n${framing}\r\n\r\n`;
}

interface Flood {
  /** Bytes of body this connection got onto the wire before the server closed it or it sent them all. */
  sent: number;
  reply: string;
  closed: boolean;
  socket: Socket;
}

/** One connection sending `total` bytes of chunked body in 256 KiB pieces, never finishing the body (it holds the request open). */
function flood(port: number, id: string, total: number): Promise<Flood> {
  const piece = Buffer.alloc(256 * 1024, "a");
  const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
  return new Promise((resolve) => {
    const f: Flood = { sent: 0, reply: "", closed: false, socket: connect(port, "127.0.0.1") };
    const done = () => resolve(f);
    f.socket.on("data", (d) => (f.reply += d.toString()));
    f.socket.on("close", () => ((f.closed = true), done()));
    f.socket.on("error", () => undefined);
    f.socket.on("connect", async () => {
      f.socket.write(head({ id, signature: WRONG }));
      while (f.sent < total && !f.closed && !f.socket.destroyed) {
        const more = f.socket.write(chunk);
        f.sent += piece.length;
        if (!more) await new Promise<void>((r) => (f.socket.once("drain", r), f.socket.once("close", r)));
      }
      done();
    });
  });
}

function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

describe("a flood of unauthenticated webhook bodies", () => {
  let child: ServeChild | undefined;
  let h: Harness | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    if (child && child.child.exitCode === null && child.child.signalCode === null) (child.child.kill("SIGKILL"), await child.exited);
    child = undefined;
    await h?.stop();
    h = undefined;
  });

  it("24 connections each sending 20 MiB keep a real `gitcrew serve` under 250 MB, and a signed delivery still gets in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitcrew-flood-"));
    child = await startServeChild({ GITCREW_HOME: dir, GITCREW_REPO: "octo/repo", GITCREW_STORE: join(dir, "s.db"), GITCREW_WEBHOOK_SECRET: SECRET });
    const port = Number(new URL(child.url).port);
    const floods = await Promise.all(Array.from({ length: 24 }, (_, i) => flood(port, `flood-${i}`, 20 * MiB)));
    sockets.push(...floods.map((f) => f.socket));
    const peak = peakRssBytes(child.child.pid!);
    console.log(`peak RSS of gitcrew serve: ${(peak / 1e6).toFixed(0)} MB`);
    // Before the fix: every body buffered whole, 24 × 20 MiB held at once (about 500 MB and more).
    expect(peak).toBeLessThan(250 * 1000 * 1000);
    // Each flood was cut off, not read to its end: the server closed every connection early.
    // Most also read the 413/503 first; a client still writing when the server closes may get a
    // reset instead, and its kernel drops the answer it had not read yet.
    for (const f of floods) expect(f.closed && f.sent < 20 * MiB, `flood sent ${f.sent} bytes`).toBe(true);
    expect(floods.filter((f) => /^HTTP\/1.1 (413|503)/.test(f.reply)).length).toBeGreaterThan(0);
    for (const f of floods.filter((x) => x.reply)) expect(f.reply).toMatch(/^HTTP\/1.1 (413|503)/);
    expect((await postWebhook(child.url, { id: "real", body: commentPayload(1), secret: SECRET })).status).toBe(202);
  }, 180_000);

  it("refuses a malformed signature before reading the body", async () => {
    h = await startHarness(await sqlite.fresh("malformed-signature"));
    const socket = connect(h.server.port, "127.0.0.1");
    sockets.push(socket);
    // Headers and 1 KiB of a 900 KiB body: the rest is only sent if no answer came first.
    const answered = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => ((text += d.toString()), clearTimeout(rest), resolve(text)));
      socket.on("error", () => undefined);
      socket.on("connect", () => socket.write(head({ id: "sha1", signature: "sha1=0123456789abcdef0123456789abcdef01234567", length: 900 * 1024 }) + "{".padEnd(1024, " ")));
      const rest = setTimeout(() => {
        socket.write(" ".repeat(900 * 1024 - 1024));
        resolve("no answer before the body ended");
      }, 10_000);
    });
    expect(answered).toMatch(/^HTTP\/1.1 401/);
    expect(answered).toContain("X-Hub-Signature-256 is not sha256= and 64 hex digits");
  }, 30_000);

  it("answers 503 with Retry-After when bodies in flight would pass the budget, and takes deliveries again once they are gone", async () => {
    h = await startHarness(await sqlite.fresh("budget"), { maxBodyBytes: 700 * 1024, maxInFlightBytes: 1 * MiB });
    const port = h.server.port;
    const inFlight = async () => Number(/^gitcrew_webhook_body_bytes_in_flight (\d+)/m.exec(await (await fetch(`${h!.server.url}/metrics`)).text())?.[1] ?? -1);
    // The first holds 512 KiB unfinished; the second would take the total past 1 MiB.
    const holder = await flood(port, "holder", 512 * 1024);
    sockets.push(holder.socket);
    await until("the first body in flight", async () => (await inFlight()) >= 512 * 1024);
    const second = await flood(port, "second", 640 * 1024);
    sockets.push(second.socket);
    await until("the second answered", async () => second.reply || undefined);
    expect(second.reply).toMatch(/^HTTP\/1.1 503/);
    expect(second.reply).toMatch(/\r\nretry-after: 1\r\n/i);
    holder.socket.destroy();
    await until("the budget freed", async () => (await inFlight()) === 0);
    expect((await postWebhook(h.server.url, { id: "after", body: commentPayload(2), secret: SECRET })).status).toBe(202);
  });

  it("closes connections beyond maxConnections, and serves again once some are gone", async () => {
    h = await startHarness(await sqlite.fresh("connections"), { maxConnections: 3 });
    const url = new URL(h.server.url);
    // Three keep-alive connections, each answered once (so the server counts them), then idle.
    const open = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect(Number(url.port), "127.0.0.1", () => s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
            s.once("data", () => resolve(s));
            s.on("error", () => undefined);
          }),
      ),
    );
    sockets.push(...open);
    const fourth = await new Promise<string>((resolve) => {
      let text = "";
      const s = connect(Number(url.port), "127.0.0.1", () => s.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      sockets.push(s);
      s.on("data", (d) => (text += d.toString()));
      s.on("close", () => resolve(text));
      s.on("error", () => undefined);
    });
    expect(fourth).toBe("");
    open[0]!.destroy();
    await until("a slot free", async () => (await fetch(`${h!.server.url}/healthz`).then((r) => r.status, () => 0)) === 200);
  });
});
