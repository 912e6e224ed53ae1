// `npm run package`: makes boundary-lsp.vsix with @vscode/vsce, offline.
// If a server binary is available it is bundled under server/ and the .vsix is marked for this platform
// (vsce --target); otherwise a universal .vsix is made that finds boundary-lsp through the setting or PATH.
// Server binary: $BOUNDARY_LSP_BIN, else <repo>/target/release/boundary-lsp. BOUNDARY_NO_BUNDLE=1 skips it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(ext, '..');
const exe = process.platform === 'win32' ? 'boundary-lsp.exe' : 'boundary-lsp';
const src = process.env.BOUNDARY_LSP_BIN || path.join(repo, 'target', 'release', exe);
const serverDir = path.join(ext, 'server');
const targets = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-x64', 'win32-arm64': 'win32-arm64' };

fs.rmSync(serverDir, { recursive: true, force: true });
const args = ['package', '--no-dependencies', '--out', path.join(ext, 'boundary-lsp.vsix')];
if (process.env.BOUNDARY_NO_BUNDLE !== '1' && fs.existsSync(src)) {
  fs.mkdirSync(serverDir, { recursive: true });
  fs.copyFileSync(src, path.join(serverDir, exe));
  fs.chmodSync(path.join(serverDir, exe), 0o755);
  const target = targets[`${process.platform}-${process.arch}`];
  if (target) args.push('--target', target);
  console.log(`bundling ${src} as server/${exe}${target ? ` (target ${target})` : ''}`);
} else {
  console.log(`no server binary at ${src}: packaging a universal .vsix (server from boundary.server.path or PATH)`);
}
execFileSync('vsce', args, { cwd: ext, stdio: 'inherit', shell: process.platform === 'win32' });
