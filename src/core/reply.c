/* reply.c - the reply catalogue (see reply.h). Each entry is a printf format per language;
 * the comment beside an entry names its arguments. */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "utf8.h"

typedef struct {
    const char *ko, *en;
} phrase;

static const phrase catalogue[R_COUNT] = {
    [R_BAD_UTF8] =
        {"입력에 읽을 수 없는 글자가 섞여 있어요(UTF-8이 아닌 바이트). 다시 입력해 주세요.",
         "Part of that message could not be read (it is not valid UTF-8). Please type it again."},
    [R_TOO_LONG] = {"메시지가 너무 길어요. 4,000자 이내로 나눠서 보내 주세요.",
                    "That message is too long. Please send it in parts of under 4,000 characters."},
    [R_EMPTY] = {"말씀을 듣지 못했어요. 무엇을 도와드릴까요?",
                 "I didn't catch anything. How can I help?"},
    [R_EMPTY_PENDING] = {"말씀을 듣지 못했어요.", "I didn't catch anything."},
    [R_NOTHING_PENDING] = {"지금은 확인하거나 취소할 내용이 없어요. 저는 민원 접수, 처리 상황 "
                           "조회, 구청 업무 안내를 도와드려요. 무엇을 도와드릴까요?",
                           "There is nothing to confirm or cancel right now. I can take a "
                           "complaint, track one, or answer questions about district services. "
                           "How can I help?"},
    [R_GREETING_MORNING] = {"좋은 아침이에요! %s 안내 도우미 서동이예요. 무엇을 도와드릴까요?",
                            "Good morning! I'm Seodong, the %s assistant. How can I help?"},
    [R_GREETING_AFTERNOON] = {"안녕하세요! %s 안내 도우미 서동이예요. 무엇을 도와드릴까요?",
                              "Good afternoon! I'm Seodong, the %s assistant. How can I help?"},
    [R_GREETING_EVENING] = {"좋은 저녁이에요! %s 안내 도우미 서동이예요. 무엇을 도와드릴까요?",
                            "Good evening! I'm Seodong, the %s assistant. How can I help?"},
    [R_GREETING_NIGHT] =
        {"늦은 시간까지 고생 많으세요. %s 서동이는 밤에도 민원 접수와 안내를 "
         "도와드려요. 무엇을 도와드릴까요?", /* office */
         "Hello, you're up late! I'm Seodong of the %s, and I can take complaints and "
         "answer questions at any hour. How can I help?"},
    [R_HOW_ARE_YOU] = {"저는 잘 지내요, 물어봐 주셔서 고마워요. 오늘은 무엇을 도와드릴까요?",
                       "I'm doing well, thank you for asking. What can I do for you today?"},
    [R_THANKS] = {"별말씀을요. 도움이 되어 기뻐요. 더 궁금한 게 있으면 언제든 말씀해 주세요.",
                  "You're welcome! I'm glad I could help. Ask me anytime."},
    [R_FEELING_BAD] = {"많이 힘드셨군요. 오늘 정말 고생 많으셨어요. 제가 덜어 드릴 수 있는 일이 "
                       "있으면 말씀해 주세요.",
                       "I'm sorry it's been a hard day. You've done well to get through it. If "
                       "there's anything I can take off your hands, just tell me."},
    [R_FEELING_GOOD] = {"기분 좋은 날이라니 저도 기뻐요! 도와드릴 일이 있으면 말씀해 주세요.",
                        "That's great to hear! Let me know if there's anything I can help with."},
    [R_IDENTITY] = {"저는 %s의 안내 도우미 서동이예요. 민원 접수, 처리 상황 조회, 구청 "
                    "업무 안내를 도와드려요.",
                    "I'm Seodong, the %s assistant. I take complaints, track "
                    "them, and answer questions about district services."},
    [R_COMPLIMENT] = {"칭찬해 주셔서 고마워요! 더 열심히 도와드릴게요.",
                      "Thank you, that's kind of you! I'll keep doing my best."},
    /* small talk with no reply of its own (a joke, a hobby, a bad day at school) */
    /* small talk in the middle of filing, before the question is asked again */
    [R_ASIDE_GREETING] = {"안녕하세요! 접수하시던 민원을 이어서 도와드릴게요.",
                          "Hello! Let's go on with your complaint."},
    [R_ASIDE_HOW_ARE_YOU] = {"저는 잘 지내요, 고마워요. 접수하시던 민원을 이어서 도와드릴게요.",
                             "I'm well, thank you. Let's go on with your complaint."},
    [R_ASIDE_THANKS] = {"별말씀을요. 접수하시던 민원을 이어서 도와드릴게요.",
                        "You're welcome. Let's go on with your complaint."},
    [R_ASIDE_COMPLIMENT] = {"고마워요! 접수하시던 민원을 이어서 도와드릴게요.",
                            "Thank you! Let's go on with your complaint."},
    [R_CHAT] = {"그러셨군요, 이야기해 주셔서 고마워요. 저는 구청 일을 가장 잘 도와드려요. 민원 "
                "접수나 처리 상황, 구청 안내가 필요하시면 언제든 말씀해 주세요.",
                "I see, thanks for telling me! I'm best at district matters: I can take a "
                "complaint, track one, or answer questions about district services."},
    [R_TIME] = {"지금은 %s%s.", /* clock, its copula (reply_josa: 시예요, 분이에요) */
                "It's %s now."},
    [R_DATE] = {"오늘은 %s이에요.", /* date */
                "Today is %s."},
    [R_WEATHER_OVERVIEW] = {"%s 서구는 %s기온이 %s에서 %s 사이예요.", /* period, sky, low, high */
                            "%s in Seo-gu: %sbetween %s and %s."},
    [R_WEATHER_RAIN] = {"%s 비 올 확률이 %d%%예요. 우산 챙기세요.", /* when, chance */
                        "Rain is likely %s (%d%%) — take an umbrella."},
    [R_WEATHER_SNOW] = {"%s 눈 올 확률이 %d%%예요. 길이 미끄러울 수 있으니 조심하세요.",
                        /* when, chance */
                        "Snow is likely %s (%d%%) — watch your step on slippery roads."},
    [R_WEATHER_DRY] = {"비 소식은 없어요.", "No rain is expected."},
    [R_WEATHER_HOT] = {"낮 기온이 %s까지 올라 무척 더워요. 물을 자주 드시고 한낮에는 야외 활동을 "
                       "피하세요.", /* high */
                       "It will be very hot, up to %s — drink water often and stay out of the "
                       "midday sun."},
    [R_WEATHER_COLD] = {"기온이 %s까지 내려가 많이 추워요. 따뜻하게 입고 나가세요.", /* low */
                        "It will be very cold, down to %s — dress warmly."},
    [R_WEATHER_NOW] = {"지금 기온은 %s예요.", /* temperature */
                       "It is %s now."},
    [R_WEATHER_NOW_RAIN] = {"지금 비가 오고 있어요.", "It is raining now."},
    [R_WEATHER_NOW_SNOW] = {"지금 눈이 오고 있어요.", "It is snowing now."},
    [R_WEATHER_OFFLINE_OLD] =
        {"지금은 기상청에 연결되지 않아서, %ld시간 전에 발표된 예보로 알려 드릴게요.",
         /* hours, then the English plural "s" (Korean has none) */
         "I can't reach the Korea Meteorological Administration right now, so this is the "
         "forecast issued %ld hour%s ago."},
    [R_WEATHER_ISSUED_AGO] = {"%ld시간 전에 발표된 예보예요.", /* hours, English plural "s" */
                              "This is the forecast issued %ld hour%s ago."},
    [R_WEATHER_NONE] =
        {"죄송해요, 지금은 기상청 예보를 받아 올 수 없어요. 날씨누리(weather.go.kr)에서 보시거나 "
         "131 기상콜센터에 전화해 주세요.",
         "Sorry, I can't get the forecast from the Korea Meteorological Administration right now. "
         "Please check weather.go.kr or call the weather line at 131."},
    [R_WEATHER_DUST] = {"미세먼지 정보는 제가 아직 알려 드릴 수 없어요. 에어코리아(airkorea.or.kr)"
                        "에서 확인해 주세요.",
                        "I can't tell you about fine dust yet. Please check airkorea.or.kr."},
    [R_HELP] = {"저는 이런 일을 도와드려요. 첫째, 민원 접수: 예를 들어 '청라동 불법 주차 "
                "신고할게요'. 둘째, 처리 상황 조회: '접수번호 SG-2026-000123 어떻게 됐어요?'. "
                "셋째, 구청 업무 안내: 증명서 발급, 주차, 쓰레기 배출 같은 질문. 직원과 "
                "이야기하시려면 '상담원 연결'이라고 해 주세요.",
                "Here is what I can do. One, file a complaint: for example, 'I want to report "
                "illegal parking in Cheongna'. Two, track it: 'What happened to SG-2026-000123?'. "
                "Three, answer questions about certificates, parking, waste and more. To reach a "
                "person, say 'talk to a person'."},
    [R_HUMAN_OPEN] = {"상담원과 직접 이야기하시려면 %s 대표번호 %s로 전화해 주세요. 평일 오전 "
                      "9시부터 오후 6시까지 연결돼요.", /* office, phone */
                      "To talk to a person, please call the %s at %s. Staff answer on "
                      "weekdays from 9 a.m. to 6 p.m."},
    [R_HUMAN_CLOSED] =
        {"지금은 상담 시간이 아니에요. 평일 오전 9시부터 오후 6시 사이에 %s 대표번호 %s로 "
         "전화해 주세요. 그동안 민원 접수와 안내는 제가 도와드릴게요.", /* office, phone */
         "Staff are not available right now. Please call the %s at %s on a weekday "
         "between 9 a.m. and 6 p.m. Meanwhile I can take your complaint or answer questions."},
    [R_GOODBYE_DAY] = {"이용해 주셔서 감사합니다. 좋은 하루 보내세요!",
                       "Thank you for using Seodong. Have a nice day!"},
    [R_GOODBYE_NIGHT] = {"이용해 주셔서 감사합니다. 편안한 밤 되세요!",
                         "Thank you for using Seodong. Have a good night!"},
    [R_OUT_OF_SCOPE] = {"죄송해요, 그건 제가 도와드릴 수 없는 내용이에요. 저는 민원 접수와 처리 "
                        "상황 조회, 증명서, 주차, 쓰레기 배출 같은 구청 업무 안내를 도와드려요. "
                        "직원과 이야기하시려면 '상담원 연결'이라고 말씀해 주세요.",
                        "Sorry, that's not something I can help with. I can take complaints, track "
                        "them, and answer questions about certificates, parking, waste and other "
                        "district services. To reach a person, say 'talk to a person'."},
    [R_NOT_UNDERSTOOD] =
        {"죄송해요, 무슨 말씀인지 잘 모르겠어요. 저는 민원 접수('청라동 불법 주차 신고할게요'), "
         "처리 상황 조회('SG-2026-000123 어떻게 됐어요?'), 구청 업무 안내('등본 발급 어떻게 "
         "해요?')를 "
         "도와드려요. 더 알아보시려면 '도움말'이라고 해 주세요.",
         "Sorry, I didn't understand that. I can take a complaint ('illegal parking in "
         "Cheongna'), track one ('What happened to SG-2026-000123?') or answer questions about "
         "district services ('How do I get a resident registration copy?'). Say 'help' to hear "
         "more."},
    [R_NOT_UNDERSTOOD_SHORT] = {"죄송해요, 잘 알아듣지 못했어요.",
                                "Sorry, I didn't understand that."},
    [R_KB_ANSWER] = {"%s", /* answer */
                     "%s"},
    [R_KB_MAYBE] =
        {"정확히 원하시는 내용인지는 모르겠지만, '%s' 안내를 드릴게요. %s", /* title, answer */
         "I'm not sure this is what you mean, but here is what I know about '%s'. %s"},
    [R_KB_CONTACT] = {" 문의는 %s(%s)로 해 주세요.", /* department, phone */
                      " For more, call the %s at %s."},
    [R_ASK_CATEGORY] = {"어떤 민원인가요? 불법 주차, 쓰레기, 소음, 도로 파손, 가로등 고장 중에 "
                        "말씀하시거나, 상황을 짧게 설명해 주세요.",
                        "What is the problem? Illegal parking, trash, noise, road damage, a broken "
                        "streetlight, or tell me briefly what happened."},
    [R_ASK_PLACE] = {"%s 민원이군요. 어디에서 있었던 일인가요? 동 이름이나 가까운 건물을 말씀해 "
                     "주세요.", /* category
                                 */
                     "A %s complaint. Where is it? Tell me the neighbourhood or a nearby "
                     "building."},
    [R_ASK_PLACE_HERE] = {"%s 민원이군요. 저는 '여기'가 어디인지 알 수 없어요. 동 이름이나 가까운 "
                          "건물을 말씀해 주세요.", /* category */
                          "A %s complaint. I can't tell where 'here' is. Tell me the "
                          "neighbourhood or a nearby building."},
    [R_ASK_PLACE_AFTER_NO] = {"그럼 어디인지 동 이름이나 가까운 건물을 말씀해 주세요.",
                              "Then where is it? Tell me the neighbourhood or a nearby building."},
    /* the site of the box (engine_site), as a place: R_SITE_PLACE */
    [R_ASK_SITE] = {"%s 맞으세요? 맞으면 '네', 아니면 '아니요'라고 말씀해 주세요.",
                    "Is it %s? Say 'yes', or 'no' and tell me where."},
    [R_ASK_SITE_AGAIN] = {"'네' 또는 '아니요'로 답해 주세요. %s 맞으세요?",
                          "Please answer 'yes' or 'no'. Is it %s?"},
    [R_SITE_PLACE] = {"%s 앞", "outside %s"}, /* site */
    [R_ASK_DETAIL_CONTACT] =
        {"%s, %s 민원으로 접수할게요. 어떤 상황인지 한두 마디로 말씀해 주세요. 처리 결과를 "
         "알림으로 받으시려면 휴대전화 번호도 함께 알려 주시고, 원하지 않으시면 '익명'이라고 해 "
         "주세요.", /* place, category */
         "%s, %s. Please tell me in a sentence what is happening. To get updates, add your mobile "
         "number, or say 'anonymous'."},
    [R_ASK_DETAIL] = {"어떤 상황인지 한두 마디로 말씀해 주세요.",
                      "Please tell me in a sentence what is happening."},
    [R_ASK_CONTACT] = {"처리 결과를 알림으로 받으실 휴대전화 번호를 알려 주세요. 원하지 않으시면 "
                       "'익명'이라고 해 주세요.",
                       "Which mobile number should get the updates? Or say 'anonymous'."},
    [R_ASK_CONTACT_AGAIN] =
        {"알림을 받으시려면 휴대전화 번호를 숫자로 알려 주세요. 예: 010-1234-5678. "
         "번호 없이 접수하시려면 '익명'이라고 해 주세요.",
         "To get updates, please tell me the mobile number itself, for example "
         "010-1234-5678. To file without one, say 'anonymous'."},
    [R_CONFIRM] = {"이대로 접수할까요? %s, %s, 내용: %s, 연락처: %s, %s. 맞으면 '네', 고칠 곳이 "
                   "있으면 말씀해 주세요.", /* category, place, detail, contact, visibility */
                   "Shall I file this? %s, %s, details: %s, contact: %s, %s. Say 'yes', or tell "
                   "me what to change."},
    [R_VISIBILITY_PRIVATE] = {"비공개(다른 주민도 보게 하려면 '공개'라고 말씀해 주세요)",
                              "private (say 'public' to let other residents see it)"},
    [R_VISIBILITY_PUBLIC] = {"공개(이름과 연락처는 보이지 않아요)",
                             "public (your name and number are never shown)"},
    [R_CONFIRM_QUESTION] = {"이대로 접수할까요? 맞으면 '네', 고칠 곳이 있으면 말씀해 주세요.",
                            "Shall I file it as it is? Say 'yes', or tell me what to change."},
    [R_CONFIRM_AGAIN] =
        {"'네' 또는 '아니요'로 답해 주세요. 고칠 곳이 있으면 예를 들어 '아니 가정동이요'처럼 "
         "말씀해 주세요.",
         "Please answer 'yes' or 'no'. To change something, say for example 'no, Gajeong-dong'."},
    [R_CONFIRM_ANONYMOUS] = {"네, 연락처 없이 익명으로 접수할게요. 이대로 접수할까요? '네' 또는 "
                             "'아니요'로 답해 주세요.",
                             "Yes, it goes in anonymously, with no contact. Shall I file it? "
                             "Please answer 'yes' or 'no'."},
    [R_ASK_WHAT_TO_FIX] = {"어느 부분을 고칠까요? 장소, 내용, 연락처 중 바뀐 것을 말씀해 주세요. "
                           "예: '아니 가정동이요'.",
                           "What should I change? Tell me the new place, details or contact, for "
                           "example 'Gajeong-dong'."},
    [R_FILED] = {"접수되었습니다. 접수번호는 %s입니다. 담당 부서는 %s(%s)이고, 처리 기한은 %s 오후 "
                 "6시까지예요. 진행 상황은 접수번호로 언제든 물어보세요.", /* receipt, department,
                                                                              phone, due */
                 "Done. Your receipt number is %s. The %s (%s) will handle it, by 6 p.m. on %s. "
                 "Ask me with the receipt number any time to see its progress."},
    [R_FILE_FAILED] = {"죄송해요, 지금 접수 저장에 실패했어요. 작성하신 내용은 그대로 있으니 잠시 "
                       "후 '네'라고 다시 말씀해 주세요.",
                       "Sorry, I could not save the complaint just now. Nothing is lost: say 'yes' "
                       "again in a moment to retry."},
    /* The office's shared store cannot be reached: the filing waits in this device's spool. */
    [R_FILED_SPOOLED_MESSAGE] =
        {"지금은 구청 시스템에 연결되지 않아요. 말씀하신 민원은 이 기기에 안전하게 보관했고, "
         "연결되는 대로 바로 접수할게요. 접수번호는 끝자리 %s인 전화번호로 문자로 보내 드릴게요.",
         /* last four digits of the phone */
         "The office's system cannot be reached right now. Your complaint is kept safely on this "
         "device and will be filed as soon as the connection is back. The receipt number will "
         "follow by text message to the phone ending in %s."},
    [R_FILED_SPOOLED_CODE] =
        {"지금은 구청 시스템에 연결되지 않아요. 말씀하신 민원은 이 기기에 안전하게 보관했고, "
         "연결되는 대로 바로 접수할게요. 확인 코드는 %s%s. 이 코드로 물어보시면 접수번호와 "
         "처리 상황을 알려 드려요.", /* spool code, 이에요 or 예요 */
         "The office's system cannot be reached right now. Your complaint is kept safely on this "
         "device and will be filed as soon as the connection is back. Your code is %s. Ask me "
         "with this code to get the receipt number and see its progress."},
    [R_CANCELLED] = {"민원 접수를 취소했어요. 다른 도움이 필요하시면 말씀해 주세요.",
                     "I've cancelled that complaint. Let me know if there's anything else."},
    [R_EXPIRED] =
        {"작성하시던 민원은 시간이 오래 지나 취소되었어요. 필요하시면 처음부터 다시 말씀해 주세요.",
         "The complaint you started earlier timed out and was cancelled. Please start again if you "
         "still need it."},
    [R_DROPPED] = {"작성하시던 민원은 접수되지 않았어요. 필요하시면 다시 말씀해 주세요.",
                   "The complaint you started was not filed. Come back any time to file it."},
    [R_ASK_RECEIPT] = {"조회할 접수번호를 알려 주세요. 예: SG-2026-000123",
                       "Please tell me the receipt number, for example SG-2026-000123."},
    [R_RECEIPT_NOT_FOUND] =
        {"접수번호 %s%s 찾지 못했어요. 번호를 다시 확인해 주세요.", /* receipt, 을 or 를 */
         "I couldn't find receipt number %s. Please check the number."},
    [R_RECEIPT_INCOMPLETE] = {"Q로 시작하는 코드는 숫자 10자리예요. 코드를 다시 알려 주세요. "
                              "예: Q-12345-67890",
                              "A code starting with Q has 10 digits. Please tell me the code "
                              "again, for example Q-12345-67890."},
    [R_STATUS_OFFLINE] =
        {"지금은 구청 시스템에 연결되지 않아 처리 상황을 확인할 수 없어요. 잠시 후 다시 물어봐 "
         "주세요. 급하시면 %s 대표번호 %s로 전화해 주세요.", /* office, phone */
         "The office's system cannot be reached right now, so I can't check the status. Please "
         "ask again in a little while, or call the %s at %s if it is urgent."},
    [R_STATUS_SPOOLED] =
        {"코드 %s의 민원은 아직 이 기기에 안전하게 보관되어 있어요. 구청 시스템에 연결되는 대로 "
         "접수되고, 그 뒤에 이 코드로 접수번호를 확인하실 수 있어요.", /* spool code */
         "The complaint with code %s is kept safely on this device. It will be filed as soon as "
         "the office's system can be reached again; then this code tells you its receipt "
         "number."},
    [R_ASK_DIGITS] = {"본인 확인을 위해 접수할 때 남기신 전화번호의 뒤 4자리를 알려 주세요.",
                      "To protect your privacy, please tell me the last 4 digits of the phone "
                      "number you gave when filing."},
    [R_DIGITS_WRONG] =
        {"번호가 맞지 않아요. 접수할 때 남기신 전화번호의 뒤 4자리를 다시 알려 주세요. 이 대화에서 "
         "%d번 더 확인할 수 있어요.", /* tries left, then the English plural "s" */
         "That doesn't match. Please try the last 4 digits of the phone number again; I can "
         "check %d more time%s in this conversation."},
    [R_DIGITS_GIVE_UP] =
        {"전화번호 뒤 4자리가 세 번 맞지 않아서, 이 대화에서는 더 확인해 드릴 수 없어요. 접수하신 "
         "분이시면 접수할 때 남기신 휴대전화로 %s 대표번호 %s에 전화하시거나, 신분증을 가지고 "
         "민원실에 오시면 처리 상황을 알려 드려요.", /* office, phone */
         "The last 4 digits did not match three times, so I can't check any more in this "
         "conversation. If you filed the complaint, please call the %s at %s from the phone "
         "number you gave when filing, or come to the office with your ID, and staff will tell "
         "you how it stands."},
    [R_TIMELINE_HEAD] =
        {"접수번호 %s, %s 민원(%s)의 처리 상황이에요.", /* receipt, category, place */
         "Receipt %s, %s complaint (%s):"},
    [R_TIMELINE_STEP_DONE] = {"✓ %s: %s", /* state, date+time */
                              "✓ %s: %s"},
    [R_TIMELINE_STEP_NOW] = {"▶ %s: %s (현재 단계)", /* state, date+time */
                             "▶ %s: %s (current step)"},
    [R_TIMELINE_STEP_NEXT] = {"○ %s: 예정", /* state */
                              "○ %s: to come"},
    [R_TIMELINE_HOLDER] = {"지금 담당: %s(%s)", /* department, phone */
                           "Now with: %s (%s)"},
    [R_TIMELINE_DUE] = {"처리 기한: %s 오후 6시", /* due date */
                        "Due by: 6 p.m., %s"},
    [R_TIMELINE_OVERDUE] =
        {"처리 기한 %s이 지났어요. 담당 부서에 확인을 요청해 드릴게요.", /* due date */
         "It was due on %s and is overdue; the department will be reminded."},
    [R_TIMELINE_EXTENDED] = {"  처리 기한을 %s까지로 연장했어요. 사유: %s", /* date, reason */
                             "  The deadline was moved to %s. Reason: %s"},
    [R_TIMELINE_TRANSFERRED] = {"  담당 부서가 바뀌었어요: %s", /* department */
                                "  Handed to the %s."},
    [R_TIMELINE_REASON] = {"  사유: %s", /* reason */
                           "  Reason: %s"},
    [R_TIMELINE_INTERIM] = {"  아직 처리 중이에요. 처리 기한은 %s이에요.", /* date */
                            "  Still being worked on; due by %s."},
    [R_TIMELINE_ANSWER] = {"답변: %s", /* the approved answer */
                           "Answer: %s"},
    [R_TIMELINE_DONE] = {"처리가 끝났어요. 답변이 만족스럽지 않으면 담당 부서에 다시 문의해 "
                         "주세요.",
                         "This complaint is done. If the answer does not settle it, please call "
                         "the department."},
    [R_PHONE_NONE] = {"없음(익명)", "none (anonymous)"},
    [R_PHONE_LAST4] = {"끝자리 %s", /* last four digits */
                       "ending in %s"},
    [R_PLACE_NONE] = {"장소 미상", "place not given"},
    [R_HEARD_UNSURE] = {"죄송해요, 잘 못 알아들었어요. 한 번만 더 천천히 말씀해 주시겠어요?",
                        "Sorry, I didn't quite catch that. Could you say it once more, slowly?"},
    [R_DETAIL_RECORDED] = {"음성으로 남기신 내용(녹음을 담당자가 직접 듣습니다)",
                           "details left by voice (staff will listen to the recording)"},
    [R_YES_NO_UNSURE] = {"죄송해요, 잘 못 알아들었어요. 맞으면 네, 아니면 아니요라고 말씀해 "
                         "주세요.",
                         "Sorry, I didn't catch that. Please say yes if that's right, or no."},
};

