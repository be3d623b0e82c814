// Queue drain: N queued runs of a trivial `command` agent (default 1,000),
// drained by one `gitcrew serve` worker with concurrency 8 through the real
// executor (executeJob → Runner → hardened container on the local engine).
// Reports none lost, total time and containers/s, against the time of bare
// `docker run --rm` of the same image and command, 8 at a time, in the same run.
// Usage: node bench/drain.mjs [--quick] [--postgres] [--no-write]
// --no-write prints the section instead of writing it into bench/RESULTS.md.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { bundleDriver, machine, writeSection } from "./results.mjs";

const loadBefore = loadavg()[0].toFixed(1);

const quick = process.argv.includes("--quick");
const usePg = process.argv.includes("--postgres");
const COUNT = quick ? 100 : 1000;
const CONCURRENCY = 8;
const BASELINE = quick ? 24 : 80;
const PG_URL = process.env.GITCREW_TEST_PG_URL || "postgres://gitcrew:gitcrew@127.0.0.1:54329/gitcrew";
const IMAGE = "gitcrew/command:latest";

const docker = spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" });
if (docker.status !== 0) throw new Error(`${IMAGE} is missing: build it with \`gitcrew images build\` (or run the Docker tests once)`);

const out = await bundleDriver("drain-bench");

async function freshPg() {
  const schema = `bench_drain_${Date.now()}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const url = new URL(PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/** Bare engine baseline: `docker run --rm` of the same image and command, CONCURRENCY at a time. */
async function baseline(n) {
  let left = n;
  const t = performance.now();
  const one = () =>
    new Promise((resolve, reject) => {
      const p = spawn("docker", ["run", "--rm", "--network", "none", "--user", "1000:1000", IMAGE, "sh", "-c", "echo ok"], { stdio: "ignore" });
      p.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`docker run exited ${code}`))));
    });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (left-- > 0) await one(); }));
  return n / ((performance.now() - t) / 1000);
}

const bare = await baseline(BASELINE);
console.error(`baseline: docker run --rm ×${BASELINE}, ${CONCURRENCY} at a time: ${bare.toFixed(2)} containers/s`);

const spec = usePg ? await freshPg() : "";
const child = spawnSync(process.execPath, [out, String(COUNT), spec, String(CONCURRENCY)], { encoding: "utf8", maxBuffer: 16 << 20, stdio: ["ignore", "pipe", "inherit"] });
rmSync(out, { force: true });
if (child.status !== 0) throw new Error(`drain bench exited ${child.status}`);
const r = JSON.parse(child.stdout.trim().split("\n").at(-1));
const seconds = r.drainMs / 1000;
const rate = r.count / seconds;
// Lost: queued but never reached a final status (failed runs are counted apart).
const finished = ["succeeded", "failed", "timed_out", "cancelled", "awaiting_approval"].reduce((n, k) => n + (r.counts[k] ?? 0), 0);
const lost = r.count - finished;
console.error(JSON.stringify(r));

const label = r.store === "postgres" ? "PostgreSQL 15 (loopback)" : "SQLite";
const write = process.argv.includes("--no-write") ? (_name, md) => console.log(md) : writeSection;
write(`drain-${r.store}`, `## queue drain: ${r.count} runs of a trivial \`command\` agent, concurrency ${CONCURRENCY} (${label})

Command: \`node bench/drain.mjs${quick ? " --quick" : ""}${usePg ? " --postgres" : ""}\` · ${new Date().toISOString().slice(0, 10)} · ${machine()} · load average ${loadBefore} before, ${loadavg()[0].toFixed(1)} after (the machine is shared)

${r.count} runs are queued in the store (${(r.enqueueMs / 1000).toFixed(1)} s), then one \`gitcrew serve\` worker with concurrency ${CONCURRENCY} drains them through the real executor: \`executeJob\` → \`Runner\` → git worktree, hardened container (\`sh -c "echo ok"\` in ${IMAGE}, read-only root, no network, caps dropped), result, container and worktree removed. The runs have no issue thread and change nothing, so no GitHub call is made; each has its own thread key so that all ${CONCURRENCY} slots fill. The baseline is bare \`docker run --rm\` of the same image and command, ${CONCURRENCY} at a time (${BASELINE} containers), measured in the same run.

| measurement | value |
|---|---|
| runs succeeded / queued | ${r.counts.succeeded} / ${r.count} (lost: ${lost}; failed: ${r.counts.failed}; highest attempt: ${r.maxAttempt}) |
| distinct containers | ${r.distinctContainers} |
| containers left behind | ${r.leftovers} |
| total drain time | ${seconds.toFixed(1)} s |
| containers/s through gitcrew | ${rate.toFixed(2)} |
| containers/s, bare \`docker run --rm\` | ${bare.toFixed(2)} |
| × bare | ${(rate / bare).toFixed(2)} |
`);
console.log(`${r.counts.succeeded}/${r.count} succeeded in ${seconds.toFixed(1)} s: ${rate.toFixed(2)} containers/s (bare docker run: ${bare.toFixed(2)}/s)`);
if (lost > 0 || r.counts.succeeded < r.count) process.exitCode = 1;
