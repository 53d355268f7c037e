/* web_staff.c - the staff dashboard's door and frame: sign-in and sign-out, the session check
 * of every page, the CSRF check of every POST, routing, the page shell and the stylesheet.
 *
 * Sign-in: the form carries a random token that is also set as an HttpOnly cookie (double
 * submit), so another site cannot sign a browser in. A good password opens a session with a
 * fresh random id (any session cookie sent along is ended, never reused: no fixation), sent as
 * an HttpOnly, SameSite=Strict cookie, Secure when the site is served over TLS ([web]
 * secure_cookies, or a base_url starting with https://). Each session has its own CSRF token,
 * which every form carries and every POST must match; a POST without it changes nothing. The
 * member of staff is read again on every request, so someone taken off the staff list is out at
 * once. Pages are Korean, server-written through html.c (all escaped), and work without
 * JavaScript. */
#include <stdio.h>
#include <string.h>

#include "web_staff.h"

/* ---- cookies ---- */

static bool secure_site(const web_ctx *w)
{
    return w->cfg.web.secure_cookies || strncmp(w->cfg.web.base_url, "https://", 8) == 0;
}

/* value NULL clears the cookie. */
static void set_cookie(const web_ctx *w, web_reply *out, const char *name, const char *value)
{
    snprintf(out->set_cookie, sizeof out->set_cookie,
             "%s=%s; Path=/staff; HttpOnly; SameSite=Strict%s%s", name, value ? value : "",
             value ? "" : "; Max-Age=0", secure_site(w) ? "; Secure" : "");
}

/* ---- signing in and out ---- */

static void signin_page(web_ctx *w, const web_request *r, int status, const char *message,
                        web_reply *out)
{
    char token[WEB_TOKEN_LEN + 1];
    if (strlen(r->presession) == WEB_TOKEN_LEN)
        snprintf(token, sizeof token, "%s", r->presession); /* another tab's form stays valid */
    else
        web_token_new(token);
    html *h = staff_frame(w, NULL, "직원 로그인", out);
    if (!h)
        return;
    if (message)
        staff_message(h, message, NULL, true);
    html_open(h, "form", "method", "post");
    html_attr(h, "action", "/staff/signin");
    html_attr(h, "class", "card");
    html_hidden(h, "csrf", token);
    staff_label(h, "login", "아이디");
    html_open(h, "input", "id", "login");
    html_attr(h, "name", "login");
    html_attr(h, "autocomplete", "username");
    html_attr(h, "required", "required");
    html_end_void(h);
    staff_label(h, "password", "비밀번호");
    html_open(h, "input", "id", "password");
    html_attr(h, "name", "password");
    html_attr(h, "type", "password");
    html_attr(h, "autocomplete", "current-password");
    html_attr(h, "required", "required");
    html_end_void(h);
    html_el_attr(h, "button", "type", "submit", "로그인");
    html_close(h);
    html_finish(h, out);
    out->status = status;
    set_cookie(w, out, WEB_PRESESSION_COOKIE, token);
}

static void signin(web_ctx *w, const web_request *r, web_reply *out)
{
    const char *login = web_arg(r, "login"), *password = web_arg(r, "password");
    const char *csrf = web_arg(r, "csrf");
    if (!csrf || !web_token_equal(csrf, r->presession)) {
        signin_page(w, r, 403, "로그인 양식이 만료되었어요. 다시 입력해 주세요.", out);
        return;
    }
    time_t now = engine_now(w->e);
    sd_code rc = login && password ? web_signin(w, login, password, r->client, now) : SD_ERR_DENIED;
    if (rc != SD_OK) { /* one answer for every failure: it must not tell which logins exist */
        signin_page(w, r, rc == SD_ERR_DB ? 500 : 403,
                    "아이디 또는 비밀번호가 맞지 않아요. 여러 번 틀리면 15분 동안 로그인할 수 "
                    "없으니, 그때는 15분 뒤에 다시 시도해 주세요.",
                    out);
        return;
    }
    web_session_end(w->staff, r->session); /* whatever was there before never becomes valid */
    char id[WEB_TOKEN_LEN + 1];
    if (web_session_start(w->staff, login, now, id) != SD_OK) {
        signin_page(w, r, 500, "지금은 로그인할 수 없어요. 잠시 뒤에 다시 시도해 주세요.", out);
        return;
    }
    staff_redirect(out, "/staff");
    set_cookie(w, out, WEB_SESSION_COOKIE, id);
}

