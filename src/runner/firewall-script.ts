/**
 * The one shell script that edits the host firewall for gitcrew's networks,
 * run either by the runner itself (root with iptables) or inside a
 * short-lived container chrooted into the host's / (firewall-engine.ts).
 * Its text is fixed; what varies are positional arguments this module
 * validates first (a chain name, an interface name, a port, IP addresses,
 * a hex address), so no byte from an agent or a repository reaches it.
 *
 * `open`: the chain, its two final REJECTs and the INPUT jump (each only if
 * missing), ACCEPT rules of gateways no longer listening dropped, then this
 * gateway's ACCEPT inserted. `close`: this gateway's ACCEPT deleted.
 * `seal` (the egress network, egress-network.ts): the chain holds the two
 * REJECTs and nothing else (anything else in it is flushed first) and INPUT
 * jumps to it: no connection from that bridge to any of the host's
 * addresses is accepted.
 * Standard input is the kernel's TCP table (/proc/net/tcp of the host's
 * network namespace): a port counts as live while a socket listens on
 * exactly the bridge address, so a later service on 0.0.0.0 that happens to
 * take a dead gateway's port does not keep that port open.
 */
import { isIPv4, isIPv6 } from "node:net";
import { endianness } from "node:os";

export type FirewallArgs =
  | {
      /** A gateway network's chain: its port's ACCEPT added (open) or removed (close). */
      mode: "open" | "close";
      chain: string;
      bridge: string;
      port: number;
      /** The host's IPv4 address on the bridge (the gateway listens there). */
      host: string;
      /** The host's IPv6 address on the bridge, when the network has IPv6. */
      host6?: string;
    }
  | {
      /** The egress network's chain: REJECTs only. */
      mode: "seal";
      chain: string;
      bridge: string;
      host: string;
      host6?: string;
    };

/** Printed last when every step succeeded; anything else is a failure. */
export const FIREWALL_OK = "gitcrew-firewall: ok";

export const FIREWALL_SCRIPT = `set -u
mode=$1 chain=$2 bridge=$3 port=$4 hex=$5
shift 5
live=" "
if [ "$mode" = open ]; then
  while read -r _sl local _rem st _rest; do
    [ "$st" = 0A ] || continue
    case $local in "$hex":*) live="$live$((0x\${local#*:})) " ;; esac
  done
fi
while [ $# -ge 2 ]; do
  fam=$1 host=$2
  shift 2
  ipt=iptables unreach=icmp-port-unreachable
  [ "$fam" = 6 ] && ipt=ip6tables unreach=icmp6-port-unreachable
  if ! command -v $ipt >/dev/null 2>&1; then echo "gitcrew-firewall: $ipt is not installed on the host" >&2; exit 3; fi
  if [ "$mode" = close ]; then
    $ipt -w -D "$chain" -p tcp -d "$host" --dport "$port" -j ACCEPT 2>/dev/null
    continue
  fi
  if [ "$mode" = seal ]; then
    want="-N $chain
-A $chain -p tcp -j REJECT --reject-with tcp-reset
-A $chain -j REJECT --reject-with $unreach"
    rules=$($ipt -w -S "$chain" 2>/dev/null) || { $ipt -w -N "$chain" 2>/dev/null || $ipt -w -S "$chain" >/dev/null || exit 4; rules="-N $chain"; }
    if [ "$rules" != "$want" ]; then
      $ipt -w -F "$chain" || exit 4
      $ipt -w -A "$chain" -p tcp -j REJECT --reject-with tcp-reset || exit 4
      $ipt -w -A "$chain" -j REJECT --reject-with $unreach || exit 4
    fi
    $ipt -w -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || $ipt -w -I INPUT -i "$bridge" -j "$chain" || exit 4
    continue
  fi
  # One listing answers most checks (each iptables call reloads the ruleset); -C decides when its text differs.
  # Another runner may make the chain at the same moment: "exists" is fine.
  rules=$($ipt -w -S "$chain" 2>/dev/null) || { $ipt -w -N "$chain" 2>/dev/null || $ipt -w -S "$chain" >/dev/null || exit 4; rules=; }
  case $rules in *"-A $chain -p tcp -j REJECT --reject-with tcp-reset"*) ;; *)
    $ipt -w -C "$chain" -p tcp -j REJECT --reject-with tcp-reset 2>/dev/null || $ipt -w -A "$chain" -p tcp -j REJECT --reject-with tcp-reset || exit 4 ;;
  esac
  case $rules in *"-A $chain -j REJECT --reject-with $unreach"*) ;; *)
    $ipt -w -C "$chain" -j REJECT --reject-with $unreach 2>/dev/null || $ipt -w -A "$chain" -j REJECT --reject-with $unreach || exit 4 ;;
  esac
  $ipt -w -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || $ipt -w -I INPUT -i "$bridge" -j "$chain" || exit 4
  printf '%s\n' "$rules" | while read -r a c d addr p _proto _m _mt dp dport j act _rest; do
    [ "$a $c $d $p $dp $j $act" = "-A $chain -d -p --dport -j ACCEPT" ] || continue
    case $dport in '' | *[!0-9]*) continue ;; esac
    [ "$dport" = "$port" ] && continue
    case $live in *" $dport "*) continue ;; esac
    $ipt -w -D "$chain" -p tcp -d "\${addr%/*}" --dport "$dport" -j ACCEPT
  done
  case $rules in *" --dport $port -j ACCEPT"*) ;; *)
    $ipt -w -I "$chain" -p tcp -d "$host" --dport "$port" -j ACCEPT || exit 4 ;;
  esac
done
echo "${FIREWALL_OK}"
`;

/** The script's positional arguments; throws on any value that is not what it claims to be. */
export function firewallArgv(a: FirewallArgs): string[] {
  if (a.mode !== "open" && a.mode !== "close" && a.mode !== "seal") throw new Error(`bad firewall mode ${String((a as { mode: unknown }).mode)}`);
  // A gateway network's chain takes ACCEPTs; only an egress network's chain is sealed.
  const prefix = a.mode === "seal" ? "EG" : "GW";
  if (!new RegExp(`^GITCREW-${prefix}-[0-9A-F]{8}$`).test(a.chain)) throw new Error(`bad firewall chain ${a.chain}`);
  // A Linux interface name: at most 15 characters, none of them special to iptables or the shell.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(a.bridge)) throw new Error(`bad bridge name ${a.bridge}`);
  const port = a.mode === "seal" ? 0 : a.port;
  if (a.mode !== "seal" && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`bad gateway port ${port}`);
  if (!isIPv4(a.host)) throw new Error(`bad bridge address ${a.host}`);
  if (a.host6 !== undefined && !isIPv6(a.host6)) throw new Error(`bad bridge IPv6 address ${a.host6}`);
  return [a.mode, a.chain, a.bridge, String(port), procNetHex(a.host), "4", a.host, ...(a.host6 ? ["6", a.host6] : [])];
}

/** An IPv4 address as /proc/net/tcp prints it: the 32-bit word in the host's byte order, in hex. */
export function procNetHex(ipv4: string, order: "LE" | "BE" = endianness()): string {
  const bytes = ipv4.split(".").map((b) => Number(b).toString(16).toUpperCase().padStart(2, "0"));
  return (order === "LE" ? bytes.reverse() : bytes).join("");
}
