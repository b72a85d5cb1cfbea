/* junheng-web: the review desk (review.html; docs/web.md "Review desk").
 * The county's inbox, approvals, returns, seal and answers; the city's
 * packages, findings, overrides, returns, passes and closings; the audit
 * trail. Every action is a POST to /api/review/ACTION carrying the
 * session's CSRF token and an action id made here per form: it is kept
 * until the daemon answers, so pressing again after a network error sends
 * the same id and the daemon applies the action at most once. Uses el()
 * and getJSON() of app.js; builds the DOM with textContent only. */
'use strict';
(() => {   /* its own scope: nothing here collides with app.js's names */

let ME = null;
const DESK = { county: null, period: 0, open: null };   /* the county user's package; the city's open package */
const FORM_FIELD = { county_code: 'county', problem_id: 'problem' };   /* the daemon's field -> the form's */

/* A fresh UUID (version 4) from the browser's randomness. */
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const q = (name, args) => '/api/review/' + name + '?' + new URLSearchParams(args || {});
const stateText = (zh, en) => el('span', { class: 'state', 'data-state': en || '' }, zh || '', ' ', el('span', { class: 'en' }, en || ''));
const input = (name, zh, en, attrs) => el('label', {}, `${zh} ${en}`, el('input', Object.assign({ name }, attrs || {})));
const area = (name, zh, en, attrs) => el('label', {}, `${zh} ${en}`, el('textarea', Object.assign({ name }, attrs || {})));
const hidden = (name, value) => el('input', { type: 'hidden', name, value: String(value) });
function flash(text) { const f = document.getElementById('flash'); if (f) f.textContent = text; }

/* Marks the form's field the daemon named, and says why next to the form. */
function showRefusal(form, out, ans) {
  const name = FORM_FIELD[ans.field] || ans.field;
  const bad = name && form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (bad) bad.classList.add('bad-field');
  out.dataset.field = ans.field || '';
  out.textContent = (ans.error || '') + (ans.field ? ` [${ans.field}]` : '');
}

/* A form that posts to /api/review/ACTION; extra() adds computed fields.
 * On success the desk is drawn again and says what was done. */
function actionForm(action, id, kids, label, extra) {
  const out = el('p', { class: 'error', 'data-out': '' });
  const button = el('button', { type: 'submit' }, label);
  const form = el('form', { class: 'act', id, 'data-action': action }, ...kids, button, out);
  form.dataset.actionId = uuid();
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    for (const [k, v] of Object.entries(extra ? extra() : {})) body.set(k, v);
    body.set('csrf', ME.csrf);
    body.set('action_id', form.dataset.actionId);
    form.querySelectorAll('.bad-field').forEach(e => e.classList.remove('bad-field'));
    out.textContent = '';
    button.disabled = true;
    let r;
    try { r = await fetch('/api/review/' + action, { method: 'POST', body, credentials: 'same-origin' }); }
    catch (e) {
      button.disabled = false;   /* the same action id goes again: applied at most once */
      out.textContent = '网络错误，请再次提交（不会重复执行）— network error: send again, it is applied at most once';
      return;
    }
    if (r.status === 401) { location.href = '/login'; return; }
    const ans = await r.json().catch(() => ({}));
    button.disabled = false;
    if (r.status === 503) { out.textContent = ans.error || '503'; return; }   /* not known whether applied: keep the id */
    form.dataset.actionId = uuid();
    if (!r.ok) { showRefusal(form, out, ans); return; }
    await draw();
    flash(`已完成 ${action}${ans.duplicate ? '（重复提交，未再执行 duplicate）' : ''} — done` +
      (ans.audit_id ? ` · 审计 audit #${ans.audit_id}` : ''));
  });
  return form;
}

function table(id, heads, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { id }, el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : el('tr', { class: 'empty' }, el('td', { colspan: String(heads.length) }, '无 none')))));
}

