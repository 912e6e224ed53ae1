// Boundary for VS Code: starts boundary-lsp next to rust-analyzer (it only adds diagnostics, code actions,
// hover and code lens for Rust files; it registers no formatter, no completion, no go-to-definition).
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import { GraphState, showModuleGraph } from './graph';
import { expandPath, findServer, ServerSource } from './server';
import { StatusBar } from './status';

export const INSTALL_URL = 'https://github.com/boundary-lsp/boundary-lsp#installation';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('boundary');

/** What the extension exports (used by its integration tests; stable enough for other extensions). */
export interface BoundaryApi {
  readonly client: LanguageClient | undefined;
  readonly serverPath: string | undefined;
  readonly serverSource: ServerSource | undefined;
  /** The last start-up error shown to the user, if the server could not be started. */
  readonly lastError: string | undefined;
  readonly statusText: string;
  /** The last "Boundary: Show Module Graph" result (page and node names, or the error shown). */
  readonly graph: GraphState | undefined;
  /** Resolves once the current start attempt has finished (successfully or not). */
  ready(): Promise<void>;
  restart(): Promise<void>;
}

let ctx: vscode.ExtensionContext;
let output: vscode.OutputChannel;
let status: StatusBar;
let client: LanguageClient | undefined;
let serverPath: string | undefined;
let serverSource: ServerSource | undefined;
let lastError: string | undefined;
let starting: Promise<void> = Promise.resolve();
let graph: GraphState | undefined;

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The `boundary` settings as the server reads them (initializationOptions and workspace/configuration). */
export function serverSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('boundary', scope);
  const configPath = c.get<string>('configPath', '').trim();
  return {
    configPath: configPath ? expandPath(configPath, firstFolder()) : null,
    diagnostics: { scope: c.get<string>('diagnostics.scope', 'open') },
    codeLens: { enable: c.get<boolean>('codeLens.enable', false) },
    trace: c.get<string>('trace.server', 'off'),
  };
}

function showStartError(message: string): void {
  lastError = message;
  output.appendLine(`[error] ${message}`);
  status.setState('error', message);
  void vscode.window.showErrorMessage(`Boundary: ${message}`, 'How to Install', 'Open Settings', 'Show Output')
    .then((choice) => {
      if (choice === 'How to Install') void vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
      else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'boundary.server.path');
      else if (choice === 'Show Output') output.show(true);
    });
}

