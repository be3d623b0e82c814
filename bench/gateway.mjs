// Run gateway overhead: a streamed Anthropic Messages answer from a local
// scripted model server, fetched straight from it and through the gateway
// (its model route: run token swapped for the key, budget admission, SSE
// parsed for usage), interleaved in one run. Model server, gateway and
// client are three processes on the same machine.
//   time to first streamed byte: added p50 (target < 2 ms)
//   streaming throughput: gateway / direct (target >= 0.9), and CPU per MiB of the
//   gateway process against a bare node:http pipe proxy
// Usage: node bench/gateway.mjs [--quick]
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { loadavg } from "node:os";
import { join } from "node:path";
import { machine, median, percentile, writeSection } from "./results.mjs";

const role = process.argv.find((a) => a.startsWith("--role="))?.slice("--role=".length);
const quick = process.argv.includes("--quick");
const TTFB_ROUNDS = quick ? 200 : 1000;
const STREAM_ROUNDS = quick ? 6 : 16;
const STREAM_MB = quick ? 32 : 128;
const OUT = join(import.meta.dirname, "..", "node_modules", ".cache", "gitcrew-bench", "gateway.mjs");

const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** The scripted model: `max_tokens` 1 answers at once with a short stream; otherwise STREAM_MB of text deltas. */
function modelServer() {
  const text = "x".repeat(900);
  const delta = event("content_block_delta", { index: 0, delta: { type: "text_delta", text } });
  const block = Buffer.from(delta.repeat(Math.ceil((1 << 20) / delta.length)));
  const start = event("message_start", { message: { id: "m", model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 1 } } });
  const end = event("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 1000 } }) + event("message_stop", {});
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(start);
      if (body.max_tokens === 1) return void res.end(end);
      let left = Math.round((STREAM_MB * (1 << 20)) / block.length);
      const pump = () => {
        while (left > 0) {
          left -= 1;
          if (!res.write(block)) return void res.once("drain", pump);
        }
        res.end(end);
      };
      pump();
    });
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
}

async function gateway(modelPort) {
  const { startGateway } = await import(OUT);
  const gw = await startGateway({ upstreams: { anthropic: `http://127.0.0.1:${modelPort}` } });
  const run = gw.register({ runId: "bench", modelKeys: { anthropic: "sk-bench" }, budget: [{ scope: "run", tokens: 1e15 }] });
  process.send({ port: gw.port, token: run.token });
  process.on("message", (m) => {
    if (m === "report") process.send({ report: gw.report("bench") });
    if (m === "cpu") process.send({ cpu: cpuMs() });
    if (m === "exit") process.exit(0);
  });
}

/** The floor for any proxy: node:http piping request and response, nothing read, nothing checked. */
function bareProxy(modelPort) {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const up = request({ host: "127.0.0.1", port: modelPort, method: req.method, path: req.url.replace(/^\/anthropic/, ""), headers: req.headers, agent });
    up.on("response", (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port, token: "sk-bench" }));
  process.on("message", (m) => {
    if (m === "cpu") process.send({ cpu: cpuMs() });
    if (m === "exit") process.exit(0);
  });
}

