/* Unit tests for send/: the header block as text, copies for the wire and
 * for Sent, CRLF, envelopes from hostile headers, the 7-bit variant. */
#include <config.h>

#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "store/store.h"

#include "esmtp-plugins/oauth-sasl.h"
#include "send/private.h"
#include "util/util.h"

typedef struct {
    const char *msg;
    const char *name;
    const char *value;   /* NULL: absent */
} GetCase;

static const GetCase get_cases[] = {
    { "To: a@b\nSubject: hi\n\nbody\n", "Subject", "hi" },
    { "To: a@b\nSubject: hi\n\nbody\n", "subject", "hi" },
    { "To: a@b,\n c@d\nX: y\n\n", "To", "a@b, c@d" },
    { "To: a@b\n\nSubject: in body\n", "Subject", NULL },
    { "To : spaced\n\n", "To", "spaced" },
    { "Tox: no\n\n", "To", NULL },
    { "To: first\nTo: second\n\n", "To", "first" },
    { "Subject:\n\n", "Subject", "" },
    { "\nSubject: body only\n", "Subject", NULL },
    { "Subject: no body", "Subject", "no body" },
    { "Subject: a\r\n\tb\n\n", "Subject", "a\tb" },
};

static void
test_header_get(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(get_cases); i++) {
        const GetCase *c = &get_cases[i];
        g_autofree char *v = send_header_get(c->msg, strlen(c->msg), c->name);
        g_assert_cmpstr(v, ==, c->value);
    }
}

typedef struct {
    const char *in;
    const char *wire;
    const char *sent;
} CopyCase;

static const CopyCase copy_cases[] = {
    { "From: a@b\nBcc: x@y\nTo: c@d\n\nbody\nBcc: stays in body\n",
      "From: a@b\nTo: c@d\n\nbody\nBcc: stays in body\n",
      "From: a@b\nBcc: x@y\nTo: c@d\n\nbody\nBcc: stays in body\n" },
    { "BCC: x@y,\n  z@w\nTo: c@d\n\nb\n", "To: c@d\n\nb\n", "BCC: x@y,\n  z@w\nTo: c@d\n\nb\n" },
    { "X-Postie-Account: w\nX-Postie-Send-Error: 451\n foo\nTo: c@d\nStatus: RO\n\nb\n",
      "To: c@d\n\nb\n", "To: c@d\n\nb\n" },
    { "Return-Path: <r@s>\nTo: c@d\n\n", "To: c@d\n\n", "Return-Path: <r@s>\nTo: c@d\n\n" },
    { "Bccx: keep\nTo: c@d\n\n", "Bccx: keep\nTo: c@d\n\n", "Bccx: keep\nTo: c@d\n\n" },
};

static void
test_copies(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(copy_cases); i++) {
        const CopyCase *c = &copy_cases[i];
        g_autoptr(GString) w = send_copy_for_wire(c->in, strlen(c->in));
        g_autoptr(GString) s = send_copy_for_sent(c->in, strlen(c->in));
        g_assert_cmpstr(w->str, ==, c->wire);
        g_assert_cmpstr(s->str, ==, c->sent);
    }
}

static void
test_crlf(void)
{
    static const struct { const char *in, *out; } cases[] = {
        { "a\nb\n", "a\r\nb\r\n" },
        { "a\r\nb\n", "a\r\nb\r\n" },
        { "no end", "no end\r\n" },
        { "\n", "\r\n" },
        { "", "" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) o = send_to_crlf(cases[i].in, strlen(cases[i].in));
        g_assert_cmpstr(o->str, ==, cases[i].out);
        g_autoptr(GString) back = g_string_new(o->str);
        send_lf_normalize(back);
        g_autoptr(GString) again = send_to_crlf(back->str, back->len);
        g_assert_cmpstr(again->str, ==, o->str);
    }
}

typedef struct {
    const char *msg;
    const char *from;     /* NULL: expect an error */
    const char *rcpts;    /* comma-joined */
} EnvCase;

