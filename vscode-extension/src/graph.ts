// "Boundary: Show Module Graph": runs `boundary-lsp graph <folder> --format html` (the same binary the
// language server uses) and shows the self-contained page (inline SVG, CSS and one script) in a webview.
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';

/** The last graph shown (or the last failure), exported for the integration tests. */
export interface GraphState {
  readonly folder: string;
  /** The panel title, e.g. "Module Graph: demo". */
  readonly title: string;
  /** The HTML given to the webview (with the CSP added), when the command succeeded. */
  readonly html?: string;
  /** `data-name` of every module/crate node in the page. */
  readonly nodes: string[];
  /** The error shown to the user (with the command's stderr), when it failed. */
  readonly error?: string;
}

export interface GraphRun {
  command: string;
  folder: string;
  configPath: string | null;
  output: vscode.OutputChannel;
}

const MAX_OUTPUT = 64 * 1024 * 1024;
const TIMEOUT_MS = 5 * 60 * 1000;

let panel: vscode.WebviewPanel | undefined;

/** The node names of a graph page (`<g class="node ..." data-name="...">`). */
export function graphNodes(html: string): string[] {
  const names: string[] = [];
  for (const m of html.matchAll(/<g class="node[^"]*"[^>]*\sdata-name="([^"]*)"/g)) names.push(unescapeHtml(m[1]));
  return names;
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Adds a Content-Security-Policy to the page: nothing may be loaded (no network, no files); the page's own
 * inline scripts run through a nonce, its inline styles are allowed, images only as data: URIs.
 */
export function withCsp(html: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';`;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp}">`;
  const page = html.replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`);
  if (/<head[^>]*>/i.test(page)) return page.replace(/<head[^>]*>/i, (h) => `${h}\n${meta}`);
  return `${meta}\n${page}`;
}

interface Exec { code: number | null; stdout: string; stderr: string; spawnError?: string }

function exec(command: string, args: string[], cwd: string, token: vscode.CancellationToken): Promise<Exec> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd, maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        if (!e) return resolve({ code: 0, stdout, stderr });
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        // spawn failure (ENOENT/EACCES), killed by the timeout or a cancel, or output above maxBuffer
        const why = e.killed ? (token.isCancellationRequested ? 'cancelled' : `killed (timeout ${TIMEOUT_MS / 1000} s)`) : e.message;
        resolve({ code: null, stdout, stderr, spawnError: why });
      });
    token.onCancellationRequested(() => child.kill());
  });
}

/** Runs the graph command and shows the page; on failure shows an error with the command's stderr. */
export async function showModuleGraph(run: GraphRun): Promise<GraphState> {
  const name = path.basename(run.folder);
  const title = `Module Graph: ${name}`;
  const args = ['graph', run.folder, '--format', 'html'];
  if (run.configPath) args.push('--config', run.configPath);
  run.output.appendLine(`[info] ${run.command} ${args.join(' ')}`);

  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Boundary: drawing the module graph of ${name}`, cancellable: true },
    (_progress, token) => exec(run.command, args, run.folder, token));
  const stderr = r.stderr.trim();
  if (stderr) run.output.appendLine(stderr);

  let error: string | undefined;
  if (r.spawnError) error = `\`boundary-lsp graph\` could not run (${run.command}): ${r.spawnError}`;
  // the CLI prints `error: <file>:<line>:<col>: ...`; the notification says "error" already
  else if (r.code === 2) error = `The module graph could not be built (configuration error): ${stderr.replace(/^error: /gm, '') || 'exit code 2'}`;
  else if (r.code !== 0) error = `\`boundary-lsp graph\` failed with exit code ${r.code}${stderr ? `: ${stderr}` : ''}`;
  else if (!/<svg[\s>]/.test(r.stdout)) error = '`boundary-lsp graph --format html` printed no graph (is the server binary older than the graph command?)';
  if (error) {
    run.output.appendLine(`[error] ${error}`);
    void vscode.window.showErrorMessage(`Boundary: ${error}`, 'Show Output').then((c) => {
      if (c === 'Show Output') run.output.show(true);
    });
    return { folder: run.folder, title, nodes: [], error };
  }

  if (!panel) {
    panel = vscode.window.createWebviewPanel('boundary.moduleGraph', title, vscode.ViewColumn.Active, {
      enableScripts: true, // the page's own inline script (hover highlighting), allowed by nonce only
      localResourceRoots: [],
      enableFindWidget: true,
      retainContextWhenHidden: false,
    });
    panel.onDidDispose(() => { panel = undefined; });
  } else {
    panel.reveal(vscode.ViewColumn.Active);
  }
  panel.title = title;
  const html = withCsp(r.stdout);
  panel.webview.html = html;
  return { folder: run.folder, title, html, nodes: graphNodes(r.stdout) };
}

/** The graph's panel, if open (for tests and for disposing on deactivate). */
export function graphPanel(): vscode.WebviewPanel | undefined {
  return panel;
}
