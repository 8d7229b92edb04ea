// Stories, story, search and entity pages.

import {
  api, append, articleHref, day, emptyState, enc, entityHref, errorState, eventRow, h, link, moreButton,
  quadLabel, quoteRow, storyHref,
} from './dom.js';
import { storyMap } from './map.js';
import { tonePanel } from './tone.js';

const SORTS = [['newest', 'Newest'], ['biggest', 'Biggest'], ['outlets', 'Most outlets']];

function storyCard(s) {
  return h('li', { class: 'card story-card' },
    h('h2', null, link(storyHref(s.id), s.title || '(untitled story)')),
    h('p', { class: 'muted small' },
      `${s.size} article${s.size === 1 ? '' : 's'} · ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'}`,
      s.reprints ? ` · ${s.reprints} reprint${s.reprints === 1 ? '' : 's'}` : '',
      ` · ${day(s.first_seen)} → ${day(s.last_seen)}`),
    h('ul', { class: 'chips', 'aria-label': 'Outlets' },
      s.outlets.slice(0, 12).map((o) => h('li', { class: 'chip' }, o.name, h('span', { class: 'count' }, String(o.articles)))),
      s.outlets.length > 12 ? h('li', { class: 'chip muted' }, `+${s.outlets.length - 12} more`) : null));
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function storiesHref(sort, from, to) {
  const p = new URLSearchParams({ sort });
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  return `#/stories?${p}`;
}

// From/to days, and "latest day": the newest day in the store (archives have no "today").
function rangeForm(sort, from, to, lastDay) {
  const input = (id, label, value) => h('label', { for: id }, label,
    h('input', { id, name: id, type: 'date', value: value || '' }));
  const form = h('form', { class: 'row range-form', 'aria-label': 'Stories seen between two days' },
    input('from', 'From ', from), input('to', 'To ', to), h('button', { type: 'submit' }, 'Show'),
    lastDay ? link(storiesHref(sort, lastDay, lastDay), `Latest day (${lastDay})`) : null,
    from || to ? link(storiesHref(sort), 'All days') : null);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = storiesHref(sort, form.elements.from.value, form.elements.to.value);
  });
  return form;
}

export async function storiesPage(params) {
  const sort = SORTS.some(([k]) => k === params.get('sort')) ? params.get('sort') : 'newest';
  const from = DAY.test(params.get('from') || '') ? params.get('from') : '';
  const to = DAY.test(params.get('to') || '') ? params.get('to') : '';
  const range = `${from ? `&from=${from}` : ''}${to ? `&to=${to}` : ''}`;
  const fetchPage = (cursor) => api(`/api/stories?sort=${sort}&limit=30${range}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  const [stats, page] = await Promise.all([api('/api/stats'), fetchPage(null)]);
  const root = h('section', null, h('h1', null, 'Stories'));
  root.append(h('p', { class: 'muted' },
    `${stats.articles.toLocaleString()} articles · ${stats.stories.toLocaleString()} stories · ${stats.sources.toLocaleString()} outlets`,
    stats.first_day ? ` · ${stats.first_day} → ${stats.last_day}` : ''));
  if (stats.articles === 0) {
    root.append(emptyState('No articles yet.',
      'Ingest some with ', h('code', null, 'newsloom ingest PATH'),
      stats.ingest_enabled ? ' or POST them to /api/articles.' : '.'));
    return root;
  }
  root.append(h('nav', { class: 'tabs', 'aria-label': 'Sort stories' },
    SORTS.map(([k, label]) => h('a', { href: storiesHref(k, from, to), 'aria-current': k === sort ? 'page' : null }, label))),
    rangeForm(sort, from, to, stats.last_day));
  if (!page.items.length) {
    root.append(emptyState('No story was seen in this range.', link(storiesHref(sort), 'Show all days')));
    return root;
  }
  const list = h('ol', { class: 'cards', id: 'story-list' }, page.items.map(storyCard));
  append(root, [list, moreButton(list, page.next_cursor, fetchPage, storyCard)]);
  return root;
}

function timeline(story, articles) {
  const times = articles.map((a) => Date.parse(a.published || '')).filter((t) => !Number.isNaN(t));
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const byOutlet = new Map();
  for (const a of articles) {
    const o = a.source || '(unknown)';
    if (!byOutlet.has(o)) byOutlet.set(o, []);
    byOutlet.get(o).push(a);
  }
  const lanes = h('div', { class: 'timeline', role: 'list', 'aria-label': 'Articles per outlet over time' });
  for (const [outlet, list] of byOutlet) {
    const track = h('div', { class: 'track' });
    for (const a of list) {
      const t = Date.parse(a.published || '');
      const pos = Number.isNaN(t) || hi === lo ? (Number.isNaN(t) ? 100 : 50) : ((t - lo) / (hi - lo)) * 100;
      const dot = h('a', { class: `dot${a.copy_of ? ' reprint' : ''}`, href: articleHref(a.id),
        title: `${a.title} (${a.published || 'undated'})`, 'aria-label': `${a.title}, ${a.published || 'undated'}` });
      dot.style.left = `calc(${pos}% - 6px)`;
      track.append(dot);
    }
    lanes.append(h('div', { class: 'lane', role: 'listitem' }, h('span', { class: 'lane-name' }, outlet, ` (${list.length})`), track));
  }
  return h('div', null, lanes,
    h('p', { class: 'muted small' }, times.length ? `${new Date(lo).toISOString().slice(0, 16).replace('T', ' ')} → ${new Date(hi).toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'No article has a publication time.'));
}

