/* Every file of tests/data/abook, cut and damaged in many ways with a
 * fixed seed, through every reader: no crash, and what we write we read
 * back (see tests/fuzz/abook-check.h). */
#include <config.h>

#include <gmime/gmime.h>

#include "tests/fuzz/abook-check.h"

static void
test_mutations(gconstpointer name)
{
    g_autofree char *path = g_build_filename(TEST_DATA_DIR, "abook", (const char *)name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    abook_check_input(data, len);
    GRand *r = g_rand_new_with_seed(7);
    static const char *inserts[] = { "\r\n", "\n ", "\"", "=", ":", ";", ",", "\\",
                                     "\xff", "\xc3", "\0", "BEGIN:VCARD\n", "END:VCARD\n",
                                     "::", "=\n", "\t", "^", "<", ">", "@" };
    for (int i = 0; i < 150; i++) {
        g_autofree char *m = g_memdup2(data, len + 1);
        gsize mlen = len;
        int edits = g_rand_int_range(r, 1, 6);
        for (int e = 0; e < edits && mlen > 0; e++) {
            gsize at = (gsize)g_rand_int_range(r, 0, (gint32)mlen);
            switch (g_rand_int_range(r, 0, 4)) {
            case 0:                 /* truncate */
                mlen = at;
                break;
            case 1:                 /* flip a byte */
                m[at] = (char)g_rand_int_range(r, 0, 256);
                break;
            case 2: {               /* insert a troublesome piece */
                const char *ins = inserts[g_rand_int_range(r, 0, G_N_ELEMENTS(inserts))];
                gsize il = *ins ? strlen(ins) : 1;
                char *n = g_malloc(mlen + il + 1);
                memcpy(n, m, at);
                memcpy(n + at, ins, il);
                memcpy(n + at + il, m + at, mlen - at + 1);
                g_free(m);
                m = n;
                mlen += il;
                break;
            }
            default: {              /* delete a run */
                gsize want = (gsize)g_rand_int_range(r, 1, 40);
                gsize n = MIN(mlen - at, want);
                memmove(m + at, m + at + n, mlen - at - n + 1);
                mlen -= n;
            }
            }
        }
        m[mlen] = '\0';
        abook_check_input(m, mlen);
    }
    g_rand_free(r);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_mime_init();
    static const char *files[] = {
        "contacts-40.vcf", "contacts-30.vcf", "contacts-21.vcf", "broken.vcf",
        "aliases.mutt", "thunderbird.csv", "outlook.csv", "google.csv",
        "unterminated.csv", "cp1252.csv", "thunderbird.ldif", "dup-a.vcf", "dup-b.csv",
        "fuzz-long-name.vcf",   /* once took our own folded output for stray lines */
        "fuzz-empty-qp.vcf",    /* an empty quoted-printable value was NULL */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *p = g_strdup_printf("/abook/mutate/%s", files[i]);
        g_test_add_data_func(p, files[i], test_mutations);
    }
    return g_test_run();
}
