// look.mjs - what the browser tests share: counting checks, launching Debian's chromium, and
// looking at a page as its user would at a phone's width (390 px) and a desktop's (1280 px):
// no text may run out of its box and the page may never scroll sideways; axe-core must find no
// serious or critical violation; a screenshot at each width goes to SHOTS.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const { BASE, SHOTS, CHROMIUM } = process.env;
export const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

const failures = [];
let checks = 0;

export function expect(name, ok, detail) {
  checks++;
  if (!ok) {
    failures.push(name);
    console.error(`FAIL ${name}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  }
}

// Prints the count and exits: 0 when every check passed.
export function done(what) {
  console.log(`${what}: ${checks} checks, ${failures.length} failed; screenshots in ${SHOTS}`);
  process.exit(failures.length ? 1 : 0);
}

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--lang=ko-KR', '--accept-lang=ko-KR,ko'],
  });
}

// Runs in the page: the text that runs out of its box, and whether the page scrolls sideways.
// The box of a text is its element's, or for an inline element the block it sits in. SVG text
// is the charts' own check.
function readOverflow() {
  const bad = [];
  const skip = new Set(['SCRIPT', 'STYLE', 'TITLE', 'OPTION', 'SELECT']);
  const name = (e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.replace(/ /g, '.') : ''}`;
  // text hidden on purpose for sight but kept for screen readers (clip: the list's headings on
  // a phone) overflows its 1 px box by design
  const clipped = (e) => {
    for (let a = e; a; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.clip !== 'auto' || st.clipPath !== 'none') return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll('*')) {
    if (skip.has(e.tagName) || e.closest('svg') || clipped(e)) continue;
    const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
    if (own.length) {
      let holder = e;
      while (holder.parentElement && getComputedStyle(holder).display === 'inline') holder = holder.parentElement;
      const hb = holder.getBoundingClientRect();
      for (const n of own) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects())
          if (r.width > 0 && (r.left < hb.left - 1 || r.right > hb.right + 1))
            bad.push(`${name(e)} "${n.textContent.trim().slice(0, 40)}" spans ${Math.round(r.left)}-${Math.round(r.right)} px, its box ${Math.round(hb.left)}-${Math.round(hb.right)}`);
      }
    }
    const style = getComputedStyle(e);
    if (style.display !== 'inline' && style.overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
      bad.push(`${name(e)} "${e.textContent.trim().slice(0, 40)}" needs ${e.scrollWidth} px, has ${e.clientWidth}`);
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    bad.push(`the page scrolls sideways: ${root.scrollWidth} px in ${root.clientWidth}`);
  return bad;
}

// Looks at page at both widths; atWidth(page, width) adds checks of its own at each.
export async function look(page, name, atWidth) {
  await page.evaluate(AXE);
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewport(size);
    const bad = await page.evaluate(readOverflow);
    expect(`overflow-${name}-${size.width}`, bad.length === 0, bad.slice(0, 8).join('; '));
    if (atWidth) await atWidth(page, size.width);
    const result = await page.evaluate(() => axe.run());
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(`axe-${name}-${size.width}`, serious.length === 0,
      serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' ')}`).join('; '));
    await page.screenshot({ path: `${SHOTS}/${name}-${label}-${size.width}.png`, fullPage: true });
  }
  await page.setViewport(WIDTHS.desktop);
}

// A member of staff signed in, in a browser context of their own (own cookies).
export async function signIn(browser, login, password) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(WIDTHS.desktop);
  await page.goto(`${BASE}/staff`);
  await page.type('#login', login);
  await page.type('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return { context, page };
}

// The lifecycle steps the complaint page offers, in the page's order.
export async function offered(page) {
  return page.$$eval('form.action input[name=action]', (inputs) => inputs.map((i) => i.value).join(' '));
}

export async function text(page) {
  return page.evaluate(() => document.body.innerText);
}
