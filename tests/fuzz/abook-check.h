/* One input through every address book reader, then through the writer
 * and back: shared by the libFuzzer target and the mutation test.  Any
 * crash, invalid UTF-8 in a result or a vCard we cannot read back is a
 * bug. */
#ifndef POSTIE_FUZZ_ABOOK_CHECK_H
#define POSTIE_FUZZ_ABOOK_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abook/private.h"

static void
abook_check_input(const char *data, size_t len)
{
    static const AbookFormat formats[] = {
        ABOOK_FORMAT_AUTO, ABOOK_FORMAT_VCARD, ABOOK_FORMAT_MUTT,
        ABOOK_FORMAT_CSV, ABOOK_FORMAT_LDIF,
    };
    /* The readers get a NUL-terminated copy, as g_file_get_contents gives. */
    char *copy = g_malloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    for (size_t f = 0; f < G_N_ELEMENTS(formats); f++) {
        AbookImportReport rep = { 0 };
        GError *error = NULL;
        GPtrArray *got = abook_parse(copy, len, "fuzz", formats[f], &rep, &error);
        if (!got) {
            g_clear_error(&error);
            abook_import_report_clear(&rep);
            continue;
        }
        Abook *ab = abook_new("/nonexistent/contacts.vcf", "/nonexistent/used");
        abook_import_contacts(ab, got, &rep);
        g_ptr_array_unref(got);
        for (guint i = 0; i < abook_count(ab); i++) {
            AbookContact *c = abook_get(ab, i);
            if (!g_utf8_validate(c->fn, -1, NULL)) {
                fprintf(stderr, "format %d fn [%s]\n", (int)formats[f], c->fn);
                abort();
            }
            GPtrArray *comp = abook_complete(ab, c->fn, 5);
            GPtrArray *exp = abook_expand(ab, c->fn);
            g_ptr_array_unref(comp);
            if (exp)
                g_ptr_array_unref(exp);
        }
        abook_merge_duplicates(ab);
        char *vcf = abook_export_vcard(ab);
        char *csv = abook_export_csv(ab);
        if (!g_utf8_validate(vcf, -1, NULL) || !g_utf8_validate(csv, -1, NULL)) {
            fprintf(stderr, "format %d\n%s\n----\n%s\n", (int)formats[f], vcf, csv);
            abort();
        }
        if (abook_count(ab) > 0) {
            AbookImportReport rep2 = { 0 };
            GPtrArray *back = g_ptr_array_new_with_free_func((GDestroyNotify)abook_contact_free);
            if (!abook_parse_vcard_own(vcf, strlen(vcf), "again", back, &rep2, &error))
                g_clear_pointer(&back, g_ptr_array_unref);
            /* What we write we must read, all of it, without complaint. */
            if (!back || back->len != abook_count(ab) ||
                (rep2.problems && rep2.problems->len)) {
                fprintf(stderr, "read back %d of %u: %s\n%s\n", back ? (int)back->len : -1,
                        abook_count(ab), rep2.problems && rep2.problems->len
                        ? (char *)rep2.problems->pdata[0] : error ? error->message : "", vcf);
                abort();
            }
            g_ptr_array_unref(back);
            abook_import_report_clear(&rep2);
        }
        g_free(vcf);
        g_free(csv);
        abook_free(ab);
        abook_import_report_clear(&rep);
    }
    g_free(copy);
}

#endif
