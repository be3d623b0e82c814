/**
 * Session ids ride along in gitcrew's final comments as a hidden marker, so a
 * follow-up in the thread resumes the conversation without any database.
 * The marker module (src/github/marker.ts) reads them.
 */
export { readSessions } from "../github/marker.js";
