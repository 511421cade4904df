// Casebook report webview: forwards button clicks to the extension and keeps the scroll position
// across re-renders. Loaded with the page's nonce; no inline handlers anywhere.
(function () {
  const vscode = acquireVsCodeApi();

  const state = vscode.getState();
  if (state && typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);

  let pending = false;
  window.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      vscode.setState({ ...(vscode.getState() || {}), scrollY: window.scrollY });
    });
  });

  // Every button carries data-action (showEvidence, showTag, openCase) and its data-* arguments.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
    if (!target) return;
    event.preventDefault();
    const { action, ...data } = target.dataset;
    vscode.postMessage({ type: action, ...data });
  });

  vscode.postMessage({ type: 'ready' });
})();