function comparisonTable(cmp, quotes) {
  if (!cmp.quotes.length && !cmp.events.length) return emptyState('No quotes or events to compare.');
  const outlets = cmp.outlets;
  const head = h('tr', null, h('th', { scope: 'col' }, ''), outlets.map((o) => h('th', { scope: 'col' }, o)));
  const row = (label, carried) => h('tr', null, h('th', { scope: 'row' }, label),
    outlets.map((o) => carried.includes(o)
      ? h('td', { class: 'yes', title: `${o} carried it` }, h('span', { 'aria-label': 'carried' }, '✓'))
      : h('td', { class: 'no', title: `${o} left it out` }, h('span', { 'aria-label': 'left out' }, '—'))));
  const body = h('tbody', null,
    cmp.quotes.length ? h('tr', { class: 'group' }, h('th', { colspan: outlets.length + 1, scope: 'rowgroup' }, 'Quotes')) : null,
    cmp.quotes.map((c) => {
      // A row names the first quote so keyed, by its index in the page's quotes.
      const q = quotes[c.quote] || { text: '' };
      return row(h('span', null, h('strong', null, q.speaker || 'Unattributed'), ': “', q.text.length > 120 ? `${q.text.slice(0, 120)}…` : q.text, '”'), c.outlets);
    }),
    cmp.events.length ? h('tr', { class: 'group' }, h('th', { colspan: outlets.length + 1, scope: 'rowgroup' }, 'Events')) : null,
    cmp.events.map((e) => row(`${e.source_actor} → ${e.target_actor || '—'} · CAMEO ${e.cameo} (${quadLabel(e.quad_class)})`, e.outlets)));
  return h('div', { class: 'scroll' }, h('table', { class: 'compare' }, h('thead', null, head), body));
}

