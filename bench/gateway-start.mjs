// Container start on the run gateway's internal network versus without a
// network (`none`): `docker run --rm` of the command image doing `true`,
// alternately in one run (ratio of medians). The internal network is the
// one a runner makes (Internal, no inter-container traffic); the first
// start on it (network creation) is not counted.
// Needs the Docker engine and gitcrew/command:latest.
// Run: node bench/gateway-start.mjs   (BENCH_ROUNDS=N, default 15)
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { machine, median, percentile, timeProcess, writeSection } from "./results.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const IMAGE = "gitcrew/command:latest";
const NET = `gitcrew-gw-bench-${process.pid}`;

if (spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status !== 0) {
  console.error(`gateway-start: ${IMAGE} is missing (or the engine is down): gitcrew images build command --offline`);
  process.exit(1);
}
timeProcess("docker", ["network", "create", "--internal", "-o", "com.docker.network.bridge.enable_icc=false", NET]);
const run = (network) => timeProcess("docker", ["run", "--rm", "--network", network, "--read-only", "--cap-drop", "ALL", IMAGE, "true"]);
try {
  run(NET);
  run("none");
  const none = [];
  const internal = [];
  for (let i = 0; i < ROUNDS; i++) {
    none.push(run("none"));
    internal.push(run(NET));
  }
  const ms = (x) => `${Math.round(x)} ms`;
  const md = `## container start: the gateway's internal network vs no network

\`node bench/gateway-start.mjs\` (${ROUNDS} rounds, alternating; ${machine()}; load ${loadavg()[0].toFixed(1)} at the end, shared machine). \`docker run --rm\` of ${IMAGE} running \`true\`, start to exit.

| network | p50 | p90 |
|---|---|---|
| none | ${ms(median(none))} | ${ms(percentile(none, 90))} |
| internal (run gateway) | ${ms(median(internal))} | ${ms(percentile(internal, 90))} |

Ratio of medians, internal / none: **${(median(internal) / median(none)).toFixed(2)}×** (a veth pair and the bridge port per container; the gateway itself is already listening).`;
  writeSection("gateway-start", md);
  console.log(md);
} finally {
  spawnSync("docker", ["network", "rm", NET], { stdio: "ignore" });
}
