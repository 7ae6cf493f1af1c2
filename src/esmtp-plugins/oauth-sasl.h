/* What postie's OAuth plugins and postie agree on: the fields the plugins
 * ask for through libesmtp's interaction callback, and the SASL strings.
 *
 * Plain C without GLib: the plugins are loaded into libesmtp and must not
 * drag GLib into a program that does not use it.
 */
#ifndef POSTIE_OAUTH_SASL_H
#define POSTIE_OAUTH_SASL_H

#include <stddef.h>

/* Flags of struct auth_client_request beyond libesmtp's AUTH_USER (0x1),
 * AUTH_REALM (0x2), AUTH_PASS (0x4) and AUTH_CLEARTEXT (0x8).  A token is
 * never flagged AUTH_PASS, so a program that answers password requests
 * never hands its password to these mechanisms. */
#define POSTIE_AUTH_XOAUTH2_TOKEN      0x0100  /* access token for XOAUTH2 */
#define POSTIE_AUTH_OAUTHBEARER_TOKEN  0x0200  /* access token for OAUTHBEARER */
#define POSTIE_AUTH_HOST               0x0400  /* server host name (OAUTHBEARER) */
#define POSTIE_AUTH_PORT               0x0800  /* server port, decimal */

/* libesmtp 1.1 base64-encodes a SASL response into a 2048-byte buffer
 * (smtp-auth.c, cmd_auth and cmd_auth2); a longer one is silently not
 * sent.  So the raw response may be at most this long. */
#define POSTIE_SASL_MAX_RESPONSE 1533

/* RFC 4954 4 / RFC 5321 4.5.3.1.4: "AUTH NAME initial-response" must fit
 * a 512-octet command line; a longer response goes after an empty 334
 * challenge instead (Gmail answers 555 to a longer line). */
#define POSTIE_SMTP_LINE_MAX 512
/* Does the response of LEN bytes fit on the AUTH line of MECH? */
int oauth_sasl_fits_auth_line(const char *mech, int len);

/* Write the client response into BUF (SIZE bytes) and return its length,
 * or -1 when it does not fit or a field holds a byte the format forbids
 * (\001 in any field; a line break). */
int oauth_sasl_xoauth2(char *buf, size_t size, const char *user,
                       const char *token);
int oauth_sasl_oauthbearer(char *buf, size_t size, const char *user,
                           const char *host, const char *port,
                           const char *token);

#endif
