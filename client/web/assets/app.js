/* junheng-web: the pages' script (city, county, school). Builds the DOM
 * with textContent only (no HTML from data), reads /api/* and the live
 * /events stream (Server-Sent Events). */
'use strict';

/* el('td', {class: 'num'}, 'text', child...) */
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the page's Content-Security-Policy
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}
const VERDICT_ZH = { pass: '达标', fail: '未达标', pending: '待定' };
const STAGE_ZH = { primary: '小学', junior: '初中' };
function verdictBadge(v) { return el('span', { class: 'v-' + (v || 'pending') }, VERDICT_ZH[v] || '待定'); }
function fmt(x, d) { return typeof x === 'number' && isFinite(x) ? x.toFixed(d === undefined ? 3 : d) : '—'; }
function when(ms) {
  if (!ms) return '—';
  const t = new Date(ms), p = n => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}
async function getJSON(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login'; throw new Error('login'); }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.error || r.statusText), { status: r.status, body });
  return body;
}

/* The header: who is logged in, and the logout form with the session's CSRF token. */
async function who() {
  const me = await getJSON('/api/me').catch(() => null);
  const nav = document.getElementById('who');
  if (!me || !nav) return me;
  nav.append(el('span', { id: 'user' }, me.user, ' ', el('span', { class: 'en' }, me.role + (me.scope ? ' · ' + me.scope : ''))));
  if (me.role === 'county' || me.role === 'admin' || (me.role === 'monitor' && me.may_review)) /* the review desk */
    nav.append(el('a', { id: 'review-link', href: '/review' }, '审核台 ', el('span', { class: 'en' }, 'review desk')));
  if (me.dev_open) nav.append(el('span', { class: 'en' }, '(dev-open)'));
  else nav.append(el('form', { method: 'post', action: '/logout' },
    el('input', { type: 'hidden', name: 'csrf', value: me.csrf }),
    el('button', { type: 'submit', id: 'logout' }, '退出 ', el('span', { class: 'en' }, 'log out'))));
  return me;
}

/* The banner for the feed's state; greys the page when the data is not current. */
let feedLive = false;
function showState(st, gatewayLost) {
  const b = document.getElementById('banner');
  feedLive = !gatewayLost && st && st.phase === 'live';
  document.body.classList.toggle('stale', !feedLive);
  if (!b) return;
  b.hidden = feedLive;
  b.className = 'banner ' + (gatewayLost || (st && st.daemon === 'lost') ? 'lost' : 'resync');
  b.dataset.phase = gatewayLost ? 'gateway-lost' : st ? st.phase : '';
  b.dataset.daemon = st ? st.daemon : '';
  if (feedLive) { b.textContent = ''; return; }
  if (gatewayLost) b.textContent = '与网关的连接中断，数据可能已过时';
  else if (st.daemon === 'lost')
    b.textContent = '与服务端失去联系，显示的数据可能已过时（' + (st.reason || '') + '）';
  else if (st.phase === 'syncing')
    b.textContent = '正在重新同步… 数据暂不作为当前结果（' + (st.reason || '') + '）';
  else b.textContent = '连接中…';
}

/* The live stream; handlers per event. Reconnects itself (EventSource). */
function live(handlers) {
  const es = new EventSource('/events');
  for (const [name, fn] of Object.entries(handlers))
    es.addEventListener(name, ev => fn(JSON.parse(ev.data)));
  es.addEventListener('state', ev => showState(JSON.parse(ev.data), false));
  es.onerror = () => showState(null, true);
  return es;
}

/* ---- City ------------------------------------------------------------ */