static const EnvCase env_cases[] = {
    { "To: a@x.org\nCc: B <b@x.org>\nBcc: c@x.org\n\n", "me@home.org", "a@x.org,b@x.org,c@x.org" },
    { "To: a@x.org, A@X.ORG\n\n", "me@home.org", "a@x.org" },
    { "To: list: a@x.org, b@x.org;\n\n", "me@home.org", "a@x.org,b@x.org" },
    { "X-Postie-Envelope-To: e@x.org\nTo: a@x.org\n\n", "me@home.org", "e@x.org" },
    { "X-Postie-Envelope-From: bounce@x.org\nTo: a@x.org\n\n", "bounce@x.org", "a@x.org" },
    { "X-Postie-Delivered-To: a@x.org\nTo: a@x.org, b@x.org\n\n", "me@home.org", "b@x.org" },
    { "Subject: none\n\n", NULL, NULL },
    { "To: \"x\" <a b@x.org>\n\n", NULL, NULL },
    { "To: <a@x.org>\r\nRCPT TO:<evil@x.org>\n\n", "me@home.org", "a@x.org" },
    { "X-Postie-Envelope-From: bad>addr@x.org\nTo: a@x.org\n\n", NULL, NULL },
    { "To: j\xc3\xb6rg@x.org\n\n", NULL, NULL },
    { "To: undisclosed-recipients:;\nBcc: h@x.org\n\n", "me@home.org", "h@x.org" },
    { "To: a@x.org\nSubject: s\nTo: b@x.org\nCc: c@x.org\nCc: a@x.org\n\nTo: body@x.org\n",
      "me@home.org", "a@x.org,b@x.org,c@x.org" },
};

static void
test_envelope(void)
{
    Account a = { 0 };
    a.id = (char *)"t";
    a.address = (char *)"me@home.org";
    for (gsize i = 0; i < G_N_ELEMENTS(env_cases); i++) {
        const EnvCase *c = &env_cases[i];
        g_autofree char *from = NULL;
        g_autoptr(GPtrArray) rcpts = NULL;
        g_autoptr(GError) e = NULL;
        gboolean ok = send_envelope_of(&a, c->msg, strlen(c->msg), &from, &rcpts, &e);
        if (!c->from) {
            g_assert_false(ok);
            g_assert_nonnull(e);
            continue;
        }
        g_assert_no_error(e);
        g_assert_true(ok);
        g_assert_cmpstr(from, ==, c->from);
        g_ptr_array_add(rcpts, NULL);
        g_autofree char *j = g_strjoinv(",", (char **)rcpts->pdata);
        g_assert_cmpstr(j, ==, c->rcpts);
    }
}

static void
test_encode_7bit(void)
{
    const char *m = "From: a@b\nTo: c@d\nSubject: s\nMIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=UTF-8\n"
                    "Content-Transfer-Encoding: 8bit\n\nGr\xc3\xbc\xc3\x9f" "e\n";
    g_assert_true(send_has_8bit(m, strlen(m)));
    g_autoptr(GString) o = send_encode_7bit(m, strlen(m));
    g_assert_nonnull(o);
    g_assert_false(send_has_8bit(o->str, o->len));
    g_assert_true(strstr(o->str, "Content-Transfer-Encoding: quoted-printable") ||
                  strstr(o->str, "Content-Transfer-Encoding: base64"));
    g_assert_null(strstr(o->str, "Content-Transfer-Encoding: 8bit"));
}

/* A part with headers and no body at all (the boundary follows its
 * header block) is encoded without GMime complaining, and kept. */
