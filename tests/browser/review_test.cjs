// review_test.cjs -- the review desk of junheng-web in a real browser
// (Debian's chromium, driven by playwright-core). Run by
// tests/integration/test_web.sh after web_test.cjs, on its daemon and
// gateway: it prints "STEP name args" when the script should check with the
// CLI, and reads one line back ("ok", or why not).
//
//   node review_test.cjs URL SHOTS_DIR PASSWORD OTHER_REVISION
//
// zhang is the county user of 371425, liu a city monitor of 3714 with the
// review right; OTHER_REVISION is a submitted revision of county 371424.
'use strict';
const path = require('path');
const lib = require('./lib.cjs');
const { ok, check, shooter, login, run } = lib;

const [WEB, SHOTS, PASSWORD, OTHER_REVISION] = process.argv.slice(2);
const COUNTY = '371425';
/* A STEP the shell script checks through the CLI: it answers "ok" or what is wrong. */
async function step(name) {
  const answer = await lib.step(name);
  if (answer !== 'ok') throw new Error(`the CLI check ${name}: ${answer}`);
}
const shot = shooter(SHOTS);

/* Logs user in (a fresh context) and opens the desk through the header's link. */
async function desk(browser, user) {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', e => console.log('# page error: ' + e.message));
  await login(page, WEB, user, PASSWORD);
  await page.waitForSelector('#review-link', { timeout: 10000 });
  await Promise.all([page.waitForNavigation(), page.click('#review-link')]);
  check(new URL(page.url()).pathname === '/review', `${user}'s desk link went to ${page.url()}`);
  await page.waitForSelector('#flash', { state: 'attached', timeout: 10000 });
  return page;
}
/* Submits form sel and waits for the desk to say it is done. */
async function act(page, sel, what) {
  await page.evaluate(() => { const f = document.getElementById('flash'); if (f) f.textContent = ''; });
  await page.click(`${sel} button[type=submit]`);
  await page.waitForFunction(() => /done/.test((document.getElementById('flash') || {}).textContent || ''), null, { timeout: 10000 })
    .catch(async () => { throw new Error(`${what}: ${await page.$eval(`${sel} [data-out]`, e => e.textContent).catch(() => 'no answer')}`); });
}
async function post(page, action, form) {
  const me = await (await page.request.get(WEB + '/api/me')).json();
  return page.request.post(WEB + '/api/review/' + action, { form: Object.assign({ csrf: me.csrf }, form) });
}
const uuid = () => require('crypto').randomUUID();

async function countyApprovesAndReturns(page) {
  await page.waitForSelector('#submissions tr[data-revision]', { timeout: 10000 });
  const revs = await page.$$eval('#submissions tr[data-revision]', rs => rs.map(r => r.dataset.revision));
  check(revs.length >= 3, `only ${revs.length} revisions await approval`);
  const [r1, r2, r3] = revs;
  await page.click('#approve-selected button[type=submit]');   // nothing picked: the daemon refuses, in Chinese
  await page.waitForFunction(() => document.querySelector('#approve-selected [data-out]').textContent.length > 0);
  const why = await page.$eval('#approve-selected [data-out]', e => e.textContent);
  check(/[\u4e00-\u9fff]/.test(why) && /revisions/.test(why), 'the refusal beside the form: ' + why);
  ok('a refusal shows beside its form, in Chinese: ' + why.slice(0, 60));
  await page.check(`#submissions tr[data-revision="${r1}"] input.pick`);
  await act(page, '#approve-selected', 'approve');
  await page.click(`#submissions tr[data-revision="${r2}"] summary`);
  await page.fill(`#return-${r2} textarea[name=reason]`, '生均体育场地面积与台账不符');
  await page.fill(`#return-${r2} input[name=columns]`, 'sports_area_m2');
  await act(page, `#return-${r2}`, 'return');
  check(!(await page.$(`#submissions tr[data-revision="${r1}"]`)), 'the approved revision is still listed');
  ok(`the county user approves #${r1} and returns #${r2} with a reason`);
  // a resend of an action (the same action id) is not applied twice
  const id = uuid();
  const a = await post(page, 'approve', { revisions: r3, action_id: id });
  const b = await post(page, 'approve', { revisions: r3, action_id: id });
  const [ja, jb] = [await a.json(), await b.json()];
  check(a.status() === 200 && !ja.duplicate && b.status() === 200 && jb.duplicate === true && ja.audit_id === jb.audit_id,
    `a resend answered ${b.status()} ${JSON.stringify(jb).slice(0, 100)}`);
  ok(`a resend with the same action id is answered "duplicate" (audit #${jb.audit_id}), not applied twice`);
  await step(`check ${r1} ${r2}`);
  ok('the CLI (jh review submissions) confirms: approved and returned, with the reason and column');
}

