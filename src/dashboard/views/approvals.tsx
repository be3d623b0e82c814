/** Approval requests: who may approve, what was decided (pure). */
import { when } from "../format.js";
import { runHash } from "../route.js";
import type { Approval } from "../types.js";
import { Empty, External } from "./common.js";

export function ApprovalsTable(props: { approvals: Approval[]; webUrl?: string | undefined; now: number; testId?: string }) {
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th>Request</th>
          <th>Repository</th>
          <th>Agent</th>
          <th>Run</th>
          <th>Pull request</th>
          <th>Who may approve</th>
          <th>Decision</th>
          <th>Opened</th>
        </tr>
      </thead>
      <tbody>
        {props.approvals.length === 0 ? (
          <Empty columns={8} text="No approval requests." />
        ) : (
          props.approvals.map((a) => (
            <tr key={a.id} data-approval-id={a.id}>
              <td>
                <code>{a.id}</code>
              </td>
              <td>{a.repo}</td>
              <td>{a.agent}</td>
              <td>{a.runId ? <a href={runHash(a.runId)}>{a.runId}</a> : null}</td>
              <td>
                {a.pr && a.pr.number > 0 ? (
                  <>
                    <External href={a.pr.url} webUrl={props.webUrl}>{`#${a.pr.number}`}</External>
                    {a.pr.state ? <span class="muted"> {a.pr.state}</span> : null}
                  </>
                ) : null}
              </td>
              <td>{(a.approvers ?? []).join(", ")}</td>
              <td>{a.decision ? `${a.decision}${a.decidedBy ? ` by ${a.decidedBy}` : ""}` : <span class="muted">pending</span>}</td>
              <td>{when(a.createdAt)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
