// lib.cjs -- what every browser script of tests/integration/test_web.sh
// shares: the STEP handshake with the driving shell script, ok/check lines,
// screenshots, the login form, and launching Debian's chromium (never a
// downloaded browser) with the DONE / FAIL ending the shell script reads.
'use strict';
const { chromium } = require('playwright-core');
const readline = require('readline');
const path = require('path');

const T0 = Date.now();
let lines = null;

// Prints "STEP name" and waits for the shell script's one-line answer on stdin.
async function step(name) {
  if (!lines) lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log('STEP ' + name);
  const r = await lines.next();
  if (r.done) throw new Error('the driver went away at ' + name);
  return r.value;
}

// One passed check, with the seconds since the script began.
function ok(what) { console.log(`ok - ${what} [${((Date.now() - T0) / 1000).toFixed(1)} s]`); }

// Fails the script with what when cond is false.
function check(cond, what) { if (!cond) throw new Error(what); }

// A function saving a page's full screenshot as name in dir.
function shooter(dir) { return (page, name) => page.screenshot({ path: path.join(dir, name), fullPage: true }); }

// Logs user in through the form at web/login; where the browser landed and
// the answer's status.
async function login(page, web, user, password) {
  await page.goto(web + '/login');
  await page.fill('#user', user);
  await page.fill('#password', password);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
  return { status: resp ? resp.status() : 0, path: new URL(page.url()).pathname };
}

// Launches chromium, runs body(browser), prints DONE, or FAIL with the first
// line of the error (every open page's screenshot saved in shots as
// failure-TAG-*.png); always exits when done.
function run(shots, tag, body) {
  (async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const shot = shooter(shots);
    try {
      await body(browser);
      console.log('DONE');
    } catch (e) {
      for (const p of browser.contexts().flatMap(c => c.pages()))
        await shot(p, `failure-${tag}-${Math.random().toString(36).slice(2, 6)}.png`).catch(() => {});
      console.log('FAIL ' + (e && e.message ? e.message.split('\n')[0] : e));
      process.exitCode = 1;
    } finally {
      await browser.close();
      process.exit();
    }
  })();
}

module.exports = { step, ok, check, shooter, login, run };
