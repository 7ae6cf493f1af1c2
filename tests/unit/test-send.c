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
    /* An IDN domain needs no SMTPUTF8: it goes in ASCII. */
    { "To: Bob <bob@b\xc3\xbc" "cher.example>, a@xn--bcher-kva.example\n\n", "me@home.org",
      "bob@xn--bcher-kva.example,a@xn--bcher-kva.example" },
    { "X-Postie-Envelope-From: me@b\xc3\xbc" "cher.example\nTo: a@x.org\n\n",
      "me@xn--bcher-kva.example", "a@x.org" },
    { "X-Postie-Envelope-From: m\xc3\xa9@x.org\nTo: a@x.org\n\n", NULL, NULL },
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
    const char *steps[12];    /* "C:" from libesmtp, "S:" from the server,
                               * "L:" the server's connection lost */
    const char *to_server;    /* everything passed on to the server */
    const char *to_client;    /* everything passed on to libesmtp */
    int final_code;           /* of the first transaction; -1: none */
    gboolean final_seen;
    gboolean error;
} WatchCase;

/* libesmtp's EHLO is answered by the relay: the server had postie's. */
#define EHLO_REPLY "250-x\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
#define HELLO "C:EHLO TOK\r\n"
#define HELLO_S ""
#define HELLO_C EHLO_REPLY

