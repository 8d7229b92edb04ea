// The router: hash routes, so every page is a real link and needs no server routes.

import { errorState, h } from './dom.js';
import { articlePage } from './article.js';
import { articlesPage } from './articles.js';
import { tonePage } from './tone.js';
import { dyadPage } from './dyad.js';
import { statusPage } from './status.js';
import { entitiesPage, entityPage, searchPage, storiesPage, storyPage } from './pages.js';

const routes = [
  [/^\/?$/, storiesPage],
  [/^\/stories$/, storiesPage],
  [/^\/story\/(.+)$/, storyPage],
  [/^\/article\/(.+)$/, articlePage],
  [/^\/search$/, searchPage],
  [/^\/entities$/, entitiesPage],
  [/^\/entity\/(.+)$/, entityPage],
  [/^\/dyad$/, dyadPage],
  [/^\/articles$/, articlesPage],
  [/^\/tone$/, tonePage],
  [/^\/status$/, statusPage],
];

let generation = 0;

async function render() {
  const main = document.getElementById('main');
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const mine = ++generation;
  for (const [re, page] of routes) {
    const m = path.match(re);
    if (!m) continue;
    const args = m.slice(1).map(decodeURIComponent);
    main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    try {
      const view = await page(params, ...args);
      // A newer navigation started while this one loaded: drop the stale page.
      if (mine !== generation) return;
      main.replaceChildren(view);
    } catch (e) {
      if (mine !== generation) return;
      main.replaceChildren(errorState(e));
    }
    const heading = main.querySelector('h1');
    document.title = heading ? `${heading.textContent} · newsloom` : 'newsloom';
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    return;
  }
  main.replaceChildren(h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/' }, 'Back to stories')));
}

document.getElementById('quick-search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('quick-q').value.trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

window.addEventListener('hashchange', render);
render();
