/** What waits, in order, and why, in the tracking comment's words (pure). */
import { ago, ordinal, queueText } from "../format.js";
import { runHash } from "../route.js";
import type { QueueView } from "../types.js";
import { Empty } from "./common.js";

export function QueueTable(props: { view: QueueView; now: number }) {
  const { view } = props;
  return (
    <>
      <p class="muted">
        {view.queued ?? view.queue.length} queued{view.running !== undefined ? `, ${view.running} running` : ""}.
      </p>
      <table data-testid="queue">
        <thead>
          <tr>
            <th class="num">Position</th>
            <th>Run</th>
            <th>Agent</th>
            <th>Repository</th>
            <th>Thread</th>
            <th>Why it waits</th>
            <th>Waiting</th>
          </tr>
        </thead>
        <tbody>
          {view.queue.length === 0 ? (
            <Empty columns={7} text="Nothing waits." />
          ) : (
            view.queue.map((e) => (
              <tr key={e.id} data-run-id={e.id}>
                <td class="num">{ordinal(e.position)}</td>
                <td>
                  <a href={runHash(e.id)}>
                    <code>{e.id}</code>
                  </a>
                </td>
                <td>{e.agent}</td>
                <td>{e.repo}</td>
                <td>{e.threadKey}</td>
                <td data-testid="reason">{queueText(e)}</td>
                <td>{ago(e.createdAt, props.now)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}