function stageCell(s) {
  if (!s || !s.applicable) return el('td', { class: 'num' }, '—');
  return el('td', { class: 'num' },
    el('span', { class: s.pass ? 'ok' : 'bad' }, `${s.passing}/${s.assessed}`), ' ',
    el('span', { class: s.worst_ok ? 'ok' : 'bad', title: s.worst_id },
      `${fmt(s.worst_cv)}/${fmt(s.worst_limit, 2)}`),
    s.worst_name_zh ? el('div', { class: 'items-list' }, s.worst_name_zh) : null);
}
/* A count of items with their numbers (names too when few; all names on hover). */
function itemsCell(n, list) {
  const names = (list || []).map(i => i.number + ' ' + i.name_zh);
  const text = names.length <= 3 ? names.join('；') : list.map(i => i.number).join(' ');
  return el('td', { class: 'items' }, el('b', {}, String(n)),
    names.length ? el('div', { class: 'items-list', title: names.join('\n') }, text) : null);
}
/* The city's plan for the county: the gateway's cell ("on plan", "3 behind", "3 behind, DUE 2025"). */
function planCell(p) {
  if (!p) return el('td', { class: 'plan' }, '—');
  const cls = p.behind_in_due_year ? 'bad plan-due' : p.behind ? 'pend' : 'ok';
  return el('td', { class: 'plan', 'data-behind': String(p.behind) }, el('span', { class: cls }, p.cell));
}
function cityRow(r) {
  return el('tr', { id: 'row-' + r.code, 'data-code': r.code, 'data-seq': String(r.seq), 'data-verdict': r.verdict },
    el('td', {}, el('a', { href: '/county/' + r.code }, r.name || r.code), ' ', el('span', { class: 'en' }, r.code)),
    el('td', {}, verdictBadge(r.verdict)),
    el('td', { class: 'num' }, `${r.submitted}/${r.registered}`),
    stageCell(r.stages[0]), stageCell(r.stages[1]),
    itemsCell(r.items_failing, r.failing), itemsCell(r.items_pending, r.pending), planCell(r.plan),
    el('td', { class: 'num' }, when(r.changed_at_ms || Date.parse(r.computed_at) || 0)));
}
function notice(r) {
  const list = document.getElementById('notices');
  const li = el('li', { class: 'to-' + r.flip.to },
    `${when(Date.now())} ${r.name}（${r.code}）结论变化：${r.flip.from_zh} → ${r.flip.to_zh}`);
  list.prepend(li);
  while (list.children.length > 5) list.lastChild.remove();
}
function cityPage() {
  const rows = document.getElementById('rows');
  const foot = document.getElementById('foot');
  const count = () => { foot.textContent = `${rows.querySelectorAll('tr[data-code]').length} 个县（区） counties`; };
  live({
    city: c => {
      rows.replaceChildren(...c.counties.map(cityRow));
      if (!c.counties.length) rows.append(el('tr', { class: 'empty' }, el('td', { colspan: 9 }, '无数据 no counties')));
      showState(c.state, false);
      count();
    },
    county: r => {
      const old = document.getElementById('row-' + r.code), row = cityRow(r);
      if (old) old.replaceWith(row);
      else {
        rows.querySelector('tr.empty')?.remove();
        const after = [...rows.children].find(x => x.dataset.code > r.code);
        rows.insertBefore(row, after || null);
      }
      if (r.changed_cells) { row.classList.add('changed'); setTimeout(() => row.classList.remove('changed'), 3000); }
      if (r.flip) notice(r);
      count();
    },
  });
}

/* ---- County ---------------------------------------------------------- */

