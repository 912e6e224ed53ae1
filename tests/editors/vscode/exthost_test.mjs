// Runs the extension's integration tests (vscode-extension/dist/test/index.js) inside code-server's real
// extension host: the extensionDevelopmentPath/extensionTestsPath URL payload + window.codeAutomationExit,
// the mechanism @vscode/test-web uses. code-server must already listen on CS_HOST.
// Env: CS_HOST, EXT_DEV_PATH, EXT_TESTS_PATH, WS_FOLDER, EXT_TEST_TIMEOUT_MS, SHOTS, CHROMIUM
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOST = process.env.CS_HOST;
const EXT = process.env.EXT_DEV_PATH;
const TESTS = process.env.EXT_TESTS_PATH || `${EXT}/dist/test/index`;
const FOLDER = process.env.WS_FOLDER;
const TIMEOUT = Number(process.env.EXT_TEST_TIMEOUT_MS || 300000);
const t0 = Date.now();

const payload = [
  ['extensionDevelopmentPath', `vscode-remote://${HOST}${EXT}`],
  ['extensionTestsPath', `vscode-remote://${HOST}${TESTS}`],
];
const url = `http://${HOST}/?folder=${encodeURIComponent(FOLDER)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'boundary-pw-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
let done;
const exited = new Promise((r) => { done = r; });
await ctx.exposeFunction('codeAutomationLog', (type, args) => {
  if (type !== 'info') console.log(`[exthost ${type}]`, ...(args ?? []));
  else console.log('[exthost]', ...(args ?? []));
});
await ctx.exposeFunction('codeAutomationExit', (code) => done(code));
const page = ctx.pages()[0] ?? await ctx.newPage();
// VS Code 1.10x honours the test payload in built products only with developmentOptions.enableSmokeTestDriver
// (a server flag code-server's CLI rejects): patch the web configuration as the workbench reads it.
await ctx.addInitScript(() => {
  const orig = Element.prototype.getAttribute;
  Element.prototype.getAttribute = function (name) {
    const v = orig.call(this, name);
    if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
      const c = JSON.parse(v);
      c.developmentOptions = { ...(c.developmentOptions || {}), enableSmokeTestDriver: true };
      return JSON.stringify(c);
    }
    return v;
  };
});
await page.goto(url);
const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT))]);
if (process.env.SHOTS) await page.screenshot({ path: path.join(process.env.SHOTS, 'vscode-exthost-end.png') }).catch(() => {});
await ctx.close();
fs.rmSync(profile, { recursive: true, force: true });
console.log(`extension-host tests: exit code ${code} (${Date.now() - t0} ms)`);
process.exit(code === 0 ? 0 : 1);
