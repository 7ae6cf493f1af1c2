/* util/: small shared pieces every layer may use.
 *
 *   error.c      the one GError domain of the core, and its codes
 *   termsafe.c   make untrusted text safe to draw on a terminal
 *   atomicfile.c write a whole file through temp + fsync + rename
 *   paths.c      where config, mail and state live (XDG)
 *   secret.c     wiping secrets; no core dumps while they are held
 *   spawn.c      the set-up of every child program
 *   sha256.c     SHA-256 digests (OpenSSL: fast on every byte fetched)
 *   strhash.c    a fast string hash for big tables of short keys
 *   i18n.h       gettext macros
 *
 * Nothing here includes a header from another directory of src/.
 */
#ifndef POSTIE_UTIL_H
#define POSTIE_UTIL_H

#include <glib.h>
#include "util/i18n.h"

/* ---- errors ----------------------------------------------------------- */

/* One domain for the whole core; the code says what kind of failure it was
 * so callers (and exit codes) can tell them apart.  The message always says
 * what failed, where (file, host, account) and why. */
#define POSTIE_ERROR (postie_error_quark())
GQuark postie_error_quark(void);

typedef enum {
    POSTIE_ERROR_FAILED,     /* anything not covered below */
    POSTIE_ERROR_CONFIG,     /* bad or missing configuration */
    POSTIE_ERROR_IO,         /* a local file operation failed */
    POSTIE_ERROR_NOSPACE,    /* disk full or quota exceeded */
    POSTIE_ERROR_LOCKED,     /* a folder lock could not be had in time */
    POSTIE_ERROR_FORMAT,     /* local data (folder, cache) is malformed */
    POSTIE_ERROR_NET,        /* connect, DNS, timeout, connection dropped */
    POSTIE_ERROR_TLS,        /* handshake or certificate check failed */
    POSTIE_ERROR_PROTOCOL,   /* the server said something we cannot accept */
    POSTIE_ERROR_AUTH,       /* the server refused our credentials */
    POSTIE_ERROR_INSECURE,   /* refused: would send a secret in the clear */
    POSTIE_ERROR_UNSUPPORTED,/* the server lacks a needed feature */
    POSTIE_ERROR_REJECTED,   /* the server refused a message or recipient */
    POSTIE_ERROR_TEMPORARY,  /* the server asked us to try again later */
    POSTIE_ERROR_NOT_FOUND,  /* no such folder, message, account, ... */
    POSTIE_ERROR_CANCELLED,  /* the user stopped it */
} PostieErrorCode;

/* Set *error from errno after a failed system call on PATH.  WHAT is a
 * short verb phrase such as "write" or "rename".  ENOSPC and EDQUOT map to
 * POSTIE_ERROR_NOSPACE. */
void postie_set_error_errno(GError **error, int errnum, const char *what,
                            const char *path);

/* ---- terminal-safe text ------------------------------------------------ */

/* Return a newly allocated copy of TEXT (LEN bytes, or -1 for a C string)
 * that is valid UTF-8 and holds no control characters: C0 controls become
 * caret notation ("^[" for ESC), DEL becomes "^?", C1 controls and other
 * format characters that could move the cursor or change the terminal's
 * state become "\u{XXXX}"-style visible escapes, invalid bytes become U+FFFD.
 * Tabs are expanded to single spaces unless KEEP_TABS, and newlines are
 * kept only when KEEP_NEWLINES. */
typedef enum {
    TERM_SAFE_DEFAULT = 0,
    TERM_SAFE_KEEP_NEWLINES = 1 << 0,
    TERM_SAFE_KEEP_TABS = 1 << 1,
} TermSafeFlags;
char *term_safe(const char *text, gssize len, TermSafeFlags flags);

/* Columns TEXT (valid UTF-8, already made safe) takes on a terminal:
 * wide characters count 2, combining marks 0. */
gsize term_width(const char *text);

/* ---- atomic files ------------------------------------------------------ */

