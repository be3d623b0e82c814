/** The crew as each repository's default branch defines it, with its last reload and problems (pure). */
import { compact, when } from "../format.js";
import type { CrewRepo } from "../types.js";
import { Empty } from "./common.js";

export function CrewView(props: { repos: CrewRepo[] }) {
  return (
    <div data-testid="crew">
      {props.repos.length === 0 ? <p class="muted">No crew loaded yet: it is read from a repository's default branch at its first event.</p> : null}
      {props.repos.map((r) => (
        <section key={r.repo} class="crew-repo">
          <h2>{r.repo}</h2>
          <p class="muted small">
            {r.loadedAt !== undefined ? `loaded ${when(r.loadedAt)}` : "not loaded yet"}
            {r.sha ? (
              <>
                {" at "}
                <code>{r.sha.slice(0, 12)}</code>
              </>
            ) : null}
          </p>
          {r.problems && r.problems.length > 0 ? (
            <div class="problems">
              <strong>The default branch's crew has problems:</strong>
              <ul>
                {r.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <table>
            <thead>
              <tr>
                <th>Agent</th>
                <th>Runtime</th>
                <th>Model</th>
                <th>Triggers</th>
                <th>Limits</th>
                <th class="num">Concurrency</th>
                <th>Who may start it</th>
              </tr>
            </thead>
            <tbody>
              {!r.agents || r.agents.length === 0 ? (
                <Empty columns={7} text="No agents." />
              ) : (
                r.agents.map((a) => (
                  <tr key={a.name} data-agent={a.name}>
                    <td>
                      <strong>{a.name}</strong>
                    </td>
                    <td>{a.runtime}</td>
                    <td>{a.model}</td>
                    <td>{compact(a.triggers)}</td>
                    <td>{compact(a.limits)}</td>
                    <td class="num">{a.concurrency}</td>
                    <td>{compact(a.allow)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