let META = null;
const groupDigits = n => Math.ceil(n - 1e-9).toLocaleString('en-US');
function needsSentence(sf) {
  const m = META && META.indicators.find(i => i.id === sf.indicator);
  const amount = groupDigits(sf.needed);
  return m ? `需增加${m.resource_zh} ${amount} ${m.resource_unit_zh}` : `${sf.indicator}: +${amount} ${sf.unit || ''}`;
}
function itemRow(it) {
  const cls = it.outcome === 'pass' ? 'ok' : it.outcome === 'fail' ? 'bad' : 'pend';
  let value = '—';
  if (typeof it.value === 'number') {
    value = fmt(it.value, 4);
    if (it.comparison && typeof it.threshold === 'number') value += ` ${it.comparison} ${it.threshold}`;
  }
  return el('tr', { 'data-item': it.number },
    el('td', {}, it.number),
    el('td', {}, it.name_zh, ' ', el('span', { class: 'en' }, it.id)),
    el('td', {}, el('span', { class: cls }, it.outcome_zh || it.outcome)),
    el('td', { class: 'num' }, value),
    el('td', {}, it.reason || ''));
}
function itemsTable(items) {
  const parts = [];
  for (const it of items) {
    let p = parts.find(x => x.part === it.part);
    if (!p) parts.push(p = { part: it.part, part_zh: it.part_zh, items: [] });
    p.items.push(it);
  }
  const head = el('tr', {}, el('th', {}, '编号 no.'), el('th', {}, '指标 item'), el('th', {}, '结果 outcome'),
    el('th', {}, '数值 value'), el('th', {}, '说明 reason'));
  return parts.map(p => el('div', { class: 'card' },
    el('h3', {}, p.part_zh || p.part, ' ', el('span', { class: 'en' }, p.part)),
    el('div', { class: 'table-wrap' },
      el('table', {}, el('thead', {}, head.cloneNode(true)), el('tbody', {}, p.items.map(itemRow))))));
}
function stageBars(key, st, names) {
  if (!st || !st.applicable) return el('div', { class: 'card' }, el('h3', {}, STAGE_ZH[key], ' ', el('span', { class: 'en' }, key)), '不适用 not applicable');
  const grid = el('div', { class: 'bars' });
  for (const ind of st.indicators) {
    const limit = ind.cv_limit, cv = ind.cv, scale = Math.max(limit * 1.6, cv || 0);
    const bar = el('div', { class: 'bar', title: `${fmt(cv)} / ${fmt(limit, 2)}` },
      el('div', { class: 'fill' + (ind.cv_ok ? '' : ' over'), style: `width:${Math.min(100, 100 * (cv || 0) / scale)}%` }),
      el('div', { class: 'limit', style: `left:${100 * limit / scale}%` }));
    grid.append(el('div', {}, ind.name_zh, ' ', el('span', { class: 'en' }, ind.id),
      el('div', { class: 'bar-label' }, `差异系数 ${fmt(cv)} ${ind.cv_ok ? '≤' : '>'} ${fmt(limit, 2)} `,
        el('span', { class: ind.cv_ok ? 'ok' : 'bad' }, ind.cv_ok ? '✓' : '✗'))), bar);
    if (ind.top_contributors && ind.top_contributors.length)
      grid.append(el('div', { class: 'contrib' }, '主要影响学校：' +
        ind.top_contributors.map(t => `${names[t.school_code] || t.school_code} ${fmt(100 * t.share, 0)}%`).join('，')));
  }
  return el('div', { class: 'card', 'data-stage': key },
    el('h3', {}, STAGE_ZH[key], ' ', el('span', { class: 'en' }, key), ' ',
      el('span', { class: st.pass ? 'ok' : 'bad' }, `${st.sections_passing}/${st.sections_assessed} 校达标 sections passing`)), grid);
}
function rectification(sections) {
  const rows = sections.filter(s => s.shortfalls && s.shortfalls.length && !s.excluded);
  if (!rows.length) return el('p', {}, '无需整改 nothing to rectify');
  return el('div', { class: 'table-wrap' }, el('table', { id: 'rectify' }, el('thead', {}, el('tr', {},
    el('th', {}, '学校 school'), el('th', {}, '学段 stage'), el('th', {}, '需要 needs'))),
  el('tbody', {}, rows.map(s => el('tr', {},
    el('td', {}, el('a', { href: '/school/' + s.school_code }, s.name), ' ', el('span', { class: 'en' }, s.school_code)),
    el('td', {}, STAGE_ZH[s.stage] || s.stage),
    el('td', {}, s.shortfalls.map(needsSentence).join('；')))))));
}
/* 推进方案: the city's plan beside the measured figures, behind cells marked, the due year, a banner when behind in it. */
function planSection(c) {
  const p = c.plan;
  if (!p) return [];
  const names = (META && META.plan_figures) || {};
  const value = f => x => f.unit === 'percent' ? (typeof x === 'number' ? fmt(x, 1) + '%' : '—') : fmt(x);
  const rows = Object.entries(p.figures || {}).map(([k, f]) => el('tr', { 'data-figure': k },
    el('td', {}, names[k] || k, ' ', el('span', { class: 'en' }, k)),
    el('td', { class: 'num' }, value(f)(f.planned)),
    el('td', { class: 'num' + (f.behind ? ' behind' : '') }, value(f)(f.measured)),
    el('td', {}, f.behind ? el('span', { class: 'bad' }, '落后 behind') : '')));
  const applies = p.applies_to && p.applies_to !== 'every_year' ? `学年 school year ${p.applies_to}` : '每学年 every school year';
  return [el('h2', {}, '推进方案 ', el('span', { class: 'en' }, 'plan')),
    el('div', { class: 'card', id: 'plan' },
      p.behind_in_due_year ? el('div', { class: 'banner lost plan-due' },
        `${c.county.name} 落后于推进方案，且今年（${p.due}）为申报年（落后 ${p.behind_count} 项）`) : null,
      el('p', { class: 'legend' }, `${applies} · 修订 revision ${p.revision}` + (p.due ? ` · 申报年 due ${p.due}` : '') +
        ` · 落后项 behind ${p.behind_count}`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'plan' }, el('thead', {}, el('tr', {},
        el('th', {}, '指标 figure'), el('th', {}, '计划 planned'), el('th', {}, '实测 measured'), el('th', {}, ''))),
      el('tbody', {}, rows))))];
}
function renderCounty(c) {
  const main = document.getElementById('county');
  const names = {};
  for (const s of c.sections || []) names[s.school_code] = s.name;
  const cov = c.coverage || {};
  const missing = cov.missing || [];
  main.replaceChildren(...[
    el('h1', {}, c.county.name, ' ', el('span', { class: 'en' }, c.county.code), ' ', verdictBadge(c.verdict)),
    el('p', { class: 'legend' }, `${c.verdict_reason || ''} · 报送 coverage ${cov.schools_submitted}/${cov.schools_registered} · 学年 period ${c.period} · 计算于 computed ${c.computed_at} · seq ${c.seq}`),
    planSection(c),
    el('h2', {}, '评估项目 ', el('span', { class: 'en' }, 'items and vetoes')),
    c.items ? itemsTable(c.items) : el('p', {}, '无整体结论 no whole verdict'),
    el('h2', {}, '校际差异系数 ', el('span', { class: 'en' }, 'difference coefficients by stage')),
    ['primary', 'junior'].map(k => stageBars(k, c.stages[k], names)),
    el('h2', {}, '整改清单 ', el('span', { class: 'en' }, 'rectification list')), rectification(c.sections || []),
    el('h2', {}, '未报送学校 ', el('span', { class: 'en' }, 'missing schools')),
    missing.length ? el('ul', { id: 'missing' }, missing.map(m => el('li', {}, names[m] || m, ' ', el('span', { class: 'en' }, m))))
      : el('p', {}, '全部已报送 all submitted')].flat());
}
/* 整改方案: the cheapest path, computed by the gateway on request (GET /api/county/CODE/plan). */
const CHEAPEST_COLS = [['primary_qualified', '小学学历教师'], ['primary_backbone', '小学骨干教师'], ['primary_pe_art', '小学体艺教师'],
  ['junior_qualified', '初中学历教师'], ['junior_backbone', '初中骨干教师'], ['junior_pe_art', '初中体艺教师'],
  ['teaching_area_m2', '教学用房m²'], ['sports_area_m2', '体育场馆m²'], ['equipment_yuan', '仪器设备元'],
  ['multimedia_rooms', '多媒体教室'], ['music_rooms', '音乐教室'], ['art_rooms', '美术教室'], ['cost_yuan', '费用元']];
