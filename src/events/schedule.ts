/** schedule: a cron tick from GitHub Actions (`on: schedule`). */
import type { Normalizer } from "./common.js";
import { baseTrigger, ok, readActor } from "./common.js";
import type { Actor } from "./trigger.js";

/** Scheduled runs have no human sender; GitHub attributes them to its Actions bot. */
const SCHEDULER: Actor = { login: "github-actions[bot]", type: "Bot" };

export const normalizeSchedule: Normalizer = (r, opts) => {
  const schedule = r.str("schedule");
  const workflow = r.optStr("workflow");
  return ok({
    ...baseTrigger(r, opts, r.has("sender") ? readActor(r) : { ...SCHEDULER }, []),
    text: "",
    mentions: [],
    commands: [],
    schedule,
    ...(workflow !== undefined ? { workflow } : {}),
  });
};
