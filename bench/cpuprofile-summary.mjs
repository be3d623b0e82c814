// Where a proxy process's CPU goes, from a .cpuprofile (node --cpu-prof; the gateway bench writes
// them with GATEWAY_BENCH_PROFILE=DIR): self time grouped by what it does, idle left out.
// Usage: node bench/cpuprofile-summary.mjs FILE.cpuprofile [more files...]
import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** First matching group wins. */
const GROUPS = [
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
  ["socket writes (writev: the kernel's copy, chunk framing strings)", (f) => ["writev", "writeBuffer", "writeUtf8String", "writeLatin1String"].includes(f.functionName) && !f.url],
  ["upstream response parsing (llhttp, body copies; marking steps charged to those allocations)", (f) => ["socketOnData", "parserOnBody", "parserOnHeadersComplete", "parserOnMessageComplete", "execute"].includes(f.functionName)],
  ["usage meter (needle search, SSE parsing of usage events)", (f) => f.functionName === "indexOfBuffer" || f.functionName === "compareOffset" || /eventsource-parser/.test(f.url) || /^(feed|feedSse|straddles|lastBoundary|onEvent|readObject|readAnthropic)$/.test(f.functionName)],
  ["price database (per request, after the stream)", (f) => /genai-prices|dist\/index\.js/.test(f.url) || f.functionName === "safeCalc"],
  ["gateway code (per request: auth, budget, headers)", (f) => /gitcrew-bench\/gateway/.test(f.url)],
  ["module loading and compiling (start-up)", (f) => /esm\/|bootstrap\/realm|compileFunction|compileSourceTextModule/.test(f.url + f.functionName)],
  ["node streams and http plumbing (JS)", (f) => f.url.startsWith("node:")],
  ["other native / V8", () => true],
];

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const sums = new Map(GROUPS.map(([g]) => [g, 0]));
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const f = byId.get(p.samples[i]).callFrame;
    const us = p.timeDeltas[i] ?? 0;
    if (f.functionName === "(idle)") continue;
    busy += us;
    const [g] = GROUPS.find(([, test]) => test(f));
    sums.set(g, sums.get(g) + us);
  }
  console.log(`${basename(file)}: ${(busy / 1000).toFixed(0)} ms busy`);
  for (const [g, us] of [...sums].sort((a, b) => b[1] - a[1])) {
    if (us > 0) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${g}`);
  }
}