/* Replace PATH with DATA (LEN bytes): write a temporary file in the same
 * directory, fsync it, give it MODE, rename it over PATH and fsync the
 * directory.  A crash at any moment leaves either the old or the new file. */
gboolean atomic_write_file(const char *path, const void *data, gsize len,
                           int mode, GError **error);

/* fsync the directory holding PATH, so a rename or create in it is durable. */
gboolean fsync_parent_dir(const char *path, GError **error);

/* Write all LEN bytes to FD, retrying short writes and EINTR. */
gboolean write_all(int fd, const void *data, gsize len, const char *path,
                   GError **error);

/* ---- paths ------------------------------------------------------------- */

/* $XDG_CONFIG_HOME/postie/config */
char *paths_default_config_file(void);
/* $XDG_DATA_HOME/postie/mail */
char *paths_default_mail_dir(void);
/* $XDG_DATA_HOME/postie */
char *paths_data_dir(void);
/* $XDG_STATE_HOME/postie (index caches, UIDL records) */
char *paths_state_dir(void);
/* Expand a leading "~/" to the home directory. */
char *paths_expand_home(const char *path);
/* mkdir -p with MODE; fine if it exists. */
gboolean paths_ensure_dir(const char *dir, int mode, GError **error);

/* ---- secrets ---------------------------------------------------------- */

/* Overwrite S (NUL-terminated, may be NULL) with zeros, in a way the
 * compiler cannot drop. */
void secret_wipe(char *s);
/* secret_wipe + g_free: for passwords, tokens and anything built from
 * them (command lines, SASL payloads). */
void secret_free(char *s);
/* Wipe all of S's buffer, then free it. */
void secret_string_free(GString *s);
/* For a char * that will hold a secret: wiped and freed at scope exit. */
static inline void
secret_autofree(char **p)
{
    secret_free(*p);
}
#define secret_auto __attribute__((cleanup(secret_autofree)))

/* ---- SASL client messages (sasl.c), base64; each result is a secret -- */

/* PLAIN (RFC 4616): NUL USER NUL SECRET. */
char *sasl_plain(const char *user, const char *secret);
/* XOAUTH2: user=USER ^A auth=Bearer TOKEN ^A ^A. */
char *sasl_xoauth2(const char *user, const char *token);
/* OAUTHBEARER (RFC 7628), with the server's HOST and PORT. */
char *sasl_oauthbearer(const char *user, const char *host, guint port, const char *token);
/* CRAM-MD5 (RFC 2195): "USER hex(HMAC-MD5(SECRET, CHALLENGE))". */
char *sasl_cram_md5(const char *user, const char *secret, const guchar *challenge,
                    gsize challenge_len);

/* No core dumps and no ptrace attach (RLIMIT_CORE 0, PR_SET_DUMPABLE 0),
 * for good: called before a password or token is loaded (config/secret.c)
 * and by the screen at start-up.  Children inherit the core limit, not the
 * other. */
void secrets_protect_process(void);

/* ---- child programs ---------------------------------------------------- */

/* The GSpawnChildSetupFunc for every program postie starts (password and
 * token commands, editor, mailcap entries, converters): SIGPIPE back to
 * its default.  Async-signal-safe. */
void spawn_child_setup(gpointer unused);

/* ---- SHA-256 (sha256.c, OpenSSL) ----------------------------------------- */

typedef struct Sha256 Sha256;
Sha256 *sha256_new(void);
void sha256_update(Sha256 *s, const void *data, gsize len);
/* The lowercase hex digest (64 characters); frees S. */
char *sha256_finish(Sha256 *s);
void sha256_free(Sha256 *s);
/* sha256_finish of DATA alone. */
char *sha256_hex(const void *data, gsize len);

/* ---- hashing (strhash.c) ------------------------------------------------ */

/* For GHashTables keyed by many short strings (with g_str_equal):
 * several times faster than g_str_hash. */
guint str_hash_fast(gconstpointer key);

#endif
