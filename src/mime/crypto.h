/* mime/ crypto: signed and encrypted mail as the viewer shows it.
 *
 *   crypto.c         the walk's state: which parts are covered by a
 *                    signature, status line marks, protected headers
 *   crypto_verify.c  multipart/signed and S/MIME signed-data: verify and
 *                    describe each signature ("Good signature from ...")
 *   crypto_decrypt.c multipart/encrypted and S/MIME enveloped-data
 *   inline_pgp.c     "-----BEGIN PGP ...-----" blocks inside text/plain
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

#endif
