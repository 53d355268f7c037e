// dashboard.mjs - the staff dashboard as a department head and a clerk see it, in a real browser
// (Debian's chromium driven by puppeteer-core), on the office tests/browser/seed_office.sh
// makes: 24 complaints over the eight weeks up to 2026-11-25, the server's clock pinned there.
//
// What is looked at, not only what the HTML says:
// - every chart: each bar and label the numbers beside it imply is painted (a box of non-zero
//   size inside the chart's own box), and the weekly chart has 8 bars with their 8 week labels;
// - every page, at 390 px and 1280 px: no text runs out of its box and the page never scrolls
//   sideways; axe-core finds no serious or critical violation; a screenshot of each page at
//   both widths goes to SHOTS;
// - the complaint page offers exactly the steps the rules allow the viewer: an officer on a new
//   complaint can take it or transfer it; the head of an answered one can return it (or extend),
//   and approves once the officer has confirmed.
//
// Run by tests/test_browser.sh: BASE (the server), SHOTS (a folder), CHROMIUM (the binary).
import { BASE, expect, done, launch, look, offered, signIn, text } from './look.mjs';

// The Mondays of the eight weeks up to 2026-11-25, as the chart labels them.
const WEEKS = ['10/5', '10/12', '10/19', '10/26', '11/2', '11/9', '11/16', '11/23'];

// ---- what is painted ----

// Runs in the page: every chart with the boxes of its bars and texts, and the table beside it.
function readCharts() {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  };
  return [...document.querySelectorAll('section.figure')].map((fig) => {
    const svg = fig.querySelector('svg');
    const table = fig.querySelector('table');
    return {
      id: fig.querySelector('h3').id.replace(/-heading$/, ''),
      svg: svg && box(svg),
      rects: svg ? [...svg.querySelectorAll('rect')].map(box) : [],
      texts: svg ? [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, ...box(t) })) : [],
      rows: table ? [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent.trim())) : [],
    };
  });
}

const inside = (b, svg) =>
  b.width > 0 && b.height > 0 && b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5 &&
  b.top >= svg.top - 0.5 && b.bottom <= svg.bottom + 0.5;

// What each chart's table implies it must paint: labels (texts) and how many bars.
function implied(chart) {
  const rows = chart.rows, num = (s) => Number(s);
  switch (chart.id) {
    case 'weeks': // week, total, per channel; stacked: a bar per channel with filings that week
      return {
        texts: rows.flatMap((r) => [r[0], r[1]]),
        bars: rows.reduce((n, r) => n + r.slice(2).filter((v) => num(v) > 0).length, 0),
      };
    case 'open-dept':
    case 'open-officer':
      return { texts: rows.flatMap((r) => [r[0], r[1]]), bars: rows.filter((r) => num(r[1]) > 0).length };
    case 'overdue-dept':
      return { texts: rows.flatMap((r) => [r[0], r[2]]), bars: rows.filter((r) => num(r[2]) > 0).length };
    case 'compliance': // month, approved, on time, %
      return {
        texts: rows.flatMap((r) => [r[0], `${r[2]}/${r[1]}건`, ...(num(r[1]) > 0 ? [`${r[3]}%`] : [])]),
        bars: rows.filter((r) => num(r[2]) > 0).length,
      };
    case 'median':
      return { texts: rows.flatMap((r) => [r[0], `${r[2]}일`]), bars: rows.length };
    default:
      return null;
  }
}

async function checkCharts(page, width) {
  const charts = await page.evaluate(readCharts);
  expect(`charts-${width}`, charts.length === 6, charts.map((c) => c.id));
  for (const c of charts) {
    const want = implied(c);
    expect(`chart-known-${c.id}`, want, c.id);
    if (!want || !c.svg) {
      expect(`chart-drawn-${c.id}-${width}`, c.rows.length === 0, 'a table with rows but no chart');
      continue;
    }
    const painted = c.rects.filter((r) => inside(r, c.svg));
    expect(`bars-${c.id}-${width}`, painted.length === want.bars && c.rects.length === want.bars,
      `${painted.length} of ${c.rects.length} bars painted inside the chart, ${want.bars} implied`);
    for (const t of c.texts)
      expect(`text-inside-${c.id}-${width}`, inside(t, c.svg), `"${t.text}" at ${JSON.stringify(t)}`);
    for (const label of want.texts)
      expect(`label-${c.id}-${label}-${width}`,
        c.texts.some((t) => t.text === label && inside(t, c.svg)), `"${label}" not painted`);
  }
  const weeks = charts.find((c) => c.id === 'weeks');
  if (weeks) {
    const labels = weeks.texts.filter((t) => WEEKS.includes(t.text) && inside(t, weeks.svg));
    expect(`weeks-8-labels-${width}`, labels.length === 8, labels.map((t) => t.text));
    expect('weeks-rows', JSON.stringify(weeks.rows.map((r) => r[0])) === JSON.stringify(WEEKS), weeks.rows);
    expect('weeks-3-each', weeks.rows.every((r) => r[1] === '3'), weeks.rows);
    // one bar per week at least, side by side: 8 distinct columns of bars
    const columns = new Set(weeks.rects.map((r) => Math.round(r.left)));
    expect(`weeks-8-bars-${width}`, columns.size === 8, [...columns]);
  }
}