const char *reply_phrase(const char *lang, reply_id id)
{
    return strcmp(lang, "en") == 0 ? catalogue[id].en : catalogue[id].ko;
}

void reply_say(strbuf *out, const char *lang, reply_id id, ...)
{
    const char *fmt = reply_phrase(lang, id);
    char buf[2048];
    va_list ap;
    va_start(ap, id);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    strbuf_puts(out, buf);
}

static const struct {
    const char *code, *ko, *en;
} categories[] = {
    {"illegal_parking", "불법 주차", "illegal parking"},
    {"waste", "쓰레기 무단 투기", "trash and dumping"},
    {"noise", "소음", "noise"},
    {"road", "도로 파손", "road damage"},
    {"streetlight", "가로등 고장", "broken streetlight"},
    {"other", "기타", "general"}, /* "A general complaint", never "A other complaint" */
};

static const struct {
    const char *code, *ko, *en;
} states[] = {
    {"received", "접수", "Received"},
    {"assigned", "담당자 배정", "Assigned"},
    {"in_progress", "처리 중", "In progress"},
    {"answered", "답변 작성", "Answered"},
    {"confirmed", "담당자 확인", "Confirmed"},
    {"approved", "완료", "Completed"},
    /* What the resident reads: a returned answer is being revised, not the complaint refused. */
    {"rejected", "답변 보완", "Answer being revised"},
    {"extended", "처리 기한 연장", "Deadline extended"},
    {"interim", "중간 안내", "Progress notice"},
    {"reopened", "재처리", "Reopened"},
    {"transferred", "부서 이관", "Transferred"},
};

