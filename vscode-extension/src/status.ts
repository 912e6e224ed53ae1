// The status bar item: "starting", indexing progress, then the number of boundary findings.
// Clicking it opens the Problems panel (or the output channel when the server is not running).
import * as vscode from 'vscode';

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: ServerState = 'starting';
  private progress: { title: string; message?: string; percentage?: number } | undefined;
  private detail = '';

  constructor() {
    this.item = vscode.window.createStatusBarItem('boundary.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Boundary';
    this.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => this.render()));
    this.render();
    this.item.show();
  }

  /** Number of diagnostics published by boundary-lsp across all documents. */
  static findingCount(): number {
    let n = 0;
    for (const [, diags] of vscode.languages.getDiagnostics()) {
      for (const d of diags) if (d.source === 'boundary') n++;
    }
    return n;
  }

  setState(state: ServerState, detail = ''): void {
    this.state = state;
    this.detail = detail;
    if (state !== 'running') this.progress = undefined;
    this.render();
  }

  setProgress(p: { title: string; message?: string; percentage?: number } | undefined): void {
    this.progress = p;
    this.render();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    if (this.state === 'error' || this.state === 'stopped') {
      item.text = '$(error) Boundary';
      item.tooltip = `boundary-lsp is not running${this.detail ? `: ${this.detail}` : ''}. Click to show the output.`;
      item.command = 'boundary.showOutput';
      if (this.state === 'error') item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    if (this.state === 'starting') {
      item.text = '$(sync~spin) Boundary';
      item.tooltip = 'boundary-lsp is starting';
      item.command = 'boundary.showOutput';
      return;
    }
    if (this.progress) {
      const pct = this.progress.percentage !== undefined ? ` ${Math.round(this.progress.percentage)}%` : '';
      item.text = `$(sync~spin) Boundary: ${this.progress.title.toLowerCase()}${pct}`;
      item.tooltip = [this.progress.title, this.progress.message].filter(Boolean).join(': ');
      item.command = 'boundary.showOutput';
      return;
    }
    const n = StatusBar.findingCount();
    item.text = n === 0 ? '$(check) Boundary' : `$(warning) Boundary: ${n}`;
    item.tooltip = `boundary-lsp: ${n} finding${n === 1 ? '' : 's'}. Click to open the Problems panel.`;
    item.command = 'workbench.actions.view.problems';
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
