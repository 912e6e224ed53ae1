// Integration tests run inside a real VS Code extension host (code-server), loaded through
// extensionTestsPath by tests/editors/vscode.sh. No mocha: run() resolving = pass, throwing = fail.
// The workspace is a copy of tests/editors/ws whose .vscode/settings.json points boundary.server.path at
// the server under test. Env: BOUNDARY_TEST_WS, BOUNDARY_TEST_OUT (JSON result), BOUNDARY_TEST_TIMEOUT (s).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BoundaryApi } from '../extension';
import type { GraphState } from '../graph';

const WS = process.env.BOUNDARY_TEST_WS ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const OUT = process.env.BOUNDARY_TEST_OUT ?? path.join(WS, '..', 'exthost-result.json');
const TIMEOUT = Number(process.env.BOUNDARY_TEST_TIMEOUT ?? 30) * 1000;
const LIB = vscode.Uri.file(path.join(WS, 'src', 'lib.rs'));
const OTHER = vscode.Uri.file(path.join(WS, 'src', 'other.rs'));
const STATIC = 'pub static mut COUNTER: u32 = 0;';
const ALLOW = '// boundary: allow(static-mut)';
const TITLE = 'Allow `static-mut` on this line';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = TIMEOUT): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timeout (${ms} ms) waiting for ${what}`);
    await sleep(50);
  }
}
function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}
function staticMut(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'boundary' && codeOf(d) === 'static-mut');
}
async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('boundary').update(key, value, vscode.ConfigurationTarget.Workspace);
}

const results: { name: string; ok: boolean; ms: number; error?: string; info?: unknown }[] = [];
let api: BoundaryApi;
let original = '';

async function test(name: string, body: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  try {
    const info = await body();
    results.push({ name, ok: true, ms: Date.now() - t0, info });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: String(e instanceof Error ? e.stack : e) });
    console.log(`FAIL ${name}: ${String(e)}`);
  }
}

async function resetLib(): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(LIB);
  if (doc.getText() !== original) {
    const we = new vscode.WorkspaceEdit();
    we.replace(LIB, new vscode.Range(0, 0, doc.lineCount, 0), original);
    await vscode.workspace.applyEdit(we);
    await doc.save();
  }
  return doc;
}

export async function run(): Promise<void> {
  original = fs.readFileSync(LIB.fsPath, 'utf8');

  await test('activates and starts the server from boundary.server.path', async () => {
    const ext = vscode.extensions.getExtension<BoundaryApi>('boundary-lsp.boundary-lsp');
    assert.ok(ext, 'extension boundary-lsp.boundary-lsp is installed');
    api = await ext.activate();
    await api.ready();
    assert.strictEqual(api.lastError, undefined, `no start-up error (got: ${api.lastError})`);
    assert.strictEqual(api.serverSource, 'setting');
    assert.ok(api.client?.isRunning(), 'client running');
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['boundary.restartServer', 'boundary.showOutput', 'boundary.fixAllInFile', 'boundary.showModuleGraph']) {
      assert.ok(cmds.includes(c), c);
    }
    return { serverPath: api.serverPath, extensionPath: ext.extensionPath };
  });

  await test('publishes boundary diagnostics for an open file', async () => {
    const doc = await vscode.workspace.openTextDocument(LIB);
    await vscode.window.showTextDocument(doc);
    const [d] = await waitFor('a static-mut diagnostic', () => staticMut(LIB)[0] && staticMut(LIB));
    assert.strictEqual(doc.lineAt(d.range.start.line).text, STATIC, 'on the static line');
    assert.ok(d.message.includes('static mut'), `message: ${d.message}`);
    const code = d.code as { value: string; target: vscode.Uri } | string;
    assert.ok(typeof code === 'object' && code.target, 'code carries codeDescription.href');
    await waitFor('the status bar to count findings', () => /Boundary: \d+/.test(api.statusText) || undefined);
    return { message: d.message, href: typeof code === 'object' ? code.target.toString() : undefined, status: api.statusText };
  });

  await test('quick fix "Allow `static-mut` on this line" through executeCodeActionProvider', async () => {
    const doc = await resetLib();
    const [d] = await waitFor('a static-mut diagnostic', () => staticMut(LIB)[0] && staticMut(LIB));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', LIB, d.range, vscode.CodeActionKind.QuickFix.value, 10);
    const titles = actions.map((a) => a.title);
    const allow = actions.find((a) => a.title === TITLE);
    assert.ok(allow?.edit, `"${TITLE}" with an edit among ${JSON.stringify(titles)}`);
    assert.ok(await vscode.workspace.applyEdit(allow.edit));
    const line = doc.getText().split('\n').indexOf(STATIC);
    assert.strictEqual(doc.lineAt(line - 1).text, ALLOW);
    await waitFor('the finding to go away', () => staticMut(LIB).length === 0);
    await resetLib();
    await waitFor('the finding to come back after the reset', () => staticMut(LIB).length > 0);
    return { titles };
  });

  await test('Boundary: Fix All in File runs on the active file', async () => {
    const doc = await resetLib();
    await vscode.window.showTextDocument(doc);
    // asks the server for source.fixAll.boundary and applies what it returns (the fixture may have no safe fix)
    await vscode.commands.executeCommand('boundary.fixAllInFile');
    const changed = doc.getText() !== original;
    assert.ok(doc.getText().includes('static mut COUNTER') || changed);
    await resetLib();
    return { changed };
  });

  await test('boundary.diagnostics.scope reaches the server without a restart', async () => {
    const before = api.client;
    assert.strictEqual(staticMut(OTHER).length, 0, 'scope "open": the unopened other.rs has no diagnostics');
    await setting('diagnostics.scope', 'workspace');
    await waitFor('other.rs diagnostics with scope "workspace"', () => staticMut(OTHER).length > 0);
    assert.strictEqual(api.client, before, 'same client: no restart');
    await setting('diagnostics.scope', undefined);
  });

  await test('boundary.configPath reaches the server without a restart', async () => {
    await resetLib();
    await waitFor('a static-mut diagnostic', () => staticMut(LIB).length > 0);
    const before = api.client;
    await setting('configPath', path.join(WS, 'boundary-off.toml'));
    await waitFor('static-mut to be off with boundary-off.toml', () => staticMut(LIB).length === 0);
    await setting('configPath', undefined);
    await waitFor('static-mut back with the default config', () => staticMut(LIB).length > 0);
    assert.strictEqual(api.client, before, 'same client: no restart');
  });

  await test('Boundary: Show Module Graph opens the graph page in a webview', async () => {
    await setting('configPath', undefined);
    await vscode.window.showTextDocument(await resetLib());
    const state = await vscode.commands.executeCommand<GraphState | undefined>('boundary.showModuleGraph');
    assert.ok(state, 'the command returns its result');
    assert.strictEqual(state.error, undefined, `no error (got: ${state.error})`);
    assert.strictEqual(api.graph, state);
    const title = `Module Graph: ${path.basename(WS)}`;
    assert.strictEqual(state.title, title);
    assert.deepStrictEqual(state.nodes, ['boundary_editor_demo', 'boundary_editor_demo::other'], 'one node per module');
    const html = state.html ?? '';
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'nonce-[^']+';">/);
    assert.match(html, /<script nonce="[^"]+">/, 'the inline script carries the nonce');
    assert.match(html, /<svg id="graph"/);
    const tab = await waitFor('the graph webview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.label === title));
    const viewType = (tab.input as vscode.TabInputWebview).viewType;
    assert.ok(viewType.endsWith('boundary.moduleGraph'), `viewType ${viewType}`);
    assert.ok(tab.isActive, 'the graph tab is active');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the graph tab to close', () => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === title));
    return { title, nodes: state.nodes, viewType, bytes: html.length };
  });

  await test('Boundary: Show Module Graph shows the config error (exit 2) with its stderr', async () => {
    const bad = path.join(WS, 'boundary-bad-layers.toml');
    fs.writeFileSync(bad, '[[layers]]\nname = "core"\nmodules = ["crate::nope"]\n');
    await setting('configPath', bad);
    try {
      const state = await vscode.commands.executeCommand<GraphState | undefined>('boundary.showModuleGraph');
      assert.ok(state?.error, 'an error');
      assert.match(state.error, /configuration error/);
      assert.ok(state.error.includes('unknown module pattern `crate::nope`'), `stderr in the message: ${state.error}`);
      assert.ok(state.error.includes(bad), 'names the config file');
      assert.strictEqual(state.html, undefined);
      return { error: state.error };
    } finally {
      await setting('configPath', undefined);
      fs.rmSync(bad, { force: true });
    }
  });

  await test('Boundary: Restart Server', async () => {
    const before = api.client;
    await vscode.commands.executeCommand('boundary.restartServer');
    await api.ready();
    assert.ok(api.client && api.client !== before && api.client.isRunning(), 'a new running client');
    await waitFor('diagnostics after the restart', () => staticMut(LIB).length > 0);
  });

  const configured = vscode.workspace.getConfiguration('boundary').get<string>('server.path', '');
  await test('a missing server binary shows the error', async () => {
    await setting('server.path', path.join(WS, 'no-such-dir', 'boundary-lsp'));
    await waitFor('the start-up error', () => api.lastError);
    assert.match(api.lastError!, /no executable boundary-lsp/);
    assert.strictEqual(api.client, undefined);
    assert.match(api.statusText, /error/);
    return { error: api.lastError };
  });

  await test('without the setting the server is found bundled or on PATH', async () => {
    // the extension host's PATH comes from the login shell: put the configured server's folder on it, as a
    // user who installed boundary-lsp would have it
    process.env.PATH = `${path.dirname(configured)}${path.delimiter}${process.env.PATH}`;
    await setting('server.path', undefined);
    await waitFor('a running client', () => api.client?.isRunning()).catch((e) => {
      throw new Error(`${e}; lastError: ${api.lastError}; PATH=${process.env.PATH}`);
    });
    assert.ok(api.serverSource === 'bundled' || api.serverSource === 'PATH', `source ${api.serverSource}`);
    await waitFor('diagnostics', () => staticMut(LIB).length > 0);
    return { source: api.serverSource, path: api.serverPath };
  });

  const failed = results.filter((r) => !r.ok);
  fs.writeFileSync(OUT, JSON.stringify({ ok: failed.length === 0, results }, null, 1));
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) throw new Error(`${failed.length} extension test(s) failed: ${failed.map((f) => f.name).join('; ')}`);
}
