/** Store, Docker, GitHub and the instances sharing the store, with their heartbeats (pure). */
import { ago } from "../format.js";
import type { Check, Health } from "../types.js";
import { Empty } from "./common.js";

export function HealthView(props: { health: Health; now: number }) {
  const { health } = props;
  const checks: [string, Check | undefined][] = [
    ["Store", health.store],
    ["Docker engine", health.docker],
    ["GitHub", health.github],
  ];
  const instances = health.instances ?? [];
  return (
    <div data-testid="health">
      <table>
        <thead>
          <tr>
            <th>Part</th>
            <th>State</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {checks.map(([name, c]) => (
            <tr key={name} data-check={name}>
              <td>{name}</td>
              <td>{c === undefined ? <span class="muted">unknown</span> : c.ok ? <span class="ok">ok</span> : <span class="bad">failing</span>}</td>
              <td>{[c?.kind, c?.error].filter(Boolean).join(": ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Instances</h2>
      <table>
        <thead>
          <tr>
            <th>Instance</th>
            <th>Last heartbeat</th>
            <th class="num">Runs</th>
          </tr>
        </thead>
        <tbody>
          {instances.length === 0 ? (
            <Empty columns={3} text="No instance has reported." />
          ) : (
            instances.map((i) => (
              <tr key={i.name}>
                <td>
                  <code>{i.name}</code>
                </td>
                <td>{ago(i.lastSeen, props.now)}</td>
                <td class="num">{i.runs}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