static void signout(const staff_req *q, web_reply *out)
{
    web_session_end(q->w->staff, q->r->session);
    staff_redirect(out, "/staff");
    set_cookie(q->w, out, WEB_SESSION_COOKIE, NULL);
}

/* ---- routing ---- */

/* SD_OK for an active member of staff's session; SD_ERR_OFFLINE when the office's shared
 * store cannot be asked; another code for no session. */
static sd_code signed_in(web_ctx *w, const web_request *r, staff_req *q)
{
    memset(q, 0, sizeof *q);
    q->w = w, q->r = r, q->now = engine_now(w->e);
    sd_code rc = web_session_find(w->staff, r->session, q->now, &q->session);
    if (rc == SD_OK)
        rc = store_staff_get(engine_store(w->e), q->session.login, &q->me);
    return rc == SD_OK && !q->me.active ? SD_ERR_DENIED : rc;
}

/* Which methods a page takes. */
static const char *allowed(const char *path)
{
    if (strcmp(path, "/signin") == 0 || strcmp(path, "/signout") == 0)
        return "POST";
    if (strncmp(path, "/c/", 3) == 0 || strcmp(path, "/kb") == 0)
        return "GET, HEAD, POST";
    return "GET, HEAD";
}

static bool method_ok(const char *method, const char *allow)
{
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
        return false;
    return strstr(allow, method) != NULL; /* allow lists whole names: GET and POST only */
}

static void route(const staff_req *q, const char *path, web_reply *out)
{
    if (strcmp(path, "") == 0 || strcmp(path, "/") == 0)
        staff_overview(q, out);
    else if (strcmp(path, "/signout") == 0)
        signout(q, out);
    else if (strcmp(path, "/list") == 0)
        staff_list(q, out);
    else if (strcmp(path, "/list.csv") == 0)
        staff_list_csv(q, out);
    else if (strncmp(path, "/c/", 3) == 0)
        staff_complaint(q, path + 3, out);
    else if (strncmp(path, "/audio/", 7) == 0)
        staff_audio(q, path + 7, out);
    else if (strcmp(path, "/kb") == 0)
        staff_kb(q, out);
    else
        staff_error(q, 404, "그런 페이지는 없어요.", out);
}

void web_staff(web_ctx *w, const web_request *r, const char *path, web_reply *out)
{
    const char *allow = allowed(path);
    bool post = strcmp(r->method, "POST") == 0;
    if (!method_ok(r->method, allow)) {
        web_reply_method(out, allow);
        return;
    }
    if (post && !r->form_ok) {
        web_reply_text(out, 400, "The form could not be read.");
        return;
    }
    if (strcmp(path, "/signin") == 0) {
        signin(w, r, out);
        return;
    }
    staff_req q;
    sd_code rc = signed_in(w, r, &q);
    if (rc == SD_ERR_OFFLINE) { /* not signed out: the session is back with the store */
        web_reply_text(out, 503,
                       "구청 데이터베이스에 지금 연결할 수 없어요. 잠시 후 다시 시도해 주세요.\n"
                       "The office's database cannot be reached right now; try again in a few "
                       "minutes.");
        return;
    }
    if (rc != SD_OK) {
        if (post)
            web_reply_text(out, 403, "Sign in first.");
        else if (strcmp(path, "") == 0)
            signin_page(w, r, 200, NULL, out);
        else
            staff_redirect(out, "/staff");
        return;
    }
    const char *csrf = web_arg(r, "csrf");
    if (post && !(csrf && web_token_equal(csrf, q.session.csrf))) {
        staff_error(
            &q, 403,
            "양식이 만료되었거나 이 사이트에서 보낸 것이 아니에요. 아무것도 바뀌지 않았어요.", out);
        return;
    }
    route(&q, path, out);
}

/* Mobile first: one column at 390 px, the list's rows become cards on a phone, other tables
 * scroll sideways; WCAG AA contrast (body text 16:1, links and buttons above 4.5:1, chart
 * colours above 3:1); a visible focus ring for keyboard users. Charts scale with their box, and
 * their text with them. */
