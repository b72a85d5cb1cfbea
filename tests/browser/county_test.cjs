// county_test.cjs -- the county page's history chart and downloads in a real
// browser (Debian's chromium, driven by playwright-core). Run by the block at
// the end of tests/integration/test_web.sh, which owns the daemon and the
// gateway and checks the saved files afterwards:
//
//   node county_test.cjs URL PASSWORD SCHOOL OUT_DIR SHOTS_DIR EXPECT_JSON
//
// EXPECT_JSON (from `junheng status --county 371425 --history --json`):
// {"rows": N, "points": {"primary": P, "junior": J}, "last_verdict": "fail"}.
// The county user zhang (371425) reads the chart and downloads every file
// into OUT_DIR (named as the gateway names it); another county's files are
// 403 for zhang, and the county's files are 403 for the school user wang.
'use strict';
const fs = require('fs');
const path = require('path');
const { ok, check, shooter, login: loginForm, run } = require('./lib.cjs');

const [WEB, PASSWORD, SCHOOL, OUT, SHOTS, EXPECT] = process.argv.slice(2);
const expect = JSON.parse(EXPECT);
const shot = shooter(SHOTS);

async function login(page, user) {
  return (await loginForm(page, WEB, user, PASSWORD)).path;
}

/* The chart: one verdict band per stored status, seven lines per stage, every point, the dashed limit. */
async function chart(page) {
  await page.goto(WEB + '/county/371425');
  await page.waitForSelector('#history-primary, #history-out .error, #history-empty', { timeout: 15000 });
  const out = await page.$eval('#history-out', e => e.querySelector('#history-primary') ? '' : e.textContent);
  check(out === '', 'the history chart is not drawn: ' + out);
  const got = await page.evaluate(() => {
    const stage = s => ({
      lines: document.querySelectorAll(`#history-${s} path.cv-line`).length,
      points: document.querySelectorAll(`#history-${s} circle.cv-point`).length,
      limit: document.querySelector(`#history-${s} path.cv-limit`)?.getAttribute('stroke-dasharray') || '',
      labels: [...document.querySelectorAll(`#history-${s} text`)].map(t => t.textContent).join(' '),
    });
    const bands = [...document.querySelectorAll('#history-verdicts rect.verdict-band')];
    const first = document.querySelector('#history-primary circle.cv-point');
    return { primary: stage('primary'), junior: stage('junior'), bands: bands.length,
      last: bands.length ? bands[bands.length - 1].dataset.verdict : '', lastTitle: bands.length ? bands[bands.length - 1].textContent : '',
      cv: first ? Number(first.dataset.cv) : null, title: first ? first.textContent : '' };
  });
  check(got.bands === expect.rows, `${got.bands} verdict bands for ${expect.rows} stored statuses`);
  check(got.last === expect.last_verdict, `the newest verdict band is ${got.last}, the history says ${expect.last_verdict}`);
  check(/达标|未达标|待定/.test(got.lastTitle), 'the verdict band has no Chinese verdict: ' + got.lastTitle);
  for (const s of ['primary', 'junior']) {
    check(got[s].lines === 7, `${s}: ${got[s].lines} coefficient lines, not 7`);
    check(got[s].points >= expect.points[s] && expect.points[s] > 0, `${s}: ${got[s].points} points for ${expect.points[s]} stored values`);
    check(got[s].limit !== '', `${s}: the limit is not dashed`);
    check(got[s].labels.includes('差异系数 cv') && got[s].labels.includes('computed_at'), `${s}: axis titles missing: ${got[s].labels.slice(0, 80)}`);
  }
  check(got.title.includes(got.cv.toFixed(3)) && /限值 limit \d\.\d\d/.test(got.title), 'a point\'s title lacks its exact value: ' + got.title);
  // a tap on a point of the series drawn last (on top where lines cross) writes its values under the chart
  const top = '#history-primary g.cv-series:last-of-type circle.cv-point';
  await page.click(top);
  const readout = await page.$eval('.history-readout', e => e.textContent);
  const tapped = await page.$eval(top, e => e.textContent);
  check(readout === tapped && /差异系数 cv \d\.\d{3}/.test(readout), 'a tap does not show the point\'s values: ' + readout);
  await (await page.$('#history')).screenshot({ path: path.join(SHOTS, 'web-county-history.png') });
  ok(`the history chart: ${got.bands} verdict bands (newest ${got.last}), 7 lines per stage, ${got.primary.points}+${got.junior.points} points ` +
    `with exact values (${got.title.slice(0, 60)}…), the dashed limit`);
}