async function countySeals(page) {
  await act(page, '#seal-form', 'seal');
  await page.waitForSelector('#package-state[data-state="sealed"]', { timeout: 5000 });
  ok('the county user seals the package (已自评 sealed)');
}

async function notOtherCounty(page) {
  const g = await post(page, 'seal', { county: '371424', period: '2025', action_id: uuid() });
  const gj = await g.json();
  check(g.status() === 403 && gj.field === 'county_code', `sealing another county answered ${g.status()} ${gj.field}`);
  const q = await page.request.get(WEB + '/api/review/pending?county=371424');
  check(q.status() === 403, `another county's pending list answered ${q.status()}`);
  const d = await post(page, 'approve', { revisions: OTHER_REVISION, action_id: uuid() });
  const dj = await d.json();
  check(d.status() === 403 && dj.field === 'key', `approving another county's revision answered ${d.status()} ${JSON.stringify(dj).slice(0, 120)}`);
  ok('a county user cannot act on another county: 403 at the gateway (county_code), and the daemon refuses ' +
    `#${OTHER_REVISION}: ${dj.error.slice(0, 50)}`);
}

async function cityReturns(page) {
  const row = `#packages tr[data-county="${COUNTY}"]`;
  await page.waitForSelector(row, { timeout: 10000 });
  await page.click(`${row} button.open`);
  await page.waitForSelector(`#package[data-county="${COUNTY}"]`, { timeout: 15000 });
  const verify = await page.$eval('#verify', e => e.textContent);
  check(/identical/.test(verify), 'the sealed package does not verify: ' + verify);
  ok(`the city reviewer sees the sealed package of ${COUNTY} and opens it: ${verify}`);
  await page.fill('#finding-form input[name=item]', '2.8');
  await page.fill('#finding-form textarea[name=finding]', '绩效工资未落实');
  await page.fill('#finding-form input[name=deadline]', '2027-04-30');
  await act(page, '#finding-form', 'finding');
  await page.waitForSelector('#findings tr[data-problem][data-state="open"]', { timeout: 5000 });
  const problem = await page.$eval('#findings tr[data-problem]', r => r.dataset.problem);
  await shot(page, 'web-review.png');
  await page.fill('#return-package-form textarea[name=reason]', '见问题清单');
  await act(page, '#return-package-form', 'return_package');
  await page.waitForSelector('#package[data-state="returned"]', { timeout: 5000 });
  ok(`the city reviewer records problem ${problem} (2.8) and returns the package`);
  return problem;
}

async function countyAnswers(page, problem) {
  await page.reload();
  const row = `#problems tr[data-problem="${problem}"]`;
  await page.waitForSelector(`${row}[data-state="open"]`, { timeout: 10000 });
  const finding = await page.$eval(row, r => r.textContent);
  check(finding.includes('绩效工资未落实'), 'the county user does not see the finding: ' + finding);
  await page.fill(`#answer-${problem} textarea[name=evidence]`, '县政府办〔2026〕3号，绩效工资已发放');
  await act(page, `#answer-${problem}`, 'answer');
  await page.waitForSelector(`${row}[data-state="rectified"]`, { timeout: 5000 });
  await act(page, '#seal-form', 'seal again');
  await page.waitForSelector('#package-state[data-state="sealed"]', { timeout: 5000 });
  ok(`the county user sees problem ${problem}, answers it with evidence and seals again`);
}

async function cityPasses(page, problem) {
  await page.reload();
  await page.waitForSelector(`#rectified tr[data-problem="${problem}"]`, { timeout: 10000 });
  await act(page, `#close-${problem}`, 'close');
  await page.click(`#packages tr[data-county="${COUNTY}"] button.open`);
  await page.waitForSelector(`#package[data-county="${COUNTY}"] #findings tr[data-problem="${problem}"][data-state="closed"]`, { timeout: 10000 });
  await act(page, '#pass-form', 'pass');
  await page.waitForSelector('#package[data-state="city_passed"]', { timeout: 5000 });
  const audit = await page.$$eval('#audit tr[data-audit]', rs => rs.map(r => r.textContent).join('\n'));
  check(audit.includes('zhang') && audit.includes('liu'), 'the audit trail does not name both users');
  ok(`the city reviewer closes problem ${problem} and passes the package; the audit trail names zhang and liu`);
  await step('final');
  ok('the CLI confirms: the package is city_passed, the audit rows carry the web users');
}

run(SHOTS, 'review', async browser => {
  const county = await desk(browser, 'zhang');
  await countyApprovesAndReturns(county);
  await countySeals(county);
  await notOtherCounty(county);
  const city = await desk(browser, 'liu');
  const problem = await cityReturns(city);
  await countyAnswers(county, problem);
  await cityPasses(city, problem);
});
