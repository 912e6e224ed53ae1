// Finding the boundary-lsp executable: the `boundary.server.path` setting, else the binary bundled in the
// extension (server/), else `boundary-lsp` on PATH.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type ServerSource = 'setting' | 'bundled' | 'PATH';
export type ServerLookup = { path: string; source: ServerSource } | { error: string };

const EXE = process.platform === 'win32' ? 'boundary-lsp.exe' : 'boundary-lsp';

function isExecutable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands `~` and `${workspaceFolder}`, and resolves a relative path against the first workspace folder. */
export function expandPath(p: string, workspaceFolder: string | undefined): string {
  let r = p.trim();
  if (r === '~' || r.startsWith('~/')) r = path.join(os.homedir(), r.slice(1));
  if (workspaceFolder) r = r.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (!path.isAbsolute(r) && workspaceFolder) r = path.join(workspaceFolder, r);
  return r;
}

export function findServer(setting: string, extensionPath: string, workspaceFolder: string | undefined,
  envPath: string | undefined = process.env.PATH): ServerLookup {
  if (setting.trim()) {
    const p = expandPath(setting, workspaceFolder);
    if (isExecutable(p)) return { path: p, source: 'setting' };
    return { error: `The setting boundary.server.path is "${setting}", but there is no executable boundary-lsp at ${p}.` };
  }
  const bundled = path.join(extensionPath, 'server', EXE);
  if (isExecutable(bundled)) return { path: bundled, source: 'bundled' };
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, EXE);
    if (isExecutable(p)) return { path: p, source: 'PATH' };
  }
  return {
    error: 'Could not find the boundary-lsp language server: boundary.server.path is not set, this extension ' +
      'has no bundled server for this platform, and boundary-lsp is not on PATH.',
  };
}