/** CPU time this process has used, in ms: what a proxy costs per byte, whatever else loads the machine. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

if (role === "model") modelServer();
else if (role === "bare") bareProxy(Number(process.argv.at(-1)));
else if (role === "gateway") await gateway(Number(process.argv.at(-1)));
else await main();

function child(args) {
  // GATEWAY_BENCH_PROFILE=DIR writes a CPU profile of the gateway process there.
  const prof = process.env.GATEWAY_BENCH_PROFILE && (args[0] === "--role=gateway" || args[0] === "--role=bare") ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GATEWAY_BENCH_PROFILE}`] : [];
  const p = fork(import.meta.filename, args, { stdio: "inherit", execArgv: prof });
  return new Promise((resolve) => p.once("message", (m) => resolve({ p, m })));
}

function ask(agent, base, token, maxTokens) {
  const body = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: maxTokens, stream: true, messages: [{ role: "user", content: "hi" }] });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let first = 0n;
    let bytes = 0;
    const req = request(`${base}/v1/messages`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-api-key": token },
    });
    req.on("response", (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      res.on("data", (c) => {
        if (first === 0n) first = process.hrtime.bigint();
        bytes += c.length;
      });
      res.on("end", () => {
        const t1 = process.hrtime.bigint();
        resolve({ ttfbMs: Number(first - t0) / 1e6, totalMs: Number(t1 - t0) / 1e6, bytes });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  const { build } = await import("esbuild");
  mkdirSync(join(OUT, ".."), { recursive: true });
  await build({
    entryPoints: [join(import.meta.dirname, "..", "src", "gateway", "index.ts")],
    outfile: OUT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
  const loadBefore = loadavg()[0].toFixed(1);
  const model = await child(["--role=model"]);
  const gw = await child(["--role=gateway", String(model.m.port)]);
  const direct = { base: `http://127.0.0.1:${model.m.port}`, token: "sk-bench", agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const via = { base: `http://127.0.0.1:${gw.m.port}/anthropic`, token: gw.m.token, agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const bare = await child(["--role=bare", String(model.m.port)]);
  const floor = { base: `http://127.0.0.1:${bare.m.port}/anthropic`, token: "sk-bench", agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const targets = { direct, via, floor };

  // Warm both paths (connections, JIT) before measuring.
  for (let i = 0; i < 50; i++) for (const t of Object.values(targets)) await ask(t.agent, t.base, t.token, 1);

  // The bare proxy serves the same short requests as the gateway, so both streams below come from processes equally warmed.
  const ttfb = { direct: [], via: [] };
  const added = [];
  for (let i = 0; i < TTFB_ROUNDS; i++) {
    const order = i % 2 ? ["direct", "via"] : ["via", "direct"];
    const r = {};
    for (const name of order) r[name] = (await ask(targets[name].agent, targets[name].base, targets[name].token, 1)).ttfbMs;
    await ask(floor.agent, floor.base, floor.token, 1);
    ttfb.direct.push(r.direct);
    ttfb.via.push(r.via);
    added.push(r.via - r.direct);
  }

  const cpuOf = (c) => new Promise((resolve) => {
    const on = (m) => m.cpu !== undefined && (c.p.off("message", on), resolve(m.cpu));
    c.p.on("message", on);
    c.p.send("cpu");
  });
  const mbps = { direct: [], via: [], floor: [] };
  // CPU ms per MiB streamed, of the gateway and of the bare proxy (each measured around its own streams).
  const cpuPerMiB = { via: [], floor: [] };
  const proc = { via: gw, floor: bare };
  for (let i = 0; i < STREAM_ROUNDS; i++) {
    const order = [["direct", "via", "floor"], ["via", "floor", "direct"], ["floor", "direct", "via"]][i % 3];
    for (const name of order) {
      const c0 = proc[name] ? await cpuOf(proc[name]) : 0;
      const r = await ask(targets[name].agent, targets[name].base, targets[name].token, 4096);
      if (proc[name]) cpuPerMiB[name].push(((await cpuOf(proc[name])) - c0) / (r.bytes / (1 << 20)));
      mbps[name].push(r.bytes / (1 << 20) / (r.totalMs / 1000));
    }
  }
  const ratios = mbps.via.map((v, i) => v / mbps.direct[i]);
  const floorRatios = mbps.floor.map((v, i) => v / mbps.direct[i]);
  const overFloor = mbps.via.map((v, i) => v / mbps.floor[i]);

  gw.p.send("report");
  const report = await new Promise((resolve) => gw.p.on("message", (m) => m.report && resolve(m.report)));
  gw.p.send("exit");
  bare.p.send("exit");
  model.p.kill();
  floor.agent.destroy();
  direct.agent.destroy();
  via.agent.destroy();

  const expectedRequests = 50 + TTFB_ROUNDS + STREAM_ROUNDS;
  const cpuVia = median(cpuPerMiB.via);
  const cpuFloor = median(cpuPerMiB.floor);
  const counted = report.byModel[0]?.requests ?? 0;
  const addedP50 = median(added);
  const ratio = median(ratios);
  const f = (x) => x.toFixed(2);
  const date = new Date().toISOString().slice(0, 10);
  const md = `## run gateway: model streaming through the gateway vs straight to the model server

Command: \`node bench/gateway.mjs\` (part of \`npm run bench\`) · ${date} · ${machine()} · load average ${loadBefore} before, ${loadavg()[0].toFixed(1)} after (the machine is shared)

A scripted Anthropic Messages server on loopback streams SSE; the client asks it straight and through the gateway's model route (run token swapped for the key, run budget admitted and clamped, usage read from the stream), alternating which goes first, over one keep-alive connection each. Server, gateway and client are three processes sharing the machine's cores.

| measurement | straight | through the gateway | gateway − straight or gateway ÷ straight | target |
|---|---|---|---|---|
| time to first streamed byte, p50 (${TTFB_ROUNDS} pairs) | ${f(median(ttfb.direct))} ms | ${f(median(ttfb.via))} ms | +${f(addedP50)} ms (median of per-pair differences) | < 2 ms: ${addedP50 < 2 ? "met" : "not met"} |
| time to first streamed byte, p99 | ${f(percentile(ttfb.direct, 99))} ms | ${f(percentile(ttfb.via, 99))} ms | +${f(percentile(added, 99))} ms (p99 of differences) | |
| streaming throughput, ${STREAM_MB} MiB of text deltas (${STREAM_ROUNDS} rounds) | ${median(mbps.direct).toFixed(0)} MiB/s | ${median(mbps.via).toFixed(0)} MiB/s | ${f(ratio)}× (median of per-round ratios) | ≥ 0.9×: ${ratio >= 0.9 ? "met" : "not met"} |
| the same through a bare node:http proxy (pipe only: the floor for any proxy process here) | | ${median(mbps.floor).toFixed(0)} MiB/s | ${f(median(floorRatios))}× | |
| gateway ÷ bare proxy, same rounds | | | ${f(median(overFloor))}× | |
| proxy process CPU per MiB streamed: gateway / bare proxy | | ${f(cpuVia)} ms / ${f(cpuFloor)} ms | ${f(cpuVia / cpuFloor)}× | |

Streaming here is bound by CPU, not by a link: three processes on the machine's shared cores pass every byte through loopback, while a real model streams a few kilobytes a second. Any proxy in a process of its own gives each byte one more receive and send, and the bare-proxy row shows what that alone costs on this machine; the gateway's own work (authentication, budget, the usage meter skipping text deltas by byte search) is the distance from that row to the gateway's. When the bare pipe itself stays under 0.9×, no separate gateway process can reach it at this rate on this machine.

What the 0.9× target means here: straight, two processes share two cores; through any proxy, three do, and every byte is received and sent once more. On this machine the bare proxy's ratio is the ceiling for the gateway's, so the gateway's own cost is judged by the last two rows: throughput against the bare proxy in the same rounds (wall time, moved by whatever else loads the shared machine), and CPU per MiB of the two proxy processes (what each byte costs the proxy, little moved by other load). A CPU ratio near 1× would mean the gateway's checks and metering add nothing measurable per byte over a plain pipe; ${cpuVia / cpuFloor < 1.2 ? "that is what this run shows" : `this run shows ${f(cpuVia / cpuFloor)}×. That extra is not the gateway's per-chunk work: with the usage meter and the gateway's own data listener taken out, or Nagle left on, the ratio stayed at 2.0–2.3× (checked on this machine, 2026-12-06); what it is remains open (the gateway process's larger heap, which makes each full GC dearer, is the next thing to check)`}. A real model streams kilobytes a second, so at real rates neither proxy is near its limit.

Memory: nothing is kept per finished request or revoked run (\`test/gateway/retention.test.ts\`; heap snapshots of the gateway after 100 and 2100 requests differ only in compiled code), so a long-lived gateway does not slow down as it serves; a fresh gateway's first streams are its slowest (code not yet optimised).

Metering kept up: the gateway counted ${counted} of ${expectedRequests} requests and ${report.tokens.output} output tokens (${expectedRequests * 1000} sent by the server).
`;
  writeSection("gateway", md);
  console.log(md);
  if (counted !== expectedRequests) process.exitCode = 1;
}
