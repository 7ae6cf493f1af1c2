/* net/: one client connection — TCP with timeouts, the TLS policy, lines.
 *
 *   conn.c     NetConn: connect (IPv4 and IPv6, every address in turn, with
 *              a timeout), poll-based read and write timeouts, cancellation,
 *              buffered reading with a hard limit on line length
 *   tls.c      the ONE TLS policy of postie (POP3, and send/'s relay for
 *              SMTP): TLS 1.2 or newer, system CAs or
 *              ca_file, SNI, chain + host name check, SHA-256 pinning;
 *              and net_conn_start_tls() for implicit TLS and STLS
 *   tls_cas.c  the system CAs read lazily: the hashed directory, the
 *              whole bundle only for a chain the directory cannot verify
 *   https.c    net_https_get(): one small HTTPS download through libcurl
 *              (provider autoconfig files): https only, also after a
 *              redirect, certificate and host name checked, size and
 *              time bounded
 *   curl.c     net_curl(): libcurl opened on first use (curl.h), for
 *              https.c and oauth/http.c
 *   private.h  the NetConn struct, shared by conn.c and tls.c, and the
 *              SIGPIPE guard around OpenSSL calls that may write
 *
 * Order of calls:
 *   net_conn_connect()                 TCP to host:port
 *   [net_conn_start_tls()]             at once (implicit TLS) or after the
 *                                      protocol's STLS/STARTTLS reply
 *   net_conn_read_line() / net_conn_write() / net_conn_read_data()
 *   net_conn_free()
 *
 * Every error is in the POSTIE_ERROR domain and names the host:
 *   POSTIE_ERROR_NET        DNS, connect, timeout, connection closed
 *   POSTIE_ERROR_PROTOCOL   a line longer than the caller's limit
 *   POSTIE_ERROR_TLS        handshake or certificate check failed
 *   POSTIE_ERROR_CANCELLED  the GCancellable was triggered
 *
 * Includes OpenSSL's ssl.h (SSL_CTX / SSL in the prototypes below).
 */
#ifndef POSTIE_NET_H
#define POSTIE_NET_H

#include <gio/gio.h>
#include <openssl/ssl.h>

/* ---- the TLS policy (used by pop3/ and by send/'s relay) ----------------- */

/* A client context: TLS 1.2 or newer, the system CA store (read lazily,
 * tls_cas.c), or only CA_FILE when not NULL ("~/" is expanded); no
 * compression, no renegotiation.
 * Peer verification is left to net_tls_check_peer() after the handshake
 * (SSL_VERIFY_NONE in the context), so that a pinned self-signed
 * certificate can be accepted and every refusal gets a precise reason.
 * NEVER use a connection made with this context without calling
 * net_tls_check_peer() on it.  Returns NULL with POSTIE_ERROR_TLS (or
 * POSTIE_ERROR_CONFIG when CA_FILE cannot be read) on failure. */
SSL_CTX *net_tls_client_ctx_new(const char *ca_file, GError **error);

/* After a handshake: accept if FINGERPRINT (normalised lower-case hex
 * SHA-256, or NULL) matches the peer certificate; otherwise require a valid
 * chain and HOST matching (DNS or IP SAN).  The error names the host and
 * why: expired, not yet valid, wrong host name, unknown issuer / self-signed,
 * pin mismatch (showing the actual fingerprint).  When FINGERPRINT is set it
 * is the only thing accepted (a valid chain with another certificate is
 * refused).  FINGERPRINT may also carry colons and upper case; it is
 * normalised before comparing.  Error code: POSTIE_ERROR_TLS. */
gboolean net_tls_check_peer(SSL *ssl, const char *host,
                            const char *fingerprint, GError **error);

/* SHA-256 fingerprint of the peer certificate, "ab:cd:..." for display
 * (lower case, 95 characters).  NULL when there is no peer certificate.
 * g_free() the result. */
char *net_tls_peer_fingerprint(SSL *ssl);

/* Normalise a configured fingerprint: drop ':' and whitespace, lower-case.
 * Returns NULL if the result is not 64 hex digits.  g_free() the result. */
char *net_tls_normalize_fingerprint(const char *fingerprint);

/* ---- one connection ----------------------------------------------------- */

typedef struct NetConn NetConn;

/* Longest line net_conn_read_line() accepts when the caller passes 0. */
#define NET_DEFAULT_MAX_LINE (64 * 1024)

/* Connect to HOST:PORT.  HOST may be a name, an IPv4 or an IPv6 literal
 * (without brackets).  Every address getaddrinfo() returns is tried in
 * turn, each with a non-blocking connect bounded by TIMEOUT seconds
 * (<= 0: 60).  The same TIMEOUT bounds every later read and write.
 * CANCELLABLE (may be NULL) interrupts any wait with
 * POSTIE_ERROR_CANCELLED.  The error names host and port and says why
 * (no such host, refused, timed out, ...). */
