/* Inline public keys in vCard KEY properties: which forms are read (a
 * data: URI, vCard 3 base64, an armored block), what kind of key they
 * are, and what is refused (URLs, other properties, empty data). */
#include <config.h>

#include <string.h>

#include "abook/abook.h"

typedef struct {
    const char *name;
    const char *line;
    AbookKeyKind kind;      /* ABOOK_KEY_NONE: no key expected */
    const char *data;       /* expected bytes (NUL-free in these cases) */
} KeyCase;

static const KeyCase key_cases[] = {
    { "data URI, vCard 4", "KEY:data:application/pgp-keys;base64,AQIDBA==", ABOOK_KEY_PGP, "\x01\x02\x03\x04" },
    { "MEDIATYPE param", "KEY;MEDIATYPE=application/pgp-keys:data:;base64,AQIDBA==", ABOOK_KEY_PGP,
      "\x01\x02\x03\x04" },
    { "group prefix, lower case", "item1.key:data:application/pgp-keys;base64,AQIDBA==", ABOOK_KEY_PGP,
      "\x01\x02\x03\x04" },
    { "vCard 3 base64", "KEY;TYPE=PGP;ENCODING=b:AQIDBA==", ABOOK_KEY_PGP, "\x01\x02\x03\x04" },
    { "vCard 2.1 bare", "KEY;TYPE=PGP;ENCODING=BASE64:AQID BA==", ABOOK_KEY_PGP, "\x01\x02\x03\x04" },
    { "X.509 data URI", "KEY:data:application/pkix-cert;base64,MAEC", ABOOK_KEY_X509, "\x30\x01\x02" },
    { "X.509 vCard 3", "KEY;TYPE=X509;ENCODING=b:MAEC", ABOOK_KEY_X509, "\x30\x01\x02" },
    { "percent-encoded data", "KEY:data:application/pgp-keys,%01%02", ABOOK_KEY_PGP, "\x01\x02" },
    { "armored text", "KEY:-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nmQ\\n-----END PGP PUBLIC KEY BLOCK-----",
      ABOOK_KEY_PGP, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ\n-----END PGP PUBLIC KEY BLOCK-----" },
    { "quoted param with colon", "KEY;X-NOTE=\"a:b\";TYPE=PGP;ENCODING=b:AQIDBA==", ABOOK_KEY_PGP,
      "\x01\x02\x03\x04" },
    { "URL: never fetched", "KEY;MEDIATYPE=application/pgp-keys:https://example.org/k.asc", ABOOK_KEY_NONE, NULL },
    { "unknown kind", "KEY:data:application/octet-stream;base64,AQIDBA==", ABOOK_KEY_NONE, NULL },
    { "empty data", "KEY:data:application/pgp-keys;base64,", ABOOK_KEY_NONE, NULL },
    { "not base64 at all", "KEY;TYPE=PGP;ENCODING=b:!!!!", ABOOK_KEY_NONE, NULL },
    { "no comma in data URI", "KEY:data:application/pgp-keys;base64AQID", ABOOK_KEY_NONE, NULL },
    { "other property", "TEL:data:application/pgp-keys;base64,AQIDBA==", ABOOK_KEY_NONE, NULL },
    { "KEYS is not KEY", "KEYS:data:application/pgp-keys;base64,AQIDBA==", ABOOK_KEY_NONE, NULL },
    { "no colon", "KEY;TYPE=PGP", ABOOK_KEY_NONE, NULL },
    { "empty", "", ABOOK_KEY_NONE, NULL },
};

static void
test_key(gconstpointer p)
{
    const KeyCase *c = p;
    AbookKeyKind kind = ABOOK_KEY_PGP;
    g_autoptr(GBytes) data = abook_key_from_line(c->line, &kind);
    if (c->kind == ABOOK_KEY_NONE) {
        g_assert_null(data);
        g_assert_cmpint(kind, ==, ABOOK_KEY_NONE);
        return;
    }
    g_assert_nonnull(data);
    g_assert_cmpint(kind, ==, c->kind);
    gsize n = 0;
    const char *d = g_bytes_get_data(data, &n);
    g_assert_cmpmem(d, n, c->data, strlen(c->data));
}

static void
test_contact_key(void)
{
    g_autoptr(AbookContact) c = abook_contact_new();
    g_ptr_array_add(c->extra, g_strdup("TEL:+1 555"));
    g_ptr_array_add(c->extra, g_strdup("KEY;TYPE=X509;ENCODING=b:MAEC"));
    g_ptr_array_add(c->extra, g_strdup("KEY:data:application/pgp-keys;base64,AQIDBA=="));
    g_autoptr(GBytes) pgp = abook_contact_key(c, ABOOK_KEY_PGP);
    g_autoptr(GBytes) x509 = abook_contact_key(c, ABOOK_KEY_X509);
    g_assert_cmpuint(g_bytes_get_size(pgp), ==, 4);
    g_assert_cmpuint(g_bytes_get_size(x509), ==, 3);
    g_autoptr(AbookContact) none = abook_contact_new();
    g_assert_null(abook_contact_key(none, ABOOK_KEY_PGP));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(key_cases); i++) {
        g_autofree char *path = g_strdup_printf("/abook-key/%s", key_cases[i].name);
        g_test_add_data_func(path, &key_cases[i], test_key);
    }
    g_test_add_func("/abook-key/contact", test_contact_key);
    return g_test_run();
}