export async function storyPage(_params, id) {
  const d = await api(`/api/stories/${enc(id)}`);
  const s = d.story;
  const root = h('article', { class: 'story' });
  root.append(h('h1', null, s.title || '(untitled story)'),
    h('p', { class: 'muted' }, `${s.size} articles from ${s.outlets.length} outlets · first seen ${s.first_seen || '—'} · last seen ${s.last_seen || '—'}`));
  root.append(h('h2', null, 'Timeline'), timeline(s, d.articles));
  // Map and tone load beside each other; a failure of one leaves the rest of the page.
  const [map, tone] = await Promise.all([
    storyMap(s.id).catch((e) => errorState(e)),
    tonePanel({ story: s.id, period: 'day' }, 'this story', 'story-tone').catch((e) => errorState(e)),
  ]);
  root.append(h('h2', null, 'Map'), map, h('h2', null, 'Tone over time'), tone);
  const byOutlet = h('div', { class: 'outlets' });
  for (const o of s.outlets) {
    const arts = d.articles.filter((a) => (a.source || '(unknown)') === o.name);
    byOutlet.append(h('section', { class: 'card outlet' }, h('h3', null, o.name, ' ',
      o.name !== '(unknown)' ? h('a', { class: 'small', href: `#/tone?${new URLSearchParams({ outlet: o.name })}` }, 'tone') : null),
      h('ol', { class: 'plain' }, arts.map((a) => h('li', null, h('time', null, day(a.published)), ' ',
        link(articleHref(a.id), a.title || a.id), a.copy_of ? h('span', { class: 'badge' }, 'reprint') : null)))));
  }
  root.append(h('h2', null, 'Articles by outlet'), byOutlet);
  root.append(h('h2', null, 'Outlet comparison'),
    h('p', { class: 'muted small' }, 'Which quotes and events each outlet carried (✓) and which it left out (—).'),
    comparisonTable(d.comparison, d.quotes));
  if (d.facts_truncated) root.append(h('p', { class: 'muted' }, `Facts are gathered from ${d.facts_from} of the ${d.articles.length} articles, taken in turn from each outlet.`));
  // Quotes and events name their article by id (`span.article`): it is one of the story's.
  const byId = new Map(d.articles.map((a) => [a.id, a]));
  const quotes = d.quotes.map((q) => ({ quote: q, article: byId.get(q.span.article) }));
  const events = d.events.map((e) => ({ ...e, article: byId.get(e.event.span.article) }));
  root.append(h('h2', null, `Quotes (${quotes.length})`),
    quotes.length ? h('ul', { class: 'plain' }, quotes.map(quoteRow)) : emptyState('No quotes found in this story.'));
  root.append(h('h2', null, `Events (${events.length})`),
    events.length ? h('ul', { class: 'plain' }, events.map(eventRow)) : emptyState('No events coded in this story.'));
  root.append(h('h2', null, 'Entities'),
    d.entities.length ? h('ul', { class: 'chips' }, d.entities.map((e) => h('li', { class: 'chip' },
      link(entityHref(e.entity.id), e.entity.name), h('span', { class: 'count' }, String(e.mentions)))))
      : emptyState('No entities found in this story.'));
  return root;
}

function snippetView(hit) {
  // Highlights are byte ranges into the UTF-8 snippet.
  const bytes = new TextEncoder().encode(hit.snippet);
  const dec = new TextDecoder();
  const out = h('p', { class: 'snippet' });
  let at = 0;
  for (const [s, e] of hit.highlights) {
    if (s < at || e > bytes.length) continue;
    out.append(dec.decode(bytes.slice(at, s)), h('mark', null, dec.decode(bytes.slice(s, e))));
    at = e;
  }
  out.append(dec.decode(bytes.slice(at)));
  return out;
}

function hitView(hit) {
  return h('li', { class: 'card hit' },
    h('h2', null, link(articleHref(hit.id), hit.title || hit.id)),
    h('p', { class: 'muted small' }, `${hit.source || 'unknown outlet'} · ${hit.day || 'undated'}`,
      hit.story ? [' · ', link(storyHref(hit.story), 'story')] : ''),
    snippetView(hit));
}

