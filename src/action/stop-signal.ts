/**
 * A cancelled workflow run, or a job past its `timeout-minutes`: the runner
 * sends SIGINT, then SIGTERM, then kills the process a few seconds later.
 * Both signals abort the run in hand so that its container is removed, its
 * tracking comment and check run say it stopped, and the step fails.
 */
import { EXIT, GitcrewError } from "../util/errors.js";

/** Past this, a process that is stuck somewhere the signal does not reach exits anyway. */
const FORCE_EXIT_MS = 20_000;

export class StoppedBySignal extends GitcrewError {
  constructor(
    readonly signalName: string,
    when = "while the agent worked",
  ) {
    super(
      `the workflow job was stopped (${signalName}) ${when}: the run was cancelled on GitHub, or the job reached its timeout-minutes`,
      EXIT.failed,
      "comment again to start a new run; if the job ran out of time, raise `timeout-minutes` in the workflow (or give the agent a smaller step)",
    );
  }

  /** The same stop, said of a run whose container had not started yet (see pipeline/execute.ts). */
  beforeStart(): StoppedBySignal {
    return new StoppedBySignal(this.signalName, "before the agent's container started");
  }
}

export function abortOnSignals(proc: NodeJS.Process = process, log: (line: string) => void = () => {}): AbortSignal {
  const controller = new AbortController();
  const stop = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    log(`received ${name}: stopping the run and cleaning up`);
    controller.abort(new StoppedBySignal(name));
    setTimeout(() => proc.exit(EXIT.failed), FORCE_EXIT_MS).unref();
  };
  proc.on("SIGINT", stop);
  proc.on("SIGTERM", stop);
  return controller.signal;
}
