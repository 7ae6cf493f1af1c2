/* Compose's signing and encryption choice: defaults from the account, the
 * security key (mutt's "p"), and applying it to the built message. */
#ifndef POSTIE_UI_COMPOSE_CRYPTO_H
#define POSTIE_UI_COMPOSE_CRYPTO_H

#include "abook/abook.h"
#include "mime/crypto.h"
#include "ui/private.h"

typedef struct {
    guint flags;          /* MimeProtectFlags */
    gboolean smime;       /* S/MIME rather than OpenPGP */
    gboolean chosen;      /* set with the key: no automatic encryption */
} ComposeCrypt;

/* A's defaults: crypt_sign; S/MIME when only smime_key is set. */
void compose_crypt_defaults(ComposeCrypt *cc, const Account *a);
/* "sign, encrypt (OpenPGP)", or "none". */
char *compose_crypt_describe(const ComposeCrypt *cc);
/* Ask what to do (sign, encrypt, both, none, other protocol). */
void compose_crypt_choose(Ui *ui, ComposeCrypt *cc);
/* MSG (from mime_build) as it is to be queued, or as a draft (DRAFT:
 * encrypted to the sender alone when encryption is on, else as is).
 * A recipient without a key in the keyring whose contact in BOOK (may be
 * NULL) carries one (vCard KEY) gets it imported; other missing keys are
 * named and the user asked whether to send unencrypted.  NULL when
 * cancelled or failed (said on the screen). */
GBytes *compose_crypt_apply(Ui *ui, ComposeCrypt *cc, const Account *a, const Abook *book,
                            GBytes *msg, gboolean draft);

/* Around work that may ask for a passphrase on this terminal (gpg-agent
 * with pinentry-curses or -tty): tell gpg which terminal it is
 * ($GPG_TTY), give it up (curses suspended), and take it back. */
void ui_crypto_tty_begin(void);
void ui_crypto_tty_end(void);

#endif