/* ---- the county ------------------------------------------------------- */

function submissionRow(s) {
  const warnings = (s.warnings || []).map(w => `${w.field}: ${w.reason}`);
  return el('tr', { 'data-revision': String(s.revision), 'data-school': s.school_code },
    el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: String(s.revision), 'aria-label': 'revision ' + s.revision })),
    el('td', { class: 'num' }, '#' + s.revision),
    el('td', {}, s.school_name || '', ' ', el('span', { class: 'en' }, s.school_code)),
    el('td', {}, when(Date.parse(s.received_at)), s.late ? el('span', { class: 'bad' }, ' 逾期 late') : null),
    el('td', { class: 'warn' }, warnings.length ? warnings.join('；') : '—'),
    el('td', {}, el('details', {}, el('summary', {}, '退回 return'),
      actionForm('return', 'return-' + s.revision, [hidden('revisions', s.revision),
        area('reason', '退回理由', 'reason', { required: true }),
        input('columns', '涉及列', 'columns (ids, comma-separated)', { placeholder: 'sports_area_m2' }),
        input('deadline', '整改期限', 'deadline', { type: 'date' })], '退回 return'))));
}

function countySubmissions(list) {
  const picked = () => ({ revisions: [...document.querySelectorAll('#submissions input.pick:checked')].map(c => c.value).join(',') });
  return el('section', { id: 'county-submissions' },
    el('h2', {}, '待审核的学校数据 ', el('span', { class: 'en' }, `submitted revisions · ${DESK.period}`)),
    table('submissions', ['', '修订 revision', '学校 school', '报送 received', '警告 warnings', ''], list.map(submissionRow)),
    actionForm('approve', 'approve-selected', [], '通过所选 approve selected', picked),
    actionForm('approve', 'approve-clean', [hidden('county', DESK.county), hidden('period', DESK.period), hidden('all_clean', 1)],
      '通过全部无警告的 approve all clean'));
}

function problemRow(p, forCounty) {
  const act = forCounty && p.state === 'open'
    ? actionForm('answer', 'answer-' + p.id, [hidden('problem', p.id), area('evidence', '整改佐证', 'evidence', { required: true })], '答复 answer')
    : !forCounty && p.state === 'rectified'
      ? actionForm('close', 'close-' + p.id, [hidden('problem', p.id)], '销号 close') : null;
  return el('tr', { 'data-problem': String(p.id), 'data-state': p.state },
    el('td', { class: 'num' }, String(p.id)), el('td', {}, `${p.county_code} · ${p.period}`),
    el('td', {}, p.item), el('td', {}, p.finding), el('td', {}, p.deadline || '—'),
    el('td', {}, stateText(p.state_zh, p.state)), el('td', {}, p.evidence || '—'), el('td', {}, act));
}
function problemsTable(id, list, forCounty) {
  return table(id, ['问题 id', '县 · 学年', '项目 item', '问题 finding', '期限 deadline', '状态 state', '佐证 evidence', ''],
    list.map(p => problemRow(p, forCounty)));
}

function auditSection(rows) {
  const last = rows.slice(-30).reverse();
  return el('section', { id: 'audit-section' }, el('h2', {}, '审计日志 ', el('span', { class: 'en' }, 'audit trail (newest first)')),
    table('audit', ['#', '时间 at', '操作 action', '人 who', '对象 target', '理由 reason'], last.map(a => el('tr', { 'data-audit': String(a.id) },
      el('td', { class: 'num' }, String(a.id)), el('td', {}, when(Date.parse(a.at))), el('td', {}, a.action),
      el('td', {}, a.actor_user || a.actor_role, ' ', el('span', { class: 'en' }, `${a.actor_role} ${a.actor_subject}`)),
      el('td', {}, [a.school_code, a.target].filter(x => x !== null && x !== undefined).join(' #')),
      el('td', {}, a.reason || '')))));
}

