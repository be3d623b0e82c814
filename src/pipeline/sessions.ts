/**
 * Session ids ride along in gitcrew's final comments as a hidden marker
 * (written by src/github/marker.ts), so a follow-up in the thread resumes the
 * conversation without any database.
 */
const SESSION = /<!-- gitcrew:session agent=([A-Za-z0-9._:/-]+) id=([A-Za-z0-9._:/-]{1,200}) -->/g;

/** Latest session id per agent, reading comments oldest first. */
export function readSessions(bodies: string[]): Record<string, string> {
  const sessions: Record<string, string> = {};
  for (const body of bodies) for (const m of body.matchAll(SESSION)) sessions[m[1] as string] = m[2] as string;
  return sessions;
}
