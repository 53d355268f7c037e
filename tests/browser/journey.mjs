// journey.mjs - one complaint's whole life in a real browser (Debian's chromium driven by
// puppeteer-core): a resident files by text through the KakaoTalk skill, opens the tracking
// page and sees 접수; a clerk signs in to the dashboard, takes the complaint, starts, answers
// and confirms it, and is never offered the head's approve; the head signs in and approves; the
// resident's page then shows the answer. Every page seen is looked at as look.mjs says (text
// inside its box, axe-core, screenshots at 390 and 1280 px in SHOTS).
//
// Run by tests/test_browser.sh: BASE (the server), SHOTS (a folder), CHROMIUM (the binary).
import { BASE, WIDTHS, done, expect, launch, look, offered, signIn, text } from './look.mjs';

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
  const browser = await launch();
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
    await look(resident, 'journey-track-received');

    // ---- the clerk ----
    const clerk = await signIn(browser, 'kim', 'kim-password-1');
    expect('clerk-signed-in', (await text(clerk.page)).includes('김환경'), await text(clerk.page));
    await look(clerk.page, 'journey-staff-overview');
    await clerk.page.goto(`${BASE}/staff/list`);
    expect('list-shows', (await text(clerk.page)).includes(receipt));
    await look(clerk.page, 'journey-staff-list');
    await clerk.page.click(`a[href="/staff/c/${receipt}"]`);
    await clerk.page.waitForSelector('h1');
    await look(clerk.page, 'journey-staff-complaint');
    expect('offered-new', (await offered(clerk.page)) === 'assign transfer', await offered(clerk.page));
    expect('take', (await act(clerk.page, '내가 맡기')).includes('처리되었어요'));
    expect('start', (await act(clerk.page, '처리 시작')).includes('처리되었어요'));
    const answer = '야간 공사를 중지시키고 작업 시간을 지키도록 조치했습니다.';
    expect('answer', (await act(clerk.page, '답변 작성', { text: answer })).includes('처리되었어요'));
    expect('confirm', (await act(clerk.page, '담당자 확인')).includes('처리되었어요'));
    // approving is the head's: the officer is not offered it
    expect('officer-no-approve', (await offered(clerk.page)) === 'extend', await offered(clerk.page));
    await look(clerk.page, 'journey-staff-confirmed');
    await clerk.page.goto(`${BASE}/staff/kb?q=${encodeURIComponent('운영 시간')}`);
    expect('kb-search', (await text(clerk.page)).includes('office-hours'));
    await look(clerk.page, 'journey-staff-kb');
    await clerk.context.close();

    // ---- the head ----
    const head = await signIn(browser, 'lee', 'lee-password-1');
    await head.page.goto(`${BASE}/staff/c/${receipt}`);
    expect('approve', (await act(head.page, '승인')).includes('처리되었어요'));
    await look(head.page, 'journey-staff-approved');
    await head.context.close();

    // ---- the resident's page shows the answer ----
    await resident.goto(`${BASE}/track?receipt=${receipt}&digits=5678`);
    const done = await text(resident);
    expect('track-answer', done.includes(answer), done);
    expect('track-completed', done.includes('완료'), done);
    await look(resident, 'journey-track-answered');
  } finally {
    await browser.close();
  }
  done('browser journey');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
