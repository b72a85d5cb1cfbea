// upload_test.cjs -- the school page's upload in a real browser (Debian's
// chromium, driven by playwright-core). Run by the block at the end of
// tests/integration/test_web.sh, which owns the daemon and checks through
// the CLI what was stored: this script prints "STEP name [value]" when it
// wants the script to look, and reads one line back on stdin ("done").
//
//   node upload_test.cjs URL PASSWORD SCHOOL FILES_DIR SHOTS_DIR
//
// The school user wang (of SCHOOL, password PASSWORD) logs in; FILES_DIR
// holds bad.csv (a row of SCHOOL with a bad value, and a row of another
// school), good.csv (a corrected row of SCHOOL) and good.xlsx (the row
// changed again, as an Excel workbook).
'use strict';
const path = require('path');
const { step, ok, check, login: loginForm, run } = require('./lib.cjs');

const [WEB, PASSWORD, SCHOOL, FILES, SHOTS] = process.argv.slice(2);

async function login(page) {
  await loginForm(page, WEB, 'wang', PASSWORD);
  check(new URL(page.url()).pathname === '/school/' + SCHOOL, `wang's login went to ${page.url()}`);
  await page.waitForSelector('#upload:not([hidden])', { timeout: 10000 });
  await page.waitForSelector('#revisions', { timeout: 10000 });
}

/* The bad file: its rows' errors show, Send stays disabled, and the submit
 * endpoint itself refuses the same bytes (nothing sent). */
async function badFile(page) {
  await page.setInputFiles('#upload-file', path.join(FILES, 'bad.csv'));
  await page.waitForSelector('#upload-summary[data-ok="false"]', { timeout: 10000 });
  const bad = await page.$$eval('#upload-check tr.bad-row', t => t.map(r => r.dataset.line));
  check(bad.length === 2, `expected 2 rows with errors, saw ${bad.join(',')}`);
  const err = await page.$eval('#upload-check li.error[data-field="teaching_area_m2"]', e => e.textContent);
  check(err.includes('教学及辅助用房面积') && err.includes('负数') && err.includes('negative'), `the teaching area's error reads "${err}"`);
  const other = await page.$eval('#upload-check li.error[data-field="school_code"]', e => e.textContent);
  check(other.includes('学校标识码'), `the other school's error reads "${other}"`);
  check(await page.$eval('#upload-send', b => b.disabled), 'Send is enabled for a file with bad rows');
  ok(`a file with bad rows: rows ${bad.join(', ')} show their errors ("${err.slice(0, 50)}…", "${other.slice(0, 40)}…"); Send stays disabled`);
  await page.screenshot({ path: path.join(SHOTS, 'web-school-upload-bad.png'), fullPage: true });
  const forced = await page.evaluate(async code => {
    const me = await (await fetch('/api/me')).json();
    const file = document.getElementById('upload-file').files[0];
    const r = await fetch(`/api/school/${code}/submit`, { method: 'POST', body: await file.arrayBuffer(),
      headers: { 'X-CSRF-Token': me.csrf } });
    const noCsrf = await fetch(`/api/school/${code}/submit`, { method: 'POST', body: await file.arrayBuffer() });
    return { status: r.status, body: await r.json(), noCsrf: noCsrf.status };
  }, SCHOOL);
  check(forced.status === 422 && !forced.body.sent && forced.body.ok === false,
    `the submit endpoint took the bad file: ${forced.status} ${JSON.stringify(forced.body).slice(0, 200)}`);
  check(forced.noCsrf === 403, `a submit without the CSRF token answered ${forced.noCsrf}`);
  ok('the submit endpoint checks again and refuses the bad file itself (422, nothing sent); without the CSRF token 403');
  await step('bad');
}

/* The good file: clean, sent, its revision shown, the page refreshed. */
async function goodFile(page) {
  await page.setInputFiles('#upload-file', path.join(FILES, 'good.csv'));
  await page.waitForSelector('#upload-summary[data-ok="true"]', { timeout: 10000 });
  check(!(await page.$eval('#upload-send', b => b.disabled)), 'Send is disabled for a clean file');
  await page.click('#upload-send');
  await page.waitForSelector('#upload-result li[data-revision]:not([data-revision=""])', { timeout: 15000 });
  const sent = await page.$eval('#upload-result li[data-revision]', e => ({ rev: e.dataset.revision, status: e.dataset.status, text: e.textContent }));
  check(sent.status === 'accepted', `the row was ${sent.status}: ${sent.text}`);
  ok(`the clean file is sent: "${sent.text.slice(0, 60)}"`);
  await page.waitForFunction(rev => [...document.querySelectorAll('#revisions li')].some(li => li.textContent.startsWith('#' + rev + ' ')),
    sent.rev, { timeout: 10000 });
  ok(`the page refreshed from the live feed and lists revision #${sent.rev}`);
  await page.screenshot({ path: path.join(SHOTS, 'web-school-upload.png'), fullPage: true });
  await step('sent ' + sent.rev);
}

/* The workbook: read as the CSV is, sent, its revision shown. */
async function workbook(page) {
  await page.setInputFiles('#upload-file', path.join(FILES, 'good.xlsx'));
  await page.waitForSelector('#upload-summary[data-ok="true"]', { timeout: 10000 });
  await page.click('#upload-send');
  await page.waitForSelector('#upload-result li[data-revision]:not([data-revision=""])', { timeout: 15000 });
  const rev = await page.$eval('#upload-result li[data-revision]', e => e.dataset.revision);
  ok(`an Excel workbook (.xlsx) is checked clean and sent: revision ${rev}`);
  await step('xlsx ' + rev);
}

run(SHOTS, 'upload', async browser => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', e => console.log('# page error: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') console.log('# console: ' + m.text()); });
  await login(page);
  ok('the school user logs in and sees the upload section');
  await badFile(page);
  await goodFile(page);
  await workbook(page);
});
