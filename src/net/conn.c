/* NetConn: TCP over IPv4/IPv6 with timeouts and bounded buffered reads. */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/err.h>

#include "net/private.h"
#include "util/util.h"

#define READ_CHUNK (64 * 1024)

void
net_sigpipe_block(NetSigpipeGuard *g)
{
    sigset_t pipe, pending;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &g->old);
}

void
net_sigpipe_restore(NetSigpipeGuard *g)
{
    sigset_t pipe, pending;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigpending(&pending);
    if (!g->was_pending && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&pipe, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

char *
net_conn_describe(const NetConn *c)
{
    if (strchr(c->host, ':'))
        return g_strdup_printf("[%s]:%u", c->host, c->port);
    return g_strdup_printf("%s:%u", c->host, c->port);
}

static void
set_timeout(NetConn *c, int timeout)
{
    c->timeout_ms = (timeout > 0 ? timeout : 60) * 1000;
}

const char *
net_conn_host(const NetConn *c)
{
    return c->host;
}

guint16
net_conn_port(const NetConn *c)
{
    return c->port;
}

const char *
net_conn_address(const NetConn *c)
{
    return c->address;
}

gboolean
net_conn_is_tls(const NetConn *c)
{
    return c->ssl != NULL;
}

SSL *
net_conn_ssl(NetConn *c)
{
    return c->ssl;
}

int
net_conn_fd(const NetConn *c)
{
    return c->fd;
}

gsize
net_conn_buffered(const NetConn *c)
{
    return c->end - c->start;
}

/* Wait for FD with the connection's timeout; honours cancellation. */
static gboolean
wait_fd(int fd, short events, int timeout_ms, GCancellable *cancellable,
        const char *desc, const char *what, GError **error)
{
    struct pollfd p[2];
    GPollFD gp;
    gboolean have_cancel = FALSE;
    gint64 deadline = g_get_monotonic_time() + (gint64) timeout_ms * 1000;

    if (cancellable && g_cancellable_make_pollfd(cancellable, &gp))
        have_cancel = TRUE;
    for (;;) {
        if (g_cancellable_is_cancelled(cancellable)) {
            if (have_cancel)
                g_cancellable_release_fd(cancellable);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED,
                        _("%s: cancelled"), desc);
            return FALSE;
        }
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0) {
            if (have_cancel)
                g_cancellable_release_fd(cancellable);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("%s: timed out after %d seconds while %s"), desc,
                        timeout_ms / 1000, what);
            return FALSE;
        }
        p[0].fd = fd;
        p[0].events = events;
        p[0].revents = 0;
        nfds_t n = 1;
        if (have_cancel) {
            p[1].fd = gp.fd;
            p[1].events = POLLIN;
            p[1].revents = 0;
            n = 2;
        }
        int r = poll(p, n, (int) MIN(left / 1000 + 1, G_MAXINT));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (have_cancel)
                g_cancellable_release_fd(cancellable);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("%s: poll failed: %s"), desc, g_strerror(e));
            return FALSE;
        }
        if (r > 0 && p[0].revents) {
            if (have_cancel)
                g_cancellable_release_fd(cancellable);
            return TRUE;
        }
    }
}

void
net_conn_set_quick_ack(NetConn *c, gboolean on)
{
    c->quick_ack = on;
}

