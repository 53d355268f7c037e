/* web_staff.h - what the files of the staff dashboard (/staff) share: one request of a
 * signed-in member of staff, and the page shell every page of the dashboard is written in.
 *
 * web_staff.c signs people in and out, checks the session and the CSRF token of every POST, and
 * routes to web_staff_overview.c (counts and charts), web_staff_list.c (the list and its CSV),
 * web_staff_pages.c (a complaint with its timeline, audio and the actions open to the viewer)
 * and web_staff_kb.c (the knowledge base). Every staff action
 * goes through lifecycle_apply with the signed-in member of staff as actor. */
#ifndef SEODONG_WEB_STAFF_H
#define SEODONG_WEB_STAFF_H

#include "html.h"
#include "web_internal.h"

/* One request of a signed-in member of staff. */
typedef struct {
    web_ctx *w;
    const web_request *r;
    store_staff me;
    web_session session;
    time_t now;
} staff_req;

/* The departments of the office, by code (at most max); *n gets how many. */
sd_code staff_departments(store *s, store_department *out, size_t max, size_t *n);

/* Starts a dashboard page titled title: header with the office and the menu, sign-out form,
 * <main> with the <h1>. Returns NULL when out of memory (out is then marked failed). */
html *staff_page(const staff_req *q, const char *title, web_reply *out);
/* The same for a page outside a session (q NULL: the sign-in page). */
html *staff_frame(const web_ctx *w, const staff_req *q, const char *title, web_reply *out);
/* The hidden CSRF field every form of the dashboard carries. */
void staff_csrf_field(html *h, const staff_req *q);
/* A message above the page: role=alert for errors, role=status otherwise. lang is the
 * language of text ("en" for the lifecycle's reasons). */
void staff_message(html *h, const char *text, const char *lang, bool error);
/* 303 See Other to location (after a POST, so reloading does not repeat it). */
void staff_redirect(web_reply *out, const char *location);
/* A page with a heading and one message, for refusals (403, 404, ...). */
void staff_error(const staff_req *q, int status, const char *text, web_reply *out);
/* <label for=id>text</label> */
void staff_label(html *h, const char *id, const char *text);

/* The list's selects (web_staff_list.c), also the overview's filters: the channels, and the
 * sites complaints were filed at with how many each ("-" for none), value chosen selected.
 * staff_site_select returns what the store did. */
void staff_channel_select(html *h, const char *chosen);
sd_code staff_site_select(html *h, store *db, const char *chosen);

void staff_overview(const staff_req *q, web_reply *out);
void staff_list(const staff_req *q, web_reply *out);
void staff_list_csv(const staff_req *q, web_reply *out);
void staff_complaint(const staff_req *q, const char *receipt, web_reply *out);
void staff_audio(const staff_req *q, const char *receipt, web_reply *out);
void staff_kb(const staff_req *q, web_reply *out);

#endif
