/* Unit tests for the parsers of POP3 server input and the digests. */
#include <config.h>

#include <string.h>

#include "net/net.h"
#include "pop3/private.h"
#include "util/util.h"

/* ---- status lines ------------------------------------------------------ */

typedef struct {
    const char *line;
    Pop3ReplyKind kind;
    const char *code;
    const char *text;
} ReplyCase;

static const ReplyCase reply_cases[] = {
    { "+OK", POP3_REPLY_OK, "", "" },
    { "+OK hello there", POP3_REPLY_OK, "", "hello there" },
    { "+ok lower case", POP3_REPLY_OK, "", "lower case" },
    { "-ERR", POP3_REPLY_ERR, "", "" },
    { "-ERR no such message", POP3_REPLY_ERR, "", "no such message" },
    { "-ERR [IN-USE] mailbox locked", POP3_REPLY_ERR, "IN-USE", "mailbox locked" },
    { "-ERR [LOGIN-DELAY] wait", POP3_REPLY_ERR, "LOGIN-DELAY", "wait" },
    { "-ERR [SYS/TEMP] disk", POP3_REPLY_ERR, "SYS/TEMP", "disk" },
    { "-ERR [SYS/PERM] broken", POP3_REPLY_ERR, "SYS/PERM", "broken" },
    { "-ERR [auth] bad password", POP3_REPLY_ERR, "AUTH", "bad password" },
    { "-ERR [AUTH]", POP3_REPLY_ERR, "AUTH", "" },
    { "-ERR [no close bracket", POP3_REPLY_ERR, "", "[no close bracket" },
    { "-ERR [] empty", POP3_REPLY_ERR, "", "[] empty" },
    { "-ERR [bad code!] x", POP3_REPLY_ERR, "", "[bad code!] x" },
    { "-ERR [AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA] long",
      POP3_REPLY_ERR, "", NULL },
    { "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5jb20+",
      POP3_REPLY_CONTINUE, "", "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5jb20+" },
    { "+", POP3_REPLY_CONTINUE, "", "" },
    { "+OKAY", POP3_REPLY_BAD, "", NULL },
    { "-ERROR", POP3_REPLY_BAD, "", NULL },
    { "OK", POP3_REPLY_BAD, "", NULL },
    { "", POP3_REPLY_BAD, "", NULL },
    { "HTTP/1.1 400 Bad Request", POP3_REPLY_BAD, "", NULL },
    { "\x1b[2J+OK", POP3_REPLY_BAD, "", NULL },
};

static void
test_reply(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++) {
        const ReplyCase *c = &reply_cases[i];
        Pop3Reply r;
        pop3_parse_reply(c->line, strlen(c->line), &r);
        g_test_message("case %zu: %s", i, c->line);
        g_assert_cmpint(r.kind, ==, c->kind);
        g_assert_cmpstr(r.code, ==, c->code);
        if (c->text)
            g_assert_cmpstr(r.text, ==, c->text);
    }
    /* A NUL inside a status line is not a status line. */
    Pop3Reply r;
    pop3_parse_reply("+OK a\0b", 7, &r);
    g_assert_cmpint(r.kind, ==, POP3_REPLY_BAD);
}

typedef struct {
    const char *code;
    gboolean login;
    int err;
    gboolean has_message;
} CodeCase;

static const CodeCase code_cases[] = {
    { "IN-USE", TRUE, POSTIE_ERROR_TEMPORARY, TRUE },
    { "LOGIN-DELAY", TRUE, POSTIE_ERROR_TEMPORARY, TRUE },
    { "SYS/TEMP", FALSE, POSTIE_ERROR_TEMPORARY, TRUE },
    { "SYS/PERM", TRUE, POSTIE_ERROR_PROTOCOL, TRUE },
    { "AUTH", TRUE, POSTIE_ERROR_AUTH, TRUE },
    { "", TRUE, POSTIE_ERROR_AUTH, FALSE },
    { "", FALSE, POSTIE_ERROR_PROTOCOL, FALSE },
    { "UNKNOWN-THING", FALSE, POSTIE_ERROR_PROTOCOL, FALSE },
};

static void
test_resp_codes(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(code_cases); i++) {
        const CodeCase *c = &code_cases[i];
        g_assert_cmpint(pop3_error_code_for(c->code, c->login), ==, c->err);
        g_assert_true((pop3_resp_code_message(c->code) != NULL) == c->has_message);
    }
}

/* ---- CAPA -------------------------------------------------------------- */