void
net_conn_quick_ack(NetConn *c)
{
    int one = 1;
    if (c->quick_ack)
        (void) setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

gboolean
net_conn_wait(NetConn *c, gboolean want_read, const char *what,
              GError **error)
{
    g_autofree char *desc = net_conn_describe(c);
    if (want_read)
        net_conn_quick_ack(c);
    if (!wait_fd(c->fd, want_read ? POLLIN : POLLOUT, c->timeout_ms,
                 c->cancellable, desc, what, error)) {
        c->broken = TRUE;
        return FALSE;
    }
    return TRUE;
}

/* One non-blocking connect to AI within TIMEOUT_MS.  Returns the fd or -1
 * with *ERRNUM set (ETIMEDOUT for a timeout, ECANCELED when cancelled). */
static int
connect_one(const struct addrinfo *ai, int timeout_ms,
            GCancellable *cancellable, const char *desc, int *errnum,
            GError **cancel_error)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
    if (fd < 0) {
        *errnum = errno;
        return -1;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return fd;
    if (errno != EINPROGRESS && errno != EINTR) {
        *errnum = errno;
        close(fd);
        return -1;
    }
    GError *e = NULL;
    if (!wait_fd(fd, POLLOUT, timeout_ms, cancellable, desc, "connecting", &e)) {
        *errnum = g_error_matches(e, POSTIE_ERROR, POSTIE_ERROR_CANCELLED)
                  ? ECANCELED : ETIMEDOUT;
        if (*errnum == ECANCELED)
            g_propagate_error(cancel_error, e);
        else
            g_error_free(e);
        close(fd);
        return -1;
    }
    int soerr = 0;
    socklen_t l = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
        soerr = errno;
    if (soerr != 0) {
        *errnum = soerr;
        close(fd);
        return -1;
    }
    return fd;
}

NetConn *
net_conn_connect(const char *host, guint16 port, int timeout,
                 GCancellable *cancellable, GError **error)
{
    g_return_val_if_fail(host != NULL, NULL);
    NetConn *c = g_new0(NetConn, 1);
    c->fd = -1;
    c->host = g_strdup(host);
    c->port = port;
    set_timeout(c, timeout);
    c->cancellable = cancellable ? g_object_ref(cancellable) : NULL;
    g_autofree char *desc = net_conn_describe(c);

    if (g_cancellable_is_cancelled(cancellable)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED,
                    _("%s: cancelled"), desc);
        net_conn_free(c);
        return NULL;
    }

    struct addrinfo hints = { 0 };
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    struct addrinfo *res = NULL;
    char portstr[8];
    g_snprintf(portstr, sizeof portstr, "%u", port);
    int gai = getaddrinfo(host, portstr, &hints, &res);
    if (gai != 0) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("cannot connect to %s: cannot resolve the host name: %s"),
                    desc, gai == EAI_SYSTEM ? g_strerror(errno) : gai_strerror(gai));
        net_conn_free(c);
        return NULL;
    }
    int last_err = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        GError *cancel = NULL;
        int fd = connect_one(ai, c->timeout_ms, cancellable, desc, &last_err,
                             &cancel);
        if (cancel) {
            g_propagate_error(error, cancel);
            freeaddrinfo(res);
            net_conn_free(c);
            return NULL;
        }
        if (fd >= 0) {
            c->fd = fd;
            if (getnameinfo(ai->ai_addr, ai->ai_addrlen, c->address,
                            sizeof c->address, NULL, 0, NI_NUMERICHOST) != 0)
                g_strlcpy(c->address, "?", sizeof c->address);
            break;
        }
    }
    freeaddrinfo(res);
    if (c->fd < 0) {
        if (last_err == ETIMEDOUT)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("cannot connect to %s: timed out after %d seconds"),
                        desc, c->timeout_ms / 1000);
        else
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("cannot connect to %s: %s"), desc,
                        g_strerror(last_err ? last_err : ECONNREFUSED));
        net_conn_free(c);
        return NULL;
    }
    int one = 1;
    (void) setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->size = READ_CHUNK;
    c->buf = g_malloc(c->size + 1);
    return c;
}

void
net_conn_free(NetConn *c)
{
    if (!c)
        return;
    if (c->ssl) {
        if (!c->broken) {
            /* Best effort close_notify; never wait for the peer's. */
            NetSigpipeGuard g;
            net_sigpipe_block(&g);
            ERR_set_mark();
            (void) SSL_shutdown(c->ssl);
            ERR_pop_to_mark();
            net_sigpipe_restore(&g);
        }
        SSL_free(c->ssl);
    }
    if (c->fd >= 0)
        close(c->fd);
    g_clear_object(&c->cancellable);
    g_free(c->host);
    g_free(c->buf);
    g_free(c);
}

static gboolean
closed_error(NetConn *c, GError **error)
{
    g_autofree char *desc = net_conn_describe(c);
    c->broken = TRUE;
    if (c->ssl)          /* (else this would load OpenSSL's error texts) */
        ERR_clear_error();   /* OpenSSL's record of the EOF, if any */
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                _("%s: the server closed the connection unexpectedly"), desc);
    return FALSE;
}

