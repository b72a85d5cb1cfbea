/* junheng-web: the county page's history chart (历史). Reads
 * GET /api/county/CODE/history (the daemon's stored history, oldest first)
 * and draws, as inline SVG built with DOM calls (no library, nothing inline
 * that the Content-Security-Policy blocks), per stage (小学 primary, 初中
 * junior) the seven difference coefficients over time against their limit
 * (dashed), and above them the whole verdict (达标/未达标/待定) of each
 * stored status. Every point has a <title> with its exact value; a tap or
 * click writes it under the chart too (phones show no titles). Redrawn at
 * the container's width (so the text stays readable on a phone) and when
 * the page's live feed says the county changed. */
'use strict';
(() => {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const STAGES = [['primary', '小学'], ['junior', '初中']];
  const VERDICTS = { pass: ['达标', '#137333'], fail: ['未达标', '#c5221f'], pending: ['待定', '#a15c00'] };
  const DEFAULT_LIMIT = { primary: 0.5, junior: 0.45 }; // national rules, for rows stored without their limit
  const COLOURS = ['#1a56c4', '#c5221f', '#137333', '#a15c00', '#7b1fa2', '#00838f', '#5d4037'];

  /* svg('line', {x1: 0, ...}, child...) */
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function html(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  const title = text => svg('title', {}, text);
  const num = (x, d) => typeof x === 'number' && isFinite(x) ? x.toFixed(d) : '—';
  function stamp(iso) {
    const t = new Date(iso);
    if (isNaN(t)) return iso || '—';
    const p = n => String(n).padStart(2, '0');
    return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
  }
  const shortStamp = iso => stamp(iso).slice(5, 16);

  /* The geometry of one chart of width w for n entries and the largest value top. */
  function frame(w, n, top) {
    const left = 44, right = 12, y0 = 26, h = w < 480 ? 190 : 230;
    return {
      w, h: y0 + h + 42, left, y0, plotH: h,
      x: i => left + (n <= 1 ? (w - left - right) / 2 : i * (w - left - right) / (n - 1)),
      y: v => y0 + h - (v / top) * h,
    };
  }

  /* The axes: y ticks, the x labels (first, last and a few between), the axis titles. */
  function axes(f, rows, top, step) {
    const g = svg('g', { class: 'axes', 'font-size': 11, fill: '#5e6b7d' });
    for (let k = 0; k * step <= top + 1e-9; k++) {
      const v = k * step, y = f.y(v);
      g.append(svg('line', { x1: f.left, x2: f.w - 8, y1: y, y2: y, stroke: '#dde2ea' }),
        svg('text', { x: f.left - 4, y: y + 4, 'text-anchor': 'end' }, num(v, 2)));
    }
    const n = rows.length, every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(f.w / 110))));
    rows.forEach((r, i) => {
      if (i % every && i !== n - 1) return;
      if (i !== n - 1 && n - 1 - i < every / 2) return; // keep the last label clear of the one before
      const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
      g.append(svg('text', { x: f.x(i), y: f.y0 + f.plotH + 15, 'text-anchor': anchor, class: 'x-label' }, shortStamp(r.computed_at)));
    });
    g.append(svg('text', { x: f.left, y: f.y0 + f.plotH + 34, class: 'x-title' }, '计算时间 computed_at →'),
      svg('text', { x: 4, y: f.y0 - 12, class: 'y-title' }, '差异系数 cv'));
    return g;
  }

  /* Writes what a point or band says under the chart (for a tap on a phone). */
  function readout(box, text) {
    const p = box.querySelector('.history-readout');
    if (p) p.textContent = text;
  }
  function pointText(r, stageZh, stage, ind, cv, limit) {
    return `${stamp(r.computed_at)} · 学年 period ${r.period} · seq ${r.seq} · ${stageZh} ${stage} · ` +
      `${ind.name_zh} ${ind.id}: 差异系数 cv ${num(cv, 3)} ${cv <= limit ? '≤' : '>'} 限值 limit ${num(limit, 2)}`;
  }

  /* One stage's chart: the limit (dashed), then per indicator its line and points. */
  function stageChart(box, rows, stage, stageZh, inds, w) {
    const limits = rows.map(r => { const st = (r.stages || {})[stage]; return st && typeof st.cv_limit === 'number' ? st.cv_limit : null; });
    const last = limits.filter(x => x !== null).pop();
    const limitOf = i => limits[i] !== null ? limits[i] : last !== undefined ? last : DEFAULT_LIMIT[stage];
    let top = Math.max(...rows.map((_, i) => limitOf(i)));
    for (const r of rows) for (const v of Object.values(((r.stages || {})[stage] || {}).cv || {})) if (typeof v === 'number') top = Math.max(top, v);
    const step = top <= 0.7 ? 0.1 : top <= 1.4 ? 0.2 : 0.5; // ticks at round values
    top = Math.ceil(top * 1.1 / step - 1e-9) * step;
    const f = frame(w, rows.length, top);
    const chart = svg('svg', { id: 'history-' + stage, class: 'history-chart', width: f.w, height: f.h, viewBox: `0 0 ${f.w} ${f.h}`,
      role: 'img', 'aria-label': `${stageZh} ${stage}: 差异系数 difference coefficients over time` }, title(`${stageZh} ${stage} 差异系数 difference coefficients`), axes(f, rows, top, step));
    const lim = rows.map((_, i) => `${i ? 'L' : 'M'}${f.x(i).toFixed(1)},${f.y(limitOf(i)).toFixed(1)}`).join(' ');
    chart.append(svg('path', { class: 'cv-limit', d: rows.length > 1 ? lim : `M${f.left},${f.y(limitOf(0))} H${f.w - 8}`, fill: 'none', stroke: '#1d2430',
      'stroke-width': 1.5, 'stroke-dasharray': '6 4' }, title(`限值 limit ${num(limitOf(rows.length - 1), 2)}`)),
    svg('text', { x: f.w - 10, y: f.y(limitOf(rows.length - 1)) - 4, 'text-anchor': 'end', 'font-size': 11, fill: '#1d2430', class: 'limit-label' },
      `限值 limit ${num(limitOf(rows.length - 1), 2)}`));
    inds.forEach((ind, k) => {
      const colour = COLOURS[k % COLOURS.length], g = svg('g', { class: 'cv-series', 'data-indicator': ind.id });
      let d = '', pen = 'M';
      rows.forEach((r, i) => {
        const cv = (((r.stages || {})[stage] || {}).cv || {})[ind.id];
        if (typeof cv !== 'number') { pen = 'M'; return; }
        d += `${pen}${f.x(i).toFixed(1)},${f.y(cv).toFixed(1)} `;
        pen = 'L';
      });
      g.append(svg('path', { class: 'cv-line', 'data-indicator': ind.id, d: d.trim() || 'M0,0', fill: 'none', stroke: colour, 'stroke-width': 2 },
        title(`${ind.name_zh} ${ind.id}`)));
      rows.forEach((r, i) => {
        const cv = (((r.stages || {})[stage] || {}).cv || {})[ind.id];
        if (typeof cv !== 'number') return;
        const text = pointText(r, stageZh, stage, ind, cv, limitOf(i));
        const dot = svg('circle', { class: 'cv-point', 'data-indicator': ind.id, 'data-seq': r.seq, 'data-cv': cv, cx: f.x(i).toFixed(1),
          cy: f.y(cv).toFixed(1), r: 4, fill: cv > limitOf(i) ? '#fff' : colour, stroke: colour, 'stroke-width': 2, tabindex: 0 }, title(text));
        dot.addEventListener('click', () => readout(box, text));
        dot.addEventListener('focus', () => readout(box, text));
        g.append(dot);
      });
      chart.append(g);
    });
    return chart;
  }

  /* The whole verdict of every stored status, one coloured band each. */
  function verdictStrip(box, rows, w) {
    const left = 44, right = 12, n = rows.length, bw = (w - left - right) / Math.max(1, n);
    const strip = svg('svg', { id: 'history-verdicts', width: w, height: 34, viewBox: `0 0 ${w} 34`, role: 'img',
      'aria-label': '结论 verdict over time' }, title('结论 verdict over time'),
    svg('text', { x: 4, y: 21, 'font-size': 11, fill: '#5e6b7d' }, '结论'));
    rows.forEach((r, i) => {
      const [zh, colour] = VERDICTS[r.verdict] || VERDICTS.pending;
      const text = `${stamp(r.computed_at)} · 学年 period ${r.period} · seq ${r.seq} · 结论 verdict ${zh} ${r.verdict || 'pending'}` +
        ` · 报送 coverage ${r.schools_submitted}/${r.schools_registered}`;
      const band = svg('rect', { class: 'verdict-band', 'data-verdict': r.verdict || 'pending', 'data-seq': r.seq, x: (left + i * bw).toFixed(1), y: 6,
        width: Math.max(1, bw - (bw > 4 ? 1 : 0)).toFixed(1), height: 22, fill: colour, tabindex: 0 }, title(text));
      band.addEventListener('click', () => readout(box, text));
      strip.append(band);
    });
    return strip;
  }

  /* The legend: each indicator's colour, Chinese name and id; the limit; the verdicts. */
  function legend(inds) {
    const swatch = (colour, dash) => svg('svg', { width: 22, height: 10, 'aria-hidden': 'true' },
      svg('line', { x1: 1, x2: 21, y1: 5, y2: 5, stroke: colour, 'stroke-width': 2, 'stroke-dasharray': dash }));
    return html('ul', { class: 'history-legend' },
      inds.map((ind, k) => html('li', { 'data-indicator': ind.id }, swatch(COLOURS[k % COLOURS.length]), ' ', ind.name_zh, ' ', html('span', { class: 'en' }, ind.id))),
      html('li', {}, swatch('#1d2430', '6 4'), ' 限值 ', html('span', { class: 'en' }, 'limit')),
      html('li', {}, '○ 超出限值 ', html('span', { class: 'en' }, 'over the limit')),
      Object.entries(VERDICTS).map(([k, [zh, colour]]) => html('li', {}, svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' },
        svg('rect', { width: 12, height: 12, fill: colour })), ' ', zh, ' ', html('span', { class: 'en' }, k))));
  }

  function draw(box, rows, inds) {
    const w = Math.max(300, Math.min(1000, Math.floor(box.clientWidth || 640)));
    if (!rows.length) {
      box.replaceChildren(html('p', { id: 'history-empty' }, '尚无历史记录 ', html('span', { class: 'en' }, 'no statuses stored yet')));
      return;
    }
    const first = rows[0], lastRow = rows[rows.length - 1];
    box.replaceChildren(
      html('p', { class: 'legend' }, `${rows.length} 次计算 stored statuses · ${stamp(first.computed_at)} — ${stamp(lastRow.computed_at)}`),
      verdictStrip(box, rows, w),
      ...STAGES.map(([stage, zh]) => html('div', { class: 'history-stage', 'data-stage': stage },
        html('h3', {}, zh, ' ', html('span', { class: 'en' }, stage)), stageChart(box, rows, stage, zh, inds, w))),
      legend(inds),
      html('p', { class: 'history-readout', 'aria-live': 'polite' }, '点选数据点查看数值 ', html('span', { class: 'en' }, 'tap a point for its values')));
  }

  async function getJSON(url) {
    const r = await fetch(url, { credentials: 'same-origin' });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw Object.assign(new Error(body.error || r.statusText), { status: r.status });
    return body;
  }

  async function start() {
    const box = document.getElementById('history-out');
    if (!box) return;
    const code = location.pathname.split('/').pop();
    const meta = await getJSON('/api/meta').catch(() => null);
    let inds = ((meta && meta.indicators) || []).map(i => ({ id: i.id, name_zh: i.name_zh })); // the fixed order
    let rows = [], busy = false;
    const load = async () => {
      if (busy) return;
      busy = true;
      try {
        rows = await getJSON(`/api/county/${code}/history`);
        if (!inds.length) { // no names: the ids the rows carry
          const ids = new Set();
          for (const r of rows) for (const st of Object.values(r.stages || {})) for (const id of Object.keys(st.cv || {})) ids.add(id);
          inds = [...ids].map(id => ({ id, name_zh: id }));
        }
        draw(box, rows, inds);
      }
      catch (e) { box.replaceChildren(html('p', { class: 'error' }, `${e.status || ''} ${e.message}`)); }
      busy = false;
    };
    await load();
    let width = box.clientWidth;
    window.addEventListener('resize', () => { if (Math.abs(box.clientWidth - width) > 40) { width = box.clientWidth; draw(box, rows, inds); } });
    document.addEventListener('junheng:county-changed', load); // app.js's live feed: this county changed
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
