/** Entry of the GitHub Action (bundled to dist/index.js): runs the logic in main.ts. */
import { run } from "./main.js";

await run();
