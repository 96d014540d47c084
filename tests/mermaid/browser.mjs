// Renders Mermaid in a real headless Chromium (puppeteer-core, the system browser: nothing is
// downloaded) with the mermaid package of this folder, and reports what each SVG shows.
//
// Reads one JSON request on stdin:
//   {"chromium": PATH, "timezones": ["UTC", ...],
//    "blocks": [MERMAID, ...],                   render each block in each time zone
//    "pages": [URL, ...],                        open each page in each time zone; any request for
//                                                .../mermaid.min.js gets this folder's copy, any
//                                                other one off the disk or the page's origin is refused
//    "screenshots": [{"block": I, "path": PNG}]}  a picture of block I (first time zone)
// Writes one JSON object: {"timezones": {TZ: {"offset": MINUTES, "blocks": [...], "pages": [...]}}}
// where a block or each diagram of a page is {"type", "error", "text", "tasks", "ticks", "nodes",
// "edges"}, and a page also has "refused" (URLs) and "errors" (console errors, page errors).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const MERMAID = fileURLToPath(new URL("./node_modules/mermaid/dist/mermaid.min.js", import.meta.url));
const PAGE = new URL("./page.html", import.meta.url).href;
const WIDTH = 1200;

// Runs in the page: what one rendered diagram shows.
function describe(holder) {
  const svg = holder.querySelector("svg");
  if (!svg) return { type: null, error: true, text: holder.textContent, tasks: [], ticks: [], nodes: 0, edges: 0 };
  const type = svg.getAttribute("aria-roledescription");
  const shown = svg.cloneNode(true);
  for (const style of shown.querySelectorAll("style")) style.remove();
  const text = shown.textContent;
  const number = (element, name) => Number(element.getAttribute(name));
  return {
    type,
    error: type === "error" || /Syntax error/i.test(text),
    text,
    tasks: [...svg.querySelectorAll("rect.task")].map((rect) => ({
      id: rect.id,
      x: number(rect, "x"),
      y: number(rect, "y"),
      width: number(rect, "width"),
      classes: rect.getAttribute("class"),
    })),
    ticks: [...svg.querySelectorAll("g.grid g.tick text")].map((tick) => tick.textContent),
    nodes: svg.querySelectorAll("g.node").length,
    edges: svg.querySelectorAll("path.flowchart-link").length,
  };
}

// Runs in the page: renders every block into a holder of a fixed width.
async function renderBlocks(blocks, width) {
  document.body.replaceChildren();
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  for (const [index, source] of blocks.entries()) {
    const holder = document.createElement("div");
    holder.id = `block-${index}`;
    holder.style.width = `${width}px`;
    document.body.append(holder);
    try {
      const { svg } = await mermaid.render(`diagram-${index}`, source, holder);
      holder.innerHTML = svg;
    } catch (error) {
      holder.textContent = `Syntax error: ${error?.message ?? error}`;
    }
  }
}

async function describeAll(page, selector) {
  await page.evaluate(`globalThis.describeDiagram = ${describe}`);
  return page.$$eval(selector, (holders) => holders.map((holder) => globalThis.describeDiagram(holder)));
}

async function newPage(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: WIDTH + 40, height: 800, deviceScaleFactor: 2 });
  return page;
}

// Draws every block in one time zone on the page (loaded once), then takes the screenshots asked for.
async function drawBlocks(page, timezone, blocks, screenshots) {
  await page.emulateTimezone(timezone);
  await page.evaluate(renderBlocks, blocks, WIDTH);
  const described = await describeAll(page, "body > div");
  for (const shot of screenshots) {
    const svg = await page.$(`#block-${shot.block} > svg`);
    await svg.screenshot({ path: shot.path });
  }
  const offset = await page.evaluate(() => new Date(2023, 0, 1).getTimezoneOffset());
  return { offset, blocks: described };
}

async function openPage(browser, timezone, url, mermaidSource) {
  const page = await newPage(browser);
  await page.emulateTimezone(timezone);
  const refused = [];
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const target = request.url();
    if (target.startsWith("file:") || new URL(target).origin === new URL(url).origin) return request.continue();
    if (new URL(target).pathname.endsWith("/mermaid.min.js")) {
      return request.respond({ status: 200, contentType: "text/javascript", body: mermaidSource });
    }
    refused.push(target);
    return request.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  // Mermaid puts the SVG in on success only: a block still without one after the wait failed.
  const drawn = () => [...document.querySelectorAll(".mermaid")].every((element) => element.querySelector("svg"));
  await page.waitForFunction(drawn, { timeout: 20000 }).catch(() => {});
  const diagrams = await describeAll(page, ".mermaid");
  await page.close();
  return { url, diagrams, refused, errors };
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input);
  const browser = await puppeteer.launch({
    executablePath: request.chromium,
    headless: true,
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
  try {
    const mermaidSource = await readFile(MERMAID, "utf8");
    const blockPage = await newPage(browser);
    await blockPage.goto(PAGE, { waitUntil: "load" });
    const result = { timezones: {} };
    for (const [zoneIndex, timezone] of (request.timezones ?? ["UTC"]).entries()) {
      const shots = zoneIndex === 0 ? (request.screenshots ?? []) : [];
      const drawn = await drawBlocks(blockPage, timezone, request.blocks ?? [], shots);
      const pages = [];
      for (const url of request.pages ?? []) pages.push(await openPage(browser, timezone, url, mermaidSource));
      result.timezones[timezone] = { ...drawn, pages };
    }
    process.stdout.write(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

await main();
