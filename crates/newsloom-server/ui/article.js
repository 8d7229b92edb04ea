// The article page: the clean body with entity, quote and event spans highlighted.

import { api, articleHref, day, enc, entityHref, eventRow, h, link, quoteRow, safeUrl, storyHref } from './dom.js';

/// Splits `body` at every span boundary; each piece carries the spans covering it. Offsets are
/// code points (the API's char offsets), not UTF-16 units.
function highlighted(body, spans) {
  const cps = Array.from(body);
  const cuts = new Set([0, cps.length]);
  for (const s of spans) {
    if (s.start < s.end && s.end <= cps.length) { cuts.add(s.start); cuts.add(s.end); }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = h('div', { class: 'body', id: 'article-body' });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const text = cps.slice(a, b).join('');
    const covering = spans.filter((s) => s.start <= a && s.end >= b && s.end <= cps.length);
    if (!covering.length) { out.append(text); continue; }
    const kinds = [...new Set(covering.map((s) => s.kind))];
    out.append(h('mark', { class: kinds.map((k) => `hl-${k}`).join(' '), title: covering.map((s) => s.label).join('\n') }, text));
  }
  return out;
}

export async function articlePage(_params, id) {
  const d = await api(`/api/articles/${enc(id)}`);
  const a = d.article;
  const an = d.analysis;
  const names = new Map(an.entities.map((e) => [e.id, e]));
  const spans = [
    ...an.mentions.map((m) => ({ ...m.span, kind: 'entity', label: `Entity: ${(names.get(m.entity) || {}).name || m.text} (${m.kind})` })),
    ...an.quotes.map((q) => ({ ...q.span, kind: 'quote', label: `Quote by ${q.speaker || 'unattributed'}` })),
    ...an.events.map((e) => ({ ...e.span, kind: 'event', label: `Event ${e.source_actor} → ${e.target_actor || '—'} (CAMEO ${e.cameo})` })),
  ];
  const url = safeUrl(a.url);
  const root = h('article', { class: 'article' });
  root.append(h('h1', { id: 'article-title' }, a.title || '(untitled)'));
  if (a.subtitle) root.append(h('p', { class: 'subtitle' }, a.subtitle));
  root.append(h('p', { class: 'muted' },
    [a.source || 'unknown outlet', a.published ? a.published.iso : 'undated', a.language, a.bylines && a.bylines.length ? `by ${a.bylines.join(', ')}` : null]
      .filter(Boolean).join(' · '),
    a.story ? [' · ', link(storyHref(a.story), 'story')] : '',
    d.copy_of ? [' · reprint of ', link(articleHref(d.copy_of), d.copy_of)] : '',
    url ? [' · ', h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'original')] : ''));
  const body = highlighted(a.body || '', spans);
  const toggles = h('fieldset', { class: 'legend' }, h('legend', null, 'Highlight'));
  for (const [kind, label, n] of [['entity', 'Entities', an.mentions.length], ['quote', 'Quotes', an.quotes.length], ['event', 'Events', an.events.length]]) {
    const box = h('input', { type: 'checkbox', id: `show-${kind}`, checked: true });
    box.addEventListener('change', () => body.classList.toggle(`hide-${kind}`, !box.checked));
    toggles.append(h('label', { class: `swatch hl-${kind}` }, box, ` ${label} (${n})`));
  }
  root.append(toggles, body);
  if (an.entities.length) {
    root.append(h('h2', null, 'Entities'), h('ul', { class: 'chips' }, an.entities.map((e) => h('li', { class: 'chip' }, link(entityHref(e.id), e.name),
      h('span', { class: 'muted' }, ` ${e.kind}${e.code ? ` · ${e.code}` : ''}`)))));
  }
  const article = { id: a.id, title: a.title, source: a.source, published: a.published && a.published.iso };
  if (an.quotes.length) root.append(h('h2', null, 'Quotes'), h('ul', { class: 'plain' }, an.quotes.map((quote) => quoteRow({ quote, article: null }))));
  if (an.events.length) root.append(h('h2', null, 'Events'), h('ul', { class: 'plain' }, an.events.map((event) => eventRow({ event, reports: 1, article: null, sentence: null }))));
  if (!an.mentions.length && !an.quotes.length && !an.events.length) root.append(h('p', { class: 'muted' }, 'No entities, quotes or events were found in this article.'));
  root.dataset.article = article.id;
  root.append(h('p', { class: 'muted small' }, `id ${a.id} · ${day(a.published && a.published.iso)}`));
  return root;
}
