// web_test.cjs -- junheng-web in a real browser (Debian's chromium, driven by
// playwright-core; never a downloaded browser). Run by
// tests/integration/test_web.sh, which owns the daemon: this script prints
// "STEP name" when it wants the script to act and reads one line back on
// stdin when the action is done.
//
//   node web_test.cjs URL COUNTIES SHOTS_DIR PASSWORD SCHOOL
//
// URL is a gateway that requires a login; the users chen (monitor of the
// city), zhang (county 371425) and wang (school SCHOOL) share PASSWORD.
'use strict';
const path = require('path');
const { step, ok, check, shooter, login, run } = require('./lib.cjs');

const [WEB, COUNTIES, SHOTS, PASSWORD, SCHOOL] = process.argv.slice(2);
const shot = shooter(SHOTS);

/* Logs in through the form as user; returns the page's path after it. */
const loginAs = (page, user, password) => login(page, WEB, user, password);

async function cityLive(page) {
  const r = await loginAs(page, 'chen', PASSWORD);
  check(r.path === '/', `the city monitor's login went to ${r.path} (${r.status})`);
  await page.waitForFunction(n => document.querySelectorAll('#rows tr[data-code]').length === n, Number(COUNTIES), { timeout: 15000 });
  await page.waitForSelector('#banner', { state: 'hidden', timeout: 15000 });
  ok(`the city monitor logs in through the form; the city page lists all ${COUNTIES} counties, live`);
  const plans = await page.$$eval('#rows td.plan[data-behind]', t => t.map(e => e.textContent));
  check(plans.length > 0, 'no county shows its plan cell');
  ok(`the plan column: ${plans.slice(0, 3).join(' · ')}`);
}

const cov = (page, code) => page.$eval(`#row-${code} td:nth-child(3)`, e => e.textContent);

async function submissionShows(page, code) {
  await page.evaluate(() => { window.__notReloaded = true; });
  const before = await cov(page, code);
  const t0 = Date.now();
  await step('submit');
  const sent = Date.now();
  await page.waitForFunction(([c, b]) => {
    const td = document.querySelector(`#row-${c} td:nth-child(3)`);
    return td && td.textContent !== b;
  }, [code, before], { timeout: 2000 });
  const after = await cov(page, code);
  check(await page.evaluate(() => window.__notReloaded === true), 'the page was reloaded');
  ok(`the row of ${code} went from ${before} to ${after} ${Date.now() - sent} ms after the CLI's submit returned (submit took ${sent - t0} ms)`);
  await shot(page, 'web-city.png');
}

async function restartShowsBanner(page, code) {
  await step('kill');
  await page.waitForSelector('#banner:not([hidden])', { timeout: 10000 });
  const text = await page.$eval('#banner', e => e.textContent);
  check(await page.evaluate(() => document.body.classList.contains('stale')), 'rows not greyed while resyncing');
  ok('the daemon killed: the page shows "' + text.slice(0, 60) + '…" and greys the rows');
  await page.waitForSelector('#banner[data-daemon="lost"]', { timeout: 10000 });
  await shot(page, 'web-city-daemon-lost.png');
  ok('…then says the daemon is lost');
  const before = await cov(page, code);
  await step('restart');
  await page.waitForSelector('#banner', { state: 'hidden', timeout: 15000 });
  await page.waitForFunction(([c, b]) => {
    const td = document.querySelector(`#row-${c} td:nth-child(3)`);
    return td && td.textContent !== b;
  }, [code, before], { timeout: 10000 });
  check(!(await page.evaluate(() => document.body.classList.contains('stale'))), 'rows still grey after the resync');
  ok(`the daemon restarted: banner gone, ${code} shows the fresh state (${await cov(page, code)})`);
}

/* After the daemon's restart its sessions are gone: the gateway's JSON
 * endpoint says so (401) and the monitor logs in again. */
async function countyPage(page, code) {
  const stale = await page.request.get(WEB + '/api/county/' + code);
  check(stale.status() === 401, `a session of the daemon's previous run answered ${stale.status()}`);
  const r = await loginAs(page, 'chen', PASSWORD);
  check(r.path === '/', `the second login went to ${r.path} (${r.status})`);
  ok('the daemon\'s restart ended its sessions (401); the monitor logs in again');
  await page.goto(WEB + '/county/' + code);
  await page.waitForSelector('[data-stage="primary"] .bars', { timeout: 10000 });
  const items = await page.$$eval('tr[data-item]', r => r.length);
  check(items >= 20, `only ${items} items on the county page`);
  await shot(page, 'web-county.png');
  ok(`the county page of ${code} shows ${items} items and the coefficient bars`);
  const figures = await page.$$eval('#plan tr[data-figure]', r => r.length);
  check(figures > 0, 'the county page shows no plan section although a plan is imported');
  ok(`the plan section shows ${figures} planned figures beside the measured ones`);
  // the cheapest path of a county that fails: a table with schools, checked by the what-if
  const failing = (await (await page.request.get(WEB + '/api/city')).json()).counties.find(r => r.verdict === 'fail');
  check(failing, 'no failing county in the test data');
  await page.goto(WEB + '/county/' + failing.code);
  await page.waitForSelector('[data-stage="primary"] .bars', { timeout: 10000 });
  await page.click('#cheapest-run');
  await page.waitForSelector('#cheapest-table, #cheapest-out .error', { timeout: 60000 });
  const verdict = await page.$eval('#cheapest-out', e => e.textContent);
  const planned = await page.$$eval('#cheapest-table tbody tr', r => r.length);
  check(planned > 0 && (await page.$('#cheapest-check.pass')), 'the cheapest path: ' + verdict.slice(0, 120));
  ok(`the cheapest-path button shows the table for ${failing.code} (${planned} schools) and the check passed`);
  const r2 = await page.request.get(WEB + '/api/county/110101');
  check(r2.status() === 403, `a county outside the monitor's scope answered ${r2.status()}`);
  ok('a county outside the city is refused (403) by the JSON endpoint');
}

