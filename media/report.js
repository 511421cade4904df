// Casebook report webview: forwards button clicks to the extension and keeps the scroll position
// across re-renders. Loaded with the page's nonce; no inline handlers anywhere.
// Messages: exactly those of src/core/reportProtocol.ts (this plain script cannot import it;
// test/unit/reportProtocol.test.ts checks the names match).
(function () {
  const vscode = acquireVsCodeApi();

  const state = vscode.getState();
  if (state && typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);

  // What the panel shows, so VS Code can hand it back to the extension after a window reload.
  try {
    const subject = JSON.parse(document.body.dataset.subject || 'null');
    if (subject) vscode.setState({ ...(vscode.getState() || {}), subject });
  } catch (_) {
    // no subject: nothing to restore
  }

  let pending = false;
  window.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      vscode.setState({ ...(vscode.getState() || {}), scrollY: window.scrollY });
    });
  });

  // Every button carries data-action (showEvidence, showTag, openCase, dispute) and its data-* arguments.
  document.addEventListener('click', (event) => {
    const element = event.target instanceof Element ? event.target : null;
    const link = element ? element.closest('a[href]') : null;
    if (link && !/^(https?:|#)/i.test(link.getAttribute('href') || '')) {
      // A pack-relative link: the extension opens it if it stays inside the pack.
      event.preventDefault();
      vscode.postMessage({ type: 'openLink', href: link.getAttribute('href') });
      return;
    }
    const target = element ? element.closest('[data-action]') : null;
    if (!target) return;
    event.preventDefault();
    const { action, ...data } = target.dataset;
    vscode.postMessage({ type: action, ...data });
  });

  vscode.postMessage({ type: 'ready' });
})();