static void
test_encode_7bit_bodiless_part(void)
{
    const char *m = "From: a@b\nTo: c@d\nSubject: s\nMIME-Version: 1.0\n"
                    "Content-Type: multipart/mixed; boundary=XX\n\n"
                    "--XX\nContent-Type: text/plain; charset=UTF-8\n"
                    "Content-Transfer-Encoding: 8bit\n\nGr\xc3\xbc\xc3\x9f" "e\n"
                    "--XX\nContent-Type: application/octet-stream\n"
                    "--XX\nContent-Type: text/plain\n\n"
                    "--XX--\n";
    g_autoptr(GString) o = send_encode_7bit(m, strlen(m));
    g_assert_nonnull(o);
    g_assert_false(send_has_8bit(o->str, o->len));
    g_assert_nonnull(strstr(o->str, "Content-Type: application/octet-stream"));
}

/* Raw 8-bit header fields become RFC 2047; the body is left alone. */
static void
test_encode_headers(void)
{
    const char *m = "From: J\xc3\xb6rg <j@example.org>\nTo: b@example.net\n"
                    "Subject: Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln\nMessage-ID: <x@y>\n"
                    "\nbody \xc3\xbc\n";
    g_autoptr(GString) o = send_encode_headers(m, strlen(m));
    g_assert_nonnull(o);
    gsize h = send_header_block_len(o->str, o->len);
    g_assert_false(send_has_8bit(o->str, h));
    g_assert_true(g_str_has_suffix(o->str, "\nbody \xc3\xbc\n"));
    g_autofree char *subj = send_header_get(o->str, o->len, "Subject");
    g_autofree char *dec = g_mime_utils_header_decode_text(NULL, subj);
    g_assert_cmpstr(dec, ==, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
    g_autofree char *from = send_header_get(o->str, o->len, "From");
    g_assert_nonnull(strstr(from, "<j@example.org>"));
    g_autofree char *fdec = g_mime_utils_header_decode_phrase(NULL, from);
    g_assert_nonnull(strstr(fdec, "J\xc3\xb6rg"));
    g_autofree char *id = send_header_get(o->str, o->len, "Message-ID");
    g_assert_cmpstr(id, ==, "<x@y>");

    const char *ascii = "To: b@example.net\nSubject: plain\n\nbody \xc3\xbc\n";
    g_autoptr(GString) same = send_encode_headers(ascii, strlen(ascii));
    g_assert_cmpstr(same->str, ==, ascii);
}

static void
test_message_id(void)
{
    g_autofree char *id = send_make_message_id("someone@example.org");
    g_assert_true(g_str_has_prefix(id, "<"));
    g_assert_true(g_str_has_suffix(id, "@example.org>"));
    g_autofree char *id2 = send_make_message_id(NULL);
    g_assert_true(g_str_has_suffix(id2, "@localhost>"));
}

static void
test_recorded_error(void)
{
    const char *m = "X-Postie-Send-Status: temporary\nX-Postie-Send-Attempts: 3\n"
                    "X-Postie-Send-Error: 451 \x1b[2Jlater\nTo: a@b\n\n";
    g_autofree char *e = send_message_error(m, strlen(m));
    g_assert_cmpstr(e, ==, "temporary: 451 ^[[2Jlater");
    g_assert_cmpuint(send_message_attempts(m, strlen(m)), ==, 3);
    g_assert_null(send_message_error("To: a@b\n\n", 9));
}

typedef struct {
    int listener;
    int conn;              /* the accepted connection, kept open (silent) */
    GCancellable *cancellable;
} CancelJob;

/* Cancel once the client is connected and waits for the greeting: the
 * cancellation then certainly hits a session in progress. */
static gpointer
cancel_when_connected(gpointer data)
{
    CancelJob *j = data;
    j->conn = accept(j->listener, NULL, NULL);
    g_cancellable_cancel(j->cancellable);
    return NULL;
}

/* A server that never greets: the flush waits until it is cancelled, and
 * the message stays in the Outbox. */
static void
test_cancel(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-send-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_setenv("XDG_STATE_HOME", dir, TRUE);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sa;
    g_assert_cmpint(bind(l, (struct sockaddr *)&sa, sizeof sa), ==, 0);
    g_assert_cmpint(listen(l, 4), ==, 0);
    g_assert_cmpint(getsockname(l, (struct sockaddr *)&sa, &sl), ==, 0);

    g_autofree char *conf = g_build_filename(dir, "config", NULL);
    g_autofree char *text = g_strdup_printf(
        "[general]\nmail_dir = %s/mail\n\n[account t]\naddress = a@example.org\n"
        "smtp_host = 127.0.0.1\nsmtp_port = %u\nsmtp_security = none\n"
        "smtp_auth = none\ntimeout = 60\n", dir, ntohs(sa.sin_port));
    g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    chmod(conf, 0600);
    g_autoptr(GError) e = NULL;
    PostieConfig *cfg = conf_load(conf, NULL, &e);
    g_assert_no_error(e);
    const char *m = "From: a@example.org\nTo: b@example.net\nSubject: c\n\nbody\n";
    g_assert_true(send_queue(cfg, m, strlen(m), NULL, NULL, NULL, &e));
    g_assert_no_error(e);

    GCancellable *c = g_cancellable_new();
    CancelJob job = { l, -1, c };
    GThread *t = g_thread_new("cancel", cancel_when_connected, &job);
    gboolean ok = send_flush(cfg, NULL, 0, NULL, NULL, c, NULL, NULL, &e);
    shutdown(l, SHUT_RDWR);   /* wakes accept() if the flush never connected */
    g_thread_join(t);
    g_assert_cmpint(job.conn, >=, 0);
    close(job.conn);
    g_assert_false(ok);
    /* Cancelled, not the 60 s timeout. */
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_CANCELLED);
    g_clear_error(&e);

    g_autofree char *outbox = g_build_filename(dir, "mail", "Outbox", NULL);
    StoreFolder *f = store_folder_open(outbox, &e);
    g_assert_no_error(e);
    g_assert_cmpuint(store_folder_count(f), ==, 1);
    GBytes *b = store_folder_read(f, 0, &e);
    gsize len;
    const char *d = g_bytes_get_data(b, &len);
    g_autofree char *err = send_message_error(d, len);
    g_assert_nonnull(strstr(err, "cancelled"));
    g_bytes_unref(b);
    store_folder_close(f);
    g_object_unref(c);
    conf_free(cfg);
    close(l);
    const char *rm[] = { "rm", "-rf", dir, NULL };
    g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                 NULL, NULL, NULL);
}

