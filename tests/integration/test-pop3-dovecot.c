/* POP3 client against a real Dovecot (started by pop3-dovecot.sh, which
 * passes ports and paths in the environment): every login method, STLS
 * and POP3S with the test CA, certificate refusals with nothing sent,
 * pinning, the plaintext policy, pipelined RETR/TOP byte for byte, DELE. */
#include <config.h>

#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fetch/fetch.h"
#include "pop3/pop3.h"
#include "util/util.h"

static const char *
env(const char *name)
{
    const char *v = g_getenv(name);
    return v && *v ? v : NULL;
}

static guint16
env_port(const char *name)
{
    const char *v = env(name);
    return v ? (guint16) g_ascii_strtoull(v, NULL, 10) : 0;
}

static Pop3Options
opts(const char *port_var, Security sec)
{
    Pop3Options o = { 0 };
    o.host = "localhost";
    o.port = env_port(port_var);
    o.security = sec;
    o.ca_file = env("CA_FILE");
    o.timeout = 30;
    return o;
}

static Pop3Session *
open_login(Pop3Options *o, Pop3AuthMech mech, const char *user,
           const char *pw, GError **error)
{
    Pop3Session *s = pop3_open(o, error);
    if (s && !pop3_auth(s, mech, user, pw, o->security == SECURITY_NONE, error))
        g_clear_pointer(&s, pop3_session_free);
    return s;
}

/* The Dovecot log (GOOD, WRONG, EXPIRED, NOSTLS) holds LINE within 20 s. */
static gboolean
log_has(const char *log_var, const char *needle)
{
    const char *path = env(log_var);
    g_assert_nonnull(path);
    for (int i = 0; i < 400; i++) {
        g_autofree char *text = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle))
            return TRUE;
        g_usleep(50000);
    }
    return FALSE;
}

static gboolean
log_lacks(const char *log_var, const char *needle)
{
    g_autofree char *text = NULL;
    g_file_get_contents(env(log_var), &text, NULL, NULL);
    return !text || !strstr(text, needle);
}