async function countyDesk(box) {
  DESK.county = ME.scope;
  const pending = await getJSON(q('pending', { county: DESK.county }));
  DESK.period = pending.period;
  const args = { county: DESK.county, period: DESK.period };
  const [subs, inbox, pkg, findings, audit] = await Promise.all([
    getJSON(q('submissions', Object.assign({ state: 'submitted' }, args))), getJSON(q('inbox')),
    getJSON(q('package', args)), getJSON(q('findings', args)), getJSON(q('audit', { county: DESK.county }))]);
  box.replaceChildren(
    el('p', { id: 'flash', 'aria-live': 'polite' }),
    el('section', { id: 'county-inbox' }, el('h2', {}, '收件箱 ', el('span', { class: 'en' }, 'inbox')),
      el('p', {}, `${pending.registered} 所学校 schools · 已通过 approved ${pending.approved} · 待审核 awaiting ${pending.awaiting_approval.length}` +
        ` · 已退回 returned ${pending.returned.length} · 未报送 not submitted ${pending.not_submitted.length}`),
      el('ul', { id: 'returned' }, (inbox.returned || []).map(r => el('li', { 'data-revision': String(r.revision) },
        `#${r.revision} ${r.school_name || r.school_code} 已退回 returned: ${r.reason || ''}`, r.deadline ? `（期限 ${r.deadline}）` : '')))),
    countySubmissions(subs.filter(s => s.newest !== false)),
    el('section', { id: 'county-package' }, el('h2', {}, '县级自评封存 ', el('span', { class: 'en' }, 'seal the package')),
      el('p', { id: 'package-state', 'data-state': pkg.state }, `${DESK.county} · ${DESK.period} 学年 · `, stateText(pkg.state_zh, pkg.state),
        pkg.seal ? ` · 封存 seal #${pkg.seal} ${when(Date.parse(pkg.sealed_at))}` : ' · 尚未封存 never sealed'),
      actionForm('seal', 'seal-form', [hidden('county', DESK.county), hidden('period', DESK.period)], '封存自评 seal')),
    el('section', { id: 'county-problems' }, el('h2', {}, '市级复核问题 ', el('span', { class: 'en' }, 'the city\'s findings: answer with evidence')),
      problemsTable('problems', findings, true)),
    auditSection(audit));
}

/* ---- the city --------------------------------------------------------- */

function packageView(p, findings, audit) {
  const args = () => [hidden('county', p.county_code), hidden('period', p.period)];   /* fresh nodes per form */
  const verify = p.verify === 'identical' ? el('span', { class: 'ok' }, '复算一致 identical')
    : p.verify ? el('span', { class: 'bad' }, '复算不一致 differs ' + JSON.stringify(p.verify).slice(0, 120)) : '—';
  const overrides = (p.overrides || []).map(o => el('li', {}, `${o.item} ${o.field} = ${o.value}：${o.reason}`));
  const s = (p.status && p.status.verdict) || '';
  return el('section', { id: 'package', 'data-county': p.county_code, 'data-state': p.state },
    el('h2', {}, `材料 ${p.county_code} · ${p.period} 学年 `, el('span', { class: 'en' }, 'package')),
    el('div', { class: 'pkg-head' }, stateText(p.state_zh, p.state),
      el('span', {}, p.seal ? `封存 seal #${p.seal} · ${when(Date.parse(p.sealed_at))}` : '尚未封存 never sealed'),
      el('span', { id: 'verify' }, '核验 verify: ', verify), s ? el('span', {}, '结论 verdict: ', verdictBadge(s)) : null,
      el('span', {}, `学校 schools ${(p.schools || []).length} · 问题 open ${p.problems.open} / rectified ${p.problems.rectified} / closed ${p.problems.closed}`)),
    overrides.length ? el('ul', { id: 'overrides' }, overrides) : null,
    el('h3', {}, '问题清单 ', el('span', { class: 'en' }, 'findings')), problemsTable('findings', findings, false),
    actionForm('finding', 'finding-form', [...args(), input('item', '项目', 'item', { placeholder: '2.8', size: 6, required: true }),
      area('finding', '问题', 'finding', { required: true }), input('deadline', '整改期限', 'deadline', { type: 'date' })], '记录问题 record a finding'),
    el('details', {}, el('summary', {}, '改判 override an item'),
      actionForm('override', 'override-form', [...args(), input('item', '项目', 'item', { size: 6 }), input('field', '字段', 'field', { placeholder: 'present' }),
        input('value', '值', 'value', { placeholder: 'yes / no / present / absent', size: 10 }), area('reason', '理由', 'reason')], '改判 override')),
    actionForm('return_package', 'return-package-form', [...args(), area('reason', '退回理由', 'reason', { required: true })], '退回整改 return the package'),
    actionForm('pass', 'pass-form', args(), '复核通过 pass'),
    auditSection(audit));
}

