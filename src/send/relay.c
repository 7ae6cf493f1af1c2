/* postie's own connection to the SMTP server, relayed to libesmtp.
 *
 * libesmtp 1.1.0 only connects to a host:port itself, cannot do implicit
 * TLS, mishandles STARTTLS (relay-connect.c) and BDAT (relay-watch.c).
 * So postie makes every connection itself (relay-connect.c), then listens
 * on 127.0.0.1 on a random port; libesmtp, told to connect there, speaks
 * plain SMTP through a thread that passes every byte through
 * relay-watch.c and bounds every wait for the server by the timeout.
 * The server has had postie's EHLO and login by then (relay-connect.c):
 * libesmtp is served a session that is logged in already.
 * When the server is gone (or the session cut it off), libesmtp is
 * answered by the relay itself until it QUITs: closing its socket in the
 * middle of a BDAT pipeline can crash libesmtp 1.1.0.
 *
 * A loopback port can be reached by every local user: a connection counts
 * as libesmtp's only when its first command is EHLO (or HELO) with the
 * random token libesmtp was given as its host name (that EHLO is
 * answered by the relay; the server had postie's own, with the real
 * name).  Other connections get nothing but a greeting, and
 * the port is closed as soon as libesmtp's connection is in.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

#define MAX_CANDIDATES 8
#define RELAY_GREETING "220 postie relay\r\n"

struct Relay {
    NetConn *conn;
    char *host;
    int timeout;                /* seconds */
    char *token;
    int listen_fd;
    int wake[2];
    gint aborted;               /* nothing more to the server */
    gint stop;                  /* the thread is to end */
    GThread *thread;
    RelayWatch *watch;
    GError *error;              /* first failure seen by the thread */
};

