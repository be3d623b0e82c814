// Webhook intake: deliveries/s and p50/p99 latency of POST /webhooks with
// signature check and durable write (SQLite, PostgreSQL), against a bare
// node:http server answering 202 in the same run (the ceiling).
// Usage: node bench/intake.mjs [--quick] [--only=bare-signature,no-store,sqlite,postgres,...] [--no-action-llama] [--no-write]
// --no-write prints the section instead of writing it into bench/RESULTS.md.
// (PostgreSQL: scripts/ci/start-postgres.sh first)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { Webhooks } from "@octokit/webhooks";
import { bundleDriver, machine, median, percentile, writeSection } from "./results.mjs";
import { AL_PKG, AL_VERSION, installActionLlama } from "./action-llama-setup.mjs";

const loadBefore = loadavg()[0].toFixed(1);

const quick = process.argv.includes("--quick");
const SECRET = "bench-secret";
const PG_URL = process.env.GITCREW_TEST_PG_URL || "postgres://gitcrew:gitcrew@127.0.0.1:54329/gitcrew";
const TOTAL = quick ? 2000 : 10000;
// A durable 202 waits for a commit: with few connections a closed loop measures
// commit latency × connections more than the server. Both are reported; the
// target is judged on the higher one, the sustained rate (bench/RESULTS.md).
const FEW = 16;
const CONNECTIONS = 64;
const RATE = 500;
const SECONDS = quick ? 3 : 6;
const ROUNDS = quick ? 1 : 3;

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json");
const body = JSON.stringify(examples.find((g) => g.name === "issue_comment").examples[0]);
// gitcrew's store refuses a body it already holds (a replay under a new delivery id is a duplicate), so each
// delivery's body is unique: a sequence number in a last field. Signed from SHA-256 states saved after the fixed
// prefix (HMAC = H(K^opad, H(K^ipad, body))), so the load generator hashes ~30 bytes per delivery, not the body.
const bodyPrefix = `${body.slice(0, -1)},"bench_seq":"`;
const hmacKey = Buffer.alloc(64);
Buffer.from(SECRET).copy(hmacKey);
const padded = (pad) => Buffer.from(hmacKey.map((b) => b ^ pad));
const innerAfterPrefix = createHash("sha256").update(padded(0x36)).update(bodyPrefix);
const outerStart = createHash("sha256").update(padded(0x5c));
function uniqueBody(n) {
  const tail = `${String(n).padStart(12, "0")}"}`;
  const inner = innerAfterPrefix.copy().update(tail).digest();
  return { text: bodyPrefix + tail, signature: `sha256=${outerStart.copy().update(inner).digest("hex")}` };
}
if (uniqueBody(1).signature !== (await new Webhooks({ secret: SECRET }).sign(uniqueBody(1).text))) throw new Error("bench: the precomputed HMAC does not match");

const out = await bundleDriver("intake-server");

// @action-llama/action-llama's gateway, side by side: installed here at bench time (gitignored), never into package.json.
const alProblem = process.argv.includes("--no-action-llama") ? "skipped (--no-action-llama)" : installActionLlama();

async function pgQuery(sql) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect().catch((e) => {
    throw new Error(`PostgreSQL not reachable at ${PG_URL} (${e.message}): run scripts/ci/start-postgres.sh`);
  });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A schema of its own for one target (dropped when it stops); the URL selects it. */
