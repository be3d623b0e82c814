/**
 * For the host-services attack tests: a node script run inside the agent's
 * container that tries a host service on the host's address on the bridge
 * (the gateway's own address, taken from HTTPS_PROXY) and then the gateway,
 * printing one JSON line per attempt, and the host service it aims at.
 */
import net from "node:net";

export function probeScript(servicePort: number): string {
  return `
import net from "node:net";
const proxy = new URL(process.env.HTTPS_PROXY);
const tryConnect = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port });
  const done = (r) => { s.destroy(); resolve(r); };
  s.setTimeout(8000, () => done({ ok: false, code: "TIMEOUT" }));
  s.on("connect", () => {
    // A connect alone is not enough: the service greets every client.
    s.once("data", (d) => done({ ok: true, greeting: d.toString() }));
  });
  s.on("error", (e) => done({ ok: false, code: e.code }));
});
const tryGateway = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port }, () => s.write("GET /nothing HTTP/1.0\\r\\n\\r\\n"));
  let got = "";
  s.setTimeout(8000, () => { s.destroy(); resolve({ ok: false, code: "TIMEOUT" }); });
  s.on("data", (c) => (got += c));
  s.on("close", () => resolve({ ok: got.startsWith("HTTP/1."), status: got.split(" ")[1] }));
  s.on("error", (e) => resolve({ ok: false, code: e.code }));
});
console.log(JSON.stringify({ step: "service", host: proxy.hostname, ...(await tryConnect(proxy.hostname, ${servicePort})) }));
console.log(JSON.stringify({ step: "gateway", port: Number(proxy.port), ...(await tryGateway(proxy.hostname, Number(proxy.port))) }));
`;
}

/** The prober agent's YAML: a command agent on the gateway network. */
export const PROBER_YAML = ["runtime: command", 'command: ["node", "/workspace/probe.mjs"]', "limits:", "  timeout: 2m", "  network:", '    allow: ["example.org:443"]', ""].join("\n");

/** A host service on all addresses, as sshd or a database would be; `seen` lists its clients. */
export async function hostService(): Promise<{ server: net.Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = net.createServer((s) => {
    seen.push(String(s.remoteAddress));
    s.end("host-service-greeting\n");
  });
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  return { server, port: (server.address() as net.AddressInfo).port, seen };
}

/** The probe's JSON lines by step. */
export function probeSteps(lines: string[]): Record<string, { step: string } & Record<string, unknown>> {
  return Object.fromEntries(lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { step: string } & Record<string, unknown>).map((o) => [o.step, o]));
}
