// journey.mjs - one complaint's whole life in a real browser (Debian's chromium driven by
// puppeteer-core): a resident files by text through the KakaoTalk skill, opens the tracking
// page and sees 접수; a clerk signs in to the dashboard, takes the complaint, starts, answers
// and confirms it (and is refused the head's approve); the head signs in and approves; the
// resident's page then shows the answer. axe-core runs in every page seen and must report no
// serious or critical violation. Screenshots at phone (360 px) and desktop width go to SHOTS.
//
// Run by tests/test_browser.sh: BASE (the server), SHOTS (a folder), CHROMIUM (the binary).
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const { BASE, SHOTS, CHROMIUM } = process.env;
const WIDTHS = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 900 } };
const failures = [];
let checks = 0;

function expect(name, ok, detail) {
  checks++;
  if (!ok) {
    failures.push(name);
    console.error(`FAIL ${name}: ${detail ?? ''}`);
  }
}

// Checks the page with axe-core and writes its screenshots at both widths.
async function look(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => axe.run());
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(`axe-${name}`, bad.length === 0,
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' ')}`).join('; '));
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewport(size);
    await page.screenshot({ path: `${SHOTS}/${name}-${label}.png`, fullPage: true });
  }
  await page.setViewport(WIDTHS.desktop);
}

async function kakao(user, utterance) {
  const body = {
    intent: { id: 'i1', name: '블록' },
    userRequest: { timezone: 'Asia/Seoul', utterance, lang: 'kr', user: { id: user, type: 'botUserKey', properties: {} } },
    bot: { id: 'bot1', name: '서동이' },
    action: { id: 'a1', name: 'skill', params: {}, detailParams: {} },
  };
  const res = await fetch(`${BASE}/kakao/skill`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return (await res.json()).template.outputs[0].simpleText.text;
}

async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

async function signIn(browser, login, password) {
  const context = await browser.createBrowserContext(); // its own cookies
  const page = await context.newPage();
  await page.setViewport(WIDTHS.desktop);
  await page.goto(`${BASE}/staff`);
  await page.type('#login', login);
  await page.type('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return { context, page };
}

// Fills the action form named label (its aria-label) and submits it.
async function act(page, label, fields = {}) {
  const form = `form[aria-label="${label}"]`;
  for (const [name, value] of Object.entries(fields)) {
    const field = `${form} [name="${name}"]`;
    await page.$eval(field, (e) => { e.value = ''; });
    await page.type(field, value);
  }
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
  return text(page);
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--lang=ko-KR', '--accept-lang=ko-KR,ko'],
  });
  try {
    // ---- the resident files by text ----
    await kakao('resident', '청라동 공원 앞 공사 소음 신고할게요');
    await kakao('resident', '밤마다 공사 소음이 너무 심해요 010-1234-5678');
    const filed = await kakao('resident', '네');
    const receipt = (filed.match(/SG-\d{4}-\d{6}/) || [])[0];
    expect('filed', receipt, filed);

    const resident = await browser.newPage();
    await resident.setExtraHTTPHeaders({ 'Accept-Language': 'ko-KR,ko;q=0.9' });
    await resident.setViewport(WIDTHS.desktop);
    await resident.goto(`${BASE}/track`);
    await resident.type('#receipt', receipt);
    await resident.type('#digits', '5678');
    await Promise.all([resident.waitForNavigation(), resident.click('button[type=submit]')]);
    const current = await resident.$eval('[aria-current=step] strong', (e) => e.textContent);
    expect('track-received', current === '접수', current);
    await look(resident, 'track-received');

    // ---- the clerk ----
    const clerk = await signIn(browser, 'kim', 'kim-password-1');
    expect('clerk-signed-in', (await text(clerk.page)).includes('김환경'), await text(clerk.page));
    await look(clerk.page, 'staff-overview');
    await clerk.page.goto(`${BASE}/staff/list`);
    expect('list-shows', (await text(clerk.page)).includes(receipt));
    await look(clerk.page, 'staff-list');
    await clerk.page.click(`a[href="/staff/c/${receipt}"]`);
    await clerk.page.waitForSelector('h1');
    await look(clerk.page, 'staff-complaint');
    expect('assign', (await act(clerk.page, '담당자 배정', { officer: 'kim' })).includes('처리되었어요'));
    expect('start', (await act(clerk.page, '처리 시작')).includes('처리되었어요'));
    const answer = '야간 공사를 중지시키고 작업 시간을 지키도록 조치했습니다.';
    expect('answer', (await act(clerk.page, '답변 작성', { text: answer })).includes('처리되었어요'));
    expect('confirm', (await act(clerk.page, '담당자 확인')).includes('처리되었어요'));
    const refused = await act(clerk.page, '승인');
    expect('officer-approve-refused', refused.includes('only the head of the department may approve'), refused);
    await look(clerk.page, 'staff-refused');
    await clerk.page.goto(`${BASE}/staff/kb?q=${encodeURIComponent('운영 시간')}`);
    expect('kb-search', (await text(clerk.page)).includes('office-hours'));
    await look(clerk.page, 'staff-kb');
    await clerk.context.close();

    // ---- the head ----
    const head = await signIn(browser, 'lee', 'lee-password-1');
    await head.page.goto(`${BASE}/staff/c/${receipt}`);
    expect('approve', (await act(head.page, '승인')).includes('처리되었어요'));
    await look(head.page, 'staff-approved');
    await head.context.close();

    // ---- the resident's page shows the answer ----
    await resident.goto(`${BASE}/track?receipt=${receipt}&digits=5678`);
    const done = await text(resident);
    expect('track-answer', done.includes(answer), done);
    expect('track-completed', done.includes('완료'), done);
    await look(resident, 'track-answered');
  } finally {
    await browser.close();
  }
  console.log(`browser journey: ${checks} checks, ${failures.length} failed; screenshots in ${SHOTS}`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