/* On a phone the chart fits the screen and its text stays at its size. */
async function phone(browser) {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
  await login(page, 'zhang');
  await page.goto(WEB + '/county/371425');
  await page.waitForSelector('#history-junior', { timeout: 15000 });
  const fit = await page.evaluate(() => {
    const svg = document.querySelector('#history-primary'), r = svg.getBoundingClientRect();
    return { right: r.right, scale: r.width / Number(svg.getAttribute('width')), doc: document.documentElement.scrollWidth };
  });
  check(fit.right <= 390 && fit.scale > 0.9, `on a phone the chart is ${fit.right}px wide at scale ${fit.scale}`);
  await page.$eval('#history', e => e.scrollIntoView());
  await page.screenshot({ path: path.join(SHOTS, 'web-county-history-phone.png') });
  ok(`on a 390px phone the chart fits (right edge ${fit.right.toFixed(0)}px, text at scale ${fit.scale.toFixed(2)})`);
}

/* Every download link answers 200 with its type and a file name; the files go to OUT for the shell to open. */
async function downloads(page) {
  await page.waitForFunction(() => document.querySelectorAll('#downloads-list a[data-kind]').length >= 8, null, { timeout: 10000 });
  const links = await page.$$eval('#downloads-list a[data-kind]:not([data-encoding])', as => as.map(a => ({ kind: a.dataset.kind, href: a.getAttribute('href') })));
  const types = { html: 'text/html', csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  const saved = [];
  for (const l of links) {
    const r = await page.request.get(WEB + l.href);
    check(r.status() === 200, `${l.kind}: ${r.status()}`);
    const disp = r.headers()['content-disposition'] || '', type = r.headers()['content-type'] || '';
    const m = /filename\*=UTF-8''([^;]+)/.exec(disp);
    check(m && /^attachment; filename="371425-[a-z-]+-\d{4}\.[a-z]+"/.test(disp), `${l.kind}: Content-Disposition ${disp}`);
    const name = decodeURIComponent(m[1]), ext = name.split('.').pop();
    check(type.startsWith(types[ext]), `${l.kind}: ${name} came as ${type}`);
    fs.writeFileSync(path.join(OUT, name), await r.body());
    saved.push(name);
  }
  check(saved.some(n => /^371425-自评表-\d{4}\.xlsx$/.test(n)), 'no 自评表 workbook among ' + saved.join(', '));
  // the link itself downloads (the browser's own download, named by the gateway)
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#downloads-list a[data-kind="selfassess-xlsx"]')]);
  check(/^371425-自评表-\d{4}\.xlsx$/.test(dl.suggestedFilename()), 'the browser saves the workbook as ' + dl.suggestedFilename());
  // each CSV table's GBK copy: the same file name, GBK bytes (saved as gbk-NAME for the shell to compare)
  const gbk = await page.$$eval('#downloads-list a[data-encoding="gbk"]', as => as.map(a => ({ kind: a.dataset.kind, href: a.getAttribute('href') })));
  check(gbk.length === links.filter(l => l.kind.startsWith('csv-')).length, `${gbk.length} GBK links for the CSV tables`);
  for (const l of gbk) {
    const r = await page.request.get(WEB + l.href);
    check(r.status() === 200 && /charset=GBK/i.test(r.headers()['content-type'] || ''), `${l.kind} in GBK: ${r.status()} ${r.headers()['content-type']}`);
    const m = /filename\*=UTF-8''([^;]+)/.exec(r.headers()['content-disposition'] || '');
    check(m, `${l.kind} in GBK: no file name`);
    fs.writeFileSync(path.join(OUT, 'gbk-' + decodeURIComponent(m[1])), await r.body());
  }
  const bad = await page.request.get(WEB + '/api/county/371425/download/report-html?encoding=gbk');
  check(bad.status() === 400 && (await bad.json()).field === 'encoding', `the report in GBK: ${bad.status()}`);
  console.log('SAVED ' + saved.join('|'));
  ok(`${links.length} downloads answer 200 with their type and file name: ${saved.join(', ')}`);
}

/* zhang: another county's files and history are 403; wang (a school): the county's files are 403. */
async function refused(browser, page) {
  for (const u of ['/api/county/371424/download/report-html', '/api/county/371424/download/csv-cv',
    '/api/county/371424/downloads', '/api/county/371424/history']) {
    const r = await page.request.get(WEB + u);
    check(r.status() === 403, `the county user got ${r.status()} for ${u}`);
  }
  const school = await browser.newPage({ locale: 'zh-CN' });
  const home = await login(school, 'wang');
  check(home === '/school/' + SCHOOL, 'the school user landed on ' + home);
  for (const u of ['/api/county/371425/download/selfassess-xlsx', '/api/county/371425/history']) {
    const r = await school.request.get(WEB + u);
    check(r.status() === 403, `the school user got ${r.status()} for ${u}`);
  }
  ok('another county\'s downloads and history are 403 for the county user; the county\'s are 403 for a school user');
}

run(SHOTS, 'county', async browser => {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN', acceptDownloads: true })).newPage();
  page.on('pageerror', e => console.log('# page error: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') console.log('# console: ' + m.text()); });
  const home = await login(page, 'zhang');
  check(home === '/', 'the county user landed on ' + home);
  await chart(page);
  await downloads(page);
  await phone(browser);
  await refused(browser, page);
});