const yuan = x => typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : '—';
function cheapestView(p) {
  const num = (k, x) => el('td', { class: 'num' }, k.endsWith('_m2') ? fmt(x, 1) : yuan(x));
  const total = {};
  for (const [k] of CHEAPEST_COLS) total[k] = p.schools.reduce((a, s) => a + (s[k] || 0), 0);
  const c = p.check || {};
  const checked = c.done && c.resource_allocation_pass && c.music_art_rooms_pass;
  return [
    el('p', { id: 'cheapest-check', class: checked ? 'pass' : 'fail' }, checked
      ? `模拟核验通过（资源配置达标，2.3 达标，结论 ${VERDICT_ZH[c.verdict] || c.verdict}）`
      : `模拟核验未通过：${c.done ? `资源配置${c.resource_allocation_pass ? '达标' : '未达标'}，2.3 ${c.music_art_rooms_pass ? '达标' : '未达标'}` : c.note}`),
    el('p', {}, `结果 outcome: ${p.outcome} · 达标学段 sections passing ${p.sections_passing}/${p.sections_assessed} · ` +
      `${p.schools.length} 所学校需补充 schools need additions`),
    el('div', { class: 'table-wrap' }, el('table', { id: 'cheapest-table' },
      el('thead', {}, el('tr', {}, el('th', {}, '学校 ', el('span', { class: 'en' }, 'school')),
        CHEAPEST_COLS.map(([k, zh]) => el('th', {}, zh, el('div', { class: 'en' }, k))))),
      el('tbody', {}, p.schools.map(s => el('tr', { 'data-school': s.school_code },
        el('td', {}, el('a', { href: '/school/' + s.school_code }, s.name), ' ', el('span', { class: 'en' }, s.school_code)),
        CHEAPEST_COLS.map(([k]) => num(k, s[k]))))),
      el('tfoot', {}, el('tr', {}, el('th', {}, '合计 total'), CHEAPEST_COLS.map(([k]) => num(k, total[k])))))),
    el('table', { class: 'plan', id: 'cheapest-costs' }, el('tbody', {},
      el('tr', {}, el('td', {}, '方案费用 plan cost'), el('td', { class: 'num' }, yuan(p.cost) + ' 元')),
      el('tr', {}, el('td', {}, '朴素方案 naive plan (every school to every standard)'), el('td', { class: 'num' }, yuan(p.naive_cost) + ' 元')),
      el('tr', {}, el('td', {}, '下界 lower bound on the optimum'), el('td', { class: 'num' }, yuan(p.lower_bound) + ' 元'))))];
}
function cheapestButton(code) {
  const btn = document.getElementById('cheapest-run'), out = document.getElementById('cheapest-out');
  if (!btn) return;
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    out.replaceChildren(el('p', { class: 'loading' }, '计算中… computing…'));
    try { out.replaceChildren(...cheapestView(await getJSON(`/api/county/${code}/plan`))); }
    catch (e) { if (e.message !== 'login') out.replaceChildren(el('p', { class: 'error' }, `${e.status || ''} ${e.message}`)); }
    btn.disabled = false;
  });
}
async function countyPage() {
  const code = location.pathname.split('/').pop();
  META = await getJSON('/api/meta').catch(() => null);
  const load = () => getJSON('/api/county/' + code).then(renderCounty).catch(e => {
    if (e.message !== 'login') document.getElementById('county').replaceChildren(el('p', { class: 'error' }, `${e.status || ''} ${e.message}`));
  });
  cheapestButton(code);
  await load();
  /* a later "city" event is a resync (the stream fell behind, or came back): the county may have changed meanwhile */
  let joined = false;
  live({ city: () => { if (joined) load(); joined = true; }, county: r => { if (r.code === code) { load(); document.dispatchEvent(new Event('junheng:county-changed')); } } });
}