async function openPackage(county, period) {
  DESK.open = { county, period };
  const args = { county, period };
  const [p, findings, audit] = await Promise.all([getJSON(q('package', Object.assign({ verify: 1 }, args))),
    getJSON(q('findings', args)), getJSON(q('audit', { county }))]);
  const old = document.getElementById('package');
  const view = packageView(p, findings, audit);
  if (old) old.replaceWith(view); else document.getElementById('desk').append(view);
}

async function cityDesk(box) {
  const inbox = await getJSON(q('inbox'));
  const rows = (inbox.packages || []).map(p => el('tr', { 'data-county': p.county_code, 'data-period': String(p.period) },
    el('td', {}, p.county_code), el('td', {}, String(p.period)), el('td', {}, stateText(p.state_zh, p.state)),
    el('td', {}, p.seal ? '#' + p.seal : '—'),
    el('td', {}, el('button', { type: 'button', class: 'open' }, '打开核验 open'))));
  for (const tr of rows) tr.querySelector('button.open').addEventListener('click', () => openPackage(tr.dataset.county, Number(tr.dataset.period)));
  const pick = el('form', { class: 'act', id: 'open-form' }, input('county', '县', 'county', { size: 7, pattern: '[0-9]{6}' }),
    input('period', '学年', 'period', { size: 5, pattern: '[0-9]{4}' }), el('button', { type: 'submit' }, '打开 open'));
  pick.addEventListener('submit', ev => { ev.preventDefault(); openPackage(pick.county.value, Number(pick.period.value)); });
  const readOnly = !ME.may_review && ME.role !== 'admin';
  box.replaceChildren(el('p', { id: 'flash', 'aria-live': 'polite' }),
    el('p', { class: 'bad', hidden: !readOnly }, '本账号没有复核权限，只能查看 — this user may only read (no review right)'),
    el('section', { id: 'city-inbox' }, el('h2', {}, '待复核材料 ', el('span', { class: 'en' }, 'packages awaiting review')),
      table('packages', ['县 county', '学年 period', '状态 state', '封存 seal', ''], rows), pick),
    el('section', { id: 'city-problems' }, el('h2', {}, '待销号问题 ', el('span', { class: 'en' }, 'answered problems awaiting closing')),
      problemsTable('rectified', (inbox.problems || []).filter(p => p.state === 'rectified'), false)));
  if (DESK.open) await openPackage(DESK.open.county, DESK.open.period);
}

/* Draws the desk for the user's role (again after every action). */
async function draw() {
  const box = document.getElementById('desk');
  try {
    if (ME.role === 'county') await countyDesk(box);
    else await cityDesk(box);
  } catch (e) {
    if (e.message !== 'login') box.replaceChildren(el('p', { class: 'error' }, `${e.status || ''} ${e.message}`));
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  ME = await getJSON('/api/me').catch(() => null);
  if (ME) await draw();
});
})();