static void
test_capa(void)
{
    static const struct {
        const char *line;
        guint caps;
    } cases[] = {
        { "TOP", POP3_CAP_TOP },
        { "uidl", POP3_CAP_UIDL },
        { "USER", POP3_CAP_USER },
        { "STLS", POP3_CAP_STLS },
        { "PIPELINING", POP3_CAP_PIPELINING },
        { "RESP-CODES", POP3_CAP_RESP_CODES },
        { "AUTH-RESP-CODE", POP3_CAP_AUTH_RESP_CODE },
        { "SASL PLAIN LOGIN", POP3_CAP_SASL },
        { "UTF8", POP3_CAP_UTF8 },
        { "UTF8 USER", POP3_CAP_UTF8 },
        { "utf8", POP3_CAP_UTF8 },
        { "UTF-8", 0 },
        { "IMPLEMENTATION Dovecot", 0 },
        { "EXPIRE NEVER", 0 },
        { "", 0 },
        { "   ", 0 },
        { "TOPX", 0 },
        { "\x1b[31m", 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint caps = 0;
        g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func(g_free);
        pop3_parse_capa_line(cases[i].line, &caps, mechs);
        g_assert_cmpuint(caps, ==, cases[i].caps);
    }
    guint caps = 0;
    g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func(g_free);
    pop3_parse_capa_line("SASL plain CRAM-MD5  xoauth2 PLAIN bad!mech "
                         "AVERYLONGMECHANISMNAMEOVERTWENTY OAUTHBEARER",
                         &caps, mechs);
    g_assert_cmpuint(mechs->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(mechs, 0), ==, "PLAIN");
    g_assert_cmpstr(g_ptr_array_index(mechs, 1), ==, "CRAM-MD5");
    g_assert_cmpstr(g_ptr_array_index(mechs, 2), ==, "XOAUTH2");
    g_assert_cmpstr(g_ptr_array_index(mechs, 3), ==, "OAUTHBEARER");
}

/* ---- greeting ---------------------------------------------------------- */

static void
test_greeting(void)
{
    static const struct {
        const char *text;
        const char *ts;
    } cases[] = {
        { "POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
          "<1896.697170952@dbc.mtview.ca.us>" },
        { "Dovecot ready. <7a1.2.5f@host>", "<7a1.2.5f@host>" },
        { "Dovecot ready.", NULL },
        { "<no-at-sign>", NULL },
        { "<>", NULL },
        { "<a b@c>", NULL },
        { "<unterminated@x", NULL },
        { "<a\x1b@b>", NULL },
        { "<<a@b>", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *ts = pop3_parse_greeting_timestamp(cases[i].text);
        g_assert_cmpstr(ts, ==, cases[i].ts);
    }
}

/* ---- STAT, LIST, UIDL ------------------------------------------------------ */

static void
test_stat(void)
{
    static const struct {
        const char *text;
        gboolean ok;
        guint count;
        guint64 octets;
    } cases[] = {
        { "2 320", TRUE, 2, 320 },
        { "0 0", TRUE, 0, 0 },
        { "10 12345678901 extra words", TRUE, 10, 12345678901ULL },
        { "", FALSE, 0, 0 },
        { "2", FALSE, 0, 0 },
        { "a b", FALSE, 0, 0 },
        { "-1 5", FALSE, 0, 0 },
        { "99999999999 5", FALSE, 0, 0 },
        { "2 99999999999999999999999", FALSE, 0, 0 },
        { "2 32x", FALSE, 0, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint c = 0;
        guint64 o = 0;
        g_assert_cmpint(pop3_parse_stat(cases[i].text, &c, &o), ==, cases[i].ok);
        if (cases[i].ok) {
            g_assert_cmpuint(c, ==, cases[i].count);
            g_assert_cmpuint(o, ==, cases[i].octets);
        }
    }
}

static void
test_list_line(void)
{
    static const struct {
        const char *line;
        gboolean ok;
        guint num;
        guint64 size;
    } cases[] = {
        { "1 120", TRUE, 1, 120 },
        { "42 0", TRUE, 42, 0 },
        { "3  77 ", TRUE, 3, 77 },
        { "0 10", FALSE, 0, 0 },
        { "1", FALSE, 0, 0 },
        { "1 x", FALSE, 0, 0 },
        { "1 10 extra", FALSE, 0, 0 },
        { "x 10", FALSE, 0, 0 },
        { "4294967296 1", FALSE, 0, 0 },
        { "", FALSE, 0, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint n = 0;
        guint64 sz = 0;
        g_assert_cmpint(pop3_parse_list_line(cases[i].line, &n, &sz), ==, cases[i].ok);
        if (cases[i].ok) {
            g_assert_cmpuint(n, ==, cases[i].num);
            g_assert_cmpuint(sz, ==, cases[i].size);
        }
    }
}

static void
test_uidl_line(void)
{
    char seventy[80], seventy_one[80];
    memset(seventy, 'a', 70);
    seventy[70] = '\0';
    memset(seventy_one, 'a', 71);
    seventy_one[71] = '\0';
    g_autofree char *l70 = g_strconcat("5 ", seventy, NULL);
    g_autofree char *l71 = g_strconcat("5 ", seventy_one, NULL);
    struct {
        const char *line;
        gboolean ok;
        guint num;
        const char *uid;     /* NULL: invalid UID */
    } cases[] = {
        { "1 whqtswO00WBw418f9t5JxYwZ", TRUE, 1, "whqtswO00WBw418f9t5JxYwZ" },
        { "2 QhdPYR:00WBw1Ph7x7", TRUE, 2, "QhdPYR:00WBw1Ph7x7" },
        { "3 00000001.4f5a1b2c  ", TRUE, 3, "00000001.4f5a1b2c" },
        { "4 ~!@#$%^&*()", TRUE, 4, "~!@#$%^&*()" },
        { l70, TRUE, 5, seventy },
        { l71, TRUE, 5, NULL },
        { "6 has space", TRUE, 6, NULL },
        { "7 esc\x1b[2J", TRUE, 7, NULL },
        { "8 caf\xc3\xa9", TRUE, 8, NULL },
        { "9 del\x7f", TRUE, 9, NULL },
        { "10 ", FALSE, 0, NULL },
        { "10", FALSE, 0, NULL },
        { "0 abc", FALSE, 0, NULL },
        { "abc def", FALSE, 0, NULL },
        { "-3 abc", FALSE, 0, NULL },
        { "99999999999 abc", FALSE, 0, NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *line = g_strdup(cases[i].line);
        guint n = 0;
        const char *uid = NULL;
        gboolean valid = FALSE;
        g_test_message("uidl case %zu", i);
        g_assert_cmpint(pop3_parse_uidl_line(line, &n, &uid, &valid), ==, cases[i].ok);
        if (!cases[i].ok)
            continue;
        g_assert_cmpuint(n, ==, cases[i].num);
        if (cases[i].uid) {
            g_assert_true(valid);
            g_assert_cmpstr(uid, ==, cases[i].uid);
        } else {
            g_assert_false(valid);
        }
    }
}

/* ---- the multi-line decoder --------------------------------------------- */

typedef struct {
    const char *in;
    const char *out;        /* NULL: not terminated */
    gsize rest;             /* bytes after the terminator left unconsumed */
} UnstuffCase;

static const UnstuffCase unstuff_cases[] = {
    { ".\r\n", "", 0 },
    { "a\r\nb\r\n.\r\n", "a\nb\n", 0 },
    { "..dot\r\n.\r\n", ".dot\n", 0 },
    { "...\r\n.\r\n", "..\n", 0 },
    { "a\r\n..\r\n.\r\n", "a\n.\n", 0 },
    { ".x\r\n.\r\n", "x\n", 0 },                 /* lenient: dot dropped */
    { "bare\nlf\n.\n", "bare\nlf\n", 0 },
    { "cr\rin line\r\n.\r\n", "cr\rin line\n", 0 },
    { "two\r\r\n.\r\n", "two\r\n", 0 },
    { ".\rx\r\n.\r\n", "\rx\n", 0 },
    { "line\r\n.\r\n+OK next", "line\n", 8 },
    { "a\r\n.\r\nRETR", "a\n", 4 },
    { "no terminator\r\n", NULL, 0 },
    { "x\r\n. \r\n", NULL, 0 },                  /* ". " is not the end */
    { "\r\n\r\n.\r\n", "\n\n", 0 },
    { "From x\r\n\r\nbody .\r\n.\r\n", "From x\n\nbody .\n", 0 },
    { "a\r\r\r\n.\r\n", "a\r\r\n", 0 },        /* CRs before the CRLF */
    { "x\ry\rz\r\nw\r\n.\r\n", "x\ry\rz\nw\n", 0 },
    { "\r\r\n.\r\n", "\r\n", 0 },
};

static void
run_unstuff(const char *in, gsize len, const gsize *cuts, gsize ncuts,
            GString *out, Pop3UnstuffResult *res, gsize *used)
{
    Pop3Unstuff u;
    pop3_unstuff_init(&u, 0);
    g_string_truncate(out, 0);
    gsize pos = 0;
    *res = POP3_UNSTUFF_MORE;
    for (gsize k = 0; k <= ncuts && *res == POP3_UNSTUFF_MORE; k++) {
        gsize end = k < ncuts ? cuts[k] : len;
        gsize c = 0;
        *res = pop3_unstuff_feed(&u, in + pos, end - pos, out, &c);
        pos += c;
    }
    *used = pos;
}

static void
test_unstuff(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(unstuff_cases); i++) {
        const UnstuffCase *c = &unstuff_cases[i];
        gsize len = strlen(c->in);
        /* Whole, then split at every point, then byte by byte. */
        for (gsize cut = 0; cut <= len + 1; cut++) {
            gsize cuts[1024];
            gsize ncuts = 0;
            if (cut == len + 1) {
                for (gsize k = 1; k < len; k++)
                    cuts[ncuts++] = k;
            } else if (cut > 0 && cut < len) {
                cuts[ncuts++] = cut;
            }
            Pop3UnstuffResult res;
            gsize used;
            run_unstuff(c->in, len, cuts, ncuts, out, &res, &used);
            g_test_message("unstuff case %zu cut %zu", i, cut);
            if (c->out) {
                g_assert_cmpint(res, ==, POP3_UNSTUFF_DONE);
                g_assert_cmpstr(out->str, ==, c->out);
                g_assert_cmpuint(len - used, ==, c->rest);
            } else {
                g_assert_cmpint(res, ==, POP3_UNSTUFF_MORE);
            }
        }
    }
}

static void
test_unstuff_long_line(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    Pop3Unstuff u;
    pop3_unstuff_init(&u, 100);
    g_autofree char *line = g_malloc(4096);
    memset(line, 'x', 4096);
    gsize used = 0;
    Pop3UnstuffResult r = POP3_UNSTUFF_MORE;
    for (int i = 0; i < 10 && r == POP3_UNSTUFF_MORE; i++)
        r = pop3_unstuff_feed(&u, line, 40, out, &used);
    g_assert_cmpint(r, ==, POP3_UNSTUFF_TOO_LONG);
    g_assert_cmpuint(out->len, <=, 100);
    /* Many short lines are fine whatever their total. */
    pop3_unstuff_init(&u, 100);
    g_string_truncate(out, 0);
    for (int i = 0; i < 1000; i++) {
        r = pop3_unstuff_feed(&u, "0123456789\r\n", 12, out, &used);
        g_assert_cmpint(r, ==, POP3_UNSTUFF_MORE);
    }
    g_assert_cmpuint(out->len, ==, 11000);
}

/* ---- digests and SASL ------------------------------------------------------- */

static void
test_apop(void)
{
    /* RFC 1939 section 7 */
    g_autofree char *d = pop3_apop_digest("<1896.697170952@dbc.mtview.ca.us>",
                                          "tanstaaf");
    g_assert_cmpstr(d, ==, "c4c9334bac560ecc979e58001b3e22fb");
}

static void
test_mech_names(void)
{
    Pop3AuthMech m;
    g_assert_true(pop3_auth_mech_from_string("CRAM-MD5", &m));
    g_assert_cmpint(m, ==, POP3_AUTH_CRAM_MD5);
    g_assert_true(pop3_auth_mech_from_string(NULL, &m));
    g_assert_cmpint(m, ==, POP3_AUTH_AUTO);
    g_assert_true(pop3_auth_mech_from_string("oauthbearer", &m));
    g_assert_true(pop3_auth_mech_is_oauth(m));
    g_assert_false(pop3_auth_mech_from_string("digest-md5", &m));
    g_assert_cmpstr(pop3_auth_mech_name(POP3_AUTH_APOP), ==, "apop");
}

static void
test_fingerprint_normalize(void)
{
    const char *hex64 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    g_autofree char *a = net_tls_normalize_fingerprint(
        "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
        "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
    g_assert_cmpstr(a, ==, hex64);
    g_autofree char *b = net_tls_normalize_fingerprint(hex64);
    g_assert_cmpstr(b, ==, hex64);
    g_assert_null(net_tls_normalize_fingerprint("00:11"));
    g_assert_null(net_tls_normalize_fingerprint("zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
    g_assert_null(net_tls_normalize_fingerprint(""));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pop3/reply", test_reply);
    g_test_add_func("/pop3/resp-codes", test_resp_codes);
    g_test_add_func("/pop3/capa", test_capa);
    g_test_add_func("/pop3/greeting", test_greeting);
    g_test_add_func("/pop3/stat", test_stat);
    g_test_add_func("/pop3/list-line", test_list_line);
    g_test_add_func("/pop3/uidl-line", test_uidl_line);
    g_test_add_func("/pop3/unstuff", test_unstuff);
    g_test_add_func("/pop3/unstuff-long-line", test_unstuff_long_line);
    g_test_add_func("/pop3/apop", test_apop);
    g_test_add_func("/pop3/mech-names", test_mech_names);
    g_test_add_func("/net/fingerprint-normalize", test_fingerprint_normalize);
    return g_test_run();
}
