/** workflow_dispatch: a manual run of the workflow, with its inputs. */
import type { Normalizer } from "./common.js";
import { baseTrigger, ok, readActor } from "./common.js";

export const normalizeWorkflowDispatch: Normalizer = (r, opts) => {
  const ref = r.str("ref");
  const workflow = r.str("workflow");
  const inputs = r.optObj("inputs") ?? {};
  return ok({
    ...baseTrigger(r, opts, readActor(r), []),
    text: "",
    mentions: [],
    commands: [],
    ref,
    workflow,
    inputs: { ...inputs },
  });
};