async function freshPg() {
  const schema = `bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await pgQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => pgQuery(`DROP SCHEMA ${schema} CASCADE`) };
}

/** A target's server; stopping it also removes what it stored (a run writes hundreds of MB). */
async function startTarget(mode) {
  const dir = mode.startsWith("bare") || mode.startsWith("postgres") ? undefined : mkdtempSync(join(tmpdir(), mode === "action-llama" ? "gitcrew-bench-al-" : "gitcrew-bench-"));
  const pgTarget = mode.startsWith("postgres") ? await freshPg() : undefined;
  let target;
  if (mode === "action-llama") target = await startChild(mode, [join(import.meta.dirname, "intake-action-llama.mjs"), AL_PKG, dir, SECRET]);
  else {
    const [backend, variant] = mode.split("+");
    const spec = dir ? join(dir, "gitcrew.db") : (pgTarget?.url ?? "");
    const serverMode = backend.startsWith("bare") || backend === "no-store" ? backend : variant === "worker" ? "gitcrew" : "intake-only";
    target = await startChild(mode, [out, serverMode, spec, SECRET]);
  }
  return {
    ...target,
    async stop() {
      await target.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await pgTarget?.drop();
    },
  };
}

async function startChild(mode, args) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
  return { url: new URL(url), pid: child.pid, stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGTERM"))) };
}

let seq = 0;
function post(url, agent) {
  const t = performance.now();
  const one = uniqueBody(++seq);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname === "/" ? "/webhooks" : url.pathname, method: "POST", agent, headers: {
        "content-type": "application/json", "content-length": Buffer.byteLength(one.text),
        "x-github-event": "issue_comment", "x-github-delivery": `bench-${process.pid}-${seq}`, "x-hub-signature-256": one.signature } },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 202 || res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(one.text);
  });
}

/** Closed loop: `connections` clients back to back; deliveries per second. */
async function throughput(url, connections = CONNECTIONS) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let left = TOTAL;
  const t = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => { while (left-- > 0) await post(url, agent); }));
  agent.destroy();
  return TOTAL / ((performance.now() - t) / 1000);
}

/** CPU seconds (user + system) so far of one process, or of every process whose name is `name`. */
function cpuSeconds({ pid, name }) {
  const ticks = (stat) => {
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  };
  const tick = 100; // USER_HZ on Linux
  if (pid) return ticks(readFileSync(`/proc/${pid}/stat`, "utf8")) / tick;
  let sum = 0;
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      if (stat.includes(`(${name})`)) sum += ticks(stat);
    } catch { /* gone */ }
  }
  return sum / tick;
}

/** The sustained run, with the CPU each party spent per delivery (µs): server, load generator (this process), PostgreSQL. */
async function sustained(target) {
  const parties = { server: { pid: target.pid }, load: { pid: process.pid }, postgres: { name: "postgres" } };
  const before = Object.fromEntries(Object.entries(parties).map(([k, v]) => [k, cpuSeconds(v)]));
  const rps = await throughput(target.url);
  const cpu = Object.fromEntries(Object.entries(parties).map(([k, v]) => [k, ((cpuSeconds(v) - before[k]) * 1e6) / TOTAL]));
  return { rps, cpu };
}

/** Open loop at RATE/s: latency from the scheduled send time, so a stall counts against every request it delays. */
async function latency(url) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const n = RATE * SECONDS;
  const start = performance.now() + 20;
  const all = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    all.push(post(url, agent).then(() => Math.max(0, performance.now() - due)));
  }
  const ms = await Promise.all(all);
  agent.destroy();
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** Wait until the worker has planned every stored delivery (gitcrew_deliveries_pending 0), at most a minute. */
async function drained(url) {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const text = await fetch(new URL("/metrics", url)).then((r) => r.text());
    if (/^gitcrew_deliveries_pending 0$/m.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the worker did not work off the burst within a minute");
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
/** The disk's own floor for a durable 202: one append of the payload + fdatasync, open loop at RATE/s, same clock as latency(). */
async function fsyncFloor() {
  const { openSync, writeSync, fdatasyncSync, closeSync } = await import("node:fs");
  const file = join(mkdtempSync(join(tmpdir(), "gitcrew-bench-fsync-")), "probe");
  const fd = openSync(file, "a");
  const n = RATE * SECONDS;
  const start = performance.now() + 20;
  const ms = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    writeSync(fd, body);
    fdatasyncSync(fd);
    ms.push(Math.max(0, performance.now() - due));
  }
  closeSync(fd);
  rmSync(join(file, ".."), { recursive: true, force: true });
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

const modes = ["bare", "bare-signature", "no-store", "sqlite", "postgres", "sqlite+worker", "postgres+worker", ...(alProblem ? [] : ["action-llama"])].filter((m) => !only || m === "bare" || only.includes(m));
const results = Object.fromEntries(modes.map((m) => [m, { rps: [], few: [], ratio: [], ratioFew: [], p50: [], p99: [], cpu: [] }]));
// This machine's speed drifts within minutes (the load generator's own CPU per
// request has varied 1.6× between runs), so each target's ratio is taken against
// the bare server measured just before and just after it, not once per round.
const ceilingNow = async (bare) => ({ few: await throughput(bare.url, FEW), rps: await throughput(bare.url) });
for (let round = 0; round < ROUNDS; round++) {
  const bare = await startTarget("bare");
  await throughput(bare.url); // warm-up
  for (const mode of modes) {
    const before = mode === "bare" ? undefined : await ceilingNow(bare);
    const target = mode === "bare" ? bare : await startTarget(mode);
    await throughput(target.url); // warm-up: JIT, connections, tables
    if (mode.endsWith("+worker")) await drained(target.url);
    results[mode].few.push(await throughput(target.url, FEW));
    if (mode.endsWith("+worker")) await drained(target.url);
    const s = await sustained(target);
    results[mode].rps.push(s.rps);
    results[mode].cpu.push(s.cpu);
    // The latency run measures 500/s in steady state, not while the worker still works off the burst above.
    if (mode.endsWith("+worker")) await drained(target.url);
    const l = await latency(target.url);
    results[mode].p50.push(l.p50);
    results[mode].p99.push(l.p99);
    if (mode !== "bare") await target.stop();
    const after = mode === "bare" ? undefined : await ceilingNow(bare);
    results[mode].ratio.push(before ? (2 * s.rps) / (before.rps + after.rps) : 1);
    results[mode].ratioFew.push(before ? (2 * results[mode].few.at(-1)) / (before.few + after.few) : 1);
    console.error(`round ${round + 1} ${mode}: ${results[mode].rps.at(-1).toFixed(0)}/s = ${results[mode].ratio.at(-1).toFixed(2)} × bare (${FEW} connections: ${results[mode].few.at(-1).toFixed(0)}/s = ${results[mode].ratioFew.at(-1).toFixed(2)}), cpu µs/delivery ${JSON.stringify(s.cpu, (k, v) => (typeof v === "number" ? Math.round(v) : v))}, p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms at ${RATE}/s`);
  }
  await bare.stop();
}
rmSync(out, { force: true });

const floors = [];
for (let round = 0; round < ROUNDS; round++) floors.push(await fsyncFloor());
const floor = { p50: median(floors.map((f) => f.p50)), p99: median(floors.map((f) => f.p99)) };
console.error(`disk floor: append + fdatasync at ${RATE}/s: p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms`);

const ceiling = median(results.bare.rps);
const cpuText = (m) => {
  const c = (k) => median(results[m].cpu.map((x) => x[k]));
  return `${c("server").toFixed(0)} / ${c("load").toFixed(0)}${m.startsWith("postgres") ? ` / ${c("postgres").toFixed(0)}` : ""}`;
};
const label = {
  bare: "bare node:http, 202 without work (ceiling)",
  "bare-signature": "bare node:http + X-Hub-Signature-256 check (nothing stored)",
  "no-store": "gitcrew's webhook handler, with a store that keeps nothing",
  sqlite: "gitcrew intake, SQLite (WAL, each delivery fsynced before the 202)",
  postgres: "gitcrew intake, PostgreSQL 15 (loopback)",
  "sqlite+worker": "gitcrew intake + worker planning each delivery, SQLite",
  "postgres+worker": "gitcrew intake + worker planning each delivery, PostgreSQL",
  "action-llama": `@action-llama/action-llama ${AL_VERSION} webhook gateway (SQLite, synchronous=NORMAL)`,
};
/** Where the ratio goes between the ceiling and a durable store, from the same run's rows. */
function ladderText() {
  if (!modes.includes("bare-signature") || !modes.includes("no-store")) return "";
  const r = (m) => median(results[m].ratio).toFixed(2);
  const stores = ["sqlite", "postgres"].filter((m) => modes.includes(m)).map((m) => `${r(m)} on ${m === "sqlite" ? "SQLite" : "PostgreSQL"}`);
  return `Where the ratio goes, in this run: checking X-Hub-Signature-256 alone takes the bare server to ${r("bare-signature")} × ceiling; gitcrew's handler with a store that keeps nothing (signature and JSON checks, its HTTP adapter, metrics) reaches ${r("no-store")}${stores.length ? `; the durable write takes it to ${stores.join(" and ")}` : ""}. The bare rows are held back by the load generator itself (one process, one thread: ${((median(results.bare.cpu.map((x) => x.load)) * median(results.bare.rps)) / 1e6).toFixed(2)} of a core at the ceiling's rate), which is why the signature check costs the bare server nothing visible. The faster the machine runs the bare path, the larger the share of the fixed work (the checks cost the same whatever the store).`;
}

const rows = modes.map((m) => {
  const r = results[m];
  const met = !["sqlite", "postgres", "sqlite+worker", "postgres+worker"].includes(m) ? "" : median(r.ratio) >= 0.5 && median(r.p99) < 10 ? "yes" : "no";
  return `| ${label[m]} | ${median(r.rps).toFixed(0)} | ${median(r.ratio).toFixed(2)} | ${median(r.few).toFixed(0)} (${median(r.ratioFew).toFixed(2)}) | ${median(r.p50).toFixed(2)} | ${median(r.p99).toFixed(2)} | ${cpuText(m)} | ${met} |`;
});
const alNote = alProblem
  ? `@action-llama/action-llama was not measured: ${alProblem}.`
  : `@action-llama/action-llama ${AL_VERSION} is installed at bench time into \`node_modules/.cache/bench-ext\` (\`npm install --prefix\`, not a dependency) and started by \`bench/intake-action-llama.mjs\` the way its scheduler starts it: its Hono gateway on loopback, its GitHub provider checking X-Hub-Signature-256, its SQLite database (drizzle migrations, WAL, \`synchronous = NORMAL\`: commits are not fsynced), a webhook receipt per delivery in its stats store, and a binding that puts each event on its SQLite work queue, with no agent behind it. It answers 200 after dispatch rather than 202; its dedupe by delivery id is the receipt lookup.`;