/* ---- relay-watch: the dialogue as the relay sees it ------------------ */

typedef struct {
    const char *name;
    const char *auth_only;
    const char *steps[12];    /* "C:" from libesmtp, "S:" from the server,
                               * "L:" the server's connection lost */
    const char *to_server;    /* everything passed on to the server */
    const char *to_client;    /* everything passed on to libesmtp */
    int final_code;           /* of the first transaction; -1: none */
    gboolean final_seen;
    gboolean error;
} WatchCase;

#define HELLO "C:EHLO TOK\r\n", "S:250 ok\r\n"
#define HELLO_S "EHLO host\r\n"
#define HELLO_C "250 ok\r\n"

static const WatchCase watch_cases[] = {
    { "not ours", NULL, { "C:EHLO guess\r\n" }, "", "", -1, FALSE, TRUE },
    { "not ours: MAIL first", NULL, { "C:MAIL FROM:<a@b>\r\n" }, "", "", -1, FALSE, TRUE },
    { "token replaced", NULL, { HELLO }, HELLO_S, HELLO_C, -1, FALSE, FALSE },
    { "AUTH filtered to the configured mechanism", "login",
      { "C:EHLO TOK\r\n", "S:250-x\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250 8BITMIME\r\n" },
      HELLO_S, "250-x\r\n250-AUTH LOGIN\r\n250 8BITMIME\r\n", -1, FALSE, FALSE },
    { "AUTH line dropped without the mechanism", "login",
      { "C:EHLO TOK\r\n", "S:250-x\r\n250 AUTH PLAIN\r\n" },
      HELLO_S, "250 x\r\n", -1, FALSE, FALSE },
    { "AUTH filtered to the OAuth mechanisms, in the server's order",
      "XOAUTH2 OAUTHBEARER",
      { "C:EHLO TOK\r\n",
        "S:250-x\r\n250-AUTH PLAIN OAUTHBEARER LOGIN XOAUTH2\r\n250 SIZE 10\r\n" },
      HELLO_S, "250-x\r\n250-AUTH OAUTHBEARER XOAUTH2\r\n250 SIZE 10\r\n",
      -1, FALSE, FALSE },
    { "OAuth error challenge: the empty answer is no command", NULL,
      { HELLO, "C:AUTH XOAUTH2 dXNlcj1h\r\n", "S:334 eyJzdGF0dXMiOiI0MDEifQ==\r\n",
        "C:\r\n", "S:535 5.7.8 refused\r\n", "C:QUIT\r\n", "S:221 bye\r\n" },
      HELLO_S "AUTH XOAUTH2 dXNlcj1h\r\n\r\nQUIT\r\n",
      HELLO_C "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n535 5.7.8 refused\r\n221 bye\r\n",
      -1, FALSE, FALSE },
    { "a cancelled AUTH (\"*\") is no command", NULL,
      { HELLO, "C:AUTH OAUTHBEARER\r\n", "S:334 \r\n", "C:*\r\n",
        "S:501 cancelled\r\n", "C:AUTH PLAIN AGFiAGM=\r\n", "S:235 ok\r\n" },
      HELLO_S "AUTH OAUTHBEARER\r\n*\r\nAUTH PLAIN AGFiAGM=\r\n",
      HELLO_C "334 \r\n501 cancelled\r\n235 ok\r\n", -1, FALSE, FALSE },
    { "BDAT: a 250 to a middle chunk accepts nothing", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhello",
        "S:250 ok\r\n250 ok\r\n250 5 bytes\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhello",
      HELLO_C "250 ok\r\n250 ok\r\n250 5 bytes\r\n", 0, FALSE, FALSE },
    { "BDAT: the reply to LAST does", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 3\r\nabcBDAT 0 LAST\r\n",
        "S:250 ok\r\n250 3\r\n", "S:250 queued\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 3\r\nabcBDAT 0 LAST\r\n",
      HELLO_C "250 ok\r\n250 3\r\n250 queued\r\n", 250, TRUE, FALSE },
    { "BDAT: chunk bytes that look like commands are data", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 13\r\nBDAT 9 LAST\r\n", "C:BDAT 0 LAST\r\n",
        "S:250 ok\r\n250 13\r\n451 later\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 13\r\nBDAT 9 LAST\r\nBDAT 0 LAST\r\n",
      HELLO_C "250 ok\r\n250 13\r\n451 later\r\n", 451, TRUE, FALSE },
    { "BDAT: after a refused chunk the rest stays here", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 2\r\nab", "S:250 ok\r\n552 too big\r\n",
        "C:BDAT 2\r\ncdBDAT 0 LAST\r\n", "C:RSET\r\n", "S:250 reset\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 2\r\nabRSET\r\n",
      HELLO_C "250 ok\r\n552 too big\r\n"
      "552 postie relay: not sent on, the server refused an earlier chunk\r\n"
      "552 postie relay: not sent on, the server refused an earlier chunk\r\n"
      "250 reset\r\n", 552, FALSE, FALSE },
    { "DATA: only the reply after the final dot", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nDATA\r\n", "S:250 ok\r\n354 go\r\n",
        "C:x\r\n..\r\n.x\r\nQUIT\r\n", "C:.\r\nQUIT\r\n", "S:250 queued\r\n221 bye\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nDATA\r\nx\r\n..\r\n.x\r\nQUIT\r\n.\r\nQUIT\r\n",
      HELLO_C "250 ok\r\n354 go\r\n250 queued\r\n221 bye\r\n", 250, TRUE, FALSE },
    { "DATA: cut before the final reply", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nDATA\r\n", "S:250 ok\r\n354 go\r\n",
        "C:x\r\n.\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nDATA\r\nx\r\n.\r\n",
      HELLO_C "250 ok\r\n354 go\r\n", 0, FALSE, FALSE },
    { "AUTH LOGIN answers are not commands", NULL,
      { HELLO, "C:AUTH LOGIN\r\n", "S:334 VXNlcm5hbWU6\r\n", "C:DATA\r\n",
        "S:334 UGFzc3dvcmQ6\r\n", "C:BDAT 5\r\n", "S:235 ok\r\n" },
      HELLO_S "AUTH LOGIN\r\nDATA\r\nBDAT 5\r\n",
      HELLO_C "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n", -1, FALSE, FALSE },
    { "a malformed reply stops the session", NULL,
      { HELLO, "C:NOOP\r\n", "S:hello there\r\n" },
      HELLO_S "NOOP\r\n", HELLO_C, -1, FALSE, TRUE },
    { "server lost: libesmtp hears 421 (221 to QUIT) from the relay", NULL,
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 3\r\nabc", "S:250 ok\r\n", "L:",
        "C:BDAT 0 LAST\r\nQUIT\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 3\r\nabc",
      HELLO_C "250 ok\r\n"
      "421 4.4.2 postie relay: no connection to the server any more\r\n"
      "421 4.4.2 postie relay: no connection to the server any more\r\n"
      "221 2.0.0 postie relay: closing\r\n", 0, FALSE, FALSE },
    { "STARTTLS is never relayed", NULL,
      { HELLO, "C:STARTTLS\r\n" }, HELLO_S, HELLO_C, -1, FALSE, TRUE },
};

