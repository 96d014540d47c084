// Reads a JSON array of Mermaid sources on stdin and parses each with the real mermaid
// package (in a jsdom window). Prints one line per block that fails; exits 1 if any fails.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const blocks = JSON.parse(input);
let failed = 0;
for (const [index, text] of blocks.entries()) {
  try {
    await mermaid.parse(text);
  } catch (error) {
    failed += 1;
    const message = String(error?.message ?? error).split("\n").slice(0, 4).join(" | ");
    console.log(`block ${index}: ${message}`);
  }
}
console.log(`${blocks.length - failed} of ${blocks.length} parsed`);
process.exit(failed ? 1 : 0);
