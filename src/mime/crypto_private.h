/* mime/ crypto internals: the hooks view.c calls while it walks a message,
 * and what the crypto files share. */
#ifndef POSTIE_MIME_CRYPTO_PRIVATE_H
#define POSTIE_MIME_CRYPTO_PRIVATE_H

#include "mime/crypto.h"
#include "mime/private.h"

typedef struct {
    gsize offset;             /* of the line in the body text */
    MimeLineKind kind;
} MimeCryptoMark;

typedef struct {
    char **from;              /* the message's From addresses, lower case */
    gboolean partly_signed;   /* some parts signed, the whole not */
    int covered;              /* > 0: inside signed content */
    int decrypted;            /* > 0: inside decrypted content */
    GArray *marks;            /* MimeCryptoMark, in body order */
    char *protected_subject;  /* Subject from inside the encryption (UTF-8) */
} MimeCrypto;

/* How the view walks content a signed or encrypted part yields; DECRYPTED
 * says it came out of a decryption (no outside HTML converter then). */
typedef void (*MimeCryptoWalkFn)(gpointer walk, GMimeObject *obj, int depth,
                                 gboolean decrypted);

/* ---- hooks for view.c -------------------------------------------------- */

MimeCrypto *mime_crypto_new(GMimeMessage *msg);
void mime_crypto_free(MimeCrypto *c);
/* Called for each object the view walks.  A signed or encrypted part is
 * handled here: status lines go into BODY, its content through FN(WALK),
 * and TRUE is returned.  For other parts FALSE, after marking one that
 * lies outside every signature of a partly signed message. */
gboolean mime_crypto_walk(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                          MimeCryptoWalkFn fn, gpointer walk);
/* A text/plain PART holding inline PGP blocks: shown verified / decrypted
 * into BODY, TRUE.  FALSE (nothing added) when it holds no block. */
gboolean mime_crypto_inline(MimeCrypto *c, GMimePart *part, GString *body);
/* After the walk: V's line kinds (V->body_text is the walked body) and
 * the protected Subject in V's headers. */
void mime_crypto_finish(MimeCrypto *c, MimeView *v);

/* ---- shared between the crypto files ---------------------------------- */

/* Append one status line "[-- TEXT --]" of KIND to BODY on a line of its
 * own.  TEXT must have been through mime_crypto_clean where it holds
 * outside data. */
void mime_crypto_line(MimeCrypto *c, GString *body, MimeLineKind kind,
                      const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* S as one line of valid UTF-8 without control characters (certificate
 * names are outside data and must not break a status line). */
char *mime_crypto_clean(const char *s);
/* Status lines for SIGS (may be NULL or empty: said so).  TRUE when every
 * signature is good. */
gboolean mime_crypto_describe(MimeCrypto *c, GString *body, GMimeSignatureList *sigs);
/* Say ERR (what failed, and why) as a status line of the error kind. */
void mime_crypto_failure(MimeCrypto *c, GString *body, const char *what, const GError *err);

/* The key IDs OpenPGP CIPHERTEXT is encrypted to ("A, B"), read from
 * its packets without decrypting (gpg --list-only --list-packets), or
 * NULL.  For saying which key a failed decryption needed. */
char *mime_crypto_pgp_recipients(const char *ciphertext, gsize len);
/* Say that decrypting failed (ERR) and, for OpenPGP, to which keys the
 * CIPHERTEXT (may be NULL) was encrypted. */
void mime_crypto_decrypt_failure(MimeCrypto *c, GString *body, const char *what,
                                 const GError *err, const char *ciphertext, gsize len);

/* crypto_verify.c / crypto_decrypt.c: handle OBJ if it is theirs. */
gboolean mime_crypto_verify_part(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                                 MimeCryptoWalkFn fn, gpointer walk);
gboolean mime_crypto_decrypt_part(MimeCrypto *c, GMimeObject *obj, int depth, GString *body,
                                  MimeCryptoWalkFn fn, gpointer walk);
/* GMime 3.2.13 workaround (upstream as of 3.2.15 too): its S/MIME
 * multipart/signed has micalg as the engine names the digest ("sha256")
 * and the signature part named "smime.p7m"; RFC 8551 3.5.3 wants
 * "sha-256" and 3.2.1 "smime.p7s".  Fixes MPS in place. */
void mime_crypto_fix_smime_signed(GMimeObject *mps);
/* OBJ is multipart/signed or S/MIME signed-data. */
gboolean mime_crypto_is_signed(GMimeObject *obj);
/* Somewhere below OBJ (or OBJ itself) is a signed part. */
gboolean mime_crypto_contains_signed(GMimeObject *obj, int depth);

#endif