static void
relay_fail(Relay *r, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
relay_fail(Relay *r, int code, const char *fmt, ...)
{
    if (r->error || g_atomic_int_get(&r->aborted) || g_atomic_int_get(&r->stop))
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    r->error = g_error_new_literal(POSTIE_ERROR, code, msg);
}

/* ---- the thread -------------------------------------------------------- */

typedef struct {
    int fd;
    GString *buf;
} Candidate;

static void
drop_candidate(Candidate *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    if (c->buf)
        g_string_free(c->buf, TRUE);
    c->buf = NULL;
}

/* Is the first line of C the greeting with our token? */
static gboolean
candidate_is_ours(Relay *r, Candidate *c)
{
    g_autofree char *e = g_strdup_printf("EHLO %s\r\n", r->token);
    g_autofree char *h = g_strdup_printf("HELO %s\r\n", r->token);
    return !g_ascii_strcasecmp(c->buf->str, e) || !g_ascii_strcasecmp(c->buf->str, h);
}

/* Wait for libesmtp's connection; other local connections are closed
 * unserved.  Returns the socket, or -1. */
static int
accept_ours(Relay *r)
{
    Candidate cand[MAX_CANDIDATES];
    for (int i = 0; i < MAX_CANDIDATES; i++)
        cand[i] = (Candidate){ -1, NULL };
    gint64 deadline = g_get_monotonic_time() + (gint64)r->timeout * G_USEC_PER_SEC;
    int ours = -1;
    while (ours < 0) {
        struct pollfd p[2 + MAX_CANDIDATES];
        p[0] = (struct pollfd){ .fd = r->listen_fd, .events = POLLIN };
        p[1] = (struct pollfd){ .fd = r->wake[0], .events = POLLIN };
        for (int i = 0; i < MAX_CANDIDATES; i++)
            p[2 + i] = (struct pollfd){ .fd = cand[i].fd, .events = POLLIN };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            break;
        int n = poll(p, 2 + MAX_CANDIDATES, (int)MIN(left, G_MAXINT));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (p[1].revents & POLLIN) || g_atomic_int_get(&r->aborted))
            break;
        if (p[0].revents & POLLIN) {
            int fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                int slot = 0;
                for (int i = 0; i < MAX_CANDIDATES; i++)
                    if (cand[i].fd < 0) {
                        slot = i;
                        break;
                    }
                drop_candidate(&cand[slot]);   /* full: the oldest goes */
                cand[slot].fd = fd;
                cand[slot].buf = g_string_new(NULL);
                ssize_t w = send(fd, RELAY_GREETING, strlen(RELAY_GREETING),
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w != (ssize_t)strlen(RELAY_GREETING))
                    drop_candidate(&cand[slot]);
            }
        }
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            if (cand[i].fd < 0 || !(p[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char b[256];
            ssize_t k = recv(cand[i].fd, b, sizeof b, MSG_DONTWAIT);
            if (k < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (k <= 0) {
                drop_candidate(&cand[i]);
                continue;
            }
            g_string_append_len(cand[i].buf, b, k);
            if (!memchr(cand[i].buf->str, '\n', cand[i].buf->len)) {
                if (cand[i].buf->len > 512)
                    drop_candidate(&cand[i]);
                continue;
            }
            if (candidate_is_ours(r, &cand[i]) &&
                relay_watch_client(r->watch, cand[i].buf->str, cand[i].buf->len)) {
                ours = cand[i].fd;
                cand[i].fd = -1;
                break;
            }
            drop_candidate(&cand[i]);
        }
    }
    for (int i = 0; i < MAX_CANDIDATES; i++)
        drop_candidate(&cand[i]);
    /* Nobody else gets in now. */
    close(r->listen_fd);
    r->listen_fd = -1;
    return ours;
}

/* Write out what the watch has for the server; wiped (AUTH lines). */
static void
discard_upstream(Relay *r)
{
    GString *s = relay_watch_to_server(r->watch);
    explicit_bzero(s->str, s->len);
    g_string_truncate(s, 0);
}

/* From now on libesmtp hears 421 from the relay itself. */
static void
go_dead(Relay *r, gboolean *dead)
{
    *dead = TRUE;
    discard_upstream(r);
    relay_watch_upstream_lost(r->watch);
}

static gboolean
flush_upstream(Relay *r, gint64 *activity, gboolean *dead)
{
    GString *s = relay_watch_to_server(r->watch);
    if (*dead || g_atomic_int_get(&r->aborted)) {
        /* Cut by the session (failed login, cancel) or the server gone:
         * nothing more goes. */
        if (!*dead)
            go_dead(r, dead);
        discard_upstream(r);
        return TRUE;
    }
    if (s->len == 0)
        return TRUE;
    g_autoptr(GError) e = NULL;
    gboolean ok = net_conn_write(r->conn, s->str, s->len, &e);
    discard_upstream(r);
    *activity = g_get_monotonic_time();
    if (!ok) {
        relay_fail(r, POSTIE_ERROR_NET, "%s", e->message);
        go_dead(r, dead);
    }
    return TRUE;
}

static gboolean
flush_client(Relay *r, int fd)
{
    GString *s = relay_watch_to_client(r->watch);
    if (s->len == 0)
        return TRUE;
    gboolean ok = write_all(fd, s->str, s->len, "relay", NULL);
    g_string_truncate(s, 0);
    return ok;
}

static gpointer
relay_thread(gpointer data)
{
    Relay *r = data;
    int fd = accept_ours(r);
    if (fd < 0) {
        relay_fail(r, POSTIE_ERROR_NET,
                   _("internal SMTP relay for %s: libesmtp did not connect"), r->host);
        return NULL;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int up = net_conn_fd(r->conn);
    gint64 activity = g_get_monotonic_time();
    gboolean dead = FALSE;
    char buf[65536];
    flush_upstream(r, &activity, &dead);
    gboolean ok = flush_client(r, fd);
    while (ok && !g_atomic_int_get(&r->stop)) {
        if (!dead && g_atomic_int_get(&r->aborted))
            go_dead(r, &dead);
        ok = flush_client(r, fd);
        SSL *ssl = net_conn_ssl(r->conn);
        gboolean up_ready = !dead && (net_conn_buffered(r->conn) > 0 ||
                                      (ssl && SSL_pending(ssl) > 0));
        short up_ev = 0;
        if (ok && !up_ready) {
            struct pollfd p[3] = {
                { .fd = fd, .events = POLLIN },
                { .fd = dead ? -1 : up, .events = POLLIN },
                { .fd = r->wake[0], .events = POLLIN },
            };
            int wait_ms = -1;
            if (!dead && relay_watch_waiting(r->watch)) {
                gint64 left = activity + (gint64)r->timeout * G_USEC_PER_SEC -
                              g_get_monotonic_time();
                if (left <= 0) {
                    relay_fail(r, POSTIE_ERROR_NET,
                               _("%s did not answer within %d seconds"), r->host,
                               r->timeout);
                    go_dead(r, &dead);
                    continue;
                }
                wait_ms = (int)MIN(left / 1000 + 1, G_MAXINT);
            }
            if (!dead)
                net_conn_quick_ack(r->conn);
            int n = poll(p, 3, wait_ms);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            if (p[2].revents & POLLIN) {
                char c[16];
                ssize_t k = read(r->wake[0], c, sizeof c);
                (void)k;
                continue;   /* abort or stop: checked above */
            }
            if (n == 0)
                continue;   /* the timeout is checked above */
            up_ev = p[1].revents;
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t k = read(fd, buf, sizeof buf);
                if (k < 0 && errno == EINTR)
                    continue;
                if (k <= 0)
                    break;   /* libesmtp is done (or gone) */
                /* Answer libesmtp's segments at once: its small writes
                 * would otherwise wait for our delayed ACK (Nagle). */
                setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
                gboolean was_waiting = relay_watch_waiting(r->watch);
                gboolean fine = relay_watch_client(r->watch, buf, (gsize)k);
                explicit_bzero(buf, (gsize)k);
                if (!fine) {
                    relay_fail(r, POSTIE_ERROR_PROTOCOL,
                               _("internal SMTP relay for %s: %s"), r->host,
                               relay_watch_error(r->watch));
                    break;
                }
                if (!was_waiting)
                    activity = g_get_monotonic_time();
                flush_upstream(r, &activity, &dead);
                ok = flush_client(r, fd);
            }
        }
        if (ok && !dead && (up_ready || (up_ev & (POLLIN | POLLHUP | POLLERR)))) {
            gsize len = 0;
            g_autoptr(GError) e = NULL;
            const char *d = net_conn_peek(r->conn, &len, &e);
            if (!d) {
                if (relay_watch_waiting(r->watch))
                    relay_fail(r, POSTIE_ERROR_NET, "%s", e->message);
                go_dead(r, &dead);
                continue;
            }
            activity = g_get_monotonic_time();
            gboolean fine = relay_watch_server(r->watch, d, len);
            net_conn_consume(r->conn, len);
            if (!fine) {
                g_autofree char *why = g_strdup(relay_watch_error(r->watch));
                relay_fail(r, POSTIE_ERROR_PROTOCOL, _("%s: %s"), r->host, why);
                go_dead(r, &dead);
            }
            ok = flush_client(r, fd);
        }
    }
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

/* ---- the public side --------------------------------------------------- */

Relay *
relay_start(const Account *account, const char *token, const char *ehlo_name,
            SmtpLogin *login, RelayFinal on_final, gpointer final_data,
            GCancellable *cancellable, guint16 *port_out, GError **error)
{
    SmtpReply ehlo = { 0 };
    NetConn *conn = relay_connect(account, ehlo_name, login, &ehlo, cancellable, NULL, error);
    if (!conn)
        return NULL;
    g_autofree char *ehlo_reply = smtp_ehlo_for_client(&ehlo);
    smtp_reply_clear(&ehlo);
    Relay *r = g_new0(Relay, 1);
    r->conn = conn;
    r->host = g_strdup(account->smtp.host);
    r->timeout = account->timeout > 0 ? account->timeout : 60;
    r->token = g_strdup(token);
    r->watch = relay_watch_new(token, ehlo_reply);
    relay_watch_set_final_cb(r->watch, on_final, final_data);
    r->wake[0] = r->wake[1] = -1;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    r->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (r->listen_fd < 0 || bind(r->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(r->listen_fd, MAX_CANDIDATES) != 0 ||
        getsockname(r->listen_fd, (struct sockaddr *)&sa, &sl) != 0 ||
        !g_unix_open_pipe(r->wake, FD_CLOEXEC, NULL)) {
        int e = errno;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("cannot set up the SMTP relay for %s: %s"), r->host,
                    g_strerror(e));
        g_ptr_array_unref(relay_finish(r, NULL));
        return NULL;
    }
    *port_out = ntohs(sa.sin_port);
    r->thread = g_thread_new("smtp-relay", relay_thread, r);
    return r;
}

static void
wake(Relay *r)
{
    if (r->wake[1] >= 0) {
        char c = 'x';
        ssize_t n = write(r->wake[1], &c, 1);
        (void)n;
    }
}

void
relay_abort(Relay *r)
{
    if (!r || g_atomic_int_get(&r->aborted))
        return;
    g_atomic_int_set(&r->aborted, 1);
    wake(r);
}

GPtrArray *
relay_finish(Relay *r, GError **error)
{
    if (!r)
        return NULL;
    g_atomic_int_set(&r->stop, 1);
    wake(r);
    if (r->thread)
        g_thread_join(r->thread);
    if (r->listen_fd >= 0)
        close(r->listen_fd);
    for (int i = 0; i < 2; i++)
        if (r->wake[i] >= 0)
            close(r->wake[i]);
    net_conn_free(r->conn);
    if (r->error)
        g_propagate_error(error, g_steal_pointer(&r->error));
    GPtrArray *txns = g_ptr_array_ref(relay_watch_txns(r->watch));
    relay_watch_free(r->watch);
    g_free(r->host);
    g_free(r->token);
    g_free(r);
    return txns;
}
