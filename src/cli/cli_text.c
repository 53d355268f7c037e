/* cli_text.c - text mode: `seodong chat` (the dialogue on stdin/stdout, one reply block per
 * line, for people, screen readers, scripts and chat channels) and `seodong understand` (one
 * JSON understanding per line: the contract every channel reads). */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "session.h"
#include "engine.h"

static size_t chomp(char *line, ssize_t n)
{
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return (size_t)n;
}

/* ---- chat ---- */

int cmd_chat(int argc, char **argv)
{
    cli_options o = {0};
    int rc =
        cli_parse_common(argc, argv, &o,
                         "usage: seodong chat [--lang ko|en] [--db FILE] [--data DIR]\n"
                         "Talk to Seodong. Each input line gets one reply block, ended by an\n"
                         "empty line and flushed, so scripts and screen readers can follow.\n");
    if (rc)
        return rc;
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    session *s = session_new(e, "text", o.lang);
    bool tty = isatty(STDIN_FILENO);
    strbuf reply;
    strbuf_init(&reply);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    if (tty)
        printf("서동이: 안녕하세요! 무엇을 도와드릴까요? (Korean or English; Ctrl-D to quit)\n> ");
    fflush(stdout);
    while (s && (n = getline(&line, &cap, stdin)) != -1) {
        size_t len = chomp(line, n);
        strbuf_clear(&reply);
        session_turn(s, line, len, &reply);
        printf("%s\n\n%s", strbuf_str(&reply), tty ? "> " : "");
        fflush(stdout);
    }
    if (s) {
        strbuf_clear(&reply);
        session_end(s, &reply);
        if (reply.len)
            printf("%s\n\n", strbuf_str(&reply));
    }
    free(line);
    strbuf_free(&reply);
    session_free(s);
    engine_close(e);
    return s ? 0 : 1;
}

/* ---- understand ---- */

static json_t *slots_json(const understanding *u)
{
    json_t *slots = json_object();
    if (strcmp(u->intent, "complaint.file") == 0) {
        if (u->category[0])
            json_object_set_new(slots, "category", json_string(u->category));
        if (u->department[0])
            json_object_set_new(slots, "department", json_string(u->department));
        if (u->nlu.place.set)
            json_object_set_new(slots, "place", json_string(u->nlu.place.value));
        if (u->nlu.numbers.phone.found)
            json_object_set_new(slots, "phone", json_string(u->nlu.numbers.phone.value));
    } else if (strcmp(u->intent, "complaint.status") == 0 && u->nlu.numbers.receipt.found) {
        json_object_set_new(slots, "receipt", json_string(u->nlu.numbers.receipt.value));
    }
    return slots;
}

static json_t *understanding_json(const char *line, size_t len, sd_code rc, const understanding *u)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "text", rc == SD_ERR_UTF8 ? json_null() : json_stringn(line, len));
    if (rc != SD_OK) {
        json_object_set_new(obj, "error", json_string(sd_strerror(rc)));
        return obj;
    }
    json_object_set_new(obj, "lang", json_string(u->lang));
    json_object_set_new(obj, "intent", json_string(u->intent));
    json_object_set_new(obj, "slots", slots_json(u));
    json_object_set_new(obj, "confidence", json_real((double)(int)(u->confidence * 1000) / 1000));
    if (u->topic[0])
        json_object_set_new(obj, "topic", json_string(u->topic));
    if (strcmp(u->intent, "kb.answer") == 0)
        json_object_set_new(obj, "kb", json_string(u->kb.key));
    return obj;
}

int cmd_understand(int argc, char **argv)
{
    cli_options o = {0};
    int rc = cli_parse_common(argc, argv, &o,
                              "usage: seodong understand [--lang ko|en] [--db FILE] [--data DIR]\n"
                              "Reads lines and prints one JSON object per line:\n"
                              "  {\"text\", \"lang\", \"intent\", \"slots\", \"confidence\"}\n"
                              "A complaint's slots: category, department, place, phone.\n"
                              "A line that cannot be read gives {\"text\", \"error\"}.\n");
    if (rc)
        return rc;
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) != -1) {
        size_t len = chomp(line, n);
        understanding u;
        sd_code urc = engine_understand(e, line, len, o.lang, "ko", &u);
        json_t *obj = understanding_json(line, len, urc, &u);
        char *text = json_dumps(obj, JSON_COMPACT);
        puts(text ? text : "{\"error\":\"out of memory\"}");
        free(text);
        json_decref(obj);
    }
    fflush(stdout);
    free(line);
    engine_close(e);
    return 0;
}
