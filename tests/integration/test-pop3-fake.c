/* POP3 client against scripted misbehaving servers: garbage, huge lines,
 * drops mid-message, response codes, odd UIDs, the STLS policy, IPv6,
 * timeouts.  Needs no external server (certificates from CERT_DIR, made
 * by tests/servers/mkcerts.sh, for the TLS cases). */
#include <config.h>

#include <signal.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "fakepop3.h"
#include "pop3/pop3.h"
#include "util/util.h"

#define CAPA_BASIC "+OK\r\nUSER\r\nUIDL\r\nTOP\r\n.\r\n"

static Pop3Options
opts(guint16 port, Security sec)
{
    Pop3Options o = { 0 };
    o.host = "127.0.0.1";
    o.port = port;
    o.security = sec;
    o.timeout = 20;
    return o;
}

static FakeServer *
basic_server(const char *capa)
{
    FakeServer *fs = fake_new("+OK fake ready\r\n", 16, FALSE);
    fake_rule(fs, "CAPA", capa ? capa : CAPA_BASIC, 0);
    fake_rule(fs, "USER", "+OK\r\n", 0);
    fake_rule(fs, "PASS", "+OK logged in\r\n", 0);
    fake_rule(fs, "QUIT", "+OK bye\r\n", FAKE_CLOSE);
    fake_rule(fs, "NOOP", "+OK\r\n", 0);
    return fs;
}

/* Connect and log in with USER/PASS in the clear (allowed here). */
static Pop3Session *
login(guint16 port, GError **error)
{
    Pop3Options o = opts(port, SECURITY_NONE);
    Pop3Session *s = pop3_open(&o, error);
    if (s && !pop3_auth(s, POP3_AUTH_USER, "u", "p", TRUE, error))
        g_clear_pointer(&s, pop3_session_free);
    return s;
}

typedef struct {
    guint calls;
    GPtrArray *got;
    guint fail_at;      /* 0: never */
} Collect;

static gboolean
collect(guint num, const char *data, gsize len, gpointer user_data,
        GError **error)
{
    Collect *c = user_data;
    c->calls++;
    g_assert_cmpuint(strlen(data), ==, len);
    if (c->got)
        g_ptr_array_add(c->got, g_strdup(data));
    if (c->fail_at && c->calls == c->fail_at) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOSPACE, "disk full (test)");
        return FALSE;
    }
    return TRUE;
}

static void
test_garbage_greeting(void)
{
    const char *g = "HTTP/1.0 400 Bad Request\r\n\x1b[2Jjunk\r\n";
    FakeServer *fs = fake_new(g, strlen(g), FALSE);
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_null(s);
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_assert_nonnull(strstr(e->message, "does not look like a POP3 server"));
    g_free(fake_finish(fs));
}

static void
test_huge_greeting(void)
{
    gsize n = 1024 * 1024;
    g_autoptr(GString) g = g_string_new("+OK ");
    for (gsize i = 0; i < n; i++)
        g_string_append_c(g, 'A');
    g_string_append(g, "\r\n");
    FakeServer *fs = fake_new(g->str, g->len, FALSE);
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_assert_nonnull(strstr(e->message, "line longer than"));
    g_free(fake_finish(fs));
}

