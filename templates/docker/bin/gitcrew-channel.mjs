#!/usr/bin/env node
// In-container side of gitcrew's progress channel. `gitcrew-status`,
// `gitcrew-return` and `gitcrew-request-approval` call this script; it appends
// one JSON line to $GITCREW_CHANNEL (a file in a directory the runner mounts
// and reads), or prints the line on stdout when no channel is mounted.
import { appendFileSync, readFileSync } from "node:fs";

const [kind, ...args] = process.argv.slice(2);
const KINDS = ["package", "secret", "permission", "instructions", "action"];
const USAGE = {
  status: 'gitcrew-status "what you are doing"',
  return: 'gitcrew-return "the answer"   (or: echo answer | gitcrew-return -)',
  approval: `gitcrew-request-approval --reason "why" [--kind ${KINDS.join("|")}] [--what WHAT]`,
};

function fail(message) {
  process.stderr.write(`${message}\nusage: ${USAGE[kind] ?? Object.values(USAGE).join("\n       ")}\n`);
  process.exit(2);
}

function text() {
  if (args.length === 0) fail("missing text");
  return args[0] === "-" ? readFileSync(0, "utf8").replace(/\n$/, "") : args.join(" ");
}

function approval() {
  const event = { type: "approval", kind: "action", reason: "", what: "" };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (!["--reason", "--kind", "--what"].includes(flag)) fail(`unknown argument "${flag}"`);
    if (value === undefined) fail(`${flag} needs a value`);
    event[flag.slice(2)] = value;
  }
  if (!event.reason) fail("--reason is required");
  if (!KINDS.includes(event.kind)) fail(`--kind must be one of ${KINDS.join(", ")}, got "${event.kind}"`);
  return event;
}

let event;
if (kind === "status") event = { type: "status", text: text() };
else if (kind === "return") event = { type: "return", value: text() };
else if (kind === "approval") event = approval();
else fail(`unknown channel command "${kind}"`);
event.at = new Date().toISOString();

const file = process.env.GITCREW_CHANNEL;
if (file) appendFileSync(file, JSON.stringify(event) + "\n");
else process.stdout.write(JSON.stringify({ gitcrew: event.type, ...event }) + "\n");
if (kind === "approval") process.stderr.write("approval requested; a maintainer decides on a pull request\n");
