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
    gboolean quick_ack;        /* net_conn_set_quick_ack() */

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

/* tls_cas.c: give CTX the system CAs, read lazily (the hashed directory;
 * the whole bundle only for a chain the directory cannot verify). */
gboolean net_tls_use_system_cas(SSL_CTX *ctx);

/* SSL_get_verify_result(), except that on a context from
 * net_tls_use_system_cas() a failed chain is verified once more against
 * the full default paths (bundle and directory), so the verdict is the
 * one that store gives. */
long net_tls_verify_result(SSL *ssl);

/* Pull the OpenSSL error queue into one string (g_free), or NULL. */
char *net_tls_error_string(void);

/* After an OpenSSL call on C returned R <= 0 (SSL_read_ex, SSL_write_ex,
 * SSL_connect in tls.c): the one reading of SSL_get_error.  TRUE when it
 * wanted to read or write and we waited for that: call it again.  FALSE
 * with *ERROR set when the wait failed (timeout, cancelled), the peer
 * closed the connection, or TLS failed; the connection is then broken. */
typedef enum { NET_TLS_READ, NET_TLS_WRITE, NET_TLS_HANDSHAKE } NetTlsOp;
gboolean net_tls_retry(NetConn *c, int r, NetTlsOp op, GError **error);

#endif
