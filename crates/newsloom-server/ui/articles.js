// The article list, filtered by outlet, theme, tone range and place.

import { api, append, articleHref, day, emptyState, enc, h, link, moreButton, storyHref } from './dom.js';

const FILTERS = ['source', 'theme', 'tone_min', 'tone_max', 'country', 'geonameid'];

function articleItem(a) {
  return h('li', { class: 'card' },
    h('h2', null, link(articleHref(a.id), a.title || a.id)),
    h('p', { class: 'muted small' }, `${a.source || 'unknown outlet'} · ${day(a.published)}`,
      a.story ? [' · ', link(storyHref(a.story), 'story')] : ''));
}

function input(id, label, value, attrs = {}) {
  return h('label', { for: `f-${id}` }, label, h('input', { id: `f-${id}`, name: id, value: value || '', ...attrs }));
}

export async function articlesPage(params) {
  const root = h('section', null, h('h1', null, 'Articles'));
  const places = await api('/api/places?limit=100').catch(() => []);
  const place = h('select', { id: 'f-geonameid', name: 'geonameid' }, h('option', { value: '' }, 'any place'),
    places.map((p) => h('option', { value: String(p.geonameid), selected: String(p.geonameid) === params.get('geonameid') },
      `${p.name}${p.country ? ` (${p.country})` : ''} · ${p.articles}`)));
  const form = h('form', { class: 'row filters', id: 'article-filters', 'aria-label': 'Filter articles' },
    input('source', 'Outlet ', params.get('source')),
    input('theme', 'Theme ', params.get('theme'), { placeholder: 'PROTEST' }),
    input('tone_min', 'Tone from ', params.get('tone_min'), { type: 'number', step: 'any', min: '-100', max: '100' }),
    input('tone_max', 'to ', params.get('tone_max'), { type: 'number', step: 'any', min: '-100', max: '100' }),
    input('country', 'Country ', params.get('country'), { placeholder: 'RU', pattern: '[A-Za-z]{2}', maxlength: '2', size: '3' }),
    h('label', { for: 'f-geonameid' }, 'Place ', place),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const k of FILTERS) {
      const v = form.elements[k].value.trim();
      if (v) p.set(k, v);
    }
    location.hash = `#/articles?${p}`;
  });
  root.append(form);
  const q = new URLSearchParams();
  for (const k of FILTERS) if (params.get(k)) q.set(k, params.get(k));
  const fetchPage = (cursor) => api(`/api/articles?${q}&limit=30${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  const page = await fetchPage(null);
  if ([...q.keys()].length) root.append(h('p', { class: 'small' }, link('#/articles', 'Clear filters')));
  const list = h('ol', { class: 'cards', id: 'article-list' }, page.items.map(articleItem));
  append(root, [page.items.length ? list : emptyState('No articles match.', 'Widen the tone range or remove a filter.'),
    moreButton(list, page.next_cursor, fetchPage, articleItem)]);
  return root;
}