static const char staff_css[] =
    "html{font-family:system-ui,'Noto Sans KR','Apple SD Gothic Neo',sans-serif;"
    "line-height:1.5;color:#1a1a1a;background:#fff}\n"
    "body{margin:0 auto;max-width:72rem;padding:0 1rem 2rem}\n"
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;"
    "align-items:center;border-bottom:2px solid #0b57d0;padding:.75rem 0}\n"
    ".office{margin:0;font-weight:700}\n"
    "nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}\n"
    "a{color:#0b57d0}\n"
    "a:focus,input:focus,select:focus,textarea:focus,button:focus{outline:3px solid #b15c00;"
    "outline-offset:2px}\n"
    "h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem}\n"
    "label{display:block;font-weight:700;margin-top:.75rem}\n"
    "input,select,textarea{box-sizing:border-box;width:100%;font-size:1rem;padding:.5rem;"
    "border:2px solid #595959;border-radius:4px;background:#fff;color:#1a1a1a}\n"
    "input[type=checkbox]{width:auto;margin-right:.5rem}\n"
    ".check{display:flex;align-items:center;font-weight:400}\n"
    "textarea{min-height:5rem}\n"
    "button{margin-top:.75rem;font-size:1rem;padding:.6rem 1rem;border:0;border-radius:4px;"
    "background:#0b57d0;color:#fff;font-weight:700}\n"
    ".signout{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}"
    ".signout button{margin:0}\n"
    ".card,.action{border:1px solid #c4c4c4;border-radius:6px;padding:1rem;margin:1rem 0}\n"
    ".actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}\n"
    ".action{margin:0}.action h3{margin:0}\n"
    ".message{padding:.75rem;border-left:4px solid #0b57d0;background:#e8f0fe}\n"
    ".error{border-left-color:#b3261e;background:#fdecea}\n"
    ".note{color:#444}\n"
    ".table{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #c4c4c4;"
    "vertical-align:top}\n"
    "th{word-break:keep-all}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "caption{text-align:left;font-weight:700;padding:.5rem 0}\n"
    ".late{color:#b3261e;font-weight:700}\n"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}\n"
    "dt{font-weight:700}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));"
    "gap:0 1rem;align-items:end}\n"
    ".buttons{display:flex;gap:1rem;align-items:center;margin-top:.75rem}"
    ".buttons button{margin:0}\n"
    ".filter-box{border:1px solid #c4c4c4;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}\n"
    ".filter-box summary{cursor:pointer;padding:.25rem 0}"
    ".summary-label{font-weight:700;color:#0b57d0;text-decoration:underline}\n"
    ".filter-box[open] .filters{padding-bottom:.75rem}\n"
    ".narrow table{width:auto;min-width:16rem}\n"
    ".summary{margin:1rem 0 .5rem}\n"
    ".pager{display:flex;gap:1.5rem;justify-content:center;margin:1rem 0}\n"
    ".stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;"
    "list-style:none;padding:0;margin:1rem 0}\n"
    ".stat a{display:block;border:1px solid #c4c4c4;border-radius:6px;padding:.75rem;"
    "text-decoration:none;color:#1a1a1a}\n"
    ".stat .n{display:block;font-size:1.75rem;font-weight:700;color:#0b57d0}\n"
    ".stat.alarm .n{color:#b3261e}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1.5rem}\n"
    ".figure{border:1px solid #c4c4c4;border-radius:6px;padding:0 1rem 1rem;min-width:0}\n"
    ".figure.wide{grid-column:1/-1}\n"
    ".figure-body{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));"
    "gap:1rem 2rem;align-items:start}\n"
    ".figure .table table{font-size:.9rem}.figure thead th+th{text-align:right}\n"
    /* the figure's heading names its table too: the caption stays for screen readers */
    ".figure caption,.quiet caption{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    "svg.chart{display:block;width:100%;max-width:36rem;height:auto;margin:0 auto}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;"
    "margin:0 0 .5rem;font-size:.9rem}\n"
    ".swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;"
    "vertical-align:-.05rem;border-radius:2px}\n"
    ".c0{background:#0b57d0}.c1{background:#b15c00}.c2{background:#6a3d9a}"
    ".c3{background:#7a5d00}.c4{background:#00796b}\n"
    "audio{width:100%}\n"
    /* the list and a complaint's history on a phone: one card per row, each cell saying its
     * column (the first cell heads the card) */
    "@media (max-width:40rem){.cards thead{position:absolute;width:1px;height:1px;"
    "overflow:hidden;clip:rect(0 0 0 0)}"
    ".cards tr{display:block;border:1px solid #c4c4c4;border-radius:6px;margin:.75rem 0;"
    "padding:.25rem .5rem}"
    ".cards td{display:grid;grid-template-columns:6.5rem 1fr;gap:.5rem;border:0;"
    "padding:.15rem 0}"
    ".cards td::before{content:attr(data-label);font-weight:700}"
    ".cards td:first-child{display:block;font-weight:700;font-size:1.05rem}}\n";

void web_staff_css(web_ctx *w, const web_request *r, web_reply *out)
{
    (void)w;
    web_reply_stylesheet(r, staff_css, out);
}
