/**
 * `action` requests name one of the crew's gated actions (crew.cue
 * `gated_actions`, e.g. `deploy`); anything else is refused before a pull
 * request is opened, with a reply that tells the agent what it may ask for.
 */

/** The gated action an `action` request names (its first word, e.g. `deploy` in "deploy staging"), or undefined. */
export function gatedActionOf(what: string, gated: string[]): string | undefined {
  const first = (what.trim().split(/[\s:]+/)[0] ?? "").toLowerCase();
  return first ? gated.find((g) => g.toLowerCase() === first) : undefined;
}

/** The reply in the thread (the agent reads it on its next run) when a request names no gated action. */
export function refusedActionReply(agent: string, what: string, gated: string[], crewError?: string): string {
  const asked = what.trim().split("\n")[0]?.slice(0, 80) || "(nothing)";
  if (crewError) {
    return `⚠️ @${agent} asked for approval of the action \`${asked.replace(/`/g, "'")}\`, but the crew on the default branch does not load (${crewError}), so gitcrew cannot tell which actions are gated: no approval request was opened. Fix \`.gitcrew/\`, then ask again.`;
  }
  const allowed = gated.length
    ? `The crew's gated actions are ${gated.map((g) => `\`${g}\``).join(", ")}: ask for one of them with \`gitcrew-request-approval --kind action --what ${gated[0]} --reason "…"\`.`
    : "This crew gates no actions (`gated_actions` in `.gitcrew/crew.cue` is empty).";
  return [
    `⚠️ @${agent} asked for approval of the action \`${asked.replace(/`/g, "'")}\`, but that is not one of the crew's gated actions, so no approval request was opened.`,
    allowed,
    "A step that is not gated needs no approval; a new gated action is added to `gated_actions` in `.gitcrew/crew.cue` by a maintainer.",
  ].join("\n\n");
}