export async function searchPage(params) {
  const q = params.get('q') || '';
  const root = h('section', null, h('h1', null, 'Search'));
  const input = h('input', { type: 'search', name: 'q', id: 'search-q', value: q, placeholder: 'e.g. NATO reset', autocomplete: 'off' });
  const form = h('form', { class: 'row', role: 'search' }, h('label', { for: 'search-q', class: 'sr' }, 'Query'), input,
    h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams(params);
    p.set('q', input.value.trim());
    location.hash = `#/search?${p}`;
  });
  root.append(form);
  if (!q.trim()) {
    root.append(emptyState('Type words to find articles.', 'All words must match; use "quotes" for a phrase.'));
    return root;
  }
  const filters = ['source', 'language', 'story', 'from', 'to'].filter((k) => params.get(k));
  const base = new URLSearchParams();
  for (const k of ['q', ...filters]) base.set(k, params.get(k));
  const fetchPage = (cursor) => api(`/api/search?${base}&limit=20${cursor ? `&cursor=${enc(cursor)}` : ''}`)
    .then((r) => ({ items: r.hits, next_cursor: r.next_cursor, total: r.total, estimated: r.total_estimated, facets: r.facets }));
  const page = await fetchPage(null);
  if (filters.length) {
    root.append(h('p', { class: 'small' }, 'Filtered by ', filters.map((k) => {
      const p = new URLSearchParams(base); p.delete(k);
      return h('span', { class: 'chip' }, `${k}: ${params.get(k)} `, h('a', { href: `#/search?${p}`, 'aria-label': `Remove ${k} filter` }, '×'));
    })));
  }
  root.append(h('p', { class: 'muted', id: 'search-total' }, `${page.estimated ? 'About ' : ''}${page.total.toLocaleString()} matching article${page.total === 1 ? '' : 's'}`));
  const layout = h('div', { class: 'with-side' });
  const facets = h('aside', { class: 'facets', 'aria-label': 'Refine' });
  for (const [name, values] of Object.entries(page.facets || {})) {
    if (!values.length || name === 'story') continue;
    facets.append(h('h2', null, name), h('ul', { class: 'plain' }, values.map(([v, n]) => {
      const p = new URLSearchParams(base); p.set(name, v);
      return h('li', null, link(`#/search?${p}`, v), h('span', { class: 'count' }, String(n)));
    })));
  }
  const list = h('ol', { class: 'cards', id: 'hits' }, page.items.map(hitView));
  layout.append(h('div', null, page.items.length ? list : emptyState('No articles match.', 'Try fewer or other words.'),
    moreButton(list, page.next_cursor, fetchPage, hitView)), facets);
  root.append(layout);
  return root;
}

function entityItem(e) {
  return h('li', { class: 'card' }, link(entityHref(e.entity.id), e.entity.name), ' ',
    h('span', { class: 'muted small' }, `${e.entity.kind}${e.entity.code ? ` · ${e.entity.code}` : ''} · ${e.mentions} mentions`));
}

export async function entitiesPage(params) {
  const q = params.get('q') || '';
  const root = h('section', null, h('h1', null, 'Entities'));
  const input = h('input', { type: 'search', id: 'ent-q', value: q, placeholder: 'Name…' });
  const form = h('form', { class: 'row' }, h('label', { for: 'ent-q', class: 'sr' }, 'Entity name'), input, h('button', { type: 'submit' }, 'Find'));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#/entities?q=${enc(input.value.trim())}`; });
  const fetchPage = (cursor) => api(`/api/entities?limit=50${q ? `&q=${enc(q)}` : ''}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  const page = await fetchPage(null);
  const list = h('ol', { class: 'cards compact' }, page.items.map(entityItem));
  append(root, [form, page.items.length ? list : emptyState(q ? 'No entity matches.' : 'No entities yet.', 'Entities appear once articles are analysed.'),
    moreButton(list, page.next_cursor, fetchPage, entityItem)]);
  return root;
}

export async function entityPage(_params, id) {
  const d = await api(`/api/entities/${enc(id)}`);
  const e = d.entity;
  const root = h('section', null, h('h1', null, e.name),
    h('p', { class: 'muted' }, [e.kind, e.code && `actor code ${e.code}`, e.role, e.country, `${d.mentions} mentions`].filter(Boolean).join(' · ')));
  if (e.code) root.append(h('p', null, link(`#/dyad?a=${enc(e.code)}`, `Dyad chart for ${e.code}…`)));
  root.append(h('h2', null, 'Latest articles'),
    d.articles.length ? h('ol', { class: 'plain' }, d.articles.map((a) => h('li', null, h('time', null, day(a.published)), ' ',
      link(articleHref(a.id), a.title || a.id), h('span', { class: 'muted' }, ` — ${a.source || 'unknown outlet'}`)))) : emptyState('No articles.'));
  root.append(h('h2', null, 'Quotes'), d.quotes.length ? h('ul', { class: 'plain' }, d.quotes.map(quoteRow)) : emptyState('No quotes attributed to this entity.'));
  root.append(h('h2', null, 'Events'), d.events.length ? h('ul', { class: 'plain' }, d.events.map(eventRow)) : emptyState('No events with this actor.'));
  return append(root, []);
}