const char *reply_category_name(const char *lang, const char *category)
{
    bool en = strcmp(lang, "en") == 0;
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(categories[i].code, category) == 0)
            return en ? categories[i].en : categories[i].ko;
    return category;
}

const char *reply_state_name(const char *lang, const char *state)
{
    bool en = strcmp(lang, "en") == 0;
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strcmp(states[i].code, state) == 0)
            return en ? states[i].en : states[i].ko;
    return state;
}

const char *reply_weather_period(const char *lang, bool tomorrow, bool afternoon)
{
    bool en = strcmp(lang, "en") == 0;
    if (tomorrow)
        return en ? "Tomorrow" : "내일";
    if (afternoon)
        return en ? "This afternoon" : "오늘 오후";
    return en ? "Today" : "오늘";
}

const char *reply_weather_sky(const char *lang, int sky)
{
    bool en = strcmp(lang, "en") == 0;
    switch (sky) {
    case 1:
        return en ? "clear, " : "맑고 ";
    case 3:
        return en ? "mostly cloudy, " : "구름이 많고 ";
    case 4:
        return en ? "overcast, " : "흐리고 ";
    default:
        return "";
    }
}

const char *reply_weather_when(const char *lang, bool tomorrow, int part)
{
    static const char *const ko[2][5] = {
        {"오늘 새벽에", "오늘 오전에", "오늘 오후에", "오늘 저녁에", "오늘 밤에"},
        {"내일 새벽에", "내일 오전에", "내일 오후에", "내일 저녁에", "내일 밤에"}};
    static const char *const en[2][5] = {
        {"before dawn", "this morning", "this afternoon", "this evening", "tonight"},
        {"early tomorrow", "tomorrow morning", "tomorrow afternoon", "tomorrow evening",
         "tomorrow night"}};
    if (part < 0 || part > 4)
        part = 2;
    return strcmp(lang, "en") == 0 ? en[tomorrow][part] : ko[tomorrow][part];
}