static const WatchCase watch_cases[] = {
    { "HELO gets the greeting line", { "C:HELO TOK\r\n" }, "", "250 x\r\n",
      -1, FALSE, FALSE },
    { "AUTH from libesmtp is answered here, never sent on",
      { HELLO, "C:AUTH PLAIN AGFiAGM=\r\nNOOP\r\n", "S:250 ok\r\n" },
      HELLO_S "NOOP\r\n",
      HELLO_C "503 5.5.1 postie relay: already logged in\r\n250 ok\r\n",
      -1, FALSE, FALSE },
    { "AUTH waits for the replies before it",
      { HELLO, "C:NOOP\r\nAUTH LOGIN\r\n", "S:250 ok\r\n" },
      HELLO_S "NOOP\r\n",
      HELLO_C "250 ok\r\n503 5.5.1 postie relay: already logged in\r\n",
      -1, FALSE, FALSE },
    { "not ours", { "C:EHLO guess\r\n" }, "", "", -1, FALSE, TRUE },
    { "not ours: MAIL first", { "C:MAIL FROM:<a@b>\r\n" }, "", "", -1, FALSE, TRUE },
    { "EHLO answered here, nothing to the server", { HELLO }, HELLO_S, HELLO_C, -1, FALSE, FALSE },
    { "BDAT: a 250 to a middle chunk accepts nothing",
      { HELLO, "C:MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhello",
        "S:250 ok\r\n250 ok\r\n250 5 bytes\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhello",
      HELLO_C "250 ok\r\n250 ok\r\n250 5 bytes\r\n", 0, FALSE, FALSE },
    { "BDAT: the reply to LAST does",
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 3\r\nabcBDAT 0 LAST\r\n",
        "S:250 ok\r\n250 3\r\n", "S:250 queued\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 3\r\nabcBDAT 0 LAST\r\n",
      HELLO_C "250 ok\r\n250 3\r\n250 queued\r\n", 250, TRUE, FALSE },
    { "BDAT: chunk bytes that look like commands are data",
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 13\r\nBDAT 9 LAST\r\n", "C:BDAT 0 LAST\r\n",
        "S:250 ok\r\n250 13\r\n451 later\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 13\r\nBDAT 9 LAST\r\nBDAT 0 LAST\r\n",
      HELLO_C "250 ok\r\n250 13\r\n451 later\r\n", 451, TRUE, FALSE },
    { "BDAT: after a refused chunk the rest stays here",
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 2\r\nab", "S:250 ok\r\n552 too big\r\n",
        "C:BDAT 2\r\ncdBDAT 0 LAST\r\n", "C:RSET\r\n", "S:250 reset\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 2\r\nabRSET\r\n",
      HELLO_C "250 ok\r\n552 too big\r\n"
      "552 postie relay: not sent on, the server refused an earlier chunk\r\n"
      "552 postie relay: not sent on, the server refused an earlier chunk\r\n"
      "250 reset\r\n", 552, FALSE, FALSE },
    { "DATA: only the reply after the final dot",
      { HELLO, "C:MAIL FROM:<a@b>\r\nDATA\r\n", "S:250 ok\r\n354 go\r\n",
        "C:x\r\n..\r\n.x\r\nQUIT\r\n", "C:.\r\nQUIT\r\n", "S:250 queued\r\n221 bye\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nDATA\r\nx\r\n..\r\n.x\r\nQUIT\r\n.\r\nQUIT\r\n",
      HELLO_C "250 ok\r\n354 go\r\n250 queued\r\n221 bye\r\n", 250, TRUE, FALSE },
    { "DATA: cut before the final reply",
      { HELLO, "C:MAIL FROM:<a@b>\r\nDATA\r\n", "S:250 ok\r\n354 go\r\n",
        "C:x\r\n.\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nDATA\r\nx\r\n.\r\n",
      HELLO_C "250 ok\r\n354 go\r\n", 0, FALSE, FALSE },
    { "a malformed reply stops the session",
      { HELLO, "C:NOOP\r\n", "S:hello there\r\n" },
      HELLO_S "NOOP\r\n", HELLO_C, -1, FALSE, TRUE },
    { "server lost: libesmtp hears 421 (221 to QUIT) from the relay",
      { HELLO, "C:MAIL FROM:<a@b>\r\nBDAT 3\r\nabc", "S:250 ok\r\n", "L:",
        "C:BDAT 0 LAST\r\nQUIT\r\n" },
      HELLO_S "MAIL FROM:<a@b>\r\nBDAT 3\r\nabc",
      HELLO_C "250 ok\r\n"
      "421 4.4.2 postie relay: no connection to the server any more\r\n"
      "421 4.4.2 postie relay: no connection to the server any more\r\n"
      "221 2.0.0 postie relay: closing\r\n", 0, FALSE, FALSE },
    { "STARTTLS is never relayed",
      { HELLO, "C:STARTTLS\r\n" }, HELLO_S, HELLO_C, -1, FALSE, TRUE },
};

static void
test_relay_watch(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(watch_cases); i++) {
        const WatchCase *c = &watch_cases[i];
        RelayWatch *w = relay_watch_new("TOK", EHLO_REPLY);
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

/* ---- sasl.c: the SASL messages ---------------------------------------- */

static char *
b64(const char *raw, gsize n)
{
    return g_base64_encode((const guchar *)raw, n);
}

static void
test_sasl_initial(void)
{
    static const struct {
        SmtpMech m;
        const char *user, *secret, *host;
        guint16 port;
        const char *raw;    /* decoded initial response; NULL: none */
        gsize raw_len;      /* 0: strlen(raw) */
    } cases[] = {
        { SMTP_MECH_PLAIN, "alice", "pw", NULL, 0, "\0alice\0pw", 9 },
        { SMTP_MECH_XOAUTH2, "alice@example.org", "tok", NULL, 0,
          "user=alice@example.org\001auth=Bearer tok\001\001", 0 },
        { SMTP_MECH_OAUTHBEARER, "alice@example.org", "tok", "smtp.example", 587,
          "n,a=alice@example.org,\001host=smtp.example\001port=587\001auth=Bearer tok\001\001", 0 },
        { SMTP_MECH_OAUTHBEARER, "a,b=c", "t", "h", 25,
          "n,a=a=2Cb=3Dc,\001host=h\001port=25\001auth=Bearer t\001\001", 0 },
        /* the server speaks first */
        { SMTP_MECH_LOGIN, "alice", "pw", NULL, 0, NULL, 0 },
        { SMTP_MECH_CRAM_MD5, "alice", "pw", NULL, 0, NULL, 0 },
        /* refused: would break the line or the format */
        { SMTP_MECH_XOAUTH2, "alice", "to\001ken", NULL, 0, NULL, 0 },
        { SMTP_MECH_XOAUTH2, "ali\r\nce", "token", NULL, 0, NULL, 0 },
        { SMTP_MECH_PLAIN, "alice", "p\nw", NULL, 0, NULL, 0 },
        { SMTP_MECH_PLAIN, "alice", "", NULL, 0, NULL, 0 },
        { SMTP_MECH_OAUTHBEARER, "alice", "t", "h\n", 25, NULL, 0 },
        { SMTP_MECH_OAUTHBEARER, "alice", "t", NULL, 25, NULL, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        SaslCreds c = { cases[i].user, cases[i].secret, cases[i].host, cases[i].port };
        g_autofree char *got = sasl_initial(cases[i].m, &c);
        g_test_message("case %zu", i);
        if (!cases[i].raw) {
            g_assert_null(got);
            continue;
        }
        gsize n = cases[i].raw_len ? cases[i].raw_len : strlen(cases[i].raw);
        g_autofree char *want = b64(cases[i].raw, n);
        g_assert_cmpstr(got, ==, want);
    }
    /* Any length: a 3,000-byte token (libesmtp 1.1 stopped at 1533). */
    g_autofree char *tok = g_strnfill(3000, 'x');
    SaslCreds c = { "u", tok, "h", 587 };
    g_autofree char *got = sasl_initial(SMTP_MECH_XOAUTH2, &c);
    gsize n = 0;
    g_autofree guchar *raw = g_base64_decode(got, &n);
    g_assert_cmpuint(n, ==, 3000 + strlen("user=u\001auth=Bearer \001\001"));
}

static void
test_sasl_answer(void)
{
    static const struct {
        SmtpMech m;
        guint step;
        const char *user, *secret, *challenge;
        const char *want;   /* base64; NULL: cancel */
    } cases[] = {
        { SMTP_MECH_LOGIN, 0, "alice", "pw", "VXNlcm5hbWU6", "YWxpY2U=" },
        { SMTP_MECH_LOGIN, 1, "alice", "pw", "UGFzc3dvcmQ6", "cHc=" },
        { SMTP_MECH_LOGIN, 2, "alice", "pw", "", NULL },
        /* RFC 2195's example */
        { SMTP_MECH_CRAM_MD5, 0, "tim", "tanstaaftanstaaf",
          "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
          "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw" },
        { SMTP_MECH_CRAM_MD5, 0, "tim", "x", "not base64!", NULL },
        { SMTP_MECH_CRAM_MD5, 0, "tim", "x", "", NULL },
        { SMTP_MECH_CRAM_MD5, 1, "tim", "x", "PDE+", NULL },
        /* the OAuth error challenge: empty line, or %x01 (RFC 7628) */
        { SMTP_MECH_XOAUTH2, 0, "alice", "tok", "eyJzdGF0dXMiOiI0MDEifQ==", "" },
        { SMTP_MECH_OAUTHBEARER, 0, "alice", "tok", "eyJzdGF0dXMiOiI0MDEifQ==", "AQ==" },
        { SMTP_MECH_PLAIN, 0, "alice", "pw", "", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        SaslCreds c = { cases[i].user, cases[i].secret, "h", 25 };
        g_autofree char *got = sasl_answer(cases[i].m, &c, cases[i].step,
                                           cases[i].challenge);
        g_test_message("case %zu", i);
        g_assert_cmpstr(got, ==, cases[i].want);
    }
}

static void
test_sasl_command(void)
{
    /* "AUTH XOAUTH2 " + base64 + CRLF within 512 octets, else alone. */
    g_autofree char *fits = g_strnfill(512 - strlen("AUTH XOAUTH2 \r\n"), 'A');
    g_autofree char *over = g_strnfill(512 - strlen("AUTH XOAUTH2 \r\n") + 1, 'A');
    static const struct {
        SmtpMech m;
        int initial;        /* 0: none, 1: "abc", 2: fits, 3: one over, 4: "" */
        const char *want;   /* NULL: "AUTH MECH " + initial */
        gboolean on_line;
    } cases[] = {
        { SMTP_MECH_PLAIN, 1, "AUTH PLAIN abc", TRUE },
        { SMTP_MECH_LOGIN, 0, "AUTH LOGIN", FALSE },
        { SMTP_MECH_CRAM_MD5, 0, "AUTH CRAM-MD5", FALSE },
        { SMTP_MECH_XOAUTH2, 2, NULL, TRUE },
        { SMTP_MECH_XOAUTH2, 3, "AUTH XOAUTH2", FALSE },
        { SMTP_MECH_OAUTHBEARER, 4, "AUTH OAUTHBEARER =", TRUE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *ini = cases[i].initial == 1 ? "abc" : cases[i].initial == 2 ? fits
                        : cases[i].initial == 3 ? over : cases[i].initial == 4 ? "" : NULL;
        gboolean on_line = !cases[i].on_line;
        g_autofree char *got = sasl_auth_command(cases[i].m, ini, &on_line);
        g_autofree char *want = cases[i].want ? g_strdup(cases[i].want)
                                              : g_strconcat("AUTH XOAUTH2 ", ini, NULL);
        g_test_message("case %zu", i);
        g_assert_cmpstr(got, ==, want);
        g_assert_cmpint(on_line, ==, cases[i].on_line);
        g_assert_cmpuint(strlen(got) + 2, <=, SMTP_COMMAND_LINE_MAX);
    }
}

static void
test_sasl_pick(void)
{
    enum { PW = 1 << SMTP_MECH_PLAIN | 1 << SMTP_MECH_LOGIN,
           OAUTH = 1 << SMTP_MECH_XOAUTH2 | 1 << SMTP_MECH_OAUTHBEARER };
    static const struct {
        guint wanted;
        const char *offered;   /* the EHLO AUTH list, in the server's order */
        SmtpMech want;
    } cases[] = {
        { PW, "CRAM-MD5 LOGIN PLAIN", SMTP_MECH_LOGIN },
        { PW, "plain login", SMTP_MECH_PLAIN },
        { PW, "CRAM-MD5 XOAUTH2", SMTP_MECH_NONE },
        { PW, NULL, SMTP_MECH_NONE },
        { PW, "", SMTP_MECH_NONE },
        { OAUTH, "LOGIN OAUTHBEARER PLAIN XOAUTH2", SMTP_MECH_OAUTHBEARER },
        { 1 << SMTP_MECH_XOAUTH2, "LOGIN OAUTHBEARER PLAIN XOAUTH2", SMTP_MECH_XOAUTH2 },
        { 1 << SMTP_MECH_CRAM_MD5, "PLAIN  CRAM-MD5", SMTP_MECH_CRAM_MD5 },
        { 0, "PLAIN", SMTP_MECH_NONE },
        { OAUTH, "XOAUTH", SMTP_MECH_NONE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_test_message("case %zu", i);
        g_assert_cmpint(smtp_mech_pick(cases[i].wanted, cases[i].offered), ==,
                        cases[i].want);
    }
}

static void
test_sasl_oauth_error(void)
{
    static const struct {
        const char *json;   /* encoded below; NULL: CHALLENGE as it is */
        const char *challenge;
        const char *want;
    } cases[] = {
        { "{\"status\":\"invalid_token\",\"schemes\":\"bearer\"}", NULL, "invalid_token" },
        { "{\"status\":\"401\",\"schemes\":\"bearer mac\",\"scope\":\"https://mail.google.com/\"}",
          NULL, "401" },
        { "{\"status\":400}", NULL, "400" },
        { "{\"status\":\"bad\\u001b[31m\"}", NULL, "bad^[[31m" },
        { "{\"schemes\":\"bearer\"}", NULL, NULL },
        { "[\"status\"]", NULL, NULL },
        { "{\"status\":{}}", NULL, NULL },
        { "not json", NULL, NULL },
        { NULL, "", NULL },
        { NULL, "!!!!", NULL },
        { NULL, "eyJzdGF0dXMiOiI0MDEifQ", NULL },   /* unpadded */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *ch = cases[i].json ? b64(cases[i].json, strlen(cases[i].json))
                                            : g_strdup(cases[i].challenge);
        g_autofree char *got = sasl_oauth_error(ch);
        g_test_message("case %zu: %s", i, ch);
        g_assert_cmpstr(got, ==, cases[i].want);
    }
}

/* ---- reply.c: replies read by postie --------------------------------- */

static void
test_smtp_reply(void)
{
    static const struct {
        const char *lines[6];
        int result;         /* of the last line fed */
        int code;
        const char *last;
    } cases[] = {
        { { "250 ok" }, 1, 250, "ok" },
        { { "334 " }, 1, 334, "" },
        { { "334" }, 1, 334, "" },
        { { "250-a", "250-b", "250 c" }, 1, 250, "c" },
        { { "250-a" }, 0, 0, "a" },
        { { "25 short" }, -1, 0, "" },
        { { "abc def" }, -1, 0, "" },
        { { "250_x" }, -1, 0, "" },
        { { "250-a", "hello" }, -1, 0, "a" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        SmtpReply r = { 0 };
        int res = 0;
        for (int k = 0; k < 6 && cases[i].lines[k]; k++) {
            g_autoptr(GError) e = NULL;
            res = smtp_reply_add_line(&r, cases[i].lines[k], strlen(cases[i].lines[k]),
                                      "h", &e);
            g_assert_true((res < 0) == (e != NULL));
            if (res < 0) {
                g_assert_true(strstr(e->message, "h sent"));
                break;
            }
        }
        g_test_message("case %zu", i);
        g_assert_cmpint(res, ==, cases[i].result);
        g_assert_cmpint(r.code, ==, cases[i].code);
        g_assert_cmpstr(smtp_reply_last(&r), ==, cases[i].last);
        smtp_reply_clear(&r);
    }
    /* Bounded: an endless reply is an error, not memory. */
    SmtpReply r = { 0 };
    int res = 0;
    g_autoptr(GError) e = NULL;
    for (int k = 0; k < 2000 && res == 0; k++)
        res = smtp_reply_add_line(&r, "250-more", 8, "h", &e);
    g_assert_cmpint(res, ==, -1);
    g_assert_true(strstr(e->message, "endless"));
    smtp_reply_clear(&r);
}

static void
test_smtp_ehlo(void)
{
    static const struct {
        const char *lines[6];
        const char *auth;
        gboolean starttls;
        const char *client;
    } cases[] = {
        { { "250-mx.example", "250-PIPELINING", "250-AUTH PLAIN LOGIN", "250-STARTTLS",
            "250 8BITMIME" }, "PLAIN LOGIN", TRUE,
          "250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n" },
        { { "250-mx", "250-AUTH=LOGIN", "250 AUTH LOGIN XOAUTH2" }, "LOGIN LOGIN XOAUTH2",
          FALSE, "250 mx\r\n" },
        { { "250 mx" }, NULL, FALSE, "250 mx\r\n" },
        /* the greeting line is not a keyword */
        { { "250-AUTH PLAIN", "250 SIZE 10" }, NULL, FALSE,
          "250-AUTH PLAIN\r\n250 SIZE 10\r\n" },
        { { "250-mx", "250 AUTHX PLAIN" }, NULL, FALSE, "250-mx\r\n250 AUTHX PLAIN\r\n" },
        { { "250-mx", "250 STARTTLS" }, NULL, TRUE, "250 mx\r\n" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        SmtpReply r = { 0 };
        for (int k = 0; k < 6 && cases[i].lines[k]; k++)
            g_assert_cmpint(smtp_reply_add_line(&r, cases[i].lines[k],
                                                strlen(cases[i].lines[k]), "h", NULL),
                            >=, 0);
        g_autofree char *auth = smtp_ehlo_auth(&r);
        g_autofree char *client = smtp_ehlo_for_client(&r);
        g_test_message("case %zu", i);
        g_assert_cmpstr(auth, ==, cases[i].auth);
        g_assert_cmpint(smtp_ehlo_has(&r, "STARTTLS"), ==, cases[i].starttls);
        g_assert_cmpstr(client, ==, cases[i].client);
        smtp_reply_clear(&r);
    }
}

/* ---- auth.c: which mechanisms smtp_auth allows ------------------------ */

static void
test_login_wanted(void)
{
    const guint pw = SMTP_MECH_BIT(SMTP_MECH_PLAIN) | SMTP_MECH_BIT(SMTP_MECH_LOGIN);
    const guint oauth = SMTP_MECH_BIT(SMTP_MECH_XOAUTH2) |
                        SMTP_MECH_BIT(SMTP_MECH_OAUTHBEARER);
    static const struct {
        const char *auth;
        gboolean password, token;
        int want;           /* -1: pw, -2: oauth, else bits */
        gboolean oauth;
    } cases[] = {
        { "auto", TRUE, FALSE, -1, FALSE },
        { NULL, TRUE, FALSE, -1, FALSE },
        { "auto", FALSE, FALSE, 0, FALSE },
        { "auto", TRUE, TRUE, -2, TRUE },      /* the token, never the password */
        { "auto", FALSE, TRUE, -2, TRUE },
        { "none", TRUE, TRUE, 0, FALSE },
        { "plain", TRUE, TRUE, 1 << SMTP_MECH_PLAIN, FALSE },
        { "login", TRUE, FALSE, 1 << SMTP_MECH_LOGIN, FALSE },
        { "cram-md5", TRUE, FALSE, 1 << SMTP_MECH_CRAM_MD5, FALSE },
        { "xoauth2", FALSE, TRUE, 1 << SMTP_MECH_XOAUTH2, TRUE },
        { "oauthbearer", FALSE, TRUE, 1 << SMTP_MECH_OAUTHBEARER, TRUE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Account a = { 0 };
        a.id = (char *)"t";
        a.smtp.auth = (char *)cases[i].auth;
        a.smtp.password = cases[i].password;
        a.oauth_token_command = cases[i].token ? (char *)"cat tok" : NULL;
        gboolean is_oauth = !cases[i].oauth;
        guint want = cases[i].want == -1 ? pw : cases[i].want == -2 ? oauth
                                                                     : (guint)cases[i].want;
        g_test_message("case %zu", i);
        g_assert_cmpuint(smtp_login_wanted(&a, &is_oauth), ==, want);
        if (want)
            g_assert_cmpint(is_oauth, ==, cases[i].oauth);
    }
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
    g_test_add_func("/send/sasl-initial", test_sasl_initial);
    g_test_add_func("/send/sasl-answer", test_sasl_answer);
    g_test_add_func("/send/sasl-command", test_sasl_command);
    g_test_add_func("/send/sasl-pick", test_sasl_pick);
    g_test_add_func("/send/sasl-oauth-error", test_sasl_oauth_error);
    g_test_add_func("/send/smtp-reply", test_smtp_reply);
    g_test_add_func("/send/smtp-ehlo", test_smtp_ehlo);
    g_test_add_func("/send/login-wanted", test_login_wanted);
    int rc = g_test_run();
    g_mime_shutdown();
    return rc;
}
