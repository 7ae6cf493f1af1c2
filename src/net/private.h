/* net/ internals: the connection struct shared by conn.c and tls.c. */
#ifndef POSTIE_NET_PRIVATE_H
#define POSTIE_NET_PRIVATE_H

#include <signal.h>

#include "net/net.h"

struct NetConn {
    int fd;                    /* non-blocking socket */
    char *host;                /* as given: errors, SNI, certificate */
    guint16 port;
    char address[64];          /* numeric peer address */
    int timeout_ms;
    GCancellable *cancellable; /* may be NULL */
    SSL *ssl;                  /* NULL until TLS */
    gboolean broken;           /* a fatal error happened */

    /* received bytes: buf[start, end) are unread */
    char *buf;
    gsize start, end, size;
};

/* Wait until FD is readable (WANT_READ) or writable, or the timeout, or
 * cancellation.  WHAT names the operation in the error. */
gboolean net_conn_wait(NetConn *c, gboolean want_read, const char *what,
                       GError **error);

/* Describe the host in errors: "HOST:PORT" or "[V6]:PORT". */
char *net_conn_describe(const NetConn *c);

/* OpenSSL writes to the socket with write(), which raises SIGPIPE when
 * the peer is gone.  The program ignores SIGPIPE, but the library must
 * not depend on it: block it around TLS calls that may write, and eat a
 * SIGPIPE they caused. */
typedef struct {
    gboolean was_pending;
    sigset_t old;
} NetSigpipeGuard;
void net_sigpipe_block(NetSigpipeGuard *g);
void net_sigpipe_restore(NetSigpipeGuard *g);

/* Pull the OpenSSL error queue into one string (g_free), or NULL. */
char *net_tls_error_string(void);

/* What an OpenSSL call on C that returned R <= 0 (SSL_read_ex,
 * SSL_write_ex, SSL_connect) means; the one reading of SSL_get_error for
 * reads, writes and the handshake (tls.c). */
typedef enum {
    NET_TLS_AGAIN,   /* it wanted to read or write and we waited: call again */
    NET_TLS_WAIT_FAILED, /* that wait timed out or was cancelled: *ERROR set */
    NET_TLS_CLOSED,  /* the peer closed or reset the connection */
    NET_TLS_FAILED,  /* a TLS error; net_tls_error_string() says which */
} NetTlsStatus;
NetTlsStatus net_tls_status(NetConn *c, int r, const char *what,
                            GError **error);

#endif