void reply_date(strbuf *out, const char *lang, time_t t)
{
    static const char *const ko_days[] = {"일", "월", "화", "수", "목", "금", "토"};
    static const char *const en_days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
    static const char *const en_months[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
    struct tm tm;
    calendar_kst(t, &tm);
    if (strcmp(lang, "en") == 0)
        strbuf_printf(out, "%s, %s %d", en_days[tm.tm_wday], en_months[tm.tm_mon], tm.tm_mday);
    else
        strbuf_printf(out, "%d월 %d일 %s요일", tm.tm_mon + 1, tm.tm_mday, ko_days[tm.tm_wday]);
}

/* Korean hours as people say them: 새벽 (1-5), 오전, 오후. The midnight hour is "밤 12시" said on
 * its own, and "오전 0시" after a date: "11월 26일 밤 12시" reads as the night of the 26th. */
static void clock_ko(strbuf *out, const struct tm *tm, bool after_date)
{
    int h = tm->tm_hour;
    const char *part = h == 0   ? (after_date ? "오전" : "밤")
                       : h < 6  ? "새벽"
                       : h < 12 ? "오전"
                                : "오후";
    int shown = h == 0 ? (after_date ? 0 : 12) : h % 12 ? h % 12 : 12;
    if (tm->tm_min)
        strbuf_printf(out, "%s %d시 %d분", part, shown, tm->tm_min);
    else
        strbuf_printf(out, "%s %d시", part, shown);
}

/* "3:20 p.m.", and "12 noon", "12 midnight" (12:00 a.m. and p.m. are each read both ways). */
static void clock_en(strbuf *out, const struct tm *tm)
{
    int h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
    if (tm->tm_min == 0 && tm->tm_hour % 12 == 0)
        strbuf_printf(out, "12 %s", tm->tm_hour == 12 ? "noon" : "midnight");
    else
        strbuf_printf(out, "%d:%02d %s", h12, tm->tm_min, tm->tm_hour < 12 ? "a.m." : "p.m.");
}

void reply_clock(strbuf *out, const char *lang, time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    if (strcmp(lang, "en") == 0)
        clock_en(out, &tm);
    else
        clock_ko(out, &tm, true);
}

void reply_time_now(strbuf *out, const char *lang, time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    if (strcmp(lang, "en") == 0)
        clock_en(out, &tm);
    else
        clock_ko(out, &tm, false);
}

/* Whether the last sound of word ends in a consonant (받침): the last Hangul syllable's, or a
 * number's as read in Sino-Korean (일, 삼, 육, 칠, 팔 and every ten: 십, 백, 천, 영). A part in
 * brackets is not read before the ending: 주차관리과(032-560-4380)를. */
static bool ends_in_consonant(const char *word)
{
    size_t n = strlen(word);
    while (n > 0 && word[n - 1] == ' ')
        n--;
    if (n > 0 && word[n - 1] == ')') {
        size_t open = n - 1;
        while (open > 0 && word[open] != '(')
            open--;
        n = open;
    }
    if (n == 0)
        return false;
    char last = word[n - 1];
    if (last >= '0' && last <= '9')
        return strchr("013678", last) != NULL;
    size_t start = n - 1;
    while (start > 0 && ((unsigned char)word[start] & 0xC0) == 0x80)
        start--;
    uint32_t cp;
    if (utf8_decode_char(word + start, n - start, &cp) == 0 || cp < 0xAC00 || cp > 0xD7A3)
        return false;
    return (cp - 0xAC00) % 28 != 0;
}

const char *reply_josa(const char *word, const char *after_consonant, const char *after_vowel)
{
    return ends_in_consonant(word) ? after_consonant : after_vowel;
}