/* ---- School ---------------------------------------------------------- */

function jsonTree(v) {
  if (v === null || typeof v !== 'object') return el('span', {}, v === null ? '—' : String(v));
  if (Array.isArray(v)) return el('ol', {}, v.map(x => el('li', {}, jsonTree(x))));
  return el('dl', {}, Object.entries(v).map(([k, x]) => [el('dt', {}, k), el('dd', {}, jsonTree(x))]));
}
/* One section of the school JSON (docs/formats.md "A school's own status"):
 * each indicator's value against its standard, the verdict, the needs. */
function schoolSection(sec) {
  const head = el('h2', { 'data-stage': sec.stage }, sec.stage_zh || STAGE_ZH[sec.stage] || sec.stage, ' ',
    el('span', { class: 'en' }, sec.stage), ' ',
    sec.excluded ? el('span', { class: 'en' }, '不参评 ' + (sec.excluded_zh || '') + ' — ' + sec.excluded)
      : el('span', { class: sec.pass ? 'ok' : 'bad' }, sec.pass ? '达标 pass' : '未达标 fail',
        ` (${sec.met}/7)`));
  const rows = (sec.indicators || []).map(i => el('tr', { 'data-indicator': i.id },
    el('td', {}, i.name_zh, ' ', el('span', { class: 'en' }, i.id)),
    el('td', { class: 'num' }, fmt(i.value, 2)), el('td', { class: 'num' }, fmt(i.standard, 2)),
    el('td', { class: i.met === true ? 'ok' : i.met === false ? 'bad' : '' },
      i.met === true ? '✓ 达到' : i.met === false ? '✗ 未达到' : '—')));
  const table = el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {},
    el('th', {}, '指标 indicator'), el('th', {}, '本校 value'), el('th', {}, '标准 standard'),
    el('th', {}, '是否达到 met'))), el('tbody', {}, rows)));
  const needs = (sec.needs || []).length
    ? el('ul', { class: 'needs' }, sec.needs.map(n => el('li', {}, n.text_zh))) : null;
  return [head, el('p', {}, `学生 ${sec.students} 人 `, el('span', { class: 'en' }, 'students')), table, needs];
}

