/* junheng-web: the school page's upload (docs/web.md "Uploading a school's
 * file"). The chosen file's bytes go to POST /api/school/CODE/check, which
 * reads and checks every row as `junheng submit` does and sends nothing; the
 * rows are shown with their errors and warnings (column, its Chinese heading,
 * the reason in Chinese then English). Send is enabled only when every row
 * is clean; it posts the same bytes to /api/school/CODE/submit, which checks
 * them again and sends them to the daemon with the user's session, and
 * shows each row's revision; the page then refreshes from the live feed.
 * Uses el(), getJSON(), live() and schoolPage() of app.js (loaded first). */
'use strict';

const upload = { code: location.pathname.split('/').pop(), csrf: '', bytes: null, name: '' };

/* POSTs the chosen file to /api/school/CODE/ACTION; the answer's status and JSON. */
async function postFile(action) {
  const r = await fetch(`/api/school/${upload.code}/${action}`, {
    method: 'POST', credentials: 'same-origin', body: upload.bytes,
    headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': upload.csrf },
  });
  if (r.status === 401) { location.href = '/login'; throw new Error('login'); }
  return { status: r.status, body: await r.json().catch(() => ({ error: r.statusText })) };
}

/* One problem: 中文列名 (column id): 原因 — reason. */
function problemItem(p, cls) {
  const where = p.heading ? [p.heading, ' ', el('span', { class: 'en' }, `(${p.field})`), '：']
    : p.field ? [p.field, '：'] : [];
  const en = p.reason_en && p.reason_en !== p.reason ? el('span', { class: 'en' }, ' — ' + p.reason_en) : null;
  return el('li', { class: cls, 'data-field': p.field || '' }, ...where, p.reason, en);
}
function problemList(errors, warnings) {
  if (!(errors || []).length && !(warnings || []).length) return el('span', { class: 'ok' }, '✓ 无误 ', el('span', { class: 'en' }, 'clean'));
  return el('ul', { class: 'problems' }, (errors || []).map(p => problemItem(p, 'error')),
    (warnings || []).map(p => problemItem(p, 'warning')));
}

/* The check's answer: file-level problems, then a row per school row. */
function showCheck(c) {
  const box = document.getElementById('upload-check');
  const head = el('p', { id: 'upload-summary', class: c.ok ? 'ok' : 'bad', 'data-ok': String(!!c.ok) },
    c.ok ? `全部 ${c.n_rows} 行无误，可以报送 ` : `${c.bad_rows || 0} / ${c.n_rows || 0} 行有错误，不能报送 `,
    el('span', { class: 'en' }, c.ok ? `all ${c.n_rows} rows clean: ready to send` : `${c.bad_rows || 0} of ${c.n_rows || 0} rows have errors: nothing can be sent`));
  const fileErr = (c.file_errors || []).length
    ? el('ul', { id: 'upload-file-errors', class: 'problems bad' }, c.file_errors.map(p => problemItem(p, 'error'))) : null;
  const rows = (c.rows || []).map(r => el('tr', { 'data-line': r.line, class: r.errors.length ? 'bad-row' : null },
    el('td', { class: 'num' }, r.line), el('td', {}, r.school_code || '—'), el('td', { class: 'num' }, r.period || '—'),
    el('td', {}, problemList(r.errors, r.warnings))));
  const table = rows.length ? el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {},
    el('th', {}, '行 line'), el('th', {}, '学校 school'), el('th', {}, '学年 period'), el('th', {}, '检查结果 check'))),
  el('tbody', {}, rows))) : null;
  box.replaceChildren(...[head, fileErr, table].filter(Boolean));
}

/* The send's answer: each row's status and revision. */
function showSent(status, s) {
  const box = document.getElementById('upload-result');
  if (!s.rows) {
    box.replaceChildren(el('p', { class: 'error' }, `${status} ${s.error || ''}`));
    return;
  }
  if (!s.sent) { showCheck(s); box.replaceChildren(el('p', { class: 'error' }, '检查未通过，未报送 ', el('span', { class: 'en' }, 'the check failed: nothing was sent'))); return; }
  const items = s.rows.map(r => el('li', { 'data-line': r.line, 'data-status': r.status, 'data-revision': r.revision ?? '' },
    `第 ${r.line} 行 ${r.school_code}：`,
    r.revision !== null ? el('span', { class: 'sent ok' }, `已报送，修订号 ${r.revision} `) : el('span', { class: 'bad' }, '未存储 '),
    el('span', { class: 'en' }, r.status + (r.revision !== null ? ` · revision ${r.revision}` : '')),
    (r.errors || []).length || (r.warnings || []).length ? problemList(r.errors, r.warnings) : null));
  box.replaceChildren(el('p', { id: 'upload-sent', class: s.ok ? 'ok' : 'bad' },
    s.ok ? '报送完成 ' : '部分未完成 ', el('span', { class: 'en' }, s.ok ? 'sent' : 'not all stored')), el('ul', {}, items));
  if (s.ok) refreshWhenLive();
}

/* After a send: the school's page again when the live feed brings its county's change. */
let uploadFeed = null;
async function refreshWhenLive() {
  const s = await getJSON('/api/school/' + upload.code).catch(() => null);
  const county = s && s.county && s.county.code;
  let pending = null;
  const again = () => { clearTimeout(pending); pending = setTimeout(schoolPage, 150); };
  if (!uploadFeed) uploadFeed = live({ county: r => { if (r.code === county) again(); } });
  again();
}

async function onFile(ev) {
  const f = ev.target.files[0];
  const send = document.getElementById('upload-send');
  send.disabled = true;
  document.getElementById('upload-result').replaceChildren();
  if (!f) return;
  upload.bytes = await f.arrayBuffer();
  upload.name = f.name;
  document.getElementById('upload-check').replaceChildren(el('p', { class: 'loading' }, '检查中… ', el('span', { class: 'en' }, 'checking…')));
  try {
    const { status, body } = await postFile('check');
    if (status !== 200) {
      document.getElementById('upload-check').replaceChildren(el('p', { class: 'error' }, `${status} ${body.error || ''}`));
      return;
    }
    showCheck(body);
    send.disabled = !body.ok;
  } catch (e) {
    if (e.message !== 'login') document.getElementById('upload-check').replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function onSend() {
  const send = document.getElementById('upload-send');
  send.disabled = true;
  document.getElementById('upload-result').replaceChildren(el('p', { class: 'loading' }, '报送中… ', el('span', { class: 'en' }, 'sending…')));
  try {
    const { status, body } = await postFile('submit');
    showSent(status, body);
  } catch (e) {
    if (e.message !== 'login') document.getElementById('upload-result').replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  const me = await getJSON('/api/me').catch(() => null);
  const section = document.getElementById('upload');
  if (!me || !section || me.dev_open || !['school', 'county', 'admin'].includes(me.role)) return;
  upload.csrf = me.csrf;
  section.hidden = false;
  document.getElementById('upload-file').addEventListener('change', onFile);
  document.getElementById('upload-send').addEventListener('click', onSend);
});
