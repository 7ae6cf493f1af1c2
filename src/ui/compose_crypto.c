/* Signing and encrypting from compose.  Never silently unencrypted: when
 * encryption was asked for and a recipient has no usable key, the user is
 * told which and chooses to send unencrypted or go back. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "ui/compose_crypto.h"

void
compose_crypt_defaults(ComposeCrypt *cc, const Account *a)
{
    if (cc->chosen)
        return;
    cc->flags = a && a->crypt_sign ? MIME_PROTECT_SIGN : 0;
    cc->smime = a && a->smime_key && !a->pgp_key;
}

char *
compose_crypt_describe(const ComposeCrypt *cc)
{
    const char *what = NULL;
    switch (cc->flags & (MIME_PROTECT_SIGN | MIME_PROTECT_ENCRYPT)) {
    case MIME_PROTECT_SIGN: what = _("sign"); break;
    case MIME_PROTECT_ENCRYPT: what = _("encrypt"); break;
    case MIME_PROTECT_SIGN | MIME_PROTECT_ENCRYPT: what = _("sign, encrypt"); break;
    default: return g_strdup(_("none"));
    }
    return g_strdup_printf("%s (%s)", what, cc->smime ? "S/MIME" : "OpenPGP");
}

void
compose_crypt_choose(Ui *ui, ComposeCrypt *cc)
{
    g_autofree char *q = g_strdup_printf(
        _("Security: (s)ign, (e)ncrypt, (b)oth, (c)lear, or (m) use %s instead?"),
        cc->smime ? "OpenPGP" : "S/MIME");
    int k = prompt_choice(ui, q, "sebcm");
    switch (k) {
    case 's': cc->flags = MIME_PROTECT_SIGN; break;
    case 'e': cc->flags = MIME_PROTECT_ENCRYPT; break;
    case 'b': cc->flags = MIME_PROTECT_SIGN | MIME_PROTECT_ENCRYPT; break;
    case 'c': cc->flags = 0; break;
    case 'm': cc->smime = !cc->smime; break;
    default: return;
    }
    cc->chosen = TRUE;
}

static char *
join(GPtrArray *a)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < a->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (char *)a->pdata[i]);
    return g_string_free(s, FALSE);
}

/* Keys for MISSING recipients from their address-book contacts: imported
 * into the keyring.  Returns the recipients still without a key. */
static GPtrArray *
keys_from_book(Ui *ui, const Abook *book, const MimeProtect *p, GBytes *msg, GPtrArray *missing)
{
    if (!book)
        return missing;
    guint imported = 0;
    for (guint i = 0; i < missing->len; i++) {
        const AbookContact *c = abook_find_address(book, missing->pdata[i]);
        g_autoptr(GBytes) key = c ? abook_contact_key(c, p->smime ? ABOOK_KEY_X509 : ABOOK_KEY_PGP)
                                  : NULL;
        g_autoptr(GError) error = NULL;
        if (!key)
            continue;
        if (mime_crypto_import_key(key, p->smime, &error))
            imported++;
        else
            ui_error(ui, "%s", error->message);
    }
    if (imported == 0)
        return missing;
    g_ptr_array_unref(missing);
    return mime_crypto_missing_keys(msg, p);
}

GBytes *
compose_crypt_apply(Ui *ui, ComposeCrypt *cc, const Account *a, const Abook *book, GBytes *msg,
                    gboolean draft)
{
    MimeProtect p = { cc->flags, cc->smime, NULL, FALSE };
    if (a)
        p.sign_key = cc->smime ? a->smime_key : a->pgp_key;
    if (draft) {
        /* A draft is not signed; one meant to be encrypted is stored
         * encrypted, to the sender alone. */
        if (!(p.flags & MIME_PROTECT_ENCRYPT))
            return g_bytes_ref(msg);
        p.flags = MIME_PROTECT_ENCRYPT;
        p.self_only = TRUE;
    } else if (!cc->chosen && a && a->crypt_encrypt_if_possible &&
               !(p.flags & MIME_PROTECT_ENCRYPT)) {
        MimeProtect all = p;
        all.flags |= MIME_PROTECT_ENCRYPT;
        g_autoptr(GPtrArray) missing = keys_from_book(ui, book, &all, msg,
                                                      mime_crypto_missing_keys(msg, &all));
        if (missing->len == 0)
            p.flags |= MIME_PROTECT_ENCRYPT;
    } else if (p.flags & MIME_PROTECT_ENCRYPT) {
        g_autoptr(GPtrArray) missing = keys_from_book(ui, book, &p, msg,
                                                      mime_crypto_missing_keys(msg, &p));
        if (missing->len > 0) {
            g_autofree char *who = join(missing);
            g_autofree char *safe = term_safe(who, -1, 0);
            g_autofree char *q = g_strdup_printf(
                ngettext("No usable %s key for %s. Send unencrypted?",
                         "No usable %s keys for %s. Send unencrypted?", missing->len),
                cc->smime ? "S/MIME" : "OpenPGP", safe);
            if (!prompt_yesno(ui, q, FALSE)) {
                ui_message(ui, _("Not sent: the message is still here."));
                return NULL;
            }
            p.flags &= ~(guint)MIME_PROTECT_ENCRYPT;
        }
    }
    g_autoptr(GError) error = NULL;
    gboolean may_ask = (p.flags & MIME_PROTECT_SIGN) != 0;   /* the secret key */
    if (may_ask)
        ui_crypto_tty_begin();
    GBytes *out = mime_crypto_protect(msg, &p, &error);
    if (may_ask)
        ui_crypto_tty_end();
    if (!out)
        ui_error(ui, "%s", error->message);
    return out;
}

void
ui_crypto_tty_begin(void)
{
    if (!g_getenv("GPG_TTY") && isatty(STDIN_FILENO)) {
        const char *tty = ttyname(STDIN_FILENO);
        if (tty)
            g_setenv("GPG_TTY", tty, FALSE);
    }
    def_prog_mode();
    endwin();
}

void
ui_crypto_tty_end(void)
{
    reset_prog_mode();
    clearok(curscr, TRUE);
    refresh();
}