NetConn *net_conn_connect(const char *host, guint16 port, int timeout,
                          GCancellable *cancellable, GError **error);

/* Close the connection (TLS close_notify is sent when possible, without
 * waiting) and free it.  NULL is fine. */
void net_conn_free(NetConn *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetConn, net_conn_free)

/* The host name as the user gave it (used in every error message). */
const char *net_conn_host(const NetConn *c);
guint16 net_conn_port(const NetConn *c);
/* The numeric address actually connected to, e.g. "::1" or "127.0.0.1". */
const char *net_conn_address(const NetConn *c);
/* The socket, for poll() by a caller that relays the connection (never
 * read or write it directly: bytes may sit in the buffer or in TLS). */
int net_conn_fd(const NetConn *c);

/* For command/reply protocols (SMTP): acknowledge the server's segments at
 * once.  A server that writes a multi-line reply in several writes with
 * Nagle's algorithm on holds the rest of it until our ACK, which Linux
 * delays up to 40 ms: twice per SMTP session (the two EHLO replies) with
 * aiosmtpd.  Once set, every wait for the server's data first sends a
 * pending ACK and asks for quick ones (TCP_QUICKACK; the kernel drops it
 * again by itself, so it is asked for at every wait). */
void net_conn_set_quick_ack(NetConn *c, gboolean on);
/* Ask for that now, for a caller that polls net_conn_fd() itself. */
void net_conn_quick_ack(NetConn *c);

/* Start TLS on the connection with CTX (from net_tls_client_ctx_new()):
 * first DISCARDS every byte received and buffered so far (anything a man
 * in the middle injected before the handshake), sends SNI for HOST unless
 * it is an IP literal, does the handshake within the timeout, then calls
 * net_tls_check_peer(ssl, host, FINGERPRINT).  On failure the connection
 * must not be used any more except for net_conn_free(). */
gboolean net_conn_start_tls(NetConn *c, SSL_CTX *ctx, const char *fingerprint,
                            GError **error);
/* TRUE once TLS is up. */
gboolean net_conn_is_tls(const NetConn *c);
/* The SSL object (NULL before TLS), e.g. for the cipher name. */
SSL *net_conn_ssl(NetConn *c);
/* The SHA-256 fingerprint of the peer certificate (as
 * net_tls_peer_fingerprint()), also after net_conn_start_tls() refused
 * it: for the setup to show the user, never to trust by itself.  NULL
 * when no handshake got that far. */
char *net_conn_peer_fingerprint(NetConn *c);

/* Bytes received but not yet consumed by the readers below. */
gsize net_conn_buffered(const NetConn *c);

/* Read one line.  Returns a pointer into the connection's buffer (valid
 * until the next call on C), NUL-terminated, with the line ending (CRLF or
 * a bare LF) removed; *LEN (may be NULL) gets its length.  A line may hold
 * NUL bytes; use *LEN.  A line longer than MAX_LEN bytes (0:
 * NET_DEFAULT_MAX_LINE) is POSTIE_ERROR_PROTOCOL ("the server sent a line
 * longer than N bytes"); the peer closing before a full line arrived is
 * POSTIE_ERROR_NET.  Memory use stays bounded
 * by MAX_LEN whatever the peer sends. */
const char *net_conn_read_line(NetConn *c, gsize max_len, gsize *len,
                               GError **error);

/* Raw buffered reading for fast parsers (pop3's multi-line decoder):
 * net_conn_peek() returns the buffered bytes, reading more from the peer
 * (waiting up to the timeout) only if none are buffered.  *LEN gets the
 * count (> 0 on success).  The peer closing is an error.  Then
 * net_conn_consume() drops the first N of them (N <= *LEN). */
const char *net_conn_peek(NetConn *c, gsize *len, GError **error);
void net_conn_consume(NetConn *c, gsize n);

/* Write all LEN bytes (waiting up to the timeout for room). */
gboolean net_conn_write(NetConn *c, const void *data, gsize len,
                        GError **error);

/* GET URL (https:// only; redirects only to https://) and return the
 * body, at most MAX bytes, within TIMEOUT seconds.  The certificate chain
 * (system CAs, or the file named by $SSL_CERT_FILE) and the host name are
 * checked.  Errors name the URL: POSTIE_ERROR_NET (DNS, connect, timeout,
 * an HTTP status other than 200), POSTIE_ERROR_TLS (certificate),
 * POSTIE_ERROR_FORMAT (larger than MAX).
 * $https_proxy and $no_proxy are honoured as libcurl does (a CONNECT
 * tunnel: the certificate is still checked against the URL's host). */
GBytes *net_https_get(const char *url, gsize max, int timeout, GError **error);

#endif