static void
test_stls_mechs(void)
{
    static const struct {
        Pop3AuthMech mech;
        const char *name;
    } mechs[] = {
        { POP3_AUTH_USER, "user" }, { POP3_AUTH_APOP, "apop" },
        { POP3_AUTH_PLAIN, "plain" }, { POP3_AUTH_LOGIN, "login" },
        { POP3_AUTH_CRAM_MD5, "cram-md5" }, { POP3_AUTH_XOAUTH2, "xoauth2" },
        { POP3_AUTH_OAUTHBEARER, "oauthbearer" }, { POP3_AUTH_AUTO, "auto" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(mechs); i++) {
        Pop3Options o = opts("POP3_PORT", SECURITY_STARTTLS);
        g_autoptr(GError) e = NULL;
        g_test_message("mechanism %s", mechs[i].name);
        Pop3Session *s = open_login(&o, mechs[i].mech, "alice", "alice-pw-1", &e);
        g_assert_no_error(e);
        g_assert_true(pop3_is_tls(s));
        /* CAPA again after STLS: STLS is no longer offered. */
        g_assert_false(pop3_caps(s) & POP3_CAP_STLS);
        g_assert_true(pop3_caps(s) & POP3_CAP_PIPELINING);
        guint count = 0;
        g_assert_true(pop3_stat(s, &count, NULL, &e));
        g_assert_cmpuint(count, ==, (guint) g_ascii_strtoull(env("N_MESSAGES"), NULL, 10));
        g_assert_true(pop3_quit(s, &e));
        pop3_session_free(s);
    }
}

static void
test_wrong_password(void)
{
    Pop3Options o = opts("POP3_PORT", SECURITY_STARTTLS);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_no_error(e);
    g_assert_false(pop3_auth(s, POP3_AUTH_PLAIN, "alice", "nope", FALSE, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_AUTH);
    g_assert_nonnull(strstr(e->message, "localhost"));
    g_assert_nonnull(strstr(e->message, "server said"));
    pop3_session_free(s);
}

static void
test_pop3s(void)
{
    Pop3Options o = opts("POP3S_PORT", SECURITY_TLS);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = open_login(&o, POP3_AUTH_AUTO, "alice", "alice-pw-1", &e);
    g_assert_no_error(e);
    g_assert_true(pop3_is_tls(s));
    g_autofree char *fp = pop3_peer_fingerprint(s);
    g_assert_cmpuint(strlen(fp), ==, 95);
    pop3_session_free(s);

    /* The same by IP address: checked against the IP SAN. */
    o.host = "127.0.0.1";
    s = open_login(&o, POP3_AUTH_AUTO, "alice", "alice-pw-1", &e);
    g_assert_no_error(e);
    pop3_session_free(s);

    /* Without the test CA the system store does not know the issuer. */
    o.host = "localhost";
    o.ca_file = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
    g_assert_nonnull(strstr(e->message, "unknown authority"));
}

typedef struct {
    const char *port_var;
    const char *log_var;
    Security sec;
    const char *why;
} BadCert;

static void
test_bad_certs(void)
{
    static const BadCert cases[] = {
        { "WRONG_POP3S_PORT", "WRONG_LOG", SECURITY_TLS, "wrong host name" },
        { "WRONG_POP3_PORT", "WRONG_LOG", SECURITY_STARTTLS, "wrong host name" },
        { "EXPIRED_POP3S_PORT", "EXPIRED_LOG", SECURITY_TLS, "has expired" },
        { "EXPIRED_POP3_PORT", "EXPIRED_LOG", SECURITY_STARTTLS, "has expired" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Pop3Options o = opts(cases[i].port_var, cases[i].sec);
        g_autoptr(GError) e = NULL;
        g_assert_null(pop3_open(&o, &e));
        g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
        g_test_message("%s", e->message);
        g_assert_nonnull(strstr(e->message, cases[i].why));
        g_assert_nonnull(strstr(e->message, "localhost"));
    }
    /* Nothing was ever tried there: Dovecot logs sessions without an auth
     * attempt, and no user name. */
    g_assert_true(log_has("WRONG_LOG", "no auth attempts"));
    g_assert_true(log_has("EXPIRED_LOG", "no auth attempts"));
    g_assert_true(log_lacks("WRONG_LOG", "user=<alice>"));
    g_assert_true(log_lacks("EXPIRED_LOG", "user=<alice>"));
}

static void
test_pinning(void)
{
    /* Learn the good certificate's fingerprint. */
    Pop3Options o = opts("POP3S_PORT", SECURITY_TLS);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = pop3_open(&o, &e);
    g_assert_no_error(e);
    g_autofree char *fp = pop3_peer_fingerprint(s);
    pop3_session_free(s);

    /* Pinned: accepted without any CA (upper case with colons is fine). */
    g_autofree char *upper = g_ascii_strup(fp, -1);
    o.ca_file = NULL;
    o.tls_fingerprint = upper;
    s = open_login(&o, POP3_AUTH_AUTO, "alice", "alice-pw-1", &e);
    g_assert_no_error(e);
    pop3_session_free(s);

    /* The pin is the only thing accepted: another certificate with a valid
     * chain is refused, the message shows what was seen. */
    Pop3Options w = opts("WRONG_POP3S_PORT", SECURITY_TLS);
    w.tls_fingerprint = fp;
    g_assert_null(pop3_open(&w, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
    g_assert_nonnull(strstr(e->message, "pinned"));
    g_clear_error(&e);

    /* A wrong pin on the good server: refused, shows the real one. */
    o.tls_fingerprint = "0000000000000000000000000000000000000000000000000000000000000000";
    o.ca_file = env("CA_FILE");
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
    g_assert_nonnull(strstr(e->message, fp));
}

static void
test_stls_not_offered(void)
{
    Pop3Options o = opts("NOSTLS_POP3_PORT", SECURITY_STARTTLS);
    o.ca_file = env("CA_FILE");
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED);
    g_assert_nonnull(strstr(e->message, "STLS"));
    g_assert_true(log_has("NOSTLS_LOG", "no auth attempts"));
    g_assert_true(log_lacks("NOSTLS_LOG", "user=<alice>"));
}

/* fetch_pop3_open: the secret is not even fetched when the connection
 * may not carry it (the password command would leave a marker). */
static void
test_account_open(void)
{
    g_autofree char *marker = g_build_filename(env("HOME"),
                                               "password-command-ran", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "sh -c 'touch %s; echo alice-pw-1'", marker);

    Account a = { 0 };
    a.id = "work";
    a.address = "alice";
    a.timeout = 30;
    a.pop3.host = "localhost";
    a.pop3.ca_file = (char *) env("CA_FILE");
    a.pop3.password_command = cmd;
    a.pop3.auth = "auto";

    /* STLS required, not offered: refused, the command never ran. */
    a.pop3.port = env_port("NOSTLS_POP3_PORT");
    a.pop3.security = SECURITY_STARTTLS;
    g_autoptr(GError) e = NULL;
    g_assert_null(fetch_pop3_open(&a, NULL, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED);
    g_assert_true(g_str_has_prefix(e->message, "account work: "));
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    g_clear_error(&e);

    /* Wrong host name: refused, the command never ran. */
    a.pop3.port = env_port("WRONG_POP3S_PORT");
    a.pop3.security = SECURITY_TLS;
    g_assert_null(fetch_pop3_open(&a, NULL, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_TLS);
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    g_clear_error(&e);

    /* No TLS and no allow_plaintext_password: refused before the command. */
    a.pop3.port = env_port("POP3_PORT");
    a.pop3.security = SECURITY_NONE;
    g_assert_null(fetch_pop3_open(&a, NULL, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_INSECURE);
    g_assert_nonnull(strstr(e->message, "allow_plaintext_password"));
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    g_clear_error(&e);

    /* Allowed: logs in. */
    a.allow_plaintext_password = TRUE;
    Pop3Session *s = fetch_pop3_open(&a, NULL, &e);
    g_assert_no_error(e);
    g_assert_false(pop3_is_tls(s));
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));
    pop3_session_free(s);

    /* The normal case: STLS, token-less auto login. */
    a.allow_plaintext_password = FALSE;
    a.pop3.security = SECURITY_STARTTLS;
    s = fetch_pop3_open(&a, NULL, &e);
    g_assert_no_error(e);
    g_assert_true(pop3_is_tls(s));
    pop3_session_free(s);

    /* OAUTHBEARER with a token from oauth_token_command. */
    a.pop3.auth = "oauthbearer";
    a.oauth_token_command = "echo alice-pw-1";
    s = fetch_pop3_open(&a, NULL, &e);
    g_assert_no_error(e);
    pop3_session_free(s);
}

/* The message files the wrapper added, in mailbox order, with LF ends. */
static GPtrArray *
originals(void)
{
    const char *dir = env("MSG_DIR");
    guint n = (guint) g_ascii_strtoull(env("N_MESSAGES"), NULL, 10);
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 1; i <= n; i++) {
        g_autofree char *name = g_strdup_printf("%05u.eml", i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        char *text = NULL;
        g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
        g_ptr_array_add(a, text);
    }
    return a;
}

typedef struct {
    GPtrArray *want;
    guint calls;
    guint top;          /* compare only the header part */
} Compare;

static gboolean
compare(guint num, const char *data, gsize len, gpointer user_data,
        GError **error)
{
    Compare *c = user_data;
    const char *want = g_ptr_array_index(c->want, num - 1);
    c->calls++;
    if (c->top) {
        const char *end = strstr(want, "\n\n");
        g_assert_nonnull(end);
        g_assert_cmpmem(data, len, want, (gsize) (end - want) + 2);
    } else {
        g_assert_cmpmem(data, len, want, strlen(want));
    }
    return TRUE;
}

static void
test_retr_pipelined(void)
{
    g_autoptr(GPtrArray) want = originals();
    guint windows[] = { 64, 1, 7 };
    for (gsize w = 0; w < G_N_ELEMENTS(windows); w++) {
        Pop3Options o = opts("POP3S_PORT", SECURITY_TLS);
        o.window = windows[w];
        g_autoptr(GError) e = NULL;
        Pop3Session *s = open_login(&o, POP3_AUTH_AUTO, "alice", "alice-pw-1", &e);
        g_assert_no_error(e);
        gboolean has_uidl = FALSE;
        g_autoptr(GPtrArray) msgs = pop3_scan(s, &has_uidl, &e);
        g_assert_no_error(e);
        g_assert_true(has_uidl);
        g_assert_cmpuint(msgs->len, ==, want->len);
        g_autofree guint *nums = g_new(guint, msgs->len);
        g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < msgs->len; i++) {
            Pop3Message *m = g_ptr_array_index(msgs, i);
            nums[i] = m->num;
            g_assert_nonnull(m->uid);
            g_assert_false(m->uid_duplicate);
            g_assert_true(g_hash_table_add(uids, m->uid));
        }
        Compare c = { want, 0, 0 };
        g_assert_true(pop3_retr_many(s, nums, msgs->len, compare, &c, &e));
        g_assert_no_error(e);
        g_assert_cmpuint(c.calls, ==, want->len);
        Compare t = { want, 0, 1 };
        g_assert_true(pop3_top_many(s, nums, msgs->len, 0, compare, &t, &e));
        g_assert_cmpuint(t.calls, ==, want->len);
        g_assert_true(pop3_quit(s, &e));
        pop3_session_free(s);
    }
}

/* A TCP relay to Dovecot that cuts the connection after LIMIT bytes from
 * the server: the network failing in the middle of a message. */
typedef struct {
    int lfd;
    guint16 target;
    gsize limit;
    GThread *thread;
} Cutter;

static gpointer
cutter_run(gpointer data)
{
    Cutter *c = data;
    int down = accept(c->lfd, NULL, NULL);
    g_assert_cmpint(down, >=, 0);
    int up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(c->target) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(up, (struct sockaddr *) &a, sizeof a), ==, 0);
    gsize from_server = 0;
    char buf[8192];
    for (;;) {
        struct pollfd p[2] = { { down, POLLIN, 0 }, { up, POLLIN, 0 } };
        if (poll(p, 2, 60000) <= 0)
            break;
        if (p[0].revents) {
            ssize_t n = read(down, buf, sizeof buf);
            if (n <= 0 || write(up, buf, (size_t) n) != n)
                break;
        }
        if (p[1].revents) {
            gsize room = c->limit - from_server;
            ssize_t n = read(up, buf, MIN(sizeof buf, room));
            if (n <= 0 || write(down, buf, (size_t) n) != n)
                break;
            from_server += (gsize) n;
            if (from_server >= c->limit)
                break;
        }
    }
    close(up);
    close(down);
    return NULL;
}

static guint16
cutter_start(Cutter *c, guint16 target, gsize limit)
{
    c->target = target;
    c->limit = limit;
    c->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    g_assert_cmpint(bind(c->lfd, (struct sockaddr *) &a, sizeof a), ==, 0);
    g_assert_cmpint(listen(c->lfd, 1), ==, 0);
    g_assert_cmpint(getsockname(c->lfd, (struct sockaddr *) &a, &l), ==, 0);
    c->thread = g_thread_new("cutter", cutter_run, c);
    return ntohs(a.sin_port);
}

static void
test_drop_mid_retr(void)
{
    g_autoptr(GPtrArray) want = originals();
    Security secs[] = { SECURITY_TLS, SECURITY_NONE };
    const char *ports[] = { "POP3S_PORT", "POP3_PORT" };
    for (gsize k = 0; k < G_N_ELEMENTS(secs); k++) {
        Cutter cut;
        Pop3Options o = opts(ports[k], secs[k]);
        o.port = cutter_start(&cut, o.port, 300 * 1024);
        g_autoptr(GError) e = NULL;
        Pop3Session *s = open_login(&o, POP3_AUTH_USER, "alice", "alice-pw-1", &e);
        g_assert_no_error(e);
        g_autofree guint *nums = g_new(guint, want->len);
        for (guint i = 0; i < want->len; i++)
            nums[i] = i + 1;
        /* compare() asserts every delivered message is whole. */
        Compare c = { want, 0, 0 };
        g_assert_false(pop3_retr_many(s, nums, want->len, compare, &c, &e));
        g_test_message("cut after %u messages: %s", c.calls, e->message);
        g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
        g_assert_cmpuint(c.calls, <, want->len);
        g_assert_nonnull(strstr(e->message, "message"));
        g_assert_true(pop3_is_broken(s));
        pop3_session_free(s);
        g_thread_join(cut.thread);
        close(cut.lfd);
    }
}

static void
test_dele_rset_quit(void)
{
    /* bob's mailbox: 20 messages. */
    Pop3Options o = opts("POP3_PORT", SECURITY_STARTTLS);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = open_login(&o, POP3_AUTH_PLAIN, "bob", "bob-pw-2", &e);
    g_assert_no_error(e);
    guint count = 0;
    g_assert_true(pop3_stat(s, &count, NULL, &e));
    g_assert_cmpuint(count, ==, 20);
    guint nums[] = { 1, 2, 3, 4, 5 };
    guint done = 0;
    g_assert_true(pop3_dele_many(s, nums, 5, &done, &e));
    g_assert_cmpuint(done, ==, 5);
    g_assert_true(pop3_stat(s, &count, NULL, &e));
    g_assert_cmpuint(count, ==, 15);
    /* Deleted messages are gone from LIST. */
    g_autoptr(GPtrArray) m = pop3_scan(s, NULL, &e);
    g_assert_cmpuint(m->len, ==, 15);
    g_assert_cmpuint(((Pop3Message *) g_ptr_array_index(m, 0))->num, ==, 6);
    g_assert_true(pop3_rset(s, &e));
    g_assert_true(pop3_stat(s, &count, NULL, &e));
    g_assert_cmpuint(count, ==, 20);
    g_assert_true(pop3_dele_many(s, nums, 2, &done, &e));
    g_assert_true(pop3_noop(s, &e));
    g_assert_true(pop3_quit(s, &e));
    pop3_session_free(s);

    s = open_login(&o, POP3_AUTH_PLAIN, "bob", "bob-pw-2", &e);
    g_assert_no_error(e);
    g_assert_true(pop3_stat(s, &count, NULL, &e));
    g_assert_cmpuint(count, ==, 18);
    /* Deleting a message twice is refused; the session goes on. */
    guint again[] = { 1, 1 };
    g_assert_false(pop3_dele_many(s, again, 2, &done, &e));
    g_assert_cmpuint(done, ==, 1);
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_clear_error(&e);
    g_assert_true(pop3_rset(s, &e));
    pop3_session_free(s);        /* no QUIT: nothing deleted */
}

/* ---- the hostile server (tests/servers/fakepop3.py) ------------------- */

typedef struct {
    const char *port_var;
    int code;                /* expected from pop3_open, 0: opens */
    const char *in_message;
} HostileCase;

static void
test_hostile_open(void)
{
    static const HostileCase cases[] = {
        { "HOSTILE_GARBAGE_GREETING_PORT", POSTIE_ERROR_PROTOCOL, "does not look like" },
        { "HOSTILE_NO_GREETING_PORT", POSTIE_ERROR_NET, "timed out" },
        { "HOSTILE_ENDLESS_LINE_PORT", POSTIE_ERROR_PROTOCOL, "line longer than" },
        { "HOSTILE_LONG_GREETING_PORT", POSTIE_ERROR_PROTOCOL, "line longer than" },
        { "HOSTILE_UNTERMINATED_PORT", POSTIE_ERROR_NET, "closed the connection" },
        { "HOSTILE_BAD_REPLIES_PORT", POSTIE_ERROR_PROTOCOL, "invalid reply to CAPA" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Pop3Options o = opts(cases[i].port_var, SECURITY_NONE);
        o.timeout = 3;
        g_autoptr(GError) e = NULL;
        g_assert_null(pop3_open(&o, &e));
        g_test_message("%s: %s", cases[i].port_var, e->message);
        g_assert_error(e, POSTIE_ERROR, cases[i].code);
        g_assert_nonnull(strstr(e->message, cases[i].in_message));
        g_assert_null(strchr(e->message, '\x1b'));
    }
}

static char *
hostile_log(const char *mode)
{
    g_autofree char *name = g_strconcat(mode, ".log", NULL);
    g_autofree char *path = g_build_filename(env("HOSTILE_DIR"), name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        text = g_strdup("");
    return text;
}

static void
test_hostile_listings(void)
{
    Pop3Options o = opts("HOSTILE_BOGUS_LISTINGS_PORT", SECURITY_NONE);
    g_autoptr(GError) e = NULL;
    Pop3Session *s = open_login(&o, POP3_AUTH_USER, "alice", "x", &e);
    g_assert_no_error(e);
    g_assert_null(pop3_scan(s, NULL, &e));
    g_test_message("%s", e->message);
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
    g_assert_nonnull(strstr(e->message, "STAT"));
    pop3_session_free(s);
}

static void
test_hostile_sane(void)
{
    /* STLS required: this server has none, so nothing but CAPA is sent
     * (its log has every line it received). */
    Pop3Options o = opts("HOSTILE_SANE_PORT", SECURITY_STARTTLS);
    g_autoptr(GError) e = NULL;
    g_assert_null(pop3_open(&o, &e));
    g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED);
    g_clear_error(&e);

    /* The baseline works: scan, RETR with a dot-stuffed line. */
    o.security = SECURITY_NONE;
    Pop3Session *s = open_login(&o, POP3_AUTH_USER, "alice", "sane-pw", &e);
    g_assert_no_error(e);
    gboolean has_uidl = FALSE;
    g_autoptr(GPtrArray) m = pop3_scan(s, &has_uidl, &e);
    g_assert_no_error(e);
    g_assert_cmpuint(m->len, ==, 3);
    g_assert_cmpstr(((Pop3Message *) g_ptr_array_index(m, 2))->uid, ==, "uid-3");
    g_autoptr(GBytes) b = NULL;
    g_assert_true(pop3_retr(s, 2, &b, &e));
    const char want[] = "From: b@example.org\nSubject: two\n\n.dotted line\nsecond\n";
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), want, sizeof want - 1);
    g_assert_true(pop3_quit(s, &e));
    pop3_session_free(s);

    g_autofree char *log = hostile_log("sane");
    /* conn 1 (the starttls attempt) sent only CAPA */
    g_assert_nonnull(strstr(log, "conn 1 < CAPA"));
    g_assert_null(strstr(log, "conn 1 < USER"));
    g_assert_null(strstr(log, "conn 1 < PASS"));
    g_assert_nonnull(strstr(log, "conn 2 < PASS sane-pw"));
}

/* ---- the fault proxy in front of Dovecot (tests/servers/faultproxy.py) -- */

static void
test_proxy_drop_retr(void)
{
    /* The proxy cuts the reply after the client's 3rd RETR.  One command
     * at a time that is message 3; pipelined, the 3rd RETR goes out with
     * the first batch, so the cut lands in an earlier message. */
    g_autoptr(GPtrArray) want = originals();
    guint windows[] = { 1, 64 };
    for (gsize w = 0; w < G_N_ELEMENTS(windows); w++) {
        Pop3Options o = opts("PROXY_DROP_RETR_PORT", SECURITY_NONE);
        o.window = windows[w];
        g_autoptr(GError) e = NULL;
        Pop3Session *s = open_login(&o, POP3_AUTH_USER, "alice", "alice-pw-1", &e);
        g_assert_no_error(e);
        g_autofree guint *nums = g_new(guint, want->len);
        for (guint i = 0; i < want->len; i++)
            nums[i] = i + 1;
        Compare c = { want, 0, 0 };   /* asserts each delivered message whole */
        g_assert_false(pop3_retr_many(s, nums, want->len, compare, &c, &e));
        g_test_message("window %u: %s", windows[w], e->message);
        g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_NET);
        g_autofree char *which = g_strdup_printf("message %u:", c.calls + 1);
        g_assert_nonnull(strstr(e->message, which));
        if (windows[w] == 1)
            g_assert_cmpuint(c.calls, ==, 2);
        else
            g_assert_cmpuint(c.calls, <, 3);
        pop3_session_free(s);
    }
}

static void
test_proxy_faults(void)
{
    static const HostileCase cases[] = {
        { "PROXY_GARBAGE_PORT", POSTIE_ERROR_PROTOCOL, "does not look like" },
        { "PROXY_LONGLINE_PORT", POSTIE_ERROR_PROTOCOL, "line longer than" },
        { "PROXY_STALL_PORT", POSTIE_ERROR_NET, "timed out" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Pop3Options o = opts(cases[i].port_var, SECURITY_NONE);
        o.timeout = 3;
        g_autoptr(GError) e = NULL;
        Pop3Session *s = pop3_open(&o, &e);
        if (s) {
            /* the fault may come after the greeting and CAPA */
            if (pop3_auth(s, POP3_AUTH_USER, "alice", "alice-pw-1", TRUE, &e)) {
                g_autoptr(GPtrArray) m = pop3_scan(s, NULL, &e);
                g_assert_null(m);
            }
            pop3_session_free(s);
        }
        g_assert_nonnull(e);
        g_test_message("%s: %s", cases[i].port_var, e->message);
        g_assert_error(e, POSTIE_ERROR, cases[i].code);
        g_assert_nonnull(strstr(e->message, cases[i].in_message));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!env("POP3_PORT")) {
        printf("1..0 # SKIP no Dovecot (run through pop3-dovecot.sh)\n");
        return 0;
    }
    g_test_add_func("/dovecot/stls-every-mechanism", test_stls_mechs);
    g_test_add_func("/dovecot/wrong-password", test_wrong_password);
    g_test_add_func("/dovecot/pop3s", test_pop3s);
    g_test_add_func("/dovecot/bad-certificates", test_bad_certs);
    g_test_add_func("/dovecot/pinning", test_pinning);
    g_test_add_func("/dovecot/stls-not-offered", test_stls_not_offered);
    g_test_add_func("/dovecot/account-open", test_account_open);
    g_test_add_func("/dovecot/retr-pipelined", test_retr_pipelined);
    g_test_add_func("/dovecot/drop-mid-retr", test_drop_mid_retr);
    g_test_add_func("/dovecot/dele-rset-quit", test_dele_rset_quit);
    g_test_add_func("/hostile/open", test_hostile_open);
    g_test_add_func("/hostile/bogus-listings", test_hostile_listings);
    g_test_add_func("/hostile/sane-and-no-stls", test_hostile_sane);
    g_test_add_func("/proxy/drop-retr", test_proxy_drop_retr);
    g_test_add_func("/proxy/faults", test_proxy_faults);
    return g_test_run();
}