static void
test_huge_uidl_line(void)
{
    FakeServer *fs = basic_server(NULL);
    fake_rule(fs, "STAT", "+OK 1 100\r\n", 0);
    fake_rule(fs, "LIST", "+OK\r\n1 100\r\n.\r\n", 0);
    g_autoptr(GString) u = g_string_new("+OK\r\n1 ");
    for (int i = 0; i < 1024 * 1024; i++)
        g_string_append_c(u, 'x');
    g_string_append(u, "\r\n.\r\n");
    fake_rule_len(fs, "UIDL", u->str, u->len, 0, FALSE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    g_assert_no_error(e);
    GPtrArray *m = pop3_scan(s, NULL, &e);
    g_assert_null(m);
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    /* Over the line limit, or first over what one message's UID needs. */
    g_assert_true(strstr(e->message, "line longer than")
                  || strstr(e->message, "reply larger than"));
    g_assert_true(pop3_is_broken(s));
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_drop_mid_retr(void)
{
    FakeServer *fs = basic_server(NULL);
    fake_rule(fs, "RETR 1", "+OK\r\nSubject: one\r\n\r\nbody one\r\n.\r\n", 0);
    fake_rule(fs, "RETR 2", "+OK\r\nSubject: two\r\n\r\nhalf a bo", FAKE_CLOSE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    g_assert_no_error(e);
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
    Collect c = { 0, got, 0 };
    guint nums[] = { 1, 2, 3 };
    g_assert_false(pop3_retr_many(s, nums, 3, collect, &c, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
    g_assert_nonnull(strstr(e->message, "message 2"));
    g_assert_cmpuint(c.calls, ==, 1);       /* message 1 only, never half of 2 */
    g_assert_cmpstr(g_ptr_array_index(got, 0), ==, "Subject: one\n\nbody one\n");
    g_assert_true(pop3_is_broken(s));
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_missing_terminator(void)
{
    FakeServer *fs = basic_server(NULL);
    /* The whole message, but the server closes before the "." line. */
    fake_rule(fs, "RETR 1", "+OK\r\nSubject: x\r\n\r\nbody\r\n", FAKE_CLOSE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    Collect c = { 0 };
    guint one = 1;
    g_assert_false(pop3_retr_many(s, &one, 1, collect, &c, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
    g_assert_cmpuint(c.calls, ==, 0);
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

typedef struct {
    const char *reply;
    int code;
    const char *in_message;
} CodeCase;

static void
test_resp_codes(void)
{
    static const CodeCase cases[] = {
        { "-ERR [IN-USE] Mailbox locked by another session\r\n",
          POSTIE_ERROR_TEMPORARY, "in use by another session" },
        { "-ERR [LOGIN-DELAY] Wait 5 minutes\r\n",
          POSTIE_ERROR_TEMPORARY, "try again later" },
        { "-ERR [SYS/TEMP] Disk trouble\r\n",
          POSTIE_ERROR_TEMPORARY, "temporary problem" },
        { "-ERR [SYS/PERM] Account closed\r\n",
          POSTIE_ERROR_PROTOCOL, "permanent problem" },
        { "-ERR [AUTH] Authentication failed\r\n",
          POSTIE_ERROR_AUTH, "not accepted" },
        { "-ERR no\x1b[31m way\r\n", POSTIE_ERROR_AUTH, "server said: no^[[31m way" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        FakeServer *fs = fake_new("+OK fake\r\n", 10, FALSE);
        fake_rule(fs, "CAPA", "+OK\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n.\r\n", 0);
        fake_rule(fs, "USER", "+OK\r\n", 0);
        fake_rule(fs, "PASS", cases[i].reply, 0);
        Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
        g_autoptr(GError) e = NULL;
        Pop3Session *s = pop3_open(&o, &e);
        g_assert_no_error(e);
        g_assert_false(pop3_auth(s, POP3_AUTH_USER, "u", "p", TRUE, &e));
        g_assert_error(e, POSTIE_ERROR, cases[i].code);
        g_test_message("%s", e->message);
        g_assert_nonnull(strstr(e->message, cases[i].in_message));
        g_assert_null(strchr(e->message, '\x1b'));
        g_assert_false(pop3_is_broken(s));
        pop3_session_free(s);
        g_free(fake_finish(fs));
    }
}

static void
test_uidl_odd(void)
{
    FakeServer *fs = basic_server(NULL);
    fake_rule(fs, "STAT", "+OK 6 600\r\n", 0);
    fake_rule(fs, "LIST", "+OK\r\n1 100\r\n2 100\r\n3 100\r\n4 100\r\n5 100\r\n6 100\r\n.\r\n", 0);
    fake_rule(fs, "UIDL",
              "+OK\r\n1 good-1\r\n2 has space\r\n3 dup\r\n4 esc\x1b]0;x\x07\r\n"
              "5 dup\r\n6 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n.\r\n", 0);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    gboolean has_uidl = FALSE;
    g_autoptr(GPtrArray) m = pop3_scan(s, &has_uidl, &e);
    g_assert_no_error(e);
    g_assert_true(has_uidl);
    g_assert_cmpuint(m->len, ==, 6);
    Pop3Message *x[6];
    for (int i = 0; i < 6; i++)
        x[i] = g_ptr_array_index(m, i);
    g_assert_cmpstr(x[0]->uid, ==, "good-1");
    g_assert_false(x[0]->uid_invalid || x[0]->uid_duplicate);
    g_assert_true(x[1]->uid_invalid && !x[1]->uid);
    g_assert_true(x[2]->uid_duplicate && x[4]->uid_duplicate);
    g_assert_cmpstr(x[2]->uid, ==, "dup");
    g_assert_true(x[3]->uid_invalid && !x[3]->uid);
    g_assert_true(x[5]->uid_invalid);
    g_assert_cmpuint(x[5]->size, ==, 100);
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_bad_list(void)
{
    static const char *lists[] = {
        "+OK\r\n1 100\r\n7 100\r\n.\r\n",          /* beyond STAT's count */
        "+OK\r\n1 1x\r\n.\r\n",
        "+OK\r\n1 100\r\n",                         /* then closed */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
        FakeServer *fs = basic_server(NULL);
        fake_rule(fs, "STAT", "+OK 2 200\r\n", 0);
        fake_rule(fs, "LIST", lists[i], i == 2 ? FAKE_CLOSE : 0);
        g_autoptr(GError) e = NULL;
        Pop3Session *s = login(fake_start(fs), &e);
        g_assert_null(pop3_scan(s, NULL, &e));
        g_assert_nonnull(e);
        g_assert_true(e->code == POSTIE_ERROR_PROTOCOL || e->code == POSTIE_ERROR_NET);
        pop3_session_free(s);
        g_free(fake_finish(fs));
    }
}

static void
test_endless_list(void)
{
    FakeServer *fs = basic_server(NULL);
    fake_rule(fs, "STAT", "+OK 2 200\r\n", 0);
    g_autoptr(GString) l = g_string_new("+OK\r\n");
    for (int i = 0; i < 200000; i++)
        g_string_append(l, "1 100\r\n");
    g_string_append(l, ".\r\n");
    fake_rule_len(fs, "LIST", l->str, l->len, 0, FALSE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    g_assert_null(pop3_scan(s, NULL, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_assert_nonnull(strstr(e->message, "larger than"));
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_no_uidl(void)
{
    FakeServer *fs = basic_server("+OK\r\nUSER\r\n.\r\n");
    fake_rule(fs, "STAT", "+OK 1 10\r\n", 0);
    fake_rule(fs, "LIST", "+OK\r\n1 10\r\n.\r\n", 0);
    fake_rule(fs, "UIDL", "-ERR what is that\r\n", 0);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    gboolean has = TRUE;
    g_autoptr(GPtrArray) m = pop3_scan(s, &has, &e);
    g_assert_no_error(e);
    g_assert_false(has);
    g_assert_cmpuint(m->len, ==, 1);
    g_assert_null(((Pop3Message *) g_ptr_array_index(m, 0))->uid);
    g_assert_true(pop3_noop(s, &e));
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_retr_err_and_stop(void)
{
    FakeServer *fs = basic_server(NULL);
    fake_rule(fs, "RETR 1", "+OK\r\na\r\n..dot\r\n.\r\n", 0);
    fake_rule(fs, "RETR 2", "-ERR no such message\r\n", 0);
    fake_rule(fs, "RETR 3", "+OK\r\nc\r\n.\r\n", 0);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = login(fake_start(fs), &e);
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
    Collect c = { 0, got, 0 };
    guint nums[] = { 1, 2, 3 };
    g_assert_false(pop3_retr_many(s, nums, 3, collect, &c, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_assert_nonnull(strstr(e->message, "RETR 2"));
    g_assert_cmpuint(c.calls, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(got, 0), ==, "a\n.dot\n");
    g_assert_false(pop3_is_broken(s));
    g_clear_error(&e);
    /* The callback refusing (disk full) stops the run; session usable. */
    Collect c2 = { 0, NULL, 1 };
    guint n3[] = { 3, 1 };
    g_assert_false(pop3_retr_many(s, n3, 2, collect, &c2, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NOSPACE);
    g_assert_cmpuint(c2.calls, ==, 1);
    g_clear_error(&e);
    g_assert_true(pop3_noop(s, &e));
    g_assert_true(pop3_quit(s, &e));
    pop3_session_free(s);
    g_autofree char *cap = fake_finish(fs);
    /* Without PIPELINING nothing is sent after the refusal of message 3. */
    g_assert_null(strstr(cap, "RETR 3\r\nRETR 1"));
    g_assert_nonnull(strstr(cap, "RETR 3\r\nNOOP"));
}

static void
test_pipelined_dele(void)
{
    FakeServer *fs = basic_server("+OK\r\nUSER\r\nPIPELINING\r\n.\r\n");
    fake_rule(fs, "DELE 3", "-ERR [SYS/TEMP] cannot\r\n", 0);
    fake_rule(fs, "DELE", "+OK\r\n", 0);
    g_autoptr(GError) e = NULL;
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    o.window = 2;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_true(pop3_caps(s) & POP3_CAP_PIPELINING);
    g_assert_true(pop3_auth(s, POP3_AUTH_USER, "u", "p", TRUE, &e));
    guint nums[] = { 1, 2, 3, 4, 5, 6, 7 };
    guint done = 99;
    g_assert_false(pop3_dele_many(s, nums, 7, &done, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TEMPORARY);
    g_assert_cmpuint(done, ==, 2);
    g_clear_error(&e);
    /* Every reply already on its way was read: the session is in step. */
    g_assert_true(pop3_noop(s, &e));
    g_assert_true(pop3_quit(s, &e));
    pop3_session_free(s);
    g_autofree char *cap = fake_finish(fs);
    /* The window bounds what was sent: never DELE 6 or 7. */
    g_assert_null(strstr(cap, "DELE 6"));
    g_assert_nonnull(strstr(cap, "DELE 3"));
}

static gboolean
cancel_after_first(guint num, const char *data, gsize len, gpointer user_data,
                   GError **error)
{
    g_cancellable_cancel(user_data);
    return TRUE;
}

static void
test_cancel_mid_run(void)
{
    FakeServer *fs = basic_server("+OK\r\nUSER\r\nPIPELINING\r\n.\r\n");
    fake_rule(fs, "RETR", "+OK\r\nSubject: x\r\n\r\nbody\r\n.\r\n", 0);
    g_autoptr(GCancellable) c = g_cancellable_new();
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    o.cancellable = c;
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_true(pop3_auth(s, POP3_AUTH_USER, "u", "p", TRUE, &e));
    guint nums[] = { 1, 2, 3, 4 };
    g_assert_false(pop3_retr_many(s, nums, 4, cancel_after_first, c, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_CANCELLED);
    g_assert_true(pop3_is_broken(s));
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_stls_not_offered(void)
{
    FakeServer *fs = basic_server("+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n");
    Pop3Options o = opts(fake_start(fs), SECURITY_STARTTLS);
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED);
    g_assert_nonnull(strstr(e->message, "STLS"));
    g_autofree char *cap = fake_finish(fs);
    g_assert_cmpstr(cap, ==, "CAPA\r\n");      /* nothing else was sent */
}

static void
test_stls_refused(void)
{
    FakeServer *fs = basic_server("+OK\r\nUSER\r\nSTLS\r\n.\r\n");
    fake_rule(fs, "STLS", "-ERR not today\r\n", 0);
    Pop3Options o = opts(fake_start(fs), SECURITY_STARTTLS);
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
    g_assert_nonnull(strstr(e->message, "before sending any password"));
    g_autofree char *cap = fake_finish(fs);
    g_assert_cmpstr(cap, ==, "CAPA\r\nSTLS\r\n");
}

static char *
cert_path(const char *name)
{
    const char *dir = g_getenv("CERT_DIR");
    return dir ? g_build_filename(dir, name, NULL) : NULL;
}

static void
test_stls_injection(void)
{
    g_autofree char *ca = cert_path("ca.pem");
    if (!ca) {
        g_test_skip("CERT_DIR not set");
        return;
    }
    g_autofree char *crt = cert_path("localhost.pem");
    g_autofree char *key = cert_path("localhost.key");
    FakeServer *fs = fake_new("+OK fake\r\n", 10, FALSE);
    fake_set_tls(fs, crt, key, FALSE);
    /* Before TLS: STLS offered.  The STLS reply carries an injected
     * capability list in the same packet; after TLS the real one. */
    fake_rule_len(fs, "CAPA", "+OK\r\nUSER\r\nSTLS\r\n.\r\n", 20, 0, TRUE);
    fake_rule(fs, "STLS",
              "+OK begin TLS\r\n+OK\r\nUSER\r\nPIPELINING\r\nSASL PLAIN\r\n.\r\n",
              FAKE_STLS);
    fake_rule(fs, "CAPA", "+OK\r\nUSER\r\nSASL CRAM-MD5\r\n.\r\n", 0);
    Pop3Options o = opts(fake_start(fs), SECURITY_STARTTLS);
    o.host = "localhost";
    o.ca_file = ca;
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    if (s) {
        /* The capabilities are the ones from inside TLS only. */
        g_assert_true(pop3_is_tls(s));
        g_assert_false(pop3_caps(s) & POP3_CAP_PIPELINING);
        const char *const *m = pop3_sasl_mechs(s);
        g_assert_cmpstr(m[0], ==, "CRAM-MD5");
        g_assert_null(m[1]);
        g_test_message("injected bytes discarded before the handshake");
        pop3_session_free(s);
    } else {
        /* Arriving late, the bytes break the handshake: also safe. */
        g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
        g_test_message("injected bytes broke the handshake");
    }
    g_free(fake_finish(fs));
}

/* A certificate for localhost signed by the test CA, valid from the day
 * after tomorrow (mkcerts.sh has none). */
static void
make_future_cert(const char *crt, const char *key)
{
    g_autofree char *ca_crt = cert_path("ca.pem");
    g_autofree char *ca_key = cert_path("ca.key");
    FILE *f = fopen(ca_crt, "r");
    X509 *ca = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(ca_key, "r");
    EVP_PKEY *cakey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    g_assert_nonnull(ca);
    g_assert_nonnull(cakey);
    EVP_PKEY *pkey = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
    X509_gmtime_adj(X509_getm_notBefore(x), 2 * 86400);
    X509_gmtime_adj(X509_getm_notAfter(x), 30 * 86400);
    X509_set_pubkey(x, pkey);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *) "localhost", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(ca));
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, ca, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
                                              "DNS:localhost");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    g_assert_true(X509_sign(x, cakey, EVP_sha256()) > 0);
    f = fopen(crt, "w");
    PEM_write_X509(f, x);
    fclose(f);
    f = fopen(key, "w");
    PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    X509_free(x);
    X509_free(ca);
    EVP_PKEY_free(pkey);
    EVP_PKEY_free(cakey);
}

typedef struct {
    const char *cert;       /* in CERT_DIR, or "future" */
    const char *host;
    const char *why;        /* NULL: accepted */
} TlsCase;

static void
test_tls_checks(void)
{
    g_autofree char *ca = cert_path("ca.pem");
    if (!ca) {
        g_test_skip("CERT_DIR not set");
        return;
    }
    g_autofree char *fcrt = cert_path("future.pem");
    g_autofree char *fkey = cert_path("future.key");
    make_future_cert(fcrt, fkey);
    static const TlsCase cases[] = {
        { "localhost", "localhost", NULL },
        { "localhost", "127.0.0.1", NULL },
        { "selfsigned", "localhost", "self-signed" },
        { "future", "localhost", "not yet valid" },
        { "wronghost", "localhost", "wrong host name (the certificate is for wrong.example)" },
        { "expired", "localhost", "has expired" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *crt_name = g_strconcat(cases[i].cert, ".pem", NULL);
        g_autofree char *key_name = g_strconcat(cases[i].cert, ".key", NULL);
        g_autofree char *crt = cert_path(crt_name);
        g_autofree char *key = cert_path(key_name);
        FakeServer *fs = fake_new("+OK tls\r\n", 9, FALSE);
        fake_set_tls(fs, crt, key, TRUE);
        fake_rule(fs, "CAPA", CAPA_BASIC, 0);
        fake_rule(fs, "USER", "+OK\r\n", 0);
        fake_rule(fs, "PASS", "+OK\r\n", 0);
        Pop3Options o = opts(fake_start(fs), SECURITY_TLS);
        o.host = cases[i].host;
        o.ca_file = ca;
        g_autoptr(GError) e = NULL;
        Pop3Session *s = pop3_open(&o, &e);
        if (s)
            g_assert_true(pop3_auth(s, POP3_AUTH_USER, "u", "pw-123", FALSE, &e));
        pop3_session_free(s);
        g_autofree char *cap = fake_finish(fs);
        g_test_message("%s as %s: %s", cases[i].cert, cases[i].host,
                       e ? e->message : "accepted");
        if (!cases[i].why) {
            g_assert_no_error(e);
            /* SNI carries the configured name, never an IP literal. */
            if (g_str_equal(cases[i].host, "localhost"))
                g_assert_nonnull(strstr(cap, "<TLS sni=localhost>"));
            else
                g_assert_nonnull(strstr(cap, "<TLS sni=>"));
            g_assert_nonnull(strstr(cap, "PASS pw-123"));
        } else {
            g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
            g_assert_nonnull(strstr(e->message, cases[i].why));
            g_assert_nonnull(strstr(e->message, cases[i].host));
            g_assert_null(strstr(cap, "USER"));
            g_assert_null(strstr(cap, "PASS"));
        }
    }
}

/* Writing to a TLS peer that has gone must be an error, not a SIGPIPE
 * killing the program, even when the program does not ignore SIGPIPE. */
static void
test_tls_sigpipe(void)
{
    g_autofree char *ca = cert_path("ca.pem");
    if (!ca) {
        g_test_skip("CERT_DIR not set");
        return;
    }
    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_passed();
        return;
    }
    signal(SIGPIPE, SIG_DFL);
    g_autofree char *crt = cert_path("localhost.pem");
    g_autofree char *key = cert_path("localhost.key");
    FakeServer *fs = fake_new("+OK tls\r\n", 9, FALSE);
    fake_set_tls(fs, crt, key, TRUE);
    fake_rule(fs, "CAPA", CAPA_BASIC, 0);
    fake_rule(fs, "NOOP", "+OK\r\n", FAKE_CLOSE);
    Pop3Options o = opts(fake_start(fs), SECURITY_TLS);
    o.host = "localhost";
    o.ca_file = ca;
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_no_error(e);
    g_assert_true(pop3_noop(s, &e));
    g_free(fake_finish(fs));              /* the server is gone now */
    gboolean ok = TRUE;
    for (int i = 0; i < 50 && ok; i++)
        ok = pop3_noop(s, &e);
    g_assert_false(ok);
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
    pop3_session_free(s);
}

typedef struct {
    const char *greeting;
    const char *capa;
    gboolean tls;
    Pop3AuthMech requested;
    Pop3AuthMech chosen;     /* POP3_AUTH_AUTO: refused as unsupported */
} ChooseCase;

static void
test_auth_choice(void)
{
    const char *apop = "+OK ready <1.2@host>\r\n";
    const char *plain = "+OK ready\r\n";
    static const char *all = "+OK\r\nUSER\r\nSASL PLAIN LOGIN CRAM-MD5 XOAUTH2\r\n.\r\n";
    static const char *no_cram = "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n";
    static const char *user_only = "+OK\r\nUSER\r\n.\r\n";
    static const char *nothing = "+OK\r\nTOP\r\n.\r\n";
    const ChooseCase cases[] = {
        { apop, all, FALSE, POP3_AUTH_AUTO, POP3_AUTH_CRAM_MD5 },
        { apop, no_cram, FALSE, POP3_AUTH_AUTO, POP3_AUTH_APOP },
        { plain, no_cram, FALSE, POP3_AUTH_AUTO, POP3_AUTH_PLAIN },
        { plain, user_only, FALSE, POP3_AUTH_AUTO, POP3_AUTH_USER },
        { apop, all, TRUE, POP3_AUTH_AUTO, POP3_AUTH_PLAIN },
        { apop, user_only, TRUE, POP3_AUTH_AUTO, POP3_AUTH_USER },
        { apop, nothing, TRUE, POP3_AUTH_AUTO, POP3_AUTH_APOP },
        { plain, nothing, TRUE, POP3_AUTH_AUTO, POP3_AUTH_AUTO },
        { plain, all, TRUE, POP3_AUTH_XOAUTH2, POP3_AUTH_XOAUTH2 },
        { plain, all, TRUE, POP3_AUTH_OAUTHBEARER, POP3_AUTH_AUTO },
        { plain, all, TRUE, POP3_AUTH_APOP, POP3_AUTH_AUTO },
        { plain, user_only, TRUE, POP3_AUTH_CRAM_MD5, POP3_AUTH_AUTO },
    };
    g_autofree char *ca = cert_path("ca.pem");
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const ChooseCase *c = &cases[i];
        if (c->tls && !ca)
            continue;
        FakeServer *fs = fake_new(c->greeting, strlen(c->greeting), FALSE);
        if (c->tls) {
            g_autofree char *crt = cert_path("localhost.pem");
            g_autofree char *key = cert_path("localhost.key");
            fake_set_tls(fs, crt, key, TRUE);
        }
        fake_rule(fs, "CAPA", c->capa, 0);
        Pop3Options o = opts(fake_start(fs), c->tls ? SECURITY_TLS : SECURITY_NONE);
        o.host = "localhost";
        o.ca_file = ca;
        g_autoptr(GError) e = NULL;
        Pop3Session *s = pop3_open(&o, &e);
        g_assert_no_error(e);
        Pop3AuthMech got = POP3_AUTH_AUTO;
        gboolean ok = pop3_auth_choose(s, c->requested, &got, &e);
        g_test_message("case %zu: %s", i, ok ? pop3_auth_mech_name(got) : e->message);
        if (c->chosen == POP3_AUTH_AUTO) {
            g_assert_false(ok);
            g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED);
            g_assert_nonnull(strstr(e->message, "offers"));
        } else {
            g_assert_true(ok);
            g_assert_cmpint(got, ==, c->chosen);
        }
        pop3_session_free(s);
        g_free(fake_finish(fs));
    }
}

static void
test_security_none_refuses(void)
{
    FakeServer *fs = basic_server(NULL);
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_no_error(e);
    g_assert_false(pop3_auth(s, POP3_AUTH_AUTO, "u", "secret", FALSE, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_INSECURE);
    g_assert_nonnull(strstr(e->message, "allow_plaintext_password"));
    pop3_session_free(s);
    g_autofree char *cap = fake_finish(fs);
    g_assert_null(strstr(cap, "secret"));
    g_assert_null(strstr(cap, "USER"));
}

static void
test_ipv6(void)
{
    FakeServer *fs = fake_new("+OK v6\r\n", 8, TRUE);
    fake_rule(fs, "CAPA", CAPA_BASIC, 0);
    guint16 port = fake_start(fs);
    if (port == 0) {
        g_free(fake_finish(fs));
        g_test_skip("no IPv6 loopback (::1) on this machine");
        return;
    }
    Pop3Options o = opts(port, SECURITY_NONE);
    o.host = "::1";
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_no_error(e);
    g_assert_true(pop3_caps(s) & POP3_CAP_UIDL);
    pop3_session_free(s);
    g_free(fake_finish(fs));
}

static void
test_read_timeout(void)
{
    FakeServer *fs = fake_new(NULL, 0, FALSE);      /* says nothing */
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    o.timeout = 1;
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
    g_assert_nonnull(strstr(e->message, "timed out"));
    g_free(fake_finish(fs));
}

static void
test_refused(void)
{
    /* Bind a port, close it: nothing listens there now. */
    FakeServer *fs = fake_new("+OK\r\n", 5, FALSE);
    guint16 port = fake_start(fs);
    Pop3Options o = opts(port, SECURITY_NONE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);     /* serves the one connection */
    pop3_session_free(s);
    g_free(fake_finish(fs));
    g_clear_error(&e);
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
    g_assert_nonnull(strstr(e->message, "127.0.0.1"));
}

static void
test_cancel(void)
{
    FakeServer *fs = fake_new(NULL, 0, FALSE);
    Pop3Options o = opts(fake_start(fs), SECURITY_NONE);
    g_autoptr(GCancellable) c = g_cancellable_new();
    o.cancellable = c;
    o.timeout = 60;
    g_cancellable_cancel(c);
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_CANCELLED);
    /* the server still waits for a connection: give it one */
    o.cancellable = NULL;
    o.timeout = 1;
    g_clear_error(&e);
    g_assert_null(pop3_open(&o, &e));
    g_free(fake_finish(fs));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* The scripted servers write to clients that may be gone (the client
     * library itself needs no such help: net/ guards its own writes). */
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/fake/garbage-greeting", test_garbage_greeting);
    g_test_add_func("/fake/huge-greeting", test_huge_greeting);
    g_test_add_func("/fake/huge-uidl-line", test_huge_uidl_line);
    g_test_add_func("/fake/drop-mid-retr", test_drop_mid_retr);
    g_test_add_func("/fake/missing-terminator", test_missing_terminator);
    g_test_add_func("/fake/resp-codes", test_resp_codes);
    g_test_add_func("/fake/uidl-odd", test_uidl_odd);
    g_test_add_func("/fake/bad-list", test_bad_list);
    g_test_add_func("/fake/endless-list", test_endless_list);
    g_test_add_func("/fake/no-uidl", test_no_uidl);
    g_test_add_func("/fake/retr-err-and-stop", test_retr_err_and_stop);
    g_test_add_func("/fake/pipelined-dele", test_pipelined_dele);
    g_test_add_func("/fake/cancel-mid-run", test_cancel_mid_run);
    g_test_add_func("/fake/stls-not-offered", test_stls_not_offered);
    g_test_add_func("/fake/stls-refused", test_stls_refused);
    g_test_add_func("/fake/stls-injection", test_stls_injection);
    g_test_add_func("/fake/tls-checks", test_tls_checks);
    g_test_add_func("/fake/auth-choice", test_auth_choice);
    g_test_add_func("/fake/tls-sigpipe", test_tls_sigpipe);
    g_test_add_func("/fake/security-none-refuses", test_security_none_refuses);
    g_test_add_func("/fake/ipv6", test_ipv6);
    g_test_add_func("/fake/read-timeout", test_read_timeout);
    g_test_add_func("/fake/refused", test_refused);
    g_test_add_func("/fake/cancel", test_cancel);
    return g_test_run();
}