const command = `node bench/intake.mjs${quick ? " --quick" : ""}`;
const write = process.argv.includes("--no-write") ? (_name, md) => console.log(md) : writeSection;
write("intake", `## webhook intake (POST /webhooks)

Command: \`${command}\` (PostgreSQL from \`scripts/ci/start-postgres.sh\`) · ${new Date().toISOString().slice(0, 10)} · ${machine()} · load average ${loadBefore} before, ${loadavg()[0].toFixed(1)} after (the machine is shared) · ${ROUNDS} round(s), medians

"intake" rows run the receiver alone (\`startServer({ worker: false })\`, the shape of a receive-only instance in front of PostgreSQL); "+ worker" rows also run the worker in the same process, which claims and plans every stored delivery (into no runs) while the load goes on. Each delivery is a real \`issue_comment\` payload (${Buffer.byteLength(body)} bytes, plus a last field holding a sequence number: the store refuses a body it already holds) with a unique delivery id, checked against X-Hub-Signature-256 and committed to the store before the 202. Server and load generator are separate processes on the same machine. Throughput: ${TOTAL} deliveries over ${CONNECTIONS} keep-alive connections back to back (the sustained rate, on which the target is judged), and the same over ${FEW} connections: a durable 202 waits for a commit, so with few connections a closed loop measures commit latency × connections rather than what the server sustains (SQLite commits one group at a time; at ${FEW} connections the groups stay small). "× ceiling" divides a target's rate by the bare server's, measured with the same connections just before and just after that target (their mean; the machine's speed drifts within minutes), median over the rounds. Latency: an open loop at ${RATE} deliveries/s for ${SECONDS} s, measured from each request's scheduled send time (for "+ worker" rows, once the worker has planned the throughput run's deliveries, so that it is the steady state at ${RATE}/s).

| target | deliveries/s (${CONNECTIONS} connections) | × ceiling | deliveries/s (${FEW} connections; × ceiling) | p50 ms at ${RATE}/s | p99 ms at ${RATE}/s | CPU µs per delivery: server / load generator / PostgreSQL | target met (≥ 0.5 × ceiling, p99 < 10 ms) |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${ladderText()}

CPU per delivery is measured from /proc during the ${CONNECTIONS}-connection run (user + system time of the server process with all its threads, of the load generator, and of all PostgreSQL processes), divided by the deliveries. All of them share the machine's ${cpus().length} cores: at half the ceiling's rate (${(ceiling / 2).toFixed(0)}/s) they may spend together at most ${((2 * cpus().length * 1e6) / ceiling).toFixed(0)} µs of CPU per delivery, and only if every core is busy all the time.

The disk's own floor for a durable answer, measured in the same run: appending one ${Buffer.byteLength(body)}-byte payload and \`fdatasync\` at ${RATE}/s (no HTTP, no database) takes p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms. A store that commits before answering cannot beat it.

${alNote}

<details><summary>every round (the machine is shared: compare rows within a round)</summary>

| round | ${modes.map((m) => m).join(" | ")} | disk floor p99 |
|---|${modes.map(() => "---").join("|")}|---|
${Array.from({ length: ROUNDS }, (_, i) => `| ${i + 1} | ${modes.map((m) => `${results[m].rps[i].toFixed(0)}/s = ${results[m].ratio[i].toFixed(2)} (${FEW}: ${results[m].few[i].toFixed(0)}/s = ${results[m].ratioFew[i].toFixed(2)}), p99 ${results[m].p99[i].toFixed(1)} ms`).join(" | ")} | ${floors[i].p99.toFixed(1)} ms |`).join("\n")}

</details>
`);
console.log(rows.join("\n"));
