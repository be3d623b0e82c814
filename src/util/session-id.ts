/**
 * A runtime's session id, as gitcrew passes it to the CLI's resume flag
 * (`--resume ID`, `resume ID`). The id comes from the CLI's output, which the
 * agent can write, and rides in gitcrew's comments: one starting with `-`
 * would be read as an option of the next run's CLI. UUID-like ids only.
 */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function validSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID.test(value);
}

/** The value when it is a valid session id, else undefined. */
export function sessionIdOf(value: unknown): string | undefined {
  return validSessionId(value) ? value : undefined;
}