async function phone(context) {
  const p = await context.newPage();
  await p.setViewportSize({ width: 390, height: 844 });
  await p.goto(WEB + '/');
  await p.waitForFunction(n => document.querySelectorAll('#rows tr[data-code]').length === n, Number(COUNTIES));
  await shot(p, 'web-city-phone.png');
  await p.close();
}

/* The logout form ends the session: the old cookie opens nothing. */
async function logout(page) {
  await page.goto(WEB + '/');
  await page.waitForSelector('#logout');
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  check(new URL(page.url()).pathname === '/login', 'logout did not lead to /login');
  const after = await page.request.get(WEB + '/api/city');
  check(after.status() === 401, `/api/city after logout answered ${after.status()}`);
  ok('logout ends the session (the JSON endpoint answers 401 after it)');
}

/* A county user: its own county only; another county's page and JSON are 403. */
async function countyUser(page) {
  const r = await loginAs(page, 'zhang', PASSWORD);
  check(r.path === '/', `the county user's login went to ${r.path} (${r.status})`);
  await page.waitForFunction(() => document.querySelectorAll('#rows tr[data-code]').length >= 1, null, { timeout: 15000 });
  const codes = await page.$$eval('#rows tr[data-code]', rs => rs.map(r => r.dataset.code));
  check(codes.length === 1 && codes[0] === '371425', 'the county user sees ' + codes.join(','));
  const own = await page.request.get(WEB + '/api/county/371425');
  check(own.status() === 200, `the county user's own county answered ${own.status()}`);
  const resp = await page.goto(WEB + '/county/371424');
  check(resp.status() === 403, `another county's page answered ${resp.status()}`);
  const api = await page.request.get(WEB + '/api/county/371424');
  check(api.status() === 403, `another county's JSON answered ${api.status()}`);
  ok('a county user sees only 371425; another county\'s page and JSON endpoint answer 403');
}

/* A school user lands on its school's page: values against standards,
 * pass/fail, needs in Chinese, guarantee items, revisions. */
async function schoolUser(page) {
  const r = await loginAs(page, 'wang', PASSWORD);
  check(r.path === '/school/' + SCHOOL, `the school user's login went to ${r.path} (${r.status})`);
  await page.waitForSelector('#school h1', { timeout: 10000 });
  const n = await page.$$eval('tr[data-indicator]', rs => rs.length);
  check(n >= 7, `only ${n} indicator rows on the school page`);
  check(await page.$$eval('tr[data-guarantee]', rs => rs.length) > 0, 'no guarantee items on the school page');
  check(await page.$$eval('#revisions li', rs => rs.length) > 0, 'no revisions on the school page');
  const failing = await page.$$eval('h2[data-stage] .bad', rs => rs.length);
  const needs = await page.$$eval('ul.needs li', rs => rs.map(r => r.textContent));
  check(failing === 0 || (needs.length > 0 && needs.every(t => t.startsWith('需'))), 'a failing section without its needs in Chinese');
  await shot(page, 'web-school.png');
  const other = await page.goto(WEB + '/county/371425');
  check(other.status() === 403, `a school user's county page answered ${other.status()}`);
  ok(`the school user lands on /school/${SCHOOL}: ${n} indicators against their standards, guarantee items, revisions${needs.length ? ', needs: ' + needs[0] : ''}; the county page is 403`);
}

async function loginRefused(page) {
  const api = await page.request.get(WEB + '/api/city');
  check(api.status() === 401, `/api/city without a session answered ${api.status()}`);
  await page.goto(WEB + '/');
  check(new URL(page.url()).pathname === '/login', 'the city page did not send a stranger to /login');
  ok('without a session: the JSON endpoint answers 401 and the pages lead to /login');
  await shot(page, 'web-login.png');
  let last = '';
  for (let i = 0; i < 6; i++) {
    await page.fill('#user', 'zhang');
    await page.fill('#password', 'wrong password ' + i);
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
    last = resp.status() + ' ' + (await page.$eval('#login-error', e => e.textContent));
    check(resp.status() !== 303 && new URL(page.url()).pathname === '/login', 'a wrong password logged in');
  }
  check(last.startsWith('429'), 'six wrong passwords were not rate-limited: ' + last);
  ok('wrong passwords are refused, then rate-limited: ' + last.slice(0, 70));
  const forged = await page.request.post(WEB + '/login', { form: { user: 'x', password: 'y', csrf: 'f'.repeat(64) } });
  check(forged.status() === 403, `a login without the form's CSRF token answered ${forged.status()}`);
  ok('a login post without the form\'s CSRF token is refused (403)');
}

run(SHOTS, 'web', async browser => {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', e => console.log('# page error: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') console.log('# console: ' + m.text()); });
  await cityLive(page);
  await submissionShows(page, '371425');
  await restartShowsBanner(page, '371425');
  await countyPage(page, '371425');
  await phone(page.context());
  await logout(page);
  await countyUser(await browser.newPage({ locale: 'zh-CN' }));
  await schoolUser(await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' }));
  await loginRefused(await browser.newPage({ locale: 'zh-CN' }));
});
