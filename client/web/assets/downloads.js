/* junheng-web: the county page's downloads (下载). Lists what
 * GET /api/county/CODE/downloads offers -- the HTML report, the 自评表
 * workbook, the official CSV tables -- as plain links: each file is made by
 * the gateway when clicked (GET /api/county/CODE/download/KIND, named by its
 * Content-Disposition). Built with DOM calls only. */
'use strict';
(() => {
  function html(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  async function start() {
    const list = document.getElementById('downloads-list');
    if (!list) return;
    const code = location.pathname.split('/').pop();
    try {
      const r = await fetch(`/api/county/${code}/downloads`, { credentials: 'same-origin' });
      const items = await r.json();
      if (!r.ok) throw new Error(`${r.status} ${items.error || r.statusText}`);
      list.replaceChildren(...items.map(d => html('li', { 'data-kind': d.kind },
        html('a', { href: d.href, download: '', 'data-kind': d.kind }, d.name_zh, ' .', d.ext), ' ',
        html('span', { class: 'en' }, d.label_en),
        /* a GBK copy of each CSV table, for spreadsheets that do not read UTF-8 */
        d.ext === 'csv' ? [' ', html('a', { href: d.href + '?encoding=gbk', download: '', 'data-kind': d.kind,
          'data-encoding': 'gbk', class: 'gbk' }, 'GBK')] : null)));
    } catch (e) {
      list.replaceChildren(html('li', { class: 'error' }, e.message));
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
