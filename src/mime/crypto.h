/* mime/ crypto: signed and encrypted mail as the viewer shows it.
 *
 *   crypto.c         the walk's state: which parts are covered by a
 *                    signature, status line marks, protected headers
 *   crypto_verify.c  multipart/signed and S/MIME signed-data: verify and
 *                    describe each signature ("Good signature from ...")
 *   crypto_decrypt.c multipart/encrypted and S/MIME enveloped-data
 *   inline_pgp.c     "-----BEGIN PGP ...-----" blocks inside text/plain
 *   crypto_build.c   outgoing mail signed and/or encrypted (RFC 3156,
 *                    RFC 8551) with the Subject protected inside
 *
 * All cryptography is GMime's GPGME contexts (gpg for OpenPGP, gpgsm for
 * S/MIME) with the user's keyring and agent.  Decrypted content lives only
 * in the MimeView in memory; nothing here writes it anywhere.
 */
#ifndef POSTIE_MIME_CRYPTO_H
#define POSTIE_MIME_CRYPTO_H

#include <glib.h>

#include "mime/mime.h"

/* What a body line of a MimeView is (MimeView.line_kinds). */
typedef enum {
    MIME_LINE_TEXT = 0,       /* message text */
    MIME_LINE_CRYPTO_GOOD,    /* a good signature, a decrypted part */
    MIME_LINE_CRYPTO_BAD,     /* bad signature, failure, warning: error colour */
    MIME_LINE_CRYPTO_INFO,    /* end of a signed or encrypted part */
} MimeLineKind;

/* The kind of body line I of V (MIME_LINE_TEXT when V has no crypto). */
MimeLineKind mime_view_line_kind(const MimeView *v, guint i);

/* ---- inline PGP (the scanner is public for tests and the fuzzer) ------- */

typedef enum {
    MIME_PGP_SIGNED,          /* -----BEGIN PGP SIGNED MESSAGE----- ... END PGP SIGNATURE */
    MIME_PGP_MESSAGE,         /* -----BEGIN PGP MESSAGE----- ... END PGP MESSAGE */
} MimePgpKind;

typedef struct {
    MimePgpKind kind;
    gsize start;              /* offset of the BEGIN line */
    gsize end;                /* just past the END line (and its newline) */
} MimePgpBlock;

/* Complete armored blocks in TEXT (any ASCII-compatible charset), in
 * order and not overlapping.  Marker lines must start a line; trailing
 * spaces and CR are allowed.  Blocks without their END line are not
 * blocks.  Returns a GArray of MimePgpBlock. */
GArray *mime_pgp_scan(const char *text, gsize len);

/* ---- outgoing mail ----------------------------------------------------- */

typedef enum {
    MIME_PROTECT_SIGN = 1 << 0,
    MIME_PROTECT_ENCRYPT = 1 << 1,
} MimeProtectFlags;

typedef struct {
    guint flags;              /* MimeProtectFlags; 0: nothing to do */
    gboolean smime;           /* S/MIME (gpgsm) rather than OpenPGP (gpg) */
    const char *sign_key;     /* pgp_key / smime_key; NULL: the From address */
    gboolean self_only;       /* encrypt to the sender alone (a Drafts copy) */
} MimeProtect;

/* The recipients of RAW (To, Cc and Bcc addresses, lower case) that have
 * no usable encryption key in the keyring for P's protocol (char*). */
GPtrArray *mime_crypto_missing_keys(GBytes *raw, const MimeProtect *p);
/* RAW, a message as mime_build makes it, signed and/or encrypted as P
 * says: the body becomes multipart/signed, multipart/encrypted or
 * application/pkcs7-mime (7-bit, canonical CRLF inside the signature,
 * micalg from the digest used).  Encryption is to every To, Cc and Bcc
 * recipient and to the sender (so the Sent copy stays readable); the real
 * Subject, From, To, Cc and Date go inside (protected headers) and the
 * outer Subject is "...".  With Bcc recipients an OpenPGP message names
 * no key IDs at all, so the others cannot tell whom else it was for.  Fails when a key is missing (naming it). */
GBytes *mime_crypto_protect(GBytes *raw, const MimeProtect *p, GError **error);
/* Add KEY (an OpenPGP public key, or with SMIME an X.509 certificate) to
 * the user's keyring (gpg / gpgsm). */
gboolean mime_crypto_import_key(GBytes *key, gboolean smime, GError **error);

#endif