async function submit(page, label) {
  await Promise.all([page.waitForNavigation(), page.click(`form[aria-label="${label}"] button[type=submit]`)]);
  return text(page);
}

async function main() {
  const browser = await launch();
  try {
    const signin = await browser.newPage();
    await signin.goto(`${BASE}/staff`);
    await look(signin, 'staff-signin');
    await signin.close();

    // ---- the head of environment: the overview, the lists ----
    const head = await signIn(browser, 'lee', 'lee-password-1');
    const p = head.page;
    expect('overview-title', (await p.title()).startsWith('민원 처리 현황'), await p.title());
    await look(p, 'staff-overview', checkCharts);
    await p.goto(`${BASE}/staff/list`);
    const open = await p.$$eval('.cards tbody tr', (r) => r.length);
    expect('list-open', open === 14, open); // the open ones by default: what a clerk works on
    await look(p, 'staff-list');
    await p.goto(`${BASE}/staff/list?state=`);
    const all = await p.$$eval('.cards tbody tr', (r) => r.length);
    expect('list-all', all === 24, all);
    await p.goto(`${BASE}/staff/list?dept=environment&state=approved&sort=filed`);
    const receipts = await p.$$eval('.cards tbody tr td:first-child', (c) => c.map((e) => e.textContent));
    expect('list-filtered', JSON.stringify(receipts) ===
      JSON.stringify(['SG-2026-000013', 'SG-2026-000010', 'SG-2026-000007', 'SG-2026-000004', 'SG-2026-000001']), receipts);
    expect('list-names', (await text(p)).includes('환경보호과'), 'no department name');
    await look(p, 'staff-list-filtered');
    await p.goto(`${BASE}/staff/list?overdue=1`);
    await look(p, 'staff-list-overdue');

    // an answered complaint: the head may return it or extend it; confirming is the officer's
    await p.goto(`${BASE}/staff/c/SG-2026-000019`);
    expect('head-answered', (await offered(p)) === 'reject extend', await offered(p));
    await look(p, 'staff-complaint-head-answered');

    // ---- an officer: a new complaint offers taking it or transferring it ----
    const kim = await signIn(browser, 'kim', 'kim-password-1');
    await kim.page.goto(`${BASE}/staff/c/SG-2026-000022`);
    expect('officer-new', (await offered(kim.page)) === 'assign transfer', await offered(kim.page));
    expect('officer-new-take', (await kim.page.$('form[aria-label="내가 맡기"] select')) === null, 'a select for an officer');
    await look(kim.page, 'staff-complaint-officer-new');
    expect('officer-takes', (await submit(kim.page, '내가 맡기')).includes('내가 맡기: 처리되었어요'));
    expect('officer-took', (await offered(kim.page)) === 'start transfer extend', await offered(kim.page));
    expect('officer-named', (await kim.page.$eval('dl', (d) => d.innerText)).includes('김환경'), 'officer name');
    await kim.context.close();

    // ---- the officer in charge confirms; the head now sees approve and approves ----
    const yoon = await signIn(browser, 'yoon', 'yoon-password-1');
    await yoon.page.goto(`${BASE}/staff/c/SG-2026-000019`);
    expect('officer-answered', (await offered(yoon.page)) === 'confirm extend', await offered(yoon.page));
    expect('confirm', (await submit(yoon.page, '담당자 확인')).includes('처리되었어요'));
    expect('officer-confirmed', (await offered(yoon.page)) === 'extend', await offered(yoon.page));
    await yoon.context.close();
    await p.goto(`${BASE}/staff/c/SG-2026-000019`);
    expect('head-confirmed', (await offered(p)) === 'approve reject extend', await offered(p));
    expect('approve', (await submit(p, '승인')).includes('승인: 처리되었어요'));
    expect('head-approved', (await offered(p)) === 'reopen', await offered(p));
    const history = await p.$eval('table', (t) => t.innerText);
    expect('history-names', history.includes('윤소음') && history.includes('이과장') &&
      history.includes('환경보호과') && !history.includes('environment'), history);
    await look(p, 'staff-complaint-head-approved');

    // a head assigns from the department's staff, by name
    await p.goto(`${BASE}/staff/c/SG-2026-000016`);
    const choices = await p.$$eval('#assign-officer option', (o) => o.map((e) => e.textContent));
    expect('assign-choices', JSON.stringify(choices) === JSON.stringify(['담당자를 고르세요', '윤소음 (담당자)', '이과장 (부서장)']), choices);
    await p.goto(`${BASE}/staff/kb`);
    await look(p, 'staff-kb');
    await head.context.close();
  } finally {
    await browser.close();
  }
  done('browser dashboard');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
