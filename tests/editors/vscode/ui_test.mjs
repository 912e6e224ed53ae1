// Playwright UI test of the Boundary extension in the real VS Code workbench (code-server + Debian chromium):
// open the demo file, the Problems panel lists the boundary finding with its rule id, the status bar counts
// it, the quick fix menu (Ctrl+.) offers "Allow `static-mut` on this line", applying it changes the file;
// "Boundary: Show Module Graph" renders the graph page (its script runs under the webview's CSP).
// Screenshots go to $SHOTS. Env: CS_URL, SHOTS, STATIC_LINE_NO, STEP_TIMEOUT_MS, CHROMIUM, RESULT
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const URL = process.env.CS_URL;
const SHOTS = process.env.SHOTS || 'shots';
// "line:column" inside the static's name, where the finding is
const POS = process.env.STATIC_POS || '3:18';
const T = Number(process.env.STEP_TIMEOUT_MS || 30000);
const TITLE = 'Allow `static-mut` on this line';
fs.mkdirSync(SHOTS, { recursive: true });
const t0 = Date.now();
const R = { steps: [] };
const step = (name, extra) => { R.steps.push({ name, t_ms: Date.now() - t0, ...extra }); console.log(`[ui ${Date.now() - t0} ms] ${name}`); };

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'boundary-pw-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  viewport: { width: 1280, height: 800 },
});
let ok = false;
const page = browser.pages()[0] ?? await browser.newPage();
const shot = (name) => page.screenshot({ path: path.join(SHOTS, name) });
try {
  await page.goto(URL);
  await page.locator('.monaco-workbench').waitFor({ timeout: T });
  await page.locator('.explorer-folders-view').waitFor({ timeout: T });
  step('workbench_loaded');
  // activated by the workspace's Cargo.toml (workspaceContains), before any Rust file is opened
  await page.locator('.statusbar-item', { hasText: 'Boundary' }).first().waitFor({ timeout: T });
  step('activated_by_workspace');

  // open src/lib.rs through Quick Open, as a user would (keybindings work once the workbench has settled)
  const qi = page.locator('.quick-input-widget input');
  for (let i = 0; i < 15 && !(await qi.isVisible()); i++) {
    await page.keyboard.press('Control+P');
    await qi.waitFor({ timeout: 2000 }).catch(() => {});
  }
  await page.keyboard.type('lib.rs');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'lib.rs' }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await editor.filter({ hasText: 'pub static mut COUNTER' }).waitFor({ timeout: T });
  step('file_opened');

  // the Problems panel lists the finding with source and rule id
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'static-mut' }).filter({ hasText: 'static mut' }).first();
  await row.waitFor({ timeout: T });
  R.problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  step('problem_listed', { problems: R.problems });
  const status = page.locator('.statusbar-item', { hasText: /Boundary: \d+/ }).first();
  await status.waitFor({ timeout: T });
  R.status = await status.innerText();
  step('status_bar', { status: R.status });
  await shot('vscode-problems.png');

  // quick fix menu on the finding (Ctrl+G line:column, Ctrl+.)
  await page.locator('.editor-instance .view-line').first().click();
  await page.keyboard.press('Control+G');
  await qi.waitFor({ timeout: T });
  await page.keyboard.type(POS);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+.');
  const rows = page.locator('.action-widget .monaco-list-row');
  const allow = rows.filter({ hasText: TITLE }).first();
  await allow.waitFor({ timeout: T });
  R.quickfix_menu = await rows.allInnerTexts();
  step('quickfix_menu', { items: R.quickfix_menu });
  await shot('vscode-quickfix.png');
  // move the focus to our row (a click is swallowed by .context-view-pointerBlock), then Enter
  for (let i = 0; i < 30 && !(await allow.evaluate((e) => e.classList.contains('focused'))); i++) {
    await page.keyboard.press('ArrowDown');
  }
  if (!(await allow.evaluate((e) => e.classList.contains('focused')))) throw new Error('cannot focus the action');
  await page.keyboard.press('Enter');
  await editor.filter({ hasText: '// boundary: allow(static-mut)' }).waitFor({ timeout: T });
  step('quickfix_applied');
  await page.keyboard.press('Control+S');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'static-mut' }).filter({ hasText: 'COUNTER' })
    .waitFor({ state: 'detached', timeout: T });
  step('problem_cleared');
  await page.waitForTimeout(300);
  await shot('vscode-fixed.png');

  // "Boundary: Show Module Graph" from the command palette: the page renders in a webview and its inline
  // script runs under the extension's CSP (it sets body[data-rendered] to the node count)
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text()); });
  for (let i = 0; i < 15 && !(await qi.isVisible()); i++) {
    await page.keyboard.press('Control+Shift+P');
    await qi.waitFor({ timeout: 2000 }).catch(() => {});
  }
  await page.keyboard.type('Boundary: Show Module Graph');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Module Graph' }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'Module Graph: ws' }).waitFor({ timeout: T });
  let graph;
  for (const end = Date.now() + T; !graph && Date.now() < end; await page.waitForTimeout(100)) {
    for (const f of page.frames()) {
      const n = await f.evaluate(() => document.body?.getAttribute('data-rendered')).catch(() => null);
      if (n !== null) {
        graph = { rendered: n, nodes: await f.evaluate(() => Array.from(document.querySelectorAll('svg#graph g.node'), (g) => g.getAttribute('data-name'))) };
        break;
      }
    }
  }
  if (!graph) throw new Error(`the module graph page did not render (its script did not run)${csp.length ? `: ${csp.join(' | ')}` : ''}`);
  if (graph.rendered !== '2' || graph.nodes.join(',') !== 'boundary_editor_demo,boundary_editor_demo::other') {
    throw new Error(`unexpected graph: ${JSON.stringify(graph)}`);
  }
  if (csp.length) throw new Error(`CSP violations: ${csp.join(' | ')}`);
  step('module_graph', graph);
  await page.waitForTimeout(300);
  await shot('vscode-graph.png');
  ok = true;
} catch (e) {
  R.error = String(e).slice(0, 2000);
  await shot('vscode-failure.png').catch(() => {});
} finally {
  R.ok = ok; R.elapsed_ms = Date.now() - t0;
  if (process.env.RESULT) fs.writeFileSync(process.env.RESULT, JSON.stringify(R, null, 1));
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(ok ? 'ui test: PASS' : `ui test: FAIL ${R.error}`, `(${R.elapsed_ms} ms)`);
  process.exit(ok ? 0 : 1);
}