static void
test_relay_watch(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(watch_cases); i++) {
        const WatchCase *c = &watch_cases[i];
        RelayWatch *w = relay_watch_new("TOK", "host", c->auth_only);
        g_autoptr(GString) srv = g_string_new(NULL);
        g_autoptr(GString) cli = g_string_new(NULL);
        gboolean ok = TRUE;
        for (int k = 0; ok && k < 12 && c->steps[k]; k++) {
            const char *d = c->steps[k] + 2;
            if (c->steps[k][0] == 'L') {
                /* as relay.c does: nothing more goes to the server */
                g_string_append_len(srv, relay_watch_to_server(w)->str,
                                    (gssize)relay_watch_to_server(w)->len);
                g_string_truncate(relay_watch_to_server(w), 0);
                relay_watch_upstream_lost(w);
            } else {
                ok = c->steps[k][0] == 'C' ? relay_watch_client(w, d, strlen(d))
                                           : relay_watch_server(w, d, strlen(d));
            }
            g_string_append_len(srv, relay_watch_to_server(w)->str,
                                (gssize)relay_watch_to_server(w)->len);
            g_string_append_len(cli, relay_watch_to_client(w)->str,
                                (gssize)relay_watch_to_client(w)->len);
            g_string_truncate(relay_watch_to_server(w), 0);
            g_string_truncate(relay_watch_to_client(w), 0);
        }
        g_test_message("%s", c->name);
        g_assert_cmpint(!ok, ==, c->error);
        if (!c->error || srv->len)
            g_assert_cmpstr(srv->str, ==, c->to_server);
        g_assert_cmpstr(cli->str, ==, c->to_client);
        GPtrArray *t = relay_watch_txns(w);
        if (c->final_code < 0) {
            g_assert_cmpuint(t->len, ==, 0);
        } else {
            g_assert_cmpuint(t->len, >=, 1);
            RelayTxn *x = t->pdata[0];
            g_assert_cmpstr(x->reverse_path, ==, "a@b");
            g_assert_cmpint(x->final_code, ==, c->final_code);
            g_assert_cmpint(x->final_seen, ==, c->final_seen);
        }
        relay_watch_free(w);
    }
}