async function startClient(): Promise<void> {
  lastError = undefined;
  status.setState('starting');
  const setting = vscode.workspace.getConfiguration('boundary').get<string>('server.path', '');
  const found = findServer(setting, ctx.extensionPath, firstFolder());
  if ('error' in found) {
    serverPath = serverSource = undefined;
    showStartError(found.error);
    return;
  }
  serverPath = found.path;
  serverSource = found.source;
  output.appendLine(`[info] starting ${found.path} (from ${found.source})`);

  // TransportKind.stdio makes the client append `--stdio` to the arguments.
  const run = { command: found.path, transport: TransportKind.stdio, options: { env: { ...process.env } } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'rust' }],
    outputChannel: output,
    diagnosticCollectionName: 'boundary',
    initializationOptions: serverSettings(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{boundary.toml,Cargo.toml}'),
    },
    middleware: {
      workspace: {
        // answer workspace/configuration for section "boundary" in the shape the server expects
        configuration: async (params, token, next) => {
          const rest = await next(params, token);
          return params.items.map((item, i) => {
            if (item.section === 'boundary') {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return serverSettings(scope);
            }
            return Array.isArray(rest) ? rest[i] : null;
          });
        },
      },
    },
  };
  const c = new LanguageClient('boundary', 'Boundary', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (client !== c) return;
    if (e.newState === State.Running) status.setState('running');
    else if (e.newState === State.Stopped) status.setState('stopped');
  });
  try {
    await c.start();
  } catch (e) {
    if (client === c) {
      client = undefined;
      showStartError(`boundary-lsp (${found.path}) failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  // indexing progress ($/progress begin/report/end) goes to the status bar item
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    let title = 'Indexing';
    c.onProgress(WorkDoneProgress.type, token, (value) => {
      if (client !== c) return;
      if (value.kind === 'end') {
        status.setProgress(undefined);
        return;
      }
      if (value.kind === 'begin') title = value.title;
      status.setProgress({ title, message: value.message, percentage: value.percentage });
    });
  });
  status.setState('running');
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.dispose(5000); // stops the server (shutdown/exit), then frees the client
    } catch (e) {
      output.appendLine(`[warn] stopping the server: ${String(e)}`);
    }
  }
}

async function restart(): Promise<void> {
  await starting.catch(() => undefined);
  starting = (async () => {
    await stopClient();
    await startClient();
  })();
  return starting;
}

async function fixAllInFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'rust') {
    void vscode.window.showInformationMessage('Boundary: open a Rust file to fix its findings.');
    return;
  }
  const doc = editor.document;
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', doc.uri, range, FIX_ALL_KIND.value, 100) ?? [];
  const mine = actions.filter((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
  let applied = 0;
  for (const a of mine) {
    if (a.edit && (await vscode.workspace.applyEdit(a.edit))) applied++;
    if (a.command) await vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
  }
  vscode.window.setStatusBarMessage(applied ? 'Boundary: fixes applied' : 'Boundary: nothing to fix in this file', 3000);
}

/** The workspace folder of the active editor, else the first one. */
function graphFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

async function moduleGraph(): Promise<GraphState | undefined> {
  const folder = graphFolder();
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Boundary: open a folder (a Rust workspace on disk) to show its module graph.');
    return undefined;
  }
  // the same binary as the language server (setting, bundled, PATH), looked up again: the setting may have changed
  const setting = vscode.workspace.getConfiguration('boundary').get<string>('server.path', '');
  const found = findServer(setting, ctx.extensionPath, folder.uri.fsPath);
  if ('error' in found) {
    graph = { folder: folder.uri.fsPath, title: '', nodes: [], error: found.error };
    output.appendLine(`[error] ${found.error}`);
    void vscode.window.showErrorMessage(`Boundary: ${found.error}`, 'How to Install', 'Open Settings').then((choice) => {
      if (choice === 'How to Install') void vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
      else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'boundary.server.path');
    });
    return graph;
  }
  const configPath = serverSettings(folder.uri).configPath as string | null;
  graph = await showModuleGraph({ command: found.path, folder: folder.uri.fsPath, configPath, output });
  return graph;
}

export async function activate(context: vscode.ExtensionContext): Promise<BoundaryApi> {
  ctx = context;
  output = vscode.window.createOutputChannel('Boundary');
  status = new StatusBar();
  context.subscriptions.push(output, status);
  context.subscriptions.push(
    vscode.commands.registerCommand('boundary.restartServer', () => restart()),
    vscode.commands.registerCommand('boundary.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('boundary.fixAllInFile', () => fixAllInFile()),
    vscode.commands.registerCommand('boundary.showModuleGraph', () => moduleGraph()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('boundary')) return;
      if (e.affectsConfiguration('boundary.server.path') || !client) {
        void restart();
        return;
      }
      // the rest reaches the running server without a restart
      void client.sendNotification(DidChangeConfigurationNotification.type, { settings: { boundary: serverSettings() } });
    }),
    { dispose: () => void stopClient() },
  );
  starting = startClient();
  await starting.catch(() => undefined);
  return {
    get client() { return client; },
    get serverPath() { return serverPath; },
    get serverSource() { return serverSource; },
    get lastError() { return lastError; },
    get statusText() { return status.text; },
    get graph() { return graph; },
    ready: () => starting.catch(() => undefined),
    restart,
  };
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
