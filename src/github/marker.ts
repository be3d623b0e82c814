/**
 * The hidden marker gitcrew writes into every agent comment, so that a
 * comment an agent wrote can be recognised (and agent→agent chains bounded).
 * src/events parses it; this module only writes it.
 */
import type { AgentOrigin } from "../events/trigger.js";

/** Characters that cannot end the HTML comment or break the key=value form. */
function safe(value: string): string {
  return value.replace(/[^A-Za-z0-9._:/-]/g, "_");
}

/** `<!-- gitcrew:origin agent=NAME run=ID depth=N [by=LOGIN] -->` */
export function originMarker(origin: AgentOrigin): string {
  const depth = Number.isInteger(origin.depth) && origin.depth >= 0 ? origin.depth : 0;
  const by = origin.by ? ` by=${safe(origin.by)}` : "";
  return `<!-- gitcrew:origin agent=${safe(origin.agent)} run=${safe(origin.runId)} depth=${depth}${by} -->`;
}

/** `<!-- gitcrew:session agent=NAME id=ID -->`: a follow-up in the thread resumes this session. */
export function sessionMarker(agent: string, sessionId: string): string {
  return `<!-- gitcrew:session agent=${safe(agent)} id=${safe(sessionId)} -->`;
}
