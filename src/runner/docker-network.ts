/**
 * Find or make one of gitcrew's own Docker networks (the run gateway's,
 * the egress network), shared by every runner process on the engine.
 *
 * Several processes may make it at the same moment (two `gitcrew serve`
 * instances, or self-hosted runners on one host, each with its first run).
 * A newer engine answers the second create with 409; Docker 20.10 does not
 * check duplicates atomically and makes two networks of one name, after
 * which every lookup by name fails ("ambiguous"). So a process that made
 * one and then sees another of the same name removes its own and takes the
 * other: a network a process kept is never one whose maker removes it.
 */
import type Docker from "dockerode";
import { setTimeout as sleep } from "node:timers/promises";

export type NetworkInfo = {
  Id: string;
  Name?: string;
  Created?: string;
  Driver?: string;
  Internal?: boolean;
  EnableIPv6?: boolean;
  Options?: Record<string, string>;
  IPAM?: { Config?: { Gateway?: string }[] };
};

export interface NetworkOptions {
  /** No route out (the gateway's network) or a normal bridge (egress). */
  internal: boolean;
  labels: Record<string, string>;
}

export const ICC = "com.docker.network.bridge.enable_icc";
const ATTEMPTS = 20;

const status = (err: unknown) => (err as { statusCode?: number }).statusCode;

/** The network's inspect answer; made first when missing (a bridge, no IPv6, no traffic between its containers). */
export async function ensureNetwork(docker: Docker, name: string, options: NetworkOptions): Promise<NetworkInfo> {
  let last: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return (await docker.getNetwork(name).inspect()) as NetworkInfo;
    } catch (err) {
      last = err;
      // 400 "ambiguous": two of this name exist while their makers settle which stays.
      if (status(err) === 400) {
        await sleep(25 + Math.random() * 100);
        continue;
      }
      if (status(err) !== 404) throw err;
    }
    const made = await create(docker, name, options);
    if (made) await yieldToOthers(docker, name, made);
  }
  throw last instanceof Error ? last : new Error(`the Docker network ${name} could not be made`);
}

/** The new network's id, or undefined when the engine said another of this name exists (409). */
async function create(docker: Docker, name: string, options: NetworkOptions): Promise<string | undefined> {
  try {
    const network = await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      Internal: options.internal,
      EnableIPv6: false,
      CheckDuplicate: true,
      Labels: options.labels,
      Options: { [ICC]: "false" },
    });
    return network.id;
  } catch (err) {
    if (status(err) !== 409) throw err;
    return undefined;
  }
}

/** When another network of this name appeared next to ours, ours goes (unless already in use). */
async function yieldToOthers(docker: Docker, name: string, mine: string): Promise<void> {
  const same = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  if (!same.some((n) => n.Id !== mine)) return;
  await docker
    .getNetwork(mine)
    .remove()
    .catch(() => undefined);
  // Jitter: makers that all removed theirs do not race again in step.
  await sleep(Math.random() * 100);
}
