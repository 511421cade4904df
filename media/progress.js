// Casebook progress dashboard: forwards button clicks to the extension and keeps the scroll position
// and the pack shown (for a window reload). Loaded with the page's nonce; no inline handlers anywhere.
// Messages: exactly those of src/core/dashboardProtocol.ts (this plain script cannot import it;
// test/unit/dashboard.test.ts checks the names match).
(function () {
  const vscode = acquireVsCodeApi();

  const state = vscode.getState();
  if (state && typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);

  // The pack shown, so VS Code can hand it back to the extension after a window reload.
  const packRoot = document.body.dataset.packRoot;
  if (packRoot) vscode.setState({ ...(vscode.getState() || {}), packRoot });

  let pending = false;
  window.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      vscode.setState({ ...(vscode.getState() || {}), scrollY: window.scrollY });
    });
  });

  // Every button carries data-action (openCase, practiseNext, exportJournal) and its data-* arguments.
  document.addEventListener('click', (event) => {
    const element = event.target instanceof Element ? event.target : null;
    const target = element ? element.closest('[data-action]') : null;
    if (!target) return;
    event.preventDefault();
    const { action, ...data } = target.dataset;
    vscode.postMessage({ type: action, ...data });
  });

  vscode.postMessage({ type: 'ready' });
})();