/* The client strings of postie's XOAUTH2 / OAUTHBEARER plugins, and the
 * limit of libesmtp 1.1's 2048-byte base64 buffer. */
static void
test_oauth_sasl(void)
{
    static const struct {
        const char *mech, *user, *host, *port, *token;
        const char *want;   /* NULL: refused */
    } cases[] = {
        { "x", "alice@example.org", NULL, NULL, "tok",
          "user=alice@example.org\001auth=Bearer tok\001\001" },
        { "o", "alice@example.org", "smtp.example", "587", "tok",
          "n,a=alice@example.org,\001host=smtp.example\001port=587\001auth=Bearer tok\001\001" },
        { "o", "a,b=c", "h", "25", "t", "n,a=a=2Cb=3Dc,\001host=h\001port=25\001auth=Bearer t\001\001" },
        { "x", "alice", NULL, NULL, "to\001ken", NULL },
        { "x", "ali\r\nce", NULL, NULL, "token", NULL },
        { "x", "alice", NULL, NULL, "", NULL },
        { "o", "alice", "h\n", "25", "t", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char buf[POSTIE_SASL_MAX_RESPONSE + 1];
        int n = cases[i].mech[0] == 'x'
                    ? oauth_sasl_xoauth2(buf, sizeof buf, cases[i].user, cases[i].token)
                    : oauth_sasl_oauthbearer(buf, sizeof buf, cases[i].user,
                                             cases[i].host, cases[i].port,
                                             cases[i].token);
        if (!cases[i].want) {
            g_assert_cmpint(n, ==, -1);
            continue;
        }
        g_assert_cmpint(n, ==, (int)strlen(cases[i].want));
        g_assert_cmpmem(buf, n, cases[i].want, strlen(cases[i].want));
    }
    /* The longest token that fits: 1533 bytes in all, not one more. */
    char buf[POSTIE_SASL_MAX_RESPONSE + 1];
    gsize room = POSTIE_SASL_MAX_RESPONSE - strlen("user=u\001auth=Bearer \001\001");
    g_autofree char *tok = g_strnfill(room, 'A');
    g_assert_cmpint(oauth_sasl_xoauth2(buf, sizeof buf, "u", tok), ==,
                    POSTIE_SASL_MAX_RESPONSE);
    g_autofree char *longer = g_strnfill(room + 1, 'A');
    g_assert_cmpint(oauth_sasl_xoauth2(buf, sizeof buf, "u", longer), ==, -1);
    /* The 512-octet AUTH line: "AUTH XOAUTH2 " + base64 + CRLF. */
    g_assert_true(oauth_sasl_fits_auth_line("XOAUTH2", 372));
    g_assert_false(oauth_sasl_fits_auth_line("XOAUTH2", 373));
    g_assert_true(oauth_sasl_fits_auth_line("OAUTHBEARER", 369));
    g_assert_false(oauth_sasl_fits_auth_line("OAUTHBEARER", 370));
    /* libesmtp's own check: 4 * ceil(n / 3) + 1 <= 2048. */
    g_assert_cmpint(4 * ((POSTIE_SASL_MAX_RESPONSE + 2) / 3) + 1, <=, 2048);
    g_assert_cmpint(4 * ((POSTIE_SASL_MAX_RESPONSE + 3) / 3) + 1, >, 2048);
}

int
main(int argc, char **argv)
{
    g_mime_init();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/send/header-get", test_header_get);
    g_test_add_func("/send/copies", test_copies);
    g_test_add_func("/send/crlf", test_crlf);
    g_test_add_func("/send/envelope", test_envelope);
    g_test_add_func("/send/encode-7bit", test_encode_7bit);
    g_test_add_func("/send/encode-7bit-bodiless-part", test_encode_7bit_bodiless_part);
    g_test_add_func("/send/encode-headers", test_encode_headers);
    g_test_add_func("/send/message-id", test_message_id);
    g_test_add_func("/send/recorded-error", test_recorded_error);
    g_test_add_func("/send/cancel", test_cancel);
    g_test_add_func("/send/relay-watch", test_relay_watch);
    g_test_add_func("/send/oauth-sasl", test_oauth_sasl);
    int rc = g_test_run();
    g_mime_shutdown();
    return rc;
}
