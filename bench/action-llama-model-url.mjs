// Preloaded (`node --import`) into action-llama's scheduler by bench/first-sign-llama.ts: its agent
// loop (pi-ai, in the scheduler process) sends Anthropic requests to the base URL of pi-ai's built-in
// model entry, which no setting of action-llama changes (a model's `baseUrl` in its config.toml
// switches to the OpenAI-compatible API instead). So the entry itself is pointed at the bench's
// scripted Messages API, in the very module instance action-llama imports; nothing else changes.
// Env: BENCH_PI_AI (the file of pi-ai that action-llama resolves), BENCH_MODEL_URL, BENCH_MODEL_ID.
import { pathToFileURL } from "node:url";

const { getModel } = await import(pathToFileURL(process.env.BENCH_PI_AI).href);
const model = getModel("anthropic", process.env.BENCH_MODEL_ID);
if (!model) throw new Error(`pi-ai has no anthropic model ${process.env.BENCH_MODEL_ID}`);
model.baseUrl = process.env.BENCH_MODEL_URL;