gboolean
net_tls_retry(NetConn *c, int r, NetTlsOp op, GError **error)
{
    static const char *const waiting[] = {
        [NET_TLS_READ] = N_("waiting for the server"),
        [NET_TLS_WRITE] = N_("sending to the server"),
        [NET_TLS_HANDSHAKE] = N_("in the TLS handshake"),
    };
    int err = SSL_get_error(c->ssl, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        return net_conn_wait(c, err == SSL_ERROR_WANT_READ, _(waiting[op]), error);

    /* OpenSSL 3 reports a peer that closed without close_notify as an
     * SSL_ERROR_SSL with this reason: a closed connection all the same. */
    gboolean closed = err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SYSCALL ||
        (err == SSL_ERROR_SSL &&
         ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING);
    if (closed && op != NET_TLS_HANDSHAKE)
        return closed_error(c, error);

    g_autofree char *desc = net_conn_describe(c);
    g_autofree char *why = net_tls_error_string();
    if (!why && closed)
        why = g_strdup(_("the server closed the connection"));
    if (!why)
        why = g_strdup(_("unknown error"));
    c->broken = TRUE;
    switch (op) {
    case NET_TLS_READ:
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s: TLS error while reading: %s"), desc, why);
        break;
    case NET_TLS_WRITE:
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s: TLS error while writing: %s"), desc, why);
        break;
    case NET_TLS_HANDSHAKE:
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s: TLS handshake failed: %s"), desc, why);
        break;
    }
    return FALSE;
}

/* Read more bytes from the peer into the buffer (at least one). */
static gboolean
fill(NetConn *c, GError **error)
{
    if (c->broken) {
        g_autofree char *desc = net_conn_describe(c);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("%s: the connection is no longer usable"), desc);
        return FALSE;
    }
    if (g_cancellable_is_cancelled(c->cancellable)) {
        g_autofree char *desc = net_conn_describe(c);
        c->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED,
                    _("%s: cancelled"), desc);
        return FALSE;
    }
    if (c->start == c->end) {
        c->start = c->end = 0;
    } else if (c->start > 0 && c->size - c->end < READ_CHUNK / 2) {
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
    }
    if (c->size - c->end < READ_CHUNK / 2) {
        c->size = MAX(c->size * 2, c->end + READ_CHUNK);
        c->buf = g_realloc(c->buf, c->size + 1);
    }
    gsize room = c->size - c->end;
    for (;;) {
        if (c->ssl) {
            ERR_clear_error();
            size_t got = 0;
            NetSigpipeGuard g;
            net_sigpipe_block(&g);
            int r = SSL_read_ex(c->ssl, c->buf + c->end, room, &got);
            net_sigpipe_restore(&g);
            if (r > 0) {
                c->end += got;
                return TRUE;
            }
            if (!net_tls_retry(c, r, NET_TLS_READ, error))
                return FALSE;
            continue;
        }
        ssize_t r = recv(c->fd, c->buf + c->end, room, 0);
        if (r > 0) {
            c->end += (gsize) r;
            return TRUE;
        }
        if (r == 0)
            return closed_error(c, error);
        if (errno == EINTR)
            continue;
        if (errno == ECONNRESET)
            return closed_error(c, error);
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!net_conn_wait(c, TRUE, _("waiting for the server"), error))
                return FALSE;
            continue;
        }
        int e = errno;
        g_autofree char *desc = net_conn_describe(c);
        c->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("%s: cannot read: %s"), desc, g_strerror(e));
        return FALSE;
    }
}

const char *
net_conn_read_line(NetConn *c, gsize max_len, gsize *len, GError **error)
{
    if (max_len == 0)
        max_len = NET_DEFAULT_MAX_LINE;
    gsize scanned = 0;
    for (;;) {
        char *p = c->buf + c->start;
        gsize avail = c->end - c->start;
        char *nl = memchr(p + scanned, '\n', avail - scanned);
        if (nl) {
            gsize l = (gsize) (nl - p);
            gsize total = l + 1;
            if (l > 0 && p[l - 1] == '\r')
                l--;
            if (l > max_len)
                goto too_long;
            p[l] = '\0';
            c->start += total;
            if (len)
                *len = l;
            return p;
        }
        scanned = avail;
        /* max_len content bytes plus a CR may be waiting for their LF. */
        if (avail > max_len + 1)
            goto too_long;
        if (!fill(c, error))
            return NULL;
    }
too_long:
    {
        g_autofree char *desc = net_conn_describe(c);
        c->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s: the server sent a line longer than %" G_GSIZE_FORMAT
                      " bytes"), desc, max_len);
        return NULL;
    }
}

const char *
net_conn_peek(NetConn *c, gsize *len, GError **error)
{
    if (c->start == c->end && !fill(c, error))
        return NULL;
    *len = c->end - c->start;
    return c->buf + c->start;
}

void
net_conn_consume(NetConn *c, gsize n)
{
    g_return_if_fail(n <= c->end - c->start);
    c->start += n;
    if (c->start == c->end)
        c->start = c->end = 0;
}

gboolean
net_conn_write(NetConn *c, const void *data, gsize len, GError **error)
{
    const char *p = data;
    if (c->broken) {
        g_autofree char *desc = net_conn_describe(c);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("%s: the connection is no longer usable"), desc);
        return FALSE;
    }
    while (len > 0) {
        if (c->ssl) {
            ERR_clear_error();
            size_t done = 0;
            NetSigpipeGuard g;
            net_sigpipe_block(&g);
            int r = SSL_write_ex(c->ssl, p, len, &done);
            net_sigpipe_restore(&g);
            if (r > 0) {
                p += done;
                len -= done;
                continue;
            }
            if (!net_tls_retry(c, r, NET_TLS_WRITE, error))
                return FALSE;
            continue;
        }
        ssize_t r = send(c->fd, p, len, MSG_NOSIGNAL);
        if (r >= 0) {
            p += r;
            len -= (gsize) r;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!net_conn_wait(c, FALSE, _("sending to the server"), error))
                return FALSE;
            continue;
        }
        if (errno == EPIPE || errno == ECONNRESET)
            return closed_error(c, error);
        int e = errno;
        g_autofree char *desc = net_conn_describe(c);
        c->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("%s: cannot send: %s"), desc, g_strerror(e));
        return FALSE;
    }
    return TRUE;
}
