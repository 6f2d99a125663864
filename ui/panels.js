// A panel whose figures come from one or more admin routes: shows "loading", then the rendered
// figures, "not available on this server yet" when a route does not exist, or the error's text.
import {NotAvailable} from './api.js';
import {clear, el, note, panel} from './dom.js';

export const NOT_AVAILABLE = 'Not available on this server yet.';

export function errorText(error) {
  if (error instanceof NotAvailable) return NOT_AVAILABLE;
  if (error && error.status === 401) return 'The admin key was refused (401). Type it again.';
  if (error && error.status === 403) return 'The key is not an admin key (403).';
  return `Could not load: ${error && error.message ? error.message : error}`;
}

// A panel that calls `load()` and puts what `render(data)` returns in it.
export function loadingPanel(title, load, render, wide = false) {
  const body = el('div', {}, note('Loading…'));
  const section = panel(title, body);
  if (wide) section.classList.add('wide');
  load().then(
      (data) => clear(body).append(...[render(data)].flat().filter(Boolean)),
      (error) => {
        const text = errorText(error);
        clear(body).append(
            el('p', {class: text === NOT_AVAILABLE ? 'note not-available' : 'error-text'}, text));
      },
  );
  return section;
}
