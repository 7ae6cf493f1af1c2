/* Implicit TLS (SMTPS, port 465) for libesmtp, which can only start TLS
 * with STARTTLS and only connects to a host:port itself.
 *
 * We make the TLS connection with net/ (the one TLS policy: SNI, chain,
 * host name, pinning), then listen on 127.0.0.1 on a random port and let
 * libesmtp connect there; a thread relays between the two.  A loopback
 * port can be reached by every local user, so the relay serves only a
 * connection whose other end is a socket of this very process (found by
 * its address pair among our own descriptors); anything else is closed at
 * once, before a byte is relayed, and so is every connection that
 * arrives after ours.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

struct Bridge {
    NetConn *conn;
    char *host;
    int timeout;
    int listen_fd;
    struct sockaddr_in listen_addr;
    int wake[2];
    gint aborted;
    GThread *thread;
    GError *error;          /* nobody of ours connected */
};

static gboolean
same_in(const struct sockaddr_storage *a, const struct sockaddr_in *b)
{
    const struct sockaddr_in *x = (const struct sockaddr_in *)a;
    return a->ss_family == AF_INET && x->sin_port == b->sin_port &&
           x->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* Is the other end of the accepted socket (at PEER) one of our own fds? */
static gboolean
peer_is_ours(const struct sockaddr_in *peer, const struct sockaddr_in *listen_addr)
{
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
                  ? (int)rl.rlim_cur : 65536;
    for (int fd = 3; fd < max; fd++) {
        struct sockaddr_storage local, remote;
        socklen_t l1 = sizeof local, l2 = sizeof remote;
        if (getsockname(fd, (struct sockaddr *)&local, &l1) != 0)
            continue;
        if (!same_in(&local, peer))
            continue;
        if (getpeername(fd, (struct sockaddr *)&remote, &l2) == 0 &&
            same_in(&remote, listen_addr))
            return TRUE;
    }
    return FALSE;
}

static int
accept_ours(Bridge *b)
{
    for (;;) {
        struct pollfd p[2] = {
            { .fd = b->listen_fd, .events = POLLIN },
            { .fd = b->wake[0], .events = POLLIN },
        };
        int r = poll(p, 2, b->timeout * 1000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || (p[1].revents & POLLIN) || g_atomic_int_get(&b->aborted))
            return -1;
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int fd = accept4(b->listen_fd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (pl == sizeof peer && peer.sin_family == AF_INET &&
            peer_is_ours(&peer, &b->listen_addr))
            return fd;
        close(fd);   /* another process: refused without a byte */
    }
}

static gpointer
relay(gpointer data)
{
    Bridge *b = data;
    int fd = accept_ours(b);
    if (fd < 0) {
        if (!g_atomic_int_get(&b->aborted))
            g_set_error(&b->error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("internal TLS relay for %s: no connection"), b->host);
        return NULL;
    }
    SSL *ssl = net_conn_ssl(b->conn);
    int up = SSL_get_fd(ssl);
    char buf[16384];
    for (;;) {
        if (g_atomic_int_get(&b->aborted))
            break;
        gboolean up_ready = net_conn_buffered(b->conn) > 0 || SSL_pending(ssl) > 0;
        short up_ev = 0;
        if (!up_ready) {
            struct pollfd p[4] = {
                { .fd = fd, .events = POLLIN },
                { .fd = up, .events = POLLIN },
                { .fd = b->wake[0], .events = POLLIN },
                { .fd = b->listen_fd, .events = POLLIN },
            };
            int r = poll(p, 4, -1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 || (p[2].revents & POLLIN) || g_atomic_int_get(&b->aborted))
                break;
            up_ev = p[1].revents;
            if (p[3].revents & POLLIN) {
                /* Ours is connected: anyone else is turned away. */
                int other = accept4(b->listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (other >= 0)
                    close(other);
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    break;
                if (g_atomic_int_get(&b->aborted) ||
                    !net_conn_write(b->conn, buf, (gsize)n, NULL))
                    break;
            }
        }
        if (up_ready || (up_ev & (POLLIN | POLLHUP | POLLERR))) {
            gsize len = 0;
            const char *d = net_conn_peek(b->conn, &len, NULL);
            if (!d)
                break;
            if (!write_all(fd, d, len, "relay", NULL))
                break;
            net_conn_consume(b->conn, len);
        }
    }
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

Bridge *
bridge_start(const Account *account, guint16 *port_out, GError **error)
{
    const ServerConf *srv = &account->smtp;
    SSL_CTX *ctx = net_tls_client_ctx_new(srv->ca_file, error);
    if (!ctx)
        return NULL;
    NetConn *conn = net_conn_connect(srv->host, srv->port, account->timeout, NULL, error);
    if (!conn) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    gboolean tls = net_conn_start_tls(conn, ctx, srv->tls_fingerprint, error);
    SSL_CTX_free(ctx);
    if (!tls) {
        net_conn_free(conn);
        return NULL;
    }

    Bridge *b = g_new0(Bridge, 1);
    b->conn = conn;
    b->host = g_strdup(srv->host);
    b->timeout = MAX(account->timeout, 1);
    b->wake[0] = b->wake[1] = -1;
    b->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    b->listen_addr.sin_family = AF_INET;
    b->listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof b->listen_addr;
    if (b->listen_fd < 0 ||
        bind(b->listen_fd, (struct sockaddr *)&b->listen_addr, sizeof b->listen_addr) != 0 ||
        listen(b->listen_fd, 4) != 0 ||
        getsockname(b->listen_fd, (struct sockaddr *)&b->listen_addr, &al) != 0 ||
        !g_unix_open_pipe(b->wake, FD_CLOEXEC, NULL)) {
        int e = errno;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("cannot set up the TLS relay for %s: %s"), srv->host,
                    g_strerror(e));
        if (b->listen_fd >= 0)
            close(b->listen_fd);
        b->listen_fd = -1;
        bridge_finish(b, NULL);
        return NULL;
    }
    *port_out = ntohs(b->listen_addr.sin_port);
    b->thread = g_thread_new("smtps-relay", relay, b);
    return b;
}

void
bridge_abort(Bridge *b)
{
    if (!b || g_atomic_int_get(&b->aborted))
        return;
    g_atomic_int_set(&b->aborted, 1);
    if (b->wake[1] >= 0) {
        char c = 'x';
        ssize_t n = write(b->wake[1], &c, 1);
        (void)n;
    }
}

void
bridge_finish(Bridge *b, GError **error)
{
    if (!b)
        return;
    bridge_abort(b);
    if (b->thread)
        g_thread_join(b->thread);
    if (b->listen_fd >= 0)
        close(b->listen_fd);
    for (int i = 0; i < 2; i++)
        if (b->wake[i] >= 0)
            close(b->wake[i]);
    net_conn_free(b->conn);
    if (b->error)
        g_propagate_error(error, g_steal_pointer(&b->error));
    g_free(b->host);
    g_free(b);
}
