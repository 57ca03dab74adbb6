// The emulator dashboard's script: keeps the page fresh and its buttons quick. The page reads the
// same without it: the server renders every value (escaped), and the buttons are plain forms.
(() => {
  'use strict';
  /** How often the page asks for a fresh copy while visible (ms). */
  const POLL_MS = 1500;
  /** The parts of the page that change, by id. */
  const LIVE = ['balance', 'sections', 'main'];
  const live = document.getElementById('live');
  let etag = '';
  let timer = 0;
  let busy = false;

  function say(text, isError) {
    if (!live) return;
    live.textContent = text;
    live.classList.toggle('error', Boolean(isError));
  }

  /** Swaps in the changing parts of a fresh copy of the page, keeping open details open. */
  function apply(markup) {
    const fresh = new DOMParser().parseFromString(markup, 'text/html');
    const open = new Set(
      Array.from(document.querySelectorAll('details[open][data-key]'), (d) => d.dataset.key),
    );
    for (const id of LIVE) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(document.adoptNode(next));
    }
    for (const d of document.querySelectorAll('details[data-key]')) {
      if (open.has(d.dataset.key)) d.open = true;
    }
    mark();
  }

  /** Marks the row the address points at (:target is lost when the row is swapped). */
  function mark() {
    for (const row of document.querySelectorAll('.targeted')) row.classList.remove('targeted');
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target) target.classList.add('targeted');
  }

  async function refresh() {
    const response = await fetch(location.pathname, {
      headers: etag ? { 'if-none-match': etag } : {},
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (response.status === 304) return;
    if (!response.ok) throw new Error(`the dashboard answered ${response.status}`);
    etag = response.headers.get('etag') || '';
    apply(await response.text());
  }

  async function poll() {
    clearTimeout(timer);
    if (document.hidden) return;
    if (!busy) {
      busy = true;
      try {
        await refresh();
        if (live && live.classList.contains('error')) say('');
      } catch (error) {
        say(`Not updating: ${error.message}. Trying again…`, true);
      } finally {
        busy = false;
      }
    }
    timer = setTimeout(poll, POLL_MS);
  }

  /** The buttons: the same POST the form sends, then the page it answers, without a reload. */
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== 'post') return;
    event.preventDefault();
    const button = form.querySelector('button');
    const label = button ? button.textContent.trim() : 'Done';
    if (button) button.disabled = true;
    say(`${label}…`);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error((await response.text()).trim() || `${response.status}`);
      etag = response.headers.get('etag') || '';
      apply(await response.text());
      say(`${label}: done.`);
    } catch (error) {
      say(`${label} failed: ${error.message}`, true);
    } finally {
      if (button) button.disabled = false;
    }
  });

  document.addEventListener('visibilitychange', poll);
  window.addEventListener('hashchange', mark);
  timer = setTimeout(poll, POLL_MS);
})();