/* The government-guarantee items the school's data shows. */
function schoolGuarantee(g) {
  const rows = Object.entries(g || {}).map(([id, x]) => el('tr', { 'data-guarantee': id },
    el('td', {}, x.name_zh, ' ', el('span', { class: 'en' }, id)),
    el('td', { class: x.complies === true ? 'ok' : x.complies === false ? 'bad' : '' },
      !x.applies ? '不适用' : x.complies ? '符合' : '不符合'),
    el('td', {}, x.reason || '', ' ', el('span', { class: 'en' }, x.reason_en || ''))));
  return el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {},
    el('th', {}, '保障项目 item'), el('th', {}, '结果 result'), el('th', {}, '依据 facts'))), el('tbody', {}, rows)));
}

async function schoolPage() {
  const code = location.pathname.split('/').pop();
  const main = document.getElementById('school');
  try {
    const s = await getJSON('/api/school/' + code);
    const sc = s.school || {}, cv = s.county_verdict || {};
    const kids = [el('h1', {}, sc.name || code, ' ', el('span', { class: 'en' }, code)),
      el('p', {}, (sc.kind_zh || ''), ' · ', (s.county && s.county.name) || '', ' ',
        el('span', { class: 'en' }, `period ${s.period} · ${s.view} · revision ${s.revision === null ? '—' : s.revision}`)),
      el('p', { id: 'sections-pass' }, '本校各学段 ', el('span', { class: 'en' }, 'sections: '),
        s.sections_pass === null ? '— 未参评' : el('span', { class: s.sections_pass ? 'ok' : 'bad' },
          s.sections_pass ? '全部达标 all pass' : '未全部达标 not all pass'),
        ' · 县结论 ', el('span', { class: 'en' }, 'county: '), verdictBadge(cv.verdict)),
      el('p', { class: 'en' }, s.caveat_zh || '', ' ', s.caveat || '')];
    if (!s.submitted) kids.push(el('p', { class: 'bad' }, '本年度尚未计入本校数据 ', el('span', { class: 'en' }, 'nothing counted for this year yet')));
    for (const sec of s.sections || []) kids.push(...schoolSection(sec).filter(Boolean));
    kids.push(el('h2', {}, '政府保障 ', el('span', { class: 'en' }, 'guarantee items')), schoolGuarantee(s.guarantee));
    kids.push(el('h2', {}, '提交记录 ', el('span', { class: 'en' }, 'revisions')),
      el('ul', { id: 'revisions' }, (s.revisions || []).map(r => el('li', {}, `#${r.revision} ${r.state_zh} `,
        el('span', { class: 'en' }, r.state + (r.newest ? ' · newest' : '') + (r.counted ? ' · counted' : ''))))));
    kids.push(el('details', {}, el('summary', {}, '原始数据 JSON'), jsonTree(s)));
    main.replaceChildren(...kids);
  } catch (e) {
    if (e.message !== 'login') main.replaceChildren(el('p', { class: 'error' }, `${e.status || ''} ${e.message}`));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  who();
  const page = document.body.dataset.page;
  if (page === 'city') cityPage();
  else if (page === 'county') countyPage();
  else if (page === 'school') schoolPage();
});
