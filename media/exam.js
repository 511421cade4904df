// Casebook exam question view. The host owns the attempt and sends a `view` after every change; this
// page renders it, sends the learner's intents, and shows confirmations the host asks for. Keys:
// 1–6 or A–E answer (F always flags), F flag, N next, P previous. No inline handlers, no eval.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.querySelector('.exam');
  let view = JSON.parse(root.dataset.view || 'null');
  let filter = (vscode.getState() || {}).filter || 'all';
  // Which attempt this is, so VS Code can hand it back to the extension after Reload Window.
  try {
    const subject = JSON.parse(document.body.dataset.subject || 'null');
    if (subject) vscode.setState({ ...(vscode.getState() || {}), subject });
  } catch (_) {
    // no subject: nothing to restore
  }
  let pendingConfirm = null;

  const $ = (selector) => root.querySelector(selector);
  const post = (message) => vscode.postMessage(message);

  function clockText(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, '0');
    return `${h}:${pad(m)}:${pad(s % 60)}`;
  }

  function tick() {
    const clock = $('.exam-clock');
    if (!view || view.submitted) {
      clock.textContent = view && view.submitted ? 'Submitted' : '';
      return;
    }
    if (view.endsAt === null) {
      clock.textContent = 'Practice: untimed';
      clock.className = 'exam-clock';
      return;
    }
    const left = view.endsAt - Date.now();
    clock.textContent = `${view.parts > 1 ? `Part ${view.part + 1}: ` : ''}${clockText(left)} left`;
    clock.className = `exam-clock${left <= 5 * 60000 ? ' urgent' : left <= 30 * 60000 ? ' warning' : ''}`;
  }

  function cellVisible(cell) {
    if (filter === 'unanswered') return !cell.answered;
    if (filter === 'answered') return cell.answered;
    if (filter === 'flagged') return cell.flagged;
    return true;
  }

  function renderNavigator() {
    const grid = $('.nav-grid');
    const items = view.nav.map((cell) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = ['cell', cell.answered ? 'answered' : '', cell.flagged ? 'flagged' : '', cell.locked ? 'locked' : '', cell.current ? 'current' : '']
        .filter(Boolean)
        .join(' ');
      button.textContent = String(cell.n);
      button.dataset.go = cell.id;
      button.disabled = cell.locked && !cell.current;
      const state = [cell.answered ? 'answered' : 'unanswered', cell.flagged ? 'flagged' : '', cell.locked ? 'locked' : ''].filter(Boolean).join(', ');
      button.setAttribute('aria-label', `Question ${cell.n}, ${state}`);
      if (cell.current) button.setAttribute('aria-current', 'true');
      li.hidden = !cellVisible(cell);
      li.appendChild(button);
      return li;
    });
    grid.replaceChildren(...items);
    for (const b of root.querySelectorAll('[data-filter]')) b.setAttribute('aria-pressed', String(b.dataset.filter === filter));
  }

  function render() {
    if (!view) return;
    const answered = view.nav.filter((c) => c.answered).length;
    const flagged = view.nav.filter((c) => c.flagged).length;
    $('.exam-progress').textContent = `Question ${view.index + 1} of ${view.total} · ${answered} answered · ${flagged} flagged`;
    const title = $('.question-title');
    title.textContent = `Question ${view.index + 1}${view.parts > 1 ? ` · Part ${view.part + 1} of ${view.parts}` : ''}${view.locked ? ' · locked' : ''}`;
    if (view.flagged) {
      const flag = document.createElement('span');
      flag.className = 'flag';
      flag.textContent = ' ⚑ flagged';
      title.appendChild(flag);
    }
    // Host-made HTML: pack text escaped, Markdown rendered without raw HTML (core/exam/view.ts).
    $('.question-content').innerHTML = view.html;
    $('.question').dataset.item = view.item;
    const flagButton = $('.flag-button');
    flagButton.setAttribute('aria-pressed', String(view.flagged));
    flagButton.disabled = view.locked;
    $('[data-action="previous"]').disabled = view.index === 0 || view.locked;
    $('[data-action="next"]').disabled = view.index >= view.total - 1;
    $('[data-action="submit"]').disabled = view.submitted;
    renderNavigator();
    tick();
  }

  function answerAt(position) {
    if (!view || view.kind !== 'question' || view.locked || position < 0 || position >= view.letters.length) return;
    const letter = view.letters[position];
    // Show the choice at once; the host's next view confirms it.
    for (const b of root.querySelectorAll('.choice')) {
      const on = b.dataset.letter === letter;
      b.classList.toggle('chosen', on);
      b.setAttribute('aria-pressed', String(on));
    }
    post({ type: 'answer', item: view.item, letter });
  }

  function showConfirm(id, text) {
    pendingConfirm = id;
    $('#confirm-text').textContent = text;
    $('.confirm').hidden = false;
    $('[data-action="confirmYes"]').focus();
  }

  function closeConfirm(yes) {
    const id = pendingConfirm;
    pendingConfirm = null;
    $('.confirm').hidden = true;
    if (id !== null) post({ type: 'confirmed', id, yes });
    $('.question').focus();
  }

  document.addEventListener('click', (event) => {
    const element = event.target instanceof Element ? event.target : null;
    if (!element) return;
    const go = element.closest('[data-go]');
    if (go) return post({ type: 'go', item: go.dataset.go });
    const filterButton = element.closest('[data-filter]');
    if (filterButton) {
      filter = filterButton.dataset.filter;
      vscode.setState({ ...(vscode.getState() || {}), filter });
      return renderNavigator();
    }
    const target = element.closest('[data-action]');
    if (!target || target.disabled) return;
    const action = target.dataset.action;
    switch (action) {
      case 'answer': {
        const i = view.letters.indexOf(target.dataset.letter);
        return answerAt(i);
      }
      case 'confirmYes':
        return closeConfirm(true);
      case 'confirmNo':
        return closeConfirm(false);
      case 'flag':
        return post({ type: 'flag', item: view.item });
      case 'next':
      case 'previous':
      case 'submit':
      case 'findCode':
        return post({ type: action });
      case 'openCase':
        return post({ type: 'openCase', item: view.item });
    }
  });

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (pendingConfirm !== null) {
      if (event.key === 'Escape') closeConfirm(false);
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest('input, textarea, select')) return;
    const key = event.key.toLowerCase();
    let handled = true;
    if (/^[1-6]$/.test(key)) answerAt(Number(key) - 1);
    else if (key === 'f') post({ type: 'flag', item: view.item });
    else if (/^[a-e]$/.test(key)) answerAt(key.charCodeAt(0) - 97);
    else if (key === 'n' || key === 'arrowright') post({ type: 'next' });
    else if (key === 'p' || key === 'arrowleft') post({ type: 'previous' });
    else handled = false;
    if (handled) event.preventDefault();
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.type !== 'string') return;
    switch (message.type) {
      case 'view':
        view = message.view;
        render();
        if (message.focus) $('.question').focus();
        break;
      case 'confirm':
        showConfirm(message.id, message.text);
        break;
    }
  });

  setInterval(tick, 1000);
  render();
  $('.question').focus();
  post({ type: 'ready' });
})();
